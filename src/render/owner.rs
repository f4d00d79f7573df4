//! The top of a service's page, for the people who own the service: when
//! it last failed and how long ago, its incidents over time by severity,
//! the trend of its time to resolve, its open and overdue action items, the
//! failures that recur in it, and the services it fails together with.
//!
//! Inputs: [`Shared`] (incidents, rows, metrics, related graph) and the
//! service's members. Output: an [`OwnerView`] the service page prints
//! above its list of incidents. Charts are SVG drawn here, so the page
//! reads without JavaScript. "How long ago" and "overdue" are judged
//! against the build date, as on the actions page, so two builds of the
//! same day are byte-identical.

use std::collections::BTreeMap;

use jiff::civil::Date;
use serde::Serialize;

use super::shared::Shared;
use super::svg::{self, Column, Frame, LinePoint, Segment, Series};
use crate::dates::Quarter;
use crate::model::{Incident, IncidentIdx};
use crate::related::Cluster;

/// Quarters the charts show at most (ten years).
const MAX_QUARTERS: usize = 40;
/// Open action items listed; the rest are counted.
const MAX_ACTIONS: usize = 10;
/// Services listed as failing together with this one.
const MAX_TOGETHER: usize = 8;
/// Recurrences listed.
const MAX_RECURRENCES: usize = 10;
/// Width of the wide drawing of each chart: two fit side by side.
const CHART_WIDTH: u32 = 540;

/// The owner's summary of one service.
#[derive(Serialize)]
pub(crate) struct OwnerView<'a> {
    last: Option<LastIncident<'a>>,
    build_date: String,
    over_time: Option<String>,
    resolve_trend: Option<String>,
    /// Incidents with a time to resolve, behind the trend.
    resolve_count: usize,
    actions: Vec<OpenAction<'a>>,
    open: usize,
    overdue: usize,
    more_actions: usize,
    recurrences: Vec<Recurrence<'a>>,
    clusters: Vec<ClusterLine<'a>>,
    together: Vec<Together>,
    /// What has too little data to draw, said once.
    not_drawn: Vec<&'static str>,
}

#[derive(Serialize)]
struct LastIncident<'a> {
    title: &'a str,
    url: &'a str,
    date: String,
    days_since: Option<i32>,
}

#[derive(Serialize)]
struct OpenAction<'a> {
    action: &'a str,
    owner: Option<&'a str>,
    due: Option<String>,
    days_overdue: Option<i32>,
    incident_title: &'a str,
    incident_url: &'a str,
}

#[derive(Serialize)]
struct Recurrence<'a> {
    title: &'a str,
    url: &'a str,
    date: Option<&'a str>,
    of_title: &'a str,
    of_url: &'a str,
    of_date: Option<&'a str>,
}

#[derive(Serialize)]
struct ClusterLine<'a> {
    name: &'a str,
    url: String,
    /// This service's incidents in the cluster.
    count: usize,
    size: usize,
}

#[derive(Serialize)]
struct Together {
    name: String,
    url: String,
    count: usize,
}

/// The summary of the service named `name`, whose incidents are `members`.
pub(crate) fn owner_view<'a>(
    ctx: &'a Shared<'a>,
    name: &str,
    members: &[IncidentIdx],
) -> OwnerView<'a> {
    let today = ctx.input.build_date;
    let mine: Vec<(IncidentIdx, &Incident)> =
        members.iter().map(|&m| (m, ctx.incident(m))).collect();
    let last = mine
        .iter()
        .filter_map(|&(m, i)| Some((i.date?, m, i)))
        .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)))
        .map(|(date, m, i)| LastIncident {
            title: &i.title,
            url: &ctx.row(m).url,
            date: date.to_string(),
            days_since: Some((today - date).get_days()).filter(|d| *d >= 0),
        });
    let mut not_drawn = Vec::new();
    let quarters = quarters(ctx, &mine);
    let over_time = quarters.as_ref().map(|q| over_time_svg(ctx, &mine, q));
    let (resolve_trend, resolve_count) = match &quarters {
        Some(q) => resolve_svg(ctx, &mine, q),
        None => (None, 0),
    };
    if over_time.is_none() {
        not_drawn.push("incidents over time (fewer than two dated incidents)");
    }
    if resolve_trend.is_none() {
        not_drawn
            .push("time to resolve over time (fewer than two quarters with a time to resolve)");
    }
    let (actions, open, overdue) = open_actions(ctx, &mine);
    OwnerView {
        last,
        build_date: today.to_string(),
        over_time,
        resolve_trend,
        resolve_count,
        more_actions: open.saturating_sub(actions.len()),
        actions,
        open,
        overdue,
        recurrences: recurrences(ctx, &mine),
        clusters: clusters(ctx, &mine),
        together: together(ctx, name, &mine),
        not_drawn,
    }
}

/// The quarters the charts span: from the service's first dated incident
/// to the archive's last (so a quiet spell shows), at most the last
/// [`MAX_QUARTERS`]; `None` with fewer than two dated incidents.
fn quarters(ctx: &Shared<'_>, mine: &[(IncidentIdx, &Incident)]) -> Option<Vec<Quarter>> {
    let dates: Vec<Date> = mine.iter().filter_map(|(_, i)| i.date).collect();
    if dates.len() < 2 {
        return None;
    }
    let first = Quarter::of(*dates.iter().min()?);
    let archive_last = ctx.last_date()?;
    let last = Quarter::of(archive_last);
    let mut all = Vec::new();
    let mut q = first;
    while q <= last {
        all.push(q);
        q = q.next();
    }
    let skip = all.len().saturating_sub(MAX_QUARTERS);
    Some(all.split_off(skip))
}

fn frame<'f>(title: &'f str, id: &'f str, minutes: bool, value_axis: &'f str) -> Frame<'f> {
    Frame { title, id, width: CHART_WIDTH, height: 200, value_axis, minutes }
}

/// Incidents per quarter, stacked by severity.
fn over_time_svg(
    ctx: &Shared<'_>,
    mine: &[(IncidentIdx, &Incident)],
    quarters: &[Quarter],
) -> String {
    let mut present: BTreeMap<usize, usize> = BTreeMap::new();
    for (_, i) in mine {
        present.insert(i.severity.rank, 0);
    }
    let mut series = Vec::new();
    for (slot, (&rank, index)) in present.iter_mut().enumerate() {
        *index = slot;
        let s = ctx.views.severities.get(&crate::model::Severity { rank, name: String::new() });
        series.push(Series { name: s.name.clone(), class: format!("sev-{}", s.class) });
    }
    let mut counts: BTreeMap<Quarter, Vec<usize>> = BTreeMap::new();
    for (_, i) in mine {
        let (Some(d), Some(&s)) = (i.date, present.get(&i.severity.rank)) else { continue };
        let row = counts.entry(Quarter::of(d)).or_insert_with(|| vec![0; series.len()]);
        if let Some(slot) = row.get_mut(s) {
            *slot += 1;
        }
    }
    let columns: Vec<Column> = quarters
        .iter()
        .enumerate()
        .map(|(k, &q)| {
            let values = counts.get(&q).cloned().unwrap_or_else(|| vec![0; series.len()]);
            Column {
                name: q.to_string(),
                label: q.year_label(k == 0),
                segments: values
                    .iter()
                    .enumerate()
                    .map(|(s, &value)| Segment { series: s, value, href: None })
                    .collect(),
            }
        })
        .collect();
    let f = frame("Incidents per quarter, by severity", "owner-over-time", false, "Incidents");
    svg::responsive(&f, |f| svg::stacked_columns(f, &series, &columns))
}

/// The median time to resolve per quarter, as a line; `None` with fewer
/// than two quarters that have one. Also gives how many incidents have a
/// time to resolve.
fn resolve_svg(
    ctx: &Shared<'_>,
    mine: &[(IncidentIdx, &Incident)],
    quarters: &[Quarter],
) -> (Option<String>, usize) {
    let mut times: BTreeMap<Quarter, Vec<i64>> = BTreeMap::new();
    let mut count = 0;
    for &(m, i) in mine {
        let (Some(d), Some(t)) = (i.date, m.of(&ctx.views.metrics).and_then(|x| x.time_to_resolve))
        else {
            continue;
        };
        count += 1;
        times.entry(Quarter::of(d)).or_default().push(t);
    }
    let points: Vec<LinePoint> = quarters
        .iter()
        .enumerate()
        .map(|(k, &q)| {
            let spread = crate::metrics::Spread::of(times.get(&q).map_or(&[][..], Vec::as_slice));
            LinePoint {
                name: format!("{q} (n={})", spread.count),
                label: q.year_label(k == 0),
                values: vec![spread.median.map(|v| v as f64)],
            }
        })
        .collect();
    if points.iter().filter(|p| p.values.iter().flatten().next().is_some()).count() < 2 {
        return (None, count);
    }
    let series = [Series { name: "median time to resolve".into(), class: "series-0".into() }];
    let f = frame("Median time to resolve per quarter", "owner-resolve", true, "Time to resolve");
    let format = super::stats::minutes_f;
    (Some(svg::responsive(&f, |f| svg::lines(f, &series, &points, &format))), count)
}

/// The service's open action items, overdue first (most overdue first),
/// then by due date, undated last; with how many are open and overdue.
fn open_actions<'a>(
    ctx: &'a Shared<'a>,
    mine: &[(IncidentIdx, &'a Incident)],
) -> (Vec<OpenAction<'a>>, usize, usize) {
    let today = ctx.input.build_date;
    let mut items: Vec<OpenAction<'a>> = Vec::new();
    for &(m, i) in mine {
        let row = ctx.row(m);
        for item in i.action_items.iter().filter(|a| !a.done) {
            items.push(OpenAction {
                action: &item.action,
                owner: item.owner.as_deref().filter(|o| !o.trim().is_empty()),
                due: item.due.map(|d| d.to_string()),
                days_overdue: super::actions::days_overdue(item, today),
                incident_title: &i.title,
                incident_url: &row.url,
            });
        }
    }
    // Stable: ties keep incident order (newest first) and document order.
    items.sort_by(|a, b| {
        b.days_overdue.cmp(&a.days_overdue).then_with(|| match (&a.due, &b.due) {
            (Some(x), Some(y)) => x.cmp(y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        })
    });
    let open = items.len();
    let overdue = items.iter().filter(|a| a.days_overdue.is_some()).count();
    items.truncate(MAX_ACTIONS);
    (items, open, overdue)
}

/// The service's incidents that recur an earlier one, newest first.
fn recurrences<'a>(
    ctx: &'a Shared<'a>,
    mine: &[(IncidentIdx, &'a Incident)],
) -> Vec<Recurrence<'a>> {
    let graph = ctx.input.related;
    mine.iter()
        .filter_map(|&(m, i)| {
            let earlier = (*m.of(&graph.recurrence_of)?)?;
            let (row, of, of_row) = (ctx.row(m), ctx.incident(earlier), ctx.row(earlier));
            Some(Recurrence {
                title: &i.title,
                url: &row.url,
                date: row.date.as_deref(),
                of_title: &of.title,
                of_url: &of_row.url,
                of_date: of_row.date.as_deref(),
            })
        })
        .take(MAX_RECURRENCES)
        .collect()
}

/// The recurring failures (clusters) with two or more of the service's
/// incidents, most of them first.
fn clusters<'a>(ctx: &'a Shared<'a>, mine: &[(IncidentIdx, &Incident)]) -> Vec<ClusterLine<'a>> {
    let graph = ctx.input.related;
    let mut counts: BTreeMap<usize, (&'a Cluster, usize)> = BTreeMap::new();
    for &(m, _) in mine {
        if let Some((c, cluster)) = graph.cluster_containing(m) {
            counts.entry(c).or_insert((cluster, 0)).1 += 1;
        }
    }
    let mut lines: Vec<ClusterLine<'a>> = counts
        .into_iter()
        .filter(|&(_, (_, n))| n >= 2)
        .map(|(c, (cluster, count))| ClusterLine {
            name: &cluster.name,
            url: super::graph::cluster_url(c),
            count,
            size: cluster.members.len(),
        })
        .collect();
    lines.sort_by_key(|l| std::cmp::Reverse(l.count));
    lines
}

/// The other services of the service's incidents, by how many incidents
/// they share, then by name ignoring case.
fn together(ctx: &Shared<'_>, name: &str, mine: &[(IncidentIdx, &Incident)]) -> Vec<Together> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, i) in mine {
        for s in i.services.iter().filter(|s| s.as_str() != name) {
            *counts.entry(s.as_str()).or_default() += 1;
        }
    }
    let mut list: Vec<Together> = counts
        .into_iter()
        .map(|(s, count)| Together {
            name: s.to_string(),
            url: ctx.views.services.url("services", s),
            count,
        })
        .collect();
    list.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
            .then_with(|| a.name.cmp(&b.name))
    });
    list.truncate(MAX_TOGETHER);
    list
}
