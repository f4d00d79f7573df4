//! The HTML pages: one function per kind of page, all reading [`Shared`].

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

use super::splice;
use super::views::{self, Row, Severities, SeverityView, SiteView, Terms};
use super::{OutputFile, RenderInput, template_error};
use crate::error::Result;
use crate::markdown::{LinkRender, highlight_css, render_html};
use crate::model::{Heading, Incident, LinkTarget};

/// Views computed once per build and shared by every page: the input and
/// the [`Views`] built from it (read through `Deref`, as `ctx.rows`).
pub(crate) struct Shared<'a> {
    pub(crate) input: &'a RenderInput<'a>,
    views: Views,
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
    row_html: RowHtml,
}

impl std::ops::Deref for Shared<'_> {
    type Target = Views;

    fn deref(&self) -> &Views {
        &self.views
    }
}

/// Rendered `partials/incident_row.html` of every incident, by depth.
#[derive(Default)]
struct RowHtml {
    top: Vec<String>,
    nested: Vec<String>,
}

/// The splice marker name of the rows of a list page: the template prints
/// `{{ table_rows | safe }}` where they go.
const ROWS: &str = "table-rows";

/// What `root` holds while a table row renders: the NUL characters keep
/// any text of the archive from matching it.
const ROOT_MARKER: &str = "\u{0}hindsight-root\u{0}";

/// The template of one row of the incident tables.
const ROW_TEMPLATE: &str = "partials/incident_row.html";

/// `root` for a page at `depth` folders below the site root.
pub(super) fn root_for(depth: usize) -> String {
    "../".repeat(depth)
}

#[derive(Serialize)]
struct ExtraField {
    key: String,
    value: String,
}

#[derive(Serialize)]
struct BacklinkView<'a> {
    url: String,
    title: &'a str,
    date: Option<String>,
    context: &'a str,
}

#[derive(Serialize)]
struct IncidentView<'a> {
    title: &'a str,
    date: Option<String>,
    started_at: Option<String>,
    severity: &'a SeverityView,
    duration: String,
    status: Option<&'a str>,
    status_class: &'a str,
    services: &'a [views::TermRef],
    tags: &'a [views::TermRef],
    authors: &'a [String],
    extra: Vec<ExtraField>,
    summary: &'a str,
    /// Only a front-matter summary is shown in the header; one taken from
    /// the body would appear twice.
    show_summary: bool,
    toc: Vec<&'a Heading>,
    body: String,
    backlinks: Vec<BacklinkView<'a>>,
    // The graph view's fields, not a flattened struct: serde's flatten
    // goes through a map and showed up in the profile of every page.
    related: Vec<super::graph::RelatedView<'a>>,
    cluster: Option<super::graph::ClusterRef>,
    neighbourhood: Option<String>,
    source: String,
    times: Option<super::timeline::TimesView>,
    timeline: Option<super::timeline::IncidentTimelineView>,
    /// Source and history links in the forge, when `repo_url` is set.
    forge: Option<super::forge::ForgeLinks>,
}

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
    members: &'a [usize],
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

impl<'a> Shared<'a> {
    pub(crate) fn new(input: &'a RenderInput<'a>) -> Self {
        let config = input.config;
        let severities = Severities::new(config);
        let (services, tags) = rayon::join(
            || Terms::collect(input.incidents, |i| &i.services),
            || Terms::collect(input.incidents, |i| &i.tags),
        );
        let rows = views::rows(input.incidents, &severities, &services, &tags);
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
        }
    }

    /// Views kept from an earlier render of the same incidents, in the same
    /// order, with the same names, dates, severities, services, tags and
    /// statuses; refresh each incident edited since with [`Self::refresh`].
    pub(crate) fn with_views(input: &'a RenderInput<'a>, views: Views) -> Self {
        Shared { input, views }
    }

    /// Gives the views back, to keep for the next render.
    pub(crate) fn into_views(self) -> Views {
        self.views
    }

    /// Recomputes the views of incident `i` after its text changed (its
    /// summary, timeline, duration and action items may have).
    pub(crate) fn refresh(&mut self, i: usize) -> Result<()> {
        let Some(incident) = self.input.incidents.get(i) else { return Ok(()) };
        let v = &mut self.views;
        let rows = views::rows(std::slice::from_ref(incident), &v.severities, &v.services, &v.tags);
        if let (Some(slot), Some(row)) = (v.rows.get_mut(i), rows.into_iter().next()) {
            *slot = row;
        }
        if let Some(slot) = v.metrics.get_mut(i) {
            *slot = crate::metrics::incident_metrics(incident);
        }
        if let Some(row) = self.views.rows.get(i) {
            let (top, nested) = self.render_row(row)?;
            let html = &mut self.views.row_html;
            if let (Some(a), Some(b)) = (html.top.get_mut(i), html.nested.get_mut(i)) {
                (*a, *b) = (top, nested);
            }
        }
        Ok(())
    }

    /// A row rendered for the site root and for pages two folders down.
    /// The template runs once, with a marker for `root` that is then
    /// replaced by each page's path to the root.
    fn render_row(&self, row: &Row) -> Result<(String, String)> {
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
            .rows
            .par_iter()
            .map(|row| out.wanted().and_then(|()| self.render_row(row)))
            .collect::<Result<_>>()?;
        (self.views.row_html.top, self.views.row_html.nested) = both.into_iter().unzip();
        Ok(())
    }

    /// The rows of `members`, rendered for a page at `depth` 0 or 2.
    fn rows_html<'s>(
        &'s self,
        members: &'s [usize],
        depth: usize,
    ) -> impl Iterator<Item = &'s str> {
        let rows = if depth == 0 { &self.row_html.top } else { &self.row_html.nested };
        members.iter().filter_map(|&m| rows.get(m).map(String::as_str))
    }

    /// Renders a list page of the rows of `members` (see
    /// [`Self::render_with_rows`]).
    fn render_list(
        &self,
        template: &str,
        ctx: &mut tera::Context,
        path: String,
        members: &[usize],
        depth: usize,
    ) -> Result<OutputFile> {
        let room = self.rows_html(members, depth).map(str::len).sum();
        self.render_with_rows(template, ctx, path, room, |out| {
            self.rows_html(members, depth).for_each(|row| out.extend_from_slice(row.as_bytes()));
            Ok(())
        })
    }

    pub(crate) fn context(&self, depth: usize, section: &str) -> tera::Context {
        let mut ctx = tera::Context::new();
        ctx.insert_value("site", self.site_value.clone());
        ctx.insert("root", &root_for(depth));
        ctx.insert("section", section);
        ctx
    }

    /// Renders a list page whose template prints `{{ table_rows | safe }}`,
    /// then writes the table rows in its place with `write_rows` (see
    /// [`super::splice`]); `room` is the rows' expected size in bytes.
    pub(crate) fn render_with_rows(
        &self,
        template: &str,
        ctx: &mut tera::Context,
        path: String,
        room: usize,
        mut write_rows: impl FnMut(&mut Vec<u8>) -> Result<()>,
    ) -> Result<OutputFile> {
        ctx.insert("table_rows", &splice::marker(ROWS));
        let html = self.render_text(template, ctx)?;
        let bytes =
            splice::splice(
                &html,
                room,
                |name, out| {
                    if name == ROWS { write_rows(out) } else { Ok(()) }
                },
            )?;
        Ok(OutputFile::bytes(path, bytes))
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

    /// `incidents/<slug>/index.html` of incident `i`; `None` for an index
    /// past the end. Hands the page's search tokens to `search` when given.
    pub(crate) fn incident_page(
        &self,
        i: usize,
        search: Option<&super::search::SearchTokens>,
    ) -> Result<Option<OutputFile>> {
        let incidents = self.input.incidents;
        // Rows and metrics are built from the same incidents, one each.
        let (Some(incident), Some(row), Some(metrics)) =
            (incidents.get(i), self.rows.get(i), self.metrics.get(i))
        else {
            return Ok(None);
        };
        let doc = &incident.doc;
        let links = self.input.links;
        let renders: Vec<LinkRender> = doc
            .outline
            .links
            .iter()
            .zip(links.targets.get(i).into_iter().flatten())
            .map(|(link, target)| link_render(i, incidents, link, target))
            .collect();
        let body = render_html(
            &doc.source.text,
            doc.body.clone(),
            &doc.outline,
            &renders,
            self.input.config.allow_raw_html,
        );
        if let Some(search) = search {
            search.add(i, incident, &body.plain);
        }
        let backlinks = links
            .backlinks
            .get(i)
            .into_iter()
            .flatten()
            .filter_map(|b| {
                let from = incidents.get(b.source)?;
                Some(BacklinkView {
                    url: from.url(),
                    title: &from.title,
                    date: from.date_text(),
                    context: &b.context,
                })
            })
            .collect();
        let super::graph::IncidentGraphView { related, cluster, neighbourhood } =
            self.incident_graph(i);
        let view = IncidentView {
            title: &incident.title,
            date: row.date.clone(),
            started_at: incident.started_at.map(|t| t.to_string()),
            severity: &row.severity,
            duration: row.duration.clone(),
            status: incident.status.as_deref(),
            status_class: &row.status_class,
            services: &row.services,
            tags: &row.tags,
            authors: &incident.authors,
            extra: incident
                .extra
                .iter()
                .map(|(k, v)| ExtraField {
                    key: k.clone(),
                    value: match v {
                        serde_json::Value::String(s) => s.clone(),
                        other => other.to_string(),
                    },
                })
                .collect(),
            summary: &incident.summary,
            show_summary: doc.matter.contains_key("summary"),
            toc: doc.outline.headings.iter().filter(|h| (2..=3).contains(&h.level)).collect(),
            body: body.html,
            backlinks,
            related,
            cluster,
            neighbourhood,
            source: doc.source.rel_path.to_string_lossy().replace('\\', "/"),
            times: super::timeline::times_view(metrics),
            timeline: super::timeline::incident_timeline(incident, metrics),
            forge: self.input.config.repo_url.as_deref().map(|url| {
                let path = doc.source.rel_path.to_string_lossy().replace('\\', "/");
                super::forge::forge_links(url, &self.input.config.repo_branch, &path)
            }),
        };
        let mut ctx = self.context(2, "incidents");
        ctx.insert("page", &view);
        self.render("incident.html", &ctx, incident.url()).map(Some)
    }

    fn severity_counts(&self, members: &[usize]) -> Vec<SeverityCount<'_>> {
        let mut counts: BTreeMap<usize, usize> = BTreeMap::new();
        for incident in members.iter().filter_map(|&m| self.input.incidents.get(m)) {
            *counts.entry(incident.severity.rank).or_default() += 1;
        }
        counts
            .into_iter()
            .map(|(rank, count)| {
                let s = self.severities.get(&crate::model::Severity { rank, name: String::new() });
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

    /// `index.html`: every incident, newest first.
    pub(crate) fn index_page(&self) -> Result<OutputFile> {
        let all: Vec<usize> = (0..self.rows.len()).collect();
        let mut ctx = self.context(0, "incidents");
        ctx.insert("row_count", &all.len());

        ctx.insert("severity_counts", &self.severity_counts(&all));
        ctx.insert(
            "filters",
            &super::browse::Filters::new(&self.rows, &self.severities, &self.services, &self.tags),
        );
        self.render_list("index.html", &mut ctx, "index.html".into(), &all, 0)
    }

    /// `services/`, `tags/` and `severity/`: an index and a page per term,
    /// the term pages rendered in parallel and handed to `out` as they are
    /// done.
    pub(crate) fn term_pages(&self, out: &dyn super::Emit) -> Result<()> {
        use rayon::prelude::*;
        let mut pages: Vec<TermPage<'_>> = Vec::new();
        for (kind, heading, singular, terms) in [
            ("services", "Services", "Service", &self.services),
            ("tags", "Tags", "Tag", &self.tags),
        ] {
            for (name, entry) in &terms.entries {
                let url = format!("{kind}/{}/index.html", entry.slug);
                let view = self.term_view(name, "", "", url, &entry.members);
                pages.push(TermPage { kind, heading, singular, view, members: &entry.members });
            }
        }
        // Severity follows the configured scale, not the alphabet.
        let mut by_rank: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (i, incident) in self.input.incidents.iter().enumerate() {
            by_rank.entry(incident.severity.rank).or_default().push(i);
        }
        for s in self.severities.all() {
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
        pages.par_iter().try_for_each(|page| out.emit(self.term_page(page)?))?;
        for (kind, heading, singular) in
            [("services", "Services", "Service"), ("tags", "Tags", "Tag")]
        {
            let mut list: Vec<&TermView<'_>> =
                pages.iter().filter(|p| p.kind == kind).map(|p| &p.view).collect();
            list.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(b.name)));
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
        members: &[usize],
    ) -> TermView<'s> {
        TermView {
            name,
            label,
            class,
            url,
            count: members.len(),
            last: members
                .iter()
                .filter_map(|&m| self.input.incidents.get(m))
                .filter_map(|incident| incident.date)
                .max()
                .map(|d| d.to_string()),
            severities: self.severity_counts(members),
            year_bars: super::browse::year_span(self.input.incidents)
                .map(|span| super::browse::year_bars_svg(self.input.incidents, members, span))
                .unwrap_or_default(),
        }
    }

    fn term_page(&self, page: &TermPage<'_>) -> Result<OutputFile> {
        let mut ctx = self.context(2, page.kind);
        ctx.insert("kind", page.kind);
        ctx.insert("heading", page.heading);
        ctx.insert("singular", page.singular);
        ctx.insert("parent_url", &format!("{}/index.html", page.kind));
        ctx.insert("term", &page.view);
        ctx.insert("row_count", &page.members.len());
        self.render_list("term.html", &mut ctx, page.view.url.clone(), page.members, 2)
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

    /// `404.html`. Hosts serve it at any depth, so its links are absolute
    /// from `base_url`, the one page where relative links cannot work.
    pub(crate) fn not_found_page(&self) -> Result<OutputFile> {
        let mut ctx = self.context(0, "");
        ctx.insert("root", &self.input.config.base_url_slash());
        self.render("404.html", &ctx, "404.html".into())
    }

    /// The theme's static files plus the generated stylesheets.
    pub(crate) fn static_files(&self) -> Vec<OutputFile> {
        let config = self.input.config;
        let mut files: Vec<OutputFile> = self
            .input
            .theme
            .static_files
            .iter()
            .map(|(path, bytes)| OutputFile::bytes(format!("static/{path}"), bytes.clone()))
            .collect();
        files.push(OutputFile::bytes(
            "static/highlight.css",
            highlight_css(&config.highlight_theme, &config.highlight_theme_dark),
        ));
        files.push(OutputFile::bytes("static/severity.css", self.severities.css()));
        files
    }

    /// Non-markdown files beside an RCA, copied into its page's folder so
    /// relative references such as `![](graph.svg)` keep working. A file
    /// goes to each incident of its folder that mentions it, or, in a
    /// sub-folder holding a single incident, to that incident.
    pub(crate) fn attachments(&self) -> Vec<OutputFile> {
        self.attachments_of(|_| true)
    }

    /// The attachments copied beside incident `i`'s page alone.
    pub(crate) fn incident_attachments(&self, i: usize) -> Vec<OutputFile> {
        self.attachments_of(|m| m == i)
    }

    fn attachments_of(&self, wanted: impl Fn(usize) -> bool) -> Vec<OutputFile> {
        let incidents = self.input.incidents;
        let mut by_folder: BTreeMap<&str, Vec<(usize, &Incident)>> = BTreeMap::new();
        for (i, incident) in incidents.iter().enumerate() {
            by_folder.entry(&incident.doc.source.folder).or_default().push((i, incident));
        }
        let mut files = Vec::new();
        for rel in self.input.attachments {
            let under_content = rel.strip_prefix(crate::load::CONTENT_DIR).unwrap_or(rel);
            let under = under_content.to_string_lossy().replace('\\', "/");
            for (folder, members) in &by_folder {
                let inside = if folder.is_empty() {
                    Some(under.as_str())
                } else {
                    under.strip_prefix(folder).and_then(|r| r.strip_prefix('/'))
                };
                let Some(inner) = inside else { continue };
                // The incident page itself wins: an attachment named
                // `index.html` must never replace it.
                if inner == "index.html" {
                    continue;
                }
                for &(_, incident) in members.iter().filter(|&&(m, _)| wanted(m)) {
                    let body = &incident.doc.source.text[incident.doc.body.clone()];
                    let sole = !folder.is_empty() && members.len() == 1;
                    if sole || body.contains(inner) {
                        files.push(OutputFile {
                            path: format!("incidents/{}/{inner}", incident.slug),
                            contents: super::Contents::Copy(self.input.root.join(rel)),
                        });
                    }
                }
            }
        }
        files
    }
}

/// How the link of incident `from` renders on `from`'s page.
fn link_render(
    from: usize,
    incidents: &[Incident],
    link: &crate::model::WikiLink,
    target: &LinkTarget,
) -> LinkRender {
    match target {
        LinkTarget::Incident { index, anchor, label } => {
            let fragment = anchor.as_ref().map(|a| format!("#{a}")).unwrap_or_default();
            let href = if *index == from {
                if fragment.is_empty() { "index.html".to_string() } else { fragment }
            } else if let Some(to) = incidents.get(*index) {
                format!("../{}/index.html{fragment}", to.slug)
            } else {
                return broken_link(link);
            };
            LinkRender::Internal { href, title: label.clone() }
        }
        LinkTarget::External { url } => LinkRender::External { href: url.clone() },
        LinkTarget::Broken => broken_link(link),
    }
}

/// A link that resolves to nothing, shown as written.
fn broken_link(link: &crate::model::WikiLink) -> LinkRender {
    let target = match &link.heading {
        Some(h) => format!("{}#{h}", link.target),
        None => link.target.clone(),
    };
    LinkRender::Broken { target }
}
