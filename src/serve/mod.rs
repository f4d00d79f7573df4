//! `hindsight serve`: build into memory, serve over HTTP on the loopback,
//! watch the sources, rebuild what a change touches, and reload the open
//! pages that changed.
//!
//! Orchestration layer, beside [`crate::site`]: it runs the same stages but
//! keeps their results in memory, so serving never writes to disk (no
//! output directory is created, replaced or deleted). Inputs: the archive
//! root and [`ServeOptions`]. Imports: the stages, render, diag, error.
//!
//! - [`incremental`] decides what a change costs: one edited incident's page
//!   (then a catch-up of the rest, which a newer change interrupts), or
//!   every stage, re-reading only the files that changed ([`sources`]).
//! - [`served`] holds what is served, swaps rebuilt files in and tells open
//!   pages which paths changed; [`http`] answers requests from it.
//! - HTTP is hyper on a two-thread tokio runtime ([`http`]): connections
//!   and live-reload streams are tasks, bounded in number, with a timeout
//!   for headers, so idle sockets and open tabs never starve a request.
//! - Watching is `notify` over `content/`, `themes/`, `templates/` and
//!   `hindsight.toml`, with a short quiet-time debounce written here
//!   (`rebuild_loop`'s `recv_timeout`), not taken from a debouncer crate:
//!   a running rebuild must learn of a change the moment `notify` sees it
//!   (the change counter that preempts it), which a debouncer delivers
//!   only after its quiet time; `notify-debouncer-mini` also passes on the
//!   access events every build causes by reading the sources, and
//!   `notify-debouncer-full`'s rename tracking and file-id cache (a walk of
//!   the archive when watching starts) serve nothing here, where any
//!   change the edit path cannot take runs every stage.
//! - HTML pages get a `<script src="/__hindsight/reload.js">` (the pages'
//!   CSP allows scripts from 'self', never inline ones) and, while the last
//!   build failed, an overlay listing the errors with file and line. A build
//!   with errors keeps the last good site served.

mod http;
mod incremental;
mod served;
mod sources;

use std::collections::BTreeSet;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use crate::diag::{Diagnostics, Level};
use crate::error::{Error, Result};

pub use http::site_path;
use incremental::{Pipeline, Preempt};
use served::State;

/// Quiet time after a change before rebuilding, so a save that touches
/// several files (or an editor's write-and-rename) rebuilds once. Short,
/// since an edit is served within tens of milliseconds and a newer change
/// interrupts a long rebuild anyway.
const DEBOUNCE: Duration = Duration::from_millis(20);
/// How many ports above the requested one are tried.
const PORT_TRIES: u16 = 100;

/// Options of `hindsight serve`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The archive root.
    pub root: PathBuf,
    /// Address to listen on (the loopback by default).
    pub bind: IpAddr,
    /// First port to try; the next free one is used when it is taken.
    pub port: u16,
    /// Include drafts.
    pub drafts: bool,
}

/// One problem shown in the overlay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverlayItem {
    /// `path:line:col` or `path`, when known.
    pub location: Option<String>,
    /// `error[RCA003]: …` or a fatal error's message.
    pub message: String,
}

impl OverlayItem {
    /// The error-level diagnostics, sorted as reports are.
    fn from_diagnostics(diagnostics: &Diagnostics) -> Vec<OverlayItem> {
        diagnostics
            .sorted()
            .into_iter()
            .filter(|d| d.level == Level::Error)
            .map(|d| OverlayItem {
                location: d.file.as_ref().map(|f| {
                    let f = f.to_string_lossy().replace('\\', "/");
                    match d.position {
                        Some(p) => format!("{f}:{}:{}", p.line, p.column),
                        None => f,
                    }
                }),
                message: format!("{}[{}]: {}", d.level.as_str(), d.code, d.message),
            })
            .collect()
    }

    /// A fatal error (configuration, template), located when it can be.
    fn from_error(root: &Path, e: &Error) -> OverlayItem {
        let relative = |path: &Path| {
            path.strip_prefix(root).unwrap_or(path).to_string_lossy().replace('\\', "/")
        };
        let location = match e {
            Error::Config { path, line, .. } => Some(match line {
                Some(l) => format!("{}:{l}", relative(path)),
                None => relative(path),
            }),
            Error::Template { name, .. } => Some(format!("templates/{name}")),
            _ => None,
        };
        OverlayItem { location, message: format!("error: {}", e.chain()) }
    }
}

/// Which path a rebuild took.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum RebuildKind {
    /// Every stage ran (files that did not change were not parsed again).
    #[default]
    Full,
    /// One incident's file changed: its page (and the pages quoting it)
    /// were rendered again; the rest of the site follows in a catch-up.
    Edit,
    /// The site-wide pages caught up with earlier edits.
    CatchUp,
}

/// What a rebuild did, for the log line and tests.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RebuildStats {
    /// The path the rebuild took.
    pub kind: RebuildKind,
    /// Files whose bytes changed, were added or removed.
    pub changed: usize,
    /// Errors that kept the new build from being served.
    pub errors: usize,
    /// Wall time of the rebuild in milliseconds.
    pub millis: u128,
}

impl RebuildStats {
    /// The log line: `rebuilt in 850 ms: 3 files changed`.
    fn line(&self) -> String {
        let what = match self.kind {
            RebuildKind::Full => "rebuilt",
            RebuildKind::Edit => "page rebuilt",
            RebuildKind::CatchUp => "site caught up",
        };
        let plural = |n: usize| if n == 1 { "" } else { "s" };
        let errors = match self.errors {
            0 => String::new(),
            n => format!(", {n} error{} (last good site kept)", plural(n)),
        };
        format!(
            "{what} in {} ms: {} file{} changed{errors}",
            self.millis,
            self.changed,
            plural(self.changed)
        )
    }
}

/// A running preview server.
pub struct Server {
    listener: std::net::TcpListener,
    state: Arc<State>,
    options: ServeOptions,
    pipeline: Pipeline,
    /// The address actually bound.
    pub addr: SocketAddr,
}

impl Server {
    /// Builds the site and binds the first free port from `options.port`.
    pub fn start(options: ServeOptions) -> Result<Server> {
        let state = Arc::new(State::default());
        let mut pipeline = Pipeline::new(&options.root, options.drafts);
        rebuild(&mut pipeline, &state, &BTreeSet::new(), Preempt::never());
        let mut last_err = None;
        for port in options.port..options.port.saturating_add(PORT_TRIES) {
            match std::net::TcpListener::bind(SocketAddr::new(options.bind, port)) {
                Ok(listener) => {
                    let addr = listener.local_addr().unwrap_or(SocketAddr::new(options.bind, port));
                    return Ok(Server { listener, state, options, pipeline, addr });
                }
                Err(e) => last_err = Some(e),
            }
        }
        Err(Error::NoFreePort {
            first: options.port,
            last: options.port.saturating_add(PORT_TRIES - 1),
            bind: options.bind,
            source: last_err.unwrap_or_else(|| std::io::ErrorKind::AddrInUse.into()),
        })
    }

    /// The site's address, e.g. `http://127.0.0.1:1111/`.
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// Problems of the last build, as shown in the overlay.
    pub fn errors(&self) -> Vec<OverlayItem> {
        self.state.snapshot.read().map(|s| s.errors.clone()).unwrap_or_default()
    }

    /// Watches the sources and serves until the process ends. `log` gets
    /// one line per rebuild.
    pub fn run(self, log: impl Fn(&str) + Send + 'static) -> Result<()> {
        let Server { listener, state, options, pipeline, addr } = self;
        let _watcher = watch(&options.root, pipeline, Arc::clone(&state), log)?;
        http::serve(listener, state).map_err(|source| Error::Serve { addr, source })
    }
}

/// Starts the file watcher and the rebuild thread, which owns the
/// pipeline. The watcher sends the changed source paths (relative to the
/// root) and counts each change first, so a running rebuild can tell that a
/// newer one is waiting. Access events are ignored, since every build opens
/// source files and would otherwise trigger the next build.
fn watch(
    root: &Path,
    pipeline: Pipeline,
    state: Arc<State>,
    log: impl Fn(&str) + Send + 'static,
) -> Result<notify::RecommendedWatcher> {
    use notify::{EventKind, RecursiveMode, Watcher};
    let (tx, rx) = mpsc::channel::<Vec<PathBuf>>();
    let changes = Arc::new(AtomicU64::new(0));
    let counter = Arc::clone(&changes);
    let watch_root = root.to_path_buf();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        let Ok(event) = event else { return };
        if matches!(event.kind, EventKind::Access(_)) {
            return;
        }
        let paths: Vec<PathBuf> =
            event.paths.iter().filter_map(|p| source_path(&watch_root, p)).collect();
        if !paths.is_empty() {
            counter.fetch_add(1, Ordering::SeqCst);
            let _ = tx.send(paths);
        }
    })
    .map_err(|e| watch_error(root, e))?;
    for dir in ["content", "themes", "templates"] {
        let path = root.join(dir);
        if path.is_dir() {
            watcher.watch(&path, RecursiveMode::Recursive).map_err(|e| watch_error(&path, e))?;
        }
    }
    // The root itself, not recursively: for hindsight.toml appearing,
    // changing or going, without watching public/ or target/.
    watcher.watch(root, RecursiveMode::NonRecursive).map_err(|e| watch_error(root, e))?;
    std::thread::spawn(move || rebuild_loop(&rx, pipeline, &state, &changes, log));
    Ok(watcher)
}

/// The rebuild thread: after a change and [`DEBOUNCE`] of quiet, rebuild;
/// while no change waits and an edit left the site behind, catch up. A
/// change arriving meanwhile interrupts a full rebuild or a catch-up, and
/// its paths join the next rebuild.
fn rebuild_loop(
    rx: &mpsc::Receiver<Vec<PathBuf>>,
    mut pipeline: Pipeline,
    state: &State,
    changes: &AtomicU64,
    log: impl Fn(&str),
) {
    let mut changed = BTreeSet::new();
    loop {
        let preempt = Preempt::after(changes);
        let next = if pipeline.owes_catch_up() {
            match rx.try_recv() {
                Ok(paths) => Some(paths),
                Err(mpsc::TryRecvError::Empty) => None,
                Err(mpsc::TryRecvError::Disconnected) => return,
            }
        } else {
            match rx.recv() {
                Ok(paths) => Some(paths),
                Err(_) => return,
            }
        };
        let stats = match next {
            None => catch_up(&mut pipeline, state, preempt),
            Some(paths) => {
                changed.extend(paths);
                while let Ok(paths) = rx.recv_timeout(DEBOUNCE) {
                    changed.extend(paths);
                }
                let stats = rebuild(&mut pipeline, state, &changed, Preempt::after(changes));
                if stats.is_some() {
                    changed.clear();
                }
                stats
            }
        };
        // A temporary file coming and going, or a save that changed no
        // byte, is not worth a line.
        let noop = |s: &RebuildStats| s.kind == RebuildKind::Edit && s.changed + s.errors == 0;
        if let Some(stats) = stats.filter(|s| !noop(s)) {
            log(&stats.line());
        }
    }
}

/// Rebuilds after `changed` and publishes the result; `None` when a newer
/// change preempted the rebuild.
fn rebuild(
    pipeline: &mut Pipeline,
    state: &State,
    changed: &BTreeSet<PathBuf>,
    preempt: Preempt<'_>,
) -> Option<RebuildStats> {
    let started = Instant::now();
    let step = pipeline.rebuild(changed, preempt)?;
    Some(publish(state, step, started))
}

fn catch_up(pipeline: &mut Pipeline, state: &State, preempt: Preempt<'_>) -> Option<RebuildStats> {
    let started = Instant::now();
    let step = pipeline.catch_up(preempt)?;
    Some(publish(state, step, started))
}

fn publish(state: &State, step: incremental::Step, started: Instant) -> RebuildStats {
    let errors = step.errors.len();
    let changed = served::publish(state, step.files, step.errors);
    RebuildStats { kind: step.kind, changed, errors, millis: started.elapsed().as_millis() }
}

fn watch_error(path: &Path, e: notify::Error) -> Error {
    Error::Read { path: path.to_path_buf(), source: std::io::Error::other(e.to_string()) }
}

/// The path relative to the root of a file whose change can change the
/// site, or `None`. Hidden files under `content/` (editor swap and lock
/// files) are not read by the build, so they never interrupt one.
fn source_path(root: &Path, path: &Path) -> Option<PathBuf> {
    let roots =
        [root.canonicalize().ok(), std::path::absolute(root).ok(), Some(root.to_path_buf())];
    let rel = roots.iter().flatten().find_map(|r| path.strip_prefix(r).ok())?;
    let mut parts = rel.components().map(|c| c.as_os_str());
    let first = parts.next()?.to_string_lossy().into_owned();
    let is_source = match first.as_str() {
        crate::load::CONTENT_DIR => !parts.any(crate::load::is_hidden),
        "themes" | "templates" => true,
        // A content folder other than `content/` (`content_dir`): any
        // other visible file may be part of it.
        other => {
            other == crate::config::CONFIG_FILE
                || !(crate::load::is_hidden(std::ffi::OsStr::new(other))
                    || matches!(other, "public" | "target")
                    || parts.any(crate::load::is_hidden))
        }
    };
    is_source.then(|| rel.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_sources_trigger_rebuilds() {
        let root = Path::new("/nonexistent-root");
        let rel = |p: &str| source_path(root, &root.join(p));
        assert_eq!(rel("content/a.md"), Some(PathBuf::from("content/a.md")));
        assert_eq!(rel("hindsight.toml"), Some(PathBuf::from("hindsight.toml")));
        assert!(rel("themes/x/templates/base.html").is_some());
        assert_eq!(rel("content/.2024-01-01-a.md.swp"), None);
        assert_eq!(rel("content/team/.#a.md"), None);
        assert_eq!(rel("public/index.html"), None);
        assert_eq!(rel("target/x"), None);
        assert_eq!(source_path(root, Path::new("/elsewhere/content/a.md")), None);
    }

    #[test]
    fn log_lines_say_which_path_a_rebuild_took() {
        let stats = RebuildStats { kind: RebuildKind::Edit, changed: 1, errors: 0, millis: 12 };
        assert_eq!(stats.line(), "page rebuilt in 12 ms: 1 file changed");
        let stats = RebuildStats { changed: 0, errors: 2, millis: 900, ..RebuildStats::default() };
        assert_eq!(
            stats.line(),
            "rebuilt in 900 ms: 0 files changed, 2 errors (last good site kept)"
        );
    }
}
