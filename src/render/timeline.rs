//! Time on the pages: the archive timeline (`timeline/index.html`) and the
//! incident's own timeline with phases and T+ offsets.
//!
//! Inputs: [`Shared`] (incidents newest first, rows, severities, terms) and
//! the per-incident [`IncidentMetrics`]. Outputs: the timeline page and the
//! view the incident page embeds. Imports: metrics, model, render views and
//! svg.

use std::collections::BTreeMap;
use std::ops::Range;

use jiff::civil::Date;
use serde::Serialize;

use super::pager::{Pager, page_file};
use super::shared::Shared;
use super::splice;
use super::svg::Series;
use super::views::{Row, format_duration};

mod overview;
use crate::error::Result;
use crate::metrics::{IncidentMetrics, format_offset, minutes_between};
use crate::model::Incident;
use overview::overview_svg;

/// The derived times shown in an incident's header.
#[derive(Debug, Serialize)]
pub(crate) struct TimesView {
    pub(crate) detect: String,
    pub(crate) mitigate: String,
    pub(crate) resolve: String,
    pub(crate) detect_inferred: bool,
    pub(crate) mitigate_inferred: bool,
    pub(crate) resolve_inferred: bool,
}

/// One row of the incident's vertical timeline.
#[derive(Debug, Serialize)]
struct EventView {
    offset: String,
    time_text: String,
    /// ISO date-time for `<time datetime>`, when the row was readable; only
    /// the time of day when the incident is undated.
    datetime: Option<String>,
    event: String,
    /// The phase this row marks, if any.
    phase: Option<&'static str>,
    inferred: bool,
}

/// The incident's own timeline as the page shows it.
#[derive(Debug, Serialize)]
pub(crate) struct IncidentTimelineView {
    events: Vec<EventView>,
    /// True when some phase was inferred rather than named by an event.
    any_inferred: bool,
}

/// Minutes as the header shows them; empty when unknown.
fn minutes_text(m: Option<i64>) -> String {
    m.and_then(|m| u64::try_from(m).ok()).map(|m| format_duration(Some(m))).unwrap_or_default()
}

/// The header times of an incident, or `None` when nothing is known.
pub(crate) fn times_view(metrics: &IncidentMetrics) -> Option<TimesView> {
    let [detect_inferred, mitigate_inferred, resolve_inferred] = metrics.inferred;
    let view = TimesView {
        detect: minutes_text(metrics.time_to_detect),
        mitigate: minutes_text(metrics.time_to_mitigate),
        resolve: minutes_text(metrics.time_to_resolve),
        detect_inferred,
        mitigate_inferred,
        resolve_inferred,
    };
    let empty = view.detect.is_empty() && view.mitigate.is_empty() && view.resolve.is_empty();
    (!empty).then_some(view)
}

/// The `YYYY-MM-DD` a timeline row's time starts with, if it does.
fn written_day(text: &str) -> Option<&str> {
    let day = text.get(..10)?;
    let ok = day
        .bytes()
        .enumerate()
        .all(|(i, c)| if i == 4 || i == 7 { c == b'-' } else { c.is_ascii_digit() });
    ok.then_some(day)
}

/// The offset of a row that gives a day alone: whole days from the first
/// event's (`T-17d`, `T+2d`); on that same day, at a time not given, `T?`.
fn days_from(first: jiff::civil::Date, day: jiff::civil::Date) -> String {
    let days = first.until(day).map_or(0, |span| span.get_days());
    match days {
        0 => "T?".to_string(),
        d if d < 0 => format!("T-{}d", d.unsigned_abs()),
        d => format!("T+{d}d"),
    }
}

/// Whether a row's time opens with a day written in words, with or
/// without its year (`April 7 04:00`, `6 March 2025 15:20`).
fn says_a_day(text: &str) -> bool {
    crate::dates::after_yearless_day(text).is_some() || crate::dates::opening_date(text).is_some()
}

/// The vertical timeline of an incident, or `None` without a timeline.
pub(crate) fn incident_timeline(
    incident: &Incident,
    metrics: &IncidentMetrics,
) -> Option<IncidentTimelineView> {
    if incident.timeline.is_empty() {
        return None;
    }
    // A row's date shows only when the day changes: "14:02", not
    // "2024-02-11 14:02" on every row. The day is the one the row wrote
    // (its zone's), else the day its clock time fell on in its zone.
    let mut last_day: Option<String> = None;
    let events = incident
        .timeline
        .iter()
        .enumerate()
        .map(|(row, entry)| {
            let written = written_day(&entry.time_text);
            let day = written.map(str::to_string).or_else(|| {
                let utc = || entry.at.filter(|_| entry.day_known).map(|at| at.date());
                entry.day.or_else(utc).map(|d| d.to_string())
            });
            let changed = day.is_some() && last_day.is_some() && day != last_day;
            let same = day.is_some() && day == last_day;
            if day.is_some() {
                last_day.clone_from(&day);
            }
            // "T+6m" beside its offset says it twice: the clock says more.
            let from_start = crate::dates::from_start(&entry.time_text).is_some();
            let time_text = match (written, day.as_deref()) {
                _ if from_start => entry.at.map_or_else(
                    || entry.time_text.clone(),
                    |at| start_clock(at, incident.started_offset),
                ),
                // A day alone says its day whatever the row above said.
                (Some(d), _) if same && d.len() < entry.time_text.trim_end().len() => {
                    entry.time_text[d.len()..].trim_start_matches(['T', ' ', ',']).to_string()
                }
                // Past midnight: the new day is said, once, unless the row
                // says it in words (`April 7 04:00`).
                (None, Some(d)) if changed && !says_a_day(&entry.time_text) => {
                    format!("{d} {}", entry.time_text)
                }
                _ => entry.time_text.clone(),
            };
            let mark = metrics.phases.iter().filter(|m| m.row == row).max_by_key(|m| m.phase);
            EventView {
                offset: match (metrics.first_event, entry.at, entry.day) {
                    (Some(t0), Some(at), _) => format_offset(minutes_between(t0, at)),
                    (Some(t0), None, Some(day)) => days_from(t0.date(), day),
                    _ => "T?".to_string(),
                },
                time_text,
                // An undated incident's clock times sit on a stand-in day:
                // only the time of day is real. A row's time is in UTC,
                // which the `Z` says: without it a reader's program takes
                // the time for one in its own zone.
                // A row of a day alone is on that day, at no time.
                datetime: match entry.at {
                    Some(at) if entry.day_known => Some(format!("{at}Z")),
                    Some(at) => Some(at.time().to_string()),
                    None => entry
                        .day
                        .filter(|_| written == Some(entry.time_text.trim()))
                        .map(|d| d.to_string()),
                },
                event: entry.event.clone(),
                phase: mark.map(|m| m.phase.name()),
                inferred: mark.is_some_and(|m| m.inferred),
            }
        })
        .collect();
    Some(IncidentTimelineView { events, any_inferred: metrics.phases.iter().any(|m| m.inferred) })
}

/// One incident on the timeline page, as `partials/timeline_entry.html`
/// shows it.
#[derive(Serialize)]
struct EntryView<'a> {
    anchor: String,
    day: String,
    row: &'a Row,
    /// JSON arrays for the filter script.
    data_severity: String,
    data_service: String,
    data_tag: String,
    time_to_resolve: String,
}

#[derive(Serialize)]
struct MonthView {
    anchor: String,
    name: String,
    /// Where the month's entries go: a splice marker (see [`super::splice`]).
    entries: String,
    /// The incidents of the month, in page order.
    #[serde(skip)]
    members: Vec<usize>,
}

/// A year of the archive timeline, or the undated incidents after the last
/// year (one month-less group).
#[derive(Serialize)]
struct YearView {
    /// Anchor suffix: the year, or `undated`.
    id: String,
    /// Heading: the year, or `Undated`.
    label: String,
    count: usize,
    months: Vec<MonthView>,
}

#[derive(Serialize)]
struct FilterOption<'a> {
    value: &'a str,
    label: String,
    /// Severity class suffix, empty for other filters.
    class: String,
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// `January 2024`.
pub(crate) fn month_name(date: Date) -> String {
    let m = MONTHS.get(usize::try_from(date.month() - 1).unwrap_or(0)).unwrap_or(&"");
    format!("{m} {}", date.year())
}

/// The anchor of an incident on the timeline page.
fn entry_anchor(slug: &str) -> String {
    format!("i-{slug}")
}

/// The Monday of `date`'s week.
fn monday_of(date: Date) -> Date {
    let back = i64::from(date.weekday().to_monday_zero_offset());
    date.checked_sub(jiff::Span::new().days(back)).unwrap_or(date)
}

fn json(values: &[&str]) -> String {
    serde_json::to_string(values).unwrap_or_else(|_| "[]".into())
}

/// The severity series present in the archive, most severe first, and the
/// index of each severity name in it.
pub(crate) fn severity_series(ctx: &Shared<'_>) -> (Vec<Series>, BTreeMap<String, usize>) {
    let present: std::collections::BTreeSet<&str> =
        ctx.input.incidents.iter().map(|i| i.severity.name.as_str()).collect();
    let mut series = Vec::new();
    let mut index = BTreeMap::new();
    for s in ctx.views.severities.all().filter(|s| present.contains(s.name.as_str())) {
        index.insert(s.name.clone(), series.len());
        series.push(Series { name: s.name.clone(), class: format!("sev-{}", s.class) });
    }
    (series, index)
}

/// Filter choices of a service or tag select: every name with its count.
fn term_options(terms: &super::views::Terms) -> Vec<FilterOption<'_>> {
    terms
        .iter()
        .map(|(name, e)| FilterOption {
            value: name.as_str(),
            label: format!("{name} ({})", e.members.len()),
            class: String::new(),
        })
        .collect()
}

/// The year groups of one timeline page, the incidents numbered `page`:
/// dated incidents by year and month, newest first, then the undated ones
/// in a group of their own. Counts are of the page.
/// Months are numbered in page order; month `k`'s entries go where the
/// marker `month-k` is.
fn year_groups(incidents: &[Incident], page: Range<usize>) -> Vec<YearView> {
    let mut years: Vec<YearView> = Vec::new();
    let mut undated: Vec<usize> = Vec::new();
    let mut month_count = 0;
    for i in page {
        let Some(incident) = incidents.get(i) else { continue };
        let Some(date) = incident.date else {
            undated.push(i);
            continue;
        };
        let year = date.year().to_string();
        let month_anchor = format!("m-{year}-{:02}", date.month());
        if years.last().is_none_or(|y| y.id != year) {
            years.push(YearView { id: year.clone(), label: year, count: 0, months: Vec::new() });
        }
        let Some(y) = years.last_mut() else { continue };
        y.count += 1;
        if y.months.last().is_none_or(|m| m.anchor != month_anchor) {
            y.months.push(MonthView {
                anchor: month_anchor,
                name: month_name(date),
                entries: splice::marker(&format!("month-{month_count}")),
                members: Vec::new(),
            });
            month_count += 1;
        }
        if let Some(m) = y.months.last_mut() {
            m.members.push(i);
        }
    }
    if !undated.is_empty() {
        // Incidents come newest first with the undated last, so this group
        // follows the oldest year.
        years.push(YearView {
            id: super::views::UNDATED.into(),
            label: "Undated".into(),
            count: undated.len(),
            months: vec![MonthView {
                anchor: "m-undated".into(),
                name: String::new(),
                entries: splice::marker(&format!("month-{month_count}")),
                members: undated,
            }],
        });
    }
    years
}

/// The template of one incident on the timeline page.
const ENTRY_TEMPLATE: &str = "partials/timeline_entry.html";

/// Incident `i` as the timeline page lists it.
fn entry_html(ctx: &Shared<'_>, i: usize) -> Result<String> {
    let (Some(incident), Some(row), Some(metrics)) =
        (ctx.input.incidents.get(i), ctx.views.rows.get(i), ctx.views.metrics.get(i))
    else {
        return Ok(String::new());
    };
    let services: Vec<&str> = incident.services.iter().map(String::as_str).collect();
    let tags: Vec<&str> = incident.tags.iter().map(String::as_str).collect();
    let entry = EntryView {
        anchor: entry_anchor(&incident.slug),
        day: incident.date.map(|d| format!("{:02}", d.day())).unwrap_or_default(),
        row,
        data_severity: json(&[incident.severity.name.as_str()]),
        data_service: json(&services),
        data_tag: json(&tags),
        time_to_resolve: minutes_text(metrics.time_to_resolve),
    };
    let mut page = tera::Context::new();
    page.insert("e", &entry);
    page.insert("root", &super::shared::root_for(1));
    ctx.render_text(ENTRY_TEMPLATE, &page)
}

/// Writes the entries of the month that marker `name` stands for,
/// rendered on all cores. After the first month, makes room for the
/// entries of all the others.
fn write_month(
    ctx: &Shared<'_>,
    months: &[&MonthView],
    name: &str,
    out: &mut Vec<u8>,
) -> Result<()> {
    use rayon::prelude::*;
    let Some(month) = name
        .strip_prefix("month-")
        .and_then(|k| k.parse::<usize>().ok())
        .and_then(|k| months.get(k))
    else {
        return Ok(());
    };
    let entries: Vec<String> =
        month.members.par_iter().map(|&i| entry_html(ctx, i)).collect::<Result<_>>()?;
    let written: usize = entries.iter().map(String::len).sum();
    if months.first().is_some_and(|first| std::ptr::eq(*first, *month)) {
        let left = ctx.input.incidents.len().saturating_sub(month.members.len());
        splice::reserve_like(out, written, month.members.len(), left);
    }
    entries.iter().for_each(|e| out.extend_from_slice(e.as_bytes()));
    Ok(())
}

/// Incidents per page of `timeline/`.
const TIMELINE_ROWS: usize = 100;

/// The timeline page (from 1) that lists incident `n`.
fn page_of(n: usize) -> usize {
    n / TIMELINE_ROWS + 1
}

/// A year in the timeline's year links: where its first incident is.
#[derive(Serialize)]
struct YearLink {
    label: String,
    href: String,
}

/// `timeline/index.html` and its next pages (`page-2.html`, ...): every
/// incident grouped by year and month, newest first, [`TIMELINE_ROWS`] a
/// page, with the overview strip on the first and the filters.
/// Gives up between months when `emit` no longer wants the site.
pub(crate) fn timeline_pages(ctx: &Shared<'_>, emit: &dyn super::Emit) -> Result<()> {
    let incidents = ctx.input.incidents;
    let undated = incidents.iter().filter(|i| i.date.is_none()).count();
    let (series, _) = severity_series(ctx);
    let severity_options: Vec<FilterOption<'_>> = series
        .iter()
        .map(|s| FilterOption {
            value: &s.name,
            label: s.name.clone(),
            class: s.class.trim_start_matches("sev-").to_string(),
        })
        .collect();
    // Every year with the count of its incidents and the page it starts on.
    let mut year_links: Vec<YearLink> = Vec::new();
    let mut year_counts: BTreeMap<String, usize> = BTreeMap::new();
    for (n, incident) in incidents.iter().enumerate() {
        let id = incident.date.map_or(super::views::UNDATED.to_string(), |d| d.year().to_string());
        let count = year_counts.entry(id.clone()).or_default();
        if *count == 0 {
            let label = if incident.date.is_some() { id.clone() } else { "Undated".into() };
            year_links.push(YearLink { label, href: format!("{}#y-{id}", page_file(page_of(n))) });
        }
        *count += 1;
    }
    let mut base = ctx.context(1, "timeline");
    base.insert("year_links", &year_links);
    base.insert("severity_options", &severity_options);
    base.insert("service_options", &term_options(&ctx.views.services));
    base.insert("tag_options", &term_options(&ctx.views.tags));
    base.insert("total", &incidents.len());
    base.insert("undated", &undated);
    let pages = incidents.len().div_ceil(TIMELINE_ROWS).max(1);
    for k in 0..pages {
        let number = k + 1;
        let range = k * TIMELINE_ROWS..((k + 1) * TIMELINE_ROWS).min(incidents.len());
        let mut years = year_groups(incidents, range);
        for y in &mut years {
            y.count = year_counts.get(&y.id).copied().unwrap_or(y.count);
        }
        let mut page = base.clone();
        page.insert("years", &years);
        if number == 1 {
            page.insert("overview", &overview_svg(ctx));
        }
        if pages > 1 {
            let pager = Pager::new("Incidents", number, pages, incidents.len(), TIMELINE_ROWS);
            page.insert("pager", &pager);
        }
        let months: Vec<&MonthView> = years.iter().flat_map(|y| &y.months).collect();
        let path = format!("timeline/{}", page_file(number));
        let file = ctx.render_spliced("timeline.html", page, path, 0, |name, out| {
            emit.wanted()?;
            write_month(ctx, &months, name, out)
        })?;
        emit.emit(file)?;
    }
    Ok(())
}

/// `at` (in UTC) as a clock time in the zone the incident's start was
/// written in.
fn start_clock(at: jiff::civil::DateTime, offset: Option<jiff::tz::Offset>) -> String {
    at.to_zoned(jiff::tz::TimeZone::UTC)
        .map(|z| clock_in(z.timestamp(), offset))
        .unwrap_or_else(|_| at.strftime("%H:%M").to_string())
}

/// `at` as a clock time (`13:20`) at `offset` from UTC, or in UTC.
pub(super) fn clock_in(at: jiff::Timestamp, offset: Option<jiff::tz::Offset>) -> String {
    let zone = jiff::tz::TimeZone::fixed(offset.unwrap_or(jiff::tz::Offset::UTC));
    at.to_zoned(zone).strftime("%H:%M").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn months_and_mondays() {
        assert_eq!(month_name(date(2024, 2, 11)), "February 2024");
        assert_eq!(monday_of(date(2024, 2, 11)), date(2024, 2, 5));
        assert_eq!(monday_of(date(2024, 2, 5)), date(2024, 2, 5));
        assert_eq!(monday_of(date(2024, 1, 1)), date(2024, 1, 1));
    }

    #[test]
    fn times_view_is_empty_without_metrics() {
        assert!(times_view(&IncidentMetrics::default()).is_none());
        let m = IncidentMetrics { time_to_detect: Some(5), ..Default::default() };
        let v = times_view(&m).unwrap();
        assert_eq!(v.detect, "5 min");
        assert_eq!(v.resolve, "");
    }
}
