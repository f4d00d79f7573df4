//! What `adopt` reads from a folder before suggesting anything, once the
//! load stage's finders have said where the markdown is: the files there
//! that are pages of the old site rather than postmortems, what their
//! front matter holds ([`Survey`]), and the zone the old site's own
//! configuration states.
//!
//! Inputs: the folder and its loaded [`Document`]s. Outputs: `exclude`
//! patterns, the [`Survey`]. Reads files only to walk the folder
//! and to find the old site's configuration.
//! Imports: model, dates.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

use crate::model::{Document, MatterFormat, RawValue, is_blank, is_folder_page, scalar_string};

/// For each field hindsight reads, the keys other tools use for it.
pub(super) use crate::config::FIELD_KEYS;
use crate::config::same_key;

/// Files of the content folder that are site pages, indexes or templates,
/// not postmortems: as `exclude` patterns relative to the content folder.
pub(super) fn excludes(documents: &[Arc<Document>], content: &Path) -> Vec<String> {
    let mut patterns = BTreeSet::new();
    let sections = crate::sections::SectionNames::new(&BTreeMap::new());
    // How many markdown files each folder holds: an `index.md` or README
    // alone in its folder is that folder's write-up (a page bundle), one
    // among others is the folder's list page.
    let mut in_folder: BTreeMap<&str, usize> = BTreeMap::new();
    // The namespaces of an outliner's pages (`postmortems` of
    // `postmortems/2024-03-21 Stale flags`): a page named as one lists them.
    let mut namespaces: BTreeSet<String> = BTreeSet::new();
    // The same for a Dendron vault, whose hierarchy is written with dots
    // (`incidents.2024.payments-outage`): each level's own note.
    let mut levels: BTreeSet<String> = BTreeSet::new();
    let write_ups = write_up_folders(documents, &sections);
    for doc in documents {
        *in_folder.entry(doc.source.folder.as_str()).or_default() += 1;
        if let Some((namespace, _)) = doc.source.stem.rsplit_once('/') {
            namespaces.insert(namespace.to_lowercase());
        }
        let stem = doc.source.stem.to_lowercase();
        levels
            .extend(stem.match_indices('.').filter_map(|(at, _)| stem.get(..at)).map(String::from));
    }
    for doc in documents {
        let Ok(rel) = doc.source.rel_path.strip_prefix(content) else { continue };
        let folders: Vec<String> = rel
            .parent()
            .into_iter()
            .flat_map(|p| p.components())
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        // Templates and drafts; and, on a documentation site, the folders
        // of other kinds of page kept beside the postmortems.
        if let Some(at) = folders.iter().position(|f| {
            matches!(
                f.to_lowercase().as_str(),
                "templates"
                    | "_templates"
                    | "_drafts"
                    | "drafts"
                    | "runbooks"
                    | "playbooks"
                    | "guides"
                    | "how-to"
                    | "howto"
                    | "adr"
                    | "adrs"
            )
        }) {
            patterns.insert(format!("{}/**", folders.get(..=at).unwrap_or_default().join("/")));
            continue;
        }
        let stem = rel.file_stem().map(|s| s.to_string_lossy().to_lowercase()).unwrap_or_default();
        let folder = doc.source.folder.as_str();
        let bundle =
            !folder.is_empty() && (in_folder.get(folder) == Some(&1) || write_ups.contains(folder));
        let layout = doc.matter.get("layout").and_then(RawValue::as_str).unwrap_or_default();
        let is_page = if is_folder_page(&stem) {
            !bundle
        } else {
            // Beside the site's own pages, anywhere: a repository's other
            // documents, a wiki's header, and `contents`, an outliner's
            // own page of favourites.
            crate::model::site_page(&stem).is_some()
                || matches!(
                    stem.as_str(),
                    "about" | "contributing" | "license" | "changelog" | "contents" | "_header"
                )
        } || namespaces.contains(&doc.source.stem.to_lowercase())
            || is_dendron_own(doc, &stem, &levels)
            || is_list_of_links(doc)
            || is_other_page(doc, &sections)
            || (write_ups.contains(folder)
                && doc.format == MatterFormat::None
                && !is_folder_page(&stem))
            || stem.ends_with(" index")
            || stem.starts_with("index ")
            || stem.contains("template")
            || matches!(layout, "page" | "home" | "default");
        if is_page {
            patterns.insert(globset_escape(&rel.to_string_lossy().replace('\\', "/")));
        }
    }
    patterns.into_iter().collect()
}

/// Whether `doc` is a Dendron vault's own note (its front matter has
/// Dendron's `id` and `updated`): the vault's `root`, a level of its
/// hierarchy that other notes sit under (`incidents` of
/// `incidents.2024.payments-outage`, in `levels`), or a day of its
/// journal (`daily.journal.2024.06.01`).
fn is_dendron_own(doc: &Document, stem: &str, levels: &BTreeSet<String>) -> bool {
    let dendron = ["id", "updated"].iter().all(|k| doc.matter.contains_key(*k));
    dendron && (stem == "root" || levels.contains(stem) || stem.starts_with("daily.journal."))
}

/// Folders that hold one incident's write-up as their README or
/// `index.md` among its supporting documents (`2024-03-01-db-failover/`
/// with `timeline.md` and `chat-log.md` beside the README): the folder is
/// named as an incident is (letters and digits, not a year alone), and its
/// page has the sections of a review, two kinds or more. The documents
/// beside it, without front matter of their own, are no incidents.
fn write_up_folders(
    documents: &[Arc<Document>],
    sections: &crate::sections::SectionNames,
) -> BTreeSet<String> {
    documents
        .iter()
        .filter(|doc| {
            let file = doc.source.rel_path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
            let folder = doc.source.folder.rsplit('/').next().unwrap_or("");
            let named = folder.chars().any(char::is_alphabetic)
                && folder.chars().any(|c| c.is_ascii_digit());
            let roles: BTreeSet<_> =
                doc.outline.headings.iter().filter_map(|h| sections.role_of(&h.text)).collect();
            is_folder_page(file) && named && roles.len() >= 2
        })
        .map(|doc| doc.source.folder.clone())
        .collect()
}

/// Whether `doc` is a page that lists other pages, as a wiki's incident
/// index does (a table of dates and `[[links]]`): no front matter, no
/// digit in its name (a write-up's name tends to hold its date or
/// number), two wiki links or more, and few words besides them.
fn is_list_of_links(doc: &Document) -> bool {
    let links = &doc.outline.links;
    if doc.format != MatterFormat::None
        || links.len() < 2
        || doc.source.stem.bytes().any(|b| b.is_ascii_digit())
    {
        return false;
    }
    let text = doc.source.text.as_str();
    let mut words = 0;
    let mut from = doc.body.start;
    let mut count = |piece: &str| {
        words += piece
            .split(|c: char| !c.is_alphanumeric() && c != '-' && c != '\'')
            .filter(|w| w.chars().any(char::is_alphabetic))
            .count();
    };
    for link in links {
        count(text.get(from..link.span.start).unwrap_or_default());
        from = from.max(link.span.end);
    }
    count(text.get(from..doc.body.end).unwrap_or_default());
    words <= (2 * links.len()).max(8)
}

/// Keys a notes app writes into every note's front matter, whatever the
/// note is about (Joplin: when and where it was written, its tags).
const NOTE_KEYS: &[&str] = &[
    "title",
    "created",
    "updated",
    "latitude",
    "longitude",
    "altitude",
    "author",
    "source",
    "tags",
];

/// Whether `doc` is a page of another kind kept beside the write-ups (a
/// wiki's handbook or how-to, a notebook's reading list): no front matter
/// but a notes app's own ([`NOTE_KEYS`]), no labelled fields, no digit in
/// its name, no date in its text and no heading an incident review uses.
/// Built, it would only be told it has no date, or be an incident page of
/// a note that is none.
fn is_other_page(doc: &Document, sections: &crate::sections::SectionNames) -> bool {
    let body = doc.source.text.get(doc.body.clone()).unwrap_or_default();
    // Without front matter, `matter` holds the labelled lines: none may.
    let no_fields = match doc.format {
        MatterFormat::None => doc.matter.is_empty(),
        _ => doc.matter.keys().all(|k| NOTE_KEYS.contains(&k.as_str())),
    };
    no_fields
        && doc.labelled.is_empty()
        && !doc.source.stem.bytes().any(|b| b.is_ascii_digit())
        && crate::dates::first_date(body).is_none()
        && !doc.outline.headings.iter().any(|h| sections.role_of(&h.text).is_some())
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
    /// A key is the archive's own spelling of one of the field's keys
    /// (`Affected Services` for `affected_services`), as written.
    pub(super) fn keys_for(&self, field: &str) -> Vec<&str> {
        let Some((_, keys)) = FIELD_KEYS.iter().find(|(f, _)| *f == field) else {
            return Vec::new();
        };
        let mut found: Vec<&str> = Vec::new();
        for known in *keys {
            let exact = self.keys.get_key_value(*known).map(|(k, _)| k.as_str());
            let written = exact.into_iter().chain(
                self.keys.keys().map(String::as_str).filter(|k| k != known && same_key(k, known)),
            );
            for key in written {
                if !found.contains(&key) {
                    found.push(key);
                }
            }
        }
        // `resolved` is a status when it says yes or no, and the time of
        // resolution when it holds times: its values decide.
        let timed = matches!(field, "date" | "resolved_at" | "detected_at" | "mitigated_at");
        if timed || field == "status" {
            found.retain(|key| self.holds_times(key) == timed || !self.values.contains_key(*key));
        }
        found
    }

    /// True when most values seen under `key` read as dates or times.
    fn holds_times(&self, key: &str) -> bool {
        let Some(values) = self.values.get(key) else { return false };
        let utc = jiff::tz::TimeZone::UTC;
        let times: usize = values
            .iter()
            .filter(|(v, _)| crate::dates::parse_when(v, &utc).is_some())
            .map(|(_, n)| n)
            .sum();
        let all: usize = values.values().sum();
        all > 0 && 2 * times > all
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
        self.keys_for(field)
            .into_iter()
            .filter_map(|k| self.keys.get(k))
            .max()
            .copied()
            .unwrap_or(0)
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

/// A blog's file of its authors, as Docusaurus keeps one beside the posts
/// (`blog/authors.yml`: `jlo: {name: Jun Lo, title: …}`), which posts name
/// by key (`authors: [jlo]`): the file, relative to `content`, and per key
/// the name it gives. `None` without such a file, or with no names in it.
pub(super) fn site_authors(root: &Path, content: &Path) -> Option<(String, Vec<(String, String)>)> {
    ["authors.yml", "authors.yaml"].into_iter().find_map(|name| {
        let text = std::fs::read_to_string(root.join(content).join(name)).ok()?;
        let docs = yaml_rust2::YamlLoader::load_from_str(&text).ok()?;
        let map = docs.first()?.as_hash()?;
        let names: Vec<(String, String)> = map
            .iter()
            .filter_map(|(key, author)| {
                let key = key.as_str()?.trim();
                let name = author["name"].as_str()?.trim();
                (!key.is_empty() && !name.is_empty() && key != name)
                    .then(|| (key.to_string(), name.to_string()))
            })
            .collect();
        (!names.is_empty()).then(|| (name.to_string(), names))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load;

    #[test]
    fn globs_escape_their_special_characters() {
        assert_eq!(globset_escape("PIR [draft]/a*.md"), "PIR [[]draft[]]/a[*].md");
        let pattern = globset_escape("notes/[x] index.md");
        assert!(load::exclude_set(&[pattern]).is_match(Path::new("notes/[x] index.md")));
    }
}
