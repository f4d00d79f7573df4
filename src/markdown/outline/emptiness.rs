//! Empty sections: a `## ` heading with nothing under it before the next
//! one, found from the parser's events as the body scan reads them. Part of
//! the body scan.

use std::ops::Range;

use pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};

use crate::model::EmptySection;

/// Finds the empty `## ` sections from the parser's events as they pass: a
/// section has content once any event outside a heading follows its
/// heading, and a level-1 heading ends it.
#[derive(Default)]
pub(super) struct Emptiness {
    /// The level-1 or level-2 heading being read: its range and text.
    heading: Option<(Range<usize>, String)>,
    /// The last level-2 section, if no level-1 heading came after it.
    open: Option<(EmptySection, bool)>,
    empty: Vec<EmptySection>,
}

impl Emptiness {
    pub(super) fn observe(&mut self, event: &Event<'_>, range: &Range<usize>) {
        match event {
            Event::Start(Tag::Heading { level: HeadingLevel::H1 | HeadingLevel::H2, .. }) => {
                self.heading = Some((range.clone(), String::new()));
            }
            Event::End(TagEnd::Heading(HeadingLevel::H1)) => {
                self.heading = None;
                self.close();
            }
            Event::End(TagEnd::Heading(HeadingLevel::H2)) => {
                if let Some((heading, title)) = self.heading.take() {
                    self.close();
                    if !title.is_empty() || !heading.is_empty() {
                        self.open = Some((EmptySection { title, heading }, false));
                    }
                }
            }
            Event::Text(t) | Event::Code(t) if self.heading.is_some() => {
                if let Some((_, title)) = self.heading.as_mut() {
                    title.push_str(t);
                }
            }
            _ if self.heading.is_some() => {}
            _ => {
                if let Some((_, filled)) = self.open.as_mut() {
                    *filled = true;
                }
            }
        }
    }

    fn close(&mut self) {
        if let Some((section, false)) = self.open.take() {
            self.empty.push(section);
        }
    }

    pub(super) fn finish(mut self) -> Vec<EmptySection> {
        self.close();
        self.empty
    }
}
