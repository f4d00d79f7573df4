//! Building the `basic` fixture: pages, escaping, highlighting, links,
//! attachments, data files and determinism.

use std::collections::BTreeSet;

use scraper::{Html, Selector};

use crate::support::{Archive, codes, main_of};
use hindsight::BuildOptions;

const SLUGS: [&str; 4] =
    ["2022-05-05-no-front-matter", "2023-03-03-dns", "2024-01-10-db-pool", "2024-06-02-pool-again"];

#[test]
fn one_page_per_incident_and_drafts_left_out() {
    let archive = Archive::fixture("basic");
    let report = archive.build();
    assert_eq!(report.incidents, 4);
    for slug in SLUGS {
        assert!(archive.out().join(format!("incidents/{slug}/index.html")).is_file(), "{slug}");
    }
    assert!(!archive.out().join("incidents/2024-07-01-draft").exists());
    let with_drafts = Archive::fixture("basic");
    let report = with_drafts.build_with(BuildOptions { drafts: true, ..Default::default() });
    assert_eq!(report.incidents, 5);
}

#[test]
fn only_expected_diagnostics_for_the_basic_fixture() {
    let archive = Archive::fixture("basic");
    let report = archive.build();
    // The file without front matter builds with a warning, and the draft
    // left out is named by a note; nothing else.
    assert_eq!(
        codes(&report),
        [
            ("RCA020".to_string(), "content/2022-05-05-no-front-matter.md".to_string(), None),
            ("RCA009".to_string(), "content/2024-07-01-draft.md".to_string(), None)
        ]
    );
}

#[test]
fn titles_and_user_text_are_escaped() {
    let archive = Archive::fixture("basic");
    archive.build();
    let page = archive.read("incidents/2024-01-10-db-pool/index.html");
    assert!(!page.contains("<script>alert"), "raw title leaked");
    assert!(
        page.contains("Pool &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; exhausted"),
        "escaped title missing"
    );
    let index = archive.read("index.html");
    assert!(!index.contains("<script>alert"));
    assert!(archive.read("index.html").contains("Fixture &lt;archive&gt;"));
}

#[test]
fn code_is_highlighted_with_classes() {
    let archive = Archive::fixture("basic");
    archive.build();
    let page = archive.read("incidents/2024-01-10-db-pool/index.html");
    assert!(
        page.contains(
            "<pre class=\"code\" tabindex=\"0\" data-lang=\"sql\"><code><span class=\"hl-"
        ),
        "no highlighted code"
    );
    let css = archive.read("static/highlight.css");
    assert!(css.contains(".hl-") && css.contains("prefers-color-scheme: dark"));
}

#[test]
fn every_relative_link_resolves_to_a_file() {
    let archive = Archive::fixture("basic");
    archive.build();
    let files = archive.output_files();
    let href = Selector::parse("a[href], link[href], img[src], script[src]").unwrap();
    let mut checked = 0;
    for (path, bytes) in &files {
        if !path.ends_with(".html") {
            continue;
        }
        let doc = Html::parse_document(std::str::from_utf8(bytes).unwrap());
        let dir = std::path::Path::new(path).parent().unwrap().to_path_buf();
        for el in doc.select(&href) {
            let url = el.value().attr("href").or_else(|| el.value().attr("src")).unwrap();
            if url.starts_with("http") || url.starts_with('#') || url.starts_with("mailto:") {
                continue;
            }
            assert!(!url.starts_with('/'), "{path}: absolute internal link {url}");
            let file_part = url.split('#').next().unwrap();
            let target = normalize(&dir.join(file_part));
            assert!(files.contains_key(&target), "{path}: {url} -> {target} does not exist");
            checked += 1;
        }
    }
    assert!(checked > 50, "only {checked} links checked");
}

fn normalize(path: &std::path::Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    for c in path.components() {
        match c {
            std::path::Component::ParentDir => {
                parts.pop();
            }
            std::path::Component::Normal(p) => parts.push(p.to_string_lossy().into_owned()),
            _ => {}
        }
    }
    parts.join("/")
}

#[test]
fn wiki_links_backlinks_and_attachments() {
    let archive = Archive::fixture("basic");
    archive.build();
    let again = archive.read("incidents/2024-06-02-pool-again/index.html");
    assert!(
        again.contains(
            "<a class=\"wikilink\" href=\"../2024-01-10-db-pool/index.html\">January's incident</a>"
        ),
        "alias link"
    );
    assert!(again.contains("href=\"../2024-01-10-db-pool/index.html#root-cause\""), "heading link");
    assert!(again.contains("<code>[[not-a-link]]</code>"), "link in code stays text");
    // The attachment beside it is copied into its page folder.
    assert!(archive.out().join("incidents/2024-06-02-pool-again/graph.png").is_file());
    assert!(
        archive.out().join("incidents/2023-03-03-dns/graph.png").is_file(),
        "sole incident of team/"
    );
    let first = archive.read("incidents/2024-01-10-db-pool/index.html");
    assert!(first.contains("Referenced by"));
    assert!(first.contains("Same failure as January"), "backlink context: {}", main_of(&first));
    assert!(first.contains("href=\"https://runbooks.example/postgres\""), "external prefix");
}

#[test]
fn incidents_json_records_metadata_and_links() {
    let archive = Archive::fixture("basic");
    archive.build();
    let json: serde_json::Value = serde_json::from_str(&archive.read("incidents.json")).unwrap();
    let records = json.as_array().unwrap();
    let ids: Vec<&str> = records.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [
            "2024-06-02-pool-again",
            "2024-01-10-db-pool",
            "2023-03-03-dns",
            "2022-05-05-no-front-matter"
        ]
    );
    let pool = &records[1];
    assert_eq!(pool["severity"], "P1");
    assert_eq!(pool["services"], serde_json::json!(["payment-svc", "ledger-db"]));
    assert_eq!(pool["url"], "incidents/2024-01-10-db-pool/index.html");
    assert_eq!(pool["linked_from"], serde_json::json!(["2024-06-02-pool-again"]));
    assert_eq!(pool["extra"]["ticket"], "OPS-77");
    assert_eq!(records[0]["links_to"], serde_json::json!(["2024-01-10-db-pool"]));
    assert_eq!(records[0]["severity"], "P2", "SEV2 alias maps to P2");
    assert_eq!(records[3]["severity"], "unrated");
}

#[test]
fn term_pages_exist_with_safe_names() {
    let archive = Archive::fixture("basic");
    archive.build();
    let services = archive.read("services/index.html");
    assert!(services.contains("payment-svc"));
    let page = archive.read("services/payment-svc/index.html");
    assert!(page.contains("Pool exhausted again") && page.contains("2024-01-10-db-pool"));
    assert!(archive.out().join("tags/postgres/index.html").is_file());
    let severity = archive.read("severity/index.html");
    let p1 = severity.find("severity/p1/").unwrap();
    let p3 = severity.find("severity/p3/").unwrap();
    assert!(p1 < p3, "severity in scale order");
    assert!(archive.out().join("severity/unrated/index.html").is_file());
}

#[test]
fn second_build_is_byte_identical() {
    let a = Archive::fixture("basic");
    a.build();
    let first = a.output_files();
    a.build();
    assert_eq!(first, a.output_files());
    let b = Archive::fixture("basic");
    b.build();
    assert_eq!(first, b.output_files(), "another directory, same bytes");
}

#[test]
fn refuses_to_clobber_a_foreign_directory() {
    let archive = Archive::fixture("basic");
    archive.write("public/precious.txt", "not hindsight's");
    let site = hindsight::Site::open(archive.root()).unwrap();
    let err = site.build(&BuildOptions::default()).unwrap_err();
    assert!(matches!(err, hindsight::Error::ForeignOutput { .. }), "{err}");
    assert_eq!(
        std::fs::read_to_string(archive.root().join("public/precious.txt")).unwrap(),
        "not hindsight's"
    );
    // Output over the archive itself or inside content/ is refused too.
    for out in [
        archive.root().to_path_buf(),
        archive.root().join("content/site"),
        archive.root().join(".."),
    ] {
        let err = site
            .build(&BuildOptions { output: Some(out.clone()), ..Default::default() })
            .unwrap_err();
        assert!(matches!(err, hindsight::Error::OutputOverlaps { .. }), "{}: {err}", out.display());
    }
}

#[test]
fn incident_page_main_snapshot() {
    let archive = Archive::fixture("basic");
    archive.build();
    let page = archive.read("incidents/2024-06-02-pool-again/index.html");
    insta::assert_snapshot!(main_of(&page));
}

#[test]
fn site_listing_snapshot() {
    let archive = Archive::fixture("basic");
    archive.build();
    let listing: BTreeSet<String> = archive.output_files().into_keys().collect();
    insta::assert_snapshot!(listing.into_iter().collect::<Vec<_>>().join("\n"));
}

#[test]
fn the_example_archive_builds_without_a_single_diagnostic() {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let archive = Archive::dir_with(&[
        (repo.join("content"), "content"),
        (repo.join("hindsight.toml"), "hindsight.toml"),
    ]);
    let report = archive.build();
    assert!(report.diagnostics.is_empty(), "{:#?}", codes(&report));
    assert!(report.incidents >= 15);
    // The seed retellings and the attachment are there.
    assert!(archive.out().join("incidents/2025-03-01-roster-outage/db-connections.svg").is_file());
}

#[test]
fn related_lists_and_graph_data() {
    let archive = Archive::fixture("basic");
    archive.build();
    let json: serde_json::Value = serde_json::from_str(&archive.read("incidents.json")).unwrap();
    let again =
        json.as_array().unwrap().iter().find(|r| r["id"] == "2024-06-02-pool-again").unwrap();
    let related = again["related"].as_array().unwrap();
    assert_eq!(
        related[0]["id"], "2024-01-10-db-pool",
        "the linked, same-service incident ranks first"
    );
    let scores: Vec<f64> = related.iter().map(|r| r["score"].as_f64().unwrap()).collect();
    assert!(
        scores.windows(2).all(|w| w[0] >= w[1]) && scores.iter().all(|s| (0.0..=1.0).contains(s))
    );
    assert!(related[0]["reasons"].as_array().unwrap().iter().any(|r| r == "links to it"));

    let graph: serde_json::Value = serde_json::from_str(&archive.read("graph.json")).unwrap();
    let nodes = graph["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), 4);
    for key in ["id", "title", "date", "severity", "services", "tags", "url"] {
        assert!(nodes[0].get(key).is_some(), "node.{key}");
    }
    let edges = graph["edges"].as_array().unwrap();
    assert!(!edges.is_empty());
    for key in ["source", "target", "score", "reasons"] {
        assert!(edges[0].get(key).is_some(), "edge.{key}");
    }
    let page = archive.read("graph/index.html");
    assert_eq!(page.matches("<circle").count(), 4, "one dot per incident");
    assert!(page.contains("href=\"../incidents/2024-01-10-db-pool/index.html\""));
}

#[test]
fn list_pages_splice_every_row_and_themes_may_leave_the_table_out() {
    let archive = Archive::fixture("basic");
    archive.build();
    let rows = Selector::parse("table.incidents tbody tr a.incident-link").unwrap();
    let index = Html::parse_document(&archive.read("index.html"));
    assert_eq!(index.select(&rows).count(), 4, "one row per incident, once");
    let term = Html::parse_document(&archive.read("severity/p1/index.html"));
    let hrefs: Vec<_> = term.select(&rows).map(|a| a.value().attr("href").unwrap()).collect();
    assert!(!hrefs.is_empty() && hrefs.iter().all(|h| h.starts_with("../../incidents/")));

    // A theme whose index shows only the count and no table still builds.
    let themed = with_plain_theme(
        "index.html",
        "{% extends \"base.html\" %}{% block main %}<p id=n>{{ row_count }}</p>{% endblock main %}",
    );
    themed.build();
    let index = themed.read("index.html");
    assert!(index.contains("<p id=n>4</p>"));
    assert!(!index.contains("hindsight-splice") && !index.contains('\0'));
}

/// The `basic` fixture with a theme `plain` holding one template.
fn with_plain_theme(template: &str, text: &str) -> Archive {
    let archive = Archive::fixture("basic");
    let config = std::fs::read_to_string(archive.root().join("hindsight.toml")).unwrap();
    archive.write("hindsight.toml", format!("theme = \"plain\"\n{config}"));
    archive.write(&format!("themes/plain/templates/{template}"), text);
    archive
}

#[test]
fn timeline_entries_are_a_partial_spliced_into_their_month() {
    let archive = with_plain_theme(
        "partials/timeline_entry.html",
        "<li class=mine>{{ e.row.title }} {{ root }}</li>\n",
    );
    archive.build();
    let page = archive.read("timeline/index.html");
    let doc = Html::parse_document(&page);
    let entries = Selector::parse(".tl-month li.mine").unwrap();
    assert_eq!(doc.select(&entries).count(), 4, "one entry per incident, once");
    assert!(doc.select(&entries).all(|li| li.text().collect::<String>().ends_with(" ../")));
    assert!(!page.contains('\0'), "no marker left in the page");

    // A timeline without the entries still builds, and leaves no marker.
    archive.write(
        "themes/plain/templates/timeline.html",
        "{% extends \"base.html\" %}{% block main %}{% for y in years %}{{ y.count }} {% endfor %}{% endblock main %}",
    );
    archive.build();
    let page = archive.read("timeline/index.html");
    assert!(!page.contains("mine") && !page.contains('\0'));
}

/// The hash a Content-Security-Policy gives to allow the inline `text`.
fn csp_hash(text: &str) -> String {
    use base64::Engine as _;
    use sha2::Digest as _;
    let digest = sha2::Sha256::digest(text.as_bytes());
    format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(digest))
}

/// The text between `open` and the next `close` in `html`.
fn between<'h>(html: &'h str, open: &str, close: &str) -> &'h str {
    let start = html.find(open).expect(open) + open.len();
    let len = html[start..].find(close).expect(close);
    &html[start..start + len]
}

#[test]
fn issue_25_the_not_found_page_carries_its_style_and_finds_its_root() {
    let archive = Archive::fixture("basic");
    archive.build();
    let html = archive.read("404.html");
    // No stylesheet is linked (a relative link misses at any depth but one);
    // the style and the script are inline, each allowed by its own hash.
    assert!(!html.contains("<link rel=\"stylesheet\""), "{html}");
    let style = between(&html, "<style>", "</style>");
    let script = between(&html, "<script>", "</script>");
    assert!(
        style.contains(".site-header") && style.contains(".sev-p1"),
        "page and severity styles"
    );
    assert!(script.contains("404.html"), "the script looks for the site's own 404 page");
    let csp = between(&html, "Content-Security-Policy\" content=\"", "\"");
    assert!(csp.contains(&format!("script-src 'self' {}", csp_hash(script))), "{csp}");
    assert!(csp.contains(&format!("style-src 'self' {}", csp_hash(style))), "{csp}");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    // Every other page keeps its plain policy and its stylesheet links.
    let index = archive.read("index.html");
    assert!(index.contains("script-src 'self'; style-src 'self';"));
    assert!(index.contains("<link rel=\"stylesheet\" href=\"static/style.css\">"));
}

/// A Hugo or Zola section's `_index.md`, and a readme or home page at the
/// top of the content folder, are the site's own pages: with no date and
/// no severity they are left out with a note that names them, not errors
/// that fail the first build of an archive another tool kept. A readme
/// deeper down is a write-up's own folder, and one that gives a date or a
/// severity was meant as a postmortem: those still fail loudly.
#[test]
fn a_folders_own_page_is_left_out_with_a_note_not_an_error() {
    let archive = Archive::dir_with(&[]);
    archive.write(
        "content/README.md",
        "# Postmortems\n\nOne file per incident. Template last changed 2024-03-01.\n\n\
         ## Writing one\n\nCopy the template.\n",
    );
    archive.write("content/_sidebar.md", "- [Home](Home)\n");
    archive.write("content/2024/_index.md", "+++\ntitle = \"2024\"\nsort_by = \"date\"\n+++\n");
    archive.write(
        "content/2024/queue.md",
        "---\ntitle: Queue backlog\ndate: 2024-03-05\nseverity: P2\n---\nSee [[README]].\n",
    );
    archive.write("content/db-failover/README.md", "# Failover\n\nThe primary failed over.\n");
    archive.write("content/index.md", "---\ntitle: Our archive\nseverity: P3\n---\nHello.\n");
    let report = archive.build();
    let of = |file: &str| -> Vec<(String, hindsight::Level)> {
        report
            .diagnostics
            .iter()
            .filter(|d| d.file.as_deref() == Some(std::path::Path::new(file)))
            .map(|d| (d.code.to_string(), d.level))
            .collect()
    };
    for file in ["content/README.md", "content/_sidebar.md", "content/2024/_index.md"] {
        assert_eq!(of(file), [("RCA008".to_string(), hindsight::Level::Note)], "{file}");
    }
    let left_out = report.diagnostics.iter().find(|d| d.code == "RCA008").unwrap();
    assert!(left_out.message.contains("not a postmortem"), "{}", left_out.message);
    // The link to the readme says it is left out, not that it names nothing.
    let link = report
        .diagnostics
        .iter()
        .find(|d| d.file.as_deref() == Some(std::path::Path::new("content/2024/queue.md")))
        .unwrap();
    assert!(link.message.contains("left out"), "{}", link.message);
    assert!(
        of("content/db-failover/README.md")
            .contains(&("RCA012".to_string(), hindsight::Level::Error))
    );
    assert!(
        of("content/index.md").iter().any(|(c, l)| c == "RCA010" && *l == hindsight::Level::Error)
    );
    assert_eq!(report.incidents, 1);
}

/// A readme at the top that is a postmortem, with its timeline and cause
/// and only a date in its text, is still one: the archive of a single
/// failure keeps it as its page.
#[test]
fn a_readme_that_is_a_postmortem_dated_in_its_text_is_built() {
    let archive = Archive::dir_with(&[]);
    archive.write(
        "content/README.md",
        "# Checkout outage of 2024-03-05\n\nCheckout failed for an hour.\n\n\
         ## Root cause\n\nA bad deploy.\n",
    );
    let report = archive.build();
    assert_eq!(report.incidents, 1, "{:#?}", report.diagnostics);
    assert!(report.diagnostics.iter().all(|d| d.code != "RCA008"), "{:#?}", report.diagnostics);
}

/// An incident the write-up lists itself ("## Related incidents") is not
/// listed a second time under the page's similar incidents; the incident
/// listed, whose write-up has no such list, still lists it back.
#[test]
fn a_related_incident_the_write_up_lists_is_not_listed_again() {
    let archive = Archive::dir_with(&[]);
    let body = "## Summary\n\nThe connection pool of the ledger database ran dry under \
                retries and checkout failed.\n";
    archive.write(
        "content/a.md",
        format!(
            "---\ntitle: Ledger pool exhausted\ndate: 2024-03-01\nseverity: P2\n---\n{body}\n\
             ## Related incidents\n\n- [[b]]\n"
        ),
    );
    archive.write(
        "content/b.md",
        format!(
            "---\ntitle: Ledger pool exhausted again\ndate: 2024-04-01\nseverity: P2\n---\n{body}"
        ),
    );
    archive.build();
    let similar = |slug: &str| {
        let page = archive.read(&format!("incidents/{slug}/index.html"));
        let at = page.find("class=\"related\"").map_or(String::new(), |at| page[at..].to_string());
        at.split("</section>").next().unwrap_or_default().to_string()
    };
    assert!(similar("b").contains("../a/index.html"), "{}", similar("b"));
    assert!(!similar("a").contains("../b/index.html"), "{}", similar("a"));
}

/// A build whose every postmortem fails has no page to publish: it writes
/// nothing, so the last good site stays up, and says so; the run still
/// fails. A first build that fails so creates no output at all.
#[test]
fn a_build_whose_every_file_fails_keeps_the_last_site() {
    let archive = Archive::dir_with(&[]);
    let good = "---\ntitle: Queue backlog\ndate: 2024-03-05\nseverity: P2\n---\nIt backed up.\n";
    archive.write("content/queue.md", good);
    let first = archive.build();
    assert_eq!(first.incidents, 1);
    let before = archive.output_files();
    archive.write(
        "content/queue.md",
        "---\ntitle: Queue backlog\ndate: someday\n---\nIt backed up.\n",
    );
    let report = archive.build();
    assert_eq!(report.incidents, 0);
    assert!(report.diagnostics.errors() > 0);
    let kept = report.diagnostics.iter().find(|d| d.code == "RCA043").unwrap();
    assert!(kept.message.contains("left as it was"), "{}", kept.message);
    assert!(report.output.is_none());
    assert_eq!(archive.output_files(), before, "the last site, byte for byte");
    // With one good file, the build publishes it, as every build does.
    archive.write("content/other.md", good.replace("Queue backlog", "Cache miss storm"));
    let report = archive.build();
    assert_eq!(report.incidents, 1);
    assert!(report.diagnostics.iter().all(|d| d.code != "RCA043"));
    assert!(archive.read("index.html").contains("Cache miss storm"));

    let fresh = Archive::dir_with(&[]);
    fresh.write("content/queue.md", "---\ntitle: Queue backlog\ndate: someday\n---\nx\n");
    let report = fresh.build();
    assert!(report.diagnostics.iter().any(|d| d.code == "RCA043"));
    assert!(!fresh.out().exists(), "no output folder made");
}

/// A paragraph every write-up opens with (a template's reminder) is a
/// banner, not a summary: the index shows what each says after it.
#[test]
fn a_banner_every_write_up_opens_with_is_not_their_summary() {
    let archive = Archive::dir_with(&[]);
    let banner = "This review is blameless: it looks at systems, not at people.";
    for (name, says) in [
        ("queue", "The queue backed up behind one slow consumer."),
        ("cache", "The cache lost its hot keys after a restart."),
        ("dns", "Lookups failed while the resolver reloaded its zones."),
    ] {
        archive.write(
            &format!("content/{name}.md"),
            format!(
                "---\ntitle: {name}\ndate: 2024-03-05\nseverity: P2\n---\n{banner}\n\n{says}\n"
            ),
        );
    }
    // A summary section is the writer's own, banner or not.
    archive.write(
        "content/disk.md",
        format!(
            "---\ntitle: disk\ndate: 2024-03-06\nseverity: P2\n---\n{banner}\n\n## Summary\n\nThe disk filled.\n"
        ),
    );
    archive.build();
    let json: serde_json::Value = serde_json::from_str(&archive.read("incidents.json")).unwrap();
    let summary = |id: &str| {
        let record = json.as_array().unwrap().iter().find(|r| r["id"] == id).unwrap();
        record["summary"].as_str().unwrap().to_string()
    };
    assert_eq!(summary("queue"), "The queue backed up behind one slow consumer.");
    assert_eq!(summary("dns"), "Lookups failed while the resolver reloaded its zones.");
    assert_eq!(summary("disk"), "The disk filled.");
}
