//! Updates as a status page posts them, each a paragraph: the state it
//! moved to and what it said, then when it was posted.
//!
//! ```text
//! **Monitoring** - A fix is out and the backlog is draining.
//! Jun 18, 2024 - 16:20 UTC
//! ```
//!
//! An incident exported from a status page has no timeline but these;
//! read as its rows, they give its start, its phases and its length.

use super::{heading_time, parse_timeline_item};
use crate::model::{Outline, RawTimelineRow};

/// The states a status page's updates open with, lower-case.
const STATES: &[&str] = &[
    "investigating",
    "identified",
    "monitoring",
    "resolved",
    "update",
    "updated",
    "verifying",
    "recovering",
    "mitigated",
    "in progress",
    "scheduled",
    "completed",
    "postmortem",
];

/// The timeline row `(time, event)` a paragraph writes when it is a status
/// update: lines that open with a state ("Resolved - …", "Update: …") and
/// a last line that is the date and time it was posted ("Jun 18, 2024 -
/// 17:02 UTC", "Posted Jun 18, 2024 - 17:02 UTC"). `lines` gives where
/// each line starts in `paragraph` (and in the file, unused here), as for
/// [`super::timeline_lines`].
pub(crate) fn status_update(paragraph: &str, lines: &[(usize, usize)]) -> Option<(String, String)> {
    // Most paragraphs are prose of one line: nothing to gather.
    if lines.len() < 2 {
        return None;
    }
    let ends = lines.iter().skip(1).map(|&(at, _)| at).chain([paragraph.len()]);
    let lines: Vec<&str> = (lines.iter().zip(ends))
        .filter_map(|(&(from, _), to)| paragraph.get(from..to).map(str::trim))
        .filter(|line| !line.is_empty())
        .collect();
    let (posted, said) = lines.split_last()?;
    opens_with_state(said.first()?).then_some(())?;
    let event = said.join(" ");
    Some((posting_time(posted)?, event))
}

/// True for a line that is when an update was posted: a date and a time,
/// nothing else, after "Posted" or not.
pub(crate) fn is_posting_time(line: &str) -> bool {
    // Most lines are prose: a cheap look first.
    let line = line.trim();
    line.len() <= 48 && line.contains(':') && posting_time(line).is_some()
}

/// The time a posting-time line gives, as a timeline row writes it.
fn posting_time(line: &str) -> Option<String> {
    let line = line.trim();
    let posted = line.strip_prefix("Posted").map_or(line, str::trim_start);
    let (time, read) = parse_timeline_item(&format!("{posted} — ."))?;
    // The whole line was the time: no words of it were left over.
    (read == ".").then_some(time)
}

/// Makes a status page's `updates` the timeline of a write-up `out` that
/// has none. When they open it, the first posted (status pages post the
/// newest first) says what went wrong, and is its first paragraph.
pub(crate) fn status_timeline(out: &mut Outline, updates: Vec<RawTimelineRow>) {
    // The times read as ISO days before clocks, so they sort as written.
    let newest_first = updates.first().map(|r| &r.time) > updates.last().map(|r| &r.time);
    let first_posted = if newest_first { updates.last() } else { updates.first() };
    let opens = out.first_paragraph.as_deref().is_some_and(|p| after_state(p).is_some());
    if let Some(said) = first_posted.and_then(|row| after_state(&row.event)).filter(|_| opens) {
        out.first_paragraph = Some(said.to_string()).filter(|s| !s.is_empty());
    }
    if out.timeline.is_empty() && !updates.is_empty() {
        out.timeline_offset = updates.first().map(|row| row.offset);
        out.timeline = updates;
    }
}

/// The row a heading over a status update starts: `### Update 26.08.2022
/// 17:00 Uhr:`, `## 2024-01-23 13:21`, `### Resolved - Jun 18, 2024 17:02
/// UTC`. A state (or "Update", or German's "Aktualisierung") or none, then
/// a time and nothing else; the paragraph under it is what was said. The
/// time, and the state, lower-case, to open the event with ("Resolved:
/// …"), `None` for a plain update. Status pages kept as markdown post their updates this
/// way, newest first, outside any timeline.
pub(crate) fn update_heading(text: &str) -> Option<(String, Option<&'static str>)> {
    let text = text.trim();
    // Most headings are words: a time needs a figure.
    if !text.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    if let Some(time) = heading_time(text) {
        return Some((time, None));
    }
    let (state, said) = STATES.iter().chain(&["aktualisierung"]).find_map(|&word| {
        text.get(..word.len()).filter(|head| head.eq_ignore_ascii_case(word))?;
        let rest = text.get(word.len()..)?;
        (!rest.starts_with(char::is_alphabetic)).then_some((word, rest))
    })?;
    // A maintenance announced ahead and the postmortem posted after are
    // no moments of the incident (see `opens_with_state`).
    if matches!(state, "scheduled" | "postmortem") {
        return None;
    }
    let said = said.trim_start_matches([':', '-', '–', '—', ' ', '(']);
    let said = if said.ends_with(')') { said.trim_end_matches([')', ':']) } else { said };
    let time = heading_time(said)?;
    let named = !matches!(state, "update" | "updated" | "aktualisierung");
    Some((time, named.then_some(state)))
}

/// True when `line` opens with a state, set off by a dash or a colon, that
/// marks a moment of the incident: a maintenance announced days ahead
/// ("Scheduled") and the postmortem posted days after are updates, but
/// not moments of it.
fn opens_with_state(line: &str) -> bool {
    opening_state(line).is_some_and(|(state, _)| !matches!(state, "scheduled" | "postmortem"))
}

/// What an update `event` says after its state ("We are investigating…"
/// of "Investigating - We are investigating…"), `None` when it opens with
/// no state.
fn after_state(event: &str) -> Option<&str> {
    opening_state(event).map(|(_, said)| said)
}

/// The state an update `event` opens with (one of [`STATES`]), set off by
/// a dash or a colon or alone, and what it says after it.
fn opening_state(event: &str) -> Option<(&'static str, &str)> {
    let bare = event.trim_start_matches(['*', '_']);
    STATES.iter().find_map(|&state| {
        let rest = bare.get(state.len()..)?;
        bare.get(..state.len()).filter(|head| head.eq_ignore_ascii_case(state))?;
        let rest = rest.trim_start_matches(['*', '_']).trim_start();
        let said = rest.strip_prefix(['-', '–', '—', ':']).map(str::trim_start);
        let said = if rest.is_empty() { Some(rest) } else { said };
        said.map(|said| (state, said))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The update `text`'s row, its lines split where the text breaks them.
    fn update(text: &str) -> Option<(String, String)> {
        let starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1));
        let lines: Vec<(usize, usize)> = starts.map(|at| (at, at)).collect();
        status_update(&text.replace('\n', " "), &lines)
    }

    #[test]
    fn an_update_with_its_posting_time_is_a_row() {
        let row = update("Monitoring - A fix is out.\nJun 18, 2024 - 16:20 UTC");
        assert_eq!(
            row,
            Some(("2024-06-18 16:20 UTC".to_string(), "Monitoring - A fix is out.".to_string()))
        );
        let posted = update("Update: still draining\nPosted 18 June 2024, 16:40 UTC");
        assert_eq!(posted.map(|(time, _)| time), Some("2024-06-18 16:40 UTC".to_string()));
    }

    #[test]
    fn a_heading_over_an_update_gives_its_time_and_state() {
        let read = |text: &str| update_heading(text);
        assert_eq!(read("Update 26.08.2022 17:00 Uhr:"), Some(("2022-08-26 17:00".into(), None)));
        assert_eq!(read("Aktualisierung 12:35 Uhr"), Some(("12:35".into(), None)));
        assert_eq!(read("2024-01-23 13:21"), Some(("2024-01-23 13:21".into(), None)));
        assert_eq!(
            read("Resolved – Jun 18, 2024 17:02 UTC"),
            Some(("2024-06-18 17:02 UTC".into(), Some("resolved")))
        );
        assert_eq!(read("Monitoring (14:10)"), Some(("14:10".into(), Some("monitoring"))));
        // Words, a version, a heading that is a row of its own, or a
        // maintenance announced ahead: no update.
        for text in [
            "Update on the 2.4 rollout",
            "Updates",
            "Release 1.20.3",
            "14:05 pager fires",
            "Scheduled - 2024-10-01 08:00 UTC",
            "Updated the runbook at 14:00",
        ] {
            assert_eq!(read(text), None, "{text}");
        }
    }

    #[test]
    fn prose_is_not_an_update() {
        // A state word that opens a sentence, and a last line that is more
        // than a time.
        assert_eq!(update("Resolved the alert by hand.\nJun 18, 2024 - 16:20 UTC"), None);
        assert_eq!(update("Resolved - done.\nJun 18, 2024 - 16:20 UTC we left"), None);
        assert_eq!(update("Resolved - one line only"), None);
    }

    #[test]
    fn an_announcement_and_a_postmortem_are_no_moments_of_the_incident() {
        assert_eq!(update("**Scheduled** - We will upgrade.\nSep 24, 2024 - 10:00 UTC"), None);
        assert_eq!(update("Postmortem: the queue stalled.\nSep 30, 2024 - 10:00 UTC"), None);
        assert!(update("**In progress** - Under way.\nOct 1, 2024 - 02:00 UTC").is_some());
    }

    #[test]
    fn a_posting_time_is_a_date_and_time_alone() {
        assert!(is_posting_time("Jun 18, 2024 - 16:20 UTC"));
        assert!(is_posting_time("Posted Sep 3, 2024 - 09:05 UTC"));
        assert!(!is_posting_time("Jun 18, 2024 - 16:20 UTC the queue drained"));
        assert!(!is_posting_time("14:05 pager fires"));
    }

    #[test]
    fn what_an_update_says_follows_its_state() {
        assert_eq!(after_state("Investigating - Webhooks are late"), Some("Webhooks are late"));
        assert_eq!(after_state("**Update**: still draining"), Some("still draining"));
        assert_eq!(after_state("Resolved the alert"), None);
    }
}
