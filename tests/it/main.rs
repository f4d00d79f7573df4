//! Integration tests: build fixture archives into temp dirs and check the
//! output, the diagnostics and the command line.

mod browse;
mod build;
mod cli;
mod corpus;
mod followups;
mod import;
mod invalid;
mod lints;
mod serve;
mod stable;
mod support;
