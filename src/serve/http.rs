//! The HTTP side of `serve`: maps request paths to site files (refusing
//! anything outside the site), answers from the served [`State`], injects
//! the overlay and the reload script into pages, and keeps the
//! server-sent-events streams the reload script listens to.
//!
//! HTTP/1.1 is hyper's, on a small tokio runtime: a connection is a task,
//! not a thread, so idle sockets and open live-reload streams cannot starve
//! page requests. Every connection must send its headers within
//! [`HEADER_TIMEOUT`]; at most [`MAX_CONNECTIONS`] are served at once and
//! at most [`MAX_STREAMS`] live-reload streams are open. Only requests
//! whose `Host` is the bound address or a loopback name are answered, so a
//! web page elsewhere cannot read the archive through DNS rebinding.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, combinators::BoxBody};
use hyper::body::{Frame, Incoming};
use hyper::{Method, Request, Response, StatusCode};

use super::OverlayItem;
use super::served::State;

const RELOAD_JS: &str = include_str!("../../themes/default/serve/reload.js");
const OVERLAY_CSS: &str = include_str!("../../themes/default/serve/overlay.css");
/// URL prefix of the server's own files; no site file can start with it
/// because render never writes names beginning with `__`.
const PREFIX: &str = "/__hindsight/";
/// A connection that has not sent its request headers by then is closed.
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// Connections served at once; more wait to be accepted.
const MAX_CONNECTIONS: usize = 512;
/// Live-reload streams open at once; more are refused with 503 (the
/// script retries), so streams can never take the server down.
const MAX_STREAMS: usize = 64;
/// A comment is sent this often on an idle stream so proxies keep it.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

type Body = BoxBody<Bytes, Infallible>;

/// Maps a request path to a site path, refusing anything that could leave
/// the site: `..` or `.` segments (also percent-encoded), backslashes and
/// NUL bytes. A path ending in `/` means its `index.html`. The reload
/// script maps `location.pathname` the same way.
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

/// The media type of a served file, from its extension (mime_guess's
/// table), with the charset for text: the site is UTF-8 throughout.
/// Markdown attachments are served as plain text, which every browser
/// shows, where `text/markdown` makes some of them download the file.
fn content_type(path: &str) -> String {
    let mime = mime_guess::from_path(path).first_raw().unwrap_or("application/octet-stream");
    match mime {
        "text/markdown" | "text/x-markdown" => "text/plain; charset=utf-8".to_string(),
        text if text.starts_with("text/") => format!("{text}; charset=utf-8"),
        other => other.to_string(),
    }
}

/// Serves `listener` until the process ends.
pub(super) fn serve(listener: std::net::TcpListener, state: Arc<State>) -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_io()
        .enable_time()
        .build()?;
    runtime.block_on(accept_loop(listener, state))
}

async fn accept_loop(listener: std::net::TcpListener, state: Arc<State>) -> std::io::Result<()> {
    listener.set_nonblocking(true)?;
    let listener = tokio::net::TcpListener::from_std(listener)?;
    let bound = listener.local_addr()?;
    let slots = Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
    let streams = Arc::new(AtomicUsize::new(0));
    loop {
        let Ok(permit) = Arc::clone(&slots).acquire_owned().await else { return Ok(()) };
        let (socket, _) = match listener.accept().await {
            Ok(accepted) => accepted,
            // A failed accept (too many open files, a reset) is that
            // client's problem; the server goes on.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        let state = Arc::clone(&state);
        let streams = Arc::clone(&streams);
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |request| {
                let state = Arc::clone(&state);
                let streams = Arc::clone(&streams);
                async move { Ok::<_, Infallible>(handle(request, bound, &state, &streams)) }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT)
                .serve_connection(hyper_util::rt::TokioIo::new(socket), service)
                .await;
            drop(permit);
        });
    }
}

fn full(body: impl Into<Bytes>) -> Body {
    Full::new(body.into()).boxed()
}

fn respond(status: u16, kind: &str, body: impl Into<Bytes>) -> Response<Body> {
    let mut response = Response::new(full(body));
    *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    set(&mut response, "content-type", kind);
    set(&mut response, "cache-control", "no-store");
    response
}

fn set(response: &mut Response<Body>, name: &'static str, value: &str) {
    if let Ok(value) = hyper::header::HeaderValue::from_str(value) {
        response.headers_mut().insert(name, value);
    }
}

fn text(status: u16, body: &'static str) -> Response<Body> {
    respond(status, "text/plain; charset=utf-8", body)
}

/// True when the request names this server: the bound address, or a
/// loopback name, with or without the port. A page served from any other
/// name (DNS rebinding) gets nothing.
fn is_own_host(host: Option<&str>, bound: SocketAddr) -> bool {
    let Some(host) = host.map(str::trim).filter(|h| !h.is_empty()) else {
        // HTTP/1.0 clients may send none; they cannot be a browser page.
        return true;
    };
    let name = match host.rsplit_once(':') {
        Some((name, port)) if !name.ends_with(':') && port.chars().all(|c| c.is_ascii_digit()) => {
            if port.parse::<u16>().ok() != Some(bound.port()) {
                return false;
            }
            name
        }
        _ => host,
    };
    let name = name.trim_start_matches('[').trim_end_matches(']').to_ascii_lowercase();
    let loopback = name == "localhost"
        || name.ends_with(".localhost")
        || name.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback());
    loopback || name == bound.ip().to_string()
}

/// Answers one request.
fn handle(
    request: Request<Incoming>,
    bound: SocketAddr,
    state: &State,
    streams: &Arc<AtomicUsize>,
) -> Response<Body> {
    let host = request.headers().get(hyper::header::HOST).and_then(|h| h.to_str().ok());
    if !is_own_host(host, bound) {
        return text(403, "forbidden: this server answers only to its own address\n");
    }
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        return text(405, "method not allowed\n");
    }
    let url = request.uri().path_and_query().map_or("/", |p| p.as_str()).to_string();
    let rel = match site_path(&url) {
        Ok(rel) => rel,
        Err(403) => return text(403, "forbidden\n"),
        Err(_) => return text(400, "bad request\n"),
    };
    match rel.as_str() {
        "__hindsight/reload.js" => return respond(200, &content_type(&rel), RELOAD_JS),
        "__hindsight/overlay.css" => return respond(200, &content_type(&rel), OVERLAY_CSS),
        "__hindsight/events" => return events(&url, state, streams),
        _ if url.starts_with(PREFIX) => return text(404, "not found\n"),
        _ => {}
    }
    let (found, errors, version) = {
        let Ok(snapshot) = state.snapshot.read() else {
            return respond(500, "text/plain; charset=utf-8", Vec::new());
        };
        let dir_index = format!("{rel}/index.html");
        let found = match snapshot.files.get(&rel) {
            Some(c) => Some((200, rel.clone(), Arc::clone(c))),
            None if snapshot.files.contains_key(&dir_index) => {
                // A folder without its slash: redirect, so relative links
                // work. The target is built from the site path, so it
                // always starts with one `/` and stays on this server
                // (`//x` would name another host).
                let mut response = Response::new(full(Bytes::new()));
                *response.status_mut() = StatusCode::MOVED_PERMANENTLY;
                set(&mut response, "location", &format!("/{}", percent_path(&rel)));
                return response;
            }
            None => snapshot.files.get("404.html").map(|c| (404, "404.html".into(), Arc::clone(c))),
        };
        (found, snapshot.errors.clone(), snapshot.version(&rel))
    };
    let Some((status, path, contents)) = found else {
        // No site yet (the first build failed): show the errors alone.
        let page = inject(
            b"<!doctype html><html><head><title>hindsight</title></head><body></body></html>",
            &errors,
            version,
        );
        return respond(404, "text/html; charset=utf-8", page);
    };
    let Some(bytes) = contents.bytes() else { return text(404, "not found\n") };
    let bytes = if path.ends_with(".html") { inject(&bytes, &errors, version) } else { bytes };
    respond(status, &content_type(&path), bytes)
}

/// A site path as a URL path with a trailing slash, each segment
/// percent-encoded.
fn percent_path(rel: &str) -> String {
    let mut out: String = rel
        .split('/')
        .filter(|s| !s.is_empty())
        .map(crate::links::encode)
        .collect::<Vec<_>>()
        .join("/");
    out.push('/');
    out
}

/// Adds the overlay stylesheet, the overlay (when there are errors) and the
/// reload script to an HTML page. `version` is the page's version, which
/// the script compares with the one the server reports when it connects.
fn inject(page: &[u8], errors: &[OverlayItem], version: u64) -> Vec<u8> {
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
        "<script src=\"/__hindsight/reload.js\" data-version=\"{version}\"></script>\n"
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

/// The server-sent-events stream: `hello` on connect, then a `reload`
/// event after each rebuild that changed something (see
/// [`super::served::reload_event`]). With `?page=<path>`, `hello` carries
/// that page's version, so a page that changed while it was loading
/// reloads at once and one that did not stays; without it, the site's
/// generation. A stream is a task, not a thread; past [`MAX_STREAMS`] a
/// new one is refused.
fn events(url: &str, state: &State, streams: &Arc<AtomicUsize>) -> Response<Body> {
    if streams.fetch_add(1, Ordering::SeqCst) >= MAX_STREAMS {
        streams.fetch_sub(1, Ordering::SeqCst);
        let mut response = text(503, "too many live-reload streams\n");
        set(&mut response, "retry-after", "2");
        return response;
    }
    let page = url
        .split_once('?')
        .and_then(|(_, query)| query.split('&').find_map(|p| p.strip_prefix("page=")))
        .and_then(|p| percent_encoding::percent_decode_str(p).decode_utf8().ok())
        .and_then(|p| site_path(&p).ok());
    let hello = state
        .snapshot
        .read()
        .map(|s| match &page {
            Some(page) => s.version(page),
            None => s.generation,
        })
        .unwrap_or(0);
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let _ = tx.send(format!("retry: 500\nevent: hello\ndata: {hello}\n\n"));
    if let Ok(mut clients) = state.clients.lock() {
        clients.push(tx);
    }
    let body = EventStream {
        rx,
        keep_alive: tokio::time::interval_at(tokio::time::Instant::now() + KEEP_ALIVE, KEEP_ALIVE),
        _open: StreamSlot(Arc::clone(streams)),
    };
    let mut response = Response::new(BoxBody::new(body));
    set(&mut response, "content-type", "text/event-stream");
    set(&mut response, "cache-control", "no-store");
    response
}

/// Counts an open stream until its body is dropped (the client left).
struct StreamSlot(Arc<AtomicUsize>);

impl Drop for StreamSlot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// The body of a live-reload stream: the messages the rebuild thread
/// sends, and a comment every [`KEEP_ALIVE`] of quiet.
struct EventStream {
    rx: tokio::sync::mpsc::UnboundedReceiver<String>,
    keep_alive: tokio::time::Interval,
    _open: StreamSlot,
}

impl hyper::body::Body for EventStream {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        match self.rx.poll_recv(cx) {
            Poll::Ready(Some(message)) => {
                return Poll::Ready(Some(Ok(Frame::data(message.into()))));
            }
            // The server is shutting down.
            Poll::Ready(None) => return Poll::Ready(None),
            Poll::Pending => {}
        }
        match self.keep_alive.poll_tick(cx) {
            Poll::Ready(_) => {
                Poll::Ready(Some(Ok(Frame::data(Bytes::from_static(b": keep-alive\n\n")))))
            }
            Poll::Pending => Poll::Pending,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_types_come_from_the_extension_with_utf8_for_text() {
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("static/style.CSS"), "text/css; charset=utf-8");
        assert_eq!(content_type("static/search.js"), "text/javascript; charset=utf-8");
        assert_eq!(content_type("incidents.json"), "application/json");
        assert_eq!(content_type("graph/diagram.svg"), "image/svg+xml");
        assert_eq!(content_type("incidents/a/notes.md"), "text/plain; charset=utf-8");
        assert_eq!(content_type("incidents/a/trace.pcap-unknown"), "application/octet-stream");
        assert_eq!(content_type("LICENSE"), "application/octet-stream");
    }

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
    fn only_this_servers_own_names_are_answered() {
        let bound: SocketAddr = "127.0.0.1:1111".parse().unwrap();
        for ok in [
            None,
            Some("127.0.0.1:1111"),
            Some("localhost:1111"),
            Some("LOCALHOST"),
            Some("[::1]:1111"),
            Some("app.localhost:1111"),
        ] {
            assert!(is_own_host(ok, bound), "{ok:?}");
        }
        for bad in [
            Some("evil.example"),
            Some("evil.example:1111"),
            Some("127.0.0.1:2222"),
            Some("10.0.0.1:1111"),
        ] {
            assert!(!is_own_host(bad, bound), "{bad:?}");
        }
        let lan: SocketAddr = "192.168.1.5:1111".parse().unwrap();
        assert!(is_own_host(Some("192.168.1.5:1111"), lan));
    }

    #[test]
    fn redirects_stay_on_this_server() {
        assert_eq!(percent_path("incidents"), "incidents/");
        assert_eq!(percent_path("a b/c"), "a%20b/c/");
        assert!(!format!("/{}", percent_path("incidents")).starts_with("//"));
    }

    #[test]
    fn inject_adds_script_and_escaped_overlay() {
        let page = b"<html><head><title>t</title></head><body><p>x</p></body></html>";
        let out = String::from_utf8(inject(page, &[], 3)).unwrap();
        assert!(out.contains(
            "<script src=\"/__hindsight/reload.js\" data-version=\"3\"></script>\n</body>"
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
}
