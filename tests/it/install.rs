//! `scripts/install.sh` against a release layout served on 127.0.0.1: the
//! archive and checksum the release workflow publishes, made here from the
//! binary under test.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;
use std::thread::JoinHandle;

const VERSION: &str = env!("CARGO_PKG_VERSION");

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/install.sh")
}

/// Serves the files under `root` until dropped.
struct FileServer {
    server: Arc<tiny_http::Server>,
    thread: Option<JoinHandle<()>>,
    base: String,
}

impl FileServer {
    fn start(root: &Path) -> FileServer {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").unwrap());
        let port = server.server_addr().to_ip().unwrap().port();
        let root = root.to_path_buf();
        let serving = Arc::clone(&server);
        let thread = std::thread::spawn(move || {
            for request in serving.incoming_requests() {
                let rel = request.url().trim_start_matches('/').to_owned();
                let file = (!rel.split('/').any(|part| part == ".." || part.is_empty()))
                    .then(|| root.join(&rel))
                    .filter(|path| path.is_file());
                let _ = match file {
                    Some(path) => request.respond(tiny_http::Response::from_file(
                        std::fs::File::open(path).unwrap(),
                    )),
                    None => request.respond(tiny_http::Response::empty(404)),
                };
            }
        });
        FileServer { server, thread: Some(thread), base: format!("http://127.0.0.1:{port}") }
    }
}

impl Drop for FileServer {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn run_script(args: &[&str], download_url: &str, home: &Path) -> Output {
    Command::new("sh")
        .arg(script())
        .args(args)
        .env("HINDSIGHT_DOWNLOAD_URL", download_url)
        .env("HOME", home)
        // A proxy set for the registries must not see loopback requests.
        .env("NO_PROXY", "127.0.0.1,localhost")
        .env("no_proxy", "127.0.0.1,localhost")
        .output()
        .unwrap()
}

fn sha256(path: &Path) -> String {
    let out = Command::new("sha256sum").arg(path).output().unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap().split(' ').next().unwrap().to_owned()
}

/// Writes `dir/hindsight-<target>.tar.gz` holding `hindsight-<target>/hindsight`
/// (a copy of `binary`) and its `.sha256`, as cargo-dist writes them.
fn release(dir: &Path, target: &str, binary: &Path, checksum: Option<&str>) {
    let name = format!("hindsight-{target}");
    let staging = tempfile::tempdir().unwrap();
    std::fs::create_dir(staging.path().join(&name)).unwrap();
    std::fs::copy(binary, staging.path().join(&name).join("hindsight")).unwrap();
    std::fs::create_dir_all(dir).unwrap();
    let tar = dir.join(format!("{name}.tar"));
    let status =
        Command::new("tar").arg("-cf").arg(&tar).arg("-C").arg(staging.path()).arg(&name).status();
    assert!(status.unwrap().success());
    // The debug test binary is large: the fastest gzip level keeps this quick.
    assert!(Command::new("gzip").arg("-1").arg(&tar).status().unwrap().success());
    let archive = dir.join(format!("{name}.tar.gz"));
    let hash = checksum.map_or_else(|| sha256(&archive), str::to_owned);
    std::fs::write(dir.join(format!("{name}.tar.gz.sha256")), format!("{hash} *{name}.tar.gz\n"))
        .unwrap();
}

fn this_target(home: &Path) -> String {
    let out = run_script(&["--print-target"], "", home);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn installs_the_binary_of_this_platform_and_it_runs() {
    let tmp = tempfile::tempdir().unwrap();
    let target = this_target(tmp.path());
    assert!(
        target.ends_with("-unknown-linux-musl") || target.ends_with("-apple-darwin"),
        "{target}"
    );
    let files = tmp.path().join("releases");
    let binary = Path::new(env!("CARGO_BIN_EXE_hindsight"));
    release(&files.join(format!("v{VERSION}")), &target, binary, None);
    let server = FileServer::start(&files);

    let dest = tmp.path().join("tools/bin");
    let url = format!("{}/v{VERSION}", server.base);
    let out = run_script(&["--version", VERSION, "--to", dest.to_str().unwrap()], &url, tmp.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let version = Command::new(dest.join("hindsight")).arg("--version").output().unwrap();
    assert!(version.status.success());
    assert_eq!(String::from_utf8_lossy(&version.stdout), format!("hindsight {VERSION}\n"));
    assert!(stderr(&out).contains(&format!("installed hindsight {VERSION}")), "{}", stderr(&out));

    // Installing again replaces the binary in place.
    let again = run_script(&["--to", dest.to_str().unwrap()], &url, tmp.path());
    assert!(again.status.success(), "{}", stderr(&again));
    let left: Vec<_> = std::fs::read_dir(&dest).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(left, ["hindsight"]);
}

#[test]
fn a_bad_checksum_installs_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let target = this_target(tmp.path());
    let files = tmp.path().join("releases");
    // The checksum is refused before the archive is opened: any file will do.
    let fake = tmp.path().join("hindsight");
    std::fs::write(&fake, "#!/bin/sh\necho not hindsight\n").unwrap();
    release(&files.join("tampered"), &target, &fake, Some(&"0".repeat(64)));
    release(&files.join("garbled"), &target, &fake, Some("not-a-hash"));
    let server = FileServer::start(&files);

    for (folder, message) in [
        ("tampered", "checksum mismatch"),
        ("garbled", "holds no SHA-256 hash"),
        ("missing", "could not download"),
    ] {
        let dest = tmp.path().join(folder).join("bin");
        let url = format!("{}/{folder}", server.base);
        let out = run_script(&["--to", dest.to_str().unwrap()], &url, tmp.path());
        assert!(!out.status.success(), "{folder}: {}", stderr(&out));
        assert!(stderr(&out).contains(message), "{folder}: {}", stderr(&out));
        assert!(!dest.exists(), "{folder}: installed into {}", dest.display());
    }
}
