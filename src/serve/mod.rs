//! `hindsight serve`: build into memory, serve over HTTP on the loopback,
//! watch the sources, rebuild on change, and reload open pages.
//!
//! Orchestration layer, beside [`crate::site`]: it runs [`Site::render`] and
//! keeps the files in memory, so serving never writes to disk (no output
//! directory is created, replaced or deleted). Inputs: the archive root and
//! [`ServeOptions`]. Imports: site, render, diag, error.
//!
//! - HTTP is `tiny_http` (small, synchronous, no async runtime for a local
//!   preview server); every request gets its own thread, since the reload
//!   channel is a long-lived server-sent-events stream.
//! - Watching is `notify` with a 100 ms quiet-time debounce, over `content/`,
//!   `themes/`, `templates/` and `hindsight.toml`.
//! - HTML pages get a `<script src="/__hindsight/reload.js">` (the pages'
//!   CSP allows scripts from 'self', never inline ones) and, while the last
//!   build failed, an overlay listing the errors with file and line. A build
//!   with errors keeps the last good site served.
//! - A rebuild re-runs the pipeline, then swaps in only the files whose
//!   bytes changed, and reloads pages only when something changed.

use std::collections::HashMap;
use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use crate::diag::Level;
use crate::error::{Error, Result};
use crate::render::{Contents, OutputFile};
use crate::site::{BuildOptions, Site};

const RELOAD_JS: &str = include_str!("../themes/default/serve/reload.js");
const OVERLAY_CSS: &str = include_str!("../themes/default/serve/overlay.css");
/// URL prefix of the server's own files; no site file can start with it
/// because render never writes names beginning with `__`.
const PREFIX: &str = "/__hindsight/";
/// Quiet time after a change before rebuilding, so a save that touches
/// several files (or an editor's write-and-rename) rebuilds once.
const DEBOUNCE: Duration = Duration::from_millis(100);
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

/// What a rebuild did, for the log line and tests.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RebuildStats {
    /// Files whose bytes changed, were added or removed.
    pub changed: usize,
    /// Errors that kept the new build from being served.
    pub errors: usize,
    /// Wall time of the rebuild in milliseconds.
    pub millis: u128,
}

#[derive(Default)]
struct Snapshot {
    files: HashMap<String, Arc<Contents>>,
    errors: Vec<OverlayItem>,
    generation: u64,
    has_good_site: bool,
}

/// The served state: the last good site and the reload channels.
#[derive(Default)]
struct State {
    snapshot: RwLock<Snapshot>,
    clients: Mutex<Vec<mpsc::Sender<String>>>,
}

/// A running preview server.
pub struct Server {
    http: Arc<tiny_http::Server>,
    state: Arc<State>,
    options: ServeOptions,
    /// The address actually bound.
    pub addr: SocketAddr,
}

impl Server {
    /// Builds the site and binds the first free port from `options.port`.
    pub fn start(options: ServeOptions) -> Result<Server> {
        let state = Arc::new(State::default());
        rebuild(&options, &state);
        let mut last_err = None;
        for port in options.port..options.port.saturating_add(PORT_TRIES) {
            match tiny_http::Server::http(SocketAddr::new(options.bind, port)) {
                Ok(http) => {
                    let addr = http
                        .server_addr()
                        .to_ip()
                        .unwrap_or_else(|| SocketAddr::new(options.bind, port));
                    return Ok(Server { http: Arc::new(http), state, options, addr });
                }
                Err(e) => last_err = Some(e.to_string()),
            }
        }
        Err(Error::Usage(format!(
            "no free port from {} to {} on {}: {}",
            options.port,
            options.port.saturating_add(PORT_TRIES - 1),
            options.bind,
            last_err.unwrap_or_default()
        )))
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
    pub fn run(self, log: impl Fn(&str) + Send + Sync + 'static) -> Result<()> {
        let log = Arc::new(log);
        let _watcher = self.watch(Arc::clone(&log))?;
        for request in self.http.incoming_requests() {
            let state = Arc::clone(&self.state);
            std::thread::spawn(move || handle(request, &state));
        }
        Ok(())
    }

    /// Starts the file watcher and the rebuild thread. Events are
    /// debounced by hand: after the first change, rebuild once no further
    /// change arrived for [`DEBOUNCE`]. Access events are ignored, since
    /// every build opens every source file and would otherwise trigger the
    /// next build.
    fn watch(
        &self,
        log: Arc<impl Fn(&str) + Send + Sync + 'static>,
    ) -> Result<notify::RecommendedWatcher> {
        use notify::{EventKind, RecursiveMode, Watcher};
        let root = self.options.root.clone();
        let (tx, rx) = mpsc::channel::<()>();
        let watch_root = root.clone();
        let mut watcher =
            notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
                let Ok(event) = event else { return };
                if matches!(event.kind, EventKind::Access(_)) {
                    return;
                }
                if event.paths.iter().any(|p| is_source(&watch_root, p)) {
                    let _ = tx.send(());
                }
            })
            .map_err(|e| watch_error(&root, e))?;
        for dir in ["content", "themes", "templates"] {
            let path = root.join(dir);
            if path.is_dir() {
                watcher
                    .watch(&path, RecursiveMode::Recursive)
                    .map_err(|e| watch_error(&path, e))?;
            }
        }
        // The root itself, not recursively: for hindsight.toml appearing,
        // changing or going, without watching public/ or target/.
        watcher.watch(&root, RecursiveMode::NonRecursive).map_err(|e| watch_error(&root, e))?;

        let options = self.options.clone();
        let state = Arc::clone(&self.state);
        std::thread::spawn(move || {
            while rx.recv().is_ok() {
                while rx.recv_timeout(DEBOUNCE).is_ok() {}
                let stats = rebuild(&options, &state);
                log(&format!(
                    "rebuilt in {} ms: {} file{} changed{}",
                    stats.millis,
                    stats.changed,
                    if stats.changed == 1 { "" } else { "s" },
                    match stats.errors {
                        0 => String::new(),
                        n => format!(
                            ", {n} error{} (last good site kept)",
                            if n == 1 { "" } else { "s" }
                        ),
                    }
                ));
            }
        });
        Ok(watcher)
    }
}

fn watch_error(path: &Path, e: notify::Error) -> Error {
    Error::Read { path: path.to_path_buf(), source: std::io::Error::other(e.to_string()) }
}

/// True for paths whose change can change the site.
fn is_source(root: &Path, path: &Path) -> bool {
    let roots =
        [root.canonicalize().ok(), std::path::absolute(root).ok(), Some(root.to_path_buf())];
    let Some(rel) = roots.iter().flatten().find_map(|r| path.strip_prefix(r).ok()) else {
        return false;
    };
    match rel.components().next().map(|c| c.as_os_str().to_string_lossy().into_owned()) {
        Some(first) => {
            first == crate::config::CONFIG_FILE
                || matches!(first.as_str(), "content" | "themes" | "templates")
        }
        None => false,
    }
}

/// Re-runs the pipeline and swaps in the result when it has no errors (or
/// when there is no good site yet); tells open pages to reload when the
/// served files or the errors changed.
fn rebuild(options: &ServeOptions, state: &State) -> RebuildStats {
    let started = Instant::now();
    let build = BuildOptions { drafts: options.drafts, ..BuildOptions::default() };
    let outcome = Site::open(&options.root).and_then(|site| site.render(&build));
    let (files, errors) = match outcome {
        Ok((files, report)) => {
            let errors: Vec<OverlayItem> = report
                .diagnostics
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
                .collect();
            (Some(files), errors)
        }
        Err(e) => {
            let location = match &e {
                Error::Config { path, line, .. } => Some(match line {
                    Some(l) => format!("{}:{l}", relative(&options.root, path)),
                    None => relative(&options.root, path),
                }),
                Error::Template { name, .. } => Some(format!("templates/{name}")),
                _ => None,
            };
            (None, vec![OverlayItem { location, message: format!("error: {e}") }])
        }
    };
    let mut stats = RebuildStats { errors: errors.len(), ..RebuildStats::default() };
    let Ok(mut snapshot) = state.snapshot.write() else { return stats };
    let mut changed = snapshot.errors != errors;
    if let Some(files) = files.filter(|_| errors.is_empty() || !snapshot.has_good_site) {
        stats.changed = swap_files(&mut snapshot.files, files);
        snapshot.has_good_site = errors.is_empty() || snapshot.has_good_site;
        changed |= stats.changed > 0;
    }
    snapshot.errors = errors;
    if changed {
        snapshot.generation += 1;
        let message = format!("event: reload\ndata: {}\n\n", snapshot.generation);
        if let Ok(mut clients) = state.clients.lock() {
            clients.retain(|c| c.send(message.clone()).is_ok());
        }
    }
    stats.millis = started.elapsed().as_millis();
    stats
}

fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root).unwrap_or(path).to_string_lossy().replace('\\', "/")
}

/// Replaces `served` with `files`, keeping the entries whose contents did
/// not change; returns how many were added, changed or removed.
fn swap_files(served: &mut HashMap<String, Arc<Contents>>, files: Vec<OutputFile>) -> usize {
    let mut changed = 0;
    let mut next = HashMap::with_capacity(files.len());
    for file in files {
        let entry = match served.remove(&file.path) {
            Some(old) if *old == file.contents => old,
            _ => {
                changed += 1;
                Arc::new(file.contents)
            }
        };
        next.insert(file.path, entry);
    }
    changed += served.len();
    *served = next;
    changed
}

/// Maps a request path to a site path, refusing anything that could leave
/// the site: `..` or `.` segments (also percent-encoded), backslashes and
/// NUL bytes. A path ending in `/` means its `index.html`.
pub fn site_path(url: &str) -> std::result::Result<String, u16> {
    let path = url.split(['?', '#']).next().unwrap_or_default();
    if !path.starts_with('/') {
        return Err(400);
    }
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8().map_err(|_| 400u16)?;
    if decoded.contains('\\') || decoded.contains('\0') {
        return Err(403);
    }
    let segments: Vec<&str> = decoded.split('/').filter(|s| !s.is_empty()).collect();
    if segments.iter().any(|s| *s == ".." || *s == ".") {
        return Err(403);
    }
    let mut rel = segments.join("/");
    if decoded.ends_with('/') {
        if !rel.is_empty() {
            rel.push('/');
        }
        rel.push_str("index.html");
    }
    Ok(rel)
}

fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "pdf" => "application/pdf",
        "txt" | "log" | "md" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn with_headers<R: std::io::Read>(
    mut response: tiny_http::Response<R>,
    headers: &[(&str, &str)],
) -> tiny_http::Response<R> {
    for (name, value) in headers {
        // Only fails on non-ASCII bytes, which these values never have.
        if let Ok(h) = tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()) {
            response.add_header(h);
        }
    }
    response
}

fn respond(request: tiny_http::Request, status: u16, kind: &str, body: Vec<u8>) {
    let response = tiny_http::Response::from_data(body).with_status_code(status);
    let _ = request
        .respond(with_headers(response, &[("Content-Type", kind), ("Cache-Control", "no-store")]));
}

fn handle(request: tiny_http::Request, state: &State) {
    if !matches!(request.method(), tiny_http::Method::Get | tiny_http::Method::Head) {
        respond(request, 405, "text/plain; charset=utf-8", b"method not allowed\n".to_vec());
        return;
    }
    let url = request.url().to_string();
    let rel = match site_path(&url) {
        Ok(rel) => rel,
        Err(status) => {
            let text = if status == 403 { "forbidden\n" } else { "bad request\n" };
            respond(request, status, "text/plain; charset=utf-8", text.as_bytes().to_vec());
            return;
        }
    };
    match rel.as_str() {
        "__hindsight/reload.js" => {
            return respond(request, 200, content_type(&rel), RELOAD_JS.as_bytes().to_vec());
        }
        "__hindsight/overlay.css" => {
            return respond(request, 200, content_type(&rel), OVERLAY_CSS.as_bytes().to_vec());
        }
        "__hindsight/events" => return events(request, state),
        _ if url.starts_with(PREFIX) => {
            return respond(request, 404, "text/plain; charset=utf-8", b"not found\n".to_vec());
        }
        _ => {}
    }
    let (found, errors, generation) = {
        let Ok(snapshot) = state.snapshot.read() else {
            return respond(request, 500, "text/plain; charset=utf-8", Vec::new());
        };
        let dir_index = format!("{rel}/index.html");
        let found = match snapshot.files.get(&rel) {
            Some(c) => Some((200, rel.clone(), Arc::clone(c))),
            None if snapshot.files.contains_key(&dir_index) => {
                // A folder without its slash: redirect, so relative links work.
                let path = url.split('?').next().unwrap_or_default();
                let location = format!("{path}/");
                let response =
                    with_headers(tiny_http::Response::empty(301), &[("Location", &location)]);
                drop(snapshot);
                let _ = request.respond(response);
                return;
            }
            None => snapshot.files.get("404.html").map(|c| (404, "404.html".into(), Arc::clone(c))),
        };
        (found, snapshot.errors.clone(), snapshot.generation)
    };
    let (status, path, contents) = match found {
        Some(found) => found,
        None => {
            // No site yet (the first build failed): show the errors alone.
            let page = inject(
                b"<!doctype html><html><head><title>hindsight</title></head><body></body></html>",
                &errors,
                generation,
            );
            return respond(request, 404, "text/html; charset=utf-8", page);
        }
    };
    let bytes = match contents.as_ref() {
        Contents::Bytes(b) => b.clone(),
        Contents::Copy(from) => match std::fs::read(from) {
            Ok(b) => b,
            Err(_) => {
                return respond(request, 404, "text/plain; charset=utf-8", b"not found\n".to_vec());
            }
        },
    };
    let bytes = if path.ends_with(".html") { inject(&bytes, &errors, generation) } else { bytes };
    respond(request, status, content_type(&path), bytes);
}

/// Adds the overlay stylesheet, the overlay (when there are errors) and the
/// reload script to an HTML page.
fn inject(page: &[u8], errors: &[OverlayItem], generation: u64) -> Vec<u8> {
    let html = String::from_utf8_lossy(page);
    let mut tail = String::new();
    if !errors.is_empty() {
        tail.push_str(
            "<div class=\"hindsight-overlay\" role=\"alert\"><h2>Build failed: showing the last good site</h2><ul>",
        );
        for e in errors {
            tail.push_str("<li>");
            if let Some(location) = &e.location {
                tail.push_str("<code>");
                let _ = pulldown_cmark_escape::escape_html(&mut tail, location);
                tail.push_str("</code> ");
            }
            let _ = pulldown_cmark_escape::escape_html(&mut tail, &e.message);
            tail.push_str("</li>");
        }
        tail.push_str("</ul></div>\n");
    }
    tail.push_str(&format!(
        "<script src=\"/__hindsight/reload.js\" data-generation=\"{generation}\"></script>\n"
    ));
    let head = "<link rel=\"stylesheet\" href=\"/__hindsight/overlay.css\">\n";
    let mut out = html.into_owned();
    match out.rfind("</body>") {
        Some(i) => out.insert_str(i, &tail),
        None => out.push_str(&tail),
    }
    match out.find("</head>") {
        Some(i) => out.insert_str(i, head),
        None => out.insert_str(0, head),
    }
    out.into_bytes()
}

/// The server-sent-events stream: `hello` with the current generation,
/// then `reload` after each rebuild that changed something.
fn events(request: tiny_http::Request, state: &State) {
    let (tx, rx) = mpsc::channel();
    let generation = state.snapshot.read().map(|s| s.generation).unwrap_or(0);
    if let Ok(mut clients) = state.clients.lock() {
        clients.push(tx);
    }
    let mut writer = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\n";
    let hello = format!("retry: 500\nevent: hello\ndata: {generation}\n\n");
    if writer
        .write_all(head.as_bytes())
        .and_then(|_| writer.write_all(hello.as_bytes()))
        .and_then(|_| writer.flush())
        .is_err()
    {
        return;
    }
    loop {
        let message = match rx.recv_timeout(Duration::from_secs(15)) {
            Ok(message) => message,
            // A comment keeps proxies from closing an idle stream.
            Err(mpsc::RecvTimeoutError::Timeout) => ": keep-alive\n\n".to_string(),
            Err(mpsc::RecvTimeoutError::Disconnected) => return,
        };
        if writer.write_all(message.as_bytes()).and_then(|_| writer.flush()).is_err() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_path_maps_and_refuses_traversal() {
        assert_eq!(site_path("/"), Ok("index.html".into()));
        assert_eq!(site_path("/incidents/a/"), Ok("incidents/a/index.html".into()));
        assert_eq!(site_path("/static/style.css?v=1"), Ok("static/style.css".into()));
        assert_eq!(site_path("/a%20b.png"), Ok("a b.png".into()));
        for bad in [
            "/../etc/passwd",
            "/static/../../x",
            "/%2e%2e/x",
            "/%2E%2E%2Fx",
            "/..%2fx",
            "/a%5c..%5cx",
            "/a\\..\\x",
            "/./index.html",
            "/a%00b",
        ] {
            assert_eq!(site_path(bad), Err(403), "{bad}");
        }
        assert_eq!(site_path("x"), Err(400));
        assert_eq!(site_path("/%ff"), Err(400));
    }

    #[test]
    fn inject_adds_script_and_escaped_overlay() {
        let page = b"<html><head><title>t</title></head><body><p>x</p></body></html>";
        let out = String::from_utf8(inject(page, &[], 3)).unwrap();
        assert!(out.contains(
            "<script src=\"/__hindsight/reload.js\" data-generation=\"3\"></script>\n</body>"
        ));
        assert!(!out.contains("hindsight-overlay\""));
        let errors = [OverlayItem {
            location: Some("content/a.md:2:1".into()),
            message: "error[RCA003]: <b>".into(),
        }];
        let out = String::from_utf8(inject(page, &errors, 4)).unwrap();
        assert!(out.contains("<code>content/a.md:2:1</code> error[RCA003]: &lt;b&gt;"));
        assert!(out.find("/__hindsight/overlay.css").unwrap() < out.find("</head>").unwrap());
    }

    #[test]
    fn swap_keeps_unchanged_entries_and_counts_changes() {
        let file =
            |p: &str, b: &str| OutputFile { path: p.into(), contents: Contents::Bytes(b.into()) };
        let mut served = HashMap::new();
        assert_eq!(swap_files(&mut served, vec![file("a", "1"), file("b", "2")]), 2);
        let kept = Arc::clone(&served["a"]);
        assert_eq!(swap_files(&mut served, vec![file("a", "1"), file("c", "3")]), 2);
        assert!(Arc::ptr_eq(&kept, &served["a"]));
        assert_eq!(swap_files(&mut served, vec![file("a", "1"), file("c", "3")]), 0);
    }

    #[test]
    fn only_sources_trigger_rebuilds() {
        let root = Path::new("/nonexistent-root");
        assert!(is_source(root, &root.join("content/a.md")));
        assert!(is_source(root, &root.join("hindsight.toml")));
        assert!(is_source(root, &root.join("themes/x/templates/base.html")));
        assert!(!is_source(root, &root.join("public/index.html")));
        assert!(!is_source(root, &root.join("target/x")));
        assert!(!is_source(root, Path::new("/elsewhere/content/a.md")));
    }
}
