//! `hindsight adopt`: reads an existing folder of postmortems written for
//! another tool, without changing it, and suggests the `hindsight.toml`
//! that builds it unchanged; then dry-runs that configuration.
//!
//! Orchestration, beside [`crate::site`]: it surveys the folder (where the
//! postmortems are, which front-matter keys and values they use, which
//! headings), writes a configuration as TOML text, parses it back with
//! [`Config::parse`] (so a suggestion is always a valid configuration),
//! and runs the stages up to linking through [`Site::check`]. Nothing is
//! written.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::diag::{Diagnostic, Level};
use crate::error::{Error, Result};
use crate::load;
use crate::model::{Document, MatterFormat, RawValue, is_blank, scalar_string};
use crate::sections::{Role, normal_form};
use crate::site::Site;

/// Folders never searched for postmortems: build output, dependencies.
const NOT_CONTENT: &[&str] = &["public", "target", "node_modules", "themes", "vendor", "_site"];

/// For each field hindsight reads, the keys other tools use for it, in the
/// order they are tried.
const FIELD_KEYS: &[(&str, &[&str])] = &[
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

/// Keys other tools keep for their own bookkeeping: hidden from pages.
const BOOKKEEPING_KEYS: &[&str] = &[
    "layout",
    "section",
    "weight",
    "type",
    "menu",
    "toc",
    "permalink",
    "comments",
    "sidebar",
    "nav_order",
    "uuid",
    "cssclass",
    "cssclasses",
    "publish",
    "informational",
    "archive_url",
    "source_fetched_at",
    "source_published_at",
];

/// Severity words from most to least severe, for ordering a scale made
/// of the words an archive uses.
const SEVERITY_WORDS: &[&str] = &[
    "critical",
    "emergency",
    "blocker",
    "down",
    "outage",
    "major",
    "high",
    "severe",
    "disrupted",
    "degraded",
    "medium",
    "moderate",
    "minor",
    "low",
    "notice",
    "maintenance",
    "info",
    "informational",
    "cosmetic",
];

/// Badge colours of a suggested scale, most severe first; each passes
/// WCAG AA against white text in the default theme.
const SCALE_COLOURS: &[&str] = &["#b42318", "#c2410c", "#8a5a00", "#2f6fb3", "#5f6b7a"];

/// What `adopt` suggests.
#[derive(Debug, Clone)]
pub struct Suggestion {
    /// The suggested `hindsight.toml`, with comments.
    pub toml: String,
    /// The same, parsed.
    pub config: Config,
}

/// What a build with the suggestion would do.
#[derive(Debug, Clone, Default)]
pub struct DryRun {
    /// Files under the content folder.
    pub files: usize,
    /// Files that would become pages.
    pub pages: usize,
    /// Files that would be copied beside the pages.
    pub attachments: usize,
    /// Files left out, each with the reason.
    pub left_out: Vec<(PathBuf, String)>,
    /// Diagnostics by code: level and count.
    pub by_code: BTreeMap<&'static str, (Level, usize)>,
    /// Every diagnostic.
    pub diagnostics: Vec<Diagnostic>,
}

/// Surveys `root` and suggests a configuration for it.
pub fn suggest(root: &Path) -> Result<Suggestion> {
    if !root.is_dir() {
        return Err(Error::NotADirectory { path: root.to_path_buf() });
    }
    let markdown = markdown_files(root);
    let content_dir = content_dir(&markdown);
    let survey_config = Config { content_dir: content_dir.clone(), ..Config::default() };
    let loaded = load::load_archive(root, &survey_config)?;
    let content = Path::new(if content_dir == "." { "" } else { content_dir.as_str() });
    let excluded = excludes(&loaded.documents, content);
    // The same matcher the load stage applies to `exclude`.
    let matcher = load::exclude_set(&excluded);
    let docs: Vec<&Document> = loaded
        .documents
        .iter()
        .filter(|d| !d.source.rel_path.strip_prefix(content).is_ok_and(|r| matcher.is_match(r)))
        .collect();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Suggested by `hindsight adopt` for {} postmortems in {}/.\n\
         # Review it, save it as hindsight.toml at the archive root, and run\n\
         # `hindsight check` to see what remains.",
        docs.len(),
        content_dir
    );
    let survey = Survey::of(&docs);
    let zone = site_time_zone(root);
    top_level(&mut out, &content_dir, &excluded, &survey, zone.as_deref());
    fields(&mut out, &survey);
    severity_scale(&mut out, &survey);
    values(&mut out, &survey);
    lints(&mut out, &survey, &docs);
    sections(&mut out, &docs);
    let path = root.join(crate::config::CONFIG_FILE);
    let config = Config::parse(&out, &path)?;
    Ok(Suggestion { toml: out, config })
}

/// Runs the stages up to linking with `config`, writing nothing.
pub fn dry_run(root: &Path, config: &Config) -> Result<DryRun> {
    let site = Site {
        root: root.to_path_buf(),
        config: config.clone(),
        build_date: crate::site::build_date_from_env(),
    };
    let report = site.check(false)?;
    let walked = load::walk_content(root, config)?;
    let pages: BTreeSet<&PathBuf> = report.pages.iter().collect();
    let mut run = DryRun {
        pages: report.pages.len(),
        attachments: walked.attachments.len(),
        ..DryRun::default()
    };
    let diagnostics: Vec<Diagnostic> = report.diagnostics.clone().into_sorted();
    let reason = |file: &Path| {
        diagnostics
            .iter()
            .filter(|d| d.file.as_deref() == Some(file))
            .max_by_key(|d| d.level)
            .map_or_else(|| "not built".to_string(), |d| format!("{}: {}", d.code, d.message))
    };
    for rel in walked.markdown.iter().filter(|r| !pages.contains(r)) {
        run.left_out.push((rel.clone(), reason(rel)));
    }
    for d in diagnostics.iter().filter(|d| d.code == "RCA008") {
        if let Some(file) = &d.file {
            run.left_out.push((file.clone(), d.message.clone()));
        }
    }
    run.left_out.sort();
    run.files = walked.markdown.len() + walked.attachments.len() + count_notes(&diagnostics);
    for d in &diagnostics {
        let entry = run.by_code.entry(d.code).or_insert((d.level, 0));
        entry.0 = entry.0.max(d.level);
        entry.1 += 1;
    }
    run.diagnostics = diagnostics;
    Ok(run)
}

fn count_notes(diagnostics: &[Diagnostic]) -> usize {
    diagnostics.iter().filter(|d| d.code == "RCA008").count()
}

/// The dry run as the lines `adopt` prints.
pub fn render_dry_run(run: &DryRun) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "dry run: {} files, {} would become pages, {} attachments, {} left out",
        run.files,
        run.pages,
        run.attachments,
        run.left_out.len()
    );
    if !run.by_code.is_empty() {
        out.push_str("diagnostics by code:\n");
        for (code, (level, n)) in &run.by_code {
            let summary = crate::codes::find(code).map_or("", |c| c.summary);
            let _ = writeln!(out, "  {code} {:<7} {n:>5}  {summary}", level.as_str());
        }
    }
    if !run.left_out.is_empty() {
        out.push_str("left out:\n");
        for (file, why) in &run.left_out {
            let _ = writeln!(out, "  {}: {why}", file.display());
        }
    }
    out
}

/// Markdown files under `root`, relative to it, leaving out hidden
/// folders and build output.
fn markdown_files(root: &Path) -> Vec<PathBuf> {
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
fn content_dir(markdown: &[PathBuf]) -> String {
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
fn excludes(documents: &[Document], content: &Path) -> Vec<String> {
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
struct Survey {
    /// Key → files that have it (non-blank).
    keys: BTreeMap<String, usize>,
    /// Key → distinct values as text (lower-cased), with counts.
    values: BTreeMap<String, BTreeMap<String, usize>>,
    /// Key → true when some value is a boolean.
    booleans: BTreeSet<String>,
    /// Files with front matter, and without.
    with_matter: usize,
    without_matter: usize,
    /// A date or time value without a zone was seen.
    zone_less_times: bool,
}

impl Survey {
    fn of(docs: &[&Document]) -> Survey {
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
    fn keys_for(&self, field: &str) -> Vec<&'static str> {
        FIELD_KEYS
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, keys)| keys.iter().copied().filter(|k| self.keys.contains_key(*k)).collect())
            .unwrap_or_default()
    }

    /// The values seen under the keys of `field`.
    fn values_for(&self, field: &str) -> BTreeMap<String, usize> {
        let mut out = BTreeMap::new();
        for key in self.keys_for(field) {
            for (v, n) in self.values.get(key).into_iter().flatten() {
                *out.entry(v.clone()).or_default() += n;
            }
        }
        out
    }

    /// Files with front matter that give a value for `field`.
    fn coverage(&self, field: &str) -> usize {
        self.keys_for(field).iter().filter_map(|k| self.keys.get(*k)).max().copied().unwrap_or(0)
    }
}

/// True when a date-time text names its zone.
fn has_zone(t: &str) -> bool {
    let tail = t.get(t.len().saturating_sub(6)..).unwrap_or(t);
    t.ends_with('Z') || t.ends_with('z') || tail.contains('+') || tail.rfind('-').is_some()
}

/// The zone a Hugo or Jekyll site configuration states.
fn site_time_zone(root: &Path) -> Option<String> {
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

/// A TOML string literal.
fn quoted(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn list(items: &[&str]) -> String {
    let items: Vec<String> = items.iter().map(|s| quoted(s)).collect();
    format!("[{}]", items.join(", "))
}

fn top_level(
    out: &mut String,
    content_dir: &str,
    excluded: &[String],
    survey: &Survey,
    zone: Option<&str>,
) {
    out.push('\n');
    if content_dir != load::CONTENT_DIR {
        let _ = writeln!(out, "content_dir = {}", quoted(content_dir));
    }
    if !excluded.is_empty() {
        out.push_str("# Pages of the old site, indexes and templates: not postmortems.\n");
        let items: Vec<&str> = excluded.iter().map(String::as_str).collect();
        let _ = writeln!(out, "exclude = {}", list(&items));
    }
    if let Some(zone) = zone.filter(|_| survey.zone_less_times) {
        out.push_str("# Times written without a zone, in the zone the old site used.\n");
        let _ = writeln!(out, "timezone = {}", quoted(zone));
    }
    let hidden: Vec<&str> = BOOKKEEPING_KEYS
        .iter()
        .copied()
        .filter(|k| survey.keys.contains_key(*k))
        .filter(|k| FIELD_KEYS.iter().all(|(_, keys)| !keys.contains(k)))
        .collect();
    if !hidden.is_empty() {
        out.push_str("# Keys the old tool kept for itself, hidden from pages.\n");
        let _ = writeln!(out, "hidden_keys = {}", list(&hidden));
    }
    if survey.with_matter > 0 {
        // A file without front matter may have no date at all: it is then
        // listed as undated, unless `date` is required.
        let required: Vec<&str> = ["title", "date", "severity"]
            .into_iter()
            .filter(|f| survey.coverage(f) == survey.with_matter)
            .filter(|f| *f != "date" || survey.without_matter == 0)
            .collect();
        if required.len() < 3 {
            out.push_str(
                "# Not every front matter has these; the others come from the first\n\
                 # heading, the file name or the text.\n",
            );
            let _ = writeln!(out, "required_fields = {}", list(&required));
        }
    }
    let statuses = unknown_statuses(survey);
    if !statuses.is_empty() {
        let default = Config::default();
        let mut all: Vec<&str> = default.statuses.iter().map(String::as_str).collect();
        all.extend(statuses.iter().map(String::as_str));
        let _ = writeln!(out, "statuses = {}", list(&all));
    }
}

/// Status words the archive uses that the default list lacks.
fn unknown_statuses(survey: &Survey) -> Vec<String> {
    let default = Config::default();
    let keys = survey.keys_for("status");
    let Some(key) = keys.first() else { return Vec::new() };
    if survey.booleans.contains(*key) {
        return Vec::new();
    }
    survey
        .values
        .get(*key)
        .into_iter()
        .flatten()
        .map(|(v, _)| v.clone())
        .filter(|v| default.status(v).is_none() && !v.is_empty() && v.len() <= 40)
        .collect()
}

fn fields(out: &mut String, survey: &Survey) {
    let mut lines = Vec::new();
    for (field, _) in FIELD_KEYS {
        let keys = survey.keys_for(field);
        let own = keys.first().is_some_and(|k| k == field);
        if keys.is_empty() || (own && keys.len() == 1) {
            continue;
        }
        // `summary`/`description` and `duration` are only mapped when the
        // field's own key is missing: a description may be anything.
        if matches!(*field, "summary" | "duration_minutes") && own {
            continue;
        }
        lines.push(format!("{field} = {}", list(&keys)));
    }
    if !lines.is_empty() {
        out.push_str(
            "\n# Front-matter keys of this archive, tried in order, for each field.\n[fields]\n",
        );
        for line in lines {
            out.push_str(&line);
            out.push('\n');
        }
    }
}

/// A severity scale of the archive's own words, when its values are not
/// the default P0..P4 / SEV0..SEV4.
fn severity_scale(out: &mut String, survey: &Survey) {
    let values = survey.values_for("severity");
    let default = Config::default();
    let words: Vec<&String> =
        values.keys().filter(|v| default.severity_rank(v).is_none() && !v.is_empty()).collect();
    if words.is_empty() || words.len() > 8 {
        return;
    }
    let mut ordered: Vec<&String> = words;
    ordered.sort_by_key(|w| {
        SEVERITY_WORDS.iter().position(|k| k == &w.as_str()).unwrap_or(SEVERITY_WORDS.len())
    });
    out.push_str("\n# The severity scale this archive uses, most severe first.\n");
    for (i, word) in ordered.iter().enumerate() {
        let colour = SCALE_COLOURS.get(i).or(SCALE_COLOURS.last()).copied().unwrap_or("#5f6b7a");
        let _ = writeln!(out, "[[severity]]\nname = {}\ncolor = {}", quoted(word), quoted(colour));
    }
}

/// Value maps: a boolean `resolved` becomes a status.
fn values(out: &mut String, survey: &Survey) {
    let keys = survey.keys_for("status");
    if let Some(key) = keys.first().filter(|k| survey.booleans.contains(**k)) {
        let _ = writeln!(
            out,
            "\n# `{key}: true` means the incident is resolved.\n[values.status]\n\"true\" = \"resolved\"\n\"false\" = \"investigating\""
        );
    }
}

/// Lints that would flag most files for how the archive is written, not
/// for a problem of one file: turned off, saying why.
fn lints(out: &mut String, survey: &Survey, docs: &[&Document]) {
    let mut lines = Vec::new();
    if survey.without_matter * 2 > docs.len() {
        lines.push("# Most files have no front matter: their titles and dates are read\n# from headings, file names and text.\nno-front-matter = \"off\"");
    }
    let sectioned = docs
        .iter()
        .filter(|d| d.outline.section_spans.iter().any(|s| s.role != Role::Timeline))
        .count();
    if sectioned * 2 < docs.len() {
        lines.push(
            "# Most write-ups are short notices without sections.\nrequired-section = \"off\"",
        );
    }
    let items: Vec<_> = docs.iter().flat_map(|d| &d.outline.action_items).collect();
    let owned = items.iter().filter(|i| i.owner.is_some()).count();
    if !items.is_empty() && owned * 2 < items.len() {
        lines.push("# Most action items name no owner.\naction-item-owner = \"off\"");
    }
    if !lines.is_empty() {
        out.push_str("\n[lints]\n");
        for line in lines {
            out.push_str(line);
            out.push('\n');
        }
    }
}

/// Headings the archive spells its own way: those recognised only as a
/// misspelling become explicit synonyms; those in several files with no
/// role are listed for the reader to place.
fn sections(out: &mut String, docs: &[&Document]) {
    let names = crate::sections::SectionNames::default();
    let mut seen: BTreeMap<String, (String, usize)> = BTreeMap::new();
    for doc in docs {
        let mut in_doc = BTreeSet::new();
        for h in doc.outline.headings.iter().filter(|h| (2..=3).contains(&h.level)) {
            let key = normal_form(&h.text);
            if in_doc.insert(key.clone()) {
                seen.entry(key).or_insert_with(|| (h.text.clone(), 0)).1 += 1;
            }
        }
    }
    let mut synonyms: BTreeMap<Role, Vec<String>> = BTreeMap::new();
    let mut unplaced = Vec::new();
    for (key, (text, n)) in &seen {
        match names.role_of(text) {
            Some(role) if !names.names_of(role).any(|name| name == key) => {
                let is_prefix = names.names_of(role).any(|name| key.starts_with(name));
                if !is_prefix {
                    synonyms.entry(role).or_default().push(text.clone());
                }
            }
            None if *n >= 2 => unplaced.push(format!("{text} ({n} files)")),
            _ => {}
        }
    }
    if synonyms.is_empty() && unplaced.is_empty() {
        return;
    }
    out.push_str("\n# Section names of this archive, by role.\n[sections]\n");
    for (role, names) in &synonyms {
        let items: Vec<&str> = names.iter().map(String::as_str).collect();
        let _ = writeln!(out, "{} = {}", role.key(), list(&items));
    }
    if !unplaced.is_empty() {
        out.push_str(
            "# Headings in several files that no role claims; add any that holds a\n\
             # summary, cause, impact, resolution, lessons or actions above:\n",
        );
        for h in unplaced.iter().take(12) {
            let _ = writeln!(out, "#   {h}");
        }
    }
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
