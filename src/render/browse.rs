//! The browsing aids of the list pages: the filter choices of the index and
//! the per-year bars of the term indexes.
//!
//! Part of the render stage. Inputs: the incidents and the views of
//! [`super::views`]. Outputs: [`Filters`] for `index.html` and SVG strings
//! drawn at build time (no script, no inline style: the pages' CSP forbids
//! both). Imports: model and the render views.

use std::collections::BTreeMap;

use serde::Serialize;

use super::views::{Row, Severities, Terms, UNDATED};
use crate::model::{Incident, IncidentIdx};

/// Services beyond this count get a type-ahead box above their checkboxes.
const MANY_SERVICES: usize = 12;

/// One choice of a filter: the value it puts in the URL query, what it
/// shows, and how many incidents of the whole archive have it.
#[derive(Debug, Serialize)]
pub(crate) struct Choice {
    pub(crate) value: String,
    pub(crate) label: String,
    /// Severity class suffix (`sev-<class>`), empty for other filters.
    pub(crate) class: String,
    pub(crate) count: usize,
}

/// Every choice of every filter of the index, in display order.
#[derive(Debug, Serialize)]
pub(crate) struct Filters {
    /// Severities present in the archive, in the configured order.
    pub(crate) severities: Vec<Choice>,
    /// Services by name; the URL value is the service's page slug.
    pub(crate) services: Vec<Choice>,
    /// Tags by name; the URL value is the tag's page slug.
    pub(crate) tags: Vec<Choice>,
    /// Statuses present, by name.
    pub(crate) statuses: Vec<Choice>,
    /// Years present, newest first, then `undated` when some incident is.
    pub(crate) years: Vec<Choice>,
    /// "Recurring only" and "One-off", when some incident is a recurrence
    /// of another; else empty, and the filter is not drawn.
    pub(crate) recurring: Vec<Choice>,
    /// True when the service list is long enough to need a type-ahead box.
    pub(crate) many_services: bool,
    /// True when some incident has a duration (else no "Longest first").
    pub(crate) any_duration: bool,
}

impl Filters {
    pub(crate) fn new(
        rows: &[Row],
        severities: &Severities,
        services: &Terms,
        tags: &Terms,
    ) -> Filters {
        let mut by_severity: BTreeMap<&str, usize> = BTreeMap::new();
        let mut by_status: BTreeMap<&str, usize> = BTreeMap::new();
        let mut by_year: BTreeMap<i16, usize> = BTreeMap::new();
        let mut undated = 0;
        let recurring = rows.iter().filter(|r| r.recurring).count();
        for row in rows {
            *by_severity.entry(&row.severity.name).or_default() += 1;
            if let Some(status) = &row.status {
                *by_status.entry(status).or_default() += 1;
            }
            match row.year.parse::<i16>() {
                Ok(year) => *by_year.entry(year).or_default() += 1,
                Err(_) => undated += 1,
            }
        }
        let plain = |value: &str, count: usize| Choice {
            value: value.to_string(),
            label: value.to_string(),
            class: String::new(),
            count,
        };
        let terms = |terms: &Terms| -> Vec<Choice> {
            terms
                .iter()
                .map(|(name, e)| Choice {
                    value: e.slug.clone(),
                    label: name.clone(),
                    class: String::new(),
                    count: e.members.len(),
                })
                .collect()
        };
        let mut years: Vec<Choice> =
            by_year.into_iter().rev().map(|(y, n)| plain(&y.to_string(), n)).collect();
        if undated > 0 {
            years.push(Choice { label: "Undated".into(), ..plain(UNDATED, undated) });
        }
        Filters {
            severities: severities
                .all()
                .filter_map(|s| {
                    let count = by_severity.get(s.name.as_str()).copied()?;
                    Some(Choice {
                        value: s.name.clone(),
                        label: s.label.clone(),
                        class: s.class.clone(),
                        count,
                    })
                })
                .collect(),
            services: terms(services),
            tags: terms(tags),
            statuses: by_status.into_iter().map(|(s, n)| plain(s, n)).collect(),
            years,
            recurring: if recurring > 0 {
                vec![
                    Choice {
                        label: "Recurring failures".into(),
                        ..plain(super::list_data::RECURRING, recurring)
                    },
                    Choice {
                        label: "One-off".into(),
                        ..plain(super::list_data::ONE_OFF, rows.len() - recurring)
                    },
                ]
            } else {
                Vec::new()
            },
            many_services: services.len() > MANY_SERVICES,
            any_duration: rows.iter().any(|r| !r.duration.is_empty()),
        }
    }
}

/// Bar geometry of [`year_bars_svg`], in CSS pixels.
const BAR_WIDTH: usize = 8;
const BAR_GAP: usize = 2;
const BAR_HEIGHT: usize = 20;

/// A small bar chart of `members`' incidents per year over `years` (the
/// archive's first to last year), so every row of a term index shares one
/// scale of years. Empty years show as a thin baseline; undated incidents
/// have no bar (the term's count still includes them).
pub(crate) fn year_bars_svg(
    incidents: &[Incident],
    members: &[IncidentIdx],
    years: std::ops::RangeInclusive<i16>,
) -> String {
    let mut counts: BTreeMap<i16, usize> = years.clone().map(|y| (y, 0)).collect();
    for incident in members.iter().filter_map(|&m| m.of(incidents)) {
        let Some(date) = incident.date else { continue };
        if let Some(n) = counts.get_mut(&date.year()) {
            *n += 1;
        }
    }
    let max = counts.values().copied().max().unwrap_or(0).max(1);
    let width = counts.len() * (BAR_WIDTH + BAR_GAP);
    let label: Vec<String> = counts.iter().map(|(y, n)| format!("{y}: {n}")).collect();
    let mut svg = format!(
        "<svg class=\"year-bars\" width=\"{width}\" height=\"{BAR_HEIGHT}\" \
         viewBox=\"0 0 {width} {BAR_HEIGHT}\" role=\"img\" \
         aria-label=\"Incidents per year: {}\">",
        label.join(", ")
    );
    for (i, (year, n)) in counts.iter().enumerate() {
        let h = if *n == 0 { 1 } else { (n * BAR_HEIGHT).div_ceil(max).max(2) };
        let x = i * (BAR_WIDTH + BAR_GAP);
        let class = if *n == 0 { "bar empty" } else { "bar" };
        svg.push_str(&format!(
            "<rect class=\"{class}\" x=\"{x}\" y=\"{}\" width=\"{BAR_WIDTH}\" height=\"{h}\">\
             <title>{year}: {n}</title></rect>",
            BAR_HEIGHT - h
        ));
    }
    svg.push_str("</svg>");
    svg
}

/// The archive's first and last year of its dated incidents; `None` when
/// none is dated (there are no bars to draw).
pub(crate) fn year_span(incidents: &[Incident]) -> Option<std::ops::RangeInclusive<i16>> {
    let years = incidents.iter().filter_map(|i| i.date).map(|d| d.year());
    Some(years.clone().min()?..=years.max()?)
}
