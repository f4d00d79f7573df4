//! One name per service and per tag across the archive: spellings that
//! differ only in case, spaces or punctuation ("Artifact Caching Proxy",
//! "artifact-caching-proxy", "artifact caching proxy") are one service, so
//! it gets one page, one filter value and one history.
//!
//! Every incident's names are rewritten to the spelling most incidents use
//! (ties go to the spelling that sorts first, so the choice never depends
//! on file order), and a name an incident lists twice under two spellings
//! is kept once. Runs after typing, before anything reads the names.

use std::collections::{BTreeMap, HashMap};

use crate::model::Incident;

/// What two spellings of one name have in common: the lower-cased letters
/// and digits, each run of anything else read as one separator. A name of
/// punctuation alone keeps its own spelling.
fn fold(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut gap = false;
    for c in name.chars() {
        if c.is_alphanumeric() {
            if gap && !out.is_empty() {
                out.push('-');
            }
            gap = false;
            out.extend(c.to_lowercase());
        } else {
            gap = true;
        }
    }
    if out.is_empty() { name.to_string() } else { out }
}

/// The spelling each written name is shown as: per folded name, the
/// spelling the most incidents use, ties to the first in byte order.
fn canonical<'a>(names: impl Iterator<Item = &'a [String]>) -> HashMap<String, String> {
    // Folded name -> spelling -> incidents using it.
    let mut counts: BTreeMap<String, BTreeMap<&'a str, usize>> = BTreeMap::new();
    for list in names {
        for name in list {
            *counts.entry(fold(name)).or_default().entry(name.as_str()).or_default() += 1;
        }
    }
    let mut out = HashMap::new();
    for spellings in counts.values() {
        // BTreeMap order plus a strict comparison keeps the first of equals.
        let mut best: Option<(&str, usize)> = None;
        for (&s, &n) in spellings {
            if best.is_none_or(|(_, m)| n > m) {
                best = Some((s, n));
            }
        }
        let Some((display, _)) = best else { continue };
        for &s in spellings.keys() {
            out.insert(s.to_string(), display.to_string());
        }
    }
    out
}

/// Rewrites `list` to the canonical spellings, keeping the first of names
/// that now read the same.
fn rewrite(list: &mut Vec<String>, canonical: &HashMap<String, String>) {
    let mut seen = std::collections::HashSet::new();
    let names = std::mem::take(list);
    for name in names {
        let name = canonical.get(&name).cloned().unwrap_or(name);
        if seen.insert(name.clone()) {
            list.push(name);
        }
    }
}

/// Merges the spellings of every service and of every tag.
pub(super) fn merge_spellings(incidents: &mut [Incident]) {
    let services = canonical(incidents.iter().map(|i| i.services.as_slice()));
    let tags = canonical(incidents.iter().map(|i| i.tags.as_slice()));
    for incident in incidents {
        rewrite(&mut incident.services, &services);
        rewrite(&mut incident.tags, &tags);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lists(input: &[&[&str]]) -> Vec<Vec<String>> {
        let owned: Vec<Vec<String>> =
            input.iter().map(|l| l.iter().map(|s| s.to_string()).collect()).collect();
        let map = canonical(owned.iter().map(Vec::as_slice));
        owned
            .into_iter()
            .map(|mut l| {
                rewrite(&mut l, &map);
                l
            })
            .collect()
    }

    #[test]
    fn spellings_of_one_name_merge_into_the_most_used() {
        let out = lists(&[
            &["Artifact Caching Proxy"],
            &["artifact-caching-proxy", "db"],
            &["artifact caching proxy"],
            &["artifact-caching-proxy", "Artifact Caching Proxy"],
            &["artifact-caching-proxy"],
        ]);
        assert_eq!(
            out,
            [
                vec!["artifact-caching-proxy"],
                vec!["artifact-caching-proxy", "db"],
                vec!["artifact-caching-proxy"],
                vec!["artifact-caching-proxy"],
                vec!["artifact-caching-proxy"],
            ]
        );
    }

    #[test]
    fn a_tie_goes_to_the_spelling_that_sorts_first_whatever_the_order() {
        let a = lists(&[&["DB"], &["db"]]);
        let b = lists(&[&["db"], &["DB"]]);
        assert_eq!(a, [vec!["DB"], vec!["DB"]]);
        assert_eq!(b, [vec!["DB"], vec!["DB"]]);
    }

    #[test]
    fn different_names_stay_apart() {
        assert_eq!(fold("api"), "api");
        assert_ne!(fold("api-v2"), fold("apiv2"));
        assert_eq!(fold("Search / Indexer"), "search-indexer");
        assert_eq!(fold("..."), "...");
        assert_eq!(fold("数据库"), "数据库");
    }
}
