//! The search index the header's search box reads: a small manifest and
//! files it loads only as a query needs them (see [`shards`]).
//!
//! Part of the render stage. Input: the incidents (title, summary, services,
//! tags) and the body's plain text, handed over by each incident's page as
//! it renders ([`SearchTokens`]). Output: the files under `search/`.
//! Imports: model, text and the render views.
//!
//! Why a compact index of our own rather than elasticlunr-rs (the format
//! mdBook and Zola ship): elasticlunr stores every field's full text and a
//! trie per field, and its CJK support comes from per-language dictionaries
//! (jieba, lindera) that would add megabytes to the binary and still miss
//! mixed-script text. Here each document contributes weighted term counts
//! to one inverted index; CJK runs are indexed as overlapping character
//! bigrams ([`crate::text`]), a language-agnostic scheme that finds Chinese,
//! Japanese and Korean words without a dictionary.

mod shards;

use std::sync::{Mutex, OnceLock};

use foldhash::HashMap as TokenMap;

use rayon::prelude::*;

use super::OutputFile;
use super::views::Row;
use crate::model::Incident;
use crate::text::{TokenCache, for_each_token};

/// Weight of a token by the field it occurs in.
const WEIGHT_TITLE: u32 = 8;
const WEIGHT_TERMS: u32 = 6;
const WEIGHT_SUMMARY: u32 = 3;
const WEIGHT_BODY: u32 = 1;

/// In archives of at least this many incidents, words found in more than
/// half of them keep only their title, service, tag and summary postings
/// and are listed in `stop`: body occurrences of such words rank nothing
/// and were half the size of a 10,000-incident index.
const STOP_MIN_DOCS: usize = 100;

/// Weights are capped so one word repeated through a long body cannot
/// outrank a title match; the two bits above the weight say the token is
/// in the title ([`IN_TITLE`]) or the summary ([`IN_SUMMARY`]). The search
/// box doubles the score of an incident whose title holds the whole query
/// (1.3× for the summary): the bits tell it which incidents can, so it
/// reads the titles of those alone.
const MAX_WEIGHT: u32 = 60;
const IN_TITLE: u8 = 64;
const IN_SUMMARY: u8 = 128;

/// Where a token was read, for its weight and flags.
#[derive(Clone, Copy)]
enum Field {
    Title,
    Terms,
    Summary,
    Body,
}

impl Field {
    fn weight(self) -> u32 {
        match self {
            Field::Title => WEIGHT_TITLE,
            Field::Terms => WEIGHT_TERMS,
            Field::Summary => WEIGHT_SUMMARY,
            Field::Body => WEIGHT_BODY,
        }
    }

    fn flag(self) -> u8 {
        match self {
            Field::Title => IN_TITLE,
            Field::Summary => IN_SUMMARY,
            Field::Terms | Field::Body => 0,
        }
    }
}

/// A document's tokens as the collector keeps them: (token id, weight
/// from title, services, tags and summary with the [`IN_TITLE`] and
/// [`IN_SUMMARY`] bits, weight from the body). Weights are capped at
/// [`MAX_WEIGHT`], so a byte holds them.
type DocTokens = Vec<(u32, u8, u8)>;

/// Gathers each incident's search tokens while its page renders (the page
/// parses the body anyway, and hands over its plain text), then writes
/// the `search/` files from them. Tokens are interned, so a document's list
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
    known: TokenCache<u32>,
    /// Per token id, its place in `doc`, or `u32::MAX` when it has none.
    place: Vec<u32>,
    /// The document being read: (token id, weight from title, services,
    /// tags and summary, weight from the body, field bits).
    doc: Vec<(u32, u32, u32, u8)>,
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
            self.known.insert(token, id);
        }
        id
    }

    /// Counts token `id`, read in `field`, in the document being read.
    fn count(&mut self, id: u32, field: Field) {
        if self.place.len() <= id as usize {
            self.place.resize(id as usize + 1, u32::MAX);
        }
        let Some(place) = self.place.get_mut(id as usize) else { return };
        if *place == u32::MAX {
            *place = self.doc.len() as u32;
            self.doc.push((id, 0, 0, 0));
        }
        if let Some(entry) = self.doc.get_mut(*place as usize) {
            let weights = if matches!(field, Field::Body) { &mut entry.2 } else { &mut entry.1 };
            *weights = (*weights + field.weight()).min(MAX_WEIGHT);
            entry.3 |= field.flag();
        }
    }

    /// The document read, weights capped to a byte; the worker is ready
    /// for the next one.
    fn take_document(&mut self) -> DocTokens {
        let place = &mut self.place;
        self.doc
            .drain(..)
            .map(|(id, meta, body, flags)| {
                if let Some(slot) = place.get_mut(id as usize) {
                    *slot = u32::MAX;
                }
                (id, byte(meta) | flags, byte(body))
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
        let mut read = |text: &str, field: Field| {
            for_each_token(text, |token| {
                let id = w.id(&self.ids, token);
                w.count(id, field);
            })
        };
        read(&incident.title, Field::Title);
        for term in incident.services.iter().chain(&incident.tags) {
            read(term, Field::Terms);
        }
        read(&incident.summary, Field::Summary);
        read(body_text, Field::Body);
        let _ = slot.set(w.take_document());
    }

    /// The files of the index; `rows` are the incidents' list rows, in the
    /// same order.
    pub(crate) fn into_files(self, rows: &[Row]) -> Vec<OutputFile> {
        let ids = self.ids.into_inner().unwrap_or_else(|e| e.into_inner());
        let mut tokens: Vec<(String, u32)> = ids.into_iter().collect();
        let mut postings: Vec<Postings> = vec![Vec::new(); tokens.len()];
        for (doc, list) in self.docs.into_iter().enumerate() {
            let doc = u32::try_from(doc).unwrap_or(u32::MAX);
            for (id, meta, body) in list.into_inner().unwrap_or_default() {
                if let Some(p) = postings.get_mut(id as usize) {
                    p.push((doc, meta, body));
                }
            }
        }
        // The order the browser compares strings in (UTF-16 code units),
        // so its binary searches agree with the shards' boundaries.
        tokens.par_sort_unstable_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
        let postings: Vec<(String, Postings)> = tokens
            .into_iter()
            .map(|(token, id)| {
                let list = postings.get_mut(id as usize).map(std::mem::take).unwrap_or_default();
                (token, list)
            })
            .collect();
        shards::files(flat_postings(postings, rows.len()), rows)
    }
}

fn byte(weight: u32) -> u8 {
    u8::try_from(weight.min(MAX_WEIGHT)).unwrap_or(u8::MAX)
}

/// One token's postings: (document, weight from title, services, tags and
/// summary with the field bits, weight from the body), in archive order.
type Postings = Vec<(u32, u8, u8)>;

/// What the index holds of each token, and the stop words.
pub(super) struct Terms {
    /// Token → flat postings `[doc gap, weight and bits, doc gap, ...]`,
    /// doc indices delta-encoded so most gaps are one or two digits; in
    /// UTF-16 order.
    terms: Vec<(String, Vec<u32>)>,
    /// Tokens most documents have in their body, indexed only where they
    /// occur in titles, services, tags or summaries; queries treat them as
    /// optional rather than required.
    stop: Vec<String>,
}

/// Every token's flat postings, stop words set aside.
fn flat_postings(mut postings: Vec<(String, Postings)>, documents: usize) -> Terms {
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
                let bits = meta & (IN_TITLE | IN_SUMMARY);
                let weight =
                    (u32::from(meta & !(IN_TITLE | IN_SUMMARY)) + u32::from(body)).min(MAX_WEIGHT);
                flat.push(weight | u32::from(bits));
                last = doc;
            }
            (token, flat)
        })
        .collect();
    Terms { terms, stop }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workers_share_token_ids_and_start_each_document_empty() {
        let shared = Mutex::new(TokenMap::default());
        let (mut a, mut b) = (Worker::default(), Worker::default());
        let pool = a.id(&shared, "pool");
        assert_eq!(a.id(&shared, "pool"), pool, "remembered");
        assert_eq!(b.id(&shared, "pool"), pool, "one id for every worker");
        assert_ne!(b.id(&shared, "dns"), pool);
        for _ in 0..20 {
            a.count(pool, Field::Title);
        }
        a.count(pool, Field::Body);
        assert_eq!(a.take_document(), vec![(pool, MAX_WEIGHT as u8 | IN_TITLE, 1)], "capped");
        a.count(pool, Field::Body);
        assert_eq!(a.take_document(), vec![(pool, 0, 1)], "nothing left from before");
    }
}
