//! Text features of the related stage: TF-IDF vectors over the whole
//! write-up, each part weighted by what it is, and the dense [`Spread`] the
//! scoring passes compare them with.
//!
//! Inputs: the incidents (title, summary and the body's recognised
//! sections, see [`crate::sections`]). Outputs: a [`TextIndex`] of one
//! L2-normalised sparse vector per incident, a readable word or phrase for
//! every term, and each incident's title words for near-identical titles.
//! Imports: model, sections, and the stage's tokenizer and lists.
//!
//! Terms are words (stemmed) and phrases of two adjacent words within a
//! sentence ("connection pool"). A term most of the archive uses (the
//! template's own words, "incident", "customers") is learned from the
//! archive and carries no weight at all, so it never makes two incidents
//! alike and never appears in a reason.
//!
//! Reading one incident into counted terms is [`terms`]; this module turns
//! the counts into the archive's vocabulary and weighted vectors; the dense
//! side of comparing two vectors is [`spread`].

use foldhash::HashMap;
use rayon::prelude::*;

use self::terms::{Chunk, read_chunk, title_words};
use super::lists::Lists;
use crate::model::Incident;

pub(crate) use self::spread::{Spread, merge_shared};

mod spread;
mod terms;

/// How many terms, the strongest, an incident's vector keeps.
const MAX_TERMS: usize = 160;
/// A term used by more than this share of the archive is the archive's
/// own vocabulary (template words, the product's name) and is dropped...
pub(crate) const COMMON_SHARE: f64 = 0.4;
/// ...once the archive is big enough for a share to mean something.
const COMMON_MIN_DF: u32 = 6;

/// Term-weighted vectors for a whole archive.
#[derive(Debug, Default)]
pub(crate) struct TextIndex {
    /// Per incident, `(term id, weight)` sorted by term id, L2-normalised.
    pub(crate) vectors: Lists<(u32, f32)>,
    /// Per term id, the number of incidents using it.
    pub(crate) df: Vec<u32>,
    /// Per term id, the word most often written for it, for display.
    pub(crate) readable: Vec<String>,
    /// Per term id, the place of its readable word in alphabetical order;
    /// terms shown as the same word share a place.
    word_order: Vec<u32>,
    /// Per incident, its title's words as sorted, distinct hashes.
    pub(crate) titles: Lists<u64>,
}

impl TextIndex {
    /// Per incident, the sum of its cosines with every other incident: how
    /// alike the archive's write-ups are to it anyway (see
    /// `related::recurrences`).
    ///
    /// The vectors are unit vectors, so the sum is the incident's dot
    /// product with the sum of them all, less its own 1: linear in the
    /// archive, where comparing every pair is not.
    pub(crate) fn cosine_sums(&self) -> Vec<f64> {
        let mut sum = vec![0.0_f64; self.df.len()];
        for i in 0..self.vectors.len() {
            for &(term, w) in self.vectors.at(i) {
                if let Some(s) = sum.get_mut(term as usize) {
                    *s += f64::from(w);
                }
            }
        }
        (0..self.vectors.len())
            .map(|i| {
                let v = self.vectors.at(i);
                let with_all: f64 = v
                    .iter()
                    .map(|&(t, w)| f64::from(w) * sum.get(t as usize).copied().unwrap_or(0.0))
                    .sum();
                let own: f64 = v.iter().map(|&(_, w)| f64::from(w) * f64::from(w)).sum();
                (with_all - own).max(0.0)
            })
            .collect()
    }

    /// Tokenizes every incident (in parallel) and weights its terms by
    /// `ln(1 + tf) * sqrt(ln(1 + N / df))`, then L2-normalises. `None` when
    /// `stop` said to give up while tokenizing.
    pub(crate) fn build(
        incidents: &[Incident],
        stop: &(dyn Fn() -> bool + Sync),
    ) -> Option<TextIndex> {
        // A few large chunks, one tokenizer each: its cache warms up over a
        // chunk (a tokenizer per rayon split kept re-stemming the same
        // words dozens of times).
        let size = incidents.len().div_ceil(4 * rayon::current_num_threads()).max(64);
        let chunks: Vec<Chunk> =
            incidents.par_chunks(size).map(|run| read_chunk(run, stop)).collect();
        if stop() {
            return None;
        }
        let Vocabulary { global, df } = vocabulary(&chunks);
        let readable = readable_words(&chunks, &global, df.len());
        let word_order = word_order(&readable);
        let vectors = weigh(&chunks, &global, &df, incidents.len());
        let titles = without_common_words(
            incidents.par_iter().map(|i| title_words(&i.title)).collect(),
            common_df(incidents.len()),
        );
        Some(TextIndex { vectors, df, readable, word_order, titles: titles.into_iter().collect() })
    }

    /// How alike two titles are when they are nearly the same, in [0.8,
    /// 1]: the Dice coefficient of their words, when it reaches 0.8 and
    /// they share two words or more; else 0.
    pub(crate) fn title_likeness(&self, a: usize, b: usize) -> f64 {
        let (ta, tb) = (self.titles.at(a), self.titles.at(b));
        let (mut i, mut j, mut shared) = (0, 0, 0usize);
        while let (Some(x), Some(y)) = (ta.get(i), tb.get(j)) {
            match x.cmp(y) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    shared += 1;
                    i += 1;
                    j += 1;
                }
            }
        }
        let dice = 2.0 * shared as f64 / (ta.len() + tb.len()).max(1) as f64;
        if shared >= 2 && dice >= 0.8 { dice } else { 0.0 }
    }

    /// Cosine similarity of two incidents' texts, in [0, 1]. The
    /// definition; scoring uses [`Spread::cosine`], which the tests hold to
    /// it, and recurrences this, for one pair per incident.
    pub(crate) fn cosine(&self, a: usize, b: usize) -> f64 {
        let (va, vb) = (self.vectors.at(a), self.vectors.at(b));
        let mut sum = 0.0f64;
        merge_shared(va, vb, |_, wa, wb| sum += f64::from(wa) * f64::from(wb));
        sum.clamp(0.0, 1.0)
    }

    /// The readable words of the `n` shared terms that add most to the
    /// similarity of `a` and `b`, best first (ties by
    /// word); a word written for two terms counts once, at its best. The
    /// definition; the reasons use [`TextIndex::top_shared_with`], which
    /// the tests hold to it.
    #[cfg(test)]
    pub(crate) fn top_shared(&self, a: usize, b: usize, n: usize) -> Vec<&str> {
        let mut shared = Vec::new();
        merge_shared(self.vectors.at(a), self.vectors.at(b), |term, wa, wb| {
            shared.push((term, wa, wb));
        });
        self.best_words(&shared, n)
    }

    /// [`TextIndex::top_shared`] of the incident `a` spread in `spread`
    /// and `b`; `shared` is room for the shared terms. The pass over the
    /// kept pairs spreads each incident once for all of its pairs.
    pub(crate) fn top_shared_with<'t>(
        &'t self,
        spread: &Spread,
        b: usize,
        n: usize,
        shared: &mut Vec<(u32, f32, f32)>,
    ) -> Vec<&'t str> {
        spread.shared(self.vectors.at(b), shared);
        self.best_words(shared, n)
    }

    /// The words of the best `n` of `shared` terms, `(term, weight in a,
    /// weight in b)` in term order, as [`TextIndex::top_shared`] says.
    fn best_words(&self, shared: &[(u32, f32, f32)], n: usize) -> Vec<&str> {
        // The best `n` so far, in order, as `(weight, word order, term)`; a
        // word's later, better entry replaces its earlier one. Words are
        // compared by their order, which is comparing them as strings.
        let mut best: Vec<(f32, u32, u32)> = Vec::with_capacity(n + 1);
        let before = |x: &(f32, u32, u32), y: &(f32, u32, u32)| {
            y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)).is_lt()
        };
        for &(term, wa, wb) in shared {
            let Some(&word) = self.word_order.get(term as usize) else { continue };
            let entry = (wa * wb, word, term);
            // Most shared terms weigh less than the `n` best so far: such
            // an entry can neither enter nor better its word's entry.
            if best.len() == n && best.last().is_some_and(|worst| !before(&entry, worst)) {
                continue;
            }
            if let Some(at) = best.iter().position(|e| e.1 == word) {
                if best.get(at).is_some_and(|old| !before(&entry, old)) {
                    continue;
                }
                best.remove(at);
            }
            let at = best.partition_point(|e| before(e, &entry));
            if at < n {
                best.insert(at, entry);
                best.truncate(n);
            }
        }
        let word = |term: u32| self.readable.get(term as usize).map_or("", String::as_str);
        best.into_iter().map(|(_, _, term)| word(term)).collect()
    }
}

/// Each title's words less those more than `common` titles use: a
/// template's title ("Incident report", "Postmortem: …") is the archive's
/// own words, and two write-ups that both use it are not alike for that.
fn without_common_words(mut titles: Vec<Vec<u64>>, common: u32) -> Vec<Vec<u64>> {
    let mut used: HashMap<u64, u32> = HashMap::default();
    for word in titles.iter().flatten() {
        *used.entry(*word).or_default() += 1;
    }
    for title in &mut titles {
        title.retain(|word| used.get(word).is_none_or(|&n| n <= common));
    }
    titles
}

/// Per term, the place of its readable word among the archive's distinct
/// readable words in alphabetical order.
fn word_order(readable: &[String]) -> Vec<u32> {
    let mut terms: Vec<u32> = (0..readable.len() as u32).collect();
    let word = |term: u32| readable.get(term as usize).map_or("", String::as_str);
    terms.par_sort_unstable_by(|&a, &b| word(a).cmp(word(b)));
    let mut order = vec![0u32; readable.len()];
    let (mut place, mut previous) = (0u32, None);
    for &term in &terms {
        let this = word(term);
        if previous.is_some_and(|p| p != this) {
            place += 1;
        }
        previous = Some(this);
        if let Some(slot) = order.get_mut(term as usize) {
            *slot = place;
        }
    }
    order
}

/// A term only one incident uses: it adds to that incident's norm, but it
/// can make no two incidents alike, so it gets no id.
const UNIQUE: u32 = u32::MAX;

/// The archive's vocabulary: per chunk, each local term id's id in the
/// archive ([`UNIQUE`] for a term one incident uses), and per id how many
/// incidents use it. Ids follow the sorted terms, so they never depend on
/// hashing or thread scheduling.
struct Vocabulary {
    global: Vec<Vec<u32>>,
    df: Vec<u32>,
}

fn vocabulary(chunks: &[Chunk]) -> Vocabulary {
    // Each chunk's terms get a first id as they are met, and incidents are
    // counted by first id; only the terms two incidents share are sorted.
    // Most of an archive's distinct terms (phrases above all) are written
    // once, so this sorts a fraction of them.
    let mut first_ids: HashMap<&str, u32> = HashMap::default();
    let firsts: Vec<Vec<u32>> = chunks
        .iter()
        .map(|chunk| {
            chunk
                .terms
                .iter()
                .map(|t| {
                    let next = first_ids.len() as u32;
                    *first_ids.entry(t.as_str()).or_insert(next)
                })
                .collect()
        })
        .collect();
    let mut df_by_first = vec![0u32; first_ids.len()];
    for (chunk, firsts) in chunks.iter().zip(&firsts) {
        for (local, _) in chunk.raws.iter().flat_map(|raw| &raw.terms) {
            if let Some(n) =
                firsts.get(*local as usize).and_then(|&f| df_by_first.get_mut(f as usize))
            {
                *n += 1;
            }
        }
    }
    // With each shared term, its first id and its count.
    let mut shared: Vec<(&str, u32, u32)> = first_ids
        .into_iter()
        .filter_map(|(term, first)| {
            let d = *df_by_first.get(first as usize)?;
            (d >= 2).then_some((term, first, d))
        })
        .collect();
    shared.par_sort_unstable_by(|a, b| a.0.cmp(b.0));
    let mut place = vec![UNIQUE; df_by_first.len()];
    let mut df = Vec::with_capacity(shared.len());
    for (id, &(_, first, d)) in shared.iter().enumerate() {
        if let Some(slot) = place.get_mut(first as usize) {
            *slot = id as u32;
        }
        df.push(d);
    }
    // Per chunk, local term id → term id.
    let global = firsts
        .into_iter()
        .map(|firsts| {
            firsts.into_iter().map(|f| place.get(f as usize).copied().unwrap_or(UNIQUE)).collect()
        })
        .collect();
    Vocabulary { global, df }
}

/// Per term, the word most often written for it.
fn readable_words(chunks: &[Chunk], global: &[Vec<u32>], terms: usize) -> Vec<String> {
    // Per term, how often each way of writing it occurs.
    let mut forms: Vec<Vec<(&str, u32)>> = vec![Vec::new(); terms];
    for (chunk, ids) in chunks.iter().zip(global) {
        for &(local, surface, n) in &chunk.written {
            let id = ids.get(local as usize).copied().unwrap_or(UNIQUE);
            let (Some(forms), Some(surface)) =
                (forms.get_mut(id as usize), chunk.surfaces.get(surface as usize))
            else {
                continue;
            };
            match forms.iter_mut().find(|(s, _)| *s == surface) {
                Some((_, count)) => *count += n,
                None => forms.push((surface, n)),
            }
        }
    }
    // Most frequent surface wins; ties go to the alphabetically first.
    forms
        .into_iter()
        .map(|forms| {
            forms
                .into_iter()
                .min_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)))
                .map_or_else(String::new, |(s, _)| s.to_string())
        })
        .collect()
}

/// Each incident's weighted, L2-normalised vector.
#[allow(
    clippy::expect_used,
    reason = "a chunk's local term ids are 0..k, and `global` holds k ids for it (`vocabulary`)"
)]
fn weigh(chunks: &[Chunk], global: &[Vec<u32>], df: &[u32], incidents: usize) -> Lists<(u32, f32)> {
    let n = incidents as f32;
    let common = common_df(incidents);
    // The square root of the usual IDF: a family's mechanism words
    // ("pool", "certificate") are used by more incidents than words that
    // are shared by chance, and a full IDF let the chance words win. The
    // archive's own vocabulary weighs nothing.
    let idf: Vec<f32> = df
        .iter()
        .map(|&d| if d > common { 0.0 } else { (1.0 + n / d.max(1) as f32).ln().sqrt() })
        .collect();
    // The weight of a term one incident uses, per unit of `ln(1 + tf)`.
    let unique_idf = (1.0 + n).ln().sqrt();
    let vectors: Vec<Vec<(u32, f32)>> = chunks
        .par_iter()
        .zip(global)
        .flat_map_iter(|(chunk, ids)| {
            let idf = &idf;
            let mut unique: Vec<f32> = Vec::new();
            chunk.raws.iter().map(move |raw| {
                unique.clear();
                let mut v: Vec<(u32, f32)> = Vec::with_capacity(raw.terms.len());
                for &(local, tf) in &raw.terms {
                    let id = *ids.get(local as usize).expect("every local term has a term id");
                    if id == UNIQUE {
                        unique.push((1.0 + tf).ln() * unique_idf);
                    } else if let Some(&idf) = idf.get(id as usize) {
                        let w = (1.0 + tf).ln() * idf;
                        if w > 0.0 {
                            v.push((id, w));
                        }
                    }
                }
                // Summed in term order, then the unique terms' weights in
                // the order of their values: neither depends on the order
                // incidents arrive in. A term no other incident uses adds to
                // the norm but to no overlap: it is counted, never kept.
                v.sort_by_key(|(id, _)| *id);
                unique.sort_unstable_by(f32::total_cmp);
                let norm = (v.iter().map(|(_, w)| w * w).sum::<f32>()
                    + unique.iter().map(|w| w * w).sum::<f32>())
                .sqrt();
                // Of the rest, the strongest [`MAX_TERMS`] are kept, so that
                // comparing two whole write-ups costs a bounded number of
                // lookups.
                if v.len() > MAX_TERMS {
                    v.select_nth_unstable_by(MAX_TERMS, |a, b| {
                        b.1.total_cmp(&a.1).then(a.0.cmp(&b.0))
                    });
                    v.truncate(MAX_TERMS);
                    v.sort_by_key(|(id, _)| *id);
                }
                if norm > 0.0 {
                    v.iter_mut().for_each(|(_, w)| *w /= norm);
                }
                v
            })
        })
        .collect();
    vectors.into_iter().collect()
}

/// Terms used by more incidents than this are the archive's own
/// vocabulary: [`COMMON_SHARE`] of it, but never fewer than
/// [`COMMON_MIN_DF`], so a small archive keeps its words.
pub(crate) fn common_df(incidents: usize) -> u32 {
    ((incidents as f64 * COMMON_SHARE).floor() as u32).max(COMMON_MIN_DF)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_words_most_titles_use_are_dropped() {
        let titles = vec![vec![1, 2, 7], vec![1, 2, 8], vec![1, 2], vec![1, 9, 7]];
        assert_eq!(without_common_words(titles, 2), [vec![7], vec![8], vec![], vec![9, 7]]);
    }

    #[test]
    fn terms_shown_as_one_word_share_its_place_in_alphabetical_order() {
        let readable = ["pool", "exhaust", "pool", "", "alpha"].map(String::from);
        assert_eq!(word_order(&readable), [3, 2, 3, 0, 1]);
        assert!(word_order(&[]).is_empty());
    }
}
