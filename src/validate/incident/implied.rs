//! Fields an archive states outside their own key: a severity in the
//! title ("[SEV1] Checkout down") or in a tag, and services and
//! severities written as namespaced tags, as issue trackers keep labels
//! (`severity/sev-2`, `sev:1`, GitLab's scoped `severity::high`,
//! `service/ledger`).
//!
//! Inputs: the document's fields, the title, the tags and the [`Config`].
//! Outputs: the level named and the words that name it, with its warning;
//! tags sorted into what they say. Imports: config, diag, model and the
//! validate stage's field reader.

use crate::config::Config;
use crate::diag::Diagnostic;
use crate::model::{Document, RawValue, Severity};

use super::super::fields::{FieldReporter, Fields};
use super::lists::{bounded_terms, keep_first, written_items};
use super::{severity_named, written_title};

/// What a namespaced tag is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TagSpace {
    Severity,
    Service,
}

/// The namespaces trackers put before a severity or a service.
const SPACES: &[(&str, TagSpace)] = &[
    ("severity", TagSpace::Severity),
    ("sev", TagSpace::Severity),
    ("priority", TagSpace::Severity),
    ("prio", TagSpace::Severity),
    ("service", TagSpace::Service),
    ("services", TagSpace::Service),
    ("svc", TagSpace::Service),
    ("component", TagSpace::Service),
];

/// A tag's namespace and value: `severity/sev-2`, `sev:1`,
/// `severity::high`, `service=ledger`; `None` for any other tag.
pub(super) fn namespaced(tag: &str) -> Option<(TagSpace, &str)> {
    let at = tag.find(['/', ':', '='])?;
    let (space, rest) = tag.split_at(at);
    let value = rest.trim_start_matches(['/', ':', '=']).trim();
    let space = space.trim();
    let (_, kind) = SPACES.iter().find(|(name, _)| name.eq_ignore_ascii_case(space))?;
    (!value.is_empty()).then_some((*kind, value))
}

/// The level a tag names, with the tag (see [`tag_level`]).
pub(super) fn severity_in_tags(config: &Config, tags: &[String]) -> Option<(Severity, String)> {
    tags.iter().find_map(|tag| Some((tag_level(config, tag)?, tag.clone())))
}

/// The level a tag names: a severity namespace with any level of the
/// scale (`severity/high`, `sev:1`), or a tag that is a level written with
/// its number (`sev1`, `SEV-2`, `p1`). A plain word (`major`, `critical`)
/// is left a tag: as a tag it as often means something else.
fn tag_level(config: &Config, tag: &str) -> Option<Severity> {
    match namespaced(tag) {
        Some((TagSpace::Severity, value)) => severity_named(config, value),
        Some(_) => None,
        None => {
            let (letters, numbered) = level_letters(tag);
            let usual = matches!(letters.as_str(), "sev" | "severity" | "p" | "priority");
            (numbered && usual).then(|| severity_named(config, tag)).flatten()
        }
    }
}

/// A level as written, lower-cased, without its number and marks, and
/// whether a number followed: `SEV-2` is `("sev", true)`, `(3)` is `("",
/// true)`.
fn level_letters(written: &str) -> (String, bool) {
    let compact: String =
        written.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect();
    let letters = compact.trim_end_matches(|c: char| c.is_ascii_digit());
    (letters.to_string(), letters.len() < compact.len())
}

/// Tags less the ones that say a severity or a service, and the services
/// those say. A severity tag is dropped whether or not it named the level
/// used: the severity field says it, and a tag page for it would list the
/// same incidents as the severity's page.
pub(super) fn sort_tags(config: &Config, tags: Vec<String>) -> (Vec<String>, Vec<String>) {
    let mut kept = Vec::with_capacity(tags.len());
    let mut services = Vec::new();
    for tag in tags {
        match namespaced(&tag) {
            Some((TagSpace::Service, value)) => services.push(value.to_string()),
            _ if tag_level(config, &tag).is_some() => {}
            _ => kept.push(tag),
        }
    }
    (kept, services)
}

/// The level a title names, with the words that name it: a bracketed
/// group anywhere ("[SEV1] Checkout down", "Queue stall (Sev 2)") or the
/// words before a leading separator ("SEV-2: …", "P1 - …", "Critical | …").
/// A bare number ("Outage (2)") and a lone `S` or `L` before digits ("S3:
/// bucket listing slow") are not levels here: in a title they are counts
/// and product names far more often than severities.
pub(super) fn severity_in_title(config: &Config, title: &str) -> Option<(Severity, String)> {
    let title = title.trim();
    let level = |written: &str| {
        let written = written.trim();
        let (letters, numbered) = level_letters(written);
        let bare = letters.is_empty() || (numbered && matches!(letters.as_str(), "s" | "l"));
        if bare {
            return None;
        }
        Some((severity_named(config, written)?, written.to_string()))
    };
    let bracketed = title.match_indices(['[', '(', '【']).find_map(|(at, open)| {
        let close = match open {
            "[" => ']',
            "(" => ')',
            _ => '】',
        };
        let inner = &title[at + open.len()..];
        level(&inner[..inner.find(close)?])
    });
    let leading = || {
        let end = [":", "|", " - ", " – ", " — "].iter().filter_map(|s| title.find(s)).min()?;
        level(&title[..end])
    };
    bracketed.or_else(leading)
}

/// A level a tag (`severity/sev-2`) or the title ("[SEV1] Checkout down")
/// names, standing in for a missing severity field: the level, the words
/// that name it, and where they are.
pub(super) fn severity_stated_elsewhere(
    fields: &Fields<'_>,
    doc: &Document,
    config: &Config,
) -> Option<(Severity, String, Stated)> {
    if fields.get("severity").is_some() {
        return None;
    }
    severity_in_tags(config, &peek_list(fields.get("tags")))
        .map(|(s, written)| (s, written, Stated::Tag))
        .or_else(|| {
            severity_in_title(config, &written_title(fields, doc))
                .map(|(s, written)| (s, written, Stated::Title))
        })
}

/// The warning for a severity read from a tag or the title (RCA036,
/// RCA035); gives the severity.
pub(super) fn report_stated(
    r: &mut FieldReporter<'_>,
    severity: Severity,
    written: &str,
    stated: Stated,
) -> Severity {
    let (code, lint, key, says) = match stated {
        Stated::Title => ("RCA035", "severity-from-title", "title", "the title says"),
        Stated::Tag => ("RCA036", "severity-from-tag", "tags", "a tag says"),
    };
    let d = Diagnostic::warning(
        code,
        format!("no severity field; using {}, as {says} \"{written}\"", severity.name),
    )
    .with_help("add a severity (or map one with [fields]) to be sure");
    r.lint(lint, key, d);
    severity
}

/// The services and the tags: `service/ledger` among the tags is a
/// service, and `severity/sev-2` the severity, not a subject.
pub(super) fn services_and_tags(
    r: &mut FieldReporter<'_>,
    config: &Config,
) -> (Vec<String>, Vec<String>) {
    let mut services = bounded_terms(r, "services");
    // Tags written in the body as hashtags (a notes app's) count as well.
    let mut tags = bounded_terms(r, "tags");
    for tag in &r.doc.outline.hashtags {
        if !tags.contains(tag) {
            tags.push(tag.clone());
        }
    }
    let written = tags.len() + r.doc.outline.hashtags_dropped;
    keep_first(r, "tags", &mut tags, written, "the tags and the body's hashtags are");
    let (tags, tag_services) = sort_tags(config, tags);
    for service in tag_services {
        if !services.contains(&service) {
            services.push(service);
        }
    }
    (services, tags)
}

/// Where a severity without its own field was read.
#[derive(Debug, Clone, Copy)]
pub(super) enum Stated {
    Title,
    Tag,
}

/// A list field's items as written, before it is typed (and reported on):
/// enough to look for a severity among the tags. An item that names
/// nothing is passed over here; typing the field reports it.
fn peek_list(value: Option<&RawValue>) -> Vec<String> {
    let items = value.and_then(|v| written_items(v, &[',', ';'])).unwrap_or_default();
    items.into_iter().flatten().map(|item| item.trim().to_string()).collect()
}
