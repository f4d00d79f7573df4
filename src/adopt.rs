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
use crate::model::Document;
use crate::site::Site;

use self::suggestion::{fields, lints, sections, severity_scale, top_level, values};
use self::survey::{Survey, excludes, site_authors, site_time_zone};

mod suggestion;
mod survey;

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
    let markdown = load::markdown_files(root, usize::MAX);
    let content_dir = load::likely_content_dir(&markdown);
    let survey_config = Config { content_dir: content_dir.clone(), ..Config::default() };
    let loaded = load::load_archive(root, &survey_config)?;
    let content = Path::new(if content_dir == "." { "" } else { content_dir.as_str() });
    let mut excluded = excludes(&loaded.documents, content);
    // The blog's file of authors is read here, into a value map, and
    // is no attachment of the site.
    let authors = site_authors(root, content);
    if let Some((file, _)) = &authors {
        excluded.push(file.clone());
    }
    // The same matcher the load stage applies to `exclude`.
    let matcher = load::exclude_set(&excluded);
    let docs: Vec<&Document> = loaded
        .documents
        .iter()
        .map(|d| &**d)
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
    values(&mut out, &survey, authors.as_ref());
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
