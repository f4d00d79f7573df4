//! The command line, declared with clap derive.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// hindsight: build a browsable site from a folder of postmortems.
#[derive(Debug, Parser)]
#[command(name = "hindsight", version, about, propagate_version = true)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Build the site into the output directory.
    Build {
        /// The archive root (holds content/ and hindsight.toml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output directory [default: <root>/public].
        #[arg(long)]
        output: Option<PathBuf>,
        /// Absolute URL of the published site, for feeds and the sitemap.
        #[arg(long)]
        base_url: Option<String>,
        /// Include drafts.
        #[arg(long)]
        drafts: bool,
        /// Treat warnings as errors.
        #[arg(long)]
        strict: bool,
        /// Diagnostics format.
        #[arg(long, value_enum, default_value_t = FormatArg::Human)]
        format: FormatArg,
        /// Print stage timings and peak memory as JSON on stdout.
        #[arg(long)]
        timings: bool,
    },
    /// Check the archive and report problems; writes nothing.
    Check {
        /// The archive root.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Diagnostics format.
        #[arg(long, value_enum, default_value_t = FormatArg::Human)]
        format: FormatArg,
        /// Treat warnings as errors.
        #[arg(long)]
        strict: bool,
    },
    /// Write a new RCA from the template into content/.
    New {
        /// The incident's title.
        title: String,
        /// Severity level.
        #[arg(long, default_value = "P2")]
        severity: String,
        /// An affected service (repeatable).
        #[arg(long = "service")]
        services: Vec<String>,
        /// Day the incident started [default: today].
        #[arg(long)]
        date: Option<String>,
        /// The archive root.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Turn free-form postmortems into RCA files; never overwrites.
    Import {
        /// Plain-text or markdown postmortems without front matter.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Where to write the RCAs.
        #[arg(long, default_value = "content")]
        out: PathBuf,
    },
    /// Create a new archive: configuration and an example RCA.
    Init {
        /// Where to create it.
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum FormatArg {
    /// rustc-like, with the source line.
    Human,
    /// One line per problem.
    Short,
    /// A JSON array.
    Json,
    /// GitHub Actions annotations.
    Github,
}
