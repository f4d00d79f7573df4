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
    date_zone: Option<TimeZone>,
    config: &Config,
) -> Vec<TimelineEntry> {
    let zone = r
        .doc
        .outline
        .timeline_zone
        .as_deref()
        .and_then(crate::dates::zone_of_suffix)
        .or(date_zone)
        .unwrap_or_else(|| config.time_zone());
    let mut entries = Vec::with_capacity(r.doc.outline.timeline.len());
    let mut day_known = date.is_some();
    let mut day = date.unwrap_or(NOMINAL_DAY);
    // The last time read, in UTC: a clock time before it is the next day.
    let mut previous: Option<DateTime> = None;
    let rows = r.doc.outline.timeline.clone();
    let first = r.diagnostics.len();
    let in_utc = |local: DateTime, zone: &TimeZone| {
        local
            .to_zoned(zone.clone())
            .map_or(local, |z| z.timestamp().to_zoned(TimeZone::UTC).datetime())
    };
    // A zone a row names holds for the rows after it that name none
    // ("2:05 PM PT", "2:20 PM", "2:45 PM"): writers state it once.
    let mut zone = zone;
    for row in rows {
        let at = match parse_timeline_time(&row.time, &zone, day) {
            Some(TimelineTime::Full(dt)) => {
                day = dt.date();
                day_known = true;
                Some(in_utc(dt, &zone))
            }
            Some(TimelineTime::Instant(ts, local_day)) => {
                day = local_day;
                day_known = true;
                Some(ts.to_zoned(TimeZone::UTC).datetime())
            }
            Some(TimelineTime::TimeOfDay(t, own)) => {
                // A time that names its zone ("14:05 PST", "22:40 UTC") is
                // read in it, not in the timeline's.
                if let Some(own) = own {
                    zone = own;
                }
                let mut at = in_utc(day.to_datetime(t), &zone);
                if previous.is_some_and(|p| at < p) {
                    // Times only go forward: an earlier clock time is the next day.
                    day = day.tomorrow().unwrap_or(day);
                    at = in_utc(day.to_datetime(t), &zone);
                }
                Some(at)
            }
            None => {
                let text = &r.doc.source.text;
                let end = text[row.offset..].find('\n').map_or(text.len(), |i| row.offset + i);
                r.diagnostics.push(
                    Diagnostic::warning(
                        "RCA040",
                        format!("timeline time {:?} is not readable", row.time),
                    )
                    .spanning(&r.doc.source.rel_path, row.offset..end)
                    .with_help("write HH:MM, HH:MM UTC, 2:05 PM, or YYYY-MM-DD HH:MM"),
                );
                None
            }
        };
        if at.is_some() {
            previous = at;
        }
        entries.push(TimelineEntry { time_text: row.time, at, day_known, event: row.event });
    }
    locate_rows(r, first);
    entries
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
        TimelineTime::TimeOfDay(_, own) => own,
        TimelineTime::Full(_) | TimelineTime::Instant(..) => None,
    }
}

enum TimelineTime {
    /// A date and time in the timeline's zone.
    Full(DateTime),
    /// A date and time that named its own zone, and its day as written.
    Instant(jiff::Timestamp, Date),
    /// A clock time, and the zone it named, if any.
    TimeOfDay(Time, Option<TimeZone>),
}

/// Reads `HH:MM`, `HH:MM:SS` (or `14h05`, as French teams write it), either
/// with a zone after it (`UTC`, `14:05Z`, `PST`, `Europe/Berlin`), or a full
/// `YYYY-MM-DD HH:MM` (any form [`crate::dates::parse_when`] reads), or a
/// day without its year before a time (`Mar 6, 23:50`), in the year of
/// `day`, the day the rows before it reached.
fn parse_timeline_time(s: &str, zone: &TimeZone, day: Date) -> Option<TimelineTime> {
    let s = crate::dates::without_oclock(s.trim());
    let (core, own) = zone_after(s);
    // A month is written in letters: most times hold none, and skip this.
    let day_first = core.bytes().any(|b| b.is_ascii_alphabetic());
    if let Some((date, rest)) =
        day_first.then(|| crate::dates::day_without_year(core, day)).flatten()
    {
        if let Some(TimelineTime::TimeOfDay(t, _)) = parse_timeline_time(rest, zone, day) {
            let at = date.to_datetime(t);
            return match own {
                Some(own) => Some(TimelineTime::Instant(at.to_zoned(own).ok()?.timestamp(), date)),
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
            let when = crate::dates::parse_when(s, zone)?;
            return Some(TimelineTime::Instant(when.at?, when.date));
        }
        let when = crate::dates::parse_when(core, &TimeZone::UTC)?;
        let at = when.at?.to_zoned(TimeZone::UTC).datetime();
        return Some(TimelineTime::Full(at));
    }
    let parts: Vec<&str> = core.split([':', 'h', 'H']).collect();
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
    if let Some(core) = ["UTC", "GMT", "Z", "utc", "gmt"].iter().find_map(|z| s.strip_suffix(z)) {
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
        let bare = written.trim_matches(|c: char| !c.is_alphanumeric()).trim();
        let status = match bare {
            "" if checked => "done".to_string(),
            "" => written.clone(),
            // Work not yet begun is open work.
            "not started" | "to do" | "todo" | "planned" | "pending" | "backlog" | "new" => {
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
mod tests {
    use super::super::tests::{codes, typed};
    use jiff::civil::Date;

    #[test]
    fn timeline_rolls_over_midnight_and_reads_full_timestamps() {
        let body = "---\ntitle: A\ndate: 2024-01-01\nseverity: P1\n---\n## Timeline\n| Time | Event |\n|--|--|\n\
            | 23:40 UTC | alert |\n| 00:15 | fixed |\n| 2024-01-03 10:00 | review |\n| soon | ? |\n";
        let (i, diags) = typed("x.md", body);
        let i = i.unwrap();
        let at: Vec<_> = i.timeline.iter().map(|e| e.at.map(|d| d.to_string())).collect();
        assert_eq!(
            at,
            [
                Some("2024-01-01T23:40:00".to_string()),
                Some("2024-01-02T00:15:00".to_string()),
                Some("2024-01-03T10:00:00".to_string()),
                None
            ]
        );
        assert_eq!(codes(&diags), ["RCA040"]);
        assert_eq!(diags[0].line(), Some(12));
        assert!(i.timeline.iter().all(|e| e.day_known));
    }

    #[test]
    fn twelve_hour_clocks_and_a_date_column_beside_the_time_are_read() {
        let at = |table: &str| {
            let body =
                format!("---\ntitle: A\ndate: 2024-01-01\nseverity: P1\n---\n## Timeline\n{table}");
            let (i, diags) = typed("x.md", &body);
            assert!(diags.is_empty(), "{diags:?}");
            i.unwrap().timeline.iter().map(|e| e.at.map(|d| d.to_string())).collect::<Vec<_>>()
        };
        let when = |s: &[&str]| s.iter().map(|s| Some(s.to_string())).collect::<Vec<_>>();
        assert_eq!(
            at(
                "| When | What |\n|--|--|\n| 11:50 PM | alert |\n| 12:10 am | fix |\n| 2:05 p.m. | review |\n"
            ),
            when(&["2024-01-01T23:50:00", "2024-01-02T00:10:00", "2024-01-02T14:05:00"])
        );
        assert_eq!(
            at(
                "| Date | Time | Event |\n|--|--|--|\n| 2024-01-02 | 14:05 | alert |\n| 2024-01-03 | 09:00 | fix |\n"
            ),
            when(&["2024-01-02T14:05:00", "2024-01-03T09:00:00"])
        );
        // No event column named: the one that is neither day nor time.
        assert_eq!(
            at("| Date | Time | Notes |\n|--|--|--|\n| 2024-01-02 | 14:05 | alert |\n"),
            when(&["2024-01-02T14:05:00"])
        );
    }

    #[test]
    fn a_timeline_written_as_lines_of_paragraphs_is_read_and_prose_is_not() {
        let typed_at = |timeline: &str| {
            let body = format!(
                "---\ntitle: A\ndate: 2024-01-01\nseverity: P1\n---\n## Timeline\n\n{timeline}"
            );
            let (i, _) = typed("x.md", &body);
            let i = i.unwrap();
            let rows: Vec<_> = i
                .timeline
                .iter()
                .map(|e| (e.at.map(|d| d.time().to_string()), e.event.clone()))
                .collect();
            (rows, i.doc.outline.timeline.iter().map(|r| r.offset).collect::<Vec<_>>())
        };
        let row = |t: &str, e: &str| (Some(format!("{t}:00")), e.to_string());
        // Lines of one paragraph, under a zone statement, each row at its line.
        let (rows, offsets) =
            typed_at("All times UTC  \n14:05 - pager fires  \n14:20 - rolled back\n");
        assert_eq!(rows, [row("14:05", "pager fires"), row("14:20", "rolled back")]);
        assert!(offsets[1] > offsets[0], "{offsets:?}");
        // A paragraph each, the time in bold.
        let (rows, _) = typed_at("**09:00** deploy starts\n\n**09:12** errors climb\n");
        assert_eq!(rows, [row("09:00", "deploy starts"), row("09:12", "errors climb")]);
        // Prose that opens with a time is not a row.
        let (rows, _) = typed_at("14:05 is when it began,\nand nobody noticed for an hour.\n");
        assert!(rows.is_empty(), "{rows:?}");
    }

    #[test]
    fn action_items_are_typed() {
        let body = "---\ntitle: A\ndate: 2024-01-01\nseverity: P1\n---\n## Action Items\n\
            | Action | Owner | Due | Status |\n|--|--|--|--|\n| Fix | SRE | 2024-02-01 | Done |\n\
            | Alert | DB | next week | open |\n";
        let (i, diags) = typed("x.md", body);
        let i = i.unwrap();
        assert!(i.action_items[0].done);
        assert_eq!(i.action_items[0].due, Some(Date::constant(2024, 2, 1)));
        assert!(!i.action_items[1].done);
        assert_eq!(codes(&diags), ["RCA041"]);
    }

    #[test]
    fn an_eta_column_is_the_due_date_and_a_details_column_is_not() {
        let body = "---\ntitle: A\ndate: 2024-01-01\nseverity: P1\n---\n## Action Items\n\
            | Ticket | Details | Owner | ETA |\n|--|--|--|--|\n| OPS-1 | Add alerting | SRE | 04/15/2024 |\n";
        let (i, diags) = typed("x.md", body);
        assert!(diags.is_empty(), "{diags:?}");
        let item = &i.unwrap().action_items[0];
        assert_eq!(item.due, Some(Date::constant(2024, 4, 15)));
        assert_eq!(item.action, "Add alerting");
    }

    #[test]
    fn an_undated_timeline_keeps_its_offsets_but_not_a_day() {
        // See: issue #10.
        let config = crate::config::Config::parse(
            "required_fields = []\n",
            std::path::Path::new("hindsight.toml"),
        )
        .unwrap();
        let body = "---\ntitle: A\n---\n## Timeline\n| Time | Event |\n|--|--|\n\
            | 23:40 | alert |\n| 00:15 | fixed |\n";
        let source = crate::load::source_from_bytes(
            std::path::Path::new("content/x.md"),
            body.as_bytes().to_vec(),
        )
        .unwrap();
        let doc = crate::load::parse_document(source).0.unwrap();
        let (i, diags) = super::super::incident_from(doc, &config);
        let i = i.unwrap();
        assert_eq!(codes(&diags), ["RCA023"]);
        assert!(i.date.is_none());
        assert!(i.timeline.iter().all(|e| !e.day_known));
        let at: Vec<_> = i.timeline.iter().filter_map(|e| e.at).collect();
        assert_eq!(at.len(), 2);
        assert_eq!(at[0].time(), jiff::civil::time(23, 40, 0, 0));
        assert_eq!(crate::metrics::minutes_between(at[0], at[1]), 35, "over midnight");
    }

    /// See #23: a timeline that states its zone above the table.
    #[test]
    fn issue_23_timeline_rows_in_a_stated_zone() {
        let body = "---\ntitle: A\ndate: 2021-03-04\nseverity: P1\n---\n## Timeline\n\n\
            All times in CET.\n\n| Time | Event |\n|--|--|\n| 2021-03-04 23:50 | alert |\n\
            | 00:20 | fixed |\n| 2021-03-05 09:00 UTC | review |\n";
        let (i, diags) = typed("x.md", body);
        assert!(diags.is_empty(), "{diags:?}");
        let at: Vec<_> = i.unwrap().timeline.iter().map(|e| e.at.unwrap().to_string()).collect();
        assert_eq!(at, ["2021-03-04T22:50:00", "2021-03-04T23:20:00", "2021-03-05T09:00:00"]);
    }

    #[test]
    fn each_time_is_read_in_the_zone_it_names() {
        // Pacific times beside UTC ones, as responders in two places write.
        let body = "---\ntitle: A\ndate: 2024-01-10\nseverity: P1\n---\n## Timeline\n\n\
            - 14:02 PST deploy starts\n- 14:09 PST errors\n- 22:40 UTC rolled back\n\
            - 16:50 PST calm\n- 01:10 UTC review\n";
        let (i, diags) = typed("x.md", body);
        assert!(diags.is_empty(), "{diags:?}");
        let at: Vec<_> = i.unwrap().timeline.iter().map(|e| e.at.unwrap().to_string()).collect();
        assert_eq!(
            at,
            [
                "2024-01-10T22:02:00",
                "2024-01-10T22:09:00",
                "2024-01-10T22:40:00",
                "2024-01-11T00:50:00",
                "2024-01-11T01:10:00",
            ],
            "each in its zone, a day later only when the instant goes back"
        );
    }

    #[test]
    fn offsets_from_utc_and_zones_in_brackets_are_read_in_rows_and_statements() {
        let at = |timeline: &str| {
            let body = format!(
                "---\ntitle: A\ndate: 2024-06-01T10:00:00Z\nseverity: P1\n---\n## Timeline\n\n{timeline}"
            );
            let (i, diags) = typed("x.md", &body);
            assert!(diags.is_empty(), "{diags:?}");
            i.unwrap().timeline.iter().map(|e| e.at.unwrap().to_string()).collect::<Vec<_>>()
        };
        let want = [
            "2024-06-01T10:00:00",
            "2024-06-01T10:05:00",
            "2024-06-01T10:20:00",
            "2024-06-01T10:30:00",
        ];
        let list = "- 12:00 UTC+2 alert\n- 10:05 UTC paged\n- 12:20 +02:00 mitigated\n- 12:30 (CEST) resolved\n";
        assert_eq!(at(list), want, "a list");
        let table = "| Time | Event |\n|--|--|\n| 12:00 UTC+2 | alert |\n| 10:05 UTC | paged |\n\
                     | 12:20 +02:00 | mitigated |\n| 12:30 (CEST) | resolved |\n";
        assert_eq!(at(table), want, "a table");
        let stated = "All times UTC+2.\n\n- 12:00 alert\n- 12:05 paged\n- 12:20 mitigated\n- 12:30 resolved\n";
        assert_eq!(
            at(stated),
            [
                "2024-06-01T10:00:00",
                "2024-06-01T10:05:00",
                "2024-06-01T10:20:00",
                "2024-06-01T10:30:00"
            ]
        );
    }

    #[test]
    fn a_time_with_uhr_after_it_is_read() {
        let body = "---\ntitle: A\ndate: 2024-06-01\nseverity: P1\n---\n## Zeitlinie\n\n\
            | Zeit | Ereignis |\n|--|--|\n| 14:05 Uhr | Alarm |\n| 14:20 Uhr | behoben |\n";
        let (i, diags) = typed("x.md", body);
        assert!(diags.iter().all(|d| d.code != "RCA040"), "{diags:?}");
        let at: Vec<_> = i.unwrap().timeline.iter().map(|e| e.at.unwrap().to_string()).collect();
        assert_eq!(at, ["2024-06-01T14:05:00", "2024-06-01T14:20:00"]);
    }

    #[test]
    fn a_timeline_is_read_in_the_zone_the_start_was_written_in() {
        let at = |date: &str, zone_line: &str| {
            let body = format!(
                "---\ntitle: A\ndate: {date}\nseverity: P1\n---\n## Timeline\n\n{zone_line}\
                 - 09:12 certificate expires\n- 09:27 alert fires\n"
            );
            let (i, diags) = typed("x.md", &body);
            assert!(diags.is_empty(), "{diags:?}");
            i.unwrap().timeline.iter().map(|e| e.at.unwrap().to_string()).collect::<Vec<_>>()
        };
        // Written at +02:00, the team's clocks read +02:00.
        assert_eq!(
            at("2023-10-17T09:12:00+02:00", ""),
            ["2023-10-17T07:12:00", "2023-10-17T07:27:00"]
        );
        assert_eq!(at("2023-10-17 09:12 PST", ""), ["2023-10-17T16:12:00", "2023-10-17T16:27:00"]);
        // UTC is what tools convert to: the configured zone (UTC here) applies.
        assert_eq!(at("2023-10-17T07:12:00Z", ""), ["2023-10-17T09:12:00", "2023-10-17T09:27:00"]);
        // A zone the timeline states wins.
        assert_eq!(
            at("2023-10-17T09:12:00+02:00", "All times UTC\n\n"),
            ["2023-10-17T09:12:00", "2023-10-17T09:27:00"]
        );
    }

    #[test]
    fn a_day_without_its_year_before_a_time_is_read() {
        let body = "---\ntitle: A\ndate: 2024-03-06\nseverity: P1\n---\n## Timeline\n\n\
            | When | What |\n|---|---|\n| Mar 6, 23:50 | backup starts |\n| Mar 7, 02:10 | disk alert |\n\
            | 7 March 03:30 PST | writes resume |\n";
        let (i, diags) = typed("x.md", body);
        assert!(diags.iter().all(|d| d.code != "RCA040"), "{diags:?}");
        let at: Vec<_> = i.unwrap().timeline.iter().map(|e| e.at.unwrap().to_string()).collect();
        assert_eq!(at, ["2024-03-06T23:50:00", "2024-03-07T02:10:00", "2024-03-07T11:30:00"]);
    }

    #[test]
    fn a_zone_a_row_names_holds_for_the_rows_after_it() {
        let body = "---\ntitle: A\ndate: 2024-03-05\nseverity: P1\n---\n## Timeline\n\n\
            - 2:05 PM PT lag alert fires\n- 2:20 PM config rolled back\n- 2:45 PM lag back to normal\n";
        let (i, _) = typed("x.md", body);
        let at: Vec<_> = i.unwrap().timeline.iter().map(|e| e.at.unwrap().to_string()).collect();
        assert_eq!(at, ["2024-03-05T22:05:00", "2024-03-05T22:20:00", "2024-03-05T22:45:00"]);
    }

    #[test]
    fn a_start_without_a_zone_is_read_in_the_file_or_timeline_zone() {
        let start = |matter: &str, timeline: &str| {
            let body = format!(
                "---\ntitle: A\nseverity: P1\n{matter}---\n## Timeline\n\n{timeline}\
                 - 14:20 rolled back\n"
            );
            let (i, diags) = typed("x.md", &body);
            let i = i.unwrap();
            let at = i.timeline.last().and_then(|e| e.at).map(|a| a.to_string());
            (
                i.started_at.map(|t| t.to_string()),
                at,
                diags.iter().map(|d| d.code).collect::<Vec<_>>(),
            )
        };
        let some = |s: &str| Some(s.to_string());
        // The file names its zone: the start and the timeline are read there.
        assert_eq!(
            start("date: 2024-03-05 14:05\ntimezone: America/Los_Angeles\n", ""),
            (some("2024-03-05T22:05:00Z"), some("2024-03-05T22:20:00"), vec![])
        );
        assert_eq!(
            start("date: 2024-03-05 14:05\ntimezone: UTC+2\n", ""),
            (some("2024-03-05T12:05:00Z"), some("2024-03-05T12:20:00"), vec![])
        );
        // The timeline states its zone, above it or on its first row.
        assert_eq!(
            start("date: 2024-03-05 14:05\n", "All times PT.\n\n"),
            (some("2024-03-05T22:05:00Z"), some("2024-03-05T22:20:00"), vec![])
        );
        assert_eq!(
            start("date: 2024-03-05 14:05\n", "- 14:05 PST alert fires\n"),
            (some("2024-03-05T22:05:00Z"), some("2024-03-05T22:20:00"), vec![])
        );
        // A start that names its own zone keeps it.
        assert_eq!(
            start("date: 2024-03-05T14:05:00Z\n", "All times PT.\n\n").0,
            some("2024-03-05T14:05:00Z")
        );
        // A zone that is not one is a warning, and the times read as before.
        assert_eq!(
            start("date: 2024-03-05 14:05\ntimezone: Mars/Olympus\n", ""),
            (some("2024-03-05T14:05:00Z"), some("2024-03-05T14:20:00"), vec!["RCA011"])
        );
    }

    /// See #23: a timeline written as a list under bold day lines.
    #[test]
    fn issue_23_timeline_as_a_list_under_day_lines() {
        let body = "---\ntitle: A\ndate: 2024-02-03\nseverity: P1\n---\n## Timeline\n\n\
            **2024-02-03**\n\n- 23:10 OUTAGE BEGINS\n- 23:40 paged\n\n**2024-02-04**\n\n\
            - 01:05 OUTAGE ENDS\n";
        let (i, _) = typed("x.md", body);
        let at: Vec<_> = i.unwrap().timeline.iter().map(|e| e.at.unwrap().to_string()).collect();
        assert_eq!(at, ["2024-02-03T23:10:00", "2024-02-03T23:40:00", "2024-02-04T01:05:00"]);
    }
}
