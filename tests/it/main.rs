//! Integration tests: build fixture archives into temp dirs and check the
//! output, the diagnostics and the command line.

mod build;
mod cli;
mod hostile;
mod invalid;
mod paths;
mod support;
mod xss;
