//! The suggested `hindsight.toml` as text, one part at a time: the
//! top-level keys, `[fields]`, the severity scale, `[values]`, `[lints]`
//! and `[sections]`, each with a comment saying why it is there and each
//! left out when the defaults already fit the archive.
//!
//! Inputs: the [`Survey`] and the surveyed [`Document`]s. Outputs: lines
//! appended to the text [`super::suggest`] parses back as a [`Config`].
//! Imports: config, load, model, sections and the survey.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use super::survey::{FIELD_KEYS, Survey};
use crate::config::Config;
use crate::load;
use crate::model::Document;
use crate::sections::{Role, normal_form};

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
    // Astro's blog template, Eleventy, Zola, Docusaurus.
    "heroImage",
    "updatedDate",
    "eleventyNavigation",
    "eleventyExcludeFromCollections",
    "template",
    "sidebar_position",
    "sidebar_label",
    "hide_table_of_contents",
];

/// Severity words from most to least severe, for ordering a scale made
/// of the words an archive uses.
/// A status report's colours (red, amber, green) rank as their words do.
const SEVERITY_WORDS: &[&str] = &[
    "critical",
    "emergency",
    "blocker",
    "down",
    "outage",
    "red",
    "major",
    "high",
    "severe",
    "amber",
    "orange",
    "disrupted",
    "degraded",
    "medium",
    "moderate",
    "yellow",
    "minor",
    "low",
    "green",
    "notice",
    "maintenance",
    "info",
    "informational",
    "cosmetic",
];

/// Badge colours of a suggested scale, most severe first; each passes
/// WCAG AA against white text in the default theme.
const SCALE_COLOURS: &[&str] = &["#b42318", "#c2410c", "#8a5a00", "#2f6fb3", "#5f6b7a"];

/// The badge colour of a level named by a colour: a green level is not
/// drawn in the scale's orange. Each passes WCAG AA against white text.
fn named_colour(level: &str) -> Option<&'static str> {
    Some(match level {
        "red" => "#b42318",
        "amber" | "orange" => "#b45309",
        "yellow" => "#8a5a00",
        "green" => "#2e7d32",
        "blue" => "#2f6fb3",
        _ => return None,
    })
}

/// A TOML string literal.
fn quoted(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn list(items: &[&str]) -> String {
    let items: Vec<String> = items.iter().map(|s| quoted(s)).collect();
    format!("[{}]", items.join(", "))
}

pub(super) fn top_level(
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
    // A Dendron vault's note ids and update times (milliseconds since
    // 1970) are the tool's; `id` elsewhere may be the incident's own.
    let dendron = ["id", "desc", "updated", "created"].iter().all(|k| survey.keys.contains_key(*k));
    let dendron_keys: &[&str] = if dendron { &["id", "updated"] } else { &[] };
    // A Joplin export gives each note the place it was written and the
    // time it was last edited, neither of them the incident's.
    let joplin = ["latitude", "longitude", "altitude"].iter().all(|k| survey.keys.contains_key(*k));
    let joplin_keys: &[&str] =
        if joplin { &["latitude", "longitude", "altitude", "updated"] } else { &[] };
    let hidden: Vec<&str> = BOOKKEEPING_KEYS
        .iter()
        .chain(dendron_keys)
        .chain(joplin_keys)
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

pub(super) fn fields(out: &mut String, survey: &Survey) {
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

/// A severity scale of the archive's own words, when its values are words
/// rather than numbered levels (P1, SEV-2, "Sev 1"). Words the default
/// scale reads by its labels ("critical", "minor") are part of the
/// archive's scale all the same: next to "major" they mean its levels.
///
/// An archive that numbers some of its levels keeps the default scale: a
/// scale of its words would leave its "sev3" and "P2 - Major" unknown.
pub(super) fn severity_scale(out: &mut String, survey: &Survey) {
    let values = survey.values_for("severity");
    let numbered = |v: &str| {
        let level = crate::config::level_before_label(v).unwrap_or(v);
        crate::config::severity_number(level).is_some()
    };
    if values.keys().any(|v| numbered(v)) {
        return;
    }
    let words: Vec<&String> = values.keys().filter(|v| !v.trim().is_empty()).collect();
    if words.is_empty() || words.len() > 8 {
        return;
    }
    let mut ordered: Vec<&String> = words;
    ordered.sort_by_key(|w| {
        SEVERITY_WORDS.iter().position(|k| k == &w.as_str()).unwrap_or(SEVERITY_WORDS.len())
    });
    out.push_str("\n# The severity scale this archive uses, most severe first.\n");
    for (i, word) in ordered.iter().enumerate() {
        let colour = named_colour(word)
            .or_else(|| SCALE_COLOURS.get(i).or(SCALE_COLOURS.last()).copied())
            .unwrap_or("#5f6b7a");
        let _ = writeln!(out, "[[severity]]\nname = {}\ncolor = {}", quoted(word), quoted(colour));
    }
}

/// Value maps: a boolean `resolved` becomes a status; an author's key in
/// the blog's file of authors (`authors`: the file and its names) becomes
/// the name it gives.
pub(super) fn values(
    out: &mut String,
    survey: &Survey,
    authors: Option<&(String, Vec<(String, String)>)>,
) {
    let keys = survey.keys_for("status");
    if let Some(key) = keys.first().filter(|k| survey.booleans.contains(**k)) {
        let _ = writeln!(
            out,
            "\n# `{key}: true` means the incident is resolved.\n[values.status]\n\"true\" = \"resolved\"\n\"false\" = \"investigating\""
        );
    }
    if let Some((file, names)) = authors {
        let _ = writeln!(out, "\n# Authors named by their key in {file}.\n[values.author]");
        for (key, name) in names {
            let _ = writeln!(out, "{} = {}", quoted(key), quoted(name));
        }
    }
}

/// Lints that would flag most files for how the archive is written, not
/// for a problem of one file: turned off, saying why.
pub(super) fn lints(out: &mut String, survey: &Survey, docs: &[&Document]) {
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
pub(super) fn sections(out: &mut String, docs: &[&Document]) {
    let names = crate::sections::SectionNames::default();
    let mut seen: BTreeMap<String, (String, usize)> = BTreeMap::new();
    for doc in docs {
        let mut in_doc = BTreeSet::new();
        // The level of the heading of the section with a role being read.
        let mut in_role: Option<u8> = None;
        for h in &doc.outline.headings {
            if in_role.is_some_and(|level| h.level <= level) {
                in_role = None;
            }
            // Under a section with a role, a heading is part of it ("What
            // worked" under "Lessons learned").
            let part_of_role = in_role.is_some();
            if !part_of_role && names.role_of(&h.text).is_some() {
                in_role = Some(h.level);
            }
            // A file's own title written as `## `, a time or a day heading
            // a timeline row: no section names.
            let no_section = part_of_role
                || !(2..=3).contains(&h.level)
                || doc.outline.first_heading.as_deref() == Some(h.text.as_str())
                || crate::markdown::heading_time(&h.text).is_some()
                || crate::dates::opening_date(h.text.trim_start_matches(['[', '*', '_'])).is_some();
            let key = normal_form(&h.text);
            if !no_section && in_doc.insert(key.clone()) {
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
            // `## Severity`, `## Key information`: fields, read as such.
            None if *n >= 2 && !crate::load::heading_holds_fields(text) => {
                unplaced.push(format!("{text} ({n} files)"));
            }
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
