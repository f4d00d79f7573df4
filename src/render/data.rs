//! `incidents.json`: every incident's metadata, url, links and related list,
//! for scripts and other tools.

use serde::Serialize;

use super::pages::Shared;
use crate::model::RawValue;

#[derive(Serialize)]
struct Record<'a> {
    id: &'a str,
    title: &'a str,
    /// `null` for an undated incident.
    date: Option<String>,
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

/// The bytes of `incidents.json`, newest incident first, undated last.
pub(crate) fn incidents_json(ctx: &Shared<'_>) -> Vec<u8> {
    let incidents = ctx.input.incidents;
    let links = ctx.input.links;
    let records: Vec<Record<'_>> = incidents
        .iter()
        .enumerate()
        .map(|(i, incident)| Record {
            id: &incident.slug,
            title: &incident.title,
            date: incident.date_text(),
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
            links_to: links
                .outgoing
                .get(i)
                .into_iter()
                .flatten()
                .filter_map(|&t| Some(incidents.get(t)?.slug.as_str()))
                .collect(),
            linked_from: links
                .backlinks
                .get(i)
                .into_iter()
                .flatten()
                .filter_map(|b| Some(incidents.get(b.source)?.slug.as_str()))
                .collect(),
            related: super::graph::related_records(ctx, i),
            extra: &incident.extra,
        })
        .collect();
    let mut out = json_for_html(&records);
    out.push(b'\n');
    out
}

/// JSON that is also safe inside an HTML `<script>` block or attribute:
/// `<`, `>` and `&` are written as `\u003c`, `\u003e`, `\u0026` (and the
/// JavaScript line separators U+2028/U+2029 escaped), so no `</script>` or
/// `<!--` in a title can end the block. Still plain JSON for any reader.
pub(crate) fn json_for_html<T: Serialize>(value: &T) -> Vec<u8> {
    let text = serde_json::to_vec_pretty(value).unwrap_or_default();
    let special = |b: &u8| matches!(b, b'<' | b'>' | b'&' | 0xE2);
    if !text.iter().any(special) {
        // Nothing to rewrite: no second copy of a file of megabytes.
        return text;
    }
    let mut out = Vec::with_capacity(text.len() + text.len() / 64);
    // These characters never appear in JSON syntax, only inside strings,
    // where the escapes mean the same characters. Text between them is
    // copied a run at a time: the file is megabytes.
    let mut rest = text.as_slice();
    while let Some(at) = rest.iter().position(special) {
        let Some((run, tail)) = rest.split_at_checked(at) else { break };
        out.extend_from_slice(run);
        let (escape, skip): (&[u8], usize) = match tail {
            [b'<', ..] => (b"\\u003c", 1),
            [b'>', ..] => (b"\\u003e", 1),
            [b'&', ..] => (b"\\u0026", 1),
            // U+2028 and U+2029 in UTF-8; any other character starting
            // with 0xE2 is copied as it is.
            [0xE2, 0x80, 0xA8, ..] => (b"\\u2028", 3),
            [0xE2, 0x80, 0xA9, ..] => (b"\\u2029", 3),
            _ => (tail.get(..1).unwrap_or_default(), 1),
        };
        out.extend_from_slice(escape);
        rest = tail.get(skip..).unwrap_or_default();
    }
    out.extend_from_slice(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_for_html_cannot_close_a_script_block() {
        // "…" and "→" start with the same byte as U+2028 and stay as they are.
        let value = serde_json::json!({"t": "</script><!-- & \u{2028} … → \u{2029}"});
        let bytes = json_for_html(&value);
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert!(!text.contains('<') && !text.contains('>') && !text.contains('&'), "{text}");
        assert!(text.contains("\\u2028 … → \\u2029"), "{text}");
        let back: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(back, value);
    }
}
