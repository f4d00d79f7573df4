//! The real binary: exit codes and stderr.

use std::process::Command;

use crate::support::Archive;

fn hindsight(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_hindsight"))
        .args(args)
        .env_clear()
        .env("NO_COLOR", "1")
        .output()
        .expect("run hindsight")
}

fn root_arg(archive: &Archive) -> String {
    archive.root().to_string_lossy().into_owned()
}

#[test]
fn build_exits_0_on_a_clean_archive_and_prints_a_summary() {
    let archive = Archive::fixture("basic");
    archive.write(
        "content/2022-05-05-no-front-matter.md",
        "---\ntitle: Fixed\ndate: 2022-05-05\nseverity: P4\n---\nok\n",
    );
    let out = hindsight(&["build", "--root", &root_arg(&archive)]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("built 4 incidents"), "{stderr}");
    assert!(stderr.contains("0 errors, 0 warnings"), "{stderr}");
}

#[test]
fn strict_turns_warnings_into_exit_1() {
    let archive = Archive::fixture("basic");
    let root = root_arg(&archive);
    assert_eq!(hindsight(&["check", "--root", &root]).status.code(), Some(0));
    let out = hindsight(&["check", "--root", &root, "--strict"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("content/2022-05-05-no-front-matter.md: error[RCA020]:"),
        "{stderr}"
    );
    assert!(!archive.out().exists(), "check writes nothing");
}

#[test]
fn content_errors_exit_1_with_path_line_col() {
    let archive = Archive::fixture("invalid");
    let out = hindsight(&["build", "--root", &root_arg(&archive)]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "content/unknown-severity.md:4:1: error[RCA013]: unknown severity \"critical-ish\""
        ),
        "{stderr}"
    );
    assert!(stderr.contains("4 | severity: critical-ish"), "{stderr}");
}

#[test]
fn json_and_github_formats() {
    let archive = Archive::fixture("invalid");
    let out = hindsight(&["check", "--root", &root_arg(&archive), "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let items: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json on stdout");
    let first = &items[0];
    for key in ["file", "line", "column", "level", "code", "message"] {
        assert!(first.get(key).is_some(), "{key}");
    }
    let out = hindsight(&["check", "--root", &root_arg(&archive), "--format", "github"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("::error file=content/unknown-severity.md,line=4,col=1,title=RCA013::"),
        "{stderr}"
    );
}

#[test]
fn usage_and_config_errors_exit_2() {
    assert_eq!(hindsight(&["build", "--no-such-flag"]).status.code(), Some(2));
    let archive = Archive::fixture("basic");
    archive.write("hindsight.toml", "titel = \"typo\"\n");
    let out = hindsight(&["build", "--root", &root_arg(&archive)]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("titel") && stderr.contains("line 1"), "{stderr}");
    archive.write("hindsight.toml", "");
    archive.write("public/mine.txt", "x");
    let out = hindsight(&["build", "--root", &root_arg(&archive)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("refusing to replace"));
}

#[test]
fn new_writes_an_rca_that_checks_clean_and_never_overwrites() {
    let archive = Archive::fixture("basic");
    let root = root_arg(&archive);
    let args = [
        "new",
        "Checkout latency",
        "--severity",
        "P1",
        "--service",
        "checkout-web",
        "--date",
        "2025-02-03",
        "--root",
        &root,
    ];
    let out = hindsight(&args);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let file = archive.root().join("content/2025-02-03-checkout-latency.md");
    assert!(std::fs::read_to_string(&file).unwrap().contains("severity: \"P1\""));
    assert_eq!(hindsight(&args).status.code(), Some(2), "refuses to overwrite");
}

#[test]
fn init_creates_an_archive_that_builds() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("rcas");
    let target_arg = target.to_string_lossy().into_owned();
    let out = hindsight(&["init", &target_arg]);
    assert_eq!(out.status.code(), Some(0));
    let out = hindsight(&["build", "--root", &target_arg]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(target.join("public/index.html").is_file());
    assert_eq!(hindsight(&["init", &target_arg]).status.code(), Some(2));
}

/// See: issue 26. `hindsight check --format json | head -1` panicked with
/// exit code 101 once `head` closed the pipe.
#[test]
fn issue_26_a_closed_pipe_ends_the_output_quietly() {
    use std::process::Stdio;
    let archive = Archive::fixture("invalid");
    for (format, closed) in [("json", "stdout"), ("human", "stderr"), ("github", "stderr")] {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_hindsight"));
        cmd.args(["check", "--root", &root_arg(&archive), "--format", format])
            .env_clear()
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().unwrap();
        // The reader goes away before a byte is written.
        let (stdout, stderr) = (child.stdout.take().unwrap(), child.stderr.take().unwrap());
        let mut kept = String::new();
        let code = if closed == "stdout" {
            drop(stdout);
            let mut stderr = stderr;
            std::io::Read::read_to_string(&mut stderr, &mut kept).unwrap();
            child.wait().unwrap().code()
        } else {
            drop(stderr);
            let mut stdout = stdout;
            std::io::Read::read_to_string(&mut stdout, &mut kept).unwrap();
            child.wait().unwrap().code()
        };
        assert_eq!(code, Some(1), "{format}: exit code of the findings, not 101: {kept}");
        assert!(!kept.contains("panicked"), "{format}: {kept}");
    }
}

/// A fatal error prints its whole chain: the template's name from
/// hindsight, then what tera says went wrong, with the line; and a theme
/// file that is not UTF-8 says so after the name.
#[test]
fn a_broken_template_prints_its_name_and_the_engine_explanation() {
    let archive = Archive::fixture("basic");
    let config = std::fs::read_to_string(archive.root().join("hindsight.toml")).unwrap();
    archive.write("hindsight.toml", format!("theme = \"mine\"\n{config}"));
    archive.write(
        "themes/mine/templates/404.html",
        "{% extends \"base.html\" %}{% block main %}{{ \"abc\" | int }}{% endblock main %}",
    );
    let out = hindsight(&["build", "--root", &root_arg(&archive)]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.starts_with(
            "error: template `404.html`: error: The string `abc` cannot be converted to an int"
        ),
        "{stderr}"
    );
    assert!(stderr.contains(" --> 404.html:1:"), "{stderr}");

    archive.write("themes/mine/templates/404.html", b"\xff");
    let out = hindsight(&["check", "--root", &root_arg(&archive)]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr
            .starts_with("error: template `404.html`: template is not valid UTF-8: invalid utf-8"),
        "{stderr}"
    );
}
