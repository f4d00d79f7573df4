//! What a service owner and an on-call engineer read about one service
//! (`tests/fixtures/owners`): one page per service whatever its spelling,
//! the owner's summary above the incident list, action items with their
//! status and how overdue they are, and the related lists without repeats.

use scraper::Html;

use crate::support::{Archive, select, text};

fn built() -> Archive {
    let archive = Archive::fixture("owners");
    archive.build();
    archive
}

#[test]
fn issue_25_spellings_of_a_service_make_one_page_and_one_filter_value() {
    let archive = built();
    let services: Vec<String> = std::fs::read_dir(archive.out().join("services"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.ends_with(".html"))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    assert_eq!(services, ["artifact-caching-proxy", "build-runners"]);
    // The name shown is one of the spellings, the same everywhere: all
    // three are used once, so the first in byte order wins.
    let json: serde_json::Value = serde_json::from_str(&archive.read("incidents.json")).unwrap();
    let mut names: Vec<&str> = json
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|i| i["services"].as_array().unwrap())
        .filter_map(|s| s.as_str())
        .collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names, ["Artifact Caching Proxy", "build-runners"]);
    let page = Html::parse_document(&archive.read("services/artifact-caching-proxy/index.html"));
    assert_eq!(text(&select(&page, "h1")[0]), "Service: Artifact Caching Proxy");
    assert_eq!(select(&page, "table.incidents tbody tr").len(), 3);
    // The index offers it once; tags merge the same way ("Disk", "disk").
    let index = Html::parse_document(&archive.read("index.html"));
    let values: Vec<&str> = select(&index, "input[name=service]")
        .iter()
        .filter_map(|e| e.value().attr("value"))
        .collect();
    assert_eq!(values, ["artifact-caching-proxy", "build-runners"]);
    let tags: Vec<String> = select(&index, "select[name=tag] option:not([value=\"\"])")
        .iter()
        .filter_map(|e| e.value().attr("value").map(str::to_string))
        .collect();
    assert_eq!(tags, ["cache", "disk", "queue", "tls"]);
}

#[test]
fn issue_25_names_sort_ignoring_case() {
    let archive = Archive::fixture("owners");
    archive.write(
        "content/2024-07-01-zed.md",
        "---\ntitle: Z\ndate: 2024-07-01\nseverity: P4\nservices: [Zebra, alpha, Beta]\n---\nText.\n",
    );
    archive.build();
    let index = Html::parse_document(&archive.read("index.html"));
    let labels: Vec<String> = select(&index, "input[name=service]")
        .iter()
        .map(|e| e.value().attr("value").unwrap().to_string())
        .collect();
    assert_eq!(labels, ["alpha", "artifact-caching-proxy", "beta", "build-runners", "zebra"]);
}

/// The number in "overdue N d" of the elements matching `css`.
fn overdue_days(html: &Html, css: &str) -> Vec<i64> {
    select(html, css)
        .iter()
        .map(|e| {
            let t = text(e);
            t.trim_start_matches("overdue ").trim_end_matches(" d").parse().unwrap()
        })
        .collect()
}

#[test]
fn issue_25_incident_action_items_show_status_badges_and_overdue_marks() {
    let archive = built();
    let page = Html::parse_document(
        &archive.read("incidents/2023-03-01-cache-proxy-disk-full/index.html"),
    );
    let rows = select(&page, ".body table tbody tr");
    assert_eq!(rows.len(), 2);
    // Each row's status is a badge, done items styled as the actions page
    // styles them; the written cell text is kept.
    let badges: Vec<(String, String)> = select(&page, ".body table tbody .status")
        .iter()
        .map(|e| (e.value().attr("class").unwrap().to_string(), text(e)))
        .collect();
    assert_eq!(
        badges,
        [
            ("status status-open".to_string(), "open".to_string()),
            ("status status-resolved".to_string(), "done".to_string())
        ]
    );
    // Due dates never wrap; the open item past its date says by how much,
    // the same number as on the actions page (both judge by the build date).
    assert_eq!(select(&page, ".body table tbody .nowrap").len(), 2);
    let here = overdue_days(&page, ".body .overdue-badge");
    assert_eq!(here.len(), 1, "only the open item is overdue");
    let actions = Html::parse_document(&archive.read("actions/index.html"));
    let row = select(&actions, "table.actions tbody tr")
        .into_iter()
        .find(|r| text(r).contains("Alert on proxy disk usage"))
        .unwrap();
    let there: Vec<i64> = crate::support::select_in(&row, ".overdue-badge")
        .iter()
        .map(|e| text(e).trim_start_matches("overdue ").trim_end_matches(" d").parse().unwrap())
        .collect();
    assert_eq!(here, there);

    // A task list keeps its checkbox as its status; an item due in the
    // future is not overdue.
    let page = Html::parse_document(
        &archive.read("incidents/2023-09-12-cache-proxy-evictions/index.html"),
    );
    assert!(select(&page, ".body li .status").is_empty());
    assert!(select(&page, ".body .overdue-badge").is_empty());
}

#[test]
fn issue_25_a_bullet_action_item_gets_its_badge_and_overdue_mark() {
    let archive = Archive::fixture("owners");
    archive.write(
        "content/2024-07-01-bullets.md",
        "---\ntitle: Bullets\ndate: 2024-07-01\nseverity: P4\n---\n## Action Items\n\n\
         - Add a runbook, owner: ops, due 2024-08-01\n- Review quotas\n",
    );
    archive.build();
    let page = Html::parse_document(&archive.read("incidents/2024-07-01-bullets/index.html"));
    let items: Vec<String> = select(&page, ".body li").iter().map(text).collect();
    assert_eq!(items.len(), 2);
    let (before, days) = items[0].rsplit_once(" open overdue ").expect("badge and mark");
    assert!(before.ends_with("due 2024-08-01"), "{items:?}");
    assert!(days.trim_end_matches(" d").parse::<u32>().unwrap() > 0, "{items:?}");
    assert!(items[1].ends_with("Review quotas open"), "{items:?}");
}

#[test]
fn issue_25_related_lists_do_not_repeat_and_quotes_show_titles() {
    let archive = built();
    // The body has its own "Related Incidents" section: the generated list
    // is titled apart from it, and leaves out what the body already lists.
    let tls =
        Html::parse_document(&archive.read("incidents/2024-05-20-cache-proxy-tls/index.html"));
    let headings: Vec<String> = select(&tls, "h2").iter().map(text).collect();
    assert_eq!(headings.iter().filter(|h| h.to_lowercase().starts_with("related")).count(), 1);
    assert!(
        headings.contains(&"Similar incidents found in the archive".to_string()),
        "{headings:?}"
    );
    assert!(select(&tls, ".related-list a[href*=cache-proxy-evictions]").is_empty());
    // Incidents under "Referenced by" are not listed again as related.
    let disk = Html::parse_document(
        &archive.read("incidents/2023-03-01-cache-proxy-disk-full/index.html"),
    );
    let referenced: Vec<&str> =
        select(&disk, ".backlinks li > a").iter().filter_map(|a| a.value().attr("href")).collect();
    assert_eq!(referenced.len(), 2);
    for href in &referenced {
        assert!(select(&disk, &format!(".related-list a[href=\"{href}\"]")).is_empty(), "{href}");
    }
    // A quote shows the linked incident's title, never the slug written.
    let quotes: Vec<String> = select(&disk, ".backlinks blockquote").iter().map(text).collect();
    assert_eq!(quotes.len(), 2);
    for q in &quotes {
        assert!(q.contains("Artifact cache proxy disk full"), "{q}");
        assert!(!q.contains("2023-03-01-cache-proxy-disk-full"), "{q}");
    }
}

#[test]
fn issue_25_a_service_page_opens_with_what_its_owner_needs() {
    let archive = Archive::fixture("owners");
    archive.build_on("2024-07-01");
    let html = archive.read("services/artifact-caching-proxy/index.html");
    // The summary sits above the list of incidents.
    let (summary_at, list_at) =
        (html.find("class=\"owner\"").unwrap(), html.find("<table class=\"incidents").unwrap());
    assert!(summary_at < list_at);
    let page = Html::parse_document(&html);
    // The last incident and how long ago, judged against the build date.
    let last = text(&select(&page, ".owner-last")[0]);
    assert_eq!(
        last,
        "Last incident Cache proxy certificate expired on 2024-05-20 : 42 days ago as of 2024-07-01 ."
    );
    // Incidents over time by severity, drawn at build time: one column
    // part per quarter with incidents (2023-Q1, 2023-Q3, 2024-Q2).
    let charts = select(&page, ".owner-chart");
    assert_eq!(charts.len(), 2, "incidents over time and the time to resolve");
    assert_eq!(crate::support::select_in(&charts[0], ".chart-wide rect.bar").len(), 3);
    assert_eq!(crate::support::select_in(&charts[1], ".chart-wide circle.dot").len(), 3);
    // Open action items, overdue first with how long.
    let actions: Vec<String> = select(&page, ".owner-actions li").iter().map(text).collect();
    assert_eq!(actions.len(), 2, "{actions:?}");
    assert!(
        actions[0].starts_with(
            "Alert on proxy disk usage above 80% (infra) due 2023-04-01 overdue 457 d"
        ),
        "{actions:?}"
    );
    assert!(!actions[1].contains("overdue"), "{actions:?}");
    assert_eq!(text(&select(&page, ".owner .counts")[0]), "2 open · 1 overdue as of 2024-07-01");
    // Recurring failures, from the related stage's recurrences. The
    // expired certificate, which its write-up links to the evictions, is
    // another failure of the same proxy, not the evictions again.
    let recurrences: Vec<String> =
        select(&page, ".owner-recurrences li").iter().map(text).collect();
    assert_eq!(
        recurrences,
        [
            "Cache proxy evicts hot artifacts 2023-09-12 recurs Artifact cache proxy disk full 2023-03-01"
        ]
    );
    // The services it fails together with, with how often.
    let together: Vec<String> = select(&page, ".owner-together li").iter().map(text).collect();
    assert_eq!(together, ["build-runners 2 incidents"]);
    // A service with a single incident draws nothing and says why, once.
    let html = archive.read("services/build-runners/index.html");
    assert!(html.contains("class=\"owner\""));
    let archive = Archive::fixture("owners");
    archive.write(
        "content/2024-07-01-solo.md",
        "---\ntitle: Solo\ndate: 2024-06-30\nseverity: P4\nservices: [solo-svc]\n---\nText.\n",
    );
    archive.build_on("2024-07-01");
    let page = Html::parse_document(&archive.read("services/solo-svc/index.html"));
    assert!(select(&page, ".owner-chart").is_empty());
    assert_eq!(select(&page, ".owner-not-drawn").len(), 1);
    let muted: Vec<String> = select(&page, ".owner p.muted").iter().map(text).collect();
    assert!(muted.contains(&"No open action items.".to_string()), "{muted:?}");
}

/// Action items as meeting notes write them, the owner first: "Alice to add
/// …" is Alice's when the archive knows her (she wrote a review, or owns an
/// item elsewhere); "Move to the new cluster" names nobody. The lint for an
/// item without an owner names only the one that has none.
#[test]
fn an_action_opened_by_a_known_person_is_theirs() {
    let archive = Archive::fixture("basic");
    archive.write(
        "content/2024-09-10-notes.md",
        "---\ntitle: Queue alerts missing\ndate: 2024-09-10\nseverity: P3\n\
         authors: [Alice Ortiz]\n---\n## Action Items\n\n\
         - Alice to add alerting on queue depth\n\
         - Bruno to write the replay runbook\n\
         - Move to the new cluster\n",
    );
    archive.write(
        "content/2024-09-11-other.md",
        "---\ntitle: Replay stuck\ndate: 2024-09-11\nseverity: P3\n---\n## Action Items\n\n\
         - Cap replays per minute (owner: Bruno)\n",
    );
    let report = archive.build();
    assert_eq!(archive.action_owner("Alice to add alerting"), "Alice");
    assert_eq!(archive.action_owner("Bruno to write"), "Bruno");
    assert_eq!(archive.action_owner("Move to the new cluster"), serde_json::Value::Null);
    let unowned: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.code == "RCA071")
        .filter(|d| d.file.as_deref().is_some_and(|f| f.ends_with("2024-09-10-notes.md")))
        .map(|d| d.message.clone())
        .collect();
    assert_eq!(unowned.len(), 1, "{unowned:?}");
    assert!(unowned[0].contains("Move to the new cluster"), "{unowned:?}");
}
