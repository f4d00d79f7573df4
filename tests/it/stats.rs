//! The stats page says how many incidents stand behind each number, draws
//! trends over time, keeps its colours apart from the severities', and
//! leaves out what it has no data for, saying so once.

use scraper::Html;

use crate::support::{Archive, select, select_in, text};

#[test]
fn issue_25_every_time_shows_its_count_and_small_groups_no_p90() {
    let archive = Archive::fixture("followups");
    archive.build();
    let doc = Html::parse_document(&archive.read("stats/index.html"));
    let labels: Vec<String> =
        select(&doc, "#resolve-severity .chart-wide .row-label").iter().map(text).collect();
    assert_eq!(labels, ["P1 · n=1", "P2 · n=1"], "groups without data are not drawn");
    // One incident: its time, and no second bar claiming a percentile.
    let wide = &select(&doc, "#resolve-severity .chart-wide svg")[0];
    assert_eq!(select_in(wide, "rect.bar").len(), 2);
    assert_eq!(
        select_in(wide, "text.value.muted").iter().map(text).collect::<Vec<_>>(),
        ["1 incident", "1 incident"]
    );
    let head: Vec<String> = select(&doc, "#resolve-severity thead th").iter().map(text).collect();
    assert_eq!(head, ["Severity", "Incidents (n)", "Median", "p90"]);
}

#[test]
fn issue_25_quarterly_trends_are_lines_over_time_with_readable_labels() {
    let archive = Archive::fixture("followups");
    archive.build();
    let html = archive.read("stats/index.html");
    let doc = Html::parse_document(&html);
    for id in ["detect-quarter", "resolve-quarter"] {
        let section = &select(&doc, &format!("#{id}"))[0];
        assert!(select_in(section, "rect.bar").is_empty(), "{id} is not drawn as bars");
        assert!(!select_in(section, ".chart-wide circle.dot").is_empty(), "{id}");
        // Year labels along the time axis sit at least a label's width apart.
        for svg in select_in(section, "svg") {
            let xs: Vec<f64> = select_in(&svg, "g.axis text.tick[text-anchor=middle]")
                .iter()
                .map(|t| t.value().attr("x").unwrap().parse().unwrap())
                .collect();
            assert!(xs.windows(2).all(|w| w[1] - w[0] >= 40.0), "{id}: {xs:?}");
        }
    }
    assert!(!html.contains(" d 0 h<"), "axis labels round to whole days");
}

#[test]
fn issue_25_chart_colours_never_match_a_severity() {
    let archive = Archive::fixture("followups");
    archive.build();
    let style = archive.read("static/style.css");
    let severities = archive.read("static/severity.css");
    let colours = |css: &str, key: &str| -> Vec<String> {
        css.match_indices(key)
            .map(|(at, _)| {
                let rest = &css[at + key.len()..];
                rest.trim_start_matches([':', ' '])
                    .chars()
                    .take(7)
                    .collect::<String>()
                    .to_lowercase()
            })
            .collect()
    };
    let series: Vec<String> =
        colours(&style, "--series-0").into_iter().chain(colours(&style, "--series-1")).collect();
    let sev = colours(&severities, "--sev");
    assert!(series.len() >= 4 && sev.len() >= 5, "{series:?} {sev:?}");
    for c in &series {
        assert!(!sev.contains(c), "series colour {c} is a severity colour");
    }
    // The default scale's colours too, as a site without a scale gets them.
    for c in ["#b42318", "#d9480f", "#b7791f", "#2f6fb3", "#5f6b7a"] {
        assert!(!series.contains(&c.to_string()), "{c}");
    }
}

#[test]
fn issue_25_charts_without_data_are_left_out_and_said_once() {
    // No incident of this archive has a timeline: times to resolve come
    // from durations alone, and there is no time to detect to draw.
    let archive = Archive::fixture("owners");
    archive.build();
    let doc = Html::parse_document(&archive.read("stats/index.html"));
    let ids: Vec<&str> =
        select(&doc, "section.chart").iter().filter_map(|c| c.value().id()).collect();
    assert_eq!(
        ids,
        [
            "per-month",
            "resolve-severity",
            "resolve-quarter",
            "repeats-quarter",
            "repeats-service",
            "services-count",
            "services-minutes",
            "tags"
        ]
    );
    let notes: Vec<String> = select(&doc, "p.chart-missing").iter().map(text).collect();
    assert_eq!(notes.len(), 1);
    assert_eq!(
        notes[0],
        "Not drawn, for want of data: time to detect by severity; time to detect by quarter."
    );
    assert!(select(&doc, "text.value.muted").iter().all(|t| text(t) != "no data"));
}

/// The share of repeats, by quarter and by service, counts the incidents
/// that incidents.json calls a recurrence of an earlier one.
#[test]
fn issue_24_repeats_by_quarter_and_service_count_recurrence_of() {
    let archive = Archive::fixture("recurrences");
    archive.build();
    let incidents: serde_json::Value =
        serde_json::from_str(&archive.read("incidents.json")).unwrap();
    let incidents = incidents.as_array().unwrap();
    let repeats: Vec<&serde_json::Value> =
        incidents.iter().filter(|i| i["recurrence_of"].is_string()).collect();
    assert!(repeats.len() >= 10, "the fixture has repeats");
    let doc = Html::parse_document(&archive.read("stats/index.html"));
    let column = |id: &str, n: usize| -> Vec<usize> {
        select(&doc, &format!("#{id} tbody tr"))
            .iter()
            .map(|row| text(&select_in(row, "td")[n]).parse().unwrap())
            .collect()
    };
    let dated = |i: &&&serde_json::Value| i["date"].is_string();
    assert_eq!(
        column("repeats-quarter", 1).iter().sum::<usize>(),
        repeats.iter().filter(dated).count()
    );
    assert_eq!(
        column("repeats-quarter", 0).iter().sum::<usize>(),
        incidents.iter().filter(|i| i["date"].is_string()).count()
    );
    // The service with the most repeats is there, with its true count.
    let mut per_service: std::collections::BTreeMap<&str, usize> = Default::default();
    for r in &repeats {
        for s in r["services"].as_array().unwrap() {
            *per_service.entry(s.as_str().unwrap()).or_default() += 1;
        }
    }
    let most = per_service.values().max().copied().unwrap();
    assert_eq!(column("repeats-service", 1).into_iter().max(), Some(most));
    let shares: Vec<String> =
        select(&doc, "#repeats-service tbody tr td:last-child").iter().map(text).collect();
    let shares: Vec<u32> =
        shares.iter().map(|s| s.strip_suffix('%').unwrap().parse().unwrap()).collect();
    assert!(shares.windows(2).all(|w| w[0] >= w[1]), "largest share first: {shares:?}");
}

#[test]
fn issue_24_an_archive_without_repeats_says_so_once() {
    let archive = Archive::fixture("followups");
    archive.build();
    let html = archive.read("stats/index.html");
    assert!(!html.contains("id=\"repeats-quarter\""));
    assert_eq!(html.matches("repeats (no incident is a recurrence of an earlier one)").count(), 1);
}
