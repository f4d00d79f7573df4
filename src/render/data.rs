//! `incidents.json`: every incident's metadata, url, links and related list,
//! for scripts and other tools.

use serde::Serialize;

use super::pages::Shared;
use crate::model::RawValue;

#[derive(Serialize)]
struct Record<'a> {
    id: &'a str,
    title: &'a str,
    date: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    started_at: Option<String>,
    severity: &'a str,
    services: &'a [String],
    tags: &'a [String],
    status: Option<&'a str>,
    duration_minutes: Option<u64>,
    authors: &'a [String],
    aliases: &'a [String],
    summary: &'a str,
    url: String,
    source: String,
    links_to: Vec<&'a str>,
    linked_from: Vec<&'a str>,
    related: Vec<super::graph::RelatedRecord<'a>>,
    extra: &'a std::collections::BTreeMap<String, RawValue>,
}

/// The bytes of `incidents.json`, newest incident first.
pub(crate) fn incidents_json(ctx: &Shared<'_>) -> Vec<u8> {
    let incidents = ctx.input.incidents;
    let links = ctx.input.links;
    let records: Vec<Record<'_>> = incidents
        .iter()
        .enumerate()
        .map(|(i, incident)| Record {
            id: &incident.slug,
            title: &incident.title,
            date: incident.date.to_string(),
            started_at: incident.started_at.map(|t| t.to_string()),
            severity: &incident.severity.name,
            services: &incident.services,
            tags: &incident.tags,
            status: incident.status.as_deref(),
            duration_minutes: incident.duration_minutes,
            authors: &incident.authors,
            aliases: &incident.aliases,
            summary: &incident.summary,
            url: incident.url(),
            source: incident.rel_path().to_string_lossy().replace('\\', "/"),
            links_to: links.outgoing[i].iter().map(|&t| incidents[t].slug.as_str()).collect(),
            linked_from: links.backlinks[i]
                .iter()
                .map(|b| incidents[b.source].slug.as_str())
                .collect(),
            related: super::graph::related_records(ctx, i),
            extra: &incident.extra,
        })
        .collect();
    let mut out = serde_json::to_vec_pretty(&records).unwrap_or_default();
    out.push(b'\n');
    out
}
