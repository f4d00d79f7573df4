//! Text features of the related stage: TF-IDF vectors over title, summary
//! and root cause, and the dense [`Spread`] the scoring passes compare them
//! with.
//!
//! Inputs: the incidents. Outputs: a [`TextIndex`] of one L2-normalised
//! sparse vector per incident plus a readable word for every term.
//! Imports: model, and the stage's tokenizer and lists.

use foldhash::HashMap;
use rayon::prelude::*;

use super::lists::Lists;
use super::tokenizer::{Ids, Tokenizer};
use crate::model::Incident;

/// How much each field counts towards an incident's text: the root cause
/// names the mechanism, the title mostly the symptom.
const FIELD_WEIGHTS: [f32; 3] = [0.5, 1.0, 1.0];

/// The text of an incident that is compared: title, summary, root cause.
fn fields(incident: &Incident) -> [&str; 3] {
    [&incident.title, &incident.summary, &incident.doc.outline.root_cause]
}

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
}

/// One incident's terms, in the ids of the tokenizer that read it.
#[derive(Debug, Default)]
struct RawTerms {
    /// `(term, weighted count)`, sorted by term.
    terms: Vec<(u32, f32)>,
}

fn raw_terms(tokenizer: &mut Tokenizer, incident: &Incident, tally: &mut Tally) -> RawTerms {
    // The words of an incident's own service names are left out: sharing a
    // service is the service signal's business, and counting it again here
    // made incidents on one service look alike whatever broke.
    let mut own: Vec<u32> = Vec::new();
    for service in &incident.services {
        tokenizer.tokenize(service, |t| own.push(t.term));
    }
    for (text, weight) in fields(incident).into_iter().zip(FIELD_WEIGHTS) {
        tokenizer.tokenize(text, |t| {
            if !own.contains(&t.term) {
                tally.add(t, weight);
            }
        });
    }
    RawTerms { terms: tally.take_terms() }
}

/// Counts by local term id, so that reading an incident sorts only its
/// distinct terms, and a run of incidents sorts nothing.
#[derive(Debug, Default)]
struct Tally {
    /// Per term, its weighted count in the incident being read; 0 when
    /// absent (every weight is positive).
    tf: Vec<f32>,
    /// The terms of the incident being read.
    present: Vec<u32>,
    /// Per term, `(surface, times written)` over the run.
    forms: Vec<Vec<(u32, u32)>>,
}

impl Tally {
    fn add(&mut self, t: Ids, weight: f32) {
        let term = t.term as usize;
        if self.tf.len() <= term {
            self.tf.resize(term + 1, 0.0);
            self.forms.resize_with(term + 1, Vec::new);
        }
        if let Some(tf) = self.tf.get_mut(term) {
            if *tf == 0.0 {
                self.present.push(t.term);
            }
            // Field weights are halves and wholes, so their sum is exact in
            // any order.
            *tf += weight;
        }
        if let Some(forms) = self.forms.get_mut(term) {
            match forms.iter_mut().find(|(surface, _)| *surface == t.surface) {
                Some((_, n)) => *n += 1,
                None => forms.push((t.surface, 1)),
            }
        }
    }

    /// The incident's `(term, weighted count)`, sorted by term; the counts
    /// start again for the next incident.
    fn take_terms(&mut self) -> Vec<(u32, f32)> {
        self.present.sort_unstable();
        self.present
            .drain(..)
            .map(|term| {
                let tf = self.tf.get_mut(term as usize).map_or(0.0, std::mem::take);
                (term, tf)
            })
            .collect()
    }

    /// `(term, surface, times written)` over the run.
    fn into_written(self) -> Vec<(u32, u32, u32)> {
        let per_term = self.forms.into_iter().enumerate();
        per_term
            .flat_map(|(term, forms)| forms.into_iter().map(move |(s, n)| (term as u32, s, n)))
            .collect()
    }
}

/// What one tokenizer made of a run of incidents.
struct Chunk {
    raws: Vec<RawTerms>,
    /// Per local term id, the term.
    terms: Vec<String>,
    /// Per local surface id, the surface.
    surfaces: Vec<String>,
    /// `(term, surface, times written)` over the whole run, by term.
    written: Vec<(u32, u32, u32)>,
}

fn read_chunk(incidents: &[Incident], stop: &(dyn Fn() -> bool + Sync)) -> Chunk {
    let mut tokenizer = Tokenizer::default();
    let mut tally = Tally::default();
    let raws =
        incidents
            .iter()
            .map(|i| {
                if stop() { RawTerms::default() } else { raw_terms(&mut tokenizer, i, &mut tally) }
            })
            .collect();
    let (terms, surfaces) = tokenizer.into_names();
    Chunk { raws, terms, surfaces, written: tally.into_written() }
}

impl TextIndex {
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
        let (global, terms) = global_ids(&chunks);
        let (df, readable) = count_terms(&chunks, &global, terms);
        let word_order = word_order(&readable);
        let vectors = weigh(&chunks, &global, &df, incidents.len());
        Some(TextIndex { vectors, df, readable, word_order })
    }

    /// Cosine similarity of two incidents' texts, in [0, 1]. The
    /// definition; scoring uses [`Spread::cosine`], which the tests hold to it.
    #[cfg(test)]
    pub(crate) fn cosine(&self, a: usize, b: usize) -> f64 {
        let (va, vb) = (self.vectors.at(a), self.vectors.at(b));
        let mut sum = 0.0f64;
        merge_shared(va, vb, |_, wa, wb| sum += f64::from(wa) * f64::from(wb));
        sum.clamp(0.0, 1.0)
    }

    /// The readable words of the `n` shared terms that add most to the
    /// similarity of the spread incident and `b`, best first (ties by
    /// word); a word written for two terms counts once, at its best.
    pub(crate) fn top_shared(&self, spread: &Spread, b: usize, n: usize) -> Vec<&str> {
        // The best `n` so far, in order, as `(weight, word order, term)`; a
        // word's later, better entry replaces its earlier one. Words are
        // compared by their order, which is comparing them as strings.
        let mut best: Vec<(f32, u32, u32)> = Vec::with_capacity(n + 1);
        let before = |x: &(f32, u32, u32), y: &(f32, u32, u32)| {
            y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)).is_lt()
        };
        for &(term, wb) in self.vectors.at(b) {
            let wa = spread.weight(term);
            let Some(&word) = self.word_order.get(term as usize).filter(|_| wa != 0.0) else {
                continue;
            };
            let entry = (wa * wb, word, term);
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

/// Per chunk, each local term id's id in the archive, and how many terms
/// the archive has. Term ids follow the sorted vocabulary, so they never
/// depend on hashing or thread scheduling.
fn global_ids(chunks: &[Chunk]) -> (Vec<Vec<u32>>, usize) {
    // Each chunk's terms get a first id as they are met; only the distinct
    // terms are then sorted, and first ids mapped to their place.
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
    let mut vocabulary: Vec<(&str, u32)> = first_ids.into_iter().collect();
    vocabulary.par_sort_unstable_by(|a, b| a.0.cmp(b.0));
    let mut place = vec![0u32; vocabulary.len()];
    for (id, (_, first)) in vocabulary.iter().enumerate() {
        if let Some(slot) = place.get_mut(*first as usize) {
            *slot = id as u32;
        }
    }
    // Per chunk, local term id → term id.
    let global: Vec<Vec<u32>> = firsts
        .into_iter()
        .map(|firsts| {
            firsts.into_iter().map(|f| place.get(f as usize).copied().unwrap_or(0)).collect()
        })
        .collect();
    (global, vocabulary.len())
}

/// Per term, how many incidents use it, and the word most often written
/// for it.
fn count_terms(chunks: &[Chunk], global: &[Vec<u32>], terms: usize) -> (Vec<u32>, Vec<String>) {
    let mut df = vec![0u32; terms];
    // Per term, how often each way of writing it occurs.
    let mut forms: Vec<Vec<(&str, u32)>> = vec![Vec::new(); terms];
    for (chunk, ids) in chunks.iter().zip(global) {
        for raw in &chunk.raws {
            for (local, _) in &raw.terms {
                if let Some(n) = ids.get(*local as usize).and_then(|&id| df.get_mut(id as usize)) {
                    *n += 1;
                }
            }
        }
        for &(local, surface, n) in &chunk.written {
            let id = ids.get(local as usize).copied().unwrap_or(0);
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
    let readable = forms
        .into_iter()
        .map(|forms| {
            forms
                .into_iter()
                .min_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)))
                .map_or_else(String::new, |(s, _)| s.to_string())
        })
        .collect();
    (df, readable)
}

/// Each incident's weighted, L2-normalised vector.
fn weigh(chunks: &[Chunk], global: &[Vec<u32>], df: &[u32], incidents: usize) -> Lists<(u32, f32)> {
    let n = incidents as f32;
    // The square root of the usual IDF: a family's mechanism words
    // ("pool", "certificate") are used by more incidents than words that
    // are shared by chance, and a full IDF let the chance words win.
    let idf: Vec<f32> = df.iter().map(|&d| (1.0 + n / d.max(1) as f32).ln().sqrt()).collect();
    let vectors: Vec<Vec<(u32, f32)>> = chunks
        .par_iter()
        .zip(global)
        .flat_map_iter(|(chunk, ids)| {
            let idf = &idf;
            chunk.raws.iter().map(move |raw| {
                let mut v: Vec<(u32, f32)> = raw
                    .terms
                    .iter()
                    .filter_map(|&(local, tf)| {
                        let id = *ids.get(local as usize)?;
                        Some((id, (1.0 + tf).ln() * idf.get(id as usize)?))
                    })
                    .collect();
                v.sort_by_key(|(id, _)| *id);
                let norm = v.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
                if norm > 0.0 {
                    v.iter_mut().for_each(|(_, w)| *w /= norm);
                }
                v
            })
        })
        .collect();
    vectors.into_iter().collect()
}

/// One incident's sparse list (its text vector, or its nearest incidents)
/// spread over every id, so that its overlap with another incident's list
/// is one pass over the other's entries instead of a merge of both.
pub(crate) struct Spread {
    weights: Vec<f32>,
    of: Option<usize>,
}

impl Spread {
    /// Room for ids below `len`.
    pub(crate) fn new(len: usize) -> Spread {
        Spread { weights: vec![0.0; len], of: None }
    }

    /// Spreads list `a` of `lists`, clearing the one spread before, which
    /// came from the same `lists`.
    pub(crate) fn set(&mut self, lists: &Lists<(u32, f32)>, a: usize) {
        if self.of == Some(a) {
            return;
        }
        if let Some(before) = self.of {
            for &(id, _) in lists.at(before) {
                self.put(id, 0.0);
            }
        }
        for &(id, w) in lists.at(a) {
            self.put(id, w);
        }
        self.of = Some(a);
    }

    /// The spread list's weight for `id`; 0 when it lacks it.
    pub(crate) fn weight(&self, id: u32) -> f32 {
        self.weights.get(id as usize).copied().unwrap_or(0.0)
    }

    fn put(&mut self, id: u32, weight: f32) {
        if let Some(slot) = self.weights.get_mut(id as usize) {
            *slot = weight;
        }
    }

    /// Sum of the products of the weights of the ids both lists hold, in
    /// the order of `other`. Every kept weight is positive, so a 0 means
    /// absent, and a sorted `other` gives [`merge_shared`]'s order: the
    /// result is the merge's to the last bit. An absent id adds +0.0, which
    /// leaves a sum of positive products unchanged; testing for it instead
    /// was a branch that mispredicted on every other term.
    pub(crate) fn dot(&self, other: &[(u32, f32)]) -> f64 {
        // From +0.0, as the merge starts: `sum()` would start from -0.0.
        other.iter().fold(0.0, |sum, &(id, wb)| sum + f64::from(self.weight(id)) * f64::from(wb))
    }

    /// [`TextIndex::cosine`] of the spread incident and `b`.
    pub(crate) fn cosine(&self, index: &TextIndex, b: usize) -> f64 {
        self.dot(index.vectors.at(b)).clamp(0.0, 1.0)
    }
}

/// Calls `f(term, weight in a, weight in b)` for every term both sorted
/// vectors hold, in term order.
pub(crate) fn merge_shared(
    mut a: &[(u32, f32)],
    mut b: &[(u32, f32)],
    mut f: impl FnMut(u32, f32, f32),
) {
    while let (Some((&(ta, wa), rest_a)), Some((&(tb, wb), rest_b))) =
        (a.split_first(), b.split_first())
    {
        match ta.cmp(&tb) {
            std::cmp::Ordering::Less => a = rest_a,
            std::cmp::Ordering::Greater => b = rest_b,
            std::cmp::Ordering::Equal => {
                f(ta, wa, wb);
                (a, b) = (rest_a, rest_b);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_shown_as_one_word_share_its_place_in_alphabetical_order() {
        let readable = ["pool", "exhaust", "pool", "", "alpha"].map(String::from);
        assert_eq!(word_order(&readable), [3, 2, 3, 0, 1]);
        assert!(word_order(&[]).is_empty());
    }
}
