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
