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
        /// Report only on these files (paths from the archive root or the
        /// current directory); links still resolve against the whole archive.
        #[arg(long, num_args = 1.., value_name = "PATH")]
        only: Vec<PathBuf>,
        /// Explain a diagnostic code (e.g. RCA030) or lint name, and exit.
        #[arg(long, value_name = "CODE")]
        explain: Option<String>,
    },
    /// Serve the site locally, rebuild on change and reload open pages.
    Serve {
        /// The archive root.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Port; the next free one is used when it is taken.
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Include drafts.
        #[arg(long)]
        drafts: bool,
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
    /// Suggest a hindsight.toml for an existing archive written for another
    /// tool, and dry-run it; changes nothing unless --write is given.
    Adopt {
        /// The archive to read.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Save the suggestion as DIR/hindsight.toml (never overwrites).
        #[arg(long)]
        write: bool,
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
    /// A summary for a pull-request comment or $GITHUB_STEP_SUMMARY.
    Markdown,
}
