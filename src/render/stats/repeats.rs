//! The stats page's repeat charts: the share of incidents that were a
//! recurrence of an earlier one, by quarter and by service. A repeat is an
//! incident with a `recurrence_of` (the related stage's recurrence
//! threshold), the same fact its page and `incidents.json` show.

use std::collections::BTreeMap;

use super::{Cell, Chart, WIDTH, top_chart};
use crate::dates::Quarter;
use crate::model::{IncidentIdx, indexed};
use crate::render::shared::Shared;
use crate::render::svg::{self, Frame, Series};

/// Incidents and repeats of one group.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
struct Tally {
    incidents: usize,
    repeats: usize,
}

impl Tally {
    fn add(&mut self, repeat: bool) {
        self.incidents += 1;
        self.repeats += usize::from(repeat);
    }

    /// The share of repeats in percent; `None` without incidents.
    fn share(&self) -> Option<f64> {
        (self.incidents > 0).then(|| self.repeats as f64 * 100.0 / self.incidents as f64)
    }

    fn cells(&self) -> [Cell; 3] {
        [
            Cell::num(self.incidents.to_string()),
            Cell::num(self.repeats.to_string()),
            Cell::num(self.share().map(percent).unwrap_or_else(|| "—".into())),
        ]
    }
}

fn percent(v: f64) -> String {
    format!("{v:.0}%")
}

const NOTE: &str = "A repeat is an incident whose page names it a recurrence of an earlier \
                    incident.";

/// The repeat charts, or nothing (and a name in `missing`) when no
/// incident is a repeat.
pub(super) fn repeat_charts(ctx: &Shared<'_>, missing: &mut Vec<String>) -> Vec<Chart> {
    let incidents = ctx.input.incidents;
    let repeat =
        |i: IncidentIdx| i.of(&ctx.input.related.recurrence_of).is_some_and(Option::is_some);
    if !IncidentIdx::all(incidents.len()).any(repeat) {
        missing.push("repeats (no incident is a recurrence of an earlier one)".into());
        return Vec::new();
    }
    let mut by_quarter: BTreeMap<Quarter, Tally> = BTreeMap::new();
    for (i, incident) in indexed(incidents) {
        if let Some(d) = incident.date {
            by_quarter.entry(Quarter::of(d)).or_default().add(repeat(i));
        }
    }
    let mut by_service: Vec<(String, String, Tally)> = ctx
        .views
        .services
        .iter()
        .map(|(name, entry)| {
            let mut tally = Tally::default();
            entry.members.iter().for_each(|&m| tally.add(repeat(m)));
            (name.clone(), format!("../services/{}/index.html", entry.slug), tally)
        })
        .filter(|(_, _, t)| t.repeats > 0)
        .collect();
    // The services with the most repeats: a service with one incident, a
    // repeat, is 100% but tells less than one with six repeats of ten.
    by_service.sort_by(|a, b| b.2.repeats.cmp(&a.2.repeats).then_with(|| a.0.cmp(&b.0)));
    by_service.truncate(super::TOP);
    // Drawn by share, largest first; the table says how many of how many.
    let share = |t: &Tally| t.share().unwrap_or(0.0);
    by_service.sort_by(|a, b| {
        share(&b.2).total_cmp(&share(&a.2)).then(b.2.repeats.cmp(&a.2.repeats)).then(a.0.cmp(&b.0))
    });
    [quarter_chart(&by_quarter), service_chart(&by_service)].into_iter().flatten().collect()
}

/// The share of repeats per quarter, as a line over every quarter from
/// the first to the last; quarters without incidents have no dot.
fn quarter_chart(quarters: &BTreeMap<Quarter, Tally>) -> Option<Chart> {
    let (&first, &last) = (quarters.keys().next()?, quarters.keys().next_back()?);
    let mut points = Vec::new();
    let mut q = first;
    while q <= last {
        let tally = quarters.get(&q).copied().unwrap_or_default();
        points.push(svg::LinePoint {
            name: format!("{q} ({} of {})", tally.repeats, tally.incidents),
            label: q.year_label(q == first),
            values: vec![tally.share()],
        });
        q = q.next();
    }
    let title = "Share of incidents that were repeats, by quarter";
    let frame = Frame {
        title,
        id: "repeats-quarter",
        width: WIDTH,
        height: 220,
        value_axis: "Repeats (%)",
        minutes: false,
    };
    let series = vec![Series { name: "repeats".into(), class: "series-0".into() }];
    let svg = svg::responsive(&frame, |f| svg::lines(f, &series, &points, &percent));
    let rows = quarters
        .iter()
        .map(|(q, tally)| {
            let mut row = vec![Cell::text(q.to_string())];
            row.extend(tally.cells());
            row
        })
        .collect();
    Some(Chart {
        id: frame.id,
        title: title.into(),
        note: NOTE.into(),
        svg,
        head: head("Quarter"),
        rows,
    })
}

/// The services with the most repeats, drawn as their share of repeats.
fn service_chart(services: &[(String, String, Tally)]) -> Option<Chart> {
    let shares: Vec<(String, String, f64)> = services
        .iter()
        .map(|(name, href, tally)| (name.clone(), href.clone(), tally.share().unwrap_or(0.0)))
        .collect();
    let mut chart = top_chart(
        "repeats-service",
        "Share of incidents that were repeats, by service",
        "Service",
        "Repeats (%)",
        &shares,
        &percent,
    )?;
    chart.note = NOTE.into();
    chart.head = head("Service");
    chart.rows = services
        .iter()
        .map(|(name, href, tally)| {
            let mut row = vec![Cell::link(name.clone(), href.clone())];
            row.extend(tally.cells());
            row
        })
        .collect();
    Some(chart)
}

fn head(group: &str) -> Vec<String> {
    vec![group.into(), "Incidents".into(), "Repeats".into(), "Share".into()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_count_repeats_of_incidents() {
        let mut t = Tally::default();
        assert_eq!(t.share(), None);
        t.add(true);
        t.add(false);
        t.add(false);
        assert_eq!(t, Tally { incidents: 3, repeats: 1 });
        assert_eq!(t.share().map(percent).as_deref(), Some("33%"));
    }
}
