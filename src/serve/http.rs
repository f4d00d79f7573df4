//! The HTTP side of `serve`: maps request paths to site files (refusing
//! anything outside the site), answers from the served [`State`], injects
//! the overlay and the reload script into pages, and keeps the
//! server-sent-events streams the reload script listens to.

use std::io::Write;
use std::sync::Arc;
use std::sync::mpsc;
use std::time::Duration;

use super::OverlayItem;
use super::served::State;
use crate::render::Contents;

const RELOAD_JS: &str = include_str!("../../themes/default/serve/reload.js");
const OVERLAY_CSS: &str = include_str!("../../themes/default/serve/overlay.css");
/// URL prefix of the server's own files; no site file can start with it
/// because render never writes names beginning with `__`.
const PREFIX: &str = "/__hindsight/";

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

/// Answers one request.
pub(super) fn handle(request: tiny_http::Request, state: &State) {
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
        "__hindsight/events" => return events(request, &url, state),
        _ if url.starts_with(PREFIX) => {
            return respond(request, 404, "text/plain; charset=utf-8", b"not found\n".to_vec());
        }
        _ => {}
    }
    let (found, errors, version) = {
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
        (found, snapshot.errors.clone(), snapshot.version(&rel))
    };
    let (status, path, contents) = match found {
        Some(found) => found,
        None => {
            // No site yet (the first build failed): show the errors alone.
            let page = inject(
                b"<!doctype html><html><head><title>hindsight</title></head><body></body></html>",
                &errors,
                version,
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
    let bytes = if path.ends_with(".html") { inject(&bytes, &errors, version) } else { bytes };
    respond(request, status, content_type(&path), bytes);
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
/// [`super::served::reload_event`]). With `?page=<path>`, `hello` carries that page's
/// version, so a page that changed while it was loading reloads at once
/// and one that did not stays; without it, the site's generation.
fn events(request: tiny_http::Request, url: &str, state: &State) {
    let (tx, rx) = mpsc::channel();
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
    if let Ok(mut clients) = state.clients.lock() {
        clients.push(tx);
    }
    let mut writer = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\n";
    let hello = format!("retry: 500\nevent: hello\ndata: {hello}\n\n");
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
