//! The list pages: the index (every incident), the service, tag and
//! severity pages with their indexes, and the incident rows they share.
//! Each row is rendered once and spliced into every list that shows it.

use std::collections::BTreeMap;

use serde::Serialize;

use super::OutputFile;
use super::pager::{Pager, page_file};
use super::shared::{RowHtml, Shared, root_for};
use super::splice;
use super::views::{self, Row};
use crate::error::Result;
use crate::model::{IncidentIdx, indexed};

/// The splice marker name of the rows of a list page: the template prints
/// `{{ table_rows | safe }}` where they go.
const ROWS: &str = "table-rows";

/// Incidents per page of a list: the index and each service, tag and
/// severity page show this many, newest first, and link to the next pages
/// (`page-2.html`, ...), so no list page grows with the archive.
pub(crate) const PAGE_ROWS: usize = 100;

/// What `root` holds while a table row renders: the NUL characters keep
/// any text of the archive from matching it.
const ROOT_MARKER: &str = "\u{0}hindsight-root\u{0}";

/// The template of one row of the incident tables.
const ROW_TEMPLATE: &str = "partials/incident_row.html";

#[derive(Serialize)]
struct SeverityCount<'a> {
    name: &'a str,
    label: &'a str,
    class: &'a str,
    url: &'a str,
    count: usize,
}

/// One service, tag or severity page to render.
struct TermPage<'a> {
    /// `services`, `tags` or `severity`: also the folder.
    kind: &'static str,
    heading: &'static str,
    singular: &'static str,
    view: TermView<'a>,
    members: &'a [IncidentIdx],
}

#[derive(Serialize)]
struct TermView<'a> {
    name: &'a str,
    label: &'a str,
    class: &'a str,
    url: String,
    count: usize,
    /// Date of the newest dated member; `None` when every member is undated.
    last: Option<String>,
    severities: Vec<SeverityCount<'a>>,
    /// Incidents per year as an SVG bar chart (trusted, built here).
    year_bars: String,
}

impl Shared<'_> {
    /// Recomputes the views of incident `i` after its text changed (its
    /// summary, timeline, duration and action items may have).
    pub(crate) fn refresh(&mut self, i: IncidentIdx) -> Result<()> {
        let Some(incident) = i.of(self.input.incidents) else { return Ok(()) };
        let v = &mut self.views;
        let rows = views::rows(std::slice::from_ref(incident), &v.severities, &v.services, &v.tags);
        if let (Some(slot), Some(row)) = (i.of_mut(&mut v.rows), rows.into_iter().next()) {
            // A text edit does not re-relate; the catch-up renders anew.
            *slot = views::Row { recurring: slot.recurring, ..row };
        }
        if let Some(slot) = i.of_mut(&mut v.metrics) {
            *slot = crate::metrics::incident_metrics(incident);
        }
        if let Some(row) = i.of(&self.views.rows) {
            let rendered = self.render_row(row)?;
            self.views.row_html.replace(i.get(), rendered);
        }
        Ok(())
    }

    /// A row rendered for the site root and for pages two folders down.
    /// The template runs once, with a marker for `root` that is then
    /// replaced by each page's path to the root.
    pub(super) fn render_row(&self, row: &Row) -> Result<(String, String)> {
        let mut ctx = tera::Context::new();
        ctx.insert("i", row);
        ctx.insert("root", ROOT_MARKER);
        let html = self.render_text(ROW_TEMPLATE, &ctx)?;
        // Kept for the whole render: no slack in either copy.
        let mut top = html.replace(ROOT_MARKER, &root_for(0));
        let mut nested = html.replace(ROOT_MARKER, &root_for(2));
        top.shrink_to_fit();
        nested.shrink_to_fit();
        Ok((top, nested))
    }

    /// Renders the list rows the index and the term pages share, giving
    /// up when `out` no longer wants the site.
    pub(crate) fn render_rows(&mut self, out: &dyn super::Emit) -> Result<()> {
        use rayon::prelude::*;
        let both: Vec<(String, String)> = self
            .views
            .rows
            .par_iter()
            .map(|row| out.wanted().and_then(|()| self.render_row(row)))
            .collect::<Result<_>>()?;
        let (top, nested) = both.into_iter().unzip();
        self.views.row_html = RowHtml { top, nested };
        Ok(())
    }

    /// Every incident's row rendered for the site root, in archive order.
    pub(super) fn top_rows(&self) -> &[String] {
        &self.views.row_html.top
    }

    /// The rows of `members`, rendered for a page at `depth` 0 or 2.
    fn rows_html<'s>(
        &'s self,
        members: &'s [IncidentIdx],
        depth: usize,
    ) -> impl Iterator<Item = &'s str> {
        let rows = if depth == 0 { &self.views.row_html.top } else { &self.views.row_html.nested };
        #[allow(clippy::expect_used, reason = "`render_rows` renders each row of the views")]
        members.iter().map(|&m| m.of(rows).expect("a rendered row per incident").as_str())
    }

    /// Renders a list page of the rows of `members` (see
    /// [`Self::render_with_rows`]).
    fn render_list(
        &self,
        template: &str,
        ctx: tera::Context,
        path: String,
        members: &[IncidentIdx],
        depth: usize,
    ) -> Result<OutputFile> {
        let room = self.rows_html(members, depth).map(str::len).sum();
        self.render_with_rows(template, ctx, path, room, |out| {
            self.rows_html(members, depth).for_each(|row| out.extend_from_slice(row.as_bytes()));
            Ok(())
        })
    }

    /// The pages of a list of `members` in folder `dir` (`""` or ending
    /// in `/`), [`PAGE_ROWS`] rows each: `index.html`, then `page-2.html`
    /// and on, each with `pager` (absent when one page holds them all) and
    /// `page_number` in its context.
    fn render_paged(
        &self,
        template: &str,
        ctx: &tera::Context,
        dir: &str,
        members: &[IncidentIdx],
        depth: usize,
    ) -> Result<Vec<OutputFile>> {
        let chunks: Vec<&[IncidentIdx]> =
            if members.is_empty() { vec![members] } else { members.chunks(PAGE_ROWS).collect() };
        let pages = chunks.len();
        let mut files = Vec::with_capacity(pages);
        for (k, chunk) in chunks.into_iter().enumerate() {
            let mut ctx = ctx.clone();
            let page = k + 1;
            ctx.insert("page_number", &page);
            if pages > 1 {
                ctx.insert(
                    "pager",
                    &Pager::new("Incidents", page, pages, members.len(), PAGE_ROWS),
                );
            }
            let path = format!("{dir}{}", page_file(page));
            files.push(self.render_list(template, ctx, path, chunk, depth)?);
        }
        Ok(files)
    }

    /// Renders a list page whose template prints `{{ table_rows | safe }}`,
    /// then writes the table rows in its place with `write_rows` (see
    /// [`super::splice`]); `room` is the rows' expected size in bytes.
    pub(crate) fn render_with_rows(
        &self,
        template: &str,
        mut ctx: tera::Context,
        path: String,
        room: usize,
        mut write_rows: impl FnMut(&mut Vec<u8>) -> Result<()>,
    ) -> Result<OutputFile> {
        ctx.insert("table_rows", &splice::marker(ROWS));
        self.render_spliced(template, ctx, path, room, |name, out| {
            if name == ROWS { write_rows(out) } else { Ok(()) }
        })
    }

    fn severity_counts(&self, members: &[IncidentIdx]) -> Vec<SeverityCount<'_>> {
        let mut counts: BTreeMap<usize, usize> = BTreeMap::new();
        for incident in members.iter().map(|&m| self.incident(m)) {
            *counts.entry(incident.severity.rank).or_default() += 1;
        }
        counts
            .into_iter()
            .map(|(rank, count)| {
                let s = self
                    .views
                    .severities
                    .get(&crate::model::Severity { rank, name: String::new() });
                SeverityCount {
                    name: &s.name,
                    label: &s.label,
                    class: &s.class,
                    url: &s.url,
                    count,
                }
            })
            .collect()
    }

    /// What the list of `members` has nothing to show in: a column no row
    /// fills is hidden (`services`, `duration`), and a severity column of
    /// only "unrated" gives way to one sentence saying why.
    fn empty_columns(&self, members: &[IncidentIdx]) -> EmptyColumns {
        let rows = members.iter().map(|&m| self.row(m));
        let (mut services, mut duration, mut rated) = (false, false, false);
        for row in rows {
            services |= !row.services.is_empty();
            duration |= !row.duration.is_empty();
            rated |= row.severity.name != "unrated";
        }
        let mut classes = Vec::new();
        if !services {
            classes.push("no-svc");
        }
        if !duration {
            classes.push("no-dur");
        }
        if !rated {
            classes.push("no-sev");
        }
        EmptyColumns { classes: classes.join(" "), unrated: !rated && !members.is_empty() }
    }

    /// `index.html` and its next pages: every incident, newest first.
    pub(crate) fn index_pages(&self) -> Result<Vec<OutputFile>> {
        let all: Vec<IncidentIdx> = IncidentIdx::all(self.views.rows.len()).collect();
        let mut ctx = self.context(0, "incidents");
        ctx.insert("row_count", &all.len());
        ctx.insert("empty", &self.empty_columns(&all));

        ctx.insert("severity_counts", &self.severity_counts(&all));
        ctx.insert(
            "filters",
            &super::browse::Filters::new(
                &self.views.rows,
                &self.views.severities,
                &self.views.services,
                &self.views.tags,
            ),
        );
        self.render_paged("index.html", &ctx, "", &all, 0)
    }

    /// `services/`, `tags/` and `severity/`: an index and a page per term,
    /// the term pages rendered in parallel and handed to `out` as they are
    /// done.
    pub(crate) fn term_pages(&self, out: &dyn super::Emit) -> Result<()> {
        use rayon::prelude::*;
        let mut pages: Vec<TermPage<'_>> = Vec::new();
        for (kind, heading, singular, terms) in [
            ("services", "Services", "Service", &self.views.services),
            ("tags", "Tags", "Tag", &self.views.tags),
        ] {
            for (name, entry) in terms.iter() {
                let url = format!("{kind}/{}/index.html", entry.slug);
                let view = self.term_view(name, "", "", url, &entry.members);
                pages.push(TermPage { kind, heading, singular, view, members: &entry.members });
            }
        }
        // Severity follows the configured scale, not the alphabet.
        let mut by_rank: BTreeMap<usize, Vec<IncidentIdx>> = BTreeMap::new();
        for (i, incident) in indexed(self.input.incidents) {
            by_rank.entry(incident.severity.rank).or_default().push(i);
        }
        for s in self.views.severities.all() {
            let rank = self
                .input
                .config
                .severity_rank(&s.name)
                .unwrap_or(crate::model::Severity::UNRATED_RANK);
            let members = by_rank.get(&rank).map(Vec::as_slice).unwrap_or(&[]);
            if members.is_empty() && rank == crate::model::Severity::UNRATED_RANK {
                continue;
            }
            let view = self.term_view(&s.name, &s.label, &s.class, s.url.clone(), members);
            let (kind, heading, singular) = ("severity", "Severity", "Severity");
            pages.push(TermPage { kind, heading, singular, view, members });
        }
        pages.par_iter().try_for_each(|page| {
            self.term_page(page)?.into_iter().try_for_each(|file| out.emit(file))
        })?;
        for (kind, heading, singular) in
            [("services", "Services", "Service"), ("tags", "Tags", "Tag")]
        {
            let mut list: Vec<&TermView<'_>> =
                pages.iter().filter(|p| p.kind == kind).map(|p| &p.view).collect();
            list.sort_by(|a, b| {
                b.count
                    .cmp(&a.count)
                    .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
                    .then_with(|| a.name.cmp(b.name))
            });
            out.emit(self.terms_index(kind, heading, singular, &list)?)?;
        }
        let list: Vec<&TermView<'_>> =
            pages.iter().filter(|p| p.kind == "severity").map(|p| &p.view).collect();
        out.emit(self.terms_index("severity", "Severity", "Severity", &list)?)
    }

    fn term_view<'s>(
        &'s self,
        name: &'s str,
        label: &'s str,
        class: &'s str,
        url: String,
        members: &[IncidentIdx],
    ) -> TermView<'s> {
        TermView {
            name,
            label,
            class,
            url,
            count: members.len(),
            last: members
                .iter()
                .filter_map(|&m| self.incident(m).date)
                .max()
                .map(|d| d.to_string()),
            severities: self.severity_counts(members),
            year_bars: super::browse::year_span(self.input.incidents)
                .map(|span| super::browse::year_bars_svg(self.input.incidents, members, span))
                .unwrap_or_default(),
        }
    }

    fn term_page(&self, page: &TermPage<'_>) -> Result<Vec<OutputFile>> {
        let mut ctx = self.context(2, page.kind);
        ctx.insert("kind", page.kind);
        ctx.insert("heading", page.heading);
        ctx.insert("singular", page.singular);
        ctx.insert("parent_url", &format!("{}/index.html", page.kind));
        ctx.insert("term", &page.view);
        ctx.insert("row_count", &page.members.len());
        ctx.insert("empty", &self.empty_columns(page.members));
        if page.kind == "services" {
            ctx.insert("owner", &super::owner::owner_view(self, page.view.name, page.members));
        }
        let dir = page.view.url.strip_suffix("index.html").unwrap_or(&page.view.url);
        self.render_paged("term.html", &ctx, dir, page.members, 2)
    }

    fn terms_index(
        &self,
        kind: &str,
        heading: &str,
        singular: &str,
        terms: &[&TermView<'_>],
    ) -> Result<OutputFile> {
        let mut ctx = self.context(1, kind);
        ctx.insert("kind", kind);
        ctx.insert("heading", heading);
        ctx.insert("singular", singular);
        ctx.insert("terms", terms);
        self.render("terms.html", &ctx, format!("{kind}/index.html"))
    }
}

/// Columns of an incident list with nothing to show: classes for the
/// table, and whether no incident of the list has a severity.
#[derive(serde::Serialize)]
pub(crate) struct EmptyColumns {
    classes: String,
    unrated: bool,
}
