//! Fatal errors: the ones that stop a command before or while it writes.
//!
//! Layer 0. Content problems are not errors but [`crate::diag::Diagnostic`]s;
//! an `Error` means the configuration, the theme or the file system made the
//! whole run impossible. Every variant names the path or key it concerns.

use std::path::PathBuf;

/// A failure that stops the run (exit code 2 at the command line).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The preview server stopped serving.
    #[error("the server at {addr} stopped")]
    Serve {
        /// The address it was bound to.
        addr: std::net::SocketAddr,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// Reading or walking a file or directory failed.
    #[error("cannot read `{path}`")]
    Read {
        /// What could not be read.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// Writing the output failed.
    #[error("cannot write `{path}`{}", write_hint(.source))]
    Write {
        /// What could not be written.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// `hindsight.toml` is not valid.
    #[error("invalid configuration in `{path}`{}: {message}", line.map(|l| format!(" at line {l}")).unwrap_or_default())]
    Config {
        /// The configuration file.
        path: PathBuf,
        /// 1-based line of the offending key, when known.
        line: Option<usize>,
        /// What is wrong, naming the key.
        message: String,
    },
    /// A template failed to parse or render.
    #[error("template `{name}`")]
    Template {
        /// The template's name, e.g. `incident.html`.
        name: String,
        /// The template engine's explanation; its own sources often hold
        /// the useful part (the filter or variable that failed), so print
        /// the whole chain ([`Error::chain`]).
        #[source]
        source: tera::Error,
    },
    /// The output directory exists, holds files, and was not made by hindsight.
    #[error(
        "refusing to replace `{path}`: it is not empty and was not created by hindsight \
         (no `.hindsight-output` marker); remove it or choose another --output"
    )]
    ForeignOutput {
        /// The output directory.
        path: PathBuf,
    },
    /// The output directory would contain or be contained by the content.
    #[error(
        "output directory `{output}` overlaps the archive's `{input}`; choose another --output"
    )]
    OutputOverlaps {
        /// The output directory.
        output: PathBuf,
        /// The input it overlaps.
        input: PathBuf,
    },
    /// A file that `new` or `init` would create already exists.
    #[error("`{path}` already exists; not overwriting it")]
    AlreadyExists {
        /// The existing path.
        path: PathBuf,
    },
    /// The receiver of the rendered files ([`crate::render::Emit::wanted`])
    /// no longer wants them, so the render stopped early. Only a receiver
    /// that asked for this sees it: a build's receiver always wants the
    /// site, and `serve` decides by itself whether it asked.
    #[error("the render stopped: its files were no longer wanted")]
    Unwanted,
    /// Another build holds the lock of the output directory.
    #[error(
        "another hindsight build is writing `{output}` (it holds `{lock}`); \
         wait for it to finish, then build again"
    )]
    Busy {
        /// The output directory.
        output: PathBuf,
        /// The lock file beside it.
        lock: PathBuf,
    },
    /// The archive root (or the folder `adopt` reads) is not a folder.
    #[error("`{path}` is not a directory")]
    NotADirectory {
        /// The path given.
        path: PathBuf,
    },
    /// `serve` found no port it could listen on.
    #[error("no free port from {first} to {last} on {bind}")]
    NoFreePort {
        /// The first port tried.
        first: u16,
        /// The last port tried.
        last: u16,
        /// The address the ports were tried on.
        bind: std::net::IpAddr,
        /// Why the last port failed.
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    /// The message with every source after it (`a: b: c`), for places that
    /// print an error without `anyhow`'s `{:#}`, such as `serve`'s overlay.
    pub fn chain(&self) -> String {
        let mut text = self.to_string();
        let mut source = std::error::Error::source(self);
        while let Some(cause) = source {
            text.push_str(": ");
            text.push_str(&cause.to_string());
            source = cause.source();
        }
        text
    }
}

/// What to do about a failed write, for the errors whose cause the
/// system's message alone leaves unclear.
fn write_hint(source: &std::io::Error) -> &'static str {
    use std::io::ErrorKind;
    match source.kind() {
        ErrorKind::NotADirectory => {
            " (a part of this path is a file, not a folder: remove that file or choose another --output)"
        }
        ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem => {
            " (not allowed here: choose an --output in a folder you can write to)"
        }
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded => {
            " (the disk is full: free some space; the previous site is still whole)"
        }
        ErrorKind::CrossesDevices | ErrorKind::ResourceBusy => {
            " (the output is on another file system than its folder, e.g. a mounted volume: \
             mount its parent folder instead, or choose another --output)"
        }
        _ => "",
    }
}

/// Result alias for fatal errors.
pub type Result<T> = std::result::Result<T, Error>;
