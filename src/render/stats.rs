//! `stats/index.html`: the archive in numbers, as SVG charts drawn at build
//! time, each followed by the table of the numbers it draws.
//!
//! Inputs: [`Shared`] and the per-incident [`IncidentMetrics`]. Output: the
//! stats page. Imports: metrics, render views and svg; the repeat charts
//! (recurrences by quarter and by service) are in `repeats`.

use std::collections::BTreeMap;

use serde::Serialize;

mod repeats;

use super::OutputFile;
use super::shared::Shared;
use super::svg::{self, BarRow, Column, Frame, Segment, Series};
use super::timeline::{month_name, severity_series};
use super::views::format_duration;
use crate::dates::Quarter;
use crate::error::Result;
use crate::metrics::{IncidentMetrics, Spread};

/// One cell of a data table; a link when `href` is set.
#[derive(Debug, Serialize)]
struct Cell {
    text: String,
    href: Option<String>,
    num: bool,
}

impl Cell {
    fn text(text: impl Into<String>) -> Cell {
        Cell { text: text.into(), href: None, num: false }
    }
    fn num(text: impl Into<String>) -> Cell {
        Cell { text: text.into(), href: None, num: true }
    }
    fn link(text: impl Into<String>, href: String) -> Cell {
        Cell { text: text.into(), href: Some(href), num: false }
    }
}

/// A chart with its data table.
#[derive(Debug, Serialize)]
struct Chart {
    id: &'static str,
    title: String,
    note: String,
    svg: String,
    head: Vec<String>,
    rows: Vec<Vec<Cell>>,
}

const WIDTH: u32 = 860;
const TOP: usize = 10;
/// The most months the per-month chart draws.
const CHART_MONTHS: i64 = 240;

/// A time as an axis tick or a bar's value, rounded to what a reader
/// compares: `0`, `45 min`, `1 h 30 min`, `14 h`, `2 d 3 h`, `25 d`
/// (never "25 d 0 h").
pub(super) fn minutes_f(v: f64) -> String {
    const HOUR: u64 = 60;
    const DAY: u64 = 24 * HOUR;
    let m = v.round().max(0.0) as u64;
    match m {
        0 => "0".into(),
        m if m < HOUR => format!("{m} min"),
        m if m < 10 * HOUR && m % HOUR != 0 => format_duration(Some(m)),
        m if m < DAY => format!("{} h", (m + HOUR / 2) / HOUR),
        m if m < 10 * DAY => {
            let hours = (m + HOUR / 2) / HOUR;
            match (hours / 24, hours % 24) {
                (d, 0) => format!("{d} d"),
                (d, h) => format!("{d} d {h} h"),
            }
        }
        m => format!("{} d", (m + DAY / 2) / DAY),
    }
}

/// Groups smaller than this show a median but no 90th percentile: with
/// fewer values the "p90" is only the largest of them.
const MIN_FOR_P90: usize = 5;

/// Incidents per month, stacked by severity, over every month from the
/// first incident to the last (empty months included, so gaps show).
/// Undated incidents have no month: the note says how many are left out.
fn per_month(ctx: &Shared<'_>) -> Option<Chart> {
    let incidents = ctx.input.incidents;
    let dated: Vec<(jiff::civil::Date, &crate::model::Incident)> =
        incidents.iter().filter_map(|i| Some((i.date?.first_of_month(), i))).collect();
    let last = dated.iter().map(|(m, _)| *m).max()?;
    // Draw at most the last twenty years; the table keeps every month.
    let horizon = last.checked_sub(jiff::Span::new().months(CHART_MONTHS - 1)).unwrap_or(last);
    let first = dated.iter().map(|(m, _)| *m).min()?.max(horizon);
    let (series, index) = severity_series(ctx);
    let mut counts: BTreeMap<jiff::civil::Date, Vec<usize>> = BTreeMap::new();
    for &(month, i) in &dated {
        let row = counts.entry(month).or_insert_with(|| vec![0; series.len()]);
        if let Some(slot) = index.get(&i.severity.name).and_then(|&s| row.get_mut(s)) {
            *slot += 1;
        }
    }
    let mut columns = Vec::new();
    let mut month = first;
    while month <= last {
        let values = counts.get(&month).cloned().unwrap_or_else(|| vec![0; series.len()]);
        let label = (month.month() == 1 || month == first).then(|| month.year().to_string());
        columns.push(Column {
            name: month_name(month),
            label,
            segments: values
                .iter()
                .enumerate()
                .map(|(s, &value)| Segment { series: s, value, href: None })
                .collect(),
        });
        let Ok(next) = month.checked_add(jiff::Span::new().months(1)) else { break };
        month = next;
    }
    let frame = Frame {
        title: "Incidents per month, by severity",
        id: "per-month",
        width: WIDTH,
        height: 260,
        value_axis: "Incidents",
        minutes: false,
    };
    let mut head = vec!["Month".to_string()];
    head.extend(series.iter().map(|s| s.name.clone()));
    head.push("Total".into());
    let rows = counts
        .iter()
        .rev()
        .map(|(month, values)| {
            let mut row = vec![Cell::text(month_name(*month))];
            row.extend(values.iter().map(|v| Cell::num(v.to_string())));
            row.push(Cell::num(values.iter().sum::<usize>().to_string()));
            row
        })
        .collect();
    Some(Chart {
        id: frame.id,
        title: frame.title.into(),
        note: match incidents.len() - dated.len() {
            0 => "Months without incidents are left out of the table.".into(),
            n => format!(
                "Months without incidents are left out of the table; so are {n} undated incident{}.",
                if n == 1 { "" } else { "s" }
            ),
        },
        svg: svg::responsive(&frame, |f| svg::stacked_columns(f, &series, &columns)),
        head,
        rows,
    })
}

/// The median and p90 series of the time charts, in colours no severity
/// uses.
fn spread_series() -> Vec<Series> {
    vec![
        Series { name: "median".into(), class: "series-0".into() },
        Series { name: "p90".into(), class: "series-1".into() },
    ]
}

/// The values a group of `s.count` times shows: a median when it has any,
/// a p90 only from [`MIN_FOR_P90`] values on.
fn shown(s: &Spread) -> [Option<f64>; 2] {
    let p90 = s.p90.filter(|_| s.count >= MIN_FOR_P90);
    [s.median.map(|v| v as f64), p90.map(|v| v as f64)]
}

/// The data table of a time chart: every group, with its count (n).
fn spread_table(
    group: &str,
    groups: &[(String, Option<String>, Spread)],
) -> (Vec<String>, Vec<Vec<Cell>>) {
    let head = vec![group.into(), "Incidents (n)".into(), "Median".into(), "p90".into()];
    let rows = groups
        .iter()
        .map(|(label, href, s)| {
            let [median, p90] = shown(s);
            vec![
                match href {
                    Some(h) => Cell::link(label.clone(), h.clone()),
                    None => Cell::text(label.clone()),
                },
                Cell::num(s.count.to_string()),
                Cell::num(median.map(minutes_f).unwrap_or_else(|| "—".into())),
                Cell::num(p90.map(minutes_f).unwrap_or_else(|| "—".into())),
            ]
        })
        .collect();
    (head, rows)
}

/// What every time chart's caption says about its numbers.
fn spread_note() -> String {
    format!(
        "n is the number of incidents whose timeline gives the time; a group of one shows that \
         incident's time, and the 90th percentile is drawn from {MIN_FOR_P90} incidents on."
    )
}

/// Median and p90 of one derived time per group (severities), as bars
/// labelled with each group's n; `None` when no group has a value.
fn spread_chart(
    id: &'static str,
    title: String,
    group: &str,
    groups: &[(String, Option<String>, Spread)],
) -> Option<Chart> {
    let series = spread_series();
    let rows: Vec<BarRow> = groups
        .iter()
        .filter(|(_, _, s)| s.count > 0)
        .map(|(label, href, s)| {
            let [median, p90] = shown(s);
            BarRow {
                label: format!("{label} · n={}", s.count),
                href: href.clone(),
                values: vec![median, p90],
                empty: if s.count == 1 { "1 incident" } else { "too few" },
            }
        })
        .collect();
    if rows.is_empty() {
        return None;
    }
    let frame = Frame {
        title: &title,
        id,
        width: WIDTH,
        height: 0,
        value_axis: "Time from start of impact",
        minutes: true,
    };
    let svg = svg::responsive(&frame, |f| svg::horizontal_bars(f, &series, &rows, &minutes_f));
    let (head, rows) = spread_table(group, groups);
    Some(Chart { id, title, note: spread_note(), svg, head, rows })
}

/// Median and p90 of one derived time per quarter, as lines over every
/// quarter from the first with a value to the last; `None` without any.
fn trend_chart(
    id: &'static str,
    title: String,
    quarters: &BTreeMap<Quarter, Spread>,
) -> Option<Chart> {
    let with_data: Vec<Quarter> =
        quarters.iter().filter(|(_, s)| s.count > 0).map(|(q, _)| *q).collect();
    let (&first, &last) = (with_data.first()?, with_data.last()?);
    let mut points = Vec::new();
    let mut q = first;
    let empty = Spread { count: 0, median: None, p90: None };
    while q <= last {
        let s = quarters.get(&q).unwrap_or(&empty);
        let [median, p90] = shown(s);
        points.push(svg::LinePoint {
            name: format!("{q} (n={})", s.count),
            label: q.year_label(q == first),
            values: vec![median, p90],
        });
        q = q.next();
    }
    let frame = Frame {
        title: &title,
        id,
        width: WIDTH,
        height: 240,
        value_axis: "Time from start of impact",
        minutes: true,
    };
    let series = spread_series();
    let svg = svg::responsive(&frame, |f| svg::lines(f, &series, &points, &minutes_f));
    let groups: Vec<(String, Option<String>, Spread)> =
        quarters.iter().map(|(q, s)| (q.to_string(), None, *s)).collect();
    let (head, rows) = spread_table("Quarter", &groups);
    Some(Chart { id, title, note: spread_note(), svg, head, rows })
}

/// A top list as one-series bars plus its table.
fn top_chart(
    id: &'static str,
    title: &str,
    group: &str,
    value_head: &str,
    items: &[(String, String, f64)],
    format: &dyn Fn(f64) -> String,
) -> Option<Chart> {
    if items.is_empty() {
        return None;
    }
    let series = vec![Series { name: value_head.into(), class: "series-0".into() }];
    let rows: Vec<BarRow> = items
        .iter()
        .map(|(label, href, v)| BarRow {
            label: label.clone(),
            href: Some(href.clone()),
            values: vec![Some(*v)],
            empty: "no data",
        })
        .collect();
    let minutes = value_head == "Minutes";
    let frame = Frame { title, id, width: WIDTH, height: 0, value_axis: value_head, minutes };
    Some(Chart {
        id,
        title: title.into(),
        note: String::new(),
        svg: svg::responsive(&frame, |f| svg::horizontal_bars(f, &series, &rows, format)),
        head: vec![group.into(), value_head.into()],
        rows: items
            .iter()
            .map(|(label, href, v)| {
                vec![Cell::link(label.clone(), href.clone()), Cell::num(format(*v))]
            })
            .collect(),
    })
}

/// The top `TOP` terms by `value`, largest first, ties by name.
fn top(mut items: Vec<(String, String, f64)>) -> Vec<(String, String, f64)> {
    items.retain(|(_, _, v)| *v > 0.0);
    items.sort_by(|a, b| b.2.total_cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
    items.truncate(TOP);
    items
}

/// Every chart of the stats page, in page order, and the names of those
/// left out for want of data.
fn charts(ctx: &Shared<'_>) -> (Vec<Chart>, Vec<String>) {
    let mut missing = Vec::new();
    let mut charts: Vec<Chart> = Vec::new();
    match per_month(ctx) {
        Some(chart) => charts.push(chart),
        None => missing.push("incidents per month".to_string()),
    }
    charts.extend(time_charts(ctx, &mut missing));
    charts.extend(repeats::repeat_charts(ctx, &mut missing));
    charts.extend(top_charts(ctx, &mut missing));
    (charts, missing)
}

/// Time to detect and to resolve, by severity (scale order) and by
/// quarter (oldest first). A chart with no value at all is left out and
/// named in `missing`.
fn time_charts(ctx: &Shared<'_>, missing: &mut Vec<String>) -> Vec<Chart> {
    let incidents = ctx.input.incidents;
    let metrics: &[IncidentMetrics] = &ctx.views.metrics;
    let mut by_severity: BTreeMap<usize, (String, Vec<i64>, Vec<i64>)> = BTreeMap::new();
    let mut by_quarter: BTreeMap<Quarter, (Vec<i64>, Vec<i64>)> = BTreeMap::new();
    for (i, m) in incidents.iter().zip(metrics) {
        let s = by_severity
            .entry(i.severity.rank)
            .or_insert_with(|| (i.severity.name.clone(), Vec::new(), Vec::new()));
        // An undated incident's times still count by severity, but it
        // belongs to no quarter.
        let mut q = i.date.map(|d| by_quarter.entry(Quarter::of(d)).or_default());
        if let Some(t) = m.time_to_detect {
            s.1.push(t);
            q.iter_mut().for_each(|q| q.0.push(t));
        }
        if let Some(t) = m.time_to_resolve {
            s.2.push(t);
            q.iter_mut().for_each(|q| q.1.push(t));
        }
    }
    let severity_url = |name: &str| {
        ctx.views.severities.all().find(|s| s.name == name).map(|s| format!("../{}", s.url))
    };
    let mut charts = Vec::new();
    // Grouped by severity, an archive without severities has one group.
    let unrated_only = by_severity.keys().all(|&r| r == crate::model::Severity::UNRATED_RANK);
    if unrated_only {
        missing.push("times by severity (no incident has a severity)".to_string());
    }
    for (id, title, detect) in [
        ("detect-severity", "Time to detect by severity", true),
        ("resolve-severity", "Time to resolve by severity", false),
    ] {
        if unrated_only {
            continue;
        }
        let groups: Vec<_> = by_severity
            .values()
            .map(|(name, d, r)| {
                (name.clone(), severity_url(name), Spread::of(if detect { d } else { r }))
            })
            .collect();
        match spread_chart(id, title.into(), "Severity", &groups) {
            Some(chart) => charts.push(chart),
            None => missing.push(title.to_lowercase()),
        }
    }
    for (id, title, detect) in [
        ("detect-quarter", "Time to detect by quarter", true),
        ("resolve-quarter", "Time to resolve by quarter", false),
    ] {
        let quarters: BTreeMap<Quarter, Spread> = by_quarter
            .iter()
            .map(|(q, (d, r))| (*q, Spread::of(if detect { d } else { r })))
            .collect();
        match trend_chart(id, title.into(), &quarters) {
            Some(chart) => charts.push(chart),
            None => missing.push(title.to_lowercase()),
        }
    }
    charts
}

/// The busiest services (by incidents and by incident minutes) and the
/// most frequent tags.
fn top_charts(ctx: &Shared<'_>, missing: &mut Vec<String>) -> Vec<Chart> {
    let metrics: &[IncidentMetrics] = &ctx.views.metrics;
    let service_url = |slug: &str| format!("../services/{slug}/index.html");
    let services_by_count = top(ctx
        .views
        .services
        .iter()
        .map(|(name, e)| (name.clone(), service_url(&e.slug), e.members.len() as f64))
        .collect());
    let mut charts = Vec::new();
    charts.push(top_chart(
        "services-count",
        "Services with the most incidents",
        "Service",
        "Incidents",
        &services_by_count,
        &|v| format!("{v}"),
    ));
    let services_by_minutes = top(ctx
        .views
        .services
        .iter()
        .map(|(name, e)| {
            let total: u64 = e
                .members
                .iter()
                .filter_map(|&m| m.of(metrics)?.impact_minutes(ctx.incident(m)))
                .sum();
            (name.clone(), service_url(&e.slug), total as f64)
        })
        .collect());
    let mut minutes_chart = top_chart(
        "services-minutes",
        "Services with the most incident minutes",
        "Service",
        "Minutes",
        &services_by_minutes,
        &minutes_f,
    );
    if let Some(chart) = minutes_chart.as_mut() {
        chart.note = "An incident's minutes are its duration_minutes, else its derived time to \
                      resolve."
            .into();
    }
    charts.push(minutes_chart);
    let tags = top(ctx
        .views
        .tags
        .iter()
        .map(|(name, e)| {
            (name.clone(), format!("../tags/{}/index.html", e.slug), e.members.len() as f64)
        })
        .collect());
    charts.push(top_chart("tags", "Most frequent tags", "Tag", "Incidents", &tags, &|v| {
        format!("{v}")
    }));
    charts
        .into_iter()
        .zip(["services by incidents", "services by incident minutes", "tags"])
        .filter_map(|(chart, name)| {
            if chart.is_none() {
                missing.push(name.to_string());
            }
            chart
        })
        .collect()
}

/// `stats/index.html`.
pub(crate) fn stats_page(ctx: &Shared<'_>) -> Result<OutputFile> {
    let with_times = ctx.views.metrics.iter().filter(|m| m.time_to_resolve.is_some()).count();
    let mut page = ctx.context(1, "stats");
    let (charts, missing) = charts(ctx);
    page.insert("charts", &charts);
    page.insert("missing", &missing);
    page.insert("total", &ctx.input.incidents.len());
    page.insert("with_times", &with_times);
    ctx.render("stats.html", &page, "stats/index.html".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn top_lists_drop_zeros_and_break_ties_by_name() {
        let items = vec![
            ("b".to_string(), String::new(), 2.0),
            ("a".to_string(), String::new(), 2.0),
            ("z".to_string(), String::new(), 0.0),
            ("c".to_string(), String::new(), 5.0),
        ];
        let names: Vec<String> = top(items).into_iter().map(|t| t.0).collect();
        assert_eq!(names, ["c", "a", "b"]);
    }

    #[test]
    fn minute_labels() {
        assert_eq!(minutes_f(0.0), "0");
        assert_eq!(minutes_f(90.0), "1 h 30 min");
        assert_eq!(minutes_f(36_000.0), "25 d");
        assert_eq!(minutes_f(36_010.0), "25 d");
        assert_eq!(minutes_f(3_000.0), "2 d 2 h");
        assert_eq!(minutes_f(1_440.0), "1 d");
        assert_eq!(minutes_f(725.0), "12 h");
    }
}
