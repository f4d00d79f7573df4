//! Every markdown construct an RCA may use, rendered into a page: one
//! insta snapshot per file of `tests/fixtures/markdown/`, of the page's
//! rendered body only (the theme around it has tests of its own). Each
//! file is built as an incident of a small archive that also holds the
//! `target` its wiki links point at.

use crate::support::Archive;

const TARGET: &str = "---\ntitle: The earlier outage\ndate: 2024-01-01\nseverity: P2\n---\n\
    ## Root Cause\n\nA pool.\n\n## Impact\n\nSome.\n";

fn body_of(page: &str) -> String {
    let doc = scraper::Html::parse_document(page);
    let body = crate::support::select(&doc, "div.body");
    body.first().map(|b| b.inner_html().trim().to_string()).expect("the page has a body")
}

#[test]
fn markdown_constructs_render_as_pinned() {
    insta::glob!("../fixtures", "markdown/*.md", |path| {
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(path).unwrap();
        let archive = Archive::fixture("basic");
        archive.write(
            "hindsight.toml",
            "[wikilinks.external]\n\"runbook-\" = \"https://runbooks.example.com/{name}\"\n",
        );
        for entry in std::fs::read_dir(archive.root().join("content")).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file() {
                std::fs::remove_file(path).unwrap();
            }
        }
        archive.write("content/target.md", TARGET);
        let front = format!("---\ntitle: Sample {name}\ndate: 2024-02-01\nseverity: P1\n---\n");
        archive.write(&format!("content/{name}.md"), format!("{front}{text}"));
        archive.build_on("2025-02-10");
        let page = archive.read(&format!("incidents/{name}/index.html"));
        insta::assert_snapshot!(body_of(&page));
    });
}

/// Links between postmortem files written as markdown links, as an archive
/// kept on GitHub writes them (`[the outage](2023/db.md)`): on the site
/// they reach the incident's page, a missing file is a warning with its
/// line and never a dead address, and the target lists the link among
/// its backlinks and related incidents.
#[test]
fn markdown_links_between_postmortem_files_reach_their_pages() {
    let archive = Archive { dir: tempfile::tempdir().unwrap() };
    archive.write("content/2023/2023-01-01-db.md", TARGET);
    archive.write(
        "content/2024/2024-02-01-again.md",
        "---\ntitle: Again\ndate: 2024-02-01\nseverity: P2\n---\n## Root Cause\n\n\
         As in [the earlier outage](../2023/2023-01-01-db.md#root-cause), see also \
         [the runbook](https://example.com/runbook.md) and [a draft](../drafts/x.md).\n\n\
         `[not a link](../2023/2023-01-01-db.md)`\n",
    );
    let report = archive.build();
    let codes = crate::support::codes(&report);
    let unresolved: Vec<_> = codes.iter().filter(|(c, _, _)| c == "RCA030").collect();
    assert_eq!(unresolved.len(), 1, "{codes:#?}");
    assert_eq!(unresolved[0].1, "content/2024/2024-02-01-again.md");
    assert_eq!(unresolved[0].2, Some(8));
    let body = body_of(&archive.read("incidents/2024-02-01-again/index.html"));
    assert!(
        body.contains(
            "<a class=\"wikilink\" href=\"../2023-01-01-db/index.html#root-cause\">the earlier outage</a>"
        ),
        "{body}"
    );
    assert!(body.contains("href=\"https://example.com/runbook.md\""), "{body}");
    assert!(
        body.contains(
            "<span class=\"broken-link\" title=\"Unresolved link: drafts/x.md\">a draft</span>"
        ),
        "{body}"
    );
    assert!(
        !body.contains("href=\"../drafts/x.md\"") && !body.contains("href=\"../2023/"),
        "{body}"
    );
    let target = archive.read("incidents/2023-01-01-db/index.html");
    assert!(target.contains("Referenced by") && target.contains("../2024-02-01-again/index.html"));
    let json: serde_json::Value = serde_json::from_str(&archive.read("incidents.json")).unwrap();
    let db = json.as_array().unwrap().iter().find(|r| r["id"] == "2023-01-01-db").unwrap();
    assert_eq!(db["linked_from"], serde_json::json!(["2024-02-01-again"]));
}

/// Emoji shortcodes, as a forge shows them: the page shows the emoji, and
/// an action item whose status is `:white_check_mark:` is done, as one
/// marked ✅ is. A time or an inline code span is left as written.
#[test]
fn emoji_shortcodes_read_as_their_emoji() {
    let archive = Archive::fixture("basic");
    archive.write(
        "content/2024-09-10-shortcodes.md",
        "---\ntitle: Shortcodes\ndate: 2024-09-10\nseverity: P3\n---\n:fire: Checkout failed at \
         10:30:45 for `:fire:` users.\n\n## Action Items\n\n| Action | Owner | Status |\n\
         |---|---|---|\n| Page on shortcode checks | dana | :white_check_mark: |\n\
         | Cap retries | lee | :x: |\n",
    );
    archive.build();
    let page = archive.read("incidents/2024-09-10-shortcodes/index.html");
    let body = body_of(&page);
    assert!(body.contains("🔥") && body.contains("10:30:45"), "{body}");
    assert!(body.contains("<code>:fire:</code>"), "{body}");
    let actions: serde_json::Value = serde_json::from_str(&archive.read("actions.json")).unwrap();
    let status = |action: &str| {
        actions["items"].as_array().unwrap().iter().find(|i| i["action"] == action).unwrap()["status"].clone()
    };
    assert_eq!(status("Page on shortcode checks"), "done");
    // Read as if the emoji were written: ❌ says not done.
    assert_eq!(status("Cap retries"), "open");
}
