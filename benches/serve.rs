//! Serve benchmark: how long a one-file edit takes to reach the browser.
//! Generates an archive of N synthetic RCAs (the corpus of the build
//! benchmark), starts the release binary's `serve` on a copy of it, edits
//! one incident's body several times, and prints the median time from the
//! write to (a) the reload event naming the page and (b) the new page being
//! served; then the same while the site is still catching up with the
//! edit before (an author saving every second).
//!
//!     cargo bench --bench serve -- [--size 10000] [--edits 7]
//!
//! Corpora are cached under target/bench-corpus/<N>; the edits go to a
//! temporary copy.

// A benchmark harness: failing loudly on a broken setup is what it should do.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

mod corpus;

use corpus::{corpus_dir, median};

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

struct Args {
    size: usize,
    edits: usize,
}

fn parse_args() -> Args {
    let mut args = Args { size: 10_000, edits: 7 };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--size" => args.size = it.next().and_then(|s| s.parse().ok()).unwrap_or(10_000),
            "--edits" => args.edits = it.next().and_then(|s| s.parse().ok()).unwrap_or(7).max(1),
            _ => {} // cargo passes --bench
        }
    }
    args
}

/// Kills the server when the benchmark ends.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn get(port: u16, path: &str) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    write!(stream, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").expect("request");
    let mut body = String::new();
    let _ = stream.read_to_string(&mut body);
    body
}

/// Lines of a stream, each with the moment it arrived.
fn timed_lines(read: impl Read + Send + 'static) -> mpsc::Receiver<(Instant, String)> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(read).lines().map_while(Result::ok) {
            if tx.send((Instant::now(), line)).is_err() {
                return;
            }
        }
    });
    rx
}

/// Waits for a line for which `wanted` is true; returns when it arrived.
fn wait_for(
    rx: &mpsc::Receiver<(Instant, String)>,
    wanted: impl Fn(&str) -> bool,
) -> (Instant, String) {
    loop {
        let (at, line) = rx.recv_timeout(Duration::from_secs(600)).expect("the line came");
        if wanted(&line) {
            return (at, line);
        }
    }
}

/// One edit: writes `text`, then times the reload event naming `site_path`
/// and the first response for `url` that holds `marker`.
fn edit(
    port: u16,
    file: &Path,
    text: &str,
    (url, site_path, marker): (&str, &str, &str),
    events: &mpsc::Receiver<(Instant, String)>,
) -> (f64, f64) {
    let start = Instant::now();
    std::fs::write(file, text).expect("edit the file");
    let (url, marker) = (url.to_string(), marker.to_string());
    let poller = std::thread::spawn(move || {
        loop {
            if get(port, &url).contains(&marker) {
                return Instant::now();
            }
            std::thread::sleep(Duration::from_millis(1));
        }
    });
    let quoted = format!("\"{site_path}\"");
    let (reloaded, _) = wait_for(events, |l| {
        l.starts_with("data: ") && (l.contains(&quoted) || l.contains("\"*\""))
    });
    let served = poller.join().expect("poller");
    let ms = |t: Instant| t.duration_since(start).as_secs_f64() * 1000.0;
    (ms(reloaded), ms(served))
}

fn main() {
    let args = parse_args();
    let corpus = corpus_dir(args.size);
    let work = tempfile::tempdir().expect("temp dir");
    let root = work.path().join("archive");
    let copied = Command::new("cp").arg("-r").arg(&corpus).arg(&root).status();
    assert!(copied.is_ok_and(|s| s.success()), "copy the corpus");
    let _ = std::fs::remove_dir_all(root.join("public"));

    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_hindsight"))
        .args(["serve", "--root"])
        .arg(&root)
        .args(["--port", &port.to_string()])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start hindsight serve");
    let log = timed_lines(child.stderr.take().unwrap());
    let _server = Running(child);
    let (ready, line) = wait_for(&log, |l| l.starts_with("serving at "));
    let url = line.trim_start_matches("serving at ").split_whitespace().next().unwrap();
    let port: u16 = url.trim_end_matches('/').rsplit(':').next().unwrap().parse().unwrap();
    let first = ready.duration_since(started).as_secs_f64();

    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    write!(stream, "GET /__hindsight/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
    let events = timed_lines(stream);
    wait_for(&events, |l| l == "event: hello");

    // The middle file of the archive; the edits go into its body, outside
    // the summary and root cause.
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join("content"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    let file = files[files.len() / 2].clone();
    let slug = file.file_stem().unwrap().to_string_lossy().into_owned();
    let original = std::fs::read_to_string(&file).unwrap();
    let url = format!("/incidents/{slug}/");
    let site_path = format!("incidents/{slug}/index.html");
    let text = |n: usize| {
        original.replace("## Lessons Learned", &format!("Edit marker {n}.\n\n## Lessons Learned"))
    };

    println!("serve, {} incidents: first build and bind {first:.1} s", args.size);
    println!("| edits | write → reload event (median ms) | write → page served (median ms) |");
    println!("|---|---|---|");
    let mut idle = (Vec::new(), Vec::new());
    let mut caught_up = Vec::new();
    for n in 0..args.edits {
        let marker = format!("Edit marker {n}.");
        let (reload, served) = edit(port, &file, &text(n), (&url, &site_path, &marker), &events);
        idle.0.push(reload);
        idle.1.push(served);
        let (_, line) = wait_for(&log, |l| l.starts_with("site caught up"));
        caught_up.push(line);
    }
    println!(
        "| {} after the site caught up | {:.0} | {:.0} |",
        args.edits,
        median(idle.0),
        median(idle.1)
    );
    let mut busy = (Vec::new(), Vec::new());
    for n in args.edits..2 * args.edits {
        std::thread::sleep(Duration::from_millis(500));
        let marker = format!("Edit marker {n}.");
        let (reload, served) = edit(port, &file, &text(n), (&url, &site_path, &marker), &events);
        busy.0.push(reload);
        busy.1.push(served);
    }
    println!(
        "| {} during the catch-up of the edit before | {:.0} | {:.0} |",
        args.edits,
        median(busy.0),
        median(busy.1)
    );
    println!("catch-up after an edit: {}", caught_up.last().map_or("", String::as_str));
}
