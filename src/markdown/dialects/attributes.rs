//! Attributes other markdowns attach to text, which CommonMark would show
//! as text, read as the text alone (each padded with spaces to the length
//! it was written in, so that offsets hold; see the parent module):
//!
//! - pandoc's bracketed spans, as it writes a document converted from a
//!   word processor: `[doubled]{.underline}` is "doubled", and a Word
//!   bookmark, `[]{#_Toc158912345 .anchor}`, often opening a heading, is
//!   nothing;
//! - pandoc's attributes after a link or an image:
//!   `![](media/image1.png){width="6.5in"}` is the image;
//! - kramdown's attribute lists alone on their line, as Jekyll sites write
//!   them after a block: `{: .notice}`, `{:toc}`.
//!
//! A span is read on one line, and only when what its braces hold is
//! attributes (`#id`, `.class`, `key=value`); anything else, and anything
//! in inline code, is left as written.

use std::borrow::Cow;

use super::{InlineCode, indent, split_line_end};

/// True when `line` may hold attributes this module reads: cheap.
pub(super) fn has_attributes(line: &str) -> bool {
    line.contains("]{") || line.contains("){") || line.trim_start().starts_with("{:")
}

/// `line` with its attributes read (see the module documentation).
/// `opens_block` when the line may open a block (it follows a blank line):
/// there, a span at its start moves its text to the start and its padding
/// to the end, as spaces before it would make an indented code block of
/// a heading (`[]{#_Toc1 .anchor}Summary` over `-------`).
pub(super) fn read_through(line: &str, opens_block: bool) -> Cow<'_, str> {
    if !has_attributes(line) {
        return Cow::Borrowed(line);
    }
    let (written, end) = split_line_end(line);
    let trimmed = written.trim();
    if let Some(inner) = trimmed.strip_prefix("{:").and_then(|t| t.strip_suffix('}')) {
        if inner.trim() == "toc" || is_attribute_list(inner) {
            return Cow::Owned(format!("{}{end}", " ".repeat(written.len())));
        }
    }
    let mut out = String::with_capacity(line.len());
    let mut code = InlineCode::new(line);
    // `done`: bytes of `line` copied to `out`; `at`: where to look next.
    let (mut done, mut at) = (0, 0);
    while let Some(brace) = line.get(at..).and_then(|r| r.find('{')).map(|i| at + i) {
        at = brace + 1;
        let Some(close) = line.get(brace..).and_then(|r| r.find('}')).map(|i| brace + i) else {
            break;
        };
        let inner = line.get(brace + 1..close).unwrap_or_default();
        let before = line.get(..brace).and_then(|b| b.chars().next_back());
        if !matches!(before, Some(']' | ')')) || !is_attribute_list(inner) || code.at(brace) {
            continue;
        }
        let attributes = brace..close + 1;
        if before == Some(')') {
            // After a link or an image: the attributes alone go.
            out.push_str(line.get(done..attributes.start).unwrap_or_default());
            out.push_str(&" ".repeat(attributes.len()));
        } else {
            // A span: its text stays, its brackets and attributes go, the
            // spaces before the text so that a word after it keeps its
            // punctuation ("[word]{.mark}." reads "word.").
            let shut = brace - 1;
            let Some(open) = line.get(done..shut).and_then(|r| r.rfind('[')).map(|i| done + i)
            else {
                continue;
            };
            let text = line.get(open + 1..shut).unwrap_or_default();
            let image = line.get(..open).is_some_and(|b| b.ends_with('!'));
            if text.contains(']') || image {
                continue;
            }
            out.push_str(line.get(done..open).unwrap_or_default());
            out.push_str(&" ".repeat(attributes.end - open - text.len()));
            out.push_str(text);
        }
        done = attributes.end;
        at = done;
    }
    if done == 0 {
        return Cow::Borrowed(line);
    }
    out.push_str(line.get(done..).unwrap_or_default());
    let (was, now) = (indent(written), indent(&out));
    if opens_block && now > 3 && now > was {
        let (read, _) = split_line_end(&out);
        let text = read.trim_start();
        let moved = now - was;
        return Cow::Owned(format!("{}{text}{}{end}", " ".repeat(was), " ".repeat(moved)));
    }
    Cow::Owned(out)
}

/// True when `inner`, what a pair of braces holds, is attributes: one or
/// more of `#id`, `.class`, `key=value` and `key="a value"`, with a
/// kramdown `:` before them or not.
fn is_attribute_list(inner: &str) -> bool {
    let mut rest = inner.trim().strip_prefix(':').unwrap_or(inner).trim_start();
    if rest.is_empty() {
        return false;
    }
    let name_char = |c: char| c.is_alphanumeric() || matches!(c, '-' | '_' | ':');
    while !rest.is_empty() {
        let after = if let Some(name) = rest.strip_prefix(['#', '.']) {
            let end = name.find(|c: char| !name_char(c)).unwrap_or(name.len());
            if end == 0 {
                return false;
            }
            name.get(end..).unwrap_or_default()
        } else {
            let Some((key, value)) = rest.split_once('=') else { return false };
            if key.is_empty() || !key.chars().all(name_char) {
                return false;
            }
            match value.strip_prefix('"') {
                Some(quoted) => match quoted.split_once('"') {
                    Some((_, after)) => after,
                    None => return false,
                },
                None => {
                    let end = value.find(' ').unwrap_or(value.len());
                    if end == 0 {
                        return false;
                    }
                    value.get(end..).unwrap_or_default()
                }
            }
        };
        if !(after.is_empty() || after.starts_with(' ')) {
            return false;
        }
        rest = after.trim_start();
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_and_attributes_read_as_their_text() {
        let read = |line: &str| {
            let out = read_through(line, false).into_owned();
            assert_eq!(out.len(), line.len(), "{line}");
            out.split_whitespace().collect::<Vec<_>>().join(" ")
        };
        assert_eq!(read("# []{#_Toc158912345 .anchor}Summary\n"), "# Summary");
        assert_eq!(read("client [doubled]{.underline} the load."), "client doubled the load.");
        assert_eq!(read("a [word]{.mark}."), "a word.");
        assert_eq!(
            read("![](media/image1.png){width=\"6.5in\" height=\"3in\"}"),
            "![](media/image1.png)"
        );
        assert_eq!(read("[site](https://x.test){target=_blank} ok"), "[site](https://x.test) ok");
        assert_eq!(read("{: .notice--warning}\n"), "");
        assert_eq!(read("{:toc}"), "");
        // Not attributes, or in code: as written.
        for line in [
            "a set {x, y} of hosts",
            "[link](url) {not attributes here}",
            "`[x]{.y}` is a pandoc span",
            "json: {\"a\": 1}",
            "[a]{}",
        ] {
            assert_eq!(read_through(line, true), line);
        }
    }

    #[test]
    fn a_span_opening_a_block_leaves_no_indent() {
        let line = "[]{#_Toc161120001 .anchor}Summary\n";
        assert_eq!(read_through(line, true), format!("Summary{}\n", " ".repeat(26)));
        // Within a paragraph the spaces stay before the text.
        assert!(read_through(line, false).starts_with("    "));
        assert_eq!(read_through("[a]{.b} c", true), "a c      ");
        // A list's own indent stays.
        assert_eq!(read_through("    [a]{.b} c", true), "    a c      ");
    }

    #[test]
    fn an_attribute_list_is_ids_classes_and_pairs() {
        for ok in ["#id", ".a .b", "#x .y key=v", "width=\"6.5in\"", ": .note", "data-x=\"a b\""] {
            assert!(is_attribute_list(ok), "{ok}");
        }
        for no in ["", "x", "a, b", "#", "key=", "key=\"open", "\"a\": 1", "#a.b c"] {
            assert!(!is_attribute_list(no), "{no}");
        }
    }
}
