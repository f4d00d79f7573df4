//! Tables in the body scan: the cells of each table collected from the
//! parser's events, or read from an HTML `<table>` written in the markdown
//! (as converters write tables whose cells hold lists or paragraphs), at
//! most [`MAX_TABLE_ROWS`] rows of [`MAX_TABLE_CELLS`] cells; and a
//! finished table under Timeline or Action Items turned into raw timeline
//! rows or action items by the names of its columns.
//!
//! Takes the [`Scanner`]'s table events; gives rows added to its
//! [`Outline`]. Part of the body scan.

use std::ops::Range;

use pulldown_cmark::{Event, Tag, TagEnd};

use super::link_context::{Block, finish_block};
use super::{Scanner, push_text};
use crate::markdown::items::{table_row, zone_statement};
use crate::model::{ActionColumns, Outline, RawActionItem, RawTimelineRow};
use crate::sections::Role;

/// Rows and cells kept per table for the timeline and action items; a
/// pasted table larger than this still renders, but only this much of it is
/// typed, so memory stays bounded whatever the file holds.
pub(crate) const MAX_TABLE_ROWS: usize = 10_000;
/// See [`MAX_TABLE_ROWS`].
pub(crate) const MAX_TABLE_CELLS: usize = 32;

/// A table being collected.
#[derive(Default)]
pub(super) struct TableState {
    header: Vec<String>,
    rows: Vec<(usize, Vec<String>)>,
    row: Vec<String>,
    row_offset: usize,
    in_head: bool,
    offset: usize,
}

impl Scanner<'_> {
    pub(super) fn table_event(&mut self, event: &Event<'_>, range: &Range<usize>) {
        match event {
            Event::Start(Tag::Table(_)) => {
                self.table = Some(TableState { offset: range.start, ..TableState::default() });
            }
            Event::Start(Tag::TableHead) => {
                if let Some(t) = self.table.as_mut() {
                    t.in_head = true;
                    t.row_offset = range.start;
                }
            }
            Event::End(TagEnd::TableHead) => {
                if let Some(t) = self.table.as_mut() {
                    t.in_head = false;
                    t.header = std::mem::take(&mut t.row);
                }
            }
            Event::Start(Tag::TableRow) => {
                if let Some(t) = self.table.as_mut() {
                    t.row_offset = range.start;
                }
            }
            Event::End(TagEnd::TableRow) => {
                if let Some(t) = self.table.as_mut() {
                    let row = std::mem::take(&mut t.row);
                    if t.rows.len() < MAX_TABLE_ROWS {
                        t.rows.push((t.row_offset, row));
                    }
                }
            }
            Event::Start(Tag::TableCell) => {
                self.cell = Some(String::new());
                self.block_stack.push(Block::default());
            }
            Event::End(TagEnd::TableCell) => {
                if let (Some(t), Some(c)) = (self.table.as_mut(), self.cell.take()) {
                    if t.row.len() < MAX_TABLE_CELLS && t.rows.len() < MAX_TABLE_ROWS {
                        t.row.push(c.trim().to_string());
                    }
                }
                finish_block(&mut self.block_stack, &mut self.out);
                push_text(&mut self.out, self.section, " ");
            }
            Event::End(TagEnd::Table) => {
                if let Some(t) = self.table.take() {
                    self.finish_table(t);
                }
            }
            _ => {}
        }
    }

    /// A whole table, markdown or HTML: a zone its time column's header
    /// states is the timeline's, and its rows are taken.
    fn finish_table(&mut self, t: TableState) {
        if self.section == Some(Role::Timeline) && self.out.timeline_zone.is_none() {
            let time = column(&t.header, &["time", "when", "date"]).unwrap_or(0);
            self.out.timeline_zone = t.header.get(time).and_then(|h| zone_statement(h));
        }
        take_table(&mut self.out, self.section, t);
    }

    /// An HTML block at `start`: a `<table>` in it, under Timeline or Action
    /// Items, is read as a markdown table there would be. Its first row
    /// is the header; each row points at its `<tr`.
    pub(super) fn html_block(&mut self, html: &str, start: usize) {
        if !matches!(self.section, Some(Role::Timeline | Role::ActionItems)) {
            return;
        }
        let lower = html.to_ascii_lowercase();
        if !lower.contains("<table") {
            return;
        }
        let mut row_starts = lower.match_indices("<tr").map(|(at, _)| start + at);
        let fragment = scraper::Html::parse_fragment(html);
        let mut rows = html_rows(&fragment).into_iter();
        let Some(header) = rows.next() else { return };
        row_starts.next(); // the header's
        let mut table = TableState { header, offset: start, ..TableState::default() };
        for row in rows {
            table.rows.push((row_starts.next().unwrap_or(start), row));
        }
        self.finish_table(table);
    }
}

/// The text of each cell of the first rows of the tables in `fragment`
/// (a header and at most [`MAX_TABLE_ROWS`] more), in order; words in a
/// cell are joined by single spaces.
fn html_rows(fragment: &scraper::Html) -> Vec<Vec<String>> {
    let (Ok(row), Ok(cell)) = (scraper::Selector::parse("tr"), scraper::Selector::parse("th, td"))
    else {
        return Vec::new();
    };
    fragment
        .select(&row)
        .take(MAX_TABLE_ROWS + 1)
        .map(|tr| {
            tr.select(&cell)
                .take(MAX_TABLE_CELLS)
                .map(|c| c.text().flat_map(str::split_whitespace).collect::<Vec<_>>().join(" "))
                .collect()
        })
        .collect()
}

fn column(header: &[String], names: &[&str]) -> Option<usize> {
    header.iter().position(|h| {
        let h = h.to_lowercase();
        names.iter().any(|n| h.contains(n))
    })
}

/// Turns a table in the Timeline or Action Items section into raw rows.
fn take_table(out: &mut Outline, section: Option<Role>, table: TableState) {
    let cell = |row: &[String], i: Option<usize>| {
        i.and_then(|i| row.get(i)).map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
    };
    match section {
        Some(Role::Timeline) if out.timeline.is_empty() => {
            let h = &table.header;
            // A day and a clock time may have a column each ("Date | Time |
            // Event"): read together, as one time.
            let clock = column(h, &["time", "when"]);
            let day = column(h, &["date"]).filter(|d| Some(*d) != clock);
            let time = clock.or(day).unwrap_or(0);
            let day = day.filter(|_| clock.is_some());
            let event = column(h, &["event", "what", "description", "action"])
                .or_else(|| (0..h.len().max(2)).find(|i| *i != time && Some(*i) != day))
                .unwrap_or(1);
            out.timeline_offset = Some(table.offset);
            for (offset, row) in table.rows {
                let time = match (cell(&row, day), cell(&row, Some(time))) {
                    (Some(day), Some(time)) => format!("{day} {time}"),
                    (_, time) => time.unwrap_or_default(),
                };
                let event = cell(&row, Some(event)).unwrap_or_default();
                // A span or a guess in the time cell reads as in a list row.
                let (time, event) = table_row(&time, &event).unwrap_or((time, event));
                out.timeline.push(RawTimelineRow { time, event, offset });
            }
        }
        Some(Role::ActionItems) => {
            let h = &table.header;
            let priority = column(h, &["priority", "prio", "severity"]);
            let owner = column(h, &["owner", "assignee", "who", "team"]);
            // "ETA" as a word: "details" and "metadata" hold the letters.
            let eta = h.iter().position(|x| {
                x.to_lowercase().split(|c: char| !c.is_alphanumeric()).any(|w| w == "eta")
            });
            let due = column(h, &["due", "deadline", "target", "date"]).or(eta);
            let status = column(h, &["status", "state", "done"]);
            let taken = [priority, owner, due, status];
            let action = column(
                h,
                &[
                    "action",
                    "task",
                    "item",
                    "what",
                    "description",
                    "detail",
                    "remediation",
                    "follow",
                ],
            )
            // Else the first column left, passing over a tracker's ids.
            .or_else(|| {
                let tracker = column(h, &["ticket", "issue", "bug", "jira", "id", "#"]);
                (0..h.len()).find(|i| !taken.contains(&Some(*i)) && Some(*i) != tracker)
            })
            .unwrap_or(0);
            for (offset, row) in table.rows {
                out.action_items.push(RawActionItem {
                    action: cell(&row, Some(action)).unwrap_or_default(),
                    priority: cell(&row, priority),
                    owner: cell(&row, owner),
                    due: cell(&row, due),
                    status: cell(&row, status),
                    offset,
                    columns: Some(ActionColumns { action, due, status }),
                });
            }
        }
        _ => {}
    }
}
