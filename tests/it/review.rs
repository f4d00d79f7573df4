//! `hindsight check --only` in a pull request: beside the file's own
//! problems, the earlier incidents it resembles (RCA080, lint
//! `seen-before`), in every output format.
//!
//! See: issue #24.

use std::path::Path;
use std::process::Command;

fn check(root: &Path, file: &str, format: &str, extra: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_hindsight"))
        .args(["check", "--root"])
        .arg(root)
        .args(["--only", file, "--format", format])
        .args(extra)
        .env_clear()
        .env("NO_COLOR", "1")
        .output()
        .expect("run hindsight check");
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.code().unwrap_or(-1), text)
}

#[test]
fn issue_24_a_new_rca_is_told_which_earlier_incidents_it_resembles() {
    let archive = crate::support::Archive::fixture("recurrences");
    archive.write(
        "hindsight.toml",
        "[lints]\nduplicate-title = \"off\"\naction-item-owner = \"off\"\n",
    );
    let file = "content/2024-08-20-all-services-returning-503.md";
    let earlier = "2021-09-14-all-services-returning-503";

    let (_, human) = check(archive.root(), file, "human", &[]);
    assert!(human.contains("note[RCA080]") && human.contains(earlier), "{human}");

    let (_, github) = check(archive.root(), file, "github", &[]);
    let notice = |l: &&str| l.starts_with("::notice ") && l.contains("title=RCA080");
    assert!(
        github.lines().filter(notice).any(|l| l.contains(earlier) && l.contains("score")),
        "{github}"
    );

    let (_, json) = check(archive.root(), file, "json", &[]);
    let records: serde_json::Value = serde_json::from_str(json.trim()).expect("a JSON array");
    let seen: Vec<_> =
        records.as_array().unwrap().iter().filter(|r| r["code"] == "RCA080").collect();
    assert!(!seen.is_empty(), "{json}");
    assert!(seen.iter().all(|r| r["level"] == "note" && r["file"] == file));

    let (code, markdown) = check(archive.root(), file, "markdown", &["--strict"]);
    assert!(markdown.contains("#### Seen before?"), "{markdown}");
    assert!(markdown.contains(earlier), "{markdown}");
    // A note never fails a run, even under --strict.
    assert_eq!(code, 0, "{markdown}");

    // Earlier only: the oldest member resembles nothing before it.
    let (_, first) =
        check(archive.root(), "content/2019-12-03-all-services-returning-503.md", "json", &[]);
    assert!(!first.contains("RCA080"), "{first}");

    // The lint can be turned off.
    archive.write("hindsight.toml", "[lints]\nseen-before = \"off\"\n");
    let (_, off) = check(archive.root(), file, "json", &[]);
    assert!(!off.contains("RCA080"), "{off}");
}
