//! The `followups` fixture: the archive timeline, the incident timeline
//! with phases and derived times, the stats page, action items (with an
//! overdue one judged against a fixed build date), and the feeds.

use std::process::Command;

use scraper::Html;

use crate::support::{Archive, codes};
use crate::support::{select, select_in, text};
use hindsight::{BuildOptions, Site};

/// 2024-06-01T12:00:00Z.
const EPOCH: &str = "1717243200";

fn build() -> Archive {
    let archive = Archive::fixture("followups");
    let mut site = Site::open(archive.root()).expect("config");
    site.build_date = jiff::civil::date(2024, 6, 1);
    let report = site.build(&BuildOptions::default()).expect("build");
    // The unreadable timeline time is a warning with its line.
    assert_eq!(
        codes(&report),
        [("RCA040".to_string(), "content/2024-03-01-queue-stall.md".to_string(), Some(21))]
    );
    archive
}

#[test]
fn incident_page_shows_phases_offsets_and_derived_times() {
    let archive = build();
    let doc = Html::parse_document(&archive.read("incidents/2024-03-01-queue-stall/index.html"));
    let times: Vec<String> = select(&doc, ".meta .times").iter().map(text).collect();
    assert_eq!(
        times,
        ["Time to detect 5 min", "Time to mitigate 40 min", "Time to resolve 1 h 30 min"]
    );
    let events = select(&doc, ".vt-event");
    assert_eq!(events.len(), 6, "the unreadable row still shows");
    let offsets: Vec<String> =
        events.iter().map(|e| text(&select_in(e, ".vt-offset")[0])).collect();
    assert_eq!(offsets, ["T+0", "T+15m", "T+22m", "T+50m", "T+1h40m", "T?"]);
    // Past midnight the row carries the next day.
    let after_midnight = select_in(&events[3], "time")[0].value().attr("datetime").unwrap();
    assert!(after_midnight.starts_with("2024-03-02T00:20"), "{after_midnight}");
    let phases: Vec<String> = select(&doc, ".vt .phase").iter().map(text).collect();
    assert_eq!(phases, ["detected", "responded", "mitigated", "resolved"]);
    assert!(select(&doc, ".vt-note").is_empty(), "nothing was inferred");
}

#[test]
fn inferred_phases_are_said_so() {
    let archive = build();
    let doc = Html::parse_document(&archive.read("incidents/2024-05-20-api-latency/index.html"));
    let phases: Vec<String> = select(&doc, ".vt .phase").iter().map(text).collect();
    assert_eq!(phases, ["detected (inferred)", "resolved (inferred)"]);
    assert_eq!(select(&doc, ".vt-note").len(), 1);
    let times: Vec<String> = select(&doc, ".meta .times").iter().map(text).collect();
    assert!(times[0].ends_with("(inferred)"), "{times:?}");
    // The written duration says when it was resolved: no guess is shown.
    assert_eq!(times[2], "Time to resolve 30 min");
    // No timeline: no section and no derived times.
    let doc = Html::parse_document(&archive.read("incidents/2023-11-02-dns/index.html"));
    assert!(select(&doc, ".incident-timeline").is_empty());
    assert!(select(&doc, ".meta .times").is_empty());
}

#[test]
fn archive_timeline_groups_by_year_and_month_and_links_the_strip() {
    let archive = build();
    let doc = Html::parse_document(&archive.read("timeline/index.html"));
    let years: Vec<String> =
        select(&doc, ".tl-year").iter().map(|y| y.value().id().unwrap().to_string()).collect();
    assert_eq!(years, ["y-2024", "y-2023"]);
    let months: Vec<String> = select(&doc, ".tl-month h3").iter().map(text).collect();
    assert_eq!(months, ["May 2024", "March 2024", "November 2023"]);
    let entries = select(&doc, ".tl-entry");
    assert_eq!(entries.len(), 3);
    let first = entries[0].value();
    assert_eq!(first.id(), Some("i-2024-05-20-api-latency"));
    assert!(first.classes().any(|c| c == "sev-p2"));
    assert_eq!(first.attr("data-service"), Some(r#"["api"]"#));
    assert!(text(&entries[0]).contains("30 min"));
    assert!(text(&entries[1]).contains("Queue stall & <retry> storm"));
    // The strip is an SVG whose bars link to entries on the page.
    let hrefs: Vec<&str> = select(&doc, ".overview .chart-wide svg a")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(hrefs.len(), 3);
    for href in hrefs {
        // Each bar names the timeline page holding its incident: here the
        // first, the archive being short.
        let id = href.strip_prefix("index.html#").unwrap();
        assert_eq!(select(&doc, &format!("[id='{id}']")).len(), 1, "{href}");
    }
    // Filters: hidden without JavaScript, the script is a file.
    let form = select(&doc, "form[data-facets]");
    assert!(form[0].value().attr("hidden").is_some());
    // The same controls as the index: severities as checkboxes, long
    // lists as selects.
    assert_eq!(facet_names(&doc, "input[type=checkbox]"), ["severity"]);
    assert_eq!(facet_names(&doc, "select"), ["service", "tag"]);
    assert!(archive.out().join("static/facets.js").is_file());
    assert!(select(&doc, "[style]").is_empty());
}

#[test]
fn stats_page_has_charts_with_titles_and_tables() {
    let archive = build();
    let doc = Html::parse_document(&archive.read("stats/index.html"));
    let charts = select(&doc, "section.chart");
    let ids: Vec<&str> = charts.iter().filter_map(|c| c.value().id()).collect();
    assert_eq!(
        ids,
        [
            "per-month",
            "detect-severity",
            "resolve-severity",
            "detect-quarter",
            "resolve-quarter",
            "services-count",
            "services-minutes",
            "tags"
        ]
    );
    for chart in &charts {
        assert!(!select_in(chart, "svg title").is_empty());
        assert_eq!(select_in(chart, "table").len(), 1, "{:?}", chart.value().id());
    }
    let resolve = &charts[2];
    let rows: Vec<String> = select_in(resolve, "tbody tr").iter().map(text).collect();
    // One data point per severity: its time, with its count, and no p90.
    assert_eq!(rows, ["P1 1 1 h 30 min —", "P2 1 30 min —", "P3 0 — —"]);
    let minutes: Vec<String> = select_in(&charts[6], "tbody tr").iter().map(text).collect();
    assert_eq!(minutes, ["api 2 h", "queue 1 h 30 min"]);
    let months: Vec<String> = select_in(&charts[0], "tbody tr").iter().map(text).collect();
    assert_eq!(months[0], "May 2024 0 1 0 1");
    // 2023-11 to 2024-05 inclusive: seven month columns, three with bars.
    let bars = select_in(&charts[0], ".chart-wide svg rect.bar");
    assert_eq!(bars.len(), 3);
}

#[test]
fn action_items_mark_overdue_against_the_build_date() {
    let archive = build();
    let json: serde_json::Value = serde_json::from_str(&archive.read("actions.json")).unwrap();
    assert_eq!(json["build_date"], "2024-06-01");
    assert_eq!(json["total"], 5);
    assert_eq!(json["open"], 3);
    assert_eq!(json["overdue"], 1);
    let items = json["items"].as_array().unwrap();
    let first = &items[0];
    assert_eq!(first["action"], "Alert on consumer lag per partition");
    assert_eq!(first["overdue"], true);
    assert_eq!(first["days_overdue"], 61);
    assert_eq!(first["owner"], "alice");
    assert_eq!(first["incident"], "2024-03-01-queue-stall");
    assert_eq!(first["incident_severity"], "P1");
    assert_eq!(first["incident_url"], "incidents/2024-03-01-queue-stall/index.html");
    let done_past_due = items.iter().find(|i| i["action"] == "Document broker upgrade").unwrap();
    assert_eq!(done_past_due["overdue"], false);
    assert_eq!(done_past_due["done"], true);
    let undated = items.iter().find(|i| i["action"] == "Add a canary stage").unwrap();
    assert_eq!(undated["overdue"], false);
    assert_eq!(undated["owner"], serde_json::Value::Null);

    let doc = Html::parse_document(&archive.read("actions/index.html"));
    let overdue = select(&doc, "table.actions tr.overdue");
    assert_eq!(overdue.len(), 1);
    assert!(text(&overdue[0]).contains("overdue 61 d"));
    // The filters read each item's status from the actions data, in page
    // order: the overdue item is first, open and overdue.
    let manifest = archive.data_file("actions/data", "index");
    let statuses = archive.data_file("actions/data", "c/status");
    let names: Vec<&str> = statuses[0]
        .as_array()
        .unwrap()
        .iter()
        .map(|id| manifest["values"]["status"][id.as_u64().unwrap() as usize].as_str().unwrap())
        .collect();
    assert_eq!(names, ["open", "overdue"]);
    assert_eq!(manifest["n"], items.len());
    let rows = archive.data_file("actions/data", "r/0");
    assert!(rows[0].as_str().unwrap().contains("overdue 61 d"), "{}", rows[0]);
    let link = select_in(&overdue[0], "a[href='../incidents/2024-03-01-queue-stall/index.html']");
    assert_eq!(link.len(), 1);
    assert_eq!(facet_names(&doc, "input[type=checkbox]"), ["status", "priority"]);
    assert_eq!(facet_names(&doc, "select"), ["owner"]);
}

/// The names of the filter controls matching `what`, each once, in order.
fn facet_names(doc: &scraper::Html, what: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for el in select(doc, &format!("form[data-facets] {what}")) {
        let name = el.value().attr("name").unwrap_or_default().to_string();
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

#[test]
fn source_date_epoch_sets_the_build_date_of_the_binary() {
    let archive = Archive::fixture("followups");
    let out = Command::new(env!("CARGO_BIN_EXE_hindsight"))
        .args(["build", "--root", &archive.root().to_string_lossy()])
        .env_clear()
        .env("NO_COLOR", "1")
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .output()
        .expect("run hindsight");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_str(&archive.read("actions.json")).unwrap();
    assert_eq!(json["build_date"], "2024-06-01");
    assert_eq!(json["overdue"], 1);
}

const ATOM: &str = "http://www.w3.org/2005/Atom";

/// The first child of `n` named `name` in the Atom namespace.
fn child<'a, 'i>(n: roxmltree::Node<'a, 'i>, name: &str) -> Option<roxmltree::Node<'a, 'i>> {
    n.children().find(|c| c.has_tag_name((ATOM, name)))
}

fn is_rfc3339(s: &str) -> bool {
    s.parse::<jiff::Timestamp>().is_ok() && s.contains('T')
}

#[test]
fn atom_feed_is_valid_atom_with_absolute_urls() {
    let archive = build();
    let xml = archive.read("atom.xml");
    let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
    let feed = doc.root_element();
    assert_eq!(feed.tag_name().name(), "feed");
    assert_eq!(feed.tag_name().namespace(), Some(ATOM));
    assert_eq!(child(feed, "id").and_then(|n| n.text()), Some("https://rca.example.org/sub/"));
    assert_eq!(child(feed, "title").and_then(|n| n.text()), Some("Follow-up fixture"));
    assert!(child(feed, "author").and_then(|a| child(a, "name")).is_some());
    let updated = child(feed, "updated").and_then(|n| n.text()).unwrap();
    assert!(is_rfc3339(updated), "{updated}");
    let self_link = feed
        .children()
        .find(|c| c.has_tag_name((ATOM, "link")) && c.attribute("rel") == Some("self"))
        .unwrap();
    assert_eq!(self_link.attribute("href"), Some("https://rca.example.org/sub/atom.xml"));

    let entries: Vec<_> = feed.children().filter(|c| c.has_tag_name((ATOM, "entry"))).collect();
    assert_eq!(entries.len(), 2, "feed_limit = 2");
    let ids: Vec<&str> = entries.iter().filter_map(|e| child(*e, "id")?.text()).collect();
    assert_eq!(
        ids,
        [
            "https://rca.example.org/sub/incidents/2024-05-20-api-latency/index.html",
            "https://rca.example.org/sub/incidents/2024-03-01-queue-stall/index.html"
        ]
    );
    for e in &entries {
        for name in ["id", "title", "updated", "link", "content"] {
            assert!(child(*e, name).is_some(), "entry lacks {name}");
        }
        assert!(is_rfc3339(child(*e, "updated").unwrap().text().unwrap()));
    }
    assert_eq!(child(entries[1], "updated").unwrap().text(), Some("2024-03-01T23:40:00Z"));
    // Titles and content come back exactly as written: escaped, not lost.
    assert_eq!(child(entries[1], "title").unwrap().text(), Some("Queue stall & <retry> storm"));
    let content = child(entries[1], "content").unwrap();
    assert_eq!(content.attribute("type"), Some("html"));
    assert!(content.text().unwrap().contains("Consumers stalled at midnight"));
    assert!(child(entries[1], "summary").is_none(), "the summary is in the content, once");
    assert!(!xml.contains("<retry>"));
}

#[test]
fn service_feeds_and_sitemap() {
    let archive = build();
    let xml = archive.read("services/api/atom.xml");
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let entries = doc.descendants().filter(|n| n.has_tag_name("entry")).count();
    assert_eq!(entries, 2);
    assert!(archive.out().join("services/dns/atom.xml").is_file());
    let page = archive.read("services/api/index.html");
    assert!(page.contains(r#"href="atom.xml""#));

    let sitemap = archive.read("sitemap.xml");
    let doc = roxmltree::Document::parse(&sitemap).unwrap();
    let locs: Vec<&str> =
        doc.descendants().filter(|n| n.has_tag_name("loc")).filter_map(|n| n.text()).collect();
    for page in [
        "https://rca.example.org/sub/index.html",
        "https://rca.example.org/sub/timeline/index.html",
        "https://rca.example.org/sub/stats/index.html",
        "https://rca.example.org/sub/actions/index.html",
        "https://rca.example.org/sub/incidents/2023-11-02-dns/index.html",
    ] {
        assert!(locs.contains(&page), "{page} missing from {locs:?}");
    }
    assert!(!locs.iter().any(|l| l.ends_with("404.html")));
    let mut sorted = locs.clone();
    sorted.sort_unstable();
    assert_eq!(locs, sorted);
}

#[test]
fn nav_links_the_new_pages() {
    let archive = build();
    let doc = Html::parse_document(&archive.read("index.html"));
    let hrefs: Vec<&str> =
        select(&doc, ".site-header nav a").iter().filter_map(|a| a.value().attr("href")).collect();
    for page in ["timeline/index.html", "stats/index.html", "actions/index.html"] {
        assert!(hrefs.contains(&page), "{hrefs:?}");
    }
}

#[test]
fn a_century_old_incident_keeps_the_charts_small() {
    let archive = Archive::fixture("followups");
    archive.write(
        "content/1900-01-01-old.md",
        "---\ntitle: Old\ndate: 1900-01-01\nseverity: P4\nservices: [api]\n---\nok\n",
    );
    let mut site = Site::open(archive.root()).expect("config");
    site.build_date = jiff::civil::date(2024, 6, 1);
    site.build(&BuildOptions::default()).expect("build");
    let timeline = archive.read("timeline/index.html");
    assert!(timeline.len() < 200_000, "{} bytes", timeline.len());
    assert!(timeline.contains("i-1900-01-01-old"), "the list still holds it");
    assert!(!timeline.contains(">1900</text>"), "the strip shows recent years only");
    assert!(timeline.contains(">2024</text>"));
    let stats = archive.read("stats/index.html");
    assert!(stats.len() < 200_000, "{} bytes", stats.len());
    assert!(stats.contains("January 1900"), "the table still holds it");
    assert!(!stats.contains(">1900</text>"), "the chart draws recent years only");
}

/// A row late in a Pacific afternoon is on the next day in UTC: its
/// `datetime` says so, but the page shows the clock and the day as the
/// write-up has them, and no change of day.
#[test]
fn a_row_shows_the_day_of_its_own_zone() {
    let archive = Archive::dir_with(&[]);
    archive.write(
        "content/2018-02-22-ingress-down.md",
        "---\ntitle: Ingress down\ndate: 2018-02-22T15:40:00-08:00\nseverity: P2\n---\n\n\
         ## Timeline\n\nAll times in PST.\n\n### 15:50\n\nDeploy starts.\n\n### 16:32\n\n\
         Alerts fire for the ingress.\n\n### 17:10\n\nFixed by a restart.\n",
    );
    archive.build();
    let doc = Html::parse_document(&archive.read("incidents/2018-02-22-ingress-down/index.html"));
    let shown: Vec<String> = select(&doc, ".vt-time").iter().map(text).collect();
    assert_eq!(shown, ["15:50", "16:32", "17:10"]);
    let second = select(&doc, ".vt-time")[1].value().attr("datetime").unwrap().to_string();
    assert_eq!(second, "2018-02-23T00:32:00Z");
}
