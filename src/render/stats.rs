//! `stats/index.html`: the archive in numbers, as SVG charts drawn at build
//! time, each followed by the table of the numbers it draws.
//!
//! Inputs: [`Shared`] and the per-incident [`IncidentMetrics`]. Output: the
//! stats page. Imports: metrics, render views and svg.

use std::collections::BTreeMap;

use serde::Serialize;

use super::OutputFile;
use super::pages::Shared;
use super::svg::{self, BarRow, Column, Frame, Segment, Series};
use super::timeline::{month_name, severity_series};
use super::views::format_duration;
use crate::error::Result;
use crate::metrics::{IncidentMetrics, Spread, quarter};

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

fn minutes(v: Option<i64>) -> String {
    v.and_then(|m| u64::try_from(m).ok()).map(|m| format_duration(Some(m))).unwrap_or_default()
}

/// An axis tick: `0`, `45 min`, `6 h`, `25 d` (ticks fall on whole
/// hours and days, so "25 d 0 h" says nothing more).
fn minutes_f(v: f64) -> String {
    let m = v.round() as u64;
    match m {
        0 => "0".into(),
        m if m >= 24 * 60 && m % (24 * 60) == 0 => format!("{} d", m / (24 * 60)),
        m if (60..24 * 60).contains(&m) && m % 60 == 0 => format!("{} h", m / 60),
        m => format_duration(Some(m)),
    }
}

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

/// Median and p90 of one derived time, grouped by `key`.
fn spread_chart(
    id: &'static str,
    title: String,
    group: &str,
    groups: &[(String, Option<String>, Spread)],
) -> Chart {
    let series = vec![
        Series { name: "median".into(), class: "series-0".into() },
        Series { name: "p90".into(), class: "series-1".into() },
    ];
    let rows: Vec<BarRow> = groups
        .iter()
        .map(|(label, href, s)| BarRow {
            label: label.clone(),
            href: href.clone(),
            values: vec![s.median.map(|v| v as f64), s.p90.map(|v| v as f64)],
        })
        .collect();
    let frame = Frame {
        title: &title,
        id,
        width: WIDTH,
        height: 0,
        value_axis: "Time from start of impact",
        minutes: true,
    };
    let svg = svg::responsive(&frame, |f| svg::horizontal_bars(f, &series, &rows, &minutes_f));
    Chart {
        id,
        title: title.clone(),
        note: String::new(),
        svg,
        head: vec![group.into(), "Incidents with data".into(), "Median".into(), "p90".into()],
        rows: groups
            .iter()
            .map(|(label, href, s)| {
                vec![
                    match href {
                        Some(h) => Cell::link(label.clone(), h.clone()),
                        None => Cell::text(label.clone()),
                    },
                    Cell::num(s.count.to_string()),
                    Cell::num(minutes(s.median)),
                    Cell::num(minutes(s.p90)),
                ]
            })
            .collect(),
    }
}

/// A top list as one-series bars plus its table.
fn top_chart(
    id: &'static str,
    title: &str,
    group: &str,
    value_head: &str,
    items: &[(String, String, f64)],
    format: &dyn Fn(f64) -> String,
) -> Chart {
    let series = vec![Series { name: value_head.into(), class: "series-0".into() }];
    let rows: Vec<BarRow> = items
        .iter()
        .map(|(label, href, v)| BarRow {
            label: label.clone(),
            href: Some(href.clone()),
            values: vec![Some(*v)],
        })
        .collect();
    let minutes = value_head == "Minutes";
    let frame = Frame { title, id, width: WIDTH, height: 0, value_axis: value_head, minutes };
    Chart {
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
    }
}

/// The top `TOP` terms by `value`, largest first, ties by name.
fn top(mut items: Vec<(String, String, f64)>) -> Vec<(String, String, f64)> {
    items.retain(|(_, _, v)| *v > 0.0);
    items.sort_by(|a, b| b.2.total_cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
    items.truncate(TOP);
    items
}

/// Every chart of the stats page, in page order.
fn charts(ctx: &Shared<'_>) -> Vec<Chart> {
    let mut charts: Vec<Chart> = per_month(ctx).into_iter().collect();
    charts.extend(time_charts(ctx));
    charts.extend(top_charts(ctx));
    charts
}

/// Time to detect and to resolve, by severity (scale order) and by
/// quarter (oldest first).
fn time_charts(ctx: &Shared<'_>) -> Vec<Chart> {
    let incidents = ctx.input.incidents;
    let metrics: &[IncidentMetrics] = &ctx.metrics;
    let mut by_severity: BTreeMap<usize, (String, Vec<i64>, Vec<i64>)> = BTreeMap::new();
    let mut by_quarter: BTreeMap<String, (Vec<i64>, Vec<i64>)> = BTreeMap::new();
    for (i, m) in incidents.iter().zip(metrics) {
        let s = by_severity
            .entry(i.severity.rank)
            .or_insert_with(|| (i.severity.name.clone(), Vec::new(), Vec::new()));
        // An undated incident's times still count by severity, but it
        // belongs to no quarter.
        let mut q = i.date.map(|d| by_quarter.entry(quarter(d)).or_default());
        if let Some(t) = m.time_to_detect {
            s.1.push(t);
            q.iter_mut().for_each(|q| q.0.push(t));
        }
        if let Some(t) = m.time_to_resolve {
            s.2.push(t);
            q.iter_mut().for_each(|q| q.1.push(t));
        }
    }
    let severity_url =
        |name: &str| ctx.severities.all().find(|s| s.name == name).map(|s| format!("../{}", s.url));
    let mut charts = Vec::new();
    for (id, title, detect) in [
        ("detect-severity", "Time to detect by severity", true),
        ("resolve-severity", "Time to resolve by severity", false),
    ] {
        let groups: Vec<_> = by_severity
            .values()
            .map(|(name, d, r)| {
                (name.clone(), severity_url(name), Spread::of(if detect { d } else { r }))
            })
            .collect();
        charts.push(spread_chart(id, title.into(), "Severity", &groups));
    }
    for (id, title, detect) in [
        ("detect-quarter", "Time to detect by quarter", true),
        ("resolve-quarter", "Time to resolve by quarter", false),
    ] {
        let groups: Vec<_> = by_quarter
            .iter()
            .map(|(q, (d, r))| (q.clone(), None, Spread::of(if detect { d } else { r })))
            .collect();
        charts.push(spread_chart(id, title.into(), "Quarter", &groups));
    }
    charts
}

/// The busiest services (by incidents and by incident minutes) and the
/// most frequent tags.
fn top_charts(ctx: &Shared<'_>) -> Vec<Chart> {
    let incidents = ctx.input.incidents;
    let metrics: &[IncidentMetrics] = &ctx.metrics;
    let service_url = |slug: &str| format!("../services/{slug}/index.html");
    let services_by_count = top(ctx
        .services
        .iter()
        .map(|(name, e)| (name.clone(), service_url(&e.slug), e.members.len() as f64))
        .collect());
    let mut charts = vec![top_chart(
        "services-count",
        "Services with the most incidents",
        "Service",
        "Incidents",
        &services_by_count,
        &|v| format!("{v}"),
    )];
    let services_by_minutes = top(ctx
        .services
        .iter()
        .map(|(name, e)| {
            let total: u64 = e
                .members
                .iter()
                .filter_map(|&m| metrics.get(m)?.impact_minutes(incidents.get(m)?))
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
    minutes_chart.note =
        "An incident's minutes are its duration_minutes, else its derived time to resolve.".into();
    charts.push(minutes_chart);
    let tags = top(ctx
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
}

/// `stats/index.html`.
pub(crate) fn stats_page(ctx: &Shared<'_>) -> Result<OutputFile> {
    let with_times = ctx.metrics.iter().filter(|m| m.time_to_resolve.is_some()).count();
    let mut page = ctx.context(1, "stats");
    page.insert("charts", &charts(ctx));
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
        assert_eq!(minutes(Some(-3)), "");
    }
}
