//! hindsight: a static site generator for postmortem (RCA) archives.
//!
//! The library is laid out as the pipeline it is. Each stage depends only on
//! the stages before it and on the model:
//!
//! - layer 0: [`diag`] (diagnostics), [`error`] (fatal errors)
//! - layer 1: [`config`], [`model`], `markdown` (scan and HTML)
//! - stages: [`load`] → [`validate`] → [`links`] → `lints` → [`related`] →
//!   [`render`] → `output`
//! - orchestration: [`site`], [`serve`]; the code catalogue is [`codes`]
//!
//! The API is what the crate root re-exports: [`Site`] (open, check,
//! build), [`BuildOptions`], [`BuildReport`], [`Config`], [`Diagnostic`],
//! [`Error`]. The modules still public beyond those serve the command line
//! (`adopt`, `import`, `scaffold`, `serve`, `report`, `codes`) and the
//! tests, benchmarks and fuzz targets, which drive single stages (`load`,
//! `validate`, `links`, `related`, `render`, `theme`). Modules nothing
//! outside the crate needs are `pub(crate)`.

pub mod adopt;
pub(crate) mod attach;
pub mod codes;
pub mod config;
pub(crate) mod dates;
pub mod diag;
pub mod error;
pub mod import;
pub mod links;
pub(crate) mod lints;
pub mod load;
pub(crate) mod markdown;
pub(crate) mod metrics;
pub mod model;
pub(crate) mod output;
pub mod related;
pub mod render;
pub mod report;
pub mod scaffold;
pub(crate) mod sections;
pub mod serve;
pub mod site;
pub mod text;
pub mod theme;
pub mod validate;

pub use config::Config;
pub use diag::{Diagnostic, Level};
pub use error::{Error, Result};
pub use output::WriteStats;
pub use site::{BuildOptions, BuildReport, Site};
