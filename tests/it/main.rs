//! Integration tests: build fixture archives into temp dirs and check the
//! output, the diagnostics and the command line.

// Tests may unwrap: a failure is the point.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod archives;
mod browse;
mod build;
mod cli;
mod corpus;
mod exports;
mod followups;
mod hostile;
mod import;
#[cfg(unix)]
mod install;
mod invalid;
mod lints;
mod markdown;
mod owners;
mod pages;
mod paging;
mod paths;
mod publish;
mod review;
mod scaling;
mod serve;
mod stable;
mod stats;
mod support;
mod text;
mod undated;
mod wikis;
mod xss;
