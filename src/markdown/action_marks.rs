//! Action items where the body wrote them: each row of the Action Items
//! table, and each item of its list, shows its status as a badge and, when
//! it is open past its due date, how many days overdue; a due date never
//! wraps mid-date. The body keeps its own cells (links, code, emphasis),
//! only wrapped and followed by the marks.
//!
//! The marks themselves (status, overdue days) come from the render stage,
//! which judges them against the build date exactly as the actions page
//! does; this module only places them.

use std::collections::HashMap;

use pulldown_cmark::{Event, Tag, TagEnd};
use pulldown_cmark_escape::escape_html;

use crate::model::{ActionColumns, RawActionItem};

/// How one action item is marked, one per item of the outline, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ActionMark {
    /// Status as the actions page shows it (`open`, `done`, ...).
    pub(crate) status: String,
    /// Whether the status means finished.
    pub(crate) done: bool,
    /// Days past due, for an open item past its due date.
    pub(crate) overdue_days: Option<i32>,
}

impl ActionMark {
    /// The status badge, with the classes of the actions page's badge.
    fn badge(&self) -> String {
        let mut out = format!(
            "<span class=\"status status-{}\">",
            if self.done { "resolved" } else { "open" }
        );
        let _ = escape_html(&mut out, &self.status);
        out.push_str("</span>");
        out
    }

    fn opening_badge(&self) -> String {
        format!("<span class=\"status status-{}\">", if self.done { "resolved" } else { "open" })
    }

    /// The overdue mark, or nothing.
    fn overdue(&self) -> String {
        self.overdue_days
            .map(|d| format!(" <strong class=\"overdue-badge\">overdue {d} d</strong>"))
            .unwrap_or_default()
    }
}

/// The marks of a list item: its badge, unless a checkbox shows its
/// status, and the overdue mark.
fn list_marks(mark: &ActionMark, task: bool) -> Option<String> {
    let badge = if task { String::new() } else { format!(" {}", mark.badge()) };
    Some(format!("{badge}{}", mark.overdue())).filter(|h| !h.is_empty())
}

/// The item being written: which one, and where in it the writer is.
struct Current {
    index: usize,
    columns: Option<ActionColumns>,
    /// The table cell being written, counted from 0.
    cell: usize,
    /// For a list item: how many items deep (its own counts as 1).
    depth: usize,
    /// A task-list item shows its status as its checkbox.
    task: bool,
    /// The list item's marks are written (after its own text, before any
    /// list nested in it).
    placed: bool,
}

/// Places the marks while the body's events are written.
pub(super) struct ActionMarker<'a> {
    marks: &'a [ActionMark],
    items: &'a [RawActionItem],
    /// Offset of each item's row or list item in the file -> its index.
    at: HashMap<usize, usize>,
    current: Option<Current>,
}

impl<'a> ActionMarker<'a> {
    pub(super) fn new(items: &'a [RawActionItem], marks: &'a [ActionMark]) -> Self {
        let at = if marks.len() == items.len() {
            items.iter().enumerate().map(|(i, item)| (item.offset, i)).collect()
        } else {
            HashMap::new()
        };
        ActionMarker { marks, items, at, current: None }
    }

    /// HTML to write before `event`.
    pub(super) fn before(&mut self, event: &Event<'_>) -> Option<String> {
        let current = self.current.as_mut()?;
        let mark = self.marks.get(current.index)?;
        match event {
            Event::End(TagEnd::TableCell) => {
                let columns = current.columns?;
                let cell = current.cell;
                current.cell += 1;
                if Some(cell) == columns.due {
                    Some(format!("</span>{}", mark.overdue()))
                } else if Some(cell) == columns.status {
                    Some("</span>".into())
                } else if cell == columns.action && columns.status.is_none() {
                    Some(format!(" {}", mark.badge()))
                } else {
                    None
                }
            }
            Event::Start(Tag::Item) if current.columns.is_none() => {
                current.depth += 1;
                None
            }
            Event::Start(Tag::List(_)) | Event::End(TagEnd::Paragraph)
                if current.columns.is_none() && current.depth == 1 && !current.placed =>
            {
                current.placed = true;
                list_marks(mark, current.task)
            }
            Event::End(TagEnd::Item) if current.columns.is_none() => {
                current.depth -= 1;
                if current.depth > 0 {
                    return None;
                }
                let html = if current.placed { None } else { list_marks(mark, current.task) };
                self.current = None;
                html
            }
            _ => None,
        }
    }

    /// HTML to write after `event`, whose source starts at byte `start`.
    pub(super) fn after(&mut self, event: &Event<'_>, start: usize) -> Option<String> {
        match event {
            Event::Start(Tag::TableRow) | Event::Start(Tag::Item) if self.current.is_none() => {
                let &index = self.at.get(&start)?;
                let columns = self.items.get(index)?.columns;
                let is_row = matches!(event, Event::Start(Tag::TableRow));
                if is_row != columns.is_some() {
                    return None;
                }
                self.current =
                    Some(Current { index, columns, cell: 0, depth: 1, task: false, placed: false });
                None
            }
            Event::End(TagEnd::TableRow) => {
                self.current = None;
                None
            }
            Event::TaskListMarker(_) => {
                if let Some(c) = self.current.as_mut() {
                    c.task |= c.depth == 1;
                }
                None
            }
            Event::Start(Tag::TableCell) => {
                let current = self.current.as_ref()?;
                let columns = current.columns?;
                let mark = self.marks.get(current.index)?;
                if Some(current.cell) == columns.due {
                    Some("<span class=\"nowrap\">".into())
                } else if Some(current.cell) == columns.status {
                    Some(mark.opening_badge())
                } else {
                    None
                }
            }
            _ => None,
        }
    }
}
