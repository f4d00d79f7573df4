//! Obsidian's own marks, which CommonMark would show as text, read as a
//! vault shows them (each padded with spaces to the length it was written
//! in, so that offsets hold; see the parent module):
//!
//! - comments, `%%a note to self%%` in a line or `%%` lines around a block,
//!   are not shown;
//! - a highlight, `==connection pool==`, is its text;
//! - a callout of a kind GitHub's alerts lack, `> [!summary]` or `> [!info]-
//!   Details`, opens with its title: in italics, or, for a summary (`summary`,
//!   `abstract`, `tldr`), as a `## ` heading inside the quote, so that the
//!   write-up's summary is found there as under a Summary heading. GitHub's
//!   own kinds (`[!NOTE]`, `[!WARNING]` …) are left to the parser.

use std::borrow::Cow;

use super::{InlineCode, padded, split_line_end, title_in};

/// True when `text` may hold a mark this module reads: cheap. A setext
/// heading's `=====` is no highlight.
pub(super) fn has_marks(text: &str) -> bool {
    // Asked of every body: vectorised searches, not a walk over its bytes.
    let bytes = text.as_bytes();
    let found = |mark: &[u8]| memchr::memmem::find(bytes, mark).is_some();
    let highlight = || {
        memchr::memmem::find_iter(bytes, b"==")
            .any(|at| bytes.get(at + 2).is_some_and(|&b| !b.is_ascii_whitespace() && b != b'='))
    };
    found(b"%%") || found(b"[!") || highlight()
}

/// Reads one line, `in_comment` saying whether a `%%` block is open before
/// it (and, after, whether one is open after it). `comments` is false when
/// the body's `%%` marks do not pair up: one is then no comment's (`a
/// typo's 95%%`), and none is read as one, rather than hide the rest of
/// the write-up.
pub(super) fn read_through<'l>(
    line: &'l str,
    in_comment: &mut bool,
    comments: bool,
) -> Cow<'l, str> {
    if !*in_comment && !has_marks(line) {
        return Cow::Borrowed(line);
    }
    let line = if comments { without_comments(line, in_comment) } else { Cow::Borrowed(line) };
    let line = match without_highlights(&line) {
        Cow::Owned(read) => Cow::Owned(read),
        Cow::Borrowed(_) => line,
    };
    match callout(&line) {
        Some(read) => Cow::Owned(read),
        None => line,
    }
}

/// `line` with the parts inside `%%` comments blanked.
fn without_comments<'l>(line: &'l str, in_comment: &mut bool) -> Cow<'l, str> {
    if !*in_comment && !line.contains("%%") {
        return Cow::Borrowed(line);
    }
    let (written, end) = split_line_end(line);
    let mut out = String::with_capacity(line.len());
    let mut code = InlineCode::new(line);
    let mut rest = written;
    let mut at = 0;
    loop {
        let mark = rest.find("%%");
        match (mark, *in_comment) {
            (None, false) => {
                out.push_str(rest);
                break;
            }
            (None, true) => {
                out.push_str(&" ".repeat(rest.len()));
                break;
            }
            (Some(i), false) if code.at(at + i) => {
                out.push_str(rest.get(..i + 2).unwrap_or_default());
                rest = rest.get(i + 2..).unwrap_or_default();
                at += i + 2;
            }
            (Some(i), open) => {
                let before = rest.get(..i).unwrap_or_default();
                if open {
                    out.push_str(&" ".repeat(i + 2));
                } else {
                    out.push_str(before);
                    out.push_str("  ");
                }
                *in_comment = !open;
                rest = rest.get(i + 2..).unwrap_or_default();
                at += i + 2;
            }
        }
    }
    out.push_str(end);
    Cow::Owned(out)
}

/// `line` with each `==highlight==` read as its text: the marks open
/// before a character that is no space and close after one, as Obsidian
/// reads them, so `a == b` stays as written.
fn without_highlights(line: &str) -> Cow<'_, str> {
    if !line.contains("==") {
        return Cow::Borrowed(line);
    }
    let mut out = String::with_capacity(line.len());
    let mut code = InlineCode::new(line);
    let mut done = 0;
    let mut from = 0;
    while let Some(open) = line.get(from..).and_then(|r| r.find("==")).map(|i| from + i) {
        let inner_start = open + 2;
        let opens = line
            .get(inner_start..)
            .is_some_and(|r| r.starts_with(|c: char| !c.is_whitespace() && c != '='));
        let close = line.get(inner_start..).and_then(|r| r.find("==")).map(|i| inner_start + i);
        let Some(close) = close.filter(|_| opens) else {
            from = inner_start;
            continue;
        };
        let inner = line.get(inner_start..close).unwrap_or_default();
        if inner.ends_with(char::is_whitespace) || code.at(open) {
            from = inner_start;
            continue;
        }
        out.push_str(line.get(done..open).unwrap_or_default());
        out.push_str("  ");
        out.push_str(inner);
        out.push_str("  ");
        done = close + 2;
        from = done;
    }
    if done == 0 {
        return Cow::Borrowed(line);
    }
    out.push_str(line.get(done..).unwrap_or_default());
    Cow::Owned(out)
}

/// Kinds of callout GitHub's alerts have, which the parser reads itself.
const GITHUB_KINDS: [&str; 5] = ["note", "tip", "important", "warning", "caution"];

/// Kinds of callout that sum the write-up up.
const SUMMARY_KINDS: [&str; 3] = ["summary", "abstract", "tldr"];

/// A callout's first line (`> [!info]- Details`), read with its title in
/// place of its kind; `None` for any other line.
fn callout(line: &str) -> Option<String> {
    let (written, end) = split_line_end(line);
    let quote = written.len() - written.trim_start_matches(['>', ' ']).len();
    if quote == 0 || !written.get(..quote)?.contains('>') {
        return None;
    }
    let rest = written.get(quote..)?;
    let inner = rest.strip_prefix("[!")?;
    let close = inner.find(']')?;
    let kind = inner.get(..close)?;
    let valid = !kind.is_empty() && kind.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    let kind = kind.to_ascii_lowercase();
    if !valid || GITHUB_KINDS.contains(&kind.as_str()) {
        return None;
    }
    let title = inner.get(close + 1..)?.trim_start_matches(['+', '-']).trim();
    let title = if title.is_empty() { super::capitalised(&kind) } else { title.to_string() };
    let width = rest.len();
    let shown = if SUMMARY_KINDS.contains(&kind.as_str()) && title.len() + 3 <= width {
        padded(&format!("## {title}"), width)
    } else {
        title_in(&title, width)
    };
    Some(format!("{}{shown}{end}", written.get(..quote)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(lines: &[&str]) -> Vec<String> {
        let mut open = false;
        let comments = lines.concat().matches("%%").count() % 2 == 0;
        lines
            .iter()
            .map(|line| {
                let out = read_through(line, &mut open, comments).into_owned();
                assert_eq!(out.len(), line.len(), "{line}");
                out.split(' ').filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
            })
            .collect()
    }

    #[test]
    fn comments_are_not_shown() {
        assert_eq!(read(&["Pool %%check this%% exhausted."]), ["Pool exhausted."]);
        assert_eq!(read(&["%%", "draft notes", "%%", "Shown."]), ["", "", "", "Shown."]);
        assert_eq!(read(&["a %%open", "still hidden", "closed%% b"]), ["a", "", "b"]);
        assert_eq!(read(&["`%%` in code", "`%%` too"]), ["`%%` in code", "`%%` too"]);
        // A stray mark hides nothing.
        assert_eq!(read(&["load rose to 95%%", "Shown."]), ["load rose to 95%%", "Shown."]);
    }

    #[test]
    fn highlights_are_their_text() {
        assert_eq!(read(&["the ==connection pool== was small"]), ["the connection pool was small"]);
        for kept in ["if a == b", "a ==b == c", "`==x==`", "====="] {
            assert_eq!(
                read(&[kept]),
                [kept.split(' ').filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")]
            );
        }
    }

    #[test]
    fn a_callout_opens_with_its_title() {
        assert_eq!(read(&["> [!summary]"]), ["> ## Summary"]);
        assert_eq!(read(&["> [!tldr] Short version"]), ["> ## Short version"]);
        assert_eq!(read(&["> [!info]- Details"]), ["> **Details**"]);
        assert_eq!(read(&["> [!bug]"]), ["> *Bug*"]);
        // GitHub's kinds are the parser's.
        assert_eq!(read(&["> [!WARNING]"]), ["> [!WARNING]"]);
        assert_eq!(read(&["[!summary] not in a quote"]), ["[!summary] not in a quote"]);
    }
}
