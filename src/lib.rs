//! hindsight: a static site generator for postmortem (RCA) archives.
//!
//! The library is laid out as the pipeline it is. Each stage depends only on
//! the stages before it and on the model:
//!
//! - layer 0: `diag` (diagnostics), `error` (fatal errors)
//! - layer 1: `config`, `model`, `markdown` (scan and HTML)
//! - stages: `load` → `validate` → `links` → `lints` → `related` →
//!   `render` → `output`
//! - orchestration: `site`, [`serve`]; the code catalogue is [`codes`]
//!
//! The API is what the crate root exports: [`Site`] (open, check, build),
//! [`BuildOptions`], [`BuildReport`], [`WriteStats`], [`Config`],
//! [`Diagnostic`], [`Diagnostics`], [`Level`], [`Error`], [`Result`]. The
//! binary's other commands each have a public module: [`adopt`],
//! [`import`], [`scaffold`], [`serve`], [`report`] (printing diagnostics)
//! and [`codes`] (`check --explain`). Every other module is private to the
//! crate; [`internals`] lends single stages to the tests, benchmarks and
//! fuzz targets.

pub mod adopt;
mod attach;
pub mod codes;
mod config;
mod dates;
mod diag;
mod error;
pub mod import;
mod links;
mod lints;
mod load;
mod markdown;
mod metrics;
mod model;
mod output;
mod related;
mod render;
pub mod report;
pub mod scaffold;
mod sections;
pub mod serve;
mod site;
mod text;
mod theme;
mod validate;

pub use config::Config;
pub use diag::{Diagnostic, Diagnostics, Level};
pub use error::{Error, Result};
pub use output::WriteStats;
pub use site::{BuildOptions, BuildReport, Site, build_date_from_env};

/// Single stages of the pipeline, for the integration tests, the
/// benchmarks and the fuzz targets, which drive a stage on its own
/// (load one file, validate, link, relate, render) where the public API
/// only runs them all. Not a stable API: it follows the stages as they
/// change, and is hidden from the documentation for that reason.
#[doc(hidden)]
pub mod internals {
    pub use crate::links::link;
    pub use crate::load::{load_archive, parse_document, source_from_bytes};
    pub use crate::model::Incident;
    pub use crate::related::{RelatedGraph, relate};
    pub use crate::render::{Collect, RenderInput, render_site};
    pub use crate::text::search_tokens;
    pub use crate::theme::{TEMPLATES, Theme, load_theme};
    pub use crate::validate::{incident_from, validate};
}
