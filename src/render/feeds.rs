//! Machine-read files with absolute URLs: `atom.xml` (newest incidents),
//! `services/<slug>/atom.xml` (one feed per service) and `sitemap.xml`.
//!
//! Inputs: [`Shared`] (incidents newest first, services) and the paths of
//! the pages rendered. Outputs: XML files written through quick-xml's
//! writer, so every title, summary and name is escaped. `base_url` is the
//! only place absolute URLs come from. Dates are RFC 3339 and come from the
//! incidents (or the build date for an empty archive), never the clock.
//! Imports: config, model and render views.

use super::OutputFile;
use super::shared::Shared;
use super::views::Row;
use super::xml::XmlWriter;
use crate::model::{Incident, IncidentIdx};

const ATOM_NS: &str = "http://www.w3.org/2005/Atom";
const SITEMAP_NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
/// Feeds and sitemaps are XML documents.
type Xml = XmlWriter;

/// The bytes of a finished document, ending in a newline.
fn finish(xml: Xml) -> Vec<u8> {
    let mut bytes = xml.into_bytes();
    bytes.push(b'\n');
    bytes
}

/// When an incident counts as published/updated: its declared start, else
/// midnight UTC of its date; `None` when undated.
fn incident_time(incident: &Incident) -> Option<jiff::Timestamp> {
    incident.started_at.or_else(|| incident.date.map(midnight))
}

fn midnight(date: jiff::civil::Date) -> jiff::Timestamp {
    date.to_zoned(jiff::tz::TimeZone::UTC)
        .map(|z| z.timestamp())
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
}

/// RFC 3339 with a `Z` and whole seconds, e.g. `2024-02-11T14:02:00Z`.
fn rfc3339(t: jiff::Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// What a feed is about.
struct FeedSpec<'a> {
    title: String,
    /// Absolute URL of the feed itself.
    self_url: String,
    /// Absolute URL of the HTML page the feed mirrors; also the feed's id.
    page_url: String,
    subtitle: &'a str,
}

/// The HTML of an entry's content: its facts and summary, escaped.
fn entry_html(incident: &Incident, row: &Row) -> String {
    let mut facts = vec![format!("Severity: {}", incident.severity.name)];
    if !incident.services.is_empty() {
        facts.push(format!("Services: {}", incident.services.join(", ")));
    }
    if !row.duration.is_empty() {
        facts.push(format!("Duration: {}", row.duration));
    }
    if let Some(status) = &incident.status {
        facts.push(format!("Status: {status}"));
    }
    let mut html = String::from("<p>");
    let _ = pulldown_cmark_escape::escape_html(&mut html, &facts.join(" · "));
    html.push_str("</p>");
    if !incident.summary.is_empty() {
        html.push_str("<p>");
        let _ = pulldown_cmark_escape::escape_html(&mut html, &incident.summary);
        html.push_str("</p>");
    }
    html
}

/// An Atom feed of `members` (indices, newest first), at most
/// `config.feed_limit` entries.
///
/// Undated incidents are left out (#10). Atom requires an `updated` time
/// on every entry, and readers take a change of it to mean the entry
/// changed: the build date, the only stand-in, would move on every build
/// and announce the same undated incidents again and again. The index and
/// their service pages list them; the feed stays a record of dated news.
fn atom(ctx: &Shared<'_>, spec: &FeedSpec<'_>, members: &[IncidentIdx]) -> Vec<u8> {
    let config = ctx.input.config;
    let base = config.base_url_slash();
    let members: Vec<(&Incident, &Row, String)> = members
        .iter()
        .filter_map(|&i| {
            let incident = ctx.incident(i);
            Some((incident, ctx.row(i), incident_time(incident)?))
        })
        .take(config.feed_limit)
        .map(|(incident, row, t)| (incident, row, rfc3339(t)))
        .collect();
    let updated = members
        .iter()
        .filter_map(|(incident, _, _)| incident_time(incident))
        .max()
        .unwrap_or_else(|| midnight(ctx.input.build_date));

    let mut x = Xml::document();
    x.open("feed", &[("xmlns", ATOM_NS)]);
    x.text("id", &[], &spec.page_url);
    x.text("title", &[("type", "text")], &spec.title);
    if !spec.subtitle.is_empty() {
        x.text("subtitle", &[("type", "text")], spec.subtitle);
    }
    x.text("updated", &[], &rfc3339(updated));
    x.open("author", &[]);
    x.text("name", &[], &config.title);
    x.close("author");
    x.empty("link", &[("rel", "self"), ("type", "application/atom+xml"), ("href", &spec.self_url)]);
    x.empty("link", &[("rel", "alternate"), ("type", "text/html"), ("href", &spec.page_url)]);
    x.text("generator", &[], "hindsight");
    for (incident, row, time) in &members {
        let url = format!("{base}{}", incident.url());
        x.open("entry", &[]);
        x.text("id", &[], &url);
        x.text("title", &[("type", "text")], &incident.title);
        x.text("published", &[], time);
        x.text("updated", &[], time);
        x.empty("link", &[("rel", "alternate"), ("type", "text/html"), ("href", &url)]);
        for author in &incident.authors {
            x.open("author", &[]);
            x.text("name", &[], author);
            x.close("author");
        }
        // The scheme tells the three kinds of category apart.
        let severity_scheme = format!("{base}severity/");
        let service_scheme = format!("{base}services/");
        let tag_scheme = format!("{base}tags/");
        x.empty("category", &[("term", &incident.severity.name), ("scheme", &severity_scheme)]);
        for service in &incident.services {
            x.empty("category", &[("term", service), ("scheme", &service_scheme)]);
        }
        for tag in &incident.tags {
            x.empty("category", &[("term", tag), ("scheme", &tag_scheme)]);
        }
        // No separate summary: the content holds it, and inline content
        // needs none (RFC 4287, 4.1.1.1); written twice it was a third of
        // every feed.
        x.text("content", &[("type", "html")], &entry_html(incident, row));
        x.close("entry");
    }
    x.close("feed");
    finish(x)
}

/// `atom.xml` and one `services/<slug>/atom.xml` per service.
pub(crate) fn feed_files(ctx: &Shared<'_>) -> Vec<OutputFile> {
    let config = ctx.input.config;
    let base = config.base_url_slash();
    let all: Vec<IncidentIdx> = IncidentIdx::all(ctx.input.incidents.len()).collect();
    let site = FeedSpec {
        title: config.title.clone(),
        self_url: format!("{base}atom.xml"),
        page_url: base.clone(),
        subtitle: &config.description,
    };
    let mut files = vec![OutputFile::bytes("atom.xml", atom(ctx, &site, &all))];
    for (name, entry) in &ctx.views.services.entries {
        let folder = format!("services/{}", entry.slug);
        let spec = FeedSpec {
            title: format!("{}: {name}", config.title),
            self_url: format!("{base}{folder}/atom.xml"),
            page_url: format!("{base}{folder}/index.html"),
            subtitle: "",
        };
        files.push(OutputFile::bytes(
            format!("{folder}/atom.xml"),
            atom(ctx, &spec, &entry.members),
        ));
    }
    files
}

/// `sitemap.xml`: every HTML page of `paths` but the not-found page, with
/// the incident's date as `lastmod` on incident pages (none when undated:
/// `lastmod` is optional, and a made-up one would mislead crawlers).
pub(crate) fn sitemap(ctx: &Shared<'_>, paths: &[&str]) -> OutputFile {
    let base = ctx.input.config.base_url_slash();
    let dates: std::collections::BTreeMap<String, String> =
        ctx.input.incidents.iter().filter_map(|i| Some((i.url(), i.date_text()?))).collect();
    let mut x = Xml::document();
    x.open("urlset", &[("xmlns", SITEMAP_NS)]);
    let mut pages: Vec<&str> =
        paths.iter().copied().filter(|p| p.ends_with(".html") && *p != "404.html").collect();
    pages.sort_unstable();
    for path in pages {
        x.open("url", &[]);
        x.text("loc", &[], &format!("{base}{path}"));
        if let Some(date) = dates.get(path) {
            x.text("lastmod", &[], date);
        }
        x.close("url");
    }
    x.close("urlset");
    OutputFile::bytes("sitemap.xml", finish(x))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_rfc3339_utc() {
        let t: jiff::Timestamp = "2024-02-11T15:02:00+01:00".parse().unwrap();
        assert_eq!(rfc3339(t), "2024-02-11T14:02:00Z");
        assert_eq!(rfc3339(midnight(jiff::civil::date(2023, 3, 3))), "2023-03-03T00:00:00Z");
    }
}
