//! Wiki links written as front-matter values, as a notes app's properties
//! write them (`related: ["[[2023-11-20 Ledger pool exhausted]]"]`,
//! `services: ["[[payments-api]]"]`). Part of the load stage.
//!
//! Under a key that names related write-ups (`related`, `see_also`,
//! `previous` …) each is a link between incidents, as one in the body is:
//! resolved by the link stage, with its backlink. Under any other key the
//! link stands for the note it names: `[[payments-api]]` is the service
//! `payments-api`, `[[People/Kim Lee|Kim]]` the author `Kim Lee`.

use std::collections::BTreeMap;
use std::ops::Range;

use crate::config::same_key;
use crate::model::{Outline, RawValue, WikiLink};

/// Keys whose wiki links are links between incidents.
const RELATION_KEYS: [&str; 12] = [
    "related",
    "related_incidents",
    "related_postmortems",
    "see_also",
    "similar",
    "similar_incidents",
    "previous",
    "previous_incident",
    "previous_incidents",
    "recurrence_of",
    "caused_by",
    "follow_up_of",
];

/// A value that is one wiki link: the link (its place and context not yet
/// set) and its label.
fn property_link(value: &str) -> Option<(WikiLink, Option<&str>)> {
    let inner = value.trim().strip_prefix("[[")?.strip_suffix("]]")?;
    if inner.contains(['[', ']']) {
        return None;
    }
    let (destination, label) = match inner.split_once('|') {
        Some((d, l)) => (d, Some(l.trim())),
        None => (inner, None),
    };
    let link = WikiLink::to(destination, label.is_some(), 0..0, String::new());
    (!link.target.is_empty()).then_some((link, label))
}

/// Reads the wiki links of `matter`: those under a relation key become
/// links of `outline` (and their key leaves `matter`, being read), and
/// under `recurrence_of` stated recurrences; the rest the name of the note
/// each names. `text` is the file, `within` the front matter's bytes in
/// it, `key_offsets` where each key's line starts.
pub(super) fn read_property_links(
    matter: &mut BTreeMap<String, RawValue>,
    key_offsets: &BTreeMap<String, usize>,
    text: &str,
    within: Range<usize>,
    outline: &mut Outline,
) {
    let keys: Vec<String> = matter.keys().filter(|k| holds_links(&matter[*k])).cloned().collect();
    for key in keys {
        let relation = RELATION_KEYS.iter().any(|r| same_key(&key, r));
        let Some(value) = matter.get_mut(&key) else { continue };
        if relation {
            let from = key_offsets.get(&key).copied().unwrap_or(within.start).max(within.start);
            let mut search = from;
            for written in strings(value) {
                let Some((mut link, label)) = property_link(&written) else { continue };
                let span = text
                    .get(search..within.end)
                    .and_then(|rest| rest.find(written.trim()))
                    .map_or(from..from, |at| search + at..search + at + written.trim().len());
                search = span.end.max(search);
                if same_key(&key, "recurrence_of") {
                    outline.recurrence_spans.push(span.clone());
                }
                // What a backlink quotes: the property, as a vault shows it.
                link.context = format!("{key}: {}", label.unwrap_or(&link.target));
                link.span = span;
                outline.links.push(link);
            }
            matter.remove(&key);
        } else {
            name_the_notes(value);
        }
    }
}

/// True when `value` is, or lists, a wiki link.
fn holds_links(value: &RawValue) -> bool {
    match value {
        RawValue::String(s) => property_link(s).is_some(),
        RawValue::Array(items) => {
            items.iter().any(|v| v.as_str().is_some_and(|s| property_link(s).is_some()))
        }
        _ => false,
    }
}

/// The strings of `value`, a string or a list.
fn strings(value: &RawValue) -> Vec<String> {
    match value {
        RawValue::String(s) => vec![s.clone()],
        RawValue::Array(items) => {
            items.iter().filter_map(|v| v.as_str().map(str::to_string)).collect()
        }
        _ => Vec::new(),
    }
}

/// Each wiki link of `value` replaced by the name of the note it names:
/// its target's last part (`People/Kim Lee` is `Kim Lee`).
fn name_the_notes(value: &mut RawValue) {
    let named = |s: &str| -> Option<String> {
        let (link, _) = property_link(s)?;
        Some(link.target.rsplit('/').next().unwrap_or(&link.target).to_string())
    };
    match value {
        RawValue::String(s) => {
            if let Some(name) = named(s) {
                *s = name;
            }
        }
        RawValue::Array(items) => {
            for item in items.iter_mut() {
                if let Some(name) = item.as_str().and_then(named) {
                    *item = RawValue::String(name);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_under_a_relation_key_are_links_and_others_name_their_notes() {
        let text = "---\nservices: [\"[[payments-api]]\", ledger]\nauthor: \"[[People/Kim Lee|Kim]]\"\n\
                    related:\n  - \"[[2023-11-20 Ledger pool exhausted]]\"\n  - \"[[Other#Root cause|o]]\"\n---\n";
        let within = 4..text.len() - 4;
        let mut matter: BTreeMap<String, RawValue> = BTreeMap::new();
        matter.insert("services".into(), serde_json::json!(["[[payments-api]]", "ledger"]));
        matter.insert("author".into(), serde_json::json!("[[People/Kim Lee|Kim]]"));
        matter.insert(
            "related".into(),
            serde_json::json!(["[[2023-11-20 Ledger pool exhausted]]", "[[Other#Root cause|o]]"]),
        );
        let offsets: BTreeMap<String, usize> = [("related".to_string(), 81)].into_iter().collect();
        let mut outline = Outline::default();
        read_property_links(&mut matter, &offsets, text, within, &mut outline);
        let links = outline.links;
        assert_eq!(matter["services"], serde_json::json!(["payments-api", "ledger"]));
        assert_eq!(matter["author"], "Kim Lee");
        assert!(!matter.contains_key("related"), "read as links");
        let found: Vec<_> = links
            .iter()
            .map(|l| (l.target.as_str(), l.heading.as_deref(), l.has_label, &text[l.span.clone()]))
            .collect();
        assert_eq!(
            found,
            [
                (
                    "2023-11-20 Ledger pool exhausted",
                    None,
                    false,
                    "[[2023-11-20 Ledger pool exhausted]]"
                ),
                ("Other", Some("Root cause"), true, "[[Other#Root cause|o]]"),
            ]
        );
    }

    #[test]
    fn only_a_whole_value_is_a_link() {
        assert!(property_link("[[a]]").is_some());
        for not in ["see [[a]]", "[[]]", "[[a]] and [[b]]", "[a]", ""] {
            assert!(property_link(not).is_none(), "{not}");
        }
    }
}
