//! The pages of one incident: the incident page, its attachments, the 404
//! page and the static files. Every page reads [`Shared`] (in `shared`);
//! the list pages are in `lists`, the other site-wide pages in modules of
//! their own.

use serde::Serialize;

use super::OutputFile;
use super::shared::Shared;
use super::views::{self, SeverityView};
use crate::error::Result;
use crate::markdown::{
    LinkRender, Page, RenderedBody, TIMELINE_MARKER, highlight_css, render_html,
};
use crate::model::{Heading, Incident, IncidentIdx, LinkTarget};

#[derive(Serialize)]
struct ExtraField {
    key: String,
    value: String,
}

#[derive(Serialize)]
struct BacklinkView<'a> {
    url: String,
    /// The link from the incident page it is listed on.
    href: String,
    title: &'a str,
    date: Option<String>,
    context: std::borrow::Cow<'a, str>,
}

/// When an incident started, as the page shows it: the instant for
/// machines, and the time of day on its writers' clocks for readers.
#[derive(Serialize)]
struct StartView {
    /// RFC 3339, in UTC.
    utc: String,
    /// "13:20 UTC-07:00", or "20:20 UTC".
    local: String,
}

impl StartView {
    fn of(at: jiff::Timestamp, offset: Option<jiff::tz::Offset>) -> StartView {
        let clock = super::timeline::clock_in(at, offset);
        let offset = offset.unwrap_or(jiff::tz::Offset::UTC);
        let zone = if offset == jiff::tz::Offset::UTC {
            "UTC".to_string()
        } else {
            let seconds = offset.seconds();
            let sign = if seconds < 0 { '-' } else { '+' };
            let (hours, minutes) = (seconds.abs() / 3600, seconds.abs() % 3600 / 60);
            format!("UTC{sign}{hours:02}:{minutes:02}")
        };
        StartView { utc: at.to_string(), local: format!("{clock} {zone}") }
    }
}

#[derive(Serialize)]
struct IncidentView<'a> {
    title: &'a str,
    /// The write-up's language, when not the site's (`lang` on its text).
    language: Option<&'a str>,
    date: Option<String>,
    started_at: Option<StartView>,
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
    /// `incidents/<slug>/index.html` of incident `i`; `None` for an index
    /// past the end. Hands the page's search tokens to `search` when given.
    pub(crate) fn incident_page(
        &self,
        i: IncidentIdx,
        search: Option<&super::search::SearchTokens>,
    ) -> Result<Option<OutputFile>> {
        let incidents = self.input.incidents;
        // Rows and metrics are built from the same incidents, one each.
        let (Some(incident), Some(row), Some(metrics)) =
            (i.of(incidents), i.of(&self.views.rows), i.of(&self.views.metrics))
        else {
            return Ok(None);
        };
        let doc = &incident.doc;
        let body = self.body_html(i, incident);
        if let Some(search) = search {
            search.add(i.get(), incident, &body.plain);
        }
        let super::graph::IncidentGraphView { mut related, cluster, neighbourhood, recurrence_of } =
            self.incident_graph(i);
        let backlinks = self.backlinks(i);
        let body_lists_related = doc.outline.lists_related;
        // An incident listed under "Referenced by", or by the body's own
        // list of related incidents, is not listed a second time.
        let links = self.input.links;
        let referencing = i.of(&links.backlinks);
        let linked = i.of(&links.outgoing).filter(|_| body_lists_related);
        related.retain(|r| {
            let referenced = referencing.is_some_and(|b| b.iter().any(|b| b.source == r.index));
            let listed = linked.is_some_and(|o| o.binary_search(&r.index).is_ok());
            !referenced && !listed
        });
        let timeline = super::timeline::incident_timeline(incident, metrics);
        let (body_html, timeline_inline) = self.timeline_in_body(body.html, timeline.as_ref())?;
        let view = IncidentView {
            title: &incident.title,
            language: incident.language,
            date: row.date.clone(),
            started_at: incident.started_at.map(|t| StartView::of(t, incident.started_offset)),
            severity: &row.severity,
            duration: row.duration.clone(),
            status: incident.status.as_deref(),
            status_class: &row.status_class,
            services: &row.services,
            tags: &row.tags,
            authors: &incident.authors,
            extra: extra_fields(incident),
            summary: &incident.summary,
            // One taken from the body would appear twice.
            show_summary: incident.summary_written,
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
        /// What the partial reads of the page: its timeline.
        #[derive(Serialize)]
        struct TimelineOnly<'t> {
            timeline: &'t super::timeline::IncidentTimelineView,
        }
        let mut ctx = tera::Context::new();
        ctx.insert("page", &TimelineOnly { timeline });
        ctx.insert("inline", &true);
        let drawn = self.render_text("partials/incident_timeline.html", &ctx)?;
        Ok((html.replacen(TIMELINE_MARKER, &drawn, 1), true))
    }

    /// The body of incident `i` as HTML (and as plain text, for search),
    /// its wiki links resolved.
    fn body_html(&self, i: IncidentIdx, incident: &Incident) -> RenderedBody {
        let doc = &incident.doc;
        let renders: Vec<LinkRender> = doc
            .outline
            .links
            .iter()
            .zip(i.of(&self.input.links.targets).into_iter().flatten())
            .map(|(link, target)| link_render(self, i, link, target))
            .collect();
        let marks = super::actions::marks(incident, self.input.build_date);
        render_html(
            &doc.source.text,
            doc.body.clone(),
            &doc.outline,
            &renders,
            &marks,
            self.input.config.allow_raw_html,
            &Page {
                title: &incident.title,
                folder: &doc.source.folder,
                content_dir: &self.input.config.content_dir,
            },
        )
    }

    /// The incidents that link to incident `i`, with the text around each
    /// link.
    fn backlinks(&self, i: IncidentIdx) -> Vec<BacklinkView<'_>> {
        let backlinks = i.of(&self.input.links.backlinks).into_iter().flatten();
        backlinks
            .map(|b| {
                let from = self.incident(b.source);
                BacklinkView {
                    url: from.url(),
                    href: from.sibling_url(),
                    title: &from.title,
                    date: from.date_text(),
                    context: self.context_as_shown(b.source, b.context(self.input.incidents)),
                }
            })
            .collect()
    }

    /// A backlink's sentence as the linking page shows it: a label-less
    /// wiki link reads as its target's title there, so the quote says the
    /// title too, never the slug or file name the author typed.
    fn context_as_shown<'c>(
        &self,
        source: IncidentIdx,
        context: &'c str,
    ) -> std::borrow::Cow<'c, str> {
        let mut shown = std::borrow::Cow::Borrowed(context);
        let incident = self.incident(source);
        let targets = source.of(&self.input.links.targets).into_iter().flatten();
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
        let style = format!("{}\n{}", text("style.css"), self.views.severities.css());
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
        files.push(OutputFile::bytes("static/severity.css", self.views.severities.css()));
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
    pub(crate) fn incident_attachments(&self, i: IncidentIdx) -> Vec<OutputFile> {
        self.attachments_of(|m| m == i.get())
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

/// How the link of incident `from` renders on `from`'s page.
fn link_render(
    ctx: &Shared<'_>,
    from: IncidentIdx,
    link: &crate::model::WikiLink,
    target: &LinkTarget,
) -> LinkRender {
    match target {
        LinkTarget::Incident { index, anchor, label, label_first } => {
            let fragment = anchor.as_ref().map(|a| format!("#{a}")).unwrap_or_default();
            let href = if *index == from {
                if fragment.is_empty() { "index.html".to_string() } else { fragment }
            } else {
                ctx.incident(*index).sibling_url() + &fragment
            };
            LinkRender::Internal { href, title: label.clone(), label_first: *label_first }
        }
        LinkTarget::External { url } => LinkRender::External { href: url.clone() },
        LinkTarget::Day => LinkRender::Text,
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
