//! The related stage's tokenizer: English and CJK postmortem prose as
//! comparable terms.
//!
//! Inputs: plain text. Outputs: tokens as term and surface ids, local to
//! one [`Tokenizer`]. Imports: the stage's stop words, and the
//! `rust-stemmers` crate for Snowball English.

use foldhash::HashMap;
use rust_stemmers::{Algorithm, Stemmer};

use super::concepts::CONCEPTS;
use super::stop_words::{CJK_STOP_BIGRAMS, STOP_WORDS};

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

use crate::text::TokenCache;
/// The one definition of CJK, shared with search.
pub(crate) use crate::text::is_cjk;

/// `word` without underscores at either end. Nearly every word has none:
/// looking at its two ends costs less than `trim_matches` starting its
/// searches.
fn trim_underscores(word: &str) -> &str {
    let bytes = word.as_bytes();
    if bytes.first() == Some(&b'_') || bytes.last() == Some(&b'_') {
        word.trim_matches('_')
    } else {
        word
    }
}

/// An ASCII letter, digit or underscore: part of a word.
fn is_ascii_word(byte: u8) -> bool {
    ASCII_WORD.get(usize::from(byte)).copied().unwrap_or(false)
}

/// Per byte, whether it is an ASCII letter, digit or underscore: one load
/// per byte of the scan, where the test was three ranges.
#[allow(clippy::indexing_slicing, reason = "filled below 128 of its 256 places, at compile time")]
static ASCII_WORD: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 128 {
        let b = byte as u8;
        table[byte] = b.is_ascii_alphanumeric() || b == b'_';
        byte += 1;
    }
    table
};

/// `text` from byte `from` to byte `to`, both positions the scan stopped
/// at: it steps over whole characters (an ASCII byte, or a character's
/// `len_utf8`), so each is a character boundary within `text`.
#[allow(clippy::expect_used, reason = "the scan keeps only character boundaries")]
fn between(text: &str, from: usize, to: usize) -> &str {
    text.get(from..to).expect("the scan stops on character boundaries")
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
///
/// A surface always reads as the same term: a word's surface is its
/// lower-cased self unless it is technical, and then it keeps a digit, an
/// underscore or a capital no plain word has; a phrase's surface is its
/// two words'; a concept's surface is an id of its own.
pub(crate) struct Tokenizer {
    stemmer: Stemmer,
    /// Token as written → its term and surface, or `None` when it is
    /// dropped (a stop word, a number). Words repeat a lot, and stemming
    /// each time was most of the stage's work.
    seen: TokenCache<Option<Ids>>,
    terms: Interner,
    surfaces: Interner,
    word: String,
    lower: String,
    cjk: Vec<char>,
    pair: String,
    /// Two adjacent tokens (by surface ids) → the phrase they make, or
    /// `None` when either is a CJK pair (those are phrases already).
    phrases: HashMap<u64, Option<Ids>>,
    /// Per term id, 1 + the index of the concept it names, or 0.
    concept_of: Vec<u16>,
    /// Per concept, its term.
    concepts: Vec<Ids>,
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

    /// A new id for `name`, which [`Interner::id`] never gives out.
    fn fresh(&mut self, name: &str) -> u32 {
        let id = self.names.len() as u32;
        self.names.push(name.to_string());
        id
    }

    #[cfg(test)]
    fn name(&self, id: u32) -> &str {
        self.names.get(id as usize).map_or("", String::as_str)
    }
}

/// Name `id` of an interner's names ("" when unknown).
fn name(names: &[String], id: u32) -> &str {
    names.get(id as usize).map_or("", String::as_str)
}

/// Past this many entries the cache of tokens seen starts again, bounding
/// memory; ids stay valid.
const SEEN_LIMIT: usize = 200_000;

impl Default for Tokenizer {
    fn default() -> Self {
        let mut tokenizer = Tokenizer::bare();
        tokenizer.learn_concepts();
        tokenizer
    }
}

impl Tokenizer {
    fn bare() -> Self {
        Tokenizer {
            stemmer: Stemmer::create(Algorithm::English),
            seen: TokenCache::default(),
            terms: Interner::default(),
            surfaces: Interner::default(),
            word: String::new(),
            lower: String::new(),
            cjk: Vec::new(),
            pair: String::new(),
            phrases: HashMap::default(),
            concept_of: Vec::new(),
            concepts: Vec::new(),
        }
    }

    /// Reads every concept's triggers, so that [`Tokenizer::concept`]
    /// knows the terms that name one. A trigger whose words the tokenizer
    /// would drop (a stop word, a number) or of more than two words could
    /// never be matched whole and is skipped rather than matched in part.
    fn learn_concepts(&mut self) {
        for (index, concept) in CONCEPTS.iter().enumerate() {
            let term = self.terms.id(&format!("~{}", concept.label));
            // A surface of its own: a phrase written like the label ("disk
            // full") is another term, and a surface reads as one term.
            let surface = self.surfaces.fresh(concept.label);
            self.concepts.push(Ids { term, surface });
            for trigger in concept.triggers {
                let mut ids = Vec::new();
                self.tokenize(trigger, |t| ids.push(t));
                let words: Vec<&str> = trigger
                    .split(|c: char| !c.is_alphanumeric() && c != '_')
                    .filter(|w| !w.is_empty())
                    .collect();
                if ids.len() != words.len() {
                    continue;
                }
                // A word is a stem when written plainly and kept whole when
                // written as a technical token ("CoreDNS"): both name it.
                let forms = |i: usize, this: &Self| -> Vec<String> {
                    let stem = ids.get(i).map_or("", |t| name(&this.terms.names, t.term));
                    let whole = words.get(i).map_or(String::new(), |w| w.to_lowercase());
                    if stem == whole { vec![whole] } else { vec![stem.to_string(), whole] }
                };
                let names: Vec<String> = match words.len() {
                    1 => forms(0, self),
                    2 => {
                        let (first, second) = (forms(0, self), forms(1, self));
                        first
                            .iter()
                            .flat_map(|a| second.iter().map(move |b| format!("{a} {b}")))
                            .collect()
                    }
                    _ => Vec::new(),
                };
                for named in names {
                    let at = self.terms.id(&named) as usize;
                    if self.concept_of.len() <= at {
                        self.concept_of.resize(at + 1, 0);
                    }
                    if let Some(slot) = self.concept_of.get_mut(at) {
                        *slot = index as u16 + 1;
                    }
                }
            }
        }
    }

    /// The concept a term names, as a token of its own.
    pub(crate) fn concept(&self, term: u32) -> Option<Ids> {
        let index = usize::from(*self.concept_of.get(term as usize)?);
        self.concepts.get(index.checked_sub(1)?).copied()
    }
}

impl Tokenizer {
    /// Calls `emit` with each token of `text`, in order.
    pub(crate) fn tokenize(&mut self, text: &str, mut emit: impl FnMut(Ids)) {
        self.tokenize_cut(
            text,
            |_| false,
            |t| {
                if let Some(t) = t {
                    emit(t);
                }
            },
        );
    }

    /// Calls `emit` with each token of `text`, in order, and with `None`
    /// at every byte `cut` is true of: the tokens of the pieces the text
    /// is cut into at those bytes, read in one pass. `cut` is asked only
    /// of ASCII bytes that are not word characters, which end a token
    /// anyway.
    pub(crate) fn tokenize_cut(
        &mut self,
        text: &str,
        cut: impl Fn(u8) -> bool,
        mut emit: impl FnMut(Option<Ids>),
    ) {
        // The word being read is a slice of `text` from `start`, until a
        // character in it has to change (full-width folding); from then on
        // it is copied into `self.word`.
        let mut start: Option<usize> = None;
        let bytes = text.as_bytes();
        let mut at = 0;
        while let Some(rest @ &[byte, ..]) = bytes.get(at..) {
            // Most text is ASCII: no width to fold, no CJK to pair, and a
            // run of word characters is taken whole rather than decoded
            // character by character.
            if byte.is_ascii() {
                if is_ascii_word(byte) {
                    let end =
                        at + rest.iter().position(|&b| !is_ascii_word(b)).unwrap_or(rest.len());
                    self.flush_cjk(&mut emit);
                    if start.is_none() {
                        if self.word.is_empty() {
                            start = Some(at);
                        } else {
                            self.word.push_str(between(text, at, end));
                        }
                    }
                    at = end;
                } else {
                    // A run of ASCII that is no word (spaces, marks) ends
                    // the word and the CJK run being read at its start, and
                    // is cut at each byte `cut` is true of.
                    let end = at
                        + rest
                            .iter()
                            .position(|&b| !b.is_ascii() || is_ascii_word(b))
                            .unwrap_or(rest.len());
                    self.end_word(text, &mut start, at, &mut emit);
                    self.flush_cjk(&mut emit);
                    for &b in bytes.get(at..end).unwrap_or_default() {
                        if cut(b) {
                            emit(None);
                        }
                    }
                    at = end;
                }
                continue;
            }
            let Some(c) = between(text, at, text.len()).chars().next() else { break };
            let folded = fold_width(c);
            if is_cjk(folded) {
                self.end_word(text, &mut start, at, &mut emit);
                self.cjk.push(folded);
            } else if folded.is_alphanumeric() || folded == '_' {
                self.flush_cjk(&mut emit);
                match start {
                    Some(_) if folded == c => {}
                    None if folded == c && self.word.is_empty() => start = Some(at),
                    _ => {
                        if let Some(from) = start.take() {
                            self.word.push_str(between(text, from, at));
                        }
                        self.word.push(folded);
                    }
                }
            } else {
                self.end_word(text, &mut start, at, &mut emit);
                self.flush_cjk(&mut emit);
            }
            at += c.len_utf8();
        }
        self.end_word(text, &mut start, text.len(), &mut emit);
        self.flush_cjk(&mut emit);
    }

    /// The phrase two adjacent tokens make ("connection pool"): its term
    /// is the two terms with a space between, its surface the two
    /// surfaces. `None` when either token is a CJK character pair, which
    /// already joins two characters.
    pub(crate) fn phrase(&mut self, a: Ids, b: Ids) -> Option<Ids> {
        let key = u64::from(a.surface) << 32 | u64::from(b.surface);
        if let Some(&ids) = self.phrases.get(&key) {
            return ids;
        }
        if self.phrases.len() >= SEEN_LIMIT {
            self.phrases.clear();
        }
        let (ta, tb) = (name(&self.terms.names, a.term), name(&self.terms.names, b.term));
        let cjk = |t: &str| t.chars().next().is_some_and(is_cjk);
        let ids = if cjk(ta) || cjk(tb) || ta.is_empty() || tb.is_empty() {
            None
        } else {
            let term = format!("{ta} {tb}");
            let surface = format!(
                "{} {}",
                name(&self.surfaces.names, a.surface),
                name(&self.surfaces.names, b.surface)
            );
            Some(Ids { term: self.terms.id(&term), surface: self.surfaces.id(&surface) })
        };
        self.phrases.insert(key, ids);
        ids
    }

    /// Every term met, then every surface met, each indexed by its id.
    pub(crate) fn into_names(self) -> (Vec<String>, Vec<String>) {
        (self.terms.names, self.surfaces.names)
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
        // An HTTP error status ("429", "503") says what clients saw; other
        // bare numbers are counts, times and dates.
        let status =
            len == 3 && raw.starts_with(['4', '5']) && raw.bytes().all(|b| b.is_ascii_digit());
        if (letters == 0 && !status) || len < 2 {
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
        self.seen.insert(raw, ids);
        ids
    }

    /// Emits the word being read, if any, which ends before `end`.
    fn end_word(
        &mut self,
        text: &str,
        start: &mut Option<usize>,
        end: usize,
        emit: &mut impl FnMut(Option<Ids>),
    ) {
        let ids = if let Some(from) = start.take() {
            self.ids_of(trim_underscores(between(text, from, end)))
        } else if !self.word.is_empty() {
            let word = std::mem::take(&mut self.word);
            let ids = self.ids_of(trim_underscores(&word));
            self.word = word;
            self.word.clear();
            ids
        } else {
            None
        };
        if ids.is_some() {
            emit(ids);
        }
    }

    /// Emits the CJK run being read, if any. Called at every word, so the
    /// usual case, no run, is kept apart and small enough to inline.
    #[inline]
    fn flush_cjk(&mut self, emit: &mut impl FnMut(Option<Ids>)) {
        if !self.cjk.is_empty() {
            self.emit_cjk_run(emit);
        }
    }

    /// Emits the CJK run being read as character pairs.
    fn emit_cjk_run(&mut self, emit: &mut impl FnMut(Option<Ids>)) {
        let (cjk, mut pair) = (std::mem::take(&mut self.cjk), std::mem::take(&mut self.pair));
        // A lone Han or Kana character between other words is nearly always
        // a conjunction or particle (和, の); a lone Hangul syllable can be a
        // word.
        if let [c] = cjk[..] {
            if is_hangul(c) {
                pair.clear();
                pair.push(c);
                emit(Some(self.pair_ids(&pair)));
            }
        }
        for two in cjk.windows(2) {
            pair.clear();
            pair.extend(two);
            if CJK_STOP_BIGRAMS.binary_search(&pair.as_str()).is_err() {
                emit(Some(self.pair_ids(&pair)));
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

#[cfg(test)]
mod tests;
