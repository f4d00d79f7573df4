//! Stage 2, validate: type each document's front matter into an [`Incident`],
//! apply the archive-wide rules (unique slugs, one spelling per service and
//! tag), and type the timeline and
//! action-item rows.
//!
//! Inputs: the load stage's [`Document`]s and [`Config`]. Outputs:
//! [`Validated`]. Imports: diag, config, model. One document's fields are
//! typed in `incident`, its timeline and action rows in `rows`, spellings
//! merged in `terms`; the
//! archive-wide rules are here. One rule, one function; a
//! problem in a required field (title, date, severity, slug) keeps the file
//! out of the site, a problem in an optional field drops only that field.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::Config;
use crate::diag::Diagnostic;
use crate::model::{Document, Incident, Slug, newest_first};

mod fields;
mod incident;
mod people;
mod rows;
mod terms;

pub use incident::incident_from;

/// What the validate stage produced.
#[derive(Debug, Default)]
pub struct Validated {
    /// Incidents to build, newest first, undated last, then by slug.
    pub incidents: Vec<Incident>,
    /// Slugs of drafts left out of this build, so links to them can say so.
    pub drafts: Vec<Slug>,
    /// The folder's own pages (a readme, a section index) left out of this
    /// build, relative to the root, so links to them can say so.
    pub left_out: Vec<PathBuf>,
    /// Problems found.
    pub diagnostics: Vec<Diagnostic>,
}

/// Types every document and applies the archive-wide rules.
pub fn validate<D: Into<Arc<Document>> + Send>(
    documents: Vec<D>,
    config: &Config,
    include_drafts: bool,
) -> Validated {
    let typed: Vec<(Option<Incident>, Vec<Diagnostic>, Option<Failed>)> = documents
        .into_par_iter()
        .map(|doc| {
            let doc: Arc<Document> = doc.into();
            let (incident, diagnostics) = incident_from(Arc::clone(&doc), config);
            let failed = match incident {
                None => failed(&doc, config, include_drafts),
                Some(_) => folder_page_dated_in_prose(&doc, config),
            };
            let incident = incident.filter(|_| failed.is_none());
            (incident, diagnostics, failed)
        })
        .collect();
    let mut out = Validated::default();
    let mut incidents = Vec::with_capacity(typed.len());
    for (incident, diagnostics, failed) in typed {
        match failed {
            Some(Failed::Draft(slug, file)) => {
                left_out_unfinished(diagnostics, slug, &file, &mut out);
            }
            Some(Failed::FolderPage(what, file)) => {
                out.diagnostics.push(folder_page_left_out(what, &file));
                out.left_out.push(file);
            }
            None => out.diagnostics.extend(diagnostics),
        }
        incidents.extend(incident);
    }
    // Documents arrive in path order, so "first" below is stable.
    incidents = dedupe_slugs(incidents, &mut out.diagnostics);
    for incident in incidents {
        if incident.draft && !include_drafts {
            out.diagnostics.push(draft_left_out(incident.rel_path()));
            out.drafts.push(incident.slug);
        } else {
            out.incidents.push(incident);
        }
    }
    terms::merge_spellings(&mut out.incidents);
    summaries_past_banners(&mut out.incidents);
    people::owners_named_first(&mut out.incidents);
    out.incidents = newest_first_in_parallel(out.incidents);
    out.drafts.sort();
    out
}

/// Write-ups that open with the same paragraph at least this many times
/// open with a banner, not their summary.
const BANNER_FILES: usize = 3;

/// Summaries past a banner: a paragraph several write-ups open with ("This
/// is a blameless review; …", a template's reminder) says nothing of any
/// of them, so a summary taken from it is taken from the paragraph after
/// it instead. Summaries the files write, as fields or in a summary
/// section, stay, as does one with no other paragraph after it.
fn summaries_past_banners(incidents: &mut [Incident]) {
    let mut seen: HashMap<&str, usize> = HashMap::with_capacity(incidents.len());
    for incident in incidents.iter().filter(|i| !i.summary_written && !i.summary.is_empty()) {
        *seen.entry(incident.summary.as_str()).or_default() += 1;
    }
    let banners: std::collections::HashSet<String> = seen
        .into_iter()
        .filter(|(_, n)| *n >= BANNER_FILES)
        .map(|(summary, _)| summary.to_string())
        .collect();
    if banners.is_empty() {
        return;
    }
    for incident in incidents.iter_mut().filter(|i| !i.summary_written) {
        let outline = &incident.doc.outline;
        let from_first = outline.summary_section.is_none() && outline.summary_item.is_none();
        if !from_first || !banners.contains(&incident.summary) {
            continue;
        }
        if let Some(next) = outline.next_paragraph.as_deref().filter(|n| !banners.contains(*n)) {
            incident.summary = next.split_whitespace().collect::<Vec<_>>().join(" ");
        }
    }
}

/// A document whose fields could not be typed, when that is not an error.
enum Failed {
    /// A draft, left out as every draft is: its slug, from its file name,
    /// and its file.
    Draft(Slug, PathBuf),
    /// The page of the folder around the postmortems (what it is, and its
    /// file): the site's or the wiki's own, not a write-up.
    FolderPage(&'static str, PathBuf),
}

/// Why a document that could not be typed is no error, if it is none.
fn failed(doc: &Document, config: &Config, include_drafts: bool) -> Option<Failed> {
    let source = &doc.source;
    // Under its own key or a mapped one.
    let fields = fields::Fields::new(doc, config);
    if !include_drafts && matches!(fields.get("draft"), Some(crate::model::RawValue::Bool(true))) {
        // A draft too unfinished to type is still a draft.
        return Some(Failed::Draft(
            Slug::new(slug_from_stem(&source.stem)),
            source.rel_path.clone(),
        ));
    }
    let what = folder_page(source)?;
    // A date or a severity says its author meant a postmortem: what is
    // missing is then an error to fix.
    (fields.get("date").is_none() && fields.get("severity").is_none())
        .then(|| Failed::FolderPage(what, source.rel_path.clone()))
}

/// A folder's own page that typed only because its text names a day
/// ("Last updated 2024-03-01"): with no date and no severity as a field and
/// no section a postmortem has but a summary, it is the folder's readme,
/// not a write-up, and is left out as one that names no day is.
fn folder_page_dated_in_prose(doc: &Document, config: &Config) -> Option<Failed> {
    let what = folder_page(&doc.source)?;
    let fields = fields::Fields::new(doc, config);
    let has_field = fields.get("date").is_some() || fields.get("severity").is_some();
    let outline = &doc.outline;
    let postmortem_section =
        outline.section_spans.iter().any(|span| span.role != crate::sections::Role::Summary);
    (!has_field && !postmortem_section && outline.timeline.is_empty())
        .then(|| Failed::FolderPage(what, doc.source.rel_path.clone()))
}

/// What the page `source` is, when its name and place make it the page of
/// the folder around the postmortems rather than one of them: a Hugo or
/// Zola section's `_index.md` anywhere, and at the top of the content
/// folder a readme, an index or home page, or a wiki's sidebar or footer.
/// (A `README.md` or `index.md` deeper down is a write-up's own folder.)
fn folder_page(source: &crate::model::Source) -> Option<&'static str> {
    let stem = source.rel_path.file_stem()?.to_str()?;
    let what = crate::model::site_page(stem)?;
    (source.folder.is_empty() || stem.eq_ignore_ascii_case("_index")).then_some(what)
}

/// The note that accounts for a folder's own page left out.
fn folder_page_left_out(what: &str, file: &Path) -> Diagnostic {
    Diagnostic::note(
        "RCA008",
        format!("left out: {what}, not a postmortem (it has no date and no severity)"),
    )
    .in_file(file)
    .with_help("give it a date and a severity to publish it as a postmortem")
}

/// Accounts for a draft whose fields could not be typed: it is left out,
/// as every draft is without `--drafts`, so what keeps it from building is
/// a warning for its author, not an error that fails the build; with
/// `--drafts` those are errors again.
fn left_out_unfinished(diagnostics: Vec<Diagnostic>, slug: Slug, file: &Path, out: &mut Validated) {
    out.diagnostics.extend(diagnostics.into_iter().map(|d| match d.level {
        crate::diag::Level::Error => Diagnostic { level: crate::diag::Level::Warning, ..d },
        _ => d,
    }));
    out.diagnostics.push(draft_left_out(file));
    out.drafts.push(slug);
}

/// The note that accounts for a draft left out of the build.
fn draft_left_out(file: &Path) -> Diagnostic {
    Diagnostic::note("RCA009", "draft: left out of the build")
        .in_file(file)
        .with_help("build with --drafts to include it")
}

/// `incidents` sorted by [`newest_first`] on every core. The sort is
/// stable, so incidents that compare equal keep their path order.
fn newest_first_in_parallel(mut incidents: Vec<Incident>) -> Vec<Incident> {
    incidents.par_sort_by(newest_first);
    incidents
}

/// Reports front-matter slugs used twice (the later file is left out) and
/// disambiguates slugs that collide only after being derived from file names.
/// Incidents stay in path order; the slugs are decided first, reading, and
/// then written back beside each incident.
fn dedupe_slugs(mut incidents: Vec<Incident>, diagnostics: &mut Vec<Diagnostic>) -> Vec<Incident> {
    if !incidents.is_sorted_by(|a, b| a.rel_path() <= b.rel_path()) {
        incidents.sort_by(|a, b| a.rel_path().cmp(b.rel_path()));
    }
    // A slug written as it is used; one made from a path or capitals
    // (RCA016) yields, as one made from a file name does.
    let explicit = |i: &Incident| {
        i.doc.matter.get("slug").and_then(crate::model::scalar_string).as_deref()
            == Some(i.slug.as_str())
    };
    // Per incident, in path order: kept (with the slug it ends with, when it
    // differs from the one it has), or left out.
    let mut decisions: Vec<SlugDecision> = Vec::with_capacity(incidents.len());
    {
        // Slug → the file of the incident that has it.
        let mut owners: HashMap<Slug, &std::path::Path> = HashMap::with_capacity(incidents.len());
        // Explicit slugs claim their names first, so a derived slug never
        // steals one.
        for incident in &incidents {
            if !explicit(incident) {
                decisions.push(SlugDecision::Keep);
                continue;
            }
            if let Some(first) = owners.get(&incident.slug) {
                let offset = incident.doc.key_offsets.get("slug").copied().unwrap_or(0);
                diagnostics.push(
                    Diagnostic::error(
                        "RCA017",
                        format!(
                            "slug `{}` is already used by `{}`",
                            incident.slug,
                            first.display()
                        ),
                    )
                    .at(incident.rel_path(), &incident.doc.source.text, offset..offset)
                    .with_help("give one of the files another `slug`"),
                );
                decisions.push(SlugDecision::LeaveOut);
            } else {
                owners.insert(incident.slug.clone(), incident.rel_path());
                decisions.push(SlugDecision::Keep);
            }
        }
        // Per slug, the suffix its next copy tries first: the ones below it
        // are taken for good, and trying them again for each of thousands of
        // files named alike was quadratic.
        let mut next_suffix: HashMap<Slug, usize> = HashMap::new();
        let derived = incidents.iter().zip(decisions.iter_mut()).filter(|(i, _)| !explicit(i));
        for (incident, decision) in derived {
            let base = &incident.slug;
            let Some(first) = owners.get(base) else {
                owners.insert(base.clone(), incident.rel_path());
                continue;
            };
            let mut n = next_suffix.get(base).copied().unwrap_or(2);
            while owners.contains_key(format!("{base}-{n}").as_str()) {
                n += 1;
            }
            next_suffix.insert(base.clone(), n + 1);
            let slug = Slug::new(format!("{base}-{n}"));
            diagnostics.push(
                Diagnostic::warning(
                    "RCA018",
                    format!(
                        "{} `{base}`, already used by `{}`; using `{slug}`",
                        if incident.doc.matter.contains_key("slug") {
                            "`slug` becomes"
                        } else {
                            "file name gives slug"
                        },
                        first.display()
                    ),
                )
                .in_file(incident.rel_path())
                .with_help("set a `slug` in the front matter to choose the URL"),
            );
            owners.insert(slug.clone(), incident.rel_path());
            *decision = SlugDecision::Rename(slug);
        }
    }
    incidents
        .into_iter()
        .zip(decisions)
        .filter_map(|(mut incident, decision)| match decision {
            SlugDecision::Keep => Some(incident),
            SlugDecision::Rename(slug) => {
                incident.slug = slug;
                Some(incident)
            }
            SlugDecision::LeaveOut => None,
        })
        .collect()
}

/// What [`dedupe_slugs`] does with one incident.
enum SlugDecision {
    /// Built under the slug it has.
    Keep,
    /// Built under another slug, its own being taken.
    Rename(Slug),
    /// Left out: its explicit slug is another file's.
    LeaveOut,
}

/// True for slugs made of `a-z`, `0-9` and single inner dashes.
pub(crate) fn is_valid_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 200
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// A URL-safe slug from any file name: written in ASCII first (accents
/// dropped, other scripts transliterated: "título" → "titulo", "障害" →
/// "zhang-hai"), then ASCII letters and digits lowercased and everything
/// else folded into single dashes. A name in another script so gets a slug
/// of its own, which does not change when other files come and go, where
/// dropping its letters gave every such file the same slug and numbered
/// them in file order.
pub(crate) fn slug_from_stem(stem: &str) -> String {
    // Notion names an exported page "<title> <32-hex id>": the id says
    // nothing to a reader of the address.
    let stem = match stem.trim_end().rsplit_once(' ') {
        Some((name, id))
            if id.len() == 32
                && id.bytes().all(|b| b.is_ascii_hexdigit())
                && !name.trim().is_empty() =>
        {
            name
        }
        _ => stem,
    };
    let ascii = deunicode::deunicode_with_tofu(stem, "-");
    let mut out = String::new();
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-');
    let out: String = out.chars().take(200).collect();
    if out.is_empty() { "incident".to_string() } else { out }
}

#[cfg(test)]
mod tests;
