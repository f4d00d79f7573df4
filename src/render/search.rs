//! `search-index.js`: the full-text index the search box loads on demand.
//!
//! Part of the render stage. Input: the incidents (title, summary, services,
//! tags) and the body's plain text, handed over by each incident's page as
//! it renders ([`SearchTokens`]). Output: one script that sets
//! `window.hindsightSearchIndex`. Imports: model and the render views.
//!
//! Why a compact index of our own rather than elasticlunr-rs (the format
//! mdBook and Zola ship): elasticlunr stores every field's full text and a
//! trie per field, and its CJK support comes from per-language dictionaries
//! (jieba, lindera) that would add megabytes to the binary and still miss
//! mixed-script text. Here each document contributes weighted term counts
//! to one inverted index; CJK runs are indexed as overlapping character
//! bigrams, a language-agnostic scheme that finds Chinese, Japanese and
//! Korean words without a dictionary. Only the title and a short summary
//! are stored for display, so the file stays small for 10,000 incidents.
//!
//! The file is a script defining a global, not JSON, because browsers block
//! `fetch` of local files: a `<script src>` works from `file://` too.
//! `themes/default/static/search.js` tokenizes queries exactly as
//! [`for_each_token`] does.

use std::collections::BTreeMap;
use std::sync::{Mutex, OnceLock};

use foldhash::HashMap as TokenMap;

use rayon::prelude::*;
use serde::Serialize;

use super::views::Row;
use crate::model::Incident;

/// The global the script defines.
const GLOBAL: &str = "hindsightSearchIndex";

/// Weight of a token by the field it occurs in.
const WEIGHT_TITLE: u32 = 8;
const WEIGHT_TERMS: u32 = 6;
const WEIGHT_SUMMARY: u32 = 3;
const WEIGHT_BODY: u32 = 1;

/// Summaries are cut to this many characters in the index: enough for a
/// result snippet, small enough for large archives.
const SUMMARY_CHARS: usize = 160;

/// Tokens longer than this are hashes, ids or base64: not worth indexing.
const MAX_TOKEN_CHARS: usize = 32;

/// In archives of at least this many incidents, words found in more than
/// half of them keep only their title, service, tag and summary postings
/// and are listed in `stop`: body occurrences of such words rank nothing
/// and were half the size of a 10,000-incident index.
const STOP_MIN_DOCS: usize = 100;

/// Weights are capped so one word repeated through a long body cannot
/// outrank a title match.
const MAX_WEIGHT: u32 = 60;

/// True for characters written without spaces between words (Han, kana,
/// Hangul), which are indexed as bigrams. The same ranges are in search.js.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30FF}'   // Hiragana, Katakana
        | '\u{3400}'..='\u{4DBF}' // CJK Extension A
        | '\u{4E00}'..='\u{9FFF}' // CJK Unified Ideographs
        | '\u{AC00}'..='\u{D7AF}' // Hangul syllables
        | '\u{F900}'..='\u{FAFF}' // CJK Compatibility Ideographs
        | '\u{20000}'..='\u{2FFFF}' // CJK Extensions B and later
    )
}

/// Calls `f` with every search token of `text`: lower-cased runs of
/// letters and digits of at least two characters, and for CJK runs every
/// pair of neighbouring characters (a lone CJK character is its own token).
pub(crate) fn for_each_token(text: &str, mut f: impl FnMut(&str)) {
    let mut word = String::new();
    // Characters in `word`: most text is ASCII, where this equals its length.
    let mut word_chars = 0;
    let mut cjk: Vec<char> = Vec::new();
    let mut buf = String::new();
    let flush_word = |word: &mut String, chars: &mut usize, f: &mut dyn FnMut(&str)| {
        if (2..=MAX_TOKEN_CHARS).contains(chars) {
            f(word);
        }
        word.clear();
        *chars = 0;
    };
    let flush_cjk = |cjk: &mut Vec<char>, buf: &mut String, f: &mut dyn FnMut(&str)| {
        if let [only] = cjk.as_slice() {
            buf.clear();
            buf.push(*only);
            f(buf);
        }
        for pair in cjk.windows(2) {
            buf.clear();
            buf.extend(pair);
            f(buf);
        }
        cjk.clear();
    };
    let mut rest = text;
    while let Some(&first) = rest.as_bytes().first() {
        // A run of ASCII letters and digits is taken whole: most text is
        // made of them.
        if first.is_ascii_alphanumeric() {
            let run = rest.bytes().position(|b| !b.is_ascii_alphanumeric()).unwrap_or(rest.len());
            let Some((ascii, after)) = rest.split_at_checked(run) else { break };
            if !cjk.is_empty() {
                flush_cjk(&mut cjk, &mut buf, &mut f);
            }
            // Most runs are a whole lower-case word: handed over as they
            // are, without a copy.
            let whole = word.is_empty() && after.as_bytes().first().is_none_or(u8::is_ascii);
            if whole && !ascii.bytes().any(|b| b.is_ascii_uppercase()) {
                if (2..=MAX_TOKEN_CHARS).contains(&run) {
                    f(ascii);
                }
            } else {
                let from = word.len();
                word.push_str(ascii);
                if let Some(added) = word.get_mut(from..) {
                    added.make_ascii_lowercase();
                }
                word_chars += run;
            }
            rest = after;
            continue;
        }
        if first.is_ascii() {
            if !word.is_empty() {
                flush_word(&mut word, &mut word_chars, &mut f);
            }
            if !cjk.is_empty() {
                flush_cjk(&mut cjk, &mut buf, &mut f);
            }
            rest = rest.get(1..).unwrap_or_default();
            continue;
        }
        let Some(c) = rest.chars().next() else { break };
        rest = rest.get(c.len_utf8()..).unwrap_or_default();
        if is_cjk(c) {
            flush_word(&mut word, &mut word_chars, &mut f);
            cjk.push(c);
        } else if c.is_alphanumeric() {
            flush_cjk(&mut cjk, &mut buf, &mut f);
            // Counted as lower-cased: one letter can lower-case to two.
            for lower in c.to_lowercase() {
                word.push(lower);
                word_chars += 1;
            }
        } else {
            flush_word(&mut word, &mut word_chars, &mut f);
            flush_cjk(&mut cjk, &mut buf, &mut f);
        }
    }
    flush_word(&mut word, &mut word_chars, &mut f);
    flush_cjk(&mut cjk, &mut buf, &mut f);
}

/// One document as results show it: `[url, title, date, severity name,
/// severity class, summary]`; the date is `undated` for an undated incident.
type DocView<'a> = (&'a str, &'a str, &'a str, &'a str, &'a str, String);

#[derive(Serialize)]
struct Index<'a> {
    /// Documents in archive order (newest first).
    docs: Vec<DocView<'a>>,
    /// Tokens most documents have in their body, indexed only where they
    /// occur in titles, services, tags or summaries; queries treat them as
    /// optional rather than required.
    stop: Vec<String>,
    /// Token → flat postings `[doc gap, weight, doc gap, weight, ...]`, doc
    /// indices delta-encoded so most gaps are one or two digits.
    terms: BTreeMap<String, Vec<u32>>,
}

fn truncate_chars(s: &str, n: usize) -> String {
    match s.char_indices().nth(n) {
        Some((at, _)) => format!("{}…", s[..at].trim_end()),
        None => s.to_string(),
    }
}

/// A document's tokens as the collector keeps them: (token id, weight
/// from title, services, tags and summary, weight from the body). Weights
/// are capped at [`MAX_WEIGHT`], so a byte holds them.
type DocTokens = Vec<(u32, u8, u8)>;

/// Gathers each incident's search tokens while its page renders (the page
/// parses the body anyway, and hands over its plain text), then writes
/// `search-index.js` from them. Tokens are interned, so a document's list
/// is a few bytes per word rather than a string each.
pub(crate) struct SearchTokens {
    ids: Mutex<TokenMap<String, u32>>,
    /// One per worker thread, plus one for any other thread: each keeps the
    /// ids of the tokens it has met, so most tokens never take `ids`'s lock.
    workers: Vec<Mutex<Worker>>,
    docs: Vec<OnceLock<DocTokens>>,
}

/// A worker's view of the interned tokens, and its document in progress.
#[derive(Default)]
struct Worker {
    /// Tokens this worker has met, with their ids (up to [`KNOWN_LIMIT`]).
    known: TokenMap<String, u32>,
    /// Per token id, its place in `doc`, or `u32::MAX` when it has none.
    place: Vec<u32>,
    /// The document being read: (token id, weight from title, services,
    /// tags and summary, weight from the body).
    doc: Vec<(u32, u32, u32)>,
}

/// Past this many tokens a worker stops remembering new ones, bounding its
/// memory in archives full of one-off tokens (ids, hashes).
const KNOWN_LIMIT: usize = 1 << 20;

impl Worker {
    /// The id of `token`, from what this worker has met or from the shared
    /// interner `ids`.
    fn id(&mut self, ids: &Mutex<TokenMap<String, u32>>, token: &str) -> u32 {
        if let Some(&id) = self.known.get(token) {
            return id;
        }
        let mut ids = ids.lock().unwrap_or_else(|e| e.into_inner());
        let next = ids.len() as u32;
        let id = *ids.entry(token.to_string()).or_insert(next);
        drop(ids);
        if self.known.len() < KNOWN_LIMIT {
            self.known.insert(token.to_string(), id);
        }
        id
    }

    /// Adds `weight` to token `id` in the document being read, to its body
    /// weight or to its other one.
    fn count(&mut self, id: u32, weight: u32, body: bool) {
        if self.place.len() <= id as usize {
            self.place.resize(id as usize + 1, u32::MAX);
        }
        let Some(place) = self.place.get_mut(id as usize) else { return };
        if *place == u32::MAX {
            *place = self.doc.len() as u32;
            self.doc.push((id, 0, 0));
        }
        if let Some(entry) = self.doc.get_mut(*place as usize) {
            let weights = if body { &mut entry.2 } else { &mut entry.1 };
            *weights = (*weights + weight).min(MAX_WEIGHT);
        }
    }

    /// The document read, weights capped to a byte; the worker is ready
    /// for the next one.
    fn take_document(&mut self) -> DocTokens {
        let place = &mut self.place;
        self.doc
            .drain(..)
            .map(|(id, meta, body)| {
                if let Some(slot) = place.get_mut(id as usize) {
                    *slot = u32::MAX;
                }
                (id, byte(meta), byte(body))
            })
            .collect()
    }
}

impl SearchTokens {
    pub(crate) fn new(documents: usize) -> Self {
        SearchTokens {
            ids: Mutex::new(TokenMap::default()),
            workers: (0..=rayon::current_num_threads()).map(|_| Mutex::default()).collect(),
            docs: (0..documents).map(|_| OnceLock::new()).collect(),
        }
    }

    /// Records the tokens of incident `doc`, whose body's plain text is
    /// `body_text`.
    pub(crate) fn add(&self, doc: usize, incident: &Incident, body_text: &str) {
        let Some(slot) = self.docs.get(doc) else { return };
        let last = self.workers.len().saturating_sub(1);
        let which = rayon::current_thread_index().map_or(last, |i| i.min(last));
        let Some(worker) = self.workers.get(which) else { return };
        let mut worker = worker.lock().unwrap_or_else(|e| e.into_inner());
        let w = &mut *worker;
        let mut read = |text: &str, weight: u32, body: bool| {
            for_each_token(text, |token| {
                let id = w.id(&self.ids, token);
                w.count(id, weight, body);
            })
        };
        read(&incident.title, WEIGHT_TITLE, false);
        for term in incident.services.iter().chain(&incident.tags) {
            read(term, WEIGHT_TERMS, false);
        }
        read(&incident.summary, WEIGHT_SUMMARY, false);
        read(body_text, WEIGHT_BODY, true);
        let _ = slot.set(w.take_document());
    }

    /// The bytes of `search-index.js`; `rows` are the incidents' list rows,
    /// in the same order.
    pub(crate) fn into_index_js(self, rows: &[Row]) -> Vec<u8> {
        let ids = self.ids.into_inner().unwrap_or_else(|e| e.into_inner());
        let mut tokens: Vec<(String, u32)> = ids.into_iter().collect();
        let mut postings: Vec<Postings> = vec![Vec::new(); tokens.len()];
        for (doc, list) in self.docs.into_iter().enumerate() {
            let doc = u32::try_from(doc).unwrap_or(u32::MAX);
            for (id, meta, body) in list.into_inner().unwrap_or_default() {
                if let Some(p) = postings.get_mut(id as usize) {
                    p.push((doc, u32::from(meta), u32::from(body)));
                }
            }
        }
        tokens.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let postings: Vec<(String, Postings)> = tokens
            .into_iter()
            .map(|(token, id)| {
                let list = postings.get_mut(id as usize).map(std::mem::take).unwrap_or_default();
                (token, list)
            })
            .collect();
        index_js(postings, rows)
    }
}

fn byte(weight: u32) -> u8 {
    u8::try_from(weight.min(MAX_WEIGHT)).unwrap_or(u8::MAX)
}

/// One token's postings: (document, weight from title, services, tags and
/// summary, weight from the body), in archive order.
type Postings = Vec<(u32, u32, u32)>;

/// The script from every token's postings, sorted by token.
fn index_js(mut postings: Vec<(String, Postings)>, rows: &[Row]) -> Vec<u8> {
    let documents = rows.len();
    let mut stop = Vec::new();
    if documents >= STOP_MIN_DOCS {
        for (token, list) in &mut postings {
            if list.len() * 2 > documents {
                stop.push(token.clone());
                list.retain(|&(_, meta, _)| meta > 0);
            }
        }
        postings.retain(|(_, list)| !list.is_empty());
    }
    let terms = postings
        .into_iter()
        .map(|(token, list)| {
            let mut flat = Vec::with_capacity(list.len() * 2);
            let mut last = 0;
            for (doc, meta, body) in list {
                flat.push(doc - last);
                flat.push((meta + body).min(MAX_WEIGHT));
                last = doc;
            }
            (token, flat)
        })
        .collect();
    let docs = rows
        .iter()
        .map(|r| {
            (
                r.url.as_str(),
                r.title.as_str(),
                r.date.as_deref().unwrap_or(super::views::UNDATED),
                r.severity.name.as_str(),
                r.severity.class.as_str(),
                truncate_chars(&r.summary, SUMMARY_CHARS),
            )
        })
        .collect();
    let index = Index { docs, stop, terms };
    let mut out = format!("window.{GLOBAL} = ").into_bytes();
    // Serializing maps of strings and numbers cannot fail.
    out.extend(serde_json::to_vec(&index).unwrap_or_default());
    out.extend_from_slice(b";\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        for_each_token(text, |t| out.push(t.to_string()));
        out
    }

    #[test]
    fn latin_words_are_lower_cased_and_single_letters_dropped() {
        assert_eq!(tokens("Connection-Pool a DB"), ["connection", "pool", "db"]);
        assert_eq!(tokens("Überlast in Zürich"), ["überlast", "in", "zürich"]);
    }

    #[test]
    fn cjk_runs_become_bigrams() {
        assert_eq!(tokens("数据库连接"), ["数据", "据库", "库连", "连接"]);
        assert_eq!(tokens("DB数据库 x 池"), ["db", "数据", "据库", "池"]);
        assert_eq!(tokens("タイムアウト"), ["タイ", "イム", "ムア", "アウ", "ウト"]);
    }

    #[test]
    fn token_length_counts_the_lower_cased_characters() {
        // "İ" lower-cases to two characters, so one letter makes a token.
        assert_eq!(tokens("İ"), ["i\u{307}"]);
        assert!(tokens(&"İ".repeat(17)).is_empty(), "34 characters once lower-cased");
    }

    #[test]
    fn workers_share_token_ids_and_start_each_document_empty() {
        let shared = Mutex::new(TokenMap::default());
        let (mut a, mut b) = (Worker::default(), Worker::default());
        let pool = a.id(&shared, "pool");
        assert_eq!(a.id(&shared, "pool"), pool, "remembered");
        assert_eq!(b.id(&shared, "pool"), pool, "one id for every worker");
        assert_ne!(b.id(&shared, "dns"), pool);
        for _ in 0..20 {
            a.count(pool, WEIGHT_TITLE, false);
        }
        a.count(pool, WEIGHT_BODY, true);
        assert_eq!(a.take_document(), vec![(pool, MAX_WEIGHT as u8, 1)], "capped");
        a.count(pool, WEIGHT_BODY, true);
        assert_eq!(a.take_document(), vec![(pool, 0, 1)], "nothing left from before");
    }

    #[test]
    fn words_joined_to_other_scripts_or_in_capitals_are_whole_tokens() {
        assert_eq!(tokens("abcé déf"), ["abcé", "déf"]);
        assert_eq!(tokens("éabc, x1"), ["éabc", "x1"]);
        assert_eq!(tokens("Pool—DB—x"), ["pool", "db"]);
        assert_eq!(tokens("ok数据"), ["ok", "数据"]);
        assert_eq!(tokens("数据ok"), ["数据", "ok"]);
        assert_eq!(tokens("NaN-42"), ["nan", "42"]);
    }

    #[test]
    fn long_tokens_are_skipped() {
        assert!(tokens(&"a".repeat(40)).is_empty());
    }

    #[test]
    fn summaries_are_cut_on_a_char_boundary() {
        assert_eq!(truncate_chars("数据库连接", 2), "数据…");
        assert_eq!(truncate_chars("short", 10), "short");
    }
}
