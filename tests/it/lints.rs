//! Lints and the check command's report formats, on a fixture with at
//! least one of every lint.

use std::process::Command;

use hindsight::Site;
use hindsight::report::{Format, render};

use crate::support::{Archive, codes};

fn check(archive: &Archive) -> hindsight::BuildReport {
    let mut site = Site::open(archive.root()).expect("config");
    // Fixed, so "future" and "past due" do not depend on the day tests run.
    site.build_date = jiff::civil::date(2025, 1, 1);
    site.check(false).expect("check")
}

const CHECKOUT: &str = "content/2024-03-01-checkout-outage.md";
const FUTURE: &str = "content/2099-01-01-checkout-outage-again.md";
const LOG: &str = "content/2023-12-31-ops-log.md";

#[test]
fn the_fixture_has_one_of_every_lint() {
    let archive = Archive::fixture("lints");
    let found = codes(&check(&archive));
    let expect = [
        ("RCA010", CHECKOUT, Some(1)),
        ("RCA075", CHECKOUT, Some(5)),
        ("RCA074", CHECKOUT, Some(6)),
        ("RCA073", CHECKOUT, Some(7)),
        ("RCA070", CHECKOUT, Some(4)),
        ("RCA077", CHECKOUT, Some(21)),
        ("RCA071", CHECKOUT, Some(27)),
        ("RCA041", CHECKOUT, Some(28)),
        ("RCA076", FUTURE, Some(2)),
        ("RCA072", FUTURE, Some(3)),
        ("RCA078", FUTURE, Some(15)),
        ("RCA079", FUTURE, Some(18)),
        ("RCA039", LOG, None),
    ];
    let mut expect: Vec<_> =
        expect.iter().map(|(c, f, l)| (c.to_string(), f.to_string(), *l)).collect();
    let mut found_sorted = found.clone();
    found_sorted.sort();
    expect.sort();
    assert_eq!(found_sorted, expect);
    // The lints about how a file is written (no front matter, inferred,
    // missing or ambiguous dates, TODO values, unknown statuses, a severity
    // read from the title or a tag) have their cases in the validate stage's unit
    // tests and the real-archive fixtures.
    // RCA080 compares a file under review (`check --only`) with the
    // archive; `tests/it/review.rs` has its cases. RCA037, an image the site
    // cannot show, needs files beside the archive; `tests/it/paths.rs` has
    // its cases.
    let written = [
        "RCA014", "RCA020", "RCA021", "RCA022", "RCA023", "RCA029", "RCA035", "RCA036", "RCA037",
        "RCA080",
    ];
    let lint_codes: Vec<_> = hindsight::codes::CODES
        .iter()
        .filter(|c| c.lint.is_some() && !written.contains(&c.code))
        .collect();
    for code in lint_codes {
        assert!(found.iter().any(|(c, _, _)| c == code.code), "no {} in the fixture", code.code);
    }
}

#[test]
fn every_format_is_pinned() {
    let archive = Archive::fixture("lints");
    let report = check(&archive);
    let sorted = report.diagnostics.sorted();
    for (name, format) in [
        ("human", Format::Human),
        ("short", Format::Short),
        ("json", Format::Json),
        ("github", Format::Github),
        ("markdown", Format::Markdown),
    ] {
        insta::assert_snapshot!(format!("lints_{name}"), render(&sorted, format, false));
    }
}

#[test]
fn levels_come_from_the_lints_table() {
    let archive = Archive::fixture("lints");
    let report = check(&archive);
    let level =
        |code: &str| report.diagnostics.iter().find(|d| d.code == code).map(|d| d.level.as_str());
    assert_eq!(level("RCA076"), Some("error"), "set to error in the fixture");
    assert_eq!(level("RCA072"), Some("warning"), "default");
    let text = std::fs::read_to_string(archive.root().join("hindsight.toml")).unwrap();
    let text =
        text.replace("[lints]\n", "[lints]\nempty-section = \"off\"\nrequired-field = \"off\"\n");
    archive.write("hindsight.toml", text);
    let found = codes(&check(&archive));
    assert!(!found.iter().any(|(c, _, _)| c == "RCA077" || c == "RCA010"), "{found:?}");
    archive.write("hindsight.toml", "[lints]\nno-such-lint = \"off\"\n");
    let err = Site::open(archive.root()).expect_err("unknown lint is a config error");
    assert!(err.to_string().contains("no-such-lint"), "{err}");
}

fn hindsight(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_hindsight"))
        .args(args)
        .env_clear()
        .env("NO_COLOR", "1")
        .env("SOURCE_DATE_EPOCH", "1735689600")
        .output()
        .expect("run hindsight")
}

#[test]
fn only_reports_on_the_named_files_but_links_see_everything() {
    let archive = Archive::fixture("lints");
    archive.write(
        "content/2024-05-05-linker.md",
        "---\ntitle: Linker\ndate: 2024-05-05\nseverity: P4\nauthor: x\n---\nSee [[2024-03-01-checkout-outage]] and [[nowhere]].\n",
    );
    let root = archive.root().to_string_lossy().into_owned();
    let out = hindsight(&[
        "check",
        "--root",
        &root,
        "--format",
        "short",
        "--only",
        "content/2024-05-05-linker.md",
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<_> = stderr.lines().filter(|l| l.starts_with("content/")).collect();
    assert_eq!(lines.len(), 1, "{stderr}");
    assert!(lines[0].contains("[RCA030]") && lines[0].contains("nowhere"), "{stderr}");
    assert_eq!(out.status.code(), Some(0), "a warning alone passes: {stderr}");
    // An absolute path names the same file.
    let abs = archive.root().join(CHECKOUT).to_string_lossy().into_owned();
    let out = hindsight(&["check", "--root", &root, "--format", "json", "--only", &abs]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let files: Vec<_> = json.as_array().unwrap().iter().map(|d| d["file"].clone()).collect();
    assert!(!files.is_empty() && files.iter().all(|f| f == CHECKOUT), "{files:?}");
}

#[test]
fn explain_covers_codes_and_lint_names() {
    let out = hindsight(&["check", "--explain", "RCA075"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0));
    assert!(text.starts_with("RCA075: ") && text.contains("unknown-service"), "{text}");
    let out = hindsight(&["check", "--explain", "empty-section"]);
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("RCA077: "));
    let out = hindsight(&["check", "--explain", "RCA999"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn incident_pages_link_to_the_forge() {
    let archive = Archive::fixture("lints");
    archive.build();
    let page = archive.read("incidents/2024-03-01-checkout-outage/index.html");
    assert!(page.contains("href=\"https://github.com/acme/postmortems/blob/main/content/2024-03-01-checkout-outage.md\""), "{page}");
    assert!(page.contains("href=\"https://github.com/acme/postmortems/commits/main/content/2024-03-01-checkout-outage.md\""));
}
