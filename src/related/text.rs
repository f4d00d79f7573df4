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

use foldhash::HashMap;
use rayon::prelude::*;

use super::lists::Lists;
use super::tokenizer::{Ids, Tokenizer};
use crate::model::Incident;
use crate::sections::Role;

/// How much a term counts by where it is written: the cause and the
/// summary name the mechanism; every other part (impact, timeline,
/// resolution, lessons, action items, text under no recognised heading)
/// half as much. Weighting impact or timeline lower, or the cause higher,
/// measured worse on both labelled fixtures: the symptoms and the fix
/// describe a recurring failure too.
fn role_weight(role: Option<Role>) -> f32 {
    match role {
        Some(Role::Cause | Role::Summary) => 1.0,
        Some(
            Role::Resolution
            | Role::ActionItems
            | Role::Lessons
            | Role::Detection
            | Role::Impact
            | Role::Timeline,
        )
        | None => 0.5,
    }
}

/// The title's weight: a short line that often names the failure.
const TITLE_WEIGHT: f32 = 2.0;
/// A phrase's weight relative to its words': it is rarer, so its IDF
/// already says much.
const PHRASE_WEIGHT: f32 = 0.5;
/// How many terms, the strongest, an incident's vector keeps.
const MAX_TERMS: usize = 160;
/// A concept's weight per mention, relative to a word's: a concept
/// stands for the mechanism, which is what a recurrence shares.
const CONCEPT_WEIGHT: f32 = 4.0;
/// A term used by more than this share of the archive is the archive's
/// own vocabulary (template words, the product's name) and is dropped...
pub(crate) const COMMON_SHARE: f64 = 0.4;
/// ...once the archive is big enough for a share to mean something.
const COMMON_MIN_DF: u32 = 6;

/// The parts of an incident's text that are compared, each with its
/// weight: the title, the front-matter summary when the body has no
/// summary section, then the body, section by section.
fn segments(incident: &Incident) -> Vec<(&str, f32)> {
    let doc = &incident.doc;
    let text = doc.source.text.as_str();
    let mut out: Vec<(&str, f32)> = vec![(incident.title.as_str(), TITLE_WEIGHT)];
    let spans = &doc.outline.section_spans;
    if !spans.iter().any(|s| s.role == Role::Summary) {
        out.push((incident.summary.as_str(), role_weight(Some(Role::Summary))));
    }
    let mut ordered: Vec<_> = spans.iter().collect();
    ordered.sort_by_key(|s| s.range.start);
    let mut push = |range: std::ops::Range<usize>, role: Option<Role>| {
        if let Some(part) = text.get(range).filter(|p| !p.trim().is_empty()) {
            out.push((part, role_weight(role)));
        }
    };
    let mut at = doc.body.start;
    for span in ordered {
        let start = span.range.start.clamp(at, doc.body.end);
        let end = span.range.end.min(doc.body.end);
        push(at..start, None);
        if end > start {
            // The heading is the template's word for the part, not the
            // incident's.
            let body = text.get(start..end).and_then(|t| t.find('\n')).map_or(end, |n| start + n);
            push(body..end, Some(span.role));
            at = end;
        } else {
            at = start;
        }
    }
    push(at..doc.body.end, None);
    out
}

/// True for a byte that ends a sentence or a table cell: phrases are never
/// made across it. All are ASCII, which never occurs inside a multi-byte
/// UTF-8 character, so the text can be cut there byte by byte (CJK text
/// is compared by character pairs and makes no phrases anyway).
fn ends_phrase(b: u8) -> bool {
    matches!(b, b'\n' | b'.' | b';' | b':' | b'!' | b'?' | b'|' | b'(' | b')' | b'`')
}

/// `text` cut at every [`ends_phrase`] byte.
fn sentences(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let end = rest.bytes().position(ends_phrase).unwrap_or(rest.len());
        let (sentence, after) = rest.split_at_checked(end)?;
        rest = after.get(1..).unwrap_or("");
        Some(sentence)
    })
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
    /// Per incident, its title's words as sorted, distinct hashes.
    titles: Lists<u64>,
}

/// One incident's terms, in the ids of the tokenizer that read it.
#[derive(Debug, Default)]
struct RawTerms {
    /// `(term, weighted count)`, sorted by term.
    terms: Vec<(u32, f32)>,
}

fn raw_terms(
    tokenizer: &mut Tokenizer,
    incident: &Incident,
    tally: &mut Tally,
    words: &mut Vec<Ids>,
) -> RawTerms {
    // The words of an incident's own service names are left out: sharing a
    // service is the service signal's business, and counting it again here
    // made incidents on one service look alike whatever broke.
    let mut own: Vec<u32> = Vec::new();
    for service in &incident.services {
        tokenizer.tokenize(service, |t| own.push(t.term));
    }
    for (text, weight) in segments(incident) {
        for sentence in sentences(text) {
            words.clear();
            tokenizer.tokenize(sentence, |t| words.push(t));
            let mut previous: Option<Ids> = None;
            for &t in words.iter() {
                if own.contains(&t.term) {
                    previous = None;
                    continue;
                }
                tally.add(t, weight);
                let concept_weight = weight * CONCEPT_WEIGHT;
                if let Some(c) = tokenizer.concept(t.term) {
                    tally.add(c, concept_weight);
                }
                if let Some(p) = previous.filter(|p| p.term != t.term) {
                    if let Some(phrase) = tokenizer.phrase(p, t) {
                        tally.add(phrase, weight * PHRASE_WEIGHT);
                        if let Some(c) = tokenizer.concept(phrase.term) {
                            tally.add(c, concept_weight);
                        }
                    }
                }
                previous = Some(t);
            }
        }
    }
    RawTerms { terms: tally.take_terms() }
}

/// A title's words, lower-cased, a plural `s` dropped, as sorted distinct
/// hashes: "All services returning 503" and "All service returning 503s"
/// are the same title.
fn title_words(title: &str) -> Vec<u64> {
    let mut words: Vec<u64> = title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let w = w.to_lowercase();
            let w = if w.len() > 3 { w.strip_suffix('s').unwrap_or(&w) } else { &w };
            xxhash_rust::xxh3::xxh3_64(w.as_bytes())
        })
        .collect();
    words.sort_unstable();
    words.dedup();
    words
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
            // Summed in the order the words are written, the same every run.
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
    let mut words = Vec::new();
    let raws = incidents
        .iter()
        .map(|i| {
            if stop() {
                RawTerms::default()
            } else {
                raw_terms(&mut tokenizer, i, &mut tally, &mut words)
            }
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
        let Vocabulary { global, df } = vocabulary(&chunks);
        let readable = readable_words(&chunks, &global, df.len());
        let word_order = word_order(&readable);
        let vectors = weigh(&chunks, &global, &df, incidents.len());
        let titles: Vec<Vec<u64>> = incidents.par_iter().map(|i| title_words(&i.title)).collect();
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
    /// definition; scoring uses [`Spread::cosine`], which the tests hold to it.
    #[cfg(test)]
    pub(crate) fn cosine(&self, a: usize, b: usize) -> f64 {
        let (va, vb) = (self.vectors.at(a), self.vectors.at(b));
        let mut sum = 0.0f64;
        merge_shared(va, vb, |_, wa, wb| sum += f64::from(wa) * f64::from(wb));
        sum.clamp(0.0, 1.0)
    }

    /// The readable words of the `n` shared terms that add most to the
    /// similarity of `a` and `b`, best first (ties by
    /// word); a word written for two terms counts once, at its best.
    pub(crate) fn top_shared(&self, a: usize, b: usize, n: usize) -> Vec<&str> {
        // The best `n` so far, in order, as `(weight, word order, term)`; a
        // word's later, better entry replaces its earlier one. Words are
        // compared by their order, which is comparing them as strings.
        let mut best: Vec<(f32, u32, u32)> = Vec::with_capacity(n + 1);
        let before = |x: &(f32, u32, u32), y: &(f32, u32, u32)| {
            y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)).is_lt()
        };
        // Merged in term order: two short sorted lists read front to back,
        // where looking each term up in a dense spread missed the cache.
        merge_shared(self.vectors.at(a), self.vectors.at(b), |term, wa, wb| {
            let Some(&word) = self.word_order.get(term as usize) else { return };
            let entry = (wa * wb, word, term);
            if let Some(at) = best.iter().position(|e| e.1 == word) {
                if best.get(at).is_some_and(|old| !before(&entry, old)) {
                    return;
                }
                best.remove(at);
            }
            let at = best.partition_point(|e| before(e, &entry));
            if at < n {
                best.insert(at, entry);
                best.truncate(n);
            }
        });
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
    let mut shared: Vec<(&str, u32)> = first_ids
        .into_iter()
        .filter(|&(_, first)| df_by_first.get(first as usize).is_some_and(|&d| d >= 2))
        .collect();
    shared.par_sort_unstable_by(|a, b| a.0.cmp(b.0));
    let mut place = vec![UNIQUE; df_by_first.len()];
    let mut df = Vec::with_capacity(shared.len());
    for (id, (_, first)) in shared.iter().enumerate() {
        if let Some(slot) = place.get_mut(*first as usize) {
            *slot = id as u32;
        }
        df.push(df_by_first.get(*first as usize).copied().unwrap_or(0));
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
    fn sentences_end_at_punctuation_and_table_cells() {
        let cut: Vec<&str> = sentences("Pool full. Then: a | b\n日本。x").collect();
        assert_eq!(cut, ["Pool full", " Then", " a ", " b", "日本。x"]);
    }

    #[test]
    fn terms_shown_as_one_word_share_its_place_in_alphabetical_order() {
        let readable = ["pool", "exhaust", "pool", "", "alpha"].map(String::from);
        assert_eq!(word_order(&readable), [3, 2, 3, 0, 1]);
        assert!(word_order(&[]).is_empty());
    }
}
