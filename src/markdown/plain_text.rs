//! The plain text of a markdown body, code included, for the search
//! index: what each of the parser's events adds, gathered as the events
//! pass, one line per block.
//!
//! Takes the events of a parse someone else makes (the HTML renderer's);
//! gives one string per body, never kept per document.

use pulldown_cmark::{Event, TagEnd};

/// The plain text of a markdown body, code included, for the search
/// index, gathered from the parser's events as they pass. Each block ends
/// a line, so a heading and the paragraph after it do not run together
/// into one word. The HTML renderer fills it from the one parse it makes
/// anyway; it is never kept per document, being as large as the sources.
#[derive(Debug, Default)]
pub(crate) struct PlainText(String);

impl PlainText {
    pub(crate) fn with_capacity(bytes: usize) -> Self {
        PlainText(String::with_capacity(bytes))
    }

    /// Adds what `event` contributes.
    pub(crate) fn observe(&mut self, event: &Event<'_>) {
        let out = &mut self.0;
        match event {
            Event::End(TagEnd::Heading(_) | TagEnd::Item | TagEnd::CodeBlock) => out.push('\n'),
            Event::End(TagEnd::Paragraph) => out.push_str("\n\n"),
            Event::End(TagEnd::TableCell) => out.push_str("\n "),
            Event::Text(t) | Event::Code(t) => out.push_str(t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            _ => {}
        }
    }

    pub(crate) fn into_string(self) -> String {
        self.0
    }
}

/// A one-line value written with markdown's inline marks (a front-matter
/// title or summary: "The **pool** ran dry, see [the runbook](…)"), as the
/// plain text it reads as: "The pool ran dry, see the runbook". The value
/// itself when it has no marks, or when markdown would read it as a block
/// ("- item", "2024. A year"), which nobody writing a title means.
pub(crate) fn inline_plain(value: &str) -> std::borrow::Cow<'_, str> {
    use pulldown_cmark::Tag;
    use std::borrow::Cow;
    if !value.contains(['*', '_', '`', '[', '~', '<', '\\', '&']) {
        return Cow::Borrowed(value);
    }
    let mut out = String::with_capacity(value.len());
    for event in super::parser(value) {
        match event {
            Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph) => {}
            Event::Start(tag) if !is_inline(&tag) => return Cow::Borrowed(value),
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::Html(_) | Event::InlineHtml(_) => return Cow::Borrowed(value),
            _ => {}
        }
    }
    let out = out.trim();
    if out.is_empty() { Cow::Borrowed(value) } else { Cow::Owned(out.to_string()) }
}

/// True for the tags of inline markup: emphasis, code, links, images.
fn is_inline(tag: &pulldown_cmark::Tag<'_>) -> bool {
    use pulldown_cmark::Tag;
    matches!(
        tag,
        Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. } | Tag::Image { .. }
    )
}

/// The plain text of a markdown body on its own.
#[cfg(test)]
pub(crate) fn plain_text(body: &str) -> String {
    let mut out = PlainText::with_capacity(body.len());
    for event in super::parser(body) {
        out.observe(&event);
    }
    out.into_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_marks_are_read_as_plain_text_and_blocks_left_as_written() {
        let plain = |s: &str| inline_plain(s).into_owned();
        assert_eq!(
            plain("The **pool** ran dry, see [the runbook](https://x.example/rb) and `max_conn`."),
            "The pool ran dry, see the runbook and max_conn."
        );
        assert_eq!(plain("Pool: the _second_ ~~first~~ time"), "Pool: the second first time");
        for as_written in [
            "max_connections exhausted",
            "- a **list** item",
            "2024. A *year*",
            "Pool [P1]",
            "a <b>tag</b>",
            "# not a *heading*",
            "5 * 3 = 15",
        ] {
            assert_eq!(plain(as_written), as_written, "{as_written}");
        }
    }

    #[test]
    fn blocks_do_not_run_together_in_the_plain_text() {
        let text = plain_text("## Root Cause\nThe pool.\n\n| A | B |\n|---|---|\n| x | y |\n");
        let words: Vec<&str> = text.split_whitespace().collect();
        assert_eq!(words, ["Root", "Cause", "The", "pool.", "A", "B", "x", "y"]);
    }
}
