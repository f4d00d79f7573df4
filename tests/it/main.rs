//! Integration tests: build fixture archives into temp dirs and check the
//! output, the diagnostics and the command line.

mod build;
mod cli;
mod invalid;
mod lints;
mod serve;
mod stable;
mod support;
