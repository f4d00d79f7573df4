//! [`Shared`]: the input of the render stage and the [`Views`] every page
//! reads, built once per build (kept between rebuilds by `serve`), with
//! the helpers every page renders through. Every page module depends on
//! this one; it depends on none of them.

use rayon::prelude::*;

use super::views::{self, Row, Severities, SiteView, Terms};
use super::{OutputFile, RenderInput, template_error};
use crate::error::Result;
use crate::model::{Incident, IncidentIdx, indexed};

/// Rendered `partials/incident_row.html` of every incident, by depth: at
/// the site root (the index) and two folders down (the term pages).
#[derive(Default)]
pub(super) struct RowHtml {
    pub(super) top: Vec<String>,
    pub(super) nested: Vec<String>,
}

impl RowHtml {
    /// Puts incident `i`'s rows rendered again in place.
    pub(super) fn replace(&mut self, i: usize, (top, nested): (String, String)) {
        if let (Some(a), Some(b)) = (self.top.get_mut(i), self.nested.get_mut(i)) {
            (*a, *b) = (top, nested);
        }
    }
}

/// Views computed once per build and shared by every page: the input and
/// the [`Views`] built from it, named where they are read (`ctx.views.rows`).
pub(crate) struct Shared<'a> {
    pub(crate) input: &'a RenderInput<'a>,
    pub(crate) views: Views,
    /// The latest date of the archive, read once per render when a page
    /// first asks (see [`Shared::last_date`]).
    last_date: std::sync::OnceLock<Option<jiff::civil::Date>>,
}

/// What [`Shared`] computes from the input. Owned, so `serve` can keep it
/// between rebuilds and render one edited incident's page without
/// computing every site-wide view again (see [`Shared::with_views`]).
pub(crate) struct Views {
    /// The site's [`SiteView`] as a template value, made once: every page's
    /// context gets a cheap copy of it (tera's maps are shared, not cloned).
    site_value: tera::Value,
    pub(crate) severities: Severities,
    pub(crate) services: Terms,
    pub(crate) tags: Terms,
    pub(crate) rows: Vec<Row>,
    /// Derived times of each incident, in incident order.
    pub(crate) metrics: Vec<crate::metrics::IncidentMetrics>,
    /// Each incident's list-table row, rendered once for the index (at the
    /// site root) and once for the term pages (two folders down): about
    /// sixty thousand rows of term pages at 10,000 incidents are copies.
    pub(super) row_html: RowHtml,
}

/// `root` for a page at `depth` folders below the site root.
pub(super) fn root_for(depth: usize) -> String {
    "../".repeat(depth)
}

impl<'a> Shared<'a> {
    pub(crate) fn new(input: &'a RenderInput<'a>) -> Self {
        let config = input.config;
        let severities = Severities::new(config);
        let (services, tags) = rayon::join(
            || Terms::collect(input.incidents, |i| &i.services),
            || Terms::collect(input.incidents, |i| &i.tags),
        );
        let mut rows = views::rows(input.incidents, &severities, &services, &tags);
        for (i, earlier) in indexed(&input.related.recurrence_of) {
            if let Some(&earlier) = earlier.as_ref() {
                for at in [i, earlier] {
                    #[allow(clippy::expect_used, reason = "a row per incident, see `incident`")]
                    let row = at.of_mut(&mut rows).expect("a row per incident");
                    row.recurring = true;
                }
            }
        }
        let site = SiteView {
            title: config.title.clone(),
            description: config.description.clone(),
            language: "en",
            nav: vec![
                views::NavItem { key: "incidents", label: "Incidents", url: "index.html" },
                views::NavItem { key: "timeline", label: "Timeline", url: "timeline/index.html" },
                views::NavItem { key: "services", label: "Services", url: "services/index.html" },
                views::NavItem { key: "tags", label: "Tags", url: "tags/index.html" },
                views::NavItem { key: "severity", label: "Severity", url: "severity/index.html" },
                views::NavItem { key: "graph", label: "Graph", url: "graph/index.html" },
                views::NavItem { key: "stats", label: "Stats", url: "stats/index.html" },
                views::NavItem { key: "actions", label: "Actions", url: "actions/index.html" },
            ],
            incident_count: input.incidents.len(),
        };
        let metrics = input.incidents.par_iter().map(crate::metrics::incident_metrics).collect();
        let row_html = RowHtml::default();
        // A struct of strings and numbers always serializes.
        let site_value =
            tera::Value::try_from_serializable(&site).unwrap_or_else(|_| tera::Value::none());
        Shared {
            input,
            views: Views { site_value, severities, services, tags, rows, metrics, row_html },
            last_date: std::sync::OnceLock::new(),
        }
    }

    /// Views kept from an earlier render of the same incidents, in the same
    /// order, with the same names, dates, severities, services, tags and
    /// statuses; refresh each incident edited since with [`Self::refresh`].
    pub(crate) fn with_views(input: &'a RenderInput<'a>, views: Views) -> Self {
        Shared { input, views, last_date: std::sync::OnceLock::new() }
    }

    /// The latest date of any incident: each service's page draws its
    /// charts up to it, and reading every incident for each service made
    /// the services' pages cost their number times the archive's size.
    pub(crate) fn last_date(&self) -> Option<jiff::civil::Date> {
        *self.last_date.get_or_init(|| self.input.incidents.iter().filter_map(|i| i.date).max())
    }

    /// Incident `i` of the input. Every incident index the render stage
    /// reads names one: the link and related stages made theirs from the
    /// same incidents (see [`RenderInput`]), the views count them.
    #[allow(clippy::expect_used, reason = "every stage's indices count the same incidents")]
    pub(crate) fn incident(&self, i: IncidentIdx) -> &'a Incident {
        i.of(self.input.incidents).expect("an index of the input's incidents")
    }

    /// Incident `i`'s row of the lists: the views hold one per incident.
    #[allow(clippy::expect_used, reason = "`views::rows` makes a row per incident")]
    pub(crate) fn row(&self, i: IncidentIdx) -> &Row {
        i.of(&self.views.rows).expect("a row per incident")
    }

    /// Gives the views back, to keep for the next render.
    pub(crate) fn into_views(self) -> Views {
        self.views
    }

    pub(crate) fn context(&self, depth: usize, section: &str) -> tera::Context {
        let mut ctx = tera::Context::new();
        ctx.insert_value("site", self.views.site_value.clone());
        ctx.insert("root", &root_for(depth));
        ctx.insert("section", section);
        ctx
    }

    /// `template` rendered with `ctx`, a template error naming it.
    pub(crate) fn render_text(&self, template: &str, ctx: &tera::Context) -> Result<String> {
        self.input.theme.tera.render(template, ctx).map_err(|e| template_error(template, e))
    }

    pub(crate) fn render(
        &self,
        template: &str,
        ctx: &tera::Context,
        path: String,
    ) -> Result<OutputFile> {
        Ok(OutputFile::bytes(path, self.render_text(template, ctx)?))
    }
}
