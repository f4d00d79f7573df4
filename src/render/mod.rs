//! Stage 5, render: turn the validated, linked and related incidents into
//! the files of the site, in memory.
//!
//! Inputs: [`RenderInput`]. Outputs: [`OutputFile`]s with paths relative to
//! the output directory. Imports: config, model, markdown, theme and the
//! outputs of the earlier stages. Pages render in parallel from views built
//! once; every internal link is relative to the page (`root` is `../..` on
//! an incident page), so the site works from any sub-path and from disk.

mod actions;
mod browse;
mod color;
mod data;
mod feeds;
mod forge;
mod graph;
mod layout;
mod list_data;
mod lists;
mod owner;
mod pager;
mod pages;
mod search;
mod shared;
mod splice;
mod stats;
mod svg;
mod timeline;
mod views;
mod xml;

use std::path::PathBuf;

use rayon::prelude::*;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::model::{Incident, IncidentIdx, LinkTable};
use crate::related::RelatedGraph;
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
    /// Resolved wiki links, of `incidents`: a list per incident, and every
    /// index in it names one of them.
    pub links: &'a LinkTable,
    /// Related incidents and clusters, of `incidents` alike.
    pub related: &'a RelatedGraph,
    /// Compiled theme.
    pub theme: &'a Theme,
    /// Attachments (paths relative to the archive root) and the archive root.
    pub attachments: &'a [PathBuf],
    /// The archive root, to locate attachments.
    pub root: &'a std::path::Path,
    /// The build day (see [`crate::site::build_date_from_env`]).
    pub build_date: jiff::civil::Date,
}

/// Where rendered files go, as soon as each is ready: the output stage's
/// staging folder in a build, so no build holds the whole site in memory.
/// Called from many threads at once.
pub trait Emit: Sync {
    /// Takes one finished file.
    fn emit(&self, file: OutputFile) -> Result<()>;

    /// An error when the receiver no longer wants the site (`serve` after
    /// a newer change): long steps ask between files, so a render gives up
    /// without finishing work nobody will see.
    fn wanted(&self) -> Result<()> {
        Ok(())
    }
}

/// Collects files in memory (tests, and callers that want the bytes).
#[derive(Debug, Default)]
pub struct Collect(std::sync::Mutex<Vec<OutputFile>>);

impl Collect {
    /// The files, sorted by path.
    pub fn into_files(self) -> Vec<OutputFile> {
        let mut files = self.0.into_inner().unwrap_or_else(|e| e.into_inner());
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files
    }
}

impl Emit for Collect {
    fn emit(&self, file: OutputFile) -> Result<()> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).push(file);
        Ok(())
    }
}

/// Passes files on and remembers their paths, for the sitemap.
struct Recording<'a> {
    out: &'a dyn Emit,
    paths: std::sync::Mutex<Vec<String>>,
}

impl Emit for Recording<'_> {
    fn emit(&self, file: OutputFile) -> Result<()> {
        self.paths.lock().unwrap_or_else(|e| e.into_inner()).push(file.path.clone());
        self.out.emit(file)
    }

    fn wanted(&self) -> Result<()> {
        self.out.wanted()
    }
}

pub(crate) use shared::Views;

/// Renders every file of the site into `out`.
pub fn render_site(input: &RenderInput<'_>, out: &dyn Emit) -> Result<()> {
    render_site_keeping(input, out).map(drop)
}

/// [`render_site`], giving back the views it computed so that `serve` can
/// later re-render single pages with [`render_incident_pages`].
pub(crate) fn render_site_keeping(input: &RenderInput<'_>, out: &dyn Emit) -> Result<Views> {
    out.wanted()?;
    let mut ctx = shared::Shared::new(input);
    ctx.render_rows(out)?;
    let out = Recording { out, paths: std::sync::Mutex::new(Vec::new()) };
    // The site-wide pages are few but large: they render one after the
    // other (each using every core where it can) while the incident pages
    // fill the remaining cores, so the build's peak memory is the largest
    // of them, not their sum. Each step first asks whether the site is
    // still wanted.
    let site_wide = || -> Result<()> {
        let emit_all = |files: Vec<OutputFile>| files.into_iter().try_for_each(|f| out.emit(f));
        out.wanted()?;
        actions::action_files(&ctx, &out)?;
        out.wanted()?;
        ctx.graph_files(&out)?;
        timeline::timeline_pages(&ctx, &out)?;
        out.wanted()?;
        out.emit(OutputFile::bytes("incidents.json", data::incidents_json(&ctx, &out)?))?;
        emit_all(ctx.index_pages()?)?;
        emit_all(list_data::files(&ctx))?;
        out.emit(stats::stats_page(&ctx)?)?;
        out.wanted()?;
        emit_all(feeds::feed_files(&ctx))?;
        out.emit(ctx.not_found_page()?)?;
        emit_all(ctx.static_files())?;
        emit_all(ctx.attachments())?;
        ctx.term_pages(&out)
    };
    let search = search::SearchTokens::new(input.incidents.len());
    let incident_pages = || {
        (0..input.incidents.len()).into_par_iter().map(IncidentIdx::new).try_for_each(|i| {
            ctx.incident_page(i, Some(&search))?.map_or(Ok(()), |page| out.emit(page))
        })
    };
    let (pages, others) = rayon::join(incident_pages, site_wide);
    pages?;
    others?;
    // The files that wait for every page (the search index and the
    // sitemap) are built side by side.
    let paths = out.paths.into_inner().unwrap_or_else(|e| e.into_inner());
    let (index, sitemap) = rayon::join(
        || search.into_files(&ctx.views.rows),
        || {
            let paths: Vec<&str> = paths.iter().map(String::as_str).collect();
            feeds::sitemap(&ctx, &paths)
        },
    );
    index.into_iter().try_for_each(|f| out.out.emit(f))?;
    out.out.emit(sitemap)?;
    Ok(ctx.into_views())
}

/// Renders the pages of the incidents `pages` again after incident
/// `edited` changed in place (same names, date, severity, services, tags
/// and status), from the views of the render before: `serve`'s path for a
/// one-file edit. Returns the refreshed views, and the pages with the
/// attachments beside the edited incident's page.
pub(crate) fn render_incident_pages(
    input: &RenderInput<'_>,
    views: Views,
    edited: IncidentIdx,
    pages: &[IncidentIdx],
) -> (Views, Result<Vec<OutputFile>>) {
    let mut ctx = shared::Shared::with_views(input, views);
    let files = ctx.refresh(edited).and_then(|()| {
        let rendered: Vec<Option<OutputFile>> =
            pages.par_iter().map(|&i| ctx.incident_page(i, None)).collect::<Result<_>>()?;
        let mut files: Vec<OutputFile> = rendered.into_iter().flatten().collect();
        files.extend(ctx.incident_attachments(edited));
        Ok(files)
    });
    (ctx.into_views(), files)
}

fn template_error(name: &str, err: tera::Error) -> Error {
    Error::Template { name: name.to_string(), source: err }
}
