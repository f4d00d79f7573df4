//! Reading incidents into terms, the first half of the text features:
//! each write-up's parts weighted by what they are (title, summary, cause,
//! the rest), cut into sentences, tokenized into stemmed words, two-word
//! phrases and failure concepts, and counted.
//!
//! Inputs: a run of incidents, read by one tokenizer. Outputs: a
//! [`Chunk`] of weighted term counts per incident in that tokenizer's
//! ids, with the terms and written forms behind them; and each title's
//! words. Imports: model, sections, and the stage's tokenizer.

use crate::model::Incident;
use crate::related::tokenizer::{Ids, Tokenizer};
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
/// A concept's weight per mention, relative to a word's: a concept
/// stands for the mechanism, which is what a recurrence shares.
const CONCEPT_WEIGHT: f32 = 4.0;

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
    // Field lines, the file names links to other write-ups give and the
    // write-up's own list of related incidents are cut out: their words
    // are the template's and other files', not what the write-up says (a
    // configuration push that lists an "Earlier cert incident" is not a
    // certificate expiry). The links themselves are the link signal's.
    let mut fields = field_lines(incident);
    fields.extend(doc.outline.link_destinations.iter().cloned());
    // Tags written in the prose (`<br>`, `<sup>`): markup, not words.
    fields.extend(doc.outline.inline_tags.iter().cloned());
    fields.extend(doc.outline.related_spans.iter().cloned());
    // A bare address in the text (a dashboard, a ticket) is cut out too:
    // its pieces (`https`, `com`, the company's domain) are in every
    // write-up that links anywhere, and never what failed.
    fields.extend(bare_addresses(text.get(doc.body.clone()).unwrap_or_default(), doc.body.start));
    fields.sort_by_key(|r| r.start);
    // The parts come in order: holes wholly before one are before every
    // later one, and are passed over once, however many parts there are.
    let mut first_hole = 0;
    let mut push = |range: std::ops::Range<usize>, role: Option<Role>| {
        let behind = fields.get(first_hole..).unwrap_or_default();
        first_hole += behind.iter().take_while(|h| h.end <= range.start).count();
        let holes = fields.get(first_hole..).unwrap_or_default();
        let holes = holes.get(..holes.partition_point(|h| h.start < range.end)).unwrap_or_default();
        for piece in without(range, holes) {
            if let Some(part) = text.get(piece).filter(|p| !p.trim().is_empty()) {
                out.push((part, role_weight(role)));
            }
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

/// Where `text` (which starts at byte `offset` of its file) writes a web
/// address: from `http://`, `https://` or `www.` at the start of a word to
/// the next space or bracket that closes it, as `(https://…)` and
/// `<https://…>` write one. An address inside another is part of it.
///
/// Every write-up is searched: the marks `://` and `www.` are found with
/// a vectorised search, where a scan stopped at every `h` and `w` was a
/// tenth of reading the words (the tests hold it to that scan).
fn bare_addresses(text: &str, offset: usize) -> Vec<std::ops::Range<usize>> {
    use memchr::memmem;
    let bytes = text.as_bytes();
    let starts_a_word =
        |at: usize| at == 0 || bytes.get(at - 1).is_none_or(|b| !b.is_ascii_alphanumeric());
    let schemes = memmem::find_iter(bytes, b"://").filter_map(|colon| {
        let at = [b"https".as_slice(), b"http"].iter().find_map(|scheme| {
            let at = colon.checked_sub(scheme.len())?;
            (bytes.get(at..colon) == Some(scheme)).then_some(at)
        })?;
        starts_a_word(at).then_some(at)
    });
    let hosts = memmem::find_iter(bytes, b"www.").filter(|&at| starts_a_word(at));
    let mut starts: Vec<usize> = schemes.chain(hosts).collect();
    starts.sort_unstable();
    let mut found = Vec::new();
    let mut from = 0;
    for start in starts {
        if start < from {
            continue;
        }
        let end = bytes
            .get(start..)
            .unwrap_or_default()
            .iter()
            .position(|&b| b.is_ascii_whitespace() || matches!(b, b')' | b'>' | b']' | b'"' | b'|'))
            .map_or(bytes.len(), |n| start + n);
        found.push(offset + start..offset + end);
        from = end.max(start + 1);
    }
    found
}

/// The lines of the body that hold fields rather than prose: the labelled
/// lines a body opens with (`**Severity:** Sev 2`), standing in for front
/// matter or beside it. Their words are the template's ("severity",
/// "date"), and their values are compared as fields.
fn field_lines(incident: &Incident) -> Vec<std::ops::Range<usize>> {
    let text = incident.doc.source.text.as_str();
    // In order, as the offsets are.
    incident
        .doc
        .field_lines()
        .into_iter()
        .map(|at| at..text.get(at..).and_then(|t| t.find('\n')).map_or(text.len(), |n| at + n))
        .collect()
}

/// `range` less `holes` (sorted by start; they may overlap), as the pieces
/// left.
fn without(
    range: std::ops::Range<usize>,
    holes: &[std::ops::Range<usize>],
) -> Vec<std::ops::Range<usize>> {
    let mut pieces = Vec::new();
    let mut at = range.start;
    for hole in holes.iter().filter(|h| h.start < range.end && h.end > range.start) {
        if hole.start > at {
            pieces.push(at..hole.start);
        }
        at = at.max(hole.end);
    }
    if at < range.end {
        pieces.push(at..range.end);
    }
    pieces
}

/// True for a byte that ends a sentence or a table cell: phrases are never
/// made across it. All are ASCII, which never occurs inside a multi-byte
/// UTF-8 character, so the text can be cut there byte by byte (CJK text
/// is compared by character pairs and makes no phrases anyway).
fn ends_phrase(b: u8) -> bool {
    matches!(b, b'\n' | b'.' | b';' | b':' | b'!' | b'?' | b'|' | b'(' | b')' | b'`')
}

/// `text` cut at every [`ends_phrase`] byte: the definition of what
/// [`Tokenizer::tokenize_cut`] reads in one pass.
#[cfg(test)]
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

/// One incident's terms, in the ids of the tokenizer that read it.
#[derive(Debug, Default)]
pub(super) struct RawTerms {
    /// `(term, weighted count)`, sorted by term.
    pub(super) terms: Vec<(u32, f32)>,
}

fn raw_terms(
    tokenizer: &mut Tokenizer,
    incident: &Incident,
    tally: &mut Tally,
    words: &mut Vec<Option<Ids>>,
) -> RawTerms {
    // The words of an incident's own service names are left out: sharing a
    // service is the service signal's business, and counting it again here
    // made incidents on one service look alike whatever broke.
    let mut own: Vec<u32> = Vec::new();
    for service in &incident.services {
        tokenizer.tokenize(service, |t| own.push(t.term));
    }
    for (text, weight) in segments(incident) {
        // Tokens, and `None` where a sentence or a table cell ends.
        words.clear();
        tokenizer.tokenize_cut(text, ends_phrase, |t| words.push(t));
        let mut previous: Option<Ids> = None;
        for &t in words.iter() {
            let Some(t) = t else {
                previous = None;
                continue;
            };
            let concept_weight = weight * CONCEPT_WEIGHT;
            // A service's own word still names a mechanism: a service called
            // `flags` or `dns` must not hide the failure its write-up names.
            if let Some(c) = tokenizer.concept(t.term) {
                tally.add(c, concept_weight);
            }
            if own.contains(&t.term) {
                previous = None;
                continue;
            }
            tally.add(t, weight);
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
    RawTerms { terms: tally.take_terms() }
}

/// A title's words, lower-cased, a plural `s` dropped, as sorted distinct
/// hashes: "All services returning 503" and "All service returning 503s"
/// are the same title.
pub(super) fn title_words(title: &str) -> Vec<u64> {
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
    /// Per surface, `(its term, times written)` over the run. A surface
    /// is always read as the same term (see [`Tokenizer`]), so counting
    /// by surface is a store, where a list of surfaces per term was a
    /// search on every word.
    written: Vec<(u32, u32)>,
}

impl Tally {
    fn add(&mut self, t: Ids, weight: f32) {
        let term = t.term as usize;
        if self.tf.len() <= term {
            self.tf.resize(term + 1, 0.0);
        }
        if let Some(tf) = self.tf.get_mut(term) {
            if *tf == 0.0 {
                self.present.push(t.term);
            }
            // Summed in the order the words are written, the same every run.
            *tf += weight;
        }
        let surface = t.surface as usize;
        if self.written.len() <= surface {
            self.written.resize(surface + 1, (0, 0));
        }
        if let Some((term, n)) = self.written.get_mut(surface) {
            debug_assert!(*n == 0 || *term == t.term, "a surface reads as one term");
            *term = t.term;
            *n += 1;
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

    /// `(term, surface, times written)` over the run, by surface.
    fn into_written(self) -> Vec<(u32, u32, u32)> {
        let per_surface = self.written.into_iter().enumerate();
        per_surface.filter(|(_, (_, n))| *n > 0).map(|(s, (term, n))| (term, s as u32, n)).collect()
    }
}

/// What one tokenizer made of a run of incidents.
pub(super) struct Chunk {
    pub(super) raws: Vec<RawTerms>,
    /// Per local term id, the term.
    pub(super) terms: Vec<String>,
    /// Per local surface id, the surface.
    pub(super) surfaces: Vec<String>,
    /// `(term, surface, times written)` over the whole run, by surface.
    pub(super) written: Vec<(u32, u32, u32)>,
}

pub(super) fn read_chunk(incidents: &[Incident], stop: &(dyn Fn() -> bool + Sync)) -> Chunk {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn web_addresses_are_found_to_their_end() {
        let text = "See https://grafana.example.com/d/x?a=1 and (http://wiki.x/p), <www.y.org>.\n\
                    A https:// typo, awww.no, shttps://no";
        let found: Vec<&str> = bare_addresses(text, 0).into_iter().map(|r| &text[r]).collect();
        let want =
            ["https://grafana.example.com/d/x?a=1", "http://wiki.x/p", "www.y.org", "https://"];
        assert_eq!(found, want);
        let shifted = bare_addresses("x www.a.b", 100);
        assert_eq!(shifted, vec![std::ops::Range { start: 102, end: 109 }]);
    }

    /// The definition [`bare_addresses`] is held to: scan for each `h`
    /// and `w`, and ask whether an address starts there.
    fn bare_addresses_by_scan(text: &str) -> Vec<std::ops::Range<usize>> {
        let bytes = text.as_bytes();
        let starts_a_word =
            |at: usize| at == 0 || bytes.get(at - 1).is_none_or(|b| !b.is_ascii_alphanumeric());
        let mut found = Vec::new();
        let mut at = 0;
        while at < bytes.len() {
            let rest = &bytes[at..];
            let address = rest.starts_with(b"http://")
                || rest.starts_with(b"https://")
                || rest.starts_with(b"www.");
            if !(address && starts_a_word(at)) {
                at += 1;
                continue;
            }
            let end = rest
                .iter()
                .position(|&b| {
                    b.is_ascii_whitespace() || matches!(b, b')' | b'>' | b']' | b'"' | b'|')
                })
                .map_or(bytes.len(), |n| at + n);
            found.push(at..end);
            at = end.max(at + 1);
        }
        found
    }

    #[test]
    fn web_addresses_are_found_as_a_scan_finds_them() {
        let pieces = [
            "https://a.b/c",
            "http://x",
            "www.y.z",
            "awww.q",
            "shttps://n",
            "https://www.in.side",
            "(https://p.q)",
            "<www.r.s>",
            "://",
            "http:/",
            "www",
            "wwww.t",
            " ",
            "\n",
            "|",
            "日本",
            "https://",
            "ahttp://u",
        ];
        // Every sequence of three pieces, and of each piece twice.
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    let text = format!("{a}{b} {c}{a}");
                    assert_eq!(bare_addresses(&text, 0), bare_addresses_by_scan(&text), "{text:?}");
                }
            }
        }
    }

    #[test]
    fn holes_are_cut_out_of_a_range() {
        assert_eq!(without(0..10, &[]), vec![0..10]);
        assert_eq!(without(0..10, &[2..4, 6..7]), [0..2, 4..6, 7..10]);
        assert_eq!(without(3..10, &[0..4, 9..12]), vec![4..9]);
        let everything = [std::ops::Range { start: 0, end: 12 }];
        assert!(without(3..5, &everything).is_empty());
    }

    #[test]
    fn sentences_end_at_punctuation_and_table_cells() {
        let cut: Vec<&str> = sentences("Pool full. Then: a | b\n日本。x").collect();
        assert_eq!(cut, ["Pool full", " Then", " a ", " b", "日本。x"]);
    }

    #[test]
    fn tokens_cut_in_one_pass_are_the_tokens_of_each_sentence() {
        let text = "Pool full. max_connections: _x_ | Ｆｕｌｌ　width;解析失败 (CoreDNS)`a`\nb";
        let mut tokenizer = Tokenizer::default();
        let mut each: Vec<Option<Ids>> = Vec::new();
        for (n, sentence) in sentences(text).enumerate() {
            if n > 0 {
                each.push(None);
            }
            tokenizer.tokenize(sentence, |t| each.push(Some(t)));
        }
        // `sentences` drops a last, empty piece that the cut still marks.
        let mut one_pass: Vec<Option<Ids>> = Vec::new();
        tokenizer.tokenize_cut(text, ends_phrase, |t| one_pass.push(t));
        while one_pass.len() > each.len() && one_pass.last() == Some(&None) {
            one_pass.pop();
        }
        assert_eq!(one_pass, each);
        assert!(each.iter().filter(|t| t.is_some()).count() > 6);
    }
}
