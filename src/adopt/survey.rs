//! What `adopt` reads from a folder before suggesting anything: the
//! markdown files, the folder that holds the postmortems, the files there
//! that are pages of the old site rather than postmortems, what their
//! front matter holds ([`Survey`]), and the zone the old site's own
//! configuration states.
//!
//! Inputs: the folder and its loaded [`Document`]s. Outputs: paths,
//! `exclude` patterns, the [`Survey`]. Reads files only to walk the folder
//! and to find the old site's configuration.
//! Imports: load, model, dates.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::load;
use crate::model::{Document, MatterFormat, RawValue, is_blank, scalar_string};

/// Folders never searched for postmortems: build output, dependencies.
const NOT_CONTENT: &[&str] = &["public", "target", "node_modules", "themes", "vendor", "_site"];

/// For each field hindsight reads, the keys other tools use for it, in the
/// order they are tried.
pub(super) const FIELD_KEYS: &[(&str, &[&str])] = &[
    ("title", &["title", "name", "headline"]),
    (
        "date",
        &["date", "start_time", "started_at", "start", "incident_date", "created", "published"],
    ),
    (
        "resolved_at",
        &[
            "resolved_at",
            "resolvedWhen",
            "resolved_when",
            "end_time",
            "ended_at",
            "end",
            "closed_at",
            "recovered_at",
        ],
    ),
    ("severity", &["severity", "sev", "priority", "impact_level", "level"]),
    (
        "services",
        &[
            "services",
            "service",
            "affected",
            "affected_services",
            "components",
            "systems",
            "product",
        ],
    ),
    ("tags", &["tags", "labels", "categories", "keywords", "topics"]),
    ("status", &["status", "state", "resolved"]),
    ("duration_minutes", &["duration_minutes", "duration"]),
    ("author", &["author", "authors", "owner", "owners"]),
    ("summary", &["summary", "description", "excerpt"]),
];

/// Markdown files under `root`, relative to it, leaving out hidden
/// folders and build output.
pub(super) fn markdown_files(root: &Path) -> Vec<PathBuf> {
    let walker = walkdir::WalkDir::new(root)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0
                || !(load::is_hidden(e.file_name())
                    || e.file_name().to_str().is_some_and(|n| NOT_CONTENT.contains(&n)))
        });
    walker
        .filter_map(std::result::Result::ok)
        .filter(|e| e.file_type().is_file() && load::is_markdown(e.path()))
        .filter_map(|e| e.path().strip_prefix(root).ok().map(Path::to_path_buf))
        .collect()
}

/// Where the postmortems are: `content/` or Jekyll's `_posts/` when they
/// hold markdown, else the deepest folder holding at least four in five
/// of the markdown files (`.` for a vault of notes).
pub(super) fn content_dir(markdown: &[PathBuf]) -> String {
    for known in ["content", "_posts"] {
        if markdown.iter().any(|p| p.starts_with(known)) {
            return known.to_string();
        }
    }
    let total = markdown.len();
    let mut counts: BTreeMap<PathBuf, usize> = BTreeMap::new();
    for path in markdown {
        let mut dir = path.parent();
        while let Some(d) = dir.filter(|d| !d.as_os_str().is_empty()) {
            *counts.entry(d.to_path_buf()).or_default() += 1;
            dir = d.parent();
        }
    }
    counts
        .into_iter()
        .filter(|(_, n)| *n * 5 >= total * 4 && total > 0)
        .max_by_key(|(d, _)| (d.components().count(), std::cmp::Reverse(d.clone())))
        .map_or_else(|| ".".to_string(), |(d, _)| d.to_string_lossy().replace('\\', "/"))
}

/// Files of the content folder that are site pages, indexes or templates,
/// not postmortems: as `exclude` patterns relative to the content folder.
pub(super) fn excludes(documents: &[Arc<Document>], content: &Path) -> Vec<String> {
    let mut patterns = BTreeSet::new();
    for doc in documents {
        let Ok(rel) = doc.source.rel_path.strip_prefix(content) else { continue };
        let folders: Vec<String> = rel
            .parent()
            .into_iter()
            .flat_map(|p| p.components())
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        if let Some(at) = folders.iter().position(|f| {
            matches!(f.to_lowercase().as_str(), "templates" | "_templates" | "_drafts" | "drafts")
        }) {
            patterns.insert(format!("{}/**", folders.get(..=at).unwrap_or_default().join("/")));
            continue;
        }
        let stem = doc.source.stem.to_lowercase();
        let layout = doc.matter.get("layout").and_then(RawValue::as_str).unwrap_or_default();
        let is_page = matches!(
            stem.as_str(),
            "_index" | "index" | "readme" | "about" | "contributing" | "license" | "changelog"
        ) || stem.ends_with(" index")
            || stem.starts_with("index ")
            || stem.contains("template")
            || matches!(layout, "page" | "home" | "default");
        if is_page {
            patterns.insert(globset_escape(&rel.to_string_lossy().replace('\\', "/")));
        }
    }
    patterns.into_iter().collect()
}

/// A path as a glob that matches only itself.
fn globset_escape(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        if matches!(c, '*' | '?' | '[' | ']' | '{' | '}') {
            out.push('[');
            out.push(c);
            out.push(']');
        } else {
            out.push(c);
        }
    }
    out
}

/// What the front matter of the archive holds.
#[derive(Default)]
pub(super) struct Survey {
    /// Key → files that have it (non-blank).
    pub(super) keys: BTreeMap<String, usize>,
    /// Key → distinct values as text (lower-cased), with counts.
    pub(super) values: BTreeMap<String, BTreeMap<String, usize>>,
    /// Key → true when some value is a boolean.
    pub(super) booleans: BTreeSet<String>,
    /// Files with front matter, and without.
    pub(super) with_matter: usize,
    pub(super) without_matter: usize,
    /// A date or time value without a zone was seen.
    pub(super) zone_less_times: bool,
}

impl Survey {
    pub(super) fn of(docs: &[&Document]) -> Survey {
        let mut s = Survey::default();
        for doc in docs {
            if doc.format == MatterFormat::None {
                s.without_matter += 1;
                continue;
            }
            s.with_matter += 1;
            for (key, value) in &doc.matter {
                if is_blank(value) {
                    continue;
                }
                *s.keys.entry(key.clone()).or_default() += 1;
                let texts: Vec<String> = match value {
                    RawValue::Array(items) => items.iter().filter_map(scalar_string).collect(),
                    other => scalar_string(other).into_iter().collect(),
                };
                if matches!(value, RawValue::Bool(_)) {
                    s.booleans.insert(key.clone());
                }
                let seen = s.values.entry(key.clone()).or_default();
                for t in texts.into_iter().take(50) {
                    if seen.len() < 200 || seen.contains_key(&t) {
                        *seen.entry(t.trim().to_lowercase()).or_default() += 1;
                    }
                }
                if let RawValue::String(t) = value {
                    let t = t.trim();
                    if t.len() > 10 && t.contains(':') && !has_zone(t) {
                        s.zone_less_times = true;
                    }
                }
            }
        }
        s
    }

    /// The keys present for `field`, in the order they should be tried.
    pub(super) fn keys_for(&self, field: &str) -> Vec<&'static str> {
        FIELD_KEYS
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, keys)| keys.iter().copied().filter(|k| self.keys.contains_key(*k)).collect())
            .unwrap_or_default()
    }

    /// The values seen under the keys of `field`.
    pub(super) fn values_for(&self, field: &str) -> BTreeMap<String, usize> {
        let mut out = BTreeMap::new();
        for key in self.keys_for(field) {
            for (v, n) in self.values.get(key).into_iter().flatten() {
                *out.entry(v.clone()).or_default() += n;
            }
        }
        out
    }

    /// Files with front matter that give a value for `field`.
    pub(super) fn coverage(&self, field: &str) -> usize {
        self.keys_for(field).iter().filter_map(|k| self.keys.get(*k)).max().copied().unwrap_or(0)
    }
}

/// True when a date-time text names its zone.
fn has_zone(t: &str) -> bool {
    let tail = t.get(t.len().saturating_sub(6)..).unwrap_or(t);
    t.ends_with('Z') || t.ends_with('z') || tail.contains('+') || tail.rfind('-').is_some()
}

/// The zone a Hugo or Jekyll site configuration states.
pub(super) fn site_time_zone(root: &Path) -> Option<String> {
    for name in ["_config.yml", "_config.yaml", "config.yml", "config.yaml", "hugo.yaml"] {
        let Ok(text) = std::fs::read_to_string(root.join(name)) else { continue };
        let Ok(docs) = yaml_rust2::YamlLoader::load_from_str(&text) else { continue };
        for doc in docs {
            for key in ["timezone", "timeZone"] {
                if let Some(zone) = doc[key].as_str() {
                    if crate::dates::zone(zone).is_some() {
                        return Some(zone.to_string());
                    }
                }
            }
        }
    }
    for name in ["config.toml", "hugo.toml"] {
        let Ok(text) = std::fs::read_to_string(root.join(name)) else { continue };
        let Ok(table) = text.parse::<toml::Table>() else { continue };
        if let Some(zone) = table.get("timeZone").and_then(toml::Value::as_str) {
            if crate::dates::zone(zone).is_some() {
                return Some(zone.to_string());
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_content_folder_is_found_by_convention_or_by_share() {
        let paths = |ps: &[&str]| ps.iter().map(PathBuf::from).collect::<Vec<_>>();
        assert_eq!(content_dir(&paths(&["_posts/a.md", "index.md", "about.md"])), "_posts");
        assert_eq!(content_dir(&paths(&["content/x/a.md", "README.md"])), "content");
        assert_eq!(
            content_dir(&paths(&["README.md", "pm/a.md", "pm/b.md", "pm/c.md", "pm/d.md"])),
            "pm"
        );
        assert_eq!(
            content_dir(&paths(&[
                "docs/index.md",
                "docs/pm/a.md",
                "docs/pm/b.md",
                "docs/pm/c.md",
                "docs/pm/d.md"
            ])),
            "docs/pm"
        );
        assert_eq!(content_dir(&paths(&["a.md", "b.md", "x/c.md", "y/d.md"])), ".");
        assert_eq!(content_dir(&[]), ".");
    }

    #[test]
    fn globs_escape_their_special_characters() {
        assert_eq!(globset_escape("PIR [draft]/a*.md"), "PIR [[]draft[]]/a[*].md");
        let pattern = globset_escape("notes/[x] index.md");
        assert!(load::exclude_set(&[pattern]).is_match(Path::new("notes/[x] index.md")));
    }
}
