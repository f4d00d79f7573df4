//! Stage 5, render: turn the validated, linked and related incidents into
//! the files of the site, in memory.
//!
//! Inputs: [`RenderInput`]. Outputs: [`OutputFile`]s with paths relative to
//! the output directory. Imports: config, model, markdown, theme and the
//! outputs of the earlier stages. Pages render in parallel from views built
//! once; every internal link is relative to the page (`root` is `../..` on
//! an incident page), so the site works from any sub-path and from disk.

mod data;
mod pages;
mod views;

use std::path::PathBuf;

use rayon::prelude::*;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::model::{Incident, LinkTable};
use crate::theme::Theme;

/// What goes into one output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Contents {
    /// Bytes produced by the build.
    Bytes(Vec<u8>),
    /// A file copied as it is (attachments).
    Copy(PathBuf),
}

/// One file of the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path under the output directory, `/`-separated, never absolute and
    /// never containing `..`.
    pub path: String,
    /// What to write.
    pub contents: Contents,
}

impl OutputFile {
    fn bytes(path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        OutputFile { path: path.into(), contents: Contents::Bytes(bytes.into()) }
    }
}

/// Everything the render stage reads.
pub struct RenderInput<'a> {
    /// Site configuration.
    pub config: &'a Config,
    /// Incidents, newest first.
    pub incidents: &'a [Incident],
    /// Resolved wiki links.
    pub links: &'a LinkTable,
    /// Compiled theme.
    pub theme: &'a Theme,
    /// Attachments (paths relative to the archive root) and the archive root.
    pub attachments: &'a [PathBuf],
    /// The archive root, to locate attachments.
    pub root: &'a std::path::Path,
    /// The build day (see [`crate::site::build_date_from_env`]).
    pub build_date: jiff::civil::Date,
}

/// Renders every file of the site.
pub fn render_site(input: &RenderInput<'_>) -> Result<Vec<OutputFile>> {
    let ctx = pages::Shared::new(input);
    let mut files: Vec<OutputFile> = Vec::new();

    let incident_pages: Vec<Result<OutputFile>> =
        (0..input.incidents.len()).into_par_iter().map(|i| ctx.incident_page(i)).collect();
    for page in incident_pages {
        files.push(page?);
    }
    files.push(ctx.index_page()?);
    files.extend(ctx.term_pages()?);
    files.push(ctx.not_found_page()?);
    files.push(OutputFile::bytes("incidents.json", data::incidents_json(&ctx)));
    files.extend(ctx.static_files());
    files.extend(ctx.attachments());
    // Stable: of two files with one path, the generated page (pushed before
    // the attachments) is kept, so an attachment named `index.html` cannot
    // replace an incident page.
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files.dedup_by(|later, earlier| later.path == earlier.path);
    Ok(files)
}

fn template_error(name: &str, err: tera::Error) -> Error {
    Error::Template { name: name.to_string(), message: format!("{err:#}") }
}
