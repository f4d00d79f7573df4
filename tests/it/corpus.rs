//! The real corpus of public postmortems in `../shared/corpus/` (GPL test
//! data, read in place and never copied into the repository) builds with a
//! field mapping: every file a page, no errors. Files that give no date
//! anywhere are undated pages (#10).
//!
//! `HINDSIGHT_CORPUS_DIR` names the corpus's `data` folder when it is not
//! beside the repository (a git worktree, a different checkout layout).

use std::path::PathBuf;

use crate::support::Archive;

/// The mapping a team adopting that archive would write.
const MAPPING: &str = r#"title = "Public postmortems"
required_fields = []
default_severity = "unrated"

[fields]
date = ["start_time", "source_published_at", "source_fetched_at"]
resolved_at = ["end_time"]
services = ["product", "company"]
tags = ["categories", "keywords"]

# The categories are this archive's taxonomy of failures: let sharing one
# count for more than the default tag weight, which assumes free-form tags.
[related]
weight_tags = 0.3
"#;

fn corpus() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("HINDSIGHT_CORPUS_DIR") {
        let dir = PathBuf::from(dir);
        // Asked for explicitly: a wrong path is a failure, not a skip.
        assert!(dir.is_dir(), "HINDSIGHT_CORPUS_DIR={} is not a folder", dir.display());
        return Some(dir);
    }
    let dir =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/icco-postmortems/data");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "skipped: {} is absent (it ships beside the repository in CI only)",
            dir.display()
        );
        None
    }
}

fn corpus_archive(data: &std::path::Path) -> Archive {
    let archive = Archive::dir_with(&[(data.to_path_buf(), "content")]);
    archive.write("hindsight.toml", MAPPING);
    archive
}

#[test]
fn the_public_corpus_builds_every_file_without_errors() {
    let Some(data) = corpus() else { return };
    let files = std::fs::read_dir(&data)
        .unwrap()
        .filter(|e| e.as_ref().is_ok_and(|e| e.path().extension().is_some_and(|x| x == "md")));
    let expected = files.count();
    assert!(expected >= 200, "corpus has {expected} files");
    let archive = corpus_archive(&data);
    let report = archive.build();
    let errors: Vec<_> = report
        .diagnostics
        .sorted()
        .into_iter()
        .filter(|d| d.level == hindsight::Level::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(report.incidents, expected, "every file a page");
    let json: serde_json::Value = serde_json::from_str(&archive.read("incidents.json")).unwrap();
    let records = json.as_array().unwrap();
    assert_eq!(records.len(), expected);
    // Files with no date anywhere are undated pages, each with its warning,
    // listed after every dated one.
    let undated = report.diagnostics.sorted().iter().filter(|d| d.code == "RCA023").count();
    assert!(undated > 0, "the corpus has files without any date");
    assert!(records.iter().rev().take(undated).all(|r| r["date"].is_null()));
    assert!(records.iter().take(expected - undated).all(|r| r["date"].is_string()));
    for page in ["index.html", "timeline/index.html", "stats/index.html", "atom.xml"] {
        assert!(archive.out().join(page).is_file(), "{page}");
    }
    // Every record has a real title (from front matter, a heading or the summary).
    assert!(
        records.iter().all(|r| r["title"].as_str().is_some_and(|t| !t.is_empty() && t.len() < 200))
    );
    // The S3 outage's duration comes from end_time - start_time.
    let s3 = records.iter().find(|r| r["id"] == "fde04641-ac3a-499a-887e-fb5d26184c09").unwrap();
    assert_eq!(s3["duration_minutes"], 257);
    assert_eq!(s3["services"][0], "Amazon S3");
}

/// The `categories` of a corpus file's front matter, lower-cased.
fn categories(path: &std::path::Path) -> std::collections::BTreeSet<String> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let text = text.trim_start_matches('\u{feff}');
    let Some(matter) = text.strip_prefix("---").and_then(|t| t.split("\n---").next()) else {
        return Default::default();
    };
    let Ok(docs) = yaml_rust2::YamlLoader::load_from_str(matter) else { return Default::default() };
    let Some(doc) = docs.first() else { return Default::default() };
    match &doc["categories"] {
        yaml_rust2::Yaml::Array(items) => {
            items.iter().filter_map(|c| c.as_str()).map(str::to_lowercase).collect()
        }
        yaml_rust2::Yaml::String(c) => [c.to_lowercase()].into(),
        _ => Default::default(),
    }
}

#[test]
fn related_incidents_of_the_public_corpus_mostly_share_a_category() {
    let Some(data) = corpus() else { return };
    let archive = corpus_archive(&data);
    archive.build();
    let json: serde_json::Value = serde_json::from_str(&archive.read("incidents.json")).unwrap();
    let records = json.as_array().unwrap();
    let cats: std::collections::HashMap<&str, _> = records
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap(),
                categories(&archive.root().join(r["source"].as_str().unwrap())),
            )
        })
        .collect();
    let (mut entries, mut shared, mut both, mut both_shared) = (0, 0, 0, 0);
    for r in records {
        let mine = &cats[r["id"].as_str().unwrap()];
        for related in r["related"].as_array().unwrap() {
            let theirs = &cats[related["id"].as_str().unwrap()];
            let shares = !mine.is_disjoint(theirs);
            entries += 1;
            shared += usize::from(shares);
            if !mine.is_empty() && !theirs.is_empty() {
                both += 1;
                both_shared += usize::from(shares);
            }
        }
    }
    eprintln!(
        "related entries sharing a category: {shared}/{entries} overall, \
         {both_shared}/{both} where both incidents have categories"
    );
    assert!(entries > records.len(), "most incidents have related ones");
    // "Mostly": over half of all entries, although 56 files have no
    // categories at all; and far more where both sides have some.
    assert!(shared * 2 > entries, "{shared}/{entries}");
    assert!(both_shared * 10 > both * 8, "{both_shared}/{both}");
}

/// See #23: the corpus builds with what `adopt` suggests, unedited.
#[test]
fn issue_23_the_public_corpus_builds_with_adopts_suggestion() {
    let Some(data) = corpus() else { return };
    let archive = Archive::dir_with(&[(data.clone(), "content")]);
    let suggestion = hindsight::adopt::suggest(archive.root()).unwrap();
    archive.write("hindsight.toml", &suggestion.toml);
    let report = archive.build();
    let errors: Vec<_> =
        report.diagnostics.iter().filter(|d| d.level == hindsight::Level::Error).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let files = std::fs::read_dir(&data)
        .unwrap()
        .filter(|e| e.as_ref().is_ok_and(|e| e.path().extension().is_some_and(|x| x == "md")))
        .count();
    assert_eq!(report.incidents, files, "every file a page");
}
