//! Part of the validate stage: types the rows of an incident's
//! `## Timeline` table and `## Action Items`.
//!
//! Inputs: the rows the load stage's body scan found, and the incident's
//! date. Outputs: [`TimelineEntry`]s and [`ActionItem`]s; an unreadable
//! time or due date is a warning and the row stays. Imports: diag, model,
//! and the parent's [`FieldReporter`].

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::TimeZone;

use super::fields::FieldReporter;
use crate::config::Config;
use crate::diag::{Diagnostic, locate_all};
use crate::model::{ActionItem, TimelineEntry};

/// The stand-in day of an undated incident's clock times: any day works,
/// since only the offsets between them are used, and pages show only the
/// time of day of an entry whose day is not known.
const NOMINAL_DAY: Date = Date::constant(2000, 1, 3);

/// Types the timeline rows; an unreadable time is a warning and the row
/// stays. Clock times take the incident's date, or, for an undated
/// incident, a nominal day until a full timestamp names the real one.
/// Times are read in the zone the timeline states ("All times in CET", a
/// `Time (PST)` column), else `date_zone` (the zone the incident's start
/// was written in), else the configured `timezone`, unless a row names its
/// own; entries are kept in UTC.
pub(super) fn type_timeline(
    r: &mut FieldReporter<'_>,
    date: Option<Date>,
    start: Option<jiff::Timestamp>,
    date_zone: Option<TimeZone>,
    config: &Config,
) -> Vec<TimelineEntry> {
    let stated = r.doc.outline.timeline_zone.as_deref().and_then(crate::dates::zone_of_suffix);
    let stated_once = stated.is_some();
    let zone = stated.or(date_zone).unwrap_or_else(|| config.time_zone());
    let mut entries = Vec::with_capacity(r.doc.outline.timeline.len());
    let mut day_known = date.is_some();
    let mut day = date.unwrap_or(NOMINAL_DAY);
    // The last time read, in UTC: a clock time before it is the next day.
    let mut previous: Option<DateTime> = None;
    let mut rows = r.doc.outline.timeline.clone();
    newest_first_clocks(&mut rows, &zone, day);
    let first = r.diagnostics.len();
    let in_utc = |local: DateTime, zone: &TimeZone| {
        local
            .to_zoned(zone.clone())
            .map_or(local, |z| z.timestamp().to_zoned(TimeZone::UTC).datetime())
    };
    // A zone a row names holds for the rows after it that name none
    // ("2:05 PM PT", "2:20 PM", "2:45 PM"): writers state it once. Under a
    // zone the timeline states, a row in another is that row's alone.
    let mut zone = zone;
    for mut row in rows {
        let (read, day_only) = read_row_time(&row.time, &zone, day);
        let from_start = matches!(read, Some(TimelineTime::FromStart(_)));
        let at = match read {
            Some(TimelineTime::Full(dt)) => {
                let read = dt;
                let dt = nearer_reading(dt, date);
                // The day as the row shows it, when the other reading won.
                let shown = read.date().to_string();
                if dt != read && row.time.starts_with(&shown) {
                    let rest = row.time.get(shown.len()..).unwrap_or_default();
                    row.time = format!("{}{rest}", dt.date());
                }
                day = dt.date();
                day_known = true;
                Some(in_utc(dt, &zone))
            }
            Some(TimelineTime::Instant(ts, local_day, own)) => {
                // Its zone holds for the clock times after it, as a clock
                // time's own does ("14:00 CEST", then "14:20").
                row_zone(own, &mut zone, stated_once);
                day = local_day;
                day_known = true;
                Some(ts.to_zoned(TimeZone::UTC).datetime())
            }
            Some(TimelineTime::TimeOfDay(t, own)) => {
                // A time that names its zone ("14:05 PST", "22:40 UTC") is
                // read in it, not in the timeline's.
                let here = row_zone(own, &mut zone, stated_once);
                let mut at = in_utc(day.to_datetime(t), &here);
                if previous.is_some_and(|p| at < p) {
                    // Times only go forward: an earlier clock time is the next day.
                    day = day.tomorrow().unwrap_or(day);
                    at = in_utc(day.to_datetime(t), &here);
                }
                Some(at)
            }
            Some(TimelineTime::OnDay(days, t, own)) => {
                let here = row_zone(own, &mut zone, stated_once);
                let first = date.unwrap_or(NOMINAL_DAY);
                day = first.checked_add(jiff::Span::new().days(days)).unwrap_or(first);
                Some(in_utc(day.to_datetime(t), &here))
            }
            // "T+6m": from the start, when the incident gives one.
            Some(TimelineTime::FromStart(seconds)) if start.is_some() => start
                .and_then(|s| s.checked_add(jiff::SignedDuration::from_secs(seconds)).ok())
                .map(|at| at.to_zoned(TimeZone::UTC).datetime()),
            None if day_only.is_some() => {
                day = day_only.unwrap_or(day);
                day_known = true;
                None
            }
            found => {
                unreadable_time(r, &row, found.is_some());
                None
            }
        };
        if at.is_some() {
            previous = at;
        }
        // "T+6m" says no day of its own.
        let local =
            ((at.is_some() || day_only.is_some()) && day_known && !from_start).then_some(day);
        entries.push(TimelineEntry {
            time_text: row.time,
            at,
            day_known,
            day: local,
            event: row.event,
        });
    }
    locate_rows(r, first);
    oldest_first(&mut entries);
    entries
}

/// The zone a row is read in: the one it names, else the one in force.
/// The one it names holds for the rows after it, unless the timeline
/// states its zone (`stated`): there a row in another zone is an exception.
fn row_zone(own: Option<TimeZone>, zone: &mut TimeZone, stated: bool) -> TimeZone {
    match own {
        Some(own) if !stated => {
            *zone = own.clone();
            own
        }
        Some(own) => own,
        None => zone.clone(),
    }
}

/// Puts rows written newest first with clock times alone (`20:30 UTC`
/// above `14:30 UTC`), as status pages post their updates, in the order
/// things happened. Read as written, every time before the one above it
/// is the next day, and an afternoon's rows span a week: when the rows
/// go back in time more often than forward, and at least twice, they
/// were written newest first. Rows that name their day are left to
/// [`oldest_first`].
fn newest_first_clocks(rows: &mut [crate::model::RawTimelineRow], zone: &TimeZone, day: Date) {
    if rows.len() < 3 {
        return;
    }
    let mut clocks = Vec::with_capacity(rows.len());
    for row in rows.iter() {
        match parse_timeline_time(&row.time, zone, day) {
            Some(TimelineTime::TimeOfDay(t, _)) => clocks.push(t),
            _ => return,
        }
    }
    let back = clocks.windows(2).filter(|w| matches!(w, [a, b] if b < a)).count();
    let forward = clocks.windows(2).filter(|w| matches!(w, [a, b] if b > a)).count();
    if back >= 2 && back > forward {
        rows.reverse();
    }
}

/// Puts a timeline written newest first, as status pages post their
/// updates, in the order things happened: when every row has a time and
/// each is before the one above it. (Clock times alone never are: one
/// before the time above it is read as the next day.)
fn oldest_first(entries: &mut [TimelineEntry]) {
    let descending = entries.len() > 1
        && entries.iter().all(|e| e.at.is_some())
        && entries.windows(2).all(|w| matches!(w, [a, b] if b.at < a.at));
    if descending {
        entries.reverse();
    }
}

/// Gives the row diagnostics from index `first` on their lines, in one walk
/// of the file: a table of thousands of unreadable rows costs its length.
fn locate_rows(r: &mut FieldReporter<'_>, first: usize) {
    if let Some(found) = r.diagnostics.get_mut(first..) {
        locate_all(&r.doc.source.text, found);
    }
}

/// The zone a postmortem's timeline is written in, when it says: the one
/// stated above it ("All times PT"), else the one its first readable row
/// names ("2:05 PM PT").
pub(super) fn stated_zone(doc: &crate::model::Document) -> Option<TimeZone> {
    let outline = &doc.outline;
    if let Some(zone) = outline.timeline_zone.as_deref().and_then(crate::dates::zone_of_suffix) {
        return Some(zone);
    }
    let first = outline
        .timeline
        .iter()
        .find_map(|row| parse_timeline_time(&row.time, &TimeZone::UTC, NOMINAL_DAY));
    match first? {
        TimelineTime::TimeOfDay(_, own)
        | TimelineTime::OnDay(_, _, own)
        | TimelineTime::Instant(_, _, own) => own,
        TimelineTime::Full(_) | TimelineTime::FromStart(_) => None,
    }
}

enum TimelineTime {
    /// A date and time in the timeline's zone.
    Full(DateTime),
    /// A date and time that named its own zone, its day as written, and
    /// that zone (a fixed offset when it wrote one, `+02:00`).
    Instant(jiff::Timestamp, Date, Option<TimeZone>),
    /// A clock time, and the zone it named, if any.
    TimeOfDay(Time, Option<TimeZone>),
    /// Seconds after the incident's start (`T+6m`).
    FromStart(i64),
    /// A clock time on a day counted from the incident's first (`Day 2,
    /// 14:05` is 1 day after it), and the zone it named, if any.
    OnDay(i32, Time, Option<TimeZone>),
}

/// `dt`, or the same day with its month and day swapped when that is
/// within a week of the incident's `date` and `dt` is over a month from
/// it: a row written `12-01-2026 09:00` of an incident of 12 January 2026
/// is read month first when the outline reads it, and is that day.
fn nearer_reading(dt: DateTime, date: Option<Date>) -> DateTime {
    let Some(date) = date else { return dt };
    let apart = |d: Date| (d - date).get_days().unsigned_abs();
    let (month, day) = (dt.month(), dt.day());
    let swapped = (day <= 12 && day != month)
        .then(|| Date::new(dt.year(), day, month).ok())
        .flatten()
        .filter(|&s| apart(s) <= 7 && apart(dt.date()) > 31);
    swapped.map_or(dt, |s| s.to_datetime(dt.time()))
}

/// A row's time as read, and the day it gives when it gives one alone
/// (`2021-12-10 | the advisory is published`): the row is on that day, at
/// no time, and so are the clock times after it. A time marked `12:00+`
/// (from then on) or `10:45~` (about then) is read as the time, its mark
/// kept as written.
fn read_row_time(time: &str, zone: &TimeZone, day: Date) -> (Option<TimelineTime>, Option<Date>) {
    let mut read = parse_timeline_time(time, zone, day);
    let unmarked = time.trim_end_matches(['+', '~', '?']).trim_end();
    if read.is_none() && unmarked.len() < time.len() && !unmarked.is_empty() {
        read = parse_timeline_time(unmarked, zone, day);
    }
    let day_only = if read.is_none() { crate::dates::only_date(time) } else { None };
    (read, day_only)
}

/// RCA040 on a row whose time is not read: unreadable, or counted from a
/// start the incident does not give (`from_start`).
fn unreadable_time(
    r: &mut FieldReporter<'_>,
    row: &crate::model::RawTimelineRow,
    from_start: bool,
) {
    let (message, help) = if from_start {
        (
            format!("timeline time {:?} counts from the start, which is not given", row.time),
            "give `date` its time of day (date: 2024-09-01T02:00:00Z)",
        )
    } else {
        (
            format!("timeline time {:?} is not readable", row.time),
            "write HH:MM, HH:MM UTC, 2:05 PM, YYYY-MM-DD HH:MM, or T+6m from the start",
        )
    };
    let text = &r.doc.source.text;
    let end = text[row.offset..].find('\n').map_or(text.len(), |i| row.offset + i);
    r.diagnostics.push(
        Diagnostic::warning("RCA040", message)
            .spanning(&r.doc.source.rel_path, row.offset..end)
            .with_help(help),
    );
}

/// Reads `HH:MM`, `HH:MM:SS` (or `14h05`, as French teams write it), either
/// with a zone after it (`UTC`, `14:05Z`, `PST`, `Europe/Berlin`), or a full
/// `YYYY-MM-DD HH:MM` (any form [`crate::dates::parse_when`] reads), or a
/// day without its year before a time (`Mar 6, 23:50`), in the year of
/// `day`, the day the rows before it reached.
fn parse_timeline_time(s: &str, zone: &TimeZone, day: Date) -> Option<TimelineTime> {
    if let Some(seconds) = crate::dates::from_start(s) {
        return Some(TimelineTime::FromStart(seconds));
    }
    if let Some((days, rest)) = crate::dates::day_number(s) {
        return match parse_timeline_time(rest, zone, day)? {
            TimelineTime::TimeOfDay(t, own) => Some(TimelineTime::OnDay(days, t, own)),
            _ => None,
        };
    }
    let s = crate::dates::without_oclock(s.trim());
    let (core, own) = zone_after(&s);
    // A month is written in letters: most times hold none, and skip this.
    let day_first = core.bytes().any(|b| b.is_ascii_alphabetic());
    let in_letters = day_first.then(|| crate::dates::day_without_year(core, day)).flatten();
    // Or in figures before the time ("09-12 10:00"), without a year.
    let in_figures = || {
        let short = core.len() <= 16 && core.contains(' ');
        short.then(|| crate::dates::figures_without_year(core, day)).flatten()
    };
    if let Some((date, rest)) = in_letters.or_else(in_figures) {
        if let Some(TimelineTime::TimeOfDay(t, _)) = parse_timeline_time(rest, zone, day) {
            let at = date.to_datetime(t);
            return match own {
                Some(own) => {
                    let ts = at.to_zoned(own.clone()).ok()?.timestamp();
                    Some(TimelineTime::Instant(ts, date, Some(own)))
                }
                None => Some(TimelineTime::Full(at)),
            };
        }
    }
    // A 12-hour clock, "2:05 PM" (a full date with one is read below).
    let (core, pm) = match half_day(core) {
        Some((clock, pm)) if core.len() <= 14 => (clock, Some(pm)),
        _ => (core, None),
    };
    if core.len() > 10 {
        let named_zone =
            own.is_some() || core.contains('+') || core.rfind('-').is_some_and(|i| i > 10);
        if named_zone {
            let when = crate::dates::parse_when(&s, zone)?;
            let written = own.or_else(|| when.offset.map(TimeZone::fixed));
            return Some(TimelineTime::Instant(when.at?, when.date, written));
        }
        let when = crate::dates::parse_when(core, &TimeZone::UTC)?;
        let at = when.at?.to_zoned(TimeZone::UTC).datetime();
        return Some(TimelineTime::Full(at));
    }
    // `14.05`, as much of Europe writes a time; a day has a second point.
    let dotted = core.split_once('.').filter(|(h, m)| crate::dates::is_clock(h, m));
    let parts: Vec<&str> = match dotted {
        Some((h, m)) => vec![h, m],
        None => core.split([':', 'h', 'H']).collect(),
    };
    if (2..=3).contains(&parts.len())
        && parts.iter().all(|p| (1..=2).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()))
    {
        let n = |i: usize| parts.get(i).and_then(|p| p.parse::<i8>().ok()).unwrap_or(0);
        let hour = match pm {
            Some(_) if !(1..=12).contains(&n(0)) => return None,
            Some(pm) => {
                i8::try_from(crate::dates::hour_of_day(n(0).unsigned_abs().into(), pm)).ok()?
            }
            None => n(0),
        };
        return Time::new(hour, n(1), n(2), 0).ok().map(|t| TimelineTime::TimeOfDay(t, own));
    }
    None
}

/// `s` without the zone written after its time, and that zone: `UTC`,
/// `GMT` or `Z` written on or apart, else a last word that names a zone
/// (`PST`, `CET`, `Europe/Berlin`, `UTC+2`, `+02:00`), bare or in brackets
/// (`(CEST)`).
fn zone_after(s: &str) -> (&str, Option<TimeZone>) {
    // The whole last word: "MESZ" ends in Z but is no UTC.
    let utc = |z: &&str| s.strip_suffix(*z).filter(|core| !core.ends_with(char::is_alphabetic));
    if let Some(core) = ["UTC", "GMT", "Z", "utc", "gmt"].iter().find_map(utc) {
        return (core.trim(), Some(TimeZone::UTC));
    }
    let last = s.strip_suffix(')').and_then(|r| r.rsplit_once('(')).or_else(|| s.rsplit_once(' '));
    match last {
        Some((core, word))
            if word.starts_with(['+', '-']) || word.chars().any(|c| c.is_ascii_uppercase()) =>
        {
            match crate::dates::zone_of_suffix(word.trim()) {
                Some(zone) => (core.trim(), Some(zone)),
                None => (s, None),
            }
        }
        _ => (s, None),
    }
}

/// `s` without a trailing AM or PM ("2:05 PM", "2:05pm", "2:05 p.m."), and
/// whether it was PM.
fn half_day(s: &str) -> Option<(&str, bool)> {
    let lower = s.to_ascii_lowercase();
    let marks = [("a.m.", false), ("p.m.", true), ("am", false), ("pm", true)];
    let (mark, pm) = marks.iter().find(|(m, _)| lower.ends_with(m))?;
    Some((s.get(..s.len() - mark.len())?.trim_end(), *pm))
}

/// Types the action items; an unreadable due date is a warning.
pub(super) fn type_action_items(
    r: &mut FieldReporter<'_>,
    due_level: Option<crate::diag::Level>,
) -> Vec<ActionItem> {
    let raw = r.doc.outline.action_items.clone();
    let mut items = Vec::with_capacity(raw.len());
    let first = r.diagnostics.len();
    for item in raw {
        let due = item.due.as_deref().and_then(|d| {
            let d = d.trim();
            if matches!(d.to_lowercase().as_str(), "" | "-" | "tbd" | "n/a" | "none") {
                return None;
            }
            // ISO, or any form a date is written in ("2024年4月1日").
            let read = d.parse::<Date>().ok().or_else(|| crate::dates::due_by(d));
            match read {
                Some(date) => Some(date),
                None => {
                    let level = due_level?;
                    let text = &r.doc.source.text;
                    let end =
                        text[item.offset..].find('\n').map_or(text.len(), |i| item.offset + i);
                    r.diagnostics.push(
                        Diagnostic {
                            level,
                            ..Diagnostic::warning(
                                "RCA041",
                                format!("action item due date {d:?} is not a date"),
                            )
                        }
                        .spanning(&r.doc.source.rel_path, item.offset..end)
                        .with_help("write due dates as YYYY-MM-DD"),
                    );
                    None
                }
            }
        });
        // A curly apostrophe, as editors type it, is the straight one; a
        // mark beside the word ("✅ Done", "Open 🔴") is no part of it.
        let written =
            item.status.as_deref().unwrap_or("open").trim().to_lowercase().replace('’', "'");
        let checked = written.contains(['✅', '✔', '☑']);
        // A cross or an empty box in a "Done" column says not done yet.
        let crossed = written.contains(['❌', '✖', '✗', '✘', '☐', '⬜', '🔲']);
        let bare = written.trim_matches(|c: char| !c.is_alphanumeric()).trim();
        let status = match bare {
            "" if checked => "done".to_string(),
            "" if crossed => "open".to_string(),
            "" => written.clone(),
            // Work not yet begun is open work; so is a "Done" column's "no".
            "not started" | "to do" | "todo" | "planned" | "pending" | "backlog" | "new" | "no" => {
                "open".to_string()
            }
            bare => bare.to_string(),
        };
        // Done, or closed without being done ("won't fix", "dropped"):
        // either way no longer open work, never overdue.
        let done = matches!(
            status.as_str(),
            "done"
                | "closed"
                | "complete"
                | "completed"
                | "resolved"
                | "fixed"
                | "x"
                | "yes"
                | "won't fix"
                | "wont fix"
                | "wontfix"
                | "won't do"
                | "dropped"
                | "cancelled"
                | "canceled"
                | "obsolete"
                | "declined"
        );
        // `@maria` in a table cell is the owner `maria`, as the mention
        // `@maria` in text is: one owner, one page.
        // A dash or "TBD" in an owner cell says nobody owns it yet.
        let owner = item.owner.map(|o| o.trim().trim_start_matches('@').trim().to_string());
        // The archive's people by their handles (`[values.author]`, which
        // `adopt` fills from a blog's authors file): `jlo` is Jun Lo.
        let people = r.config.values.get("author");
        let owner = owner.map(|o| {
            let named = people.and_then(|map| super::fields::mapped_text(&o, map));
            named.map_or(o, String::clone)
        });
        let placeholder = |o: &str| {
            o.chars().all(|c| !c.is_alphanumeric())
                || matches!(
                    o.to_lowercase().as_str(),
                    "tbd" | "n/a" | "na" | "none" | "nobody" | "unassigned" | "unknown" | "todo"
                )
        };
        // (An owner TODO is left for the author: the lints name it RCA022.)
        items.push(ActionItem {
            action: item.action,
            priority: item.priority,
            owner: owner.filter(|o| !placeholder(o)),
            due,
            status: if status.is_empty() { "open".into() } else { status },
            done,
        });
    }
    locate_rows(r, first);
    items
}

#[cfg(test)]
mod tests;
