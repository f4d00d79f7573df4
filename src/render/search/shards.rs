//! The index as files a query loads one by one: the files under `search/`.
//!
//! A reader's search downloads only what answers the query, so the weight
//! of a search stays about the same at 100 or 100,000 incidents:
//!
//! - `search/index.js`, the manifest: the number of incidents, the
//!   severity names, the stop words and the first token of every term file.
//! - `search/t/<n>.js`: tokens in UTF-16 order with their postings, cut
//!   into files of about [`TERM_FILE_BYTES`]; a token, or the run of tokens
//!   sharing a prefix, is found by a binary search of the manifest.
//! - `search/d/<n>.js`: what results show of [`DOCS_PER_FILE`] incidents
//!   in archive order (url, title, date, severity, summary).
//! - `search/s/<n>.js`: the incidents of the manifest's `n`th severity,
//!   for queries naming one ("P1 checkout").
//! - `search/v/<len>.js`: the tokens of `len` UTF-16 units, without
//!   postings: what typo tolerance compares a word no file has with.
//!
//! Every file is a script that adds itself to `self.hindsightSearch`, not
//! JSON, because browsers block `fetch` of local files: a `<script src>`
//! works from `file://` too.

use std::collections::BTreeMap;

use serde::Serialize;

use super::Terms;
use crate::render::OutputFile;
use crate::render::views::{Row, UNDATED};

/// Raw bytes a term file grows to before the next begins (a token with
/// more postings has a file of its own): about 5 KB gzipped.
const TERM_FILE_BYTES: usize = 16_000;

/// Incidents per document file: a query reads the files of its ten results
/// and of the candidates its phrase bonus checks, so small files waste
/// little (16 rows are about 1.3 KB gzipped).
pub(super) const DOCS_PER_FILE: usize = 16;

/// Summaries are cut to this many characters in the index: enough for a
/// result snippet, small enough for large archives.
const SUMMARY_CHARS: usize = 160;

/// One document as results show it: `[url, title, date, severity name,
/// severity class, summary]`; the date is `undated` for an undated incident.
type DocView<'a> = (&'a str, &'a str, &'a str, &'a str, &'a str, String);

#[derive(Serialize)]
struct Manifest<'a> {
    /// Documents in the archive.
    n: usize,
    /// Documents per `d/` file.
    per: usize,
    /// Severity names, lower-cased, in the order of the `s/` files.
    levels: Vec<String>,
    stop: &'a [String],
    /// The first token of each `t/` file.
    t: Vec<&'a str>,
    /// The token lengths that have a `v/` file.
    v: Vec<usize>,
}

/// A term file: tokens in order and their postings, side by side (arrays
/// keep the order an object's keys would not).
#[derive(Serialize)]
struct TermFile<'a> {
    w: Vec<&'a str>,
    p: Vec<&'a [u32]>,
}

/// Every file of the index.
pub(super) fn files(index: Terms, rows: &[Row]) -> Vec<OutputFile> {
    let mut out = Vec::new();
    let groups = term_groups(&index.terms);
    let mut first = Vec::with_capacity(groups.len());
    for (n, group) in groups.iter().enumerate() {
        let Some((token, _)) = group.first() else { continue };
        first.push(token.as_str());
        let file = TermFile {
            w: group.iter().map(|(w, _)| w.as_str()).collect(),
            p: group.iter().map(|(_, p)| p.as_slice()).collect(),
        };
        out.push(script(&format!("t/{n}"), &file));
    }
    for (n, chunk) in rows.chunks(DOCS_PER_FILE).enumerate() {
        let docs: Vec<DocView<'_>> = chunk.iter().map(doc_view).collect();
        out.push(script(&format!("d/{n}"), &docs));
    }
    let levels = severity_docs(rows);
    for (n, docs) in levels.values().enumerate() {
        out.push(script(&format!("s/{n}"), &gaps(docs)));
    }
    let mut by_length: BTreeMap<usize, Vec<&str>> = BTreeMap::new();
    for (token, _) in &index.terms {
        by_length.entry(token.encode_utf16().count()).or_default().push(token);
    }
    for (len, words) in &by_length {
        out.push(script(&format!("v/{len}"), words));
    }
    let manifest = Manifest {
        n: rows.len(),
        per: DOCS_PER_FILE,
        levels: levels.into_keys().collect(),
        stop: &index.stop,
        t: first,
        v: by_length.into_keys().collect(),
    };
    out.push(script("index", &manifest));
    out
}

/// The term files' contents: runs of tokens of about [`TERM_FILE_BYTES`].
fn term_groups(terms: &[(String, Vec<u32>)]) -> Vec<&[(String, Vec<u32>)]> {
    let mut groups = Vec::new();
    let (mut start, mut bytes) = (0, 0);
    for (i, (token, postings)) in terms.iter().enumerate() {
        let size = token.len() + 6 + postings.iter().map(|&n| digits(n) + 1).sum::<usize>();
        if bytes > 0 && bytes + size > TERM_FILE_BYTES {
            groups.extend(terms.get(start..i));
            (start, bytes) = (i, 0);
        }
        bytes += size;
    }
    if start < terms.len() {
        groups.extend(terms.get(start..));
    }
    groups
}

fn digits(n: u32) -> usize {
    n.checked_ilog10().map_or(1, |d| d as usize + 1)
}

/// Each severity name, lower-cased as queries are, with its documents.
fn severity_docs(rows: &[Row]) -> BTreeMap<String, Vec<u32>> {
    let mut levels: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    for (doc, row) in rows.iter().enumerate() {
        let doc = u32::try_from(doc).unwrap_or(u32::MAX);
        levels.entry(row.severity.name.to_lowercase()).or_default().push(doc);
    }
    levels
}

/// Ascending document numbers as the gaps between them.
fn gaps(docs: &[u32]) -> Vec<u32> {
    let mut last = 0;
    docs.iter()
        .map(|&d| {
            let gap = d - last;
            last = d;
            gap
        })
        .collect()
}

fn doc_view(r: &Row) -> DocView<'_> {
    (
        r.url.as_str(),
        r.title.as_str(),
        r.date.as_deref().unwrap_or(UNDATED),
        r.severity.name.as_str(),
        r.severity.class.as_str(),
        truncate_chars(&r.summary, SUMMARY_CHARS),
    )
}

fn truncate_chars(s: &str, n: usize) -> String {
    match s.char_indices().nth(n) {
        Some((at, _)) => format!("{}…", s[..at].trim_end()),
        None => s.to_string(),
    }
}

/// `search/<name>.js`: a script adding `value` to `self.hindsightSearch`
/// under `name`.
fn script(name: &str, value: &impl Serialize) -> OutputFile {
    let mut bytes =
        format!("(self.hindsightSearch=self.hindsightSearch||{{}})[\"{name}\"]=").into_bytes();
    // Serializing strings, numbers and lists of them cannot fail.
    bytes.extend(serde_json::to_vec(value).unwrap_or_default());
    bytes.extend_from_slice(b";\n");
    OutputFile::bytes(format!("search/{name}.js"), bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_are_cut_on_a_char_boundary() {
        assert_eq!(truncate_chars("数据库连接", 2), "数据…");
        assert_eq!(truncate_chars("short", 10), "short");
    }

    #[test]
    fn term_files_keep_tokens_in_order_and_split_by_size() {
        let big = vec![1; TERM_FILE_BYTES];
        let terms: Vec<(String, Vec<u32>)> = vec![
            ("a1".into(), vec![0, 8]),
            ("a2".into(), big.clone()),
            ("b1".into(), vec![3, 1]),
            ("b2".into(), vec![0, 1]),
        ];
        let groups = term_groups(&terms);
        let names: Vec<Vec<&str>> =
            groups.iter().map(|g| g.iter().map(|(t, _)| t.as_str()).collect()).collect();
        assert_eq!(names, [vec!["a1"], vec!["a2"], vec!["b1", "b2"]]);
    }

    #[test]
    fn document_numbers_become_gaps() {
        assert_eq!(gaps(&[0, 3, 4, 10]), [0, 3, 1, 6]);
        assert_eq!(digits(0), 1);
        assert_eq!(digits(10), 2);
    }
}
