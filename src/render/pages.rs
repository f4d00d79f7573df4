//! [`Shared`], the views every page reads, and the pages of one incident:
//! the incident page, its attachments, the 404 page and the static files.
//! The list pages are in `lists`, the other site-wide pages in modules of
//! their own.

use rayon::prelude::*;
use serde::Serialize;

use super::lists::RowHtml;
use super::views::{self, Row, Severities, SeverityView, SiteView, Terms};
use super::{OutputFile, RenderInput, template_error};
use crate::error::Result;
use crate::markdown::{LinkRender, RenderedBody, TIMELINE_MARKER, highlight_css, render_html};
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
    pub(super) row_html: RowHtml,
}

impl std::ops::Deref for Shared<'_> {
    type Target = Views;

    fn deref(&self) -> &Views {
        &self.views
    }
}

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
    context: std::borrow::Cow<'a, str>,
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
    /// The body has its own list of related incidents: the generated one
    /// gets a heading of its own.
    body_lists_related: bool,
    cluster: Option<super::graph::ClusterRef>,
    neighbourhood: Option<String>,
    recurrence_of: Vec<super::graph::RecurrenceRef<'a>>,
    source: String,
    times: Option<super::timeline::TimesView>,
    timeline: Option<super::timeline::IncidentTimelineView>,
    /// The timeline is drawn in the body, where its table was.
    timeline_inline: bool,
    /// Source and history links in the forge, when `repo_url` is set.
    forge: Option<super::forge::ForgeLinks>,
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
        for (i, earlier) in input.related.recurrence_of.iter().enumerate() {
            if let Some(&earlier) = earlier.as_ref() {
                for at in [i, earlier] {
                    if let Some(row) = rows.get_mut(at) {
                        row.recurring = true;
                    }
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
        }
    }

    /// Views kept from an earlier render of the same incidents, in the same
    /// order, with the same names, dates, severities, services, tags and
    /// statuses; refresh each incident edited since with [`Self::refresh`].
    pub(crate) fn with_views(input: &'a RenderInput<'a>, views: Views) -> Self {
        Shared { input, views }
    }

    /// The views, for the stages that fill them in.
    pub(super) fn views_mut(&mut self) -> &mut Views {
        &mut self.views
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
            // A text edit does not re-relate; the catch-up renders anew.
            *slot = views::Row { recurring: slot.recurring, ..row };
        }
        if let Some(slot) = v.metrics.get_mut(i) {
            *slot = crate::metrics::incident_metrics(incident);
        }
        if let Some(row) = self.views.rows.get(i) {
            let rendered = self.render_row(row)?;
            self.views.row_html.replace(i, rendered);
        }
        Ok(())
    }

    pub(crate) fn context(&self, depth: usize, section: &str) -> tera::Context {
        let mut ctx = tera::Context::new();
        ctx.insert_value("site", self.site_value.clone());
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
        let body = self.body_html(i, incident);
        if let Some(search) = search {
            search.add(i, incident, &body.plain);
        }
        let super::graph::IncidentGraphView { mut related, cluster, neighbourhood, recurrence_of } =
            self.incident_graph(i);
        let backlinks = self.backlinks(i);
        let body_lists_related =
            doc.outline.headings.iter().any(|h| crate::sections::is_related_heading(&h.text));
        // An incident listed under "Referenced by", or by the body's own
        // list of related incidents, is not listed a second time.
        let links = self.input.links;
        let referencing = links.backlinks.get(i);
        let linked = links.outgoing.get(i).filter(|_| body_lists_related);
        related.retain(|r| {
            let referenced = referencing.is_some_and(|b| b.iter().any(|b| b.source == r.index));
            let listed = linked.is_some_and(|o| o.binary_search(&r.index).is_ok());
            !referenced && !listed
        });
        let timeline = super::timeline::incident_timeline(incident, metrics);
        let (body_html, timeline_inline) = self.timeline_in_body(body.html, timeline.as_ref())?;
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
            extra: extra_fields(incident),
            summary: &incident.summary,
            show_summary: doc.matter.contains_key("summary"),
            toc: doc.outline.headings.iter().filter(|h| (2..=3).contains(&h.level)).collect(),
            body: body_html,
            backlinks,
            related,
            body_lists_related,
            cluster,
            neighbourhood,
            recurrence_of,
            source: doc.source.rel_path.to_string_lossy().replace('\\', "/"),
            times: super::timeline::times_view(metrics),
            timeline,
            timeline_inline,
            forge: self.input.config.repo_url.as_deref().map(|url| {
                let path = doc.source.rel_path.to_string_lossy().replace('\\', "/");
                super::forge::forge_links(url, &self.input.config.repo_branch, &path)
            }),
        };
        let mut ctx = self.context(2, "incidents");
        ctx.insert("page", &view);
        self.render("incident.html", &ctx, incident.url()).map(Some)
    }

    /// The body with its timeline table replaced by the vertical timeline,
    /// and whether it was (else the page draws the timeline on top).
    fn timeline_in_body(
        &self,
        html: String,
        timeline: Option<&super::timeline::IncidentTimelineView>,
    ) -> Result<(String, bool)> {
        let Some(timeline) = timeline.filter(|_| html.contains(TIMELINE_MARKER)) else {
            return Ok((html.replace(TIMELINE_MARKER, ""), false));
        };
        let mut ctx = tera::Context::new();
        ctx.insert("page", &serde_json::json!({ "timeline": timeline }));
        ctx.insert("inline", &true);
        let drawn = self.render_text("partials/incident_timeline.html", &ctx)?;
        Ok((html.replacen(TIMELINE_MARKER, &drawn, 1), true))
    }

    /// The body of incident `i` as HTML (and as plain text, for search),
    /// its wiki links resolved.
    fn body_html(&self, i: usize, incident: &Incident) -> RenderedBody {
        let doc = &incident.doc;
        let renders: Vec<LinkRender> = doc
            .outline
            .links
            .iter()
            .zip(self.input.links.targets.get(i).into_iter().flatten())
            .map(|(link, target)| link_render(i, self.input.incidents, link, target))
            .collect();
        let marks = super::actions::marks(incident, self.input.build_date);
        render_html(
            &doc.source.text,
            doc.body.clone(),
            &doc.outline,
            &renders,
            &marks,
            self.input.config.allow_raw_html,
            &incident.title,
        )
    }

    /// The incidents that link to incident `i`, with the text around each
    /// link.
    fn backlinks(&self, i: usize) -> Vec<BacklinkView<'_>> {
        let incidents = self.input.incidents;
        let backlinks = self.input.links.backlinks.get(i).into_iter().flatten();
        backlinks
            .filter_map(|b| {
                let from = incidents.get(b.source)?;
                Some(BacklinkView {
                    url: from.url(),
                    title: &from.title,
                    date: from.date_text(),
                    context: self.context_as_shown(b.source, &b.context),
                })
            })
            .collect()
    }

    /// A backlink's sentence as the linking page shows it: a label-less
    /// wiki link reads as its target's title there, so the quote says the
    /// title too, never the slug or file name the author typed.
    fn context_as_shown<'c>(&self, source: usize, context: &'c str) -> std::borrow::Cow<'c, str> {
        let mut shown = std::borrow::Cow::Borrowed(context);
        let Some(incident) = self.input.incidents.get(source) else { return shown };
        let targets = self.input.links.targets.get(source).into_iter().flatten();
        for (link, target) in incident.doc.outline.links.iter().zip(targets) {
            let LinkTarget::Incident { label, .. } = target else { continue };
            if link.has_label || link.context != context {
                continue;
            }
            let written = match &link.heading {
                Some(h) => format!("{}#{h}", link.target),
                None => link.target.clone(),
            };
            if !written.is_empty() && shown.contains(written.as_str()) {
                shown = std::borrow::Cow::Owned(shown.replacen(written.as_str(), label, 1));
            }
        }
        shown
    }

    /// `404.html`, at the site root with links relative to it like every
    /// other page: it is styled from disk, under `serve`, under a sub-path
    /// and on preview deploys, where links from `base_url` pointed at
    /// another host (or were blocked by the page's own policy).
    ///
    /// A host serves it for a missing address at any depth, where no
    /// relative link reaches the stylesheets: the page carries its style
    /// and a script that finds the site's root for its links, each allowed
    /// by its hash in the page's Content-Security-Policy.
    pub(crate) fn not_found_page(&self) -> Result<OutputFile> {
        let files = &self.input.theme.static_files;
        let text = |name: &str| {
            files.get(name).map(|b| String::from_utf8_lossy(b).into_owned()).unwrap_or_default()
        };
        let style = format!("{}\n{}", text("style.css"), self.severities.css());
        let script = text("notfound.js");
        let mut ctx = self.context(0, "");
        ctx.insert("style_hash", &csp_hash(&style));
        ctx.insert("script_hash", &csp_hash(&script));
        ctx.insert("style", &style);
        ctx.insert("script", &script);
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
            super::color::readable_highlight_css(&highlight_css(
                &config.highlight_theme,
                &config.highlight_theme_dark,
            )),
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
        let input = self.input;
        crate::attach::place(input.incidents, input.attachments, &input.config.content_dir, wanted)
            .into_iter()
            .map(|p| OutputFile {
                path: p.path,
                contents: super::Contents::Copy(input.root.join(p.attachment)),
            })
            .collect()
    }
}

/// A Content-Security-Policy source allowing exactly the inline `text`.
fn csp_hash(text: &str) -> String {
    use base64::Engine as _;
    use sha2::Digest as _;
    let digest = sha2::Sha256::digest(text.as_bytes());
    format!("sha256-{}", base64::engine::general_purpose::STANDARD.encode(digest))
}

/// How the link of incident `from` renders on `from`'s page.
/// The front matter's other fields, each value as text.
fn extra_fields(incident: &Incident) -> Vec<ExtraField> {
    incident
        .extra
        .iter()
        .map(|(k, v)| ExtraField {
            key: k.clone(),
            value: match v {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            },
        })
        .collect()
}

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
