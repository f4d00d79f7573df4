//! Browsing and finding: term pages, the index's filter choices and row
//! data, and the search index, for the `basic` fixture plus a CJK incident.

use scraper::{Html, Selector};

use crate::support::Archive;

const CJK_RCA: &str = "---\ntitle: \"华东区域缓存雪崩\"\ndate: 2023-11-10\nseverity: P2\n\
services: [catalog-api]\ntags: [cache]\n---\n## Summary\n\n商品详情缓存同时过期，数据库连接被耗尽。\n";

fn built() -> Archive {
    let archive = Archive::fixture("basic");
    archive.write("content/2023-11-10-cjk.md", CJK_RCA);
    archive.build();
    archive
}

fn select<'a>(html: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    html.select(&Selector::parse(css).unwrap()).collect()
}

fn text(el: &scraper::ElementRef<'_>) -> String {
    el.text().collect::<String>().split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn services_index_has_counts_last_dates_and_year_bars() {
    let archive = built();
    let html = Html::parse_document(&archive.read("services/index.html"));
    let rows = select(&html, "table.terms tbody tr");
    let row = rows.iter().find(|r| text(r).starts_with("payment-svc")).expect("payment-svc row");
    let td = Selector::parse("td").unwrap();
    let cells: Vec<String> = row.select(&td).map(|c| text(&c)).collect();
    assert_eq!(cells[1], "2");
    assert_eq!(cells[2], "2024-06-02");
    // Busiest service first.
    assert!(text(&rows[0]).starts_with("payment-svc"));
    // One bar per year of the archive (2022 to 2024), drawn at build time.
    let svg = row.select(&Selector::parse("svg.year-bars").unwrap()).next().expect("svg");
    assert_eq!(
        svg.value().attr("aria-label"),
        Some("Incidents per year: 2022: 0, 2023: 0, 2024: 2")
    );
    assert_eq!(svg.select(&Selector::parse("rect").unwrap()).count(), 3);
    assert!(!archive.read("services/index.html").contains("style="), "no inline styles");
}

#[test]
fn term_pages_list_newest_first_with_severity_counts() {
    let archive = built();
    let html = Html::parse_document(&archive.read("services/payment-svc/index.html"));
    let dates: Vec<String> = select(&html, "table.incidents tbody time").iter().map(text).collect();
    assert_eq!(dates, ["2024-06-02", "2024-01-10"]);
    let counts = text(&select(&html, "p.counts")[0]);
    assert_eq!(counts, "2 incidents · P1 1 · P2 1");
    // A CJK tag keeps its name for display; its path is slugified.
    assert!(archive.out().join("services/catalog-api/index.html").is_file());
    assert!(archive.out().join("tags/cache/index.html").is_file());
}

#[test]
fn severity_index_follows_the_configured_scale() {
    let archive = built();
    let html = Html::parse_document(&archive.read("severity/index.html"));
    let names: Vec<String> =
        select(&html, "table.terms tbody tr td:first-child a").iter().map(text).collect();
    assert_eq!(names, ["P0", "P1", "P2", "P3", "P4", "unrated"]);
}

#[test]
fn index_offers_filters_hidden_without_javascript() {
    let archive = built();
    let html = Html::parse_document(&archive.read("index.html"));
    let form = select(&html, "form#filters")[0];
    assert!(form.value().attr("hidden").is_some(), "filters need the script");
    let severities: Vec<&str> = select(&html, "input[name=severity]")
        .iter()
        .filter_map(|e| e.value().attr("value"))
        .collect();
    assert_eq!(severities, ["P1", "P2", "P3", "unrated"]);
    let services: Vec<&str> = select(&html, "input[name=service]")
        .iter()
        .filter_map(|e| e.value().attr("value"))
        .collect();
    assert_eq!(services, ["catalog-api", "edge", "ledger-db", "payment-svc"]);
    for name in ["tag", "status", "year", "sort"] {
        assert_eq!(select(&html, &format!("form#filters [name={name}]")).len(), 1, "{name}");
    }
    // One text box on the page: the header's search box, which the search
    // script makes, filters the list.
    assert!(select(&html, "input[name=q]").is_empty());
    assert_eq!(select(&html, "#filter-status[aria-live=polite]").len(), 1);
    // A row shows the date, severity, title, services (as links to their
    // pages) and duration; the filters match on the list's facet files.
    let row = select(&html, "table.incidents tbody tr")
        .into_iter()
        .find(|r| {
            r.select(&Selector::parse("time[datetime='2024-01-10']").unwrap()).next().is_some()
        })
        .expect("row of 2024-01-10");
    let chips: Vec<_> = row
        .select(&Selector::parse(".c-svc a.chip").unwrap())
        .map(|a| (a.value().attr("href").unwrap_or_default().to_string(), text(&a)))
        .collect();
    assert_eq!(
        chips,
        [
            ("services/payment-svc/index.html".to_string(), "payment-svc".to_string()),
            ("services/ledger-db/index.html".to_string(), "ledger-db".to_string())
        ]
    );
    let cells: Vec<String> =
        row.select(&Selector::parse("td").unwrap()).map(|c| text(&c)).collect();
    assert_eq!(cells[1], "P1");
    assert_eq!(cells[4], "1 h 35 min");
    assert!(
        row.value().attrs().next().is_none(),
        "a row carries no data attributes: {:?}",
        row.value()
    );
    // Without the script the term pages are one link away.
    assert_eq!(select(&html, "p.browse a[href='services/index.html']").len(), 1);
    assert!(archive.read("index.html").contains("src=\"static/filters.js\""));
}

#[test]
fn every_page_loads_the_search_script_from_its_relative_root() {
    // The script makes the search box and finds the site's root from its
    // own address, so the address must be relative to the page.
    let archive = built();
    for (page, root) in [
        ("index.html", ""),
        ("services/index.html", "../"),
        ("incidents/2024-01-10-db-pool/index.html", "../../"),
    ] {
        let html = Html::parse_document(&archive.read(page));
        let src = format!("script[src='{root}static/search.js']");
        assert_eq!(select(&html, &src).len(), 1, "{page}");
        assert_eq!(select(&html, ".site-header .header-row").len(), 1, "{page}: room for the box");
        assert!(select(&html, "form#site-search").is_empty(), "{page}: the box is the script's");
    }
}

/// One file of the search index (`search/<name>.js`), as JSON.
fn search_file(archive: &Archive, name: &str) -> serde_json::Value {
    let js = archive.read(&format!("search/{name}.js"));
    let prefix = format!("(self.hindsightSearch=self.hindsightSearch||{{}})[\"{name}\"]=");
    let json = js
        .strip_prefix(&prefix)
        .and_then(|s| s.strip_suffix(";\n"))
        .expect("a script adding itself to the global");
    serde_json::from_str(json).expect("JSON inside")
}

/// The whole search index put back together from its files:
/// `{"docs": [...], "terms": {token: postings}}`.
fn search_index(archive: &Archive) -> serde_json::Value {
    let manifest = search_file(archive, "index");
    let n = manifest["n"].as_u64().unwrap() as usize;
    let per = manifest["per"].as_u64().unwrap() as usize;
    let mut docs = Vec::new();
    for file in 0..n.div_ceil(per) {
        docs.extend(search_file(archive, &format!("d/{file}")).as_array().unwrap().clone());
    }
    let mut terms = serde_json::Map::new();
    let firsts = manifest["t"].as_array().unwrap();
    for (file, first) in firsts.iter().enumerate() {
        let shard = search_file(archive, &format!("t/{file}"));
        assert_eq!(&shard["w"][0], first, "the manifest names each file's first word");
        for (w, p) in shard["w"].as_array().unwrap().iter().zip(shard["p"].as_array().unwrap()) {
            terms.insert(w.as_str().unwrap().to_string(), p.clone());
        }
    }
    serde_json::json!({ "docs": docs, "terms": terms, "manifest": manifest })
}

/// Documents (by title) whose postings contain `token`.
fn docs_with(index: &serde_json::Value, token: &str) -> Vec<String> {
    let Some(postings) = index["terms"][token].as_array() else { return Vec::new() };
    let mut doc = 0;
    let mut out = Vec::new();
    for pair in postings.chunks(2) {
        doc += pair[0].as_u64().unwrap();
        out.push(index["docs"][doc as usize][1].as_str().unwrap().to_string());
    }
    out
}

#[test]
fn search_index_covers_titles_services_bodies_and_cjk() {
    let archive = built();
    let index = search_index(&archive);
    assert_eq!(index["docs"].as_array().unwrap().len(), 5);
    let first = &index["docs"][0];
    assert_eq!(first[0], "incidents/2024-06-02-pool-again/index.html");
    assert_eq!(first[1], "Pool exhausted again");
    // Title words, services, and words only in a body.
    // Two titles and one body say "exhausted".
    assert_eq!(docs_with(&index, "exhausted").len(), 3);
    assert_eq!(docs_with(&index, "edge"), ["DNS resolver timeouts"]);
    assert!(!docs_with(&index, "ledger").contains(&"华东区域缓存雪崩".to_string()));
    assert_eq!(docs_with(&index, "stampede"), ["Cache warmup stampede"]);
    // CJK as bigrams, from the title and the body.
    assert_eq!(docs_with(&index, "雪崩"), ["华东区域缓存雪崩"]);
    assert_eq!(docs_with(&index, "连接"), ["华东区域缓存雪崩"]);
    assert!(docs_with(&index, "华东区域").is_empty(), "no four-character tokens");
    // Weights carry a bit for a word in the title (64) and in the summary
    // (128), which the search box's phrase bonus reads.
    let stampede = index["terms"]["stampede"][1].as_u64().unwrap();
    assert_eq!(stampede & 64, 64, "in the title: {stampede}");
    let edge = index["terms"]["edge"][1].as_u64().unwrap();
    assert_eq!(edge & 64, 0, "only in the body: {edge}");
    // Severity lists for queries naming one.
    let levels = index["manifest"]["levels"].as_array().unwrap();
    assert!(
        !levels.is_empty()
            && levels.iter().all(|l| l.as_str().unwrap() == l.as_str().unwrap().to_lowercase())
    );
}
