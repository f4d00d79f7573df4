//! Lists of names in a write-up's fields (services, tags, authors), as
//! tools and people write them: YAML lists, strings cut at commas, objects
//! from a catalogue, hashtags, mentions and git's `Name <address>`.
//!
//! Part of typing one incident (`incident`): its warnings go to the same
//! reporter.

use super::{clean_text, is_todo, todo_warning, type_error};
use crate::diag::Diagnostic;
use crate::model::{MatterFormat, RawValue, scalar_string};
use crate::validate::fields::FieldReporter;

/// Services or tags an incident may name. Each one gets a page that lists
/// the incident with all of them, so an unbounded list would make the site
/// grow with its square.
const MAX_TERMS: usize = 64;

/// [`string_list`] cut to [`MAX_TERMS`], with a warning when cut. A single
/// string is split at commas and semicolons: `services: api, web` names two
/// services, as its author meant (a list is taken as it is); a front
/// matter's tags without either are split at spaces, as Jekyll reads them.
pub(super) fn bounded_terms(r: &mut FieldReporter<'_>, key: &str) -> Vec<String> {
    let mut list = without_hashes(string_list(r, key, &[',', ';']));
    // Jekyll reads a front matter's tags written as one string as words:
    // `tags: payments webhooks` is two tags.
    if key == "tags" && r.doc.format != MatterFormat::None {
        if let Some(RawValue::String(written)) = r.fields.get(key) {
            if !written.contains([',', ';']) && !list.is_empty() {
                // (`without_hashes` keeps each name once.)
                list = without_hashes(written.split_whitespace().map(clean_text).collect());
            }
        }
    }
    let written = list.len();
    keep_first(r, key, &mut list, written, &format!("`{key}` lists"));
    list
}

/// Keeps the first [`MAX_TERMS`] of `list`, written as `written` names in
/// all (more than the list holds when some were already left out), and
/// says so (RCA026) when any is not kept; `what` opens the message.
pub(super) fn keep_first(
    r: &mut FieldReporter<'_>,
    key: &str,
    list: &mut Vec<String>,
    written: usize,
    what: &str,
) {
    list.truncate(MAX_TERMS);
    if written <= list.len() {
        return;
    }
    r.report(
        key,
        Diagnostic::warning(
            "RCA026",
            format!("{what} {written} names; only the first {} are kept", list.len()),
        )
        .with_help("name the services or tags the incident is about, not every one it touched"),
    );
}

/// An item of a list of names: a string or number, or an object naming
/// it, as tools that keep a catalogue export them (`- name: api`, `{id:
/// api, tier: 1}`).
fn named_item(item: &RawValue) -> Option<String> {
    match item {
        RawValue::Object(map) => ["name", "id", "title", "slug"]
            .iter()
            .find_map(|key| map.get(*key).and_then(scalar_string)),
        other => scalar_string(other),
    }
}

/// Authors as people are named on a page: without the address git and
/// mail write after a name (`Jane Doe <jane@example.com>`) and without the
/// `@` of a mention (`@jane`, `@<Jane Doe>`) or of an address without its
/// domain (`jane@`); the first of a name written twice is kept.
pub(super) fn author_names(list: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::with_capacity(list.len());
    let mut out: Vec<String> = Vec::with_capacity(list.len());
    for item in &list {
        let named = match item.split_once('<') {
            Some((name, address)) if address.contains('@') && !name.trim().is_empty() => name,
            _ => item.as_str(),
        };
        // A wiki's mention of a name with spaces: `@<Dana Smith>`.
        // `amirh@`: an address without its domain, as some teams name people.
        let name = named.trim().trim_start_matches('@').trim_end_matches('@').trim();
        let name = name.strip_prefix('<').and_then(|n| n.strip_suffix('>')).unwrap_or(name).trim();
        if !name.is_empty() && seen.insert(name) {
            out.push(name.to_string());
        }
    }
    out
}

/// Names written as hashtags, `#queue #kafka` (in a string, as note apps
/// and chat tools write them), are the names `queue` and `kafka`; the
/// first of a name written twice is kept.
fn without_hashes(list: Vec<String>) -> Vec<String> {
    let hashtags = |item: &str| {
        let words: Vec<&str> = item.split_whitespace().collect();
        words
            .iter()
            .all(|w| w.len() > 1 && w.starts_with('#'))
            .then(|| words.iter().map(|w| w.trim_start_matches('#').to_string()).collect())
    };
    let mut seen = std::collections::HashSet::with_capacity(list.len());
    list.into_iter()
        .flat_map(|item| hashtags(&item).unwrap_or_else(|| vec![item]))
        .filter(|name| !name.is_empty() && seen.insert(name.clone()))
        .collect()
}

/// A list field's items as written, each a name or `None` where an item
/// names nothing: a list of names (or of objects naming one), one
/// catalogue entry (`{name: api, tier: 1}`), names under roles
/// (`{primary: api, affected: [db, cache]}`), or a single string cut at
/// each of `separators`. `None` for any other value.
pub(super) fn written_items(v: &RawValue, separators: &[char]) -> Option<Vec<Option<String>>> {
    match v {
        RawValue::Null => Some(Vec::new()),
        RawValue::Array(items) => Some(items.iter().map(named_item).collect()),
        RawValue::Object(map) => Some(match named_item(v) {
            Some(name) => vec![Some(name)],
            None => map
                .values()
                .flat_map(|value| match value {
                    RawValue::Array(items) => items.iter().collect(),
                    other => vec![other],
                })
                .map(named_item)
                .collect(),
        }),
        other => scalar_string(other)
            .map(|s| s.split(separators).map(|item| Some(item.to_string())).collect()),
    }
}

/// A list of strings, or a single string cut at each of `separators`;
/// anything else is RCA011.
pub(super) fn string_list(
    r: &mut FieldReporter<'_>,
    key: &str,
    separators: &[char],
) -> Vec<String> {
    let Some(v) = r.fields.get(key) else { return Vec::new() };
    let todo = match v {
        RawValue::Array(items) => items.iter().any(is_todo),
        other => is_todo(other),
    };
    if todo {
        r.lint("todo-field", key, todo_warning(key));
        return Vec::new();
    }
    let items: Option<Vec<String>> =
        written_items(v, separators).and_then(|items| items.into_iter().collect());
    match items {
        Some(items) => {
            // A set, not `out.contains`: a list of thousands stays linear.
            let mut seen = std::collections::HashSet::with_capacity(items.len());
            let mut out: Vec<String> = Vec::new();
            for item in items.iter().map(|s| clean_text(s)).filter(|s| !s.is_empty()) {
                if seen.insert(item.clone()) {
                    out.push(item);
                }
            }
            out
        }
        None => {
            let v = v.clone();
            r.report(key, type_error(key, "a list of strings", &v));
            Vec::new()
        }
    }
}
