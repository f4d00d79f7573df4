//! `hindsight serve`, driven through the real binary on a free loopback port.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Kills the server when the test ends, whether it passed or not.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// One HTTP/1.0 request written byte for byte, so the path reaches the
/// server exactly as given (a client library would normalise `..`).
fn raw_get(port: u16, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(stream, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    let text = String::from_utf8_lossy(&response).into_owned();
    let status = text.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, text)
}

/// Polls `probe` every 50 ms until it returns true or `bound` passes.
fn eventually(bound: Duration, mut probe: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + bound;
    loop {
        if probe() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Opens the server-sent-events stream; what it receives arrives on the channel.
fn events(port: u16) -> mpsc::Receiver<String> {
    events_at(port, "/__hindsight/events")
}

/// [`events`] at a given URL, e.g. with the `?page=` a page's script sends.
fn events_at(port: u16, url: &str) -> mpsc::Receiver<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(stream, "GET {url} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { return };
            if tx.send(line).is_err() {
                return;
            }
        }
    });
    rx
}

/// Waits up to `bound` for a line equal to `wanted` on the event stream.
fn saw_event(rx: &mpsc::Receiver<String>, wanted: &str, bound: Duration) -> bool {
    let deadline = Instant::now() + bound;
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match rx.recv_timeout(left) {
            Ok(line) if line == wanted => return true,
            Ok(_) => {}
            Err(_) => return false,
        }
    }
    false
}

const PAGE: &str = "/incidents/2024-01-01-alpha/index.html";

fn rca(body: &str) -> String {
    format!(
        "---\ntitle: Alpha outage\ndate: 2024-01-01\nseverity: P3\n---\n\n## Summary\n\n{body}\n"
    )
}

/// Starts `hindsight serve` on `root`; returns the server, its port and
/// its log lines (stderr) as they come.
fn start(root: &std::path::Path) -> (Running, u16, mpsc::Receiver<String>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_hindsight"))
        .args(["serve", "--root"])
        .arg(root)
        .args(["--bind", "127.0.0.1", "--port", &free_port().to_string()])
        .env_clear()
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start hindsight serve");
    let stderr = child.stderr.take().unwrap();
    let server = Running(child);
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let url = loop {
        let line = rx.recv_timeout(Duration::from_secs(60)).expect("serve prints its URL");
        if let Some(rest) = line.strip_prefix("serving at ") {
            break rest.split_whitespace().next().unwrap().to_string();
        }
    };
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let port: u16 = url.trim_end_matches('/').rsplit(':').next().unwrap().parse().unwrap();
    (server, port, rx)
}

#[test]
fn serve_reloads_on_edit_shows_errors_and_refuses_traversal() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("content/2024-01-01-alpha.md");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, rca("Original body text.")).unwrap();

    let (server, port, _log) = start(dir.path());

    // The page is served with the reload script, and no overlay.
    let (status, page) = raw_get(port, PAGE);
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Original body text."));
    assert!(page.contains("<script src=\"/__hindsight/reload.js\""));
    assert!(!page.contains("class=\"hindsight-overlay\""));
    let (status, script) = raw_get(port, "/__hindsight/reload.js");
    assert_eq!(status, 200);
    assert!(script.contains("EventSource"));

    // An edit is served and announced within two seconds.
    let stream = events(port);
    assert!(saw_event(&stream, "event: hello", Duration::from_secs(10)));
    std::fs::write(&file, rca("Edited body text.")).unwrap();
    assert!(
        eventually(Duration::from_secs(2), || raw_get(port, PAGE).1.contains("Edited body text.")),
        "the edit was not served within two seconds"
    );
    assert!(saw_event(&stream, "event: reload", Duration::from_secs(2)), "no reload event");

    // Broken front matter: the overlay names the file and line, and the
    // last good page is still served.
    std::fs::write(&file, "---\ntitle: [unclosed\ndate: 2024-01-01\n---\nBroken.\n").unwrap();
    let mut last = String::new();
    let shown = eventually(Duration::from_secs(5), || {
        last = raw_get(port, PAGE).1;
        last.contains("class=\"hindsight-overlay\"")
    });
    assert!(shown, "no overlay: {last}");
    assert!(last.contains("<code>content/2024-01-01-alpha.md:"), "{last}");
    assert!(last.contains("RCA003"), "{last}");
    assert!(last.contains("Edited body text."), "the last good page stays served");
    assert!(last.starts_with("HTTP/1.1 200") || last.starts_with("HTTP/1.0 200"), "{last}");

    // Paths outside the site are refused, however they are spelled.
    for path in [
        "/../Cargo.toml",
        "/incidents/../../content/2024-01-01-alpha.md",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/static/..%2f..%2fcontent%2f2024-01-01-alpha.md",
        "/static/..%5c..%5ccontent",
        "/static\\..\\..\\etc\\passwd",
    ] {
        let (status, body) = raw_get(port, path);
        assert!(status == 403 || status == 404, "{path}: {status}");
        assert!(!body.contains("title: [unclosed"), "{path} leaked a source file");
    }
    drop(server);
}

/// Waits up to `bound` for a log line starting with `prefix`.
fn saw_log(log: &mpsc::Receiver<String>, prefix: &str, bound: Duration) -> Option<String> {
    let deadline = Instant::now() + bound;
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match log.recv_timeout(left) {
            Ok(line) if line.starts_with(prefix) => return Some(line),
            Ok(_) => {}
            Err(_) => return None,
        }
    }
    None
}

/// Waits up to `bound` for a reload event; returns its `paths`.
fn next_reload(rx: &mpsc::Receiver<String>, bound: Duration) -> Option<serde_json::Value> {
    let deadline = Instant::now() + bound;
    let mut in_reload = false;
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        let line = rx.recv_timeout(left).ok()?;
        if line == "event: reload" {
            in_reload = true;
        } else if let Some(data) = line.strip_prefix("data: ").filter(|_| in_reload) {
            let data: serde_json::Value = serde_json::from_str(data).unwrap();
            return Some(data["paths"].clone());
        }
    }
    None
}

/// Saves `text` as an editor does: into a hidden file beside, then renamed
/// over `path`, so no rebuild can see the file half-written.
fn save(path: &std::path::Path, text: &str) {
    let tmp = path.with_file_name(format!(".{}.tmp", path.file_name().unwrap().to_string_lossy()));
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, path).unwrap();
}

const ALPHA: &str = "/incidents/2024-01-01-alpha/";
const BETA: &str = "/incidents/2024-01-02-beta/";

fn beta(title: &str, sentence: &str) -> String {
    format!(
        "---\ntitle: {title}\ndate: 2024-01-02\nseverity: P2\nservices: [db]\n---\n\n## Summary\n\nThe queue stalled.\n\n## Notes\n\n{sentence}\n"
    )
}

#[test]
fn serve_rebuilds_what_an_edit_touches_and_reloads_only_those_pages() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    std::fs::create_dir_all(&content).unwrap();
    std::fs::write(content.join("2024-01-01-alpha.md"), rca("Original body text.")).unwrap();
    let file = content.join("2024-01-02-beta.md");
    save(&file, &beta("Beta outage", "Much like [[2024-01-01-alpha]] last year."));
    let (server, port, log) = start(dir.path());
    assert!(raw_get(port, ALPHA).1.contains("Much like"), "alpha quotes beta's sentence");
    let stream = events(port);
    assert!(saw_event(&stream, "event: hello", Duration::from_secs(10)));

    // A body edit: beta's page, and alpha's, whose backlinks quote beta,
    // are rendered again on their own and named in the reload event.
    save(&file, &beta("Beta outage", "Not like [[2024-01-01-alpha]] at all."));
    let line = saw_log(&log, "page rebuilt in", Duration::from_secs(10));
    assert!(line.as_deref().is_some_and(|l| l.contains(": 2 files changed")), "{line:?}");
    let paths = next_reload(&stream, Duration::from_secs(10)).expect("a reload event");
    assert_eq!(
        paths,
        serde_json::json!([
            "incidents/2024-01-01-alpha/index.html",
            "incidents/2024-01-02-beta/index.html"
        ])
    );
    let page = raw_get(port, BETA).1;
    assert!(page.contains("at all"));
    let version = page.split("data-version=\"").nth(1).unwrap().split('"').next().unwrap();
    let version = version.to_string();
    assert!(raw_get(port, ALPHA).1.contains("Not like"), "the backlink quote follows");
    // Then the rest of the site catches up (the search index holds the
    // text), without naming pages that did not change again: the edit
    // changed only words the related stage never compares (the link was
    // there before), so related scores stayed.
    assert!(saw_log(&log, "site caught up", Duration::from_secs(30)).is_some());
    let paths = next_reload(&stream, Duration::from_secs(10)).expect("the catch-up's reload");
    // Only the search files holding the words the edit removed or added
    // (their postings, and the word lists typos are compared with).
    let paths = paths.as_array().unwrap();
    assert!(paths.iter().any(|p| p.as_str().unwrap().starts_with("search/t/")), "{paths:?}");
    let words = |p: &serde_json::Value| {
        let p = p.as_str().unwrap();
        p.starts_with("search/t/") || p.starts_with("search/v/")
    };
    assert!(paths.iter().all(words), "{paths:?}");
    // A page loaded before the catch-up connects after it: its version is
    // still current, so it does not reload a second time.
    let page_stream = events_at(port, "/__hindsight/events?page=%2Fincidents%2F2024-01-02-beta%2F");
    let hello = format!("data: {version}");
    assert!(saw_event(&page_stream, &hello, Duration::from_secs(10)), "hello {version}");

    // A new title: beta's page and alpha's (its "Referenced by" names
    // beta) at once, the index in the catch-up.
    save(&file, &beta("Beta queue backlog", "Not like [[2024-01-01-alpha]] at all."));
    let line = saw_log(&log, "page rebuilt in", Duration::from_secs(10));
    assert!(line.as_deref().is_some_and(|l| l.contains(": 2 files changed")), "{line:?}");
    assert!(raw_get(port, BETA).1.contains("<h1>Beta queue backlog</h1>"));
    assert!(raw_get(port, ALPHA).1.contains("Beta queue backlog"));
    assert!(eventually(Duration::from_secs(10), || raw_get(port, "/")
        .1
        .contains("Beta queue backlog")));

    // A front-matter error: the overlay, and the last good page stays.
    save(&file, "---\ntitle: Beta\ndate: 2024-01-02\nseverity: [P2\n---\nBroken.\n");
    let mut last = String::new();
    let shown = eventually(Duration::from_secs(10), || {
        last = raw_get(port, BETA).1;
        last.contains("class=\"hindsight-overlay\"")
    });
    assert!(shown, "no overlay: {last}");
    assert!(last.contains("<code>content/2024-01-02-beta.md:"), "{last}");
    assert!(last.contains("Beta queue backlog"), "the last good page stays served");
    // The title edit's reload came first; the overlay's names every page.
    let everything = std::iter::from_fn(|| next_reload(&stream, Duration::from_secs(10)))
        .any(|paths| paths == "*");
    assert!(everything, "the overlay is on every page: a reload of \"*\"");
    drop(server);
}

/// See #25 and #26: `serve` answers every request while idle sockets and
/// live-reload streams are open, and refuses what a web page on another
/// origin could use to read a confidential archive.
#[test]
fn issue_25_serve_answers_while_idle_sockets_and_reload_streams_are_open() {
    let archive = crate::support::Archive::fixture("basic");
    let (_server, port, _log) = start(archive.root());
    // Twenty sockets that never send a byte, and eight open streams.
    let idle: Vec<TcpStream> =
        (0..20).map(|_| TcpStream::connect(("127.0.0.1", port)).unwrap()).collect();
    let streams: Vec<_> = (0..8).map(|_| events(port)).collect();
    for rx in &streams {
        assert!(saw_event(rx, "event: hello", Duration::from_secs(10)), "a stream opens");
    }
    let started = Instant::now();
    let paths = ["/", "/static/style.css", "/static/search.js", "/timeline/", "/stats"];
    for n in 0..50 {
        let path = paths[n % paths.len()];
        let (status, _) = raw_get(port, path);
        assert!(matches!(status, 200 | 301), "{path}: {status} after {n} requests");
    }
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "50 requests took {:?}",
        started.elapsed()
    );
    drop(idle);
    drop(streams);
}

/// See #26: live-reload streams are bounded: past 64 open at once a new
/// one is refused with 503 (the page's script retries), pages are still
/// served, and closing streams frees their places.
#[test]
fn issue_26_live_reload_streams_are_bounded_and_released() {
    let archive = crate::support::Archive::fixture("basic");
    let (_server, port, _log) = start(archive.root());
    let open: Vec<_> = (0..64).map(|_| events(port)).collect();
    for rx in &open {
        assert!(saw_event(rx, "event: hello", Duration::from_secs(10)), "a stream opens");
    }
    let refused = events(port);
    let status = refused.recv_timeout(Duration::from_secs(10)).unwrap_or_default();
    assert!(status.starts_with("HTTP/1.1 503"), "the 65th stream: {status}");
    assert_eq!(raw_get(port, "/").0, 200, "pages are still served");
    drop(open);
    // The server notices closed streams on its next write or keep-alive;
    // a new stream opens once their places are free.
    let reopened = eventually(Duration::from_secs(30), || {
        let rx = events(port);
        saw_event(&rx, "event: hello", Duration::from_secs(2))
    });
    assert!(reopened, "closed streams give their places back");
}

/// See #26: a request for another host (DNS rebinding) is refused, and a
/// path starting with `//` never redirects to another host.
#[test]
fn issue_26_serve_refuses_other_hosts_and_never_redirects_off_site() {
    let archive = crate::support::Archive::fixture("basic");
    let (_server, port, _log) = start(archive.root());
    let get = |host: &str, path: &str| {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        write!(stream, "GET {path} HTTP/1.0\r\nHost: {host}\r\n\r\n").unwrap();
        let mut response = Vec::new();
        let _ = stream.read_to_end(&mut response);
        String::from_utf8_lossy(&response).into_owned()
    };
    let status = |text: &str| text.split_whitespace().nth(1).unwrap_or("").to_string();
    assert_eq!(status(&get("evil.example", "/")), "403");
    assert_eq!(status(&get(&format!("evil.example:{port}"), "/")), "403");
    assert_eq!(status(&get(&format!("127.0.0.1:{port}"), "/")), "200");
    assert_eq!(status(&get(&format!("localhost:{port}"), "/")), "200");
    let off = get(&format!("127.0.0.1:{port}"), "//incidents");
    let location = off.lines().find(|l| l.to_lowercase().starts_with("location:"));
    assert!(location.is_none_or(|l| !l[9..].trim().starts_with("//")), "{off}");
}

#[test]
fn issue_25_serve_answers_a_missing_page_at_any_depth_with_the_styled_404() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("content/2024-01-01-alpha.md");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, rca("Body.")).unwrap();
    let (server, port, _log) = start(dir.path());
    let (status, root_page) = raw_get(port, "/404.html");
    assert_eq!(status, 200);
    for path in ["/missing", "/a/b/c/missing", "/incidents/alpha/x/y/z.html"] {
        let (status, page) = raw_get(port, path);
        assert_eq!(status, 404, "{path}");
        // The style travels with the page, so no relative link has to
        // reach the stylesheet from this depth.
        assert!(page.contains("<style>/*"), "{path}: {page}");
        assert!(page.contains("Page not found"), "{path}");
    }
    // The page's script finds the root by asking the folders above for
    // the 404 page: only the root has it.
    assert_eq!(raw_get(port, "/a/b/c/404.html").0, 404);
    assert!(root_page.contains("fetch(dir + '404.html'"));
    drop(server);
}
