//! hindsight: a static site generator for postmortem (RCA) archives.
//!
//! The library is laid out as the pipeline it is. Each stage depends only on
//! the stages before it and on the model:
//!
//! - layer 0: [`diag`] (diagnostics), [`error`] (fatal errors)
//! - layer 1: [`config`], [`model`], [`markdown`] (scan and HTML)
//! - stages: [`load`] → [`validate`] → [`links`] → [`lints`] → `related` → `render` → `output`
//! - orchestration: [`site`], [`serve`]; the code catalogue is [`codes`]

pub mod adopt;
pub mod attach;
pub mod codes;
pub mod config;
pub mod dates;
pub mod diag;
pub mod error;
pub mod import;
pub mod links;
pub mod lints;
pub mod load;
pub mod markdown;
pub mod metrics;
pub mod model;
pub mod output;
pub mod related;
pub mod render;
pub mod report;
pub mod scaffold;
pub mod sections;
pub mod serve;
pub mod site;
pub mod theme;
pub mod validate;
