//! Text features of the related stage: a tokenizer for English and CJK
//! postmortem prose, and TF-IDF vectors over title, summary and root cause.
//!
//! Inputs: plain text. Outputs: tokens as term and surface ids and, for an archive, a
//! [`TextIndex`] of one L2-normalised sparse vector per incident plus a
//! readable word for every term. Imports: model, and the `rust-stemmers`
//! crate for Snowball English.

use foldhash::HashMap;

use rayon::prelude::*;
use rust_stemmers::{Algorithm, Stemmer};

use super::lists::Lists;
use super::stop_words::{CJK_STOP_BIGRAMS, STOP_WORDS};
use crate::model::Incident;

/// One term of a text: what is compared, and the word as written.
#[cfg(test)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Token {
    /// The comparable form: a Snowball stem, a lower-cased technical token,
    /// or a CJK character bigram.
    pub(crate) term: String,
    /// The word as it appeared (lower-cased unless it is a technical token
    /// such as `CoreDNS`), for showing to readers.
    pub(crate) surface: String,
}

/// True for characters of scripts written without spaces between words,
/// which are compared as overlapping character pairs.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30FF}'     // Hiragana, Katakana
        | '\u{31F0}'..='\u{31FF}'   // Katakana phonetic extensions
        | '\u{3400}'..='\u{4DBF}'   // Han extension A
        | '\u{4E00}'..='\u{9FFF}'   // Han
        | '\u{F900}'..='\u{FAFF}'   // Han compatibility
        | '\u{FF66}'..='\u{FF9F}'   // half-width Katakana
        | '\u{1100}'..='\u{11FF}'   // Hangul Jamo
        | '\u{3130}'..='\u{318F}'   // Hangul compatibility Jamo
        | '\u{AC00}'..='\u{D7AF}'   // Hangul syllables
        | '\u{20000}'..='\u{2FFFF}' // Han extensions B and later
    )
}

fn is_hangul(c: char) -> bool {
    matches!(c, '\u{1100}'..='\u{11FF}' | '\u{3130}'..='\u{318F}' | '\u{AC00}'..='\u{D7AF}')
}

/// Full-width ASCII (common in CJK text) read as ASCII.
fn fold_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// Splits text into comparable terms.
///
/// - Latin-script words are lower-cased; stop words and postmortem filler
///   are dropped and the rest reduced to their Snowball English stem, so
///   "connections" and "connection" meet.
/// - Technical tokens (an upper-case letter after the first, a digit or an
///   underscore: `max_connections`, `NTP`, `CoreDNS`) are kept whole,
///   lower-cased and unstemmed.
/// - Runs of Han, Kana or Hangul become overlapping character pairs
///   ("解析失败" → "解析", "析失", "失败"); a lone character stands alone.
/// - Bare numbers and single letters are dropped.
pub(crate) struct Tokenizer {
    stemmer: Stemmer,
    /// Token as written → its term and surface, or `None` when it is
    /// dropped (a stop word, a number). Words repeat a lot, and stemming
    /// each time was most of the stage's work.
    seen: HashMap<String, Option<Ids>>,
    terms: Interner,
    surfaces: Interner,
    word: String,
    lower: String,
    cjk: Vec<char>,
    pair: String,
}

/// A token as two ids, local to the tokenizer that met it: its term (a
/// stem, a lower-cased technical token or a CJK pair) and its surface (the
/// word as shown to readers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Ids {
    pub(crate) term: u32,
    pub(crate) surface: u32,
}

/// Strings numbered in the order they are first met.
#[derive(Debug, Default)]
struct Interner {
    ids: HashMap<String, u32>,
    names: Vec<String>,
}

impl Interner {
    fn id(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names.push(name.to_string());
        self.ids.insert(name.to_string(), id);
        id
    }

    #[cfg(test)]
    fn name(&self, id: u32) -> &str {
        self.names.get(id as usize).map_or("", String::as_str)
    }
}

/// Past this many entries the cache of tokens seen starts again, bounding
/// memory; ids stay valid.
const SEEN_LIMIT: usize = 200_000;

impl Default for Tokenizer {
    fn default() -> Self {
        Tokenizer {
            stemmer: Stemmer::create(Algorithm::English),
            seen: HashMap::default(),
            terms: Interner::default(),
            surfaces: Interner::default(),
            word: String::new(),
            lower: String::new(),
            cjk: Vec::new(),
            pair: String::new(),
        }
    }
}

impl Tokenizer {
    /// Calls `emit` with each token of `text`, in order.
    pub(crate) fn tokenize(&mut self, text: &str, mut emit: impl FnMut(Ids)) {
        // The word being read is a slice of `text` from `start`, until a
        // character in it has to change (full-width folding); from then on
        // it is copied into `self.word`.
        let mut start: Option<usize> = None;
        for (at, c) in text.char_indices() {
            // Most text is ASCII: no width to fold, no CJK to pair.
            let ascii = c.is_ascii();
            let folded = if ascii { c } else { fold_width(c) };
            if !ascii && is_cjk(folded) {
                self.end_word(text, &mut start, at, &mut emit);
                self.cjk.push(folded);
            } else if folded.is_alphanumeric() || folded == '_' {
                if !self.cjk.is_empty() {
                    self.flush_cjk(&mut emit);
                }
                match start {
                    Some(_) if folded == c => {}
                    None if folded == c && self.word.is_empty() => start = Some(at),
                    _ => {
                        if let Some(from) = start.take() {
                            self.word.push_str(text.get(from..at).unwrap_or_default());
                        }
                        self.word.push(folded);
                    }
                }
            } else {
                self.end_word(text, &mut start, at, &mut emit);
                if !self.cjk.is_empty() {
                    self.flush_cjk(&mut emit);
                }
            }
        }
        self.end_word(text, &mut start, text.len(), &mut emit);
        if !self.cjk.is_empty() {
            self.flush_cjk(&mut emit);
        }
    }

    /// The comparable form of a token: a Snowball stem, a lower-cased
    /// technical token, or a CJK character pair.
    #[cfg(test)]
    pub(crate) fn term(&self, id: u32) -> &str {
        self.terms.name(id)
    }

    /// A token as written: lower-cased unless it is a technical token such
    /// as `CoreDNS`, for showing to readers.
    #[cfg(test)]
    pub(crate) fn surface(&self, id: u32) -> &str {
        self.surfaces.name(id)
    }

    /// All tokens of `text`.
    #[cfg(test)]
    pub(crate) fn tokens(&mut self, text: &str) -> Vec<Token> {
        let mut ids = Vec::new();
        self.tokenize(text, |t| ids.push(t));
        ids.into_iter()
            .map(|t| Token {
                term: self.term(t.term).to_string(),
                surface: self.surface(t.surface).to_string(),
            })
            .collect()
    }

    /// The ids of a token met for the first time, or `None` to drop it.
    fn first_meeting(&mut self, raw: &str) -> Option<Ids> {
        let mut chars = raw.chars();
        let first = chars.next()?;
        let mut letters = usize::from(first.is_alphabetic());
        let mut technical = first.is_ascii_digit() || first == '_';
        let mut len = 1usize;
        for c in chars {
            len += 1;
            letters += usize::from(c.is_alphabetic());
            technical |= c.is_uppercase() || c.is_ascii_digit() || c == '_';
        }
        if letters == 0 || len < 2 {
            return None;
        }
        self.lower.clear();
        if raw.is_ascii() {
            self.lower.push_str(raw);
            self.lower.make_ascii_lowercase();
        } else {
            self.lower.extend(raw.chars().flat_map(char::to_lowercase));
        }
        if STOP_WORDS.binary_search(&self.lower.as_str()).is_ok() {
            return None;
        }
        if technical {
            return Some(Ids { term: self.terms.id(&self.lower), surface: self.surfaces.id(raw) });
        }
        let stem = self.stemmer.stem(&self.lower);
        if stem.chars().count() < 2 {
            return None;
        }
        Some(Ids { term: self.terms.id(&stem), surface: self.surfaces.id(&self.lower) })
    }

    /// The ids of a token, from the cache or met now.
    fn ids_of(&mut self, raw: &str) -> Option<Ids> {
        if let Some(&ids) = self.seen.get(raw) {
            return ids;
        }
        if self.seen.len() >= SEEN_LIMIT {
            self.seen.clear();
        }
        let ids = self.first_meeting(raw);
        self.seen.insert(raw.to_string(), ids);
        ids
    }

    /// Emits the word being read, if any, which ends before `end`.
    fn end_word(
        &mut self,
        text: &str,
        start: &mut Option<usize>,
        end: usize,
        emit: &mut impl FnMut(Ids),
    ) {
        let ids = if let Some(from) = start.take() {
            self.ids_of(text.get(from..end).unwrap_or_default().trim_matches('_'))
        } else if !self.word.is_empty() {
            let word = std::mem::take(&mut self.word);
            let ids = self.ids_of(word.trim_matches('_'));
            self.word = word;
            self.word.clear();
            ids
        } else {
            None
        };
        if let Some(ids) = ids {
            emit(ids);
        }
    }

    fn flush_cjk(&mut self, emit: &mut impl FnMut(Ids)) {
        let (cjk, mut pair) = (std::mem::take(&mut self.cjk), std::mem::take(&mut self.pair));
        // A lone Han or Kana character between other words is nearly always
        // a conjunction or particle (和, の); a lone Hangul syllable can be a
        // word.
        if let [c] = cjk[..] {
            if is_hangul(c) {
                pair.clear();
                pair.push(c);
                emit(self.pair_ids(&pair));
            }
        }
        for two in cjk.windows(2) {
            pair.clear();
            pair.extend(two);
            if CJK_STOP_BIGRAMS.binary_search(&pair.as_str()).is_err() {
                emit(self.pair_ids(&pair));
            }
        }
        (self.cjk, self.pair) = (cjk, pair);
        self.cjk.clear();
    }

    /// A CJK pair (or lone Hangul syllable) is its own term and surface.
    fn pair_ids(&mut self, pair: &str) -> Ids {
        Ids { term: self.terms.id(pair), surface: self.surfaces.id(pair) }
    }
}

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
    Chunk {
        raws,
        terms: tokenizer.terms.names,
        surfaces: tokenizer.surfaces.names,
        written: tally.into_written(),
    }
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

        // Term ids follow the sorted vocabulary, so they never depend on
        // hashing or thread scheduling. Each chunk's terms get a first id
        // as they are met; only the distinct terms are then sorted, and
        // first ids mapped to their place.
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

        let mut df = vec![0u32; vocabulary.len()];
        // Per term, how often each way of writing it occurs.
        let mut forms: Vec<Vec<(&str, u32)>> = vec![Vec::new(); vocabulary.len()];
        for (chunk, ids) in chunks.iter().zip(&global) {
            for raw in &chunk.raws {
                for (local, _) in &raw.terms {
                    if let Some(n) =
                        ids.get(*local as usize).and_then(|&id| df.get_mut(id as usize))
                    {
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

        let n = incidents.len() as f32;
        // The square root of the usual IDF: a family's mechanism words
        // ("pool", "certificate") are used by more incidents than words that
        // are shared by chance, and a full IDF let the chance words win.
        let idf: Vec<f32> = df.iter().map(|&d| (1.0 + n / d.max(1) as f32).ln().sqrt()).collect();
        let vectors = chunks
            .par_iter()
            .zip(&global)
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
            .collect::<Vec<_>>()
            .into_iter()
            .collect();
        Some(TextIndex { vectors, df, readable })
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
        // The best `n` so far, in order; a word's later, better entry
        // replaces its earlier one.
        let mut best: Vec<(f32, &str)> = Vec::with_capacity(n + 1);
        let before = |x: &(f32, &str), y: &(f32, &str)| {
            y.0.total_cmp(&x.0).then_with(|| x.1.cmp(y.1)).is_lt()
        };
        for &(term, wb) in self.vectors.at(b) {
            let wa = spread.weight(term);
            let Some(word) = self.readable.get(term as usize).filter(|_| wa != 0.0) else {
                continue;
            };
            let entry = (wa * wb, word.as_str());
            if let Some(at) = best.iter().position(|e| e.1 == entry.1) {
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
        best.into_iter().map(|(_, word)| word).collect()
    }
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

    fn terms(text: &str) -> Vec<String> {
        Tokenizer::default().tokens(text).into_iter().map(|t| t.term).collect()
    }

    #[test]
    fn stop_lists_are_sorted_for_binary_search() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(CJK_STOP_BIGRAMS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn english_words_are_stemmed_so_inflections_meet() {
        assert_eq!(terms("connections"), terms("connection"));
        assert_eq!(terms("exhausted"), terms("exhausting"));
        assert_eq!(terms("Timeouts timed"), ["timeout", "time"]);
    }

    #[test]
    fn stop_words_and_postmortem_filler_are_dropped() {
        assert_eq!(terms("The incident affected customers for 40 minutes"), Vec::<String>::new());
        assert_eq!(terms("engineers restarted the service"), ["restart"]);
    }

    #[test]
    fn technical_tokens_are_kept_whole_and_lower_cased() {
        assert_eq!(
            terms("max_connections NTP CoreDNS PgBouncer p99 5xx"),
            ["max_connections", "ntp", "coredns", "pgbouncer", "p99", "5xx"]
        );
        let tokens = Tokenizer::default().tokens("CoreDNS");
        assert_eq!(tokens[0].surface, "CoreDNS", "shown as written");
    }

    #[test]
    fn numbers_single_letters_and_punctuation_are_dropped() {
        assert_eq!(terms("30 000 ms, a b (c) -- 2021-03-04"), ["ms"]);
    }

    #[test]
    fn cjk_runs_become_overlapping_bigrams() {
        assert_eq!(terms("DNS解析超时"), ["dns", "解析", "析超", "超时"]);
        assert_eq!(terms("时钟偏移，令牌"), ["时钟", "钟偏", "偏移", "令牌"]);
        assert_eq!(terms("A 和 B 键"), Vec::<String>::new(), "lone Han characters are particles");
        // Katakana and Hangul too; filler pairs ("分钟", "失败") go.
        assert_eq!(terms("サーバー"), ["サー", "ーバ", "バー"]);
        assert_eq!(terms("연결 풀"), ["연결", "풀"]);
        assert_eq!(terms("90分钟 失败"), Vec::<String>::new());
    }

    #[test]
    fn full_width_ascii_reads_as_ascii() {
        assert_eq!(terms("ＤＮＳ"), ["dns"]);
        assert_eq!(
            terms("core_ＤＮＳ ｐool"),
            ["core_dns", "pool"],
            "folded part-way through a word"
        );
    }
}
