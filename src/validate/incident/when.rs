//! When an incident happened and for how long: its date (a field in any
//! form a tool writes, else a date in the file name, else one in its text
//! or title), and its duration (a number of minutes, a span as another
//! tool writes one, or the time between its start and `resolved_at`).
//!
//! Part of typing one incident (`incident`): its warnings go to the same
//! reporter.

use jiff::civil::Date;
use jiff::tz::TimeZone;

use super::{describe, is_todo, todo_warning, type_error};
use crate::config::Config;
use crate::dates::When;
use crate::diag::Diagnostic;
use crate::model::{Document, MatterFormat, RawValue, scalar_string};
use crate::validate::fields::FieldReporter;

/// `duration_minutes` as written: a whole number, a string of one, or a
/// span as a `duration` key of another tool holds it (`1h30m`, `90 min`,
/// `1 hour 30 minutes`, ISO 8601's `PT1H30M`, `1:30`, `~2 hours`).
pub(super) fn type_duration(r: &mut FieldReporter<'_>) -> Option<u64> {
    let v = r.fields.get("duration_minutes")?;
    let minutes = match v {
        RawValue::Number(n) => n.as_u64(),
        RawValue::String(s) => {
            s.trim().parse::<u64>().ok().or_else(|| crate::dates::span_minutes(s))
        }
        _ => None,
    };
    if minutes.is_none() {
        let d = Diagnostic::error(
            "RCA015",
            format!("`duration_minutes` is {}, not a whole number of minutes", describe(v)),
        );
        // A labelled line standing in for front matter: the file builds
        // without a duration, as it would without the line.
        let lenient = r.doc.format == MatterFormat::None;
        let d = if lenient { Diagnostic { level: crate::diag::Level::Warning, ..d } } else { d };
        r.report("duration_minutes", d);
    }
    minutes
}

/// The zone this file's times are written in, when its front matter says
/// (`timezone: America/Los_Angeles`, `tz: PST`, `timezone: UTC+2`). One
/// that is not a zone is a warning, and the file's times are read as if
/// it were not written.
pub(super) fn type_time_zone(r: &mut FieldReporter<'_>) -> Option<TimeZone> {
    let v = r.fields.get("timezone")?;
    let zone = scalar_string(v).and_then(|s| crate::dates::zone_of_suffix(s.trim()));
    if zone.is_none() {
        let d = type_error("timezone", "a time zone such as \"Europe/Berlin\" or \"PST\"", v);
        r.report("timezone", Diagnostic { level: crate::diag::Level::Warning, ..d });
    }
    zone
}

/// The date: from the `date` field (any form Hugo, Jekyll or YAML write,
/// see [`crate::dates::parse_when`]), else a date in the file name (see
/// [`name_date`]), else one in the text or the title (see
/// [`inferred_date`]). A date written but unreadable is an error (RCA012)
/// only when no other date can be read: with one, it is a warning and the
/// page is built. No date at all is an
/// error only when `date` is required (RCA010 for front matter, RCA012
/// without); otherwise the incident is undated, with a warning (RCA023).
/// The day, with the instant and the zone's offset when a time was written.
pub(super) fn type_date(
    r: &mut FieldReporter<'_>,
    config: &Config,
    zone: &TimeZone,
) -> Option<When> {
    let doc = r.doc;
    let mut written = r.fields.get("date").cloned();
    // `import` writes TODO when it finds no date: where dates are optional
    // that is a reminder, and the file goes on as if it had no date field.
    if written.as_ref().is_some_and(is_todo) && !config.is_required("date") {
        r.lint("todo-field", "date", todo_warning("date"));
        written = None;
    }
    if let Some(v) = &written {
        let text = scalar_string(v);
        if let Some(when) = text.as_deref().and_then(|s| crate::dates::parse_when(s, zone)) {
            let text = text.as_deref();
            let ambiguous = text.and_then(crate::dates::ambiguous_day_month);
            // The file's name settles which: `2024-06-11-dns.md` is dated
            // "11/06/2024" day first.
            if let Some((_, other)) =
                ambiguous.filter(|&(_, other)| name_date(&doc.source.stem) == Some(other))
            {
                if let Some(day_first) = text
                    .and_then(|t| crate::dates::day_first_reading(t, zone))
                    .filter(|w| w.date == other)
                {
                    return Some(with_time_field(doc, text, day_first, zone));
                }
            }
            if let Some((read, other)) = ambiguous {
                let what = format!("`date` {}", describe(v));
                two_readings(r, &what, (read, other), format!("write it as {read} or {other}"));
            }
            return Some(with_time_field(doc, text, when, zone));
        }
        let unreadable =
            Diagnostic::error("RCA012", format!("`date` is {}, not a date", describe(v)))
                .with_help(
                    "write the day the incident started as YYYY-MM-DD, or a timestamp such as 2024-03-01T14:05:00Z",
                );
        // A day the file still gives, and the warning that says whence.
        let instead = name_date(&doc.source.stem)
            .map(|date| (date, format!("{}; using {date} from the file name", unreadable.message)))
            .or_else(|| {
                let date = crate::dates::month_start(text.as_deref()?)?;
                let why = format!("`date` is {}, a month without a day; using {date}", describe(v));
                Some((date, why))
            });
        if let Some((date, message)) = instead {
            let level = crate::diag::Level::Warning;
            r.report("date", Diagnostic { level, message, ..unreadable });
            return Some(When::day(date));
        }
        if doc.format != MatterFormat::None {
            r.fatal("date", unreadable);
            return None;
        }
        // A labelled line standing in for front matter: the date is looked
        // for where a file without one is, as if the line were prose.
        r.report("date", Diagnostic { level: crate::diag::Level::Warning, ..unreadable });
    }
    if let Some(date) = name_date(&doc.source.stem).or_else(|| inferred_date(r, doc)) {
        return Some(When::day(date));
    }
    let lenient = doc.format == MatterFormat::None;
    if !config.is_required("date") {
        r.lint(
            "undated",
            "date",
            Diagnostic::warning("RCA023", "no date: the incident is listed as undated")
                .with_help("add a `date` (or map one with [fields]) to place it in time"),
        );
    } else if lenient {
        // With front matter, the required-field rule has reported it already.
        r.fatal(
            "date",
            Diagnostic::error(
                "RCA012",
                "no date: no front matter, no date in the file name, and no date in \
                 the text",
            )
            .with_help(
                "add front matter with `date: YYYY-MM-DD`, or write the date in the text \
                 (2024-03-01, March 1, 2024, 2024/3/1, 2024年3月1日)",
            ),
        );
    }
    None
}

/// `when`, a day without a time, joined to the time of day a `time` key
/// beside the date gives (`date: 2024-06-02`, `time: "14:05 UTC"`), as
/// some templates keep the two apart; else `when` as it is.
fn with_time_field(doc: &Document, date: Option<&str>, when: When, zone: &TimeZone) -> When {
    let time = doc.matter.iter().find(|(k, _)| crate::config::same_key(k, "time"));
    let (Some(date), Some((_, time)), None) = (date, time, when.at) else { return when };
    let joined = scalar_string(time).map(|t| format!("{} {}", date.trim(), t.trim()));
    joined
        .and_then(|j| crate::dates::parse_when(&j, zone))
        .filter(|w| w.date == when.date && w.at.is_some())
        .unwrap_or(when)
}

/// The minutes from the start to the time a front-matter `field` gives:
/// the duration from a `resolved_at` end time, when the front matter gives
/// no `duration_minutes`, and the times to detect and mitigate from
/// `detected_at` and `mitigated_at`. A time of day written alone is on
/// the start's day (see [`time_on_day`]).
pub(super) fn minutes_to(
    r: &mut FieldReporter<'_>,
    field: &str,
    start: Option<When>,
    zone: &TimeZone,
) -> Option<u64> {
    let value = r.fields.get(field)?.clone();
    let what = if field == "resolved_at" { "end time" } else { field };
    let text = scalar_string(&value);
    let written = text.as_deref().and_then(|s| crate::dates::parse_when(s, zone));
    let on_start_day = || time_on_day(text.as_deref()?, start?, zone);
    let Some(end) = written.and_then(|w| w.at).or_else(on_start_day) else {
        // A day with no time of day gives no duration, and is not wrong.
        if written.is_some() {
            return None;
        }
        r.report(
            field,
            Diagnostic::warning(
                "RCA019",
                format!("{what} is {}, not a date and time", describe(&value)),
            ),
        );
        return None;
    };
    let start = start?.at?;
    let minutes = end.duration_since(start).as_secs() / 60;
    if minutes < 0 {
        r.report(field, Diagnostic::warning("RCA019", format!("{what} is before the start time")));
        return None;
    }
    u64::try_from(minutes).ok()
}

/// A time of day written alone (`End time: 09:55 CEST`), as the table of
/// fields of a report often gives it under the date: the first such
/// instant at or after `start`, on the start's day or, past midnight, the
/// next.
fn time_on_day(time: &str, start: When, zone: &TimeZone) -> Option<jiff::Timestamp> {
    let (day, started_at) = (start.date, start.at?);
    // A time without a zone is on the start's clock.
    let zone = start.offset.map_or_else(|| zone.clone(), TimeZone::fixed);
    [day, day.tomorrow().ok()?].into_iter().find_map(|day| {
        let at = crate::dates::parse_when(&format!("{day} {}", time.trim()), &zone)?.at?;
        (at >= started_at).then_some(at)
    })
}

/// A date written in the body, or in a `url` value, for files with no date
/// field; a warning says it was inferred. Failing a whole date, a month
/// with its year in the title or the body ("outage in December 2019") is
/// read as that month's first day: a page placed in its month beats one
/// listed as undated.
fn inferred_date(r: &mut FieldReporter<'_>, doc: &Document) -> Option<Date> {
    let body = &doc.source.text[doc.body.clone()];
    let url = doc.matter.get("url").and_then(scalar_string).unwrap_or_default();
    let first = crate::dates::first_date_written(body).or_else(|| {
        let (date, _) = crate::dates::first_date_written(&url)?;
        Some((date, ""))
    });
    let (found, whence) = match first {
        Some((found, written)) => match crate::dates::ambiguous_day_month(written) {
            Some(readings) => two_ways(r, doc, written, readings),
            None => (found, "the first date in the text".to_string()),
        },
        None => {
            let title = r.fields.get("title").and_then(scalar_string).unwrap_or_default();
            let hint = year_of_place(&doc.source);
            // A day in the month the file name gives is surer than a
            // month the text names, which is surer than a day in the
            // year of a folder.
            let day = || {
                let (year, month, whence) = hint?;
                let (found, written) = crate::dates::first_day_in(&title, year, month)
                    .or_else(|| crate::dates::first_day_in(body, year, month))?;
                Some((found, format!("\"{written}\" in {year}, the year of its {whence}")))
            };
            let month = || {
                let (found, written) = crate::dates::first_month(&title)
                    .or_else(|| crate::dates::first_month(body))?;
                Some((found, format!("the first day of \"{written}\", a month the text names")))
            };
            let named = || {
                let (year, month, whence) = hint?;
                let found = Date::new(year, month?, 1).ok()?;
                Some((found, format!("the first day of the month its {whence} names")))
            };
            if hint.is_some_and(|(_, month, _)| month.is_some()) {
                day().or_else(month).or_else(named)?
            } else {
                month().or_else(day)?
            }
        }
    };
    r.lint(
        "inferred-date",
        "date",
        Diagnostic::warning("RCA021", format!("no date field; using {found}, {whence}"))
            .with_help("add a date (or map one with [fields]) to be sure"),
    );
    Some(found)
}

/// The first date in the text, written so that it reads two ways
/// (`12-01-2026`: `readings` are December 1 and 12 January): the reading
/// in the year and month the file's folders name (`2026/01/`), else the
/// month first, with a warning that says so.
fn two_ways(
    r: &mut FieldReporter<'_>,
    doc: &Document,
    written: &str,
    (month_first, day_first): (Date, Date),
) -> (Date, String) {
    let filed = month_of_folders(&doc.source);
    let in_folder = |d: Date| filed == Some((d.year(), d.month()));
    if in_folder(day_first) && !in_folder(month_first) {
        let whence = format!("\"{written}\" in the text, day first as its folders say");
        return (day_first, whence);
    }
    if !in_folder(month_first) {
        let what = format!("the date \"{written}\"");
        let help = format!("add a date field: {month_first} or {day_first}");
        two_readings(r, &what, (month_first, day_first), help);
    }
    (month_first, "the first date in the text".to_string())
}

/// Names a date (`what`) that reads two ways, taken as the first of
/// `readings` (RCA029, lint `ambiguous-date`).
fn two_readings(r: &mut FieldReporter<'_>, what: &str, readings: (Date, Date), help: String) {
    let (read, other) = readings;
    let message = format!("{what} reads two ways: taken as {read}, not {other}");
    r.lint("ambiguous-date", "date", Diagnostic::warning("RCA029", message).with_help(help));
}

/// The year and month a file's folders name: `2026/01/`, `2026/1/` or
/// `2026-01/`.
fn month_of_folders(source: &crate::model::Source) -> Option<(i16, i8)> {
    let mut names =
        source.rel_path.parent()?.components().rev().filter_map(|c| c.as_os_str().to_str());
    let last = names.next()?;
    let joined = last.split_once(['-', '_']).and_then(|(y, m)| Some((year_in(y)?, month_in(m)?)));
    joined.or_else(|| Some((year_in(names.next()?)?, month_in(last)?)))
}

/// The year `text` is, written in four figures, 1970 to 2100.
fn year_in(text: &str) -> Option<i16> {
    let year = text.parse::<i16>().ok().filter(|y| (1970..=2100).contains(y))?;
    (text.len() == 4).then_some(year)
}

/// The month `text` is, written in one or two figures.
fn month_in(text: &str) -> Option<i8> {
    let month = text.parse::<i8>().ok().filter(|m| (1..=12).contains(m))?;
    (1..=2).contains(&text.len()).then_some(month)
}

/// The year, and the month when it says one, that a file's place gives
/// when its name holds no whole date: a month in its name (`Redis
/// failover 2023-11`), else a folder named as a year (`Incidents/2023/`);
/// with which of the two it was.
fn year_of_place(source: &crate::model::Source) -> Option<(i16, Option<i8>, &'static str)> {
    let dashed = source.stem.replace(['_', '.', ' '], "-");
    let named = dashed.split('-').collect::<Vec<_>>().windows(2).find_map(|pair| {
        let (year, month) = (year_in(pair.first()?)?, month_in(pair.get(1)?)?);
        Some((year, Some(month), "file name"))
    });
    named.or_else(|| {
        let folders = source.rel_path.parent()?.components().rev();
        let mut names = folders.filter_map(|c| c.as_os_str().to_str());
        names.find_map(year_in).map(|year| (year, None, "folder"))
    })
}

/// Whether `digits` is a time of day as a note's id writes it after its
/// date: `HHMM` or `HHMMSS` (a Zettelkasten id, `202403211530`).
fn is_clock(digits: &str) -> bool {
    let two = |at: usize| digits.get(at..at + 2).and_then(|d| d.parse::<u8>().ok());
    matches!(digits.len(), 4 | 6)
        && two(0).is_some_and(|h| h < 24)
        && two(2).is_some_and(|m| m < 60)
        && (digits.len() == 4 || two(4).is_some_and(|s| s < 60))
}

/// The date a file name gives: `2024-03-01-db-failover`, and as other
/// tools name files, `Postmortem-2024-03-01-cache`, `pm_2024_03_01_queue`,
/// `20240301-login`, `INC-1234 (2024-03-01)`, a Zettelkasten id
/// `202403011530 Login`: the first date written with its year first.
fn name_date(stem: &str) -> Option<Date> {
    if let Some(date) = stem.get(..10).and_then(|p| p.parse::<Date>().ok()) {
        return Some(date);
    }
    let dashed = stem.replace(['_', '.'], "-");
    let iso = crate::dates::find_dates(&dashed).into_iter().find(|&(at, _)| {
        dashed.get(at..at + 4).is_some_and(|y| y.bytes().all(|b| b.is_ascii_digit()))
    });
    iso.map(|(_, d)| d)
        .or_else(|| {
            // Eight digits standing alone: ISO 8601's basic form (not the
            // first group of a UUID, which may be eight digits by chance).
            let uuid = stem.split('-').map(str::len).eq([8, 4, 4, 4, 12])
                && stem.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-');
            (!uuid).then_some(())?;
            stem.split(|c: char| !c.is_ascii_digit()).find_map(|run| {
                let day = run
                    .get(..8)
                    .filter(|_| run.len() == 8 || run.get(8..).is_some_and(is_clock))?;
                crate::dates::parse_when(day, &jiff::tz::TimeZone::UTC).map(|w| w.date)
            })
        })
        // Then a date written as people write one, when it reads one way
        // only: "Outage 03-15-2024", "DB failover - March 5, 2024",
        // "Ausfall 15.03.2024"; "03-05-2024" (3 May or 5 March) is none.
        .or_else(|| {
            let spaced = stem.replace('_', " ");
            let (at, date) = crate::dates::find_dates(&spaced).into_iter().next()?;
            let written: String = (spaced.get(at..)?.chars())
                .take_while(|c| c.is_ascii_digit() || matches!(c, '-' | '/' | '.'))
                .collect();
            let written = written.trim_end_matches(['-', '/', '.']);
            crate::dates::ambiguous_day_month(written).is_none().then_some(date)
        })
}
