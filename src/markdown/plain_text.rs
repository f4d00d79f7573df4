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
    fn blocks_do_not_run_together_in_the_plain_text() {
        let text = plain_text("## Root Cause\nThe pool.\n\n| A | B |\n|---|---|\n| x | y |\n");
        let words: Vec<&str> = text.split_whitespace().collect();
        assert_eq!(words, ["Root", "Cause", "The", "pool.", "A", "B", "x", "y"]);
    }
}
