//! The scan's timelines written as text rather than a table: rows as the
//! lines of a paragraph or of a code block, a day stated above them, and a
//! zone stated for them ("All times in CET").

use super::super::items::{
    heading_time_noted, parse_timeline_item, timeline_lines, zone_statement,
};
use super::Scanner;
use crate::model::RawTimelineRow;
use crate::sections::Role;

impl Scanner<'_> {
    /// A row of a timeline written as text, at `offset`: a clock time takes
    /// the day stated above it.
    pub(super) fn timeline_row(&mut self, offset: usize, time: String, event: String) {
        let time = match &self.timeline_day {
            Some(day) if time.len() <= 12 => format!("{day} {time}"),
            _ => time,
        };
        if self.out.timeline_offset.is_none() {
            self.out.timeline_offset = Some(offset);
        }
        self.out.timeline.push(RawTimelineRow { time, event, offset });
    }

    /// A paragraph of the Timeline section: rows written as its lines, a
    /// zone statement ("All times
    /// in CET") or a day heading for the list below (`**2024-02-03**`).
    pub(super) fn timeline_paragraph(&mut self, p: &str, raw: &str) {
        if let Some(zone) = zone_statement(p) {
            if self.out.timeline_zone.is_none() {
                self.out.timeline_zone = Some(zone);
            }
        }
        // Rows written as lines of a paragraph ("14:05 UTC - pager fires",
        // or `**14:05** pager fires` a paragraph each), as documents
        // exported from an editor write a timeline.
        // Rows set apart by `<br>` run over as many lines as they need:
        // only the breaks part them.
        let rows = match self.paragraph_lines.first() {
            Some(&first) if !self.paragraph_breaks.is_empty() => {
                let lines: Vec<(usize, usize)> =
                    std::iter::once(first).chain(self.paragraph_breaks.iter().copied()).collect();
                timeline_lines(raw, &lines, true)
            }
            _ => timeline_lines(raw, &self.paragraph_lines, true),
        };
        let under_heading = self.timeline_heading.take();
        if let (Some((at, time, note)), true) = (under_heading, rows.is_empty()) {
            self.timeline_row(at, time, format!("{}{note}", p.trim()));
            return;
        }
        if !rows.is_empty() {
            for (offset, time, event) in rows {
                self.timeline_row(offset, time, event);
            }
            return;
        }
        if let Some(day) = day_named(p) {
            self.timeline_day = Some(day);
        }
    }

    /// A heading inside the Timeline section: a row when it writes one
    /// (`### 14:05 UTC: pager fires`), the time of the paragraph below it
    /// when it names only a time (`### 14:05 UTC`), or the day of the
    /// rows below it (`### 18 June 2024`).
    pub(super) fn timed_heading(&mut self, text: &str, start: usize) {
        // A time alone first: `14:05 UTC` would read as a row whose event
        // is "UTC".
        if let Some((time, note)) = heading_time_noted(text) {
            self.timeline_heading = Some((start, time, note));
        } else if let Some((time, event)) = parse_timeline_item(text) {
            self.timeline_row(start, time, event);
        } else if let Some(day) = day_named(text) {
            self.timeline_day = Some(day);
        }
    }

    pub(super) fn start_code_block(&mut self) {
        self.code_depth += 1;
        if self.section == Some(Role::Timeline) && self.item.is_none() {
            self.timeline_code = Some((String::new(), Vec::new()));
        }
    }

    /// Text of a code block, starting at `start` in the file: kept, with
    /// where its lines start, when the block may be a timeline.
    pub(super) fn code_text(&mut self, t: &str, start: usize) {
        let Some((text, lines)) = self.timeline_code.as_mut() else { return };
        let mut at = start;
        for line in t.split_inclusive('\n') {
            // A chunk may end inside a line the next one finishes.
            if text.is_empty() || text.ends_with('\n') {
                lines.push((text.len(), at));
            }
            text.push_str(line);
            at += line.len();
        }
    }

    /// The end of a code block. One of the Timeline section holds rows when
    /// each of its lines reads as one (`10:00 lag alert fires`), as a
    /// timeline pasted from a chat or a terminal is written; anything else
    /// is left as code.
    pub(super) fn end_code_block(&mut self) {
        self.code_depth = self.code_depth.saturating_sub(1);
        let Some((text, lines)) = self.timeline_code.take() else { return };
        for (offset, time, event) in timeline_lines(&text, &lines, false) {
            self.timeline_row(offset, time, event);
        }
    }
}

/// The day a heading or a line of its own names for the rows below it,
/// year first: `18 June 2024`, `2024-06-18:`, a day before words that
/// tell it apart (`October 24, 2025 — second outage`) or in brackets after
/// them (`Day 2 (2024-06-19)`). A day anywhere else in the words is what
/// they are about, not the rows' day; a day with a time is a row.
fn day_named(text: &str) -> Option<String> {
    let text = text.trim().trim_end_matches(':');
    let day = |part: &str| {
        let found = crate::dates::parse_when(part.trim(), &jiff::tz::TimeZone::UTC)?;
        found.at.is_none().then(|| found.date.to_string())
    };
    let bracketed = || {
        let inner = text.strip_suffix(')')?;
        day(&inner[inner.rfind('(')? + 1..])
    };
    day(text).or_else(bracketed).or_else(|| {
        let cut =
            [" — ", " – ", " - ", ": ", " ("].iter().filter_map(|sep| text.find(sep)).min()?;
        day(&text[..cut])
    })
}
