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
