//! The HTML pages: one function per kind of page, all reading [`Shared`].

use std::collections::BTreeMap;

use serde::Serialize;

use super::views::{self, Row, Severities, SeverityView, SiteView, Terms};
use super::{OutputFile, RenderInput, template_error};
use crate::error::Result;
use crate::markdown::{LinkRender, highlight_css, render_html};
use crate::model::{Heading, Incident, LinkTarget};

/// Views computed once per build and shared by every page.
pub(crate) struct Shared<'a> {
    pub(crate) input: &'a RenderInput<'a>,
    pub(crate) site: SiteView,
    pub(crate) severities: Severities,
    pub(crate) services: Terms,
    pub(crate) tags: Terms,
    pub(crate) rows: Vec<Row>,
    /// Derived times of each incident, in incident order.
    pub(crate) metrics: Vec<crate::metrics::IncidentMetrics>,
}

/// `root` for a page at `depth` folders below the site root.
fn root_for(depth: usize) -> String {
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
    date: String,
    context: &'a str,
}

#[derive(Serialize)]
struct IncidentView<'a> {
    title: &'a str,
    date: String,
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
    #[serde(flatten)]
    graph: super::graph::IncidentGraphView<'a>,
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

#[derive(Serialize)]
struct TermView<'a> {
    name: &'a str,
    label: &'a str,
    class: &'a str,
    url: String,
    count: usize,
    last: Option<String>,
    severities: Vec<SeverityCount<'a>>,
    /// Incidents per year as an SVG bar chart (trusted, built here).
    year_bars: String,
}

impl<'a> Shared<'a> {
    pub(crate) fn new(input: &'a RenderInput<'a>) -> Self {
        let config = input.config;
        let severities = Severities::new(config);
        let services = Terms::collect(input.incidents, |i| &i.services);
        let tags = Terms::collect(input.incidents, |i| &i.tags);
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
        let metrics = input.incidents.iter().map(crate::metrics::incident_metrics).collect();
        Shared { input, site, severities, services, tags, rows, metrics }
    }

    pub(crate) fn context(&self, depth: usize, section: &str) -> tera::Context {
        let mut ctx = tera::Context::new();
        ctx.insert("site", &self.site);
        ctx.insert("root", &root_for(depth));
        ctx.insert("section", section);
        ctx
    }

    pub(crate) fn render(
        &self,
        template: &str,
        ctx: &tera::Context,
        path: String,
    ) -> Result<OutputFile> {
        let html =
            self.input.theme.tera.render(template, ctx).map_err(|e| template_error(template, e))?;
        Ok(OutputFile::bytes(path, html))
    }

    /// `incidents/<slug>/index.html`; `None` for an index past the end.
    pub(crate) fn incident_page(&self, i: usize) -> Result<Option<OutputFile>> {
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
                    date: from.date.to_string(),
                    context: &b.context,
                })
            })
            .collect();
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
            graph: self.incident_graph(i),
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
        ctx.insert("rows", &self.rows);
        ctx.insert("severity_counts", &self.severity_counts(&all));
        ctx.insert(
            "filters",
            &super::browse::Filters::new(&self.rows, &self.severities, &self.services, &self.tags),
        );
        self.render("index.html", &ctx, "index.html".into())
    }

    /// `services/`, `tags/` and `severity/`: an index and a page per term.
    pub(crate) fn term_pages(&self) -> Result<Vec<OutputFile>> {
        let mut files = Vec::new();
        for (kind, folder, heading, singular, terms) in [
            ("services", "services", "Services", "Service", &self.services),
            ("tags", "tags", "Tags", "Tag", &self.tags),
        ] {
            let mut list = Vec::new();
            for (name, entry) in &terms.entries {
                let url = format!("{folder}/{}/index.html", entry.slug);
                let view = self.term_view(name, "", "", url.clone(), &entry.members);
                files.push(self.term_page(
                    kind,
                    folder,
                    heading,
                    singular,
                    &view,
                    &entry.members,
                    url,
                )?);
                list.push(view);
            }
            list.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(b.name)));
            files.push(self.terms_index(kind, folder, heading, singular, &list)?);
        }
        // Severity follows the configured scale, not the alphabet.
        let mut by_rank: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (i, incident) in self.input.incidents.iter().enumerate() {
            by_rank.entry(incident.severity.rank).or_default().push(i);
        }
        let mut list = Vec::new();
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
            files.push(self.term_page(
                "severity",
                "severity",
                "Severity",
                "Severity",
                &view,
                members,
                s.url.clone(),
            )?);
            list.push(view);
        }
        files.push(self.terms_index("severity", "severity", "Severity", "Severity", &list)?);
        Ok(files)
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
                .map(|incident| incident.date)
                .max()
                .map(|d| d.to_string()),
            severities: self.severity_counts(members),
            year_bars: super::browse::year_bars_svg(
                self.input.incidents,
                members,
                super::browse::year_span(self.input.incidents),
            ),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn term_page(
        &self,
        kind: &str,
        folder: &str,
        heading: &str,
        singular: &str,
        term: &TermView<'_>,
        members: &[usize],
        path: String,
    ) -> Result<OutputFile> {
        let rows: Vec<&Row> = members.iter().filter_map(|&m| self.rows.get(m)).collect();
        let mut ctx = self.context(2, kind);
        ctx.insert("kind", kind);
        ctx.insert("heading", heading);
        ctx.insert("singular", singular);
        ctx.insert("parent_url", &format!("{folder}/index.html"));
        ctx.insert("term", term);
        ctx.insert("rows", &rows);
        self.render("term.html", &ctx, path)
    }

    fn terms_index(
        &self,
        kind: &str,
        folder: &str,
        heading: &str,
        singular: &str,
        terms: &[TermView<'_>],
    ) -> Result<OutputFile> {
        let mut ctx = self.context(1, kind);
        ctx.insert("kind", kind);
        ctx.insert("heading", heading);
        ctx.insert("singular", singular);
        ctx.insert("terms", terms);
        self.render("terms.html", &ctx, format!("{folder}/index.html"))
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
        let incidents = self.input.incidents;
        let mut by_folder: BTreeMap<&str, Vec<&Incident>> = BTreeMap::new();
        for incident in incidents {
            by_folder.entry(&incident.doc.source.folder).or_default().push(incident);
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
                for incident in members {
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
