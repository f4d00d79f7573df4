//! Lists that stay small: the index and the term pages show a hundred
//! incidents a page, newest first, with static next pages that reach every
//! incident; the index's filter data (`list/`) agrees with incidents.json.

use std::collections::{BTreeMap, BTreeSet};

use scraper::Html;

use crate::support::{Archive, select, text};

/// 250 incidents over three severities and four services, one every
/// three days from 2020-01-01 to 2022-01-19, two action items each.
fn archive() -> Archive {
    let archive = Archive::dir_with(&[]);
    for i in 0..250 {
        let day = jiff::civil::date(2020, 1, 1) + jiff::Span::new().days(3 * i);
        let text = format!(
            "---\ntitle: Incident number {i}\ndate: {day}\nseverity: P{}\nservices: [svc-{}]\ntags: [t{}]\n---\n\n## Summary\n\nThing {i} broke.\n\n## Action items\n\n| Action | Owner | Status |\n|---|---|---|\n| Fix thing {i} | SRE | open |\n| Check thing {i} | SRE | done |\n",
            i % 3 + 1,
            i % 4,
            i % 2,
        );
        archive.write(&format!("content/{day}-n{i}.md"), text);
    }
    let report = archive.build();
    assert_eq!(report.incidents, 250);
    archive
}

fn titles(archive: &Archive, page: &str) -> Vec<String> {
    let html = Html::parse_document(&archive.read(page));
    select(&html, "table.incidents tbody tr .incident-link").iter().map(text).collect()
}

fn pager_links(archive: &Archive, page: &str) -> Vec<(String, String)> {
    let html = Html::parse_document(&archive.read(page));
    select(&html, "nav.pager a")
        .iter()
        .map(|a| (text(a), a.value().attr("href").unwrap().to_string()))
        .collect()
}

#[test]
fn the_index_is_paged_newest_first_and_its_pages_reach_every_incident() {
    let archive = archive();
    let first = titles(&archive, "index.html");
    assert_eq!(first.len(), 100);
    assert_eq!(first[0], "Incident number 249", "newest first");
    let mut seen: Vec<String> = Vec::new();
    // Follow "Older" from the first page, as a reader without JavaScript.
    let mut page = "index.html".to_string();
    let mut pages = 0;
    loop {
        seen.extend(titles(&archive, &page));
        pages += 1;
        let links = pager_links(&archive, &page);
        let Some((_, next)) = links.iter().find(|(t, _)| t.starts_with("Older")) else { break };
        page = next.clone();
    }
    assert_eq!(pages, 3);
    assert_eq!(page, "page-3.html");
    let expected: Vec<String> = (0..250).rev().map(|i| format!("Incident number {i}")).collect();
    assert_eq!(seen, expected, "every incident once, in order");
    // The later pages: no filter form, a way back.
    let html = Html::parse_document(&archive.read("page-2.html"));
    assert!(select(&html, "form#filters").is_empty());
    let links = pager_links(&archive, "page-2.html");
    assert!(links.contains(&("← Newer".to_string(), "index.html".to_string())), "{links:?}");
    assert!(archive.read("page-2.html").contains("Incidents 101–200 of 250"));
    // Rows link to the incidents from the root.
    let html = Html::parse_document(&archive.read("page-3.html"));
    let href = select(&html, ".incident-link")[0].value().attr("href").unwrap().to_string();
    assert!(href.starts_with("incidents/"), "{href}");
}

#[test]
fn term_pages_are_paged_beside_their_first_page() {
    let archive = archive();
    // P1 is every third incident: 84 of them, one page; t0 has 125.
    assert!(pager_links(&archive, "severity/p1/index.html").is_empty());
    let first = titles(&archive, "tags/t0/index.html");
    let second = titles(&archive, "tags/t0/page-2.html");
    assert_eq!((first.len(), second.len()), (100, 25));
    assert_eq!(second.last().unwrap(), "Incident number 0");
    let html = Html::parse_document(&archive.read("tags/t0/page-2.html"));
    let href = select(&html, ".incident-link")[0].value().attr("href").unwrap().to_string();
    assert!(href.starts_with("../../incidents/"), "{href}");
}

#[test]
fn filter_columns_agree_with_incidents_json() {
    let archive = archive();
    let incidents: serde_json::Value =
        serde_json::from_str(&archive.read("incidents.json")).unwrap();
    let incidents = incidents.as_array().unwrap();
    let manifest = archive.list_file("index");
    assert_eq!(manifest["n"].as_u64().unwrap() as usize, incidents.len());
    let values = |k: &str| -> Vec<String> {
        manifest["values"][k]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().into())
            .collect()
    };
    let cell = |column: &serde_json::Value, names: &[String], d: usize| -> BTreeSet<String> {
        match &column[d] {
            serde_json::Value::Number(n) => [names[n.as_u64().unwrap() as usize].clone()].into(),
            v => v
                .as_array()
                .unwrap()
                .iter()
                .map(|n| names[n.as_u64().unwrap() as usize].clone())
                .collect(),
        }
    };
    let (severity, service) = (archive.list_file("c/severity"), archive.list_file("c/service"));
    let dates = archive.list_file("c/date");
    let mut per_severity: BTreeMap<String, usize> = BTreeMap::new();
    for (d, incident) in incidents.iter().enumerate() {
        let sev = cell(&severity, &values("severity"), d);
        assert_eq!(sev, [incident["severity"].as_str().unwrap().to_string()].into(), "{d}");
        let services: BTreeSet<String> = incident["services"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().into())
            .collect();
        assert_eq!(cell(&service, &values("service"), d), services, "{d}");
        assert_eq!(dates[d], incident["date"], "{d}");
        *per_severity.entry(sev.into_iter().next().unwrap()).or_default() += 1;
    }
    assert_eq!(per_severity.get("P1"), Some(&84));
    // The row files hold every row, in order, rendered for the root.
    let per = manifest["per"].as_u64().unwrap() as usize;
    let last = archive.list_file(&format!("r/{}", (incidents.len() - 1) / per));
    let html = last.as_array().unwrap().last().unwrap().as_str().unwrap().to_string();
    assert!(html.contains("Incident number 0") && html.contains("href=\"incidents/"), "{html}");
}

#[test]
fn the_timeline_is_paged_and_its_links_find_each_page() {
    let archive = archive();
    let entries = |page: &str| -> Vec<String> {
        let html = Html::parse_document(&archive.read(&format!("timeline/{page}")));
        select(&html, ".tl-entry .incident-link").iter().map(text).collect()
    };
    let mut all = Vec::new();
    for page in ["index.html", "page-2.html", "page-3.html"] {
        all.extend(entries(page));
    }
    let expected: Vec<String> = (0..250).rev().map(|i| format!("Incident number {i}")).collect();
    assert_eq!(all, expected, "every incident once, newest first");
    assert_eq!(entries("index.html").len(), 100);
    // Year links say on which page each year starts: 2022 and 2021 on
    // the first, 2020 (the oldest 122 incidents) from the second.
    let first = Html::parse_document(&archive.read("timeline/index.html"));
    let years: Vec<String> = select(&first, "nav.year-jump a")
        .iter()
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    assert_eq!(years, ["index.html#y-2022", "index.html#y-2021", "page-2.html#y-2020"]);
    assert!(archive.read("timeline/page-2.html").contains("id=\"y-2020\""));
    // The overview is on the first page only, its bars pointing at pages
    // that hold the incident.
    let bars: Vec<String> = select(&first, "figure.overview a")
        .iter()
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    assert!(!bars.is_empty());
    for href in &bars {
        let (page, anchor) = href.split_once('#').unwrap();
        assert!(
            archive.read(&format!("timeline/{page}")).contains(&format!("id=\"{anchor}\"")),
            "{href}"
        );
    }
    let second = Html::parse_document(&archive.read("timeline/page-2.html"));
    assert!(select(&second, "figure.overview").is_empty());
}

#[test]
fn action_items_are_paged() {
    let archive = archive();
    let rows = |page: &str| {
        let html = Html::parse_document(&archive.read(&format!("actions/{page}")));
        select(&html, "table.actions tbody tr").len()
    };
    assert_eq!((rows("index.html"), rows("page-2.html"), rows("page-3.html")), (200, 200, 100));
    assert!(archive.read("actions/page-3.html").contains("Action items 401–500 of 500"));
    let json: serde_json::Value = serde_json::from_str(&archive.read("actions.json")).unwrap();
    assert_eq!(json["items"].as_array().unwrap().len(), 500, "actions.json holds every item");
    assert!(!archive.read("actions.json").contains("\n  "), "compact JSON");
}

/// See: issue 24. The index can show only the incidents of recurring
/// failures: the `recurring` column says `yes` exactly for an incident that
/// is a recurrence of another, or that a later one recurs, by
/// incidents.json's `recurrence_of`; the form offers the filter with its
/// counts.
#[test]
fn the_recurring_filter_agrees_with_recurrence_of() {
    let archive = Archive::fixture("recurrences");
    archive.build();
    let incidents: serde_json::Value =
        serde_json::from_str(&archive.read("incidents.json")).unwrap();
    let incidents = incidents.as_array().unwrap();
    let mut recurring: BTreeSet<&str> = BTreeSet::new();
    for incident in incidents {
        if let Some(earlier) = incident["recurrence_of"].as_str() {
            recurring.insert(incident["id"].as_str().unwrap());
            recurring.insert(earlier);
        }
    }
    assert!(recurring.len() >= 20, "the fixture's families recur: {recurring:?}");
    let manifest = archive.list_file("index");
    let names: Vec<&str> = manifest["values"]["recurring"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let column = archive.list_file("c/recurring");
    for (d, incident) in incidents.iter().enumerate() {
        let id = incident["id"].as_str().unwrap();
        let value = names[column[d].as_u64().unwrap() as usize];
        assert_eq!(value == "yes", recurring.contains(id), "{id}: {value}");
    }
    let index = Html::parse_document(&archive.read("index.html"));
    let options: Vec<String> =
        select(&index, "select[name=recurring] option").iter().map(|o| text(o)).collect();
    assert_eq!(
        options,
        [
            "Any incident".to_string(),
            format!("Recurring failures ({})", recurring.len()),
            format!("One-off ({})", incidents.len() - recurring.len()),
        ]
    );
}

/// Sixty recurring failures of three incidents each, every family with
/// its own made-up words, so each is a cluster of its own.
fn many_clusters() -> Archive {
    let archive = Archive::dir_with(&[]);
    let letters = |n: usize| {
        let l = |k: usize| char::from(b'a' + (k % 26) as u8);
        format!("{}{}", l(n / 26), l(n))
    };
    for family in 0..60 {
        let w = letters(family);
        for member in 0..3 {
            let day = jiff::civil::date(2021, 1, 1)
                + jiff::Span::new().days((family * 3 + member) as i64);
            let text = format!(
                "---\ntitle: Grelm{w} quorvath{w} outage, part {member}\ndate: {day}\nseverity: P2\nservices: [svc-{w}]\n---\n\n## Summary\n\nThe grelm{w} quorvath{w} stalled and the zintel{w} queue backed up.\n\n## Root cause\n\nA frobbed grelm{w} zintel{w} setting in quorvath{w}.\n"
            );
            archive.write(&format!("content/{day}-{w}-{member}.md"), text);
        }
    }
    assert_eq!(archive.build().incidents, 180);
    archive
}

/// The graph page lists fifty recurring failures a page; every incident's
/// cluster link finds its cluster on the page it names, and the drawing's
/// labels link to the list.
#[test]
fn the_graph_pages_list_every_cluster_where_its_links_say() {
    let archive = many_clusters();
    let graph: serde_json::Value = serde_json::from_str(&archive.read("graph.json")).unwrap();
    assert_eq!(graph["nodes"].as_array().unwrap().len(), 180);
    let first = Html::parse_document(&archive.read("graph/index.html"));
    let ids = |doc: &Html| -> Vec<String> {
        select(doc, "ol.clusters > li")
            .iter()
            .map(|li| li.value().id().unwrap().to_string())
            .collect()
    };
    let second = Html::parse_document(&archive.read("graph/page-2.html"));
    let (one, two) = (ids(&first), ids(&second));
    assert_eq!(one.len(), 50);
    assert!((55..=60).contains(&(one.len() + two.len())), "about one cluster a family");
    assert!(select(&second, "svg.graph").is_empty(), "the drawing is on the first page only");
    let lede = &select(&second, "p.lede")[0];
    assert!(text(lede).contains("The drawing is on the first page"), "{}", text(lede));
    assert_eq!(crate::support::select_in(lede, "a")[0].value().attr("href"), Some("index.html"));
    assert!(
        pager_links(&archive, "graph/index.html").contains(&("2".into(), "page-2.html".into()))
    );
    let labels: Vec<String> = select(&first, "g.cluster-labels a")
        .iter()
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    assert_eq!(labels.len(), one.len() + two.len(), "every cluster is drawn and named");
    assert!(labels.contains(&"page-2.html#cluster-51".to_string()), "{labels:?}");
    for node in graph["nodes"].as_array().unwrap() {
        let page = archive.read(node["url"].as_str().unwrap());
        let doc = Html::parse_document(&page);
        let link = select(&doc, "p.cluster a")[0].value().attr("href").unwrap().to_string();
        let (file, anchor) = link.trim_start_matches("../../").split_once('#').unwrap();
        let target = Html::parse_document(&archive.read(file));
        assert_eq!(select(&target, &format!("li#{anchor}")).len(), 1, "{link} from {}", node["id"]);
    }
}
