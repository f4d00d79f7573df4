//! Diagnostics: content problems found by any stage, with a stable code and,
//! where there is one, a position in a source file.
//!
//! Layer 0: depends on std and serde only. Stages *collect* diagnostics and
//! never return early, so `check` reports every problem of an archive in one
//! run. Rendering to text lives in [`crate::report`].

use std::cmp::Ordering;
use std::ops::Range;
use std::path::{Path, PathBuf};

use rayon::slice::ParallelSliceMut;
use serde::Serialize;

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Information for the reader (a file left out on purpose, an earlier
    /// incident this one resembles); never fails a run, even `--strict`.
    Note,
    /// The file (or the link, or the row) is still usable.
    Warning,
    /// The file cannot be built as written.
    Error,
}

impl Level {
    /// The lowercase word used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Note => "note",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }
}

/// A 1-based line and column (columns counted in chars).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct LineCol {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in chars.
    pub column: usize,
}

/// A problem in the archive's content or configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Warning or error.
    pub level: Level,
    /// Stable code such as `RCA013`; tests assert codes, not wording.
    pub code: &'static str,
    /// One sentence saying what is wrong.
    pub message: String,
    /// The file, relative to the archive root.
    pub file: Option<PathBuf>,
    /// Byte range into the file's original text.
    pub span: Option<Range<usize>>,
    /// Line and column of the span start, resolved when the span was set.
    pub position: Option<LineCol>,
    /// The line the span starts on, as the file read when the span was set
    /// (at most [`EXCERPT_CHARS`] characters): the human format shows it
    /// without reading the file again.
    pub excerpt: Option<String>,
    /// How to fix it, when that is not obvious from the message.
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error with the given code.
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(Level::Error, code, message)
    }

    /// A note with the given code.
    pub fn note(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(Level::Note, code, message)
    }

    /// A warning with the given code.
    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(Level::Warning, code, message)
    }

    fn new(level: Level, code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            level,
            code,
            message: message.into(),
            file: None,
            span: None,
            position: None,
            excerpt: None,
            help: None,
        }
    }

    /// Names the file the problem is in, without a position.
    pub fn in_file(mut self, file: &Path) -> Self {
        self.file = Some(file.to_path_buf());
        self
    }

    /// Points at a byte range of `text`, the original contents of `file`.
    pub fn at(mut self, file: &Path, text: &str, span: Range<usize>) -> Self {
        let start = span.start.min(text.len());
        let end = span.end.clamp(start, text.len());
        self.position = Some(line_col(text, start));
        self.excerpt = Some(excerpt(text, start));
        self.file = Some(file.to_path_buf());
        self.span = Some(start..end);
        self
    }

    /// Points at a byte range of the text `locator` walks: as [`Self::at`],
    /// but in time proportional to the distance from the span before
    /// (issue 26: a file with thousands of broken links).
    pub fn at_next(mut self, file: &Path, locator: &mut Locator<'_>, span: Range<usize>) -> Self {
        let text = locator.text;
        let start = span.start.min(text.len());
        let end = span.end.clamp(start, text.len());
        let (position, line_start) = locator.locate(start);
        self.position = Some(position);
        self.excerpt = Some(excerpt_from(text, line_start));
        self.file = Some(file.to_path_buf());
        self.span = Some(start..end);
        self
    }

    /// Names the file and the byte range of the problem, leaving its line
    /// and column for [`locate_all`] to fill in: many diagnostics of one
    /// file then cost one walk of it rather than one each.
    pub fn spanning(mut self, file: &Path, span: Range<usize>) -> Self {
        self.file = Some(file.to_path_buf());
        self.span = Some(span);
        self
    }

    /// Adds a help line.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Turns a warning into an error (used by `--strict`).
    pub fn escalated(mut self) -> Self {
        self.level = Level::Error;
        self
    }

    /// The 1-based line, if the diagnostic has a position.
    pub fn line(&self) -> Option<usize> {
        self.position.map(|p| p.line)
    }

    /// Orders diagnostics by file, then line and column, then code, so a
    /// report reads top to bottom like the files do.
    pub fn report_order(a: &Diagnostic, b: &Diagnostic) -> Ordering {
        (&a.file, a.position, a.code, &a.message).cmp(&(&b.file, b.position, b.code, &b.message))
    }
}

/// The 1-based line and char column of byte offset `offset` in `text`.
/// Offsets inside a multi-byte char are rounded down to its start.
pub(crate) fn line_col(text: &str, offset: usize) -> LineCol {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    LineCol {
        line: before.bytes().filter(|&b| b == b'\n').count() + 1,
        column: before[line_start..].chars().count() + 1,
    }
}

/// Turns byte offsets of one text into lines and columns, walking forward
/// from the offset asked before: offsets asked in order cost the text's
/// length once, however many there are. An offset before the last one
/// starts the walk again from the top.
#[derive(Debug, Clone)]
pub struct Locator<'t> {
    text: &'t str,
    /// The last offset located (a char boundary), its position and the
    /// start of its line.
    offset: usize,
    position: LineCol,
    line_start: usize,
}

impl<'t> Locator<'t> {
    /// A locator at the start of `text`.
    pub fn new(text: &'t str) -> Self {
        Locator { text, offset: 0, position: LineCol { line: 1, column: 1 }, line_start: 0 }
    }

    /// The line and column of byte `offset` (clamped to the text, rounded
    /// down to a char boundary), and the byte where its line starts.
    pub fn locate(&mut self, offset: usize) -> (LineCol, usize) {
        let text = self.text;
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        if offset < self.offset {
            *self = Locator::new(text);
        }
        let Some(between) = text.get(self.offset..offset) else {
            return (self.position, self.line_start);
        };
        match between.rfind('\n') {
            Some(last) => {
                let breaks = between.bytes().filter(|&b| b == b'\n').count();
                self.line_start = self.offset + last + 1;
                let column = between.get(last + 1..).map_or(0, |s| s.chars().count());
                self.position = LineCol { line: self.position.line + breaks, column: column + 1 };
            }
            None => self.position.column += between.chars().count(),
        }
        self.offset = offset;
        (self.position, self.line_start)
    }
}

/// Fills in the line, column and excerpt of every diagnostic of
/// `diagnostics` that has a span into `text` but no position yet (see
/// [`Diagnostic::spanning`]), in one walk of `text` in span order.
pub(crate) fn locate_all(text: &str, diagnostics: &mut [Diagnostic]) {
    let mut pending: Vec<&mut Diagnostic> =
        diagnostics.iter_mut().filter(|d| d.position.is_none() && d.span.is_some()).collect();
    pending.sort_by_key(|d| d.span.as_ref().map(|s| s.start));
    let mut locator = Locator::new(text);
    for d in pending {
        if let (Some(span), Some(file)) = (d.span.take(), d.file.take()) {
            *d = d.clone().at_next(&file, &mut locator, span);
        }
    }
}

/// Excerpts keep at most this many characters of their line.
pub(crate) const EXCERPT_CHARS: usize = 200;

/// The line of `text` holding byte `offset`, without its line break, cut
/// to [`EXCERPT_CHARS`] characters.
fn excerpt(text: &str, offset: usize) -> String {
    let before = text.get(..offset).unwrap_or(text);
    excerpt_from(text, before.rfind('\n').map_or(0, |i| i + 1))
}

/// The line of `text` that starts at byte `start`, as [`excerpt`]: reads
/// no further than the characters it keeps, however long the line.
fn excerpt_from(text: &str, start: usize) -> String {
    let rest = text.get(start..).unwrap_or_default();
    let mut line: String =
        rest.chars().take_while(|&c| c != '\n').take(EXCERPT_CHARS + 1).collect();
    if line.chars().count() <= EXCERPT_CHARS {
        // The whole line: a CR before its line break is not part of it.
        if line.ends_with('\r') {
            line.pop();
        }
    } else if let Some((cut, _)) = line.char_indices().nth(EXCERPT_CHARS) {
        line.truncate(cut);
    }
    line
}

/// The byte offset where 1-based `line` starts in `text`, if it exists.
pub(crate) fn line_start(text: &str, line: usize) -> Option<usize> {
    if line == 0 {
        return None;
    }
    if line == 1 {
        return Some(0);
    }
    text.match_indices('\n').nth(line - 2).map(|(i, _)| i + 1)
}

/// A sorted, counted set of diagnostics from one run.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Adds one diagnostic.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    /// Adds many.
    pub fn extend(&mut self, diagnostics: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(diagnostics);
    }

    /// All diagnostics in report order.
    pub fn sorted(&self) -> Vec<&Diagnostic> {
        // On every core: a build of a large archive can have tens of
        // thousands, and comparing paths is not cheap. The sort is stable.
        let mut v: Vec<&Diagnostic> = self.items.iter().collect();
        v.par_sort_by(|a, b| Diagnostic::report_order(a, b));
        v
    }

    /// Consumes the set, returning the diagnostics in report order.
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.items.par_sort_by(Diagnostic::report_order);
        self.items
    }

    /// Number of errors.
    pub fn errors(&self) -> usize {
        self.items.iter().filter(|d| d.level == Level::Error).count()
    }

    /// Number of warnings.
    pub fn warnings(&self) -> usize {
        self.items.iter().filter(|d| d.level == Level::Warning).count()
    }

    /// True when there is nothing to report.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Iterates in insertion order.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// Keeps only the diagnostics `keep` accepts (`check --only`).
    pub fn retain(&mut self, keep: impl FnMut(&Diagnostic) -> bool) {
        self.items.retain(keep);
    }

    /// Makes every warning an error (`--strict`); notes stay notes.
    pub fn escalate_warnings(&mut self) {
        for d in &mut self.items {
            if d.level == Level::Warning {
                d.level = Level::Error;
            }
        }
    }

    /// Number of notes.
    pub fn notes(&self) -> usize {
        self.items.iter().filter(|d| d.level == Level::Note).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_lines_and_chars() {
        let text = "ab\nçd\n\nx";
        assert_eq!(line_col(text, 0), LineCol { line: 1, column: 1 });
        assert_eq!(line_col(text, 3), LineCol { line: 2, column: 1 });
        // `ç` is two bytes; `d` is the second char of line 2.
        assert_eq!(line_col(text, 5), LineCol { line: 2, column: 2 });
        assert_eq!(line_col(text, 8), LineCol { line: 4, column: 1 });
        // Past the end clamps; inside a char rounds down.
        assert_eq!(line_col(text, 100), LineCol { line: 4, column: 2 });
        assert_eq!(line_col(text, 4), LineCol { line: 2, column: 1 });
    }

    #[test]
    fn the_excerpt_is_the_line_of_the_span_as_it_read() {
        let text = "a: 1\r\ntitle: X\r\nlast";
        let d = Diagnostic::warning("RCA000", "m").at(Path::new("f.md"), text, 9..14);
        assert_eq!(d.excerpt.as_deref(), Some("title: X"), "line break and CR left out");
        assert_eq!(excerpt(text, text.len()), "last");
        assert_eq!(excerpt(&"é".repeat(300), 4).chars().count(), EXCERPT_CHARS);
    }

    #[test]
    fn the_locator_agrees_with_line_col_in_any_order() {
        let text = "ab\nçd\n\nx\r\n".to_string() + &"é".repeat(300) + "\nlast";
        let mut locator = Locator::new(&text);
        // Forward, repeated, backward, inside a char, past the end.
        for offset in [0, 3, 5, 5, 8, 2, 9, 12, 13, 400, 4, 10_000, 0] {
            let (at, line_start) = locator.locate(offset);
            assert_eq!(at, line_col(&text, offset), "offset {offset}");
            let d = Diagnostic::warning("RCA000", "m");
            let (one, two) = (
                d.clone().at(Path::new("f"), &text, offset..offset),
                d.at_next(Path::new("f"), &mut Locator::new(&text), offset..offset),
            );
            if text.is_char_boundary(offset.min(text.len())) {
                assert_eq!(one, two, "offset {offset}");
            } else {
                // Inside a char, `at` quotes the last line; the locator
                // quotes the line of the char, as its position says.
                assert_eq!(one.position, two.position, "offset {offset}");
            }
            assert!(line_start == 0 || text.as_bytes()[line_start - 1] == b'\n');
        }
    }

    #[test]
    fn located_all_at_once_as_each_alone() {
        let text = "one\ntwo [[x]]\nthree\n";
        let spans = [9..14, 0..3, 14..19, 9..10];
        let one_by_one: Vec<_> = spans
            .iter()
            .map(|s| Diagnostic::warning("RCA000", "m").at(Path::new("f"), text, s.clone()))
            .collect();
        let mut all: Vec<_> = spans
            .iter()
            .map(|s| Diagnostic::warning("RCA000", "m").spanning(Path::new("f"), s.clone()))
            .collect();
        assert!(all.iter().all(|d| d.position.is_none()));
        locate_all(text, &mut all);
        assert_eq!(all, one_by_one);
    }

    #[test]
    fn line_start_finds_each_line() {
        let text = "a\nbb\nccc";
        assert_eq!(line_start(text, 1), Some(0));
        assert_eq!(line_start(text, 2), Some(2));
        assert_eq!(line_start(text, 3), Some(5));
        assert_eq!(line_start(text, 4), None);
        assert_eq!(line_start(text, 0), None);
    }

    #[test]
    fn report_order_sorts_by_file_then_line() {
        let text = "x\ny\nz";
        let mut all = Diagnostics::default();
        all.push(Diagnostic::error("RCA002", "b").at(Path::new("b.md"), text, 0..1));
        all.push(Diagnostic::error("RCA001", "a3").at(Path::new("a.md"), text, 4..5));
        all.push(Diagnostic::warning("RCA001", "a1").at(Path::new("a.md"), text, 0..1));
        let order: Vec<_> = all.sorted().iter().map(|d| d.message.clone()).collect();
        assert_eq!(order, ["a1", "a3", "b"]);
        assert_eq!(all.errors(), 2);
        assert_eq!(all.warnings(), 1);
    }
}
