//! `hindsight import` on free-form postmortems: the two free-form seeds in
//! ../shared (skipped with a reason when absent) and a fixture of our own.

use std::path::PathBuf;
use std::process::Command;

use crate::support::Archive;

fn hindsight(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_hindsight"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run")
}

fn seeds() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds");
    if dir.join("freeform-postmortem.txt").is_file() {
        Some(dir)
    } else {
        eprintln!("skipped: {} is absent", dir.display());
        None
    }
}

/// Imports `files` into a fresh archive, then runs `check --format json`.
fn import_and_check(files: &[PathBuf]) -> (Archive, String, serde_json::Value) {
    let archive = Archive::dir_with(&[]);
    let out = archive.root().join("content");
    let mut args = vec!["import".to_string()];
    args.extend(files.iter().map(|f| f.to_string_lossy().into_owned()));
    args.extend(["--out".to_string(), out.to_string_lossy().into_owned()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = hindsight(&args);
    assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
    let stdout = String::from_utf8_lossy(&run.stdout).into_owned();
    let check =
        hindsight(&["check", "--root", &archive.root().to_string_lossy(), "--format", "json"]);
    let diags: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    (archive, stdout, diags)
}

#[test]
fn the_free_form_seeds_import_and_check_with_only_todo_warnings() {
    let Some(dir) = seeds() else { return };
    let files =
        [dir.join("freeform-postmortem.txt"), dir.join("freeform-ai-assisted-incident.txt")];
    let (archive, stdout, diags) = import_and_check(&files);
    let codes: Vec<&str> =
        diags.as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert!(codes.iter().all(|c| *c == "RCA022"), "{diags:#}");

    let roster = std::fs::read_to_string(
        archive.root().join("content/2025-03-01-duty-roster-automation-system-outage.md"),
    )
    .unwrap_or_else(|e| panic!("{e}\n{stdout}"));
    assert!(roster.contains("title: \"Duty Roster Automation System Outage\""), "{roster}");
    assert!(roster.contains("date: 2025-03-01\n"), "{roster}");
    assert!(roster.contains("duration_minutes: 270\n"), "{roster}");
    assert!(roster.contains("severity: TODO"), "{roster}");
    assert!(roster.contains("| 01:50 | Automated monitoring detected high CPU usage"), "{roster}");
    assert!(roster.contains("| 06:30 | Full functionality restored"), "{roster}");
    assert!(roster.contains("## Root Cause\n"), "{roster}");
    assert!(roster.contains("## Action Items\n"), "{roster}");
    assert!(
        roster.contains("| Configure PgBouncer for efficient connection management |"),
        "{roster}"
    );
    assert!(roster.contains("author: \"Dzeble kwame Baku\""), "{roster}");

    let payment = std::fs::read_to_string(archive.root().join(
        "content/2026-06-02-payment-service-connection-pool-exhaustion-after-batch-job-deploy.md",
    ))
    .unwrap_or_else(|e| panic!("{e}\n{stdout}"));
    assert!(payment.contains("services: [\"payment-svc\"]"), "{payment}");
    assert!(
        payment.contains("| 13:50 | Deploy payment-svc v2.41 with new cron job |"),
        "{payment}"
    );
    assert!(
        payment.contains("| P0 | Add index on ledger_entries.status column | Database team |"),
        "{payment}"
    );
    assert!(!payment.contains("[FILL IN]"), "placeholders dropped");
    assert!(stdout.contains("TODO     severity"), "{stdout}");
}

#[test]
fn import_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("report.txt");
    std::fs::write(&src, "Outage of the login page\n\nSummary\n\nLogins failed on 2024-04-04.\n")
        .unwrap();
    let out = dir.path().join("content");
    let args = ["import", src.to_str().unwrap(), "--out", out.to_str().unwrap()];
    assert_eq!(hindsight(&args).status.code(), Some(0));
    let written = out.join("2024-04-04-outage-of-the-login-page.md");
    let first = std::fs::read_to_string(&written).unwrap();
    assert_eq!(hindsight(&args).status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&written).unwrap(), first);
}

/// Files saved by other systems import as pages read them: UTF-16 with its
/// byte-order mark, a Windows code page, lines ended by lone carriage
/// returns; a binary file is refused, naming it.
#[test]
fn files_in_other_encodings_and_line_ends_import_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let text = "Queue outage\n\nDate: 2024-01-05\n\nSummary\nThe café queue broke.\n";
    let mut utf16 = vec![0xff, 0xfe];
    utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    // Every character of this text is one byte in windows-1252 ("é" is 0xE9).
    let cp1252: Vec<u8> = text.replace("Queue", "Cache").chars().map(|c| c as u32 as u8).collect();
    let mac = text.replace('\n', "\r").replace("Queue", "Mail");
    let files = [("utf16.txt", utf16), ("cp1252.txt", cp1252), ("mac.txt", mac.into_bytes())];
    let mut args = vec!["import".to_string()];
    for (name, bytes) in &files {
        std::fs::write(dir.path().join(name), bytes).unwrap();
        args.push(dir.path().join(name).to_string_lossy().into_owned());
    }
    let out = dir.path().join("content");
    args.extend(["--out".to_string(), out.to_string_lossy().into_owned()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = hindsight(&args);
    assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
    for title in ["queue", "cache", "mail"] {
        let page = out.join(format!("2024-01-05-{title}-outage.md"));
        let page = std::fs::read_to_string(&page).unwrap_or_else(|e| panic!("{title}: {e}"));
        assert!(page.contains("The café queue broke."), "{page}");
        assert!(!page.contains('\r') && !page.contains('\u{fffd}'), "{page:?}");
    }
    std::fs::write(dir.path().join("core.txt"), b"a\0b").unwrap();
    let core = dir.path().join("core.txt");
    let run = hindsight(&["import", core.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert_ne!(run.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&run.stderr).contains("core.txt"));
}
