//! Section names written as a bold line rather than a heading: documents
//! exported from Google Docs, Confluence or Word often open each part with
//! `**Root Cause:**` on a line of its own, or run the text on after it
//! (`**Impact:** 30 minutes of errors`). A paragraph that starts with such
//! a bold run, naming a section role, opens that section as a heading
//! would.
//!
//! Part of the body scan: watches the events of one top-level paragraph.

use pulldown_cmark::{Event, Tag, TagEnd};

/// Where the paragraph being read is, as far as a leading label goes.
#[derive(Debug, Default)]
enum Lead {
    /// Not a paragraph that may start with a label, or past its start.
    #[default]
    Off,
    /// At the start of a top-level paragraph.
    Expect,
    /// Inside the bold run that starts it, with its text so far.
    InStrong(String),
}

/// Watches a paragraph for a leading bold run.
#[derive(Debug, Default)]
pub(super) struct LeadLabel {
    lead: Lead,
    start: usize,
}

impl LeadLabel {
    /// A top-level paragraph starts at `start`.
    pub(super) fn paragraph(&mut self, start: usize) {
        self.lead = Lead::Expect;
        self.start = start;
    }

    /// Where the paragraph being watched starts.
    pub(super) fn start(&self) -> usize {
        self.start
    }

    /// No paragraph is being watched.
    pub(super) fn stop(&mut self) {
        self.lead = Lead::Off;
    }

    /// True while the bold run that starts the paragraph is being read: its
    /// text is held back from the section text until it is known whether
    /// it is a label (a heading's text is no section's).
    pub(super) fn holding(&self) -> bool {
        matches!(self.lead, Lead::InStrong(_))
    }

    /// Watches one event inside the paragraph.
    pub(super) fn inline(&mut self, event: &Event<'_>) -> Seen {
        match (&mut self.lead, event) {
            (Lead::Off, _) => Seen::Nothing,
            (Lead::Expect, Event::Start(Tag::Strong)) => {
                self.lead = Lead::InStrong(String::new());
                Seen::Nothing
            }
            (Lead::InStrong(text), Event::Text(t) | Event::Code(t)) => {
                text.push_str(t);
                Seen::Nothing
            }
            (Lead::InStrong(text), Event::SoftBreak | Event::HardBreak) => {
                text.push(' ');
                Seen::Nothing
            }
            (Lead::InStrong(_), Event::End(TagEnd::Strong)) => match std::mem::take(&mut self.lead)
            {
                Lead::InStrong(text) => Seen::Bold(text),
                _ => Seen::Nothing,
            },
            _ => match std::mem::take(&mut self.lead) {
                Lead::InStrong(text) => Seen::Released(text),
                _ => Seen::Nothing,
            },
        }
    }
}

/// What watching an event found.
#[derive(Debug, PartialEq)]
pub(super) enum Seen {
    Nothing,
    /// The bold run that starts the paragraph ended, with this text.
    Bold(String),
    /// The run held this text and turned out not to be a plain bold run
    /// (a link in it, say): the text belongs to the section after all.
    Released(String),
}

/// The section name a bold run gives, when it is short enough to be one:
/// "Root Cause:" → "Root Cause".
pub(super) fn label_name(bold: &str) -> Option<&str> {
    let name = bold.trim().trim_end_matches([':', '：']).trim_end();
    (!name.is_empty() && name.chars().count() <= 60).then_some(name)
}

/// A paragraph's text without the label that opens it; empty when the
/// label was all of it.
pub(super) fn after_label<'p>(paragraph: &'p str, bold: &str) -> &'p str {
    paragraph
        .trim_start()
        .strip_prefix(bold.trim())
        .map_or(paragraph, |rest| rest.trim_start_matches([':', '：']))
        .trim()
}
