//! The `undated` fixture (issue #10): an archive whose `required_fields`
//! leave out `date`, with two files that give no date anywhere (one with
//! front matter, one without). Both are pages; every page and file that
//! deals in time still builds and says honestly what it left out.

use scraper::{Html, Selector};

use crate::support::{Archive, codes};
use crate::support::{select, select_in, text};
use hindsight::{BuildOptions, Site};

const POOL: &str = "incidents/pool-outage/index.html";
const CACHE: &str = "incidents/cache-meltdown/index.html";

fn build() -> Archive {
    let archive = Archive::fixture("undated");
    let mut site = Site::open(archive.root()).expect("config");
    site.build_date = jiff::civil::date(2024, 6, 1);
    let report = site.build(&BuildOptions::default()).expect("build");
    assert_eq!(report.incidents, 4, "every file a page");
    let cache = "content/legacy/cache-meltdown.md".to_string();
    assert_eq!(
        codes(&report),
        [
            ("RCA020".to_string(), cache.clone(), None),
            ("RCA023".to_string(), cache, None),
            ("RCA023".to_string(), "content/legacy/pool-outage.md".to_string(), Some(1)),
        ],
        "warnings only"
    );
    archive
}

#[test]
fn issue_10_undated_files_are_pages_that_say_undated() {
    let archive = build();
    for page in [POOL, CACHE] {
        let doc = Html::parse_document(&archive.read(page));
        let date: Vec<String> = select(&doc, ".meta dd").iter().take(2).map(text).collect();
        assert_eq!(date[1], "undated", "{page}: {date:?}");
    }
    // The dated incident lists the undated one as related, without a date,
    // and never as close in time.
    let doc = Html::parse_document(&archive.read("incidents/2024-03-01-card-declines/index.html"));
    let pool = select(&doc, ".related-list > li")
        .into_iter()
        .find(|li| text(li).contains("Connection pool outage"))
        .expect("related by link and service");
    assert!(select_in(&pool, "time").is_empty());
    let reasons: Vec<String> = select_in(&pool, ".reasons li").iter().map(text).collect();
    assert!(reasons.contains(&"links to it".to_string()), "{reasons:?}");
    assert!(!reasons.iter().any(|r| r.contains("apart") || r.contains("same day")), "{reasons:?}");
}

#[test]
fn issue_10_the_index_lists_undated_incidents_last_and_filters_them_by_year() {
    let archive = build();
    let doc = Html::parse_document(&archive.read("index.html"));
    let rows = select(&doc, "table.incidents tbody tr");
    let listed: Vec<(String, String)> = rows
        .iter()
        .map(|r| {
            let cells: Vec<_> = r.select(&Selector::parse("td").unwrap()).collect();
            (text(&cells[0]), text(&cells[2]))
        })
        .collect();
    let expected = [
        ("2024-03-01", "Card declines after a gateway deploy"),
        ("2023-05-05", "DNS resolver overload"),
        ("undated", "Cache meltdown"),
        ("undated", "Connection pool outage"),
    ];
    let expected: Vec<(String, String)> =
        expected.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
    assert_eq!(listed, expected, "dated newest first, then undated by slug");
    assert!(
        select(&doc, "table.incidents tbody tr")[2]
            .select(&Selector::parse("time").unwrap())
            .next()
            .is_none()
    );
    // The year filter's facet gives the two undated incidents the value "undated".
    let names = &archive.list_file("index")["values"]["year"];
    let values = archive.list_file("c/year");
    let per_row: Vec<&str> = values
        .as_array()
        .unwrap()
        .iter()
        .map(|v| names[v.as_u64().unwrap() as usize].as_str().unwrap())
        .collect();
    assert_eq!(per_row, ["2024", "2023", "undated", "undated"]);
    let years: Vec<(String, String)> = select(&doc, "select[name=year] option")
        .iter()
        .map(|o| (o.value().attr("value").unwrap_or_default().to_string(), text(o)))
        .collect();
    let years: Vec<(&str, &str)> = years.iter().map(|(v, t)| (v.as_str(), t.as_str())).collect();
    assert_eq!(
        years,
        [("", "Any year"), ("2024", "2024 (1)"), ("2023", "2023 (1)"), ("undated", "Undated (2)")]
    );
    // The search index shows the word, not a made-up date.
    assert!(archive.read("search/d/0.js").contains(r#""undated""#));
}

#[test]
fn issue_10_json_files_give_null_dates() {
    let archive = build();
    let json: serde_json::Value = serde_json::from_str(&archive.read("incidents.json")).unwrap();
    let dates: Vec<(&str, &serde_json::Value)> =
        json.as_array().unwrap().iter().map(|r| (r["id"].as_str().unwrap(), &r["date"])).collect();
    let null = serde_json::Value::Null;
    assert_eq!(
        dates,
        [
            ("2024-03-01-card-declines", &serde_json::json!("2024-03-01")),
            ("2023-05-05-dns", &serde_json::json!("2023-05-05")),
            ("cache-meltdown", &null),
            ("pool-outage", &null),
        ]
    );
    let graph: serde_json::Value = serde_json::from_str(&archive.read("graph.json")).unwrap();
    let node = graph["nodes"].as_array().unwrap().iter().find(|n| n["id"] == "pool-outage");
    assert_eq!(node.unwrap()["date"], null);
}

#[test]
fn issue_10_timelines_keep_offsets_and_group_undated_incidents() {
    let archive = build();
    // The incident's own timeline: offsets and derived times, clock times only.
    let doc = Html::parse_document(&archive.read(POOL));
    let offsets: Vec<String> = select(&doc, ".vt-event .vt-offset").iter().map(text).collect();
    assert_eq!(offsets, ["T+0", "T+15m", "T+40m", "T+1h10m"], "over midnight");
    let datetimes: Vec<&str> =
        select(&doc, ".vt-event time").iter().filter_map(|t| t.value().attr("datetime")).collect();
    assert_eq!(datetimes, ["23:50:00", "00:05:00", "00:30:00", "01:00:00"], "no invented day");
    let times: Vec<String> = select(&doc, ".meta .times").iter().map(text).collect();
    assert!(times.contains(&"Time to resolve 1 h 10 min".to_string()), "{times:?}");

    // The archive timeline: years, then the undated group; the strip only
    // counts the dated incidents and says so.
    let doc = Html::parse_document(&archive.read("timeline/index.html"));
    let groups: Vec<&str> =
        select(&doc, "section.tl-year").iter().filter_map(|s| s.value().attr("id")).collect();
    assert_eq!(groups, ["y-2024", "y-2023", "y-undated"]);
    let undated: Vec<&str> =
        select(&doc, "#y-undated .tl-entry").iter().filter_map(|e| e.value().attr("id")).collect();
    assert_eq!(undated, ["i-cache-meltdown", "i-pool-outage"]);
    let caption = text(&select(&doc, "figure.overview figcaption")[0]);
    assert!(caption.contains("Undated incidents (2)"), "{caption}");
    let bars = select(&doc, "figure.overview .chart-wide a").len();
    assert_eq!(bars, 2, "one bar per dated incident's week");
}

#[test]
fn issue_10_stats_and_term_pages_count_undated_incidents_without_placing_them() {
    let archive = build();
    let doc = Html::parse_document(&archive.read("stats/index.html"));
    let counts = text(&select(&doc, "p.counts")[0]);
    assert!(counts.starts_with("4 incidents"), "{counts}");
    let note = text(&select(&doc, "#per-month figcaption")[0]);
    assert!(note.contains("2 undated incidents"), "{note}");
    let quarters: Vec<String> =
        select(&doc, "#resolve-quarter tbody th").iter().map(text).collect();
    assert_eq!(quarters, ["2023-Q2", "2024-Q1"], "no quarter for the undated");
    // Time to resolve by severity includes the undated P2.
    let by_severity: Vec<String> =
        select(&doc, "#resolve-severity tbody th").iter().map(text).collect();
    assert!(by_severity.contains(&"P2".to_string()), "{by_severity:?}");

    let doc = Html::parse_document(&archive.read("services/index.html"));
    let payment = select(&doc, "tbody tr")
        .into_iter()
        .find(|r| text(r).contains("payment-svc"))
        .map(|r| text(&r))
        .unwrap();
    assert!(payment.contains("payment-svc 2 2024-03-01"), "{payment}");
    let services = archive.read("services/index.html");
    assert!(services.contains("2024: 1"), "the bars count only the dated one");
    // A term whose incidents are all undated has no last date.
    let doc = Html::parse_document(&archive.read("severity/index.html"));
    let unrated = select(&doc, "tbody tr").iter().map(text).find(|r| r.contains("Not rated"));
    assert!(unrated.as_deref().is_some_and(|r| r.contains(" 1 undated")), "{unrated:?}");
}

fn entry_ids(xml: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(xml).expect("well-formed XML");
    doc.descendants()
        .filter(|n| n.has_tag_name("entry"))
        .filter_map(|e| e.children().find(|c| c.has_tag_name("id"))?.text().map(String::from))
        .collect()
}

#[test]
fn issue_10_feeds_leave_undated_incidents_out_and_the_sitemap_gives_no_lastmod() {
    let archive = build();
    let base = "https://rca.example.org/incidents";
    assert_eq!(
        entry_ids(&archive.read("atom.xml")),
        [
            format!("{base}/2024-03-01-card-declines/index.html"),
            format!("{base}/2023-05-05-dns/index.html")
        ]
    );
    assert_eq!(
        entry_ids(&archive.read("services/payment-svc/atom.xml")),
        [format!("{base}/2024-03-01-card-declines/index.html")]
    );
    let sitemap = archive.read("sitemap.xml");
    let doc = roxmltree::Document::parse(&sitemap).unwrap();
    let pool = doc
        .descendants()
        .filter(|n| n.has_tag_name("url"))
        .find(|u| {
            u.descendants().any(|n| n.text() == Some(&format!("https://rca.example.org/{POOL}")))
        })
        .expect("the undated page is in the sitemap");
    assert!(!pool.descendants().any(|n| n.has_tag_name("lastmod")));
}

#[test]
fn issue_10_actions_of_undated_incidents_are_listed() {
    let archive = build();
    let json: serde_json::Value = serde_json::from_str(&archive.read("actions.json")).unwrap();
    assert_eq!(json["total"], 1);
    assert_eq!(json["items"][0]["incident"], "pool-outage");
    assert_eq!(json["items"][0]["overdue"], false);
}

#[test]
fn issue_10_with_date_required_the_same_files_are_errors() {
    let archive = Archive::fixture("undated");
    archive.write("hindsight.toml", "title = \"Dates required\"\n");
    let report = archive.build();
    assert_eq!(report.incidents, 2);
    let errors: Vec<(String, String)> = report
        .diagnostics
        .sorted()
        .iter()
        .filter(|d| d.level == hindsight::Level::Error)
        .map(|d| (d.code.to_string(), d.file.as_ref().unwrap().display().to_string()))
        .collect();
    let expected = [
        ("RCA012", "content/legacy/cache-meltdown.md"),
        ("RCA010", "content/legacy/pool-outage.md"),
    ];
    let expected: Vec<(String, String)> =
        expected.iter().map(|(c, f)| (c.to_string(), f.to_string())).collect();
    assert_eq!(errors, expected);
}

/// Postmortems written in Japanese, Chinese and Korean, without front
/// matter, date themselves the way those languages write dates: each is a
/// page on that day, not an error for a missing date, at an address made
/// from its file name.
#[test]
fn cjk_dates_in_the_text_date_the_incident() {
    let archive = Archive { dir: tempfile::tempdir().unwrap() };
    archive.write(
        "content/障害報告.md",
        "# 決済APIの障害\n\n発生日時: 2024年3月1日 14:05\n\n## 原因\n接続プールの枯渇。\n",
    );
    archive.write(
        "content/故障.md",
        "# 支付故障\n\n故障时间：2023年 11 月 7 日\n\n## 原因\nDNS 解析失败。\n",
    );
    archive.write(
        "content/장애.md",
        "# 결제 장애\n\n발생: 2022년 6월 30일\n\n## 원인\n인증서 만료.\n",
    );
    let report = archive.build();
    let errors: Vec<_> = codes(&report).into_iter().filter(|(c, _, _)| c == "RCA012").collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(report.incidents, 3);
    let json: serde_json::Value = serde_json::from_str(&archive.read("incidents.json")).unwrap();
    let mut dates: Vec<&str> =
        json.as_array().unwrap().iter().map(|r| r["date"].as_str().unwrap()).collect();
    dates.sort_unstable();
    assert_eq!(dates, ["2022-06-30", "2023-11-07", "2024-03-01"]);
    // Each name, written in ASCII, is a slug of its own: no two files share
    // one and none is numbered by file order.
    assert!(codes(&report).iter().all(|(c, _, _)| c != "RCA018"));
    for slug in ["zhang-hai-bao-gao", "gu-zhang", "jangae"] {
        assert!(archive.read(&format!("incidents/{slug}/index.html")).contains("<h1"), "{slug}");
    }
}
