//! Archives written for other tools build unchanged with the configuration
//! `hindsight adopt` suggests (#23): a Hugo status page, a fixed template
//! without front matter, Google SRE, PagerDuty and Atlassian templates, an
//! Obsidian vault, a Jekyll site, reviews exported from an editor, and a
//! repository of write-ups filed by year and labelled like issues, a
//! MkDocs site with admonitions, a Docusaurus blog in MDX, an Azure
//! DevOps wiki and a Zola site. Beside each fixture folder,
//! `<name>.expected.toml` gives every file's fate.
//!
//! See: issue #23.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use hindsight::Level;
use hindsight::{BuildOptions, BuildReport, Site};

use crate::support::{Archive, main_of, select, text};

const ARCHIVES: &[&str] = &[
    "astro-site",
    "atlassian",
    "azure-wiki",
    "chat-notes",
    "dendron",
    "docs-export",
    "docusaurus-blog",
    "field-sections",
    "github-repo",
    "github-wiki",
    "gitbook-space",
    "gitlab-incidents",
    "notes-sync",
    "google-sre",
    "hugo-status",
    "incident-folders",
    "jekyll",
    "joplin-export",
    "logseq",
    "mkdocs-site",
    "notion-export",
    "obsidian",
    "other-languages",
    "pagerduty",
    "plain-template",
    "status-page",
    "tool-exports",
    "zola-site",
];

pub(crate) fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/archives")
}

/// File → expected fate (`page`, `attachment`, `skip: …`, `ignore: …`).
pub(crate) fn expected(name: &str) -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(fixtures().join(format!("{name}.expected.toml"))).unwrap();
    let table: toml::Table = toml::from_str(&text).unwrap();
    table["files"]
        .as_table()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
        .collect()
}

/// The archive copied to a temp dir with adopt's suggestion saved in it.
pub(crate) fn adopted(name: &str) -> (Archive, hindsight::adopt::Suggestion) {
    let archive = Archive::copy_of(&fixtures().join(name));
    let suggestion = hindsight::adopt::suggest(archive.root()).unwrap();
    archive.write("hindsight.toml", &suggestion.toml);
    (archive, suggestion)
}

/// The archive's incidents as the validate stage types them, with the
/// archive's own configuration.
pub(crate) fn validated(archive: &Archive) -> Vec<hindsight::internals::Incident> {
    let config = Site::open(archive.root()).unwrap().config;
    let loaded = hindsight::internals::load_archive(archive.root(), &config).unwrap();
    hindsight::internals::validate(loaded.documents, &config, false).incidents
}

pub(crate) fn build(archive: &Archive) -> BuildReport {
    Site::open(archive.root()).unwrap().build(&BuildOptions::default()).unwrap()
}

pub(crate) fn slash(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

#[test]
fn every_archive_builds_with_adopts_suggestion_every_file_accounted_for() {
    for name in ARCHIVES {
        let (archive, suggestion) = adopted(name);
        let content = suggestion.config.content_dir.clone();
        let report = build(&archive);
        let errors: Vec<_> =
            report.diagnostics.iter().filter(|d| d.level == Level::Error).collect();
        assert!(errors.is_empty(), "{name}: {errors:#?}\n{}", suggestion.toml);

        let expected = expected(name);
        let pages: BTreeSet<String> = report.pages.iter().map(|p| slash(p)).collect();
        let want: BTreeSet<String> =
            expected.iter().filter(|(_, v)| *v == "page").map(|(k, _)| k.clone()).collect();
        assert_eq!(pages, want, "{name}: pages\n{}", suggestion.toml);

        // Every file of the content folder is a page, an attachment, or
        // named by a diagnostic; nothing is dropped silently.
        let named: BTreeSet<String> =
            report.diagnostics.iter().filter_map(|d| d.file.as_deref().map(slash)).collect();
        let published = archive.output_files();
        for (file, fate) in &expected {
            let in_content = content == "." || file.starts_with(&format!("{content}/"));
            if !in_content || *fate == "page" {
                continue;
            }
            let under = if content == "." { file.as_str() } else { &file[content.len() + 1..] };
            let accounted = named.iter().any(|n| file.starts_with(n.as_str()))
                || published.keys().any(|k| k.ends_with(under.rsplit('/').next().unwrap()));
            assert!(accounted, "{name}: {file} ({fate}) is neither built, copied nor named");
            if fate.starts_with("skip") || fate.starts_with("ignore") {
                assert!(!pages.contains(file), "{name}: {file} must not be a page");
            }
        }
    }
}

#[test]
fn adopt_reads_the_folder_without_changing_it_and_its_dry_run_agrees() {
    for name in ARCHIVES {
        let src = fixtures().join(name);
        let before = crate::support::read_tree(&src);
        let suggestion = hindsight::adopt::suggest(&src).unwrap();
        let run = hindsight::adopt::dry_run(&src, &suggestion.config).unwrap();
        assert_eq!(crate::support::read_tree(&src), before, "{name}: adopt wrote into the folder");
        let pages = expected(name).values().filter(|v| *v == "page").count();
        assert_eq!(run.pages, pages, "{name}");
        let text = hindsight::adopt::render_dry_run(&run);
        assert!(text.starts_with("dry run: "), "{text}");
    }
}

/// A status report's colours as the severity scale: adopt ranks red above
/// amber above green, and draws each level in its own colour.
#[test]
fn a_red_amber_green_scale_is_ranked_by_its_colours() {
    let archive = Archive::dir_with(&[]);
    for (name, level) in [("a", "Amber"), ("b", "Red"), ("c", "Green"), ("d", "amber")] {
        archive.write(
            &format!("content/{name}.md"),
            format!(
                "---\ntitle: {name}\ndate: 2024-03-0{}\nseverity: {level}\n---\nSlow.\n",
                name.len()
            ),
        );
    }
    let suggestion = hindsight::adopt::suggest(archive.root()).unwrap();
    let toml = &suggestion.toml;
    let at = |level: &str| toml.find(&format!("name = \"{level}\"")).unwrap_or(usize::MAX);
    assert!(at("red") < at("amber") && at("amber") < at("green"), "{toml}");
    assert!(toml.contains("name = \"green\"\ncolor = \"#2e7d32\""), "{toml}");
    archive.write("hindsight.toml", toml);
    let report = build(&archive);
    assert!(
        report.diagnostics.iter().all(|d| d.level != Level::Error),
        "{:#?}",
        report.diagnostics
    );
    let json: serde_json::Value = serde_json::from_str(&archive.read("incidents.json")).unwrap();
    let levels: Vec<&str> =
        json.as_array().unwrap().iter().map(|r| r["severity"].as_str().unwrap()).collect();
    assert_eq!(levels.iter().filter(|l| **l == "amber").count(), 2, "{levels:?}");
}

/// `Resolved:` holding a time is when the incident was resolved, and
/// `resolved: true` its status: adopt maps each by what it holds.
#[test]
fn a_resolved_key_is_a_time_or_a_status_by_its_values() {
    let archive = Archive::dir_with(&[]);
    for (name, resolved) in [("a", "2024-07-02 11:00"), ("b", "2024-07-03 09:30")] {
        archive.write(
            &format!("content/{name}.md"),
            format!(
                "---
Title: {name}
Start: 2024-07-02 10:00
Resolved: {resolved}
---
Slow.
"
            ),
        );
    }
    let toml = hindsight::adopt::suggest(archive.root()).unwrap().toml;
    assert!(toml.contains("resolved_at = [\"Resolved\"]"), "{toml}");
    assert!(!toml.contains("status = [\"Resolved\"]"), "{toml}");
    archive.write("hindsight.toml", &toml);
    build(&archive);
    let json: serde_json::Value = serde_json::from_str(&archive.read("incidents.json")).unwrap();
    let a = json.as_array().unwrap().iter().find(|r| r["id"] == "a").unwrap();
    assert_eq!(a["duration_minutes"], 60, "{a}");

    let flags = Archive::dir_with(&[]);
    for (name, resolved) in [("a", "true"), ("b", "false")] {
        flags.write(
            &format!("content/{name}.md"),
            format!(
                "---
title: {name}
date: 2024-07-02
resolved: {resolved}
---
Slow.
"
            ),
        );
    }
    let toml = hindsight::adopt::suggest(flags.root()).unwrap().toml;
    assert!(!toml.contains("resolved_at"), "{toml}");
}

/// The Hugo status page: a custom scale, `affected` services, a boolean
/// `resolved`, `resolvedWhen` in mixed forms, YAML comments, and no
/// bookkeeping keys on pages.
#[test]
fn hugo_status_page_quirks() {
    let (archive, suggestion) = adopted("hugo-status");
    let toml = &suggestion.toml;
    for wanted in ["name = \"down\"", "services = [\"affected\"]", "\"true\" = \"resolved\""] {
        assert!(toml.contains(wanted), "{wanted} in\n{toml}");
    }
    build(&archive);
    let json: serde_json::Value = serde_json::from_str(&archive.read("incidents.json")).unwrap();
    let by_slug: BTreeMap<&str, &serde_json::Value> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["slug"].as_str().unwrap_or(r["id"].as_str().unwrap_or("")), r))
        .collect();
    let agents = by_slug["2023-12-04-build-agents-down"];
    assert_eq!(agents["date"], "2023-12-04");
    assert_eq!(agents["severity"], "down");
    assert_eq!(agents["status"], "resolved");
    assert_eq!(agents["duration_minutes"], 222, "08:00 to 11:42");
    let ldap = by_slug["2020-06-13-ldap-login-failures"];
    assert_eq!(ldap["duration_minutes"], 76, "16:54 to 18:10, no seconds, no zone");
    let acp = by_slug["acp-certificate-expired"];
    assert_eq!(acp["duration_minutes"], 75, "+0100 offsets");
    assert_eq!(by_slug["2024-03-18-wiki-search-degraded"]["status"], "investigating");
    let page = archive.read("incidents/2023-12-04-build-agents-down/index.html");
    assert!(!page.contains(">section<") && !page.contains(">informational<"), "bookkeeping shown");
    // A page bundle is named by its folder, and dated by it; its image is
    // beside it, and not beside the pages of the folder above.
    let bundle = by_slug["2024-08-20-mirror-disk-full"];
    assert_eq!(bundle["duration_minutes"], 90);
    let page = archive.read("incidents/2024-08-20-mirror-disk-full/index.html");
    assert!(page.contains(r#"src="disk-usage.svg""#), "image link");
    let files = archive.output_files();
    let svgs: Vec<_> = files.keys().filter(|f| f.ends_with("disk-usage.svg")).collect();
    assert_eq!(svgs, ["incidents/2024-08-20-mirror-disk-full/disk-usage.svg"]);
    assert!(!files.contains_key("incidents/index/index.html"));
    // Updates posted under headings, newest first, are the timeline,
    // oldest first, in the zone of the start; a heading naming a state
    // opens its row with it.
    let chat = archive.read("incidents/2024-10-08-chat-unreachable/index.html");
    let times: Vec<&str> = chat
        .match_indices("class=\"vt-time\" datetime=\"")
        .map(|(at, m)| &chat[at + m.len()..][..20])
        .collect();
    assert_eq!(times, ["2024-10-08T06:05:00Z", "2024-10-08T08:15:00Z", "2024-10-08T09:40:00Z"]);
    assert!(chat.contains("Resolved: The last chat node rejoined"), "{chat}");
    assert!(chat.contains("Time to resolve</dt><dd>3 h 40 min</dd>"), "{chat}");
    assert!(!chat.contains("phase-mitigated"), "\"was being restored\" is under way: {chat}");
    let stats = archive.read("stats/index.html");
    // The build agents' 222 minutes are the only time of 2023-Q4: its
    // median; one time is too few for a 90th percentile.
    let row = "<tr><th scope=\"row\">2023-Q4</th><td class=\"num\">1</td>\
               <td class=\"num\">3 h 42 min</td><td class=\"num\">—</td></tr>";
    assert!(stats.contains(row), "2023-Q4 row missing");
}

/// The fixed template without front matter: spaces and no extension in
/// file names, misspelled headings, CET timelines, stated times, plain
/// bullet action items.
#[test]
fn plain_template_quirks() {
    let (archive, _) = adopted("plain-template");
    let report = build(&archive);
    assert!(
        report.pages.iter().any(|p| p.extension().is_none()),
        "the file without an extension is a page"
    );
    let incidents = validated(&archive);
    let actions: usize = incidents.iter().map(|i| i.action_items.len()).sum();
    assert!(actions >= 9, "plain bullets are action items: {actions}");
    let owned = incidents
        .iter()
        .flat_map(|i| &i.action_items)
        .filter(|a| a.owner.is_some() && a.due.is_some())
        .count();
    assert!(owned >= 2, "owner and due read from the text");
    // Closed without being done: neither open nor done, and no owner wanted.
    let warehouse = incidents
        .iter()
        .flat_map(|i| &i.action_items)
        .find(|a| a.action.starts_with("Move reporting to the new warehouse"))
        .expect("the dropped action");
    assert_eq!(warehouse.status, "won't do");
    assert!(report.diagnostics.iter().all(|d| !d.message.contains("new warehouse")));
    let cet = incidents
        .iter()
        .find(|i| i.doc.outline.timeline_zone.as_deref() == Some("CET"))
        .expect("a timeline stated in CET");
    let first = cet.timeline.iter().find_map(|e| e.at).unwrap();
    let written = &cet.timeline[0].time_text;
    assert!(!written.ends_with(&first.time().to_string()[..5]), "{written} kept as CET");
    assert!(
        incidents.iter().any(|i| i.doc.outline.stated.detect.is_some()),
        "a stated time to detection"
    );
    // Misspelled headings are still their sections.
    assert!(incidents.iter().all(|i| !i.summary.is_empty()));
    let actions_page = archive.read("actions/index.html");
    assert!(!actions_page.contains(">0 action items"), "the actions page lists them");
}

/// Reviews exported from an editor: fields as labelled lines, dates and
/// times as people write them, JSON front matter, a windows-1252 file,
/// timelines as lines of text, action items with their fields after dashes.
#[test]
fn editor_export_quirks() {
    let (archive, _) = adopted("docs-export");
    let report = build(&archive);
    let codes: Vec<(&str, String)> = report
        .diagnostics
        .iter()
        .map(|d| (d.code, d.file.as_deref().map(slash).unwrap_or_default()))
        .collect();
    assert!(codes.contains(&("RCA033", "postmortems/search-outage.md".into())), "{codes:?}");
    assert!(codes.contains(&("RCA024", "postmortems/2022-11-30-dns.rst".into())), "{codes:?}");
    assert!(
        codes.contains(&("RCA042", "postmortems/2023-08-22-login-queue.md".into())),
        "{codes:?}"
    );
    // Only the file written in Jira's markup is named so.
    assert_eq!(codes.iter().filter(|(code, _)| *code == "RCA042").count(), 1, "{codes:?}");
    let json: serde_json::Value = serde_json::from_str(&archive.read("incidents.json")).unwrap();
    let by_id: BTreeMap<&str, &serde_json::Value> =
        json.as_array().unwrap().iter().map(|r| (r["id"].as_str().unwrap(), r)).collect();
    let fields = |id: &str| {
        let r = by_id[id];
        (r["date"].clone(), r["severity"].clone(), r["services"].clone(), r["status"].clone())
    };
    let v = |s: &str| serde_json::Value::from(s);
    let list = |s: &[&str]| serde_json::Value::from(s.to_vec());
    let none = serde_json::Value::Null;
    assert_eq!(
        fields("2023-02-14-checkout-errors"),
        (v("2023-02-14"), v("P2"), list(&["checkout", "payments-api"]), v("resolved"))
    );
    assert_eq!(
        fields("2023-06-01-cache-flush"),
        (v("2023-06-01"), v("P3"), list(&["catalog", "cache"]), v("resolved"))
    );
    assert_eq!(fields("search-outage"), (v("2023-09-15"), v("P1"), list(&["search"]), none));
    assert_eq!(
        fields("2024-01-09-queue"),
        (v("2024-01-09"), v("P2"), list(&["orders", "queue"]), v("monitoring"))
    );
    assert!(archive.read("incidents/search-outage/index.html").contains("café partner"));
    assert_eq!(by_id["search-outage"]["duration_minutes"], 90, "09:40 to 11:10 UTC");
    // Converted from a word processor by pandoc: a span of days, the start
    // on a line of its own, each line ending in a backslash.
    assert_eq!(
        fields("2024-03-18-ledger-export-stall"),
        (v("2024-03-18"), v("P3"), list(&["ledger-export"]), serde_json::Value::Null)
    );
    assert_eq!(by_id["2024-03-18-ledger-export-stall"]["started_at"], "2024-03-18T22:40:00Z");
    let ledger = archive.read("incidents/2024-03-18-ledger-export-stall/index.html");
    // pandoc's bookmarks, spans and image sizes are read as what they mark.
    assert!(
        by_id["2024-03-18-ledger-export-stall"]["summary"]
            .as_str()
            .unwrap()
            .ends_with("finance had no export in the morning.")
    );
    assert!(!ledger.contains("_Toc") && !ledger.contains("{width"), "no attributes shown");
    assert!(ledger.contains("media/image1.png"), "the image pandoc extracted");
    assert!(
        !codes.contains(&("RCA070", "postmortems/2024-03-18-ledger-export-stall.md".into())),
        "its bookmarked headings are its sections: {codes:?}"
    );
    assert!(ledger.contains("Time to detect</dt><dd>6 h 05 min"), "T+6h5m, from the start");
    // Every timeline is read, row by row.
    for (id, rows) in [
        ("2024-03-18-ledger-export-stall", 5),
        ("2023-02-14-checkout-errors", 5),
        ("2023-06-01-cache-flush", 3),
        ("2024-01-09-queue", 3),
        ("search-outage", 3),
        ("image-cache-purge", 4),
        ("webhook-backlog", 3),
    ] {
        let page = archive.read(&format!("incidents/{id}/index.html"));
        assert_eq!(page.matches("class=\"vt-time\"").count(), rows, "{id}");
    }
    let webhooks = archive.read("incidents/webhook-backlog/index.html");
    assert!(webhooks.contains("datetime=\"2024-06-18T14:05:00Z\""), "a time written as a heading");
    // A summary is prose that tells the story: not a title written as the
    // first line, nor the first event of a timeline.
    let summary = |id: &str| by_id[id]["summary"].as_str().unwrap().to_string();
    assert!(summary("image-cache-purge").starts_with("A purge meant for one product image"));
    assert!(summary("webhook-backlog").starts_with("One payload larger than"));
    let checkout = archive.read("incidents/2023-02-14-checkout-errors/index.html");
    assert!(checkout.contains("datetime=\"2023-02-14T22:05:00Z\""), "2:05 PM PT, in UTC");
    // Action items: every owner and due date where one is written.
    let actions: serde_json::Value = serde_json::from_str(&archive.read("actions.json")).unwrap();
    let items: Vec<(String, String, String, String)> = actions["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            let text = |k: &str| i[k].as_str().unwrap_or("-").to_string();
            (text("action"), text("owner"), text("due"), text("status"))
        })
        .collect();
    let item = |a: &str, o: &str, d: &str, s: &str| {
        (a.to_string(), o.to_string(), d.to_string(), s.to_string())
    };
    for wanted in [
        item("Pin keep-alive on in the client configuration", "Rui Costa", "2023-03-01", "open"),
        item("Alert on connection-slot usage above 80%", "platform", "2023-03-15", "open"),
        item("Scope the flush to the job's own namespace", "catalog team", "2023-06-15", "open"),
        item(
            "Swap the alias only after a document count check",
            "search team",
            "2023-10-01",
            "open",
        ),
        item("Add a lag alert per consumer group", "orders team", "-", "open"),
        item(
            "Alert when the export has not finished by 05:00",
            "finance-eng",
            "2024-04-15",
            "open",
        ),
        item("Keep migrations out of the export window", "platform", "-", "open"),
        item("Add the client's connection settings to the upgrade checklist", "-", "-", "done"),
        // A wiki page's Done column, and a name after a dash before its due date.
        item("Send an idempotency key with every capture", "Priya", "-", "done"),
        item("Alert on two captures for one order", "Marco", "-", "open"),
        item("Lower the gateway timeout to 3 s", "Kim", "2024-04-01", "open"),
    ] {
        assert!(items.contains(&wanted), "{wanted:?} in {items:#?}");
    }
    // Headings numbered "1 - Summary": every section has its role, so none
    // is missing and the summary is the section's.
    let wiki = "postmortems/Incident Review - Payments double charge.md";
    assert!(!codes.contains(&("RCA070", wiki.into())), "{codes:?}");
    let review = by_id["incident-review-payments-double-charge"];
    assert!(review["summary"].as_str().unwrap().starts_with("The payments client retried"));
    assert_eq!(
        fields("incident-review-payments-double-charge"),
        (v("2024-03-05"), v("P1"), list(&["payments-api", "ledger"]), v("resolved"))
    );
}

/// `check --strict` passes on an archive without front matter once its
/// lint is off (adopt turns it off).
#[test]
fn strict_check_passes_without_front_matter_once_its_lint_is_off() {
    let (archive, suggestion) = adopted("plain-template");
    assert!(suggestion.toml.contains("no-front-matter = \"off\""));
    let report = Site::open(archive.root()).unwrap().check(true).unwrap();
    let codes: Vec<_> = report.diagnostics.iter().map(|d| d.code).collect();
    assert!(!codes.contains(&"RCA020"), "{codes:?}");
}

/// Templates' headings are recognised: every Google SRE, PagerDuty and
/// Atlassian write-up has its cause text and summary.
#[test]
fn template_archives_have_their_sections() {
    for name in ["google-sre", "pagerduty", "atlassian"] {
        let (archive, _) = adopted(name);
        let incidents = validated(&archive);
        for i in &incidents {
            assert!(!i.doc.outline.root_cause.is_empty(), "{name}: {} has no cause", i.slug);
            assert!(!i.timeline.is_empty(), "{name}: {} has no timeline", i.slug);
            assert!(!i.action_items.is_empty(), "{name}: {} has no actions", i.slug);
            // Every timeline is written in the zone of the incident's start:
            // its first row is at the start, not hours off it.
            let first = i.timeline.iter().find_map(|e| e.at).unwrap();
            let start = i.started_at.map(|t| t.to_zoned(jiff::tz::TimeZone::UTC).datetime());
            if let Some(start) = start {
                let apart = first.duration_since(start).as_secs().abs();
                assert!(apart < 3600, "{name}: {} timeline at {first}, start {start}", i.slug);
            }
        }
    }
}

/// A span of time written in another zone than the timeline's ("08:40 -
/// 08:55 UTC" under "All times US/Pacific."): its start is read in it, and
/// the Pacific rows after it stay on their day.
#[test]
fn a_span_of_time_with_its_own_zone_is_read_in_it() {
    let (archive, _) = adopted("google-sre");
    let incidents = validated(&archive);
    let edge = incidents.iter().find(|i| i.slug.as_str().contains("edge-cert")).unwrap();
    let at: Vec<String> = edge.timeline.iter().map(|e| e.at.unwrap().to_string()).collect();
    assert_eq!(
        at,
        [
            "2024-06-18T08:00:00",
            "2024-06-18T08:14:00",
            "2024-06-18T08:40:00",
            "2024-06-18T09:20:00"
        ]
    );
}

/// A timeline whose first row names its day and zone ("6 March 15:20
/// CET") and whose later rows give only the clock: those are read in the
/// zone above them, not the site's.
#[test]
fn clock_times_below_a_row_that_names_its_zone_are_read_in_that_zone() {
    let (archive, _) = adopted("atlassian");
    let incidents = validated(&archive);
    let pir = incidents.iter().find(|i| i.title.starts_with("Webhook")).unwrap();
    let at: Vec<String> = pir.timeline.iter().map(|e| e.at.unwrap().to_string()).collect();
    assert_eq!(
        at,
        [
            "2024-03-06T14:20:00",
            "2024-03-06T14:50:00",
            "2024-03-06T15:40:00",
            "2024-03-06T16:05:00",
            "2024-03-06T17:25:00"
        ]
    );
}

/// See: issue #25. A folder of postmortems without front matter has no
/// services, tags, durations or severities: nothing empty is drawn, and
/// each page says once why something is missing.
#[test]
fn issue_25_an_archive_without_services_durations_or_severities_draws_nothing_empty() {
    use crate::support::{select, text};
    use scraper::Html;
    let (archive, _) = adopted("plain-template");
    build(&archive);
    let index = Html::parse_document(&archive.read("index.html"));
    let table = select(&index, "table.incidents")[0].value().attr("class").unwrap().to_string();
    for class in ["no-svc", "no-dur", "no-sev"] {
        assert!(table.split(' ').any(|c| c == class), "{table}");
    }
    assert_eq!(select(&index, ".unrated-note").len(), 1, "said once, not on every row");
    for name in ["severity", "service", "tag", "status"] {
        assert!(select(&index, &format!("#filters [name={name}]")).is_empty(), "{name} filter");
    }
    let stats = Html::parse_document(&archive.read("stats/index.html"));
    let missing: Vec<String> = select(&stats, ".chart-missing").iter().map(text).collect();
    assert_eq!(
        missing,
        ["Not drawn, for want of data: times by severity (no incident has a severity); services \
             by incidents; services by incident minutes; tags."]
    );
    assert!(select(&stats, "#services-count, #tags, #detect-severity").is_empty());
    for (page, kind) in [("services/index.html", "a service"), ("tags/index.html", "a tag")] {
        let doc = Html::parse_document(&archive.read(page));
        assert!(select(&doc, "table").is_empty(), "{page} draws an empty table");
        assert!(text(&select(&doc, ".terms-none")[0]).contains(kind), "{page}");
    }
}

/// Built as they are, before any configuration, archives that keep their
/// write-ups outside `content/` are not an empty site without a word: the
/// warning names the folder `adopt` would read, with the setting (#23).
#[test]
fn an_archive_as_it_is_is_told_where_its_postmortems_are() {
    for name in ARCHIVES {
        let archive = Archive::copy_of(&fixtures().join(name));
        let guess = hindsight::adopt::suggest(archive.root()).unwrap().config.content_dir;
        let report = Site::open(archive.root()).unwrap().check(false).unwrap();
        let found: Vec<_> = report.diagnostics.iter().filter(|d| d.code == "RCA028").collect();
        if guess == "content" {
            assert!(found.is_empty(), "{name}: {found:#?}");
            continue;
        }
        assert_eq!(report.incidents, 0, "{name}");
        let [warning] = found.as_slice() else { panic!("{name}: one RCA028, got {found:#?}") };
        assert_eq!(warning.level, Level::Warning, "{name}");
        assert_eq!(warning.file.as_deref(), Some(Path::new("content")), "{name}");
        let help = warning.help.as_deref().unwrap_or_default();
        assert!(help.contains(&format!("content_dir = \"{guess}\"")), "{name}: {help}");
        assert!(help.contains("hindsight adopt"), "{name}: {help}");
        // Under --strict an empty site fails the run.
        let strict = Site::open(archive.root()).unwrap().check(true).unwrap();
        assert!(strict.diagnostics.iter().any(|d| d.code == "RCA028" && d.level == Level::Error));
    }
}

/// A content folder with no markdown, and none anywhere else: the warning
/// says how to start one.
#[test]
fn an_empty_content_folder_is_named_with_how_to_start() {
    let archive = Archive { dir: tempfile::tempdir().unwrap() };
    archive.write("content/diagram.png", "not markdown");
    let report = Site::open(archive.root()).unwrap().check(false).unwrap();
    let warning = report.diagnostics.iter().find(|d| d.code == "RCA028").expect("RCA028");
    assert!(warning.message.contains("`content/` holds no markdown file"), "{}", warning.message);
    let help = warning.help.as_deref().unwrap_or_default();
    assert!(help.contains("hindsight new"), "{help}");
    // With markdown in it, the folder is not flagged.
    archive.write("content/2024-01-02-db.md", "---\ntitle: Db\ndate: 2024-01-02\n---\n# Db\n");
    let report = Site::open(archive.root()).unwrap().check(false).unwrap();
    assert!(report.diagnostics.iter().all(|d| d.code != "RCA028"));
}

/// `content_dir = "."` (a vault at the root) with no markdown says "the
/// archive root", not a folder called `./`.
#[test]
fn an_empty_root_content_folder_is_called_the_root() {
    let archive = Archive { dir: tempfile::tempdir().unwrap() };
    archive.write("hindsight.toml", "content_dir = \".\"\n");
    let report = Site::open(archive.root()).unwrap().check(false).unwrap();
    let warning = report.diagnostics.iter().find(|d| d.code == "RCA028").expect("RCA028");
    assert!(warning.message.contains("the archive root holds no markdown"), "{}", warning.message);
}

/// Keys spelled as people type them (`Affected Services`) are mapped as
/// written, and statuses with more words than a status ("Resolved ✅",
/// "Postmortem complete") read as the status, not proposed as new ones.
#[test]
fn adopt_maps_keys_as_written_and_reads_decorated_statuses() {
    let archive = Archive { dir: tempfile::tempdir().unwrap() };
    let file = |services: &str, status: &str| {
        format!(
            "---\ntitle: Pool {services}\ndate: 2024-01-02\nseverity: P4\nAffected Services: {services}\n\
             status: {status}\n---\n## Summary\n\nThe pool ran dry.\n"
        )
    };
    archive.write("content/a.md", file("[api]", "Resolved ✅"));
    archive.write("content/b.md", file("db", "Postmortem complete"));
    let suggestion = hindsight::adopt::suggest(archive.root()).unwrap();
    assert!(suggestion.toml.contains(r#"services = ["Affected Services"]"#), "{}", suggestion.toml);
    assert!(!suggestion.toml.contains("statuses"), "{}", suggestion.toml);
    archive.write("hindsight.toml", &suggestion.toml);
    let report = archive.build();
    assert!(report.diagnostics.is_empty(), "{:#?}", report.diagnostics);
    let incidents: serde_json::Value =
        serde_json::from_str(&archive.read("incidents.json")).unwrap();
    let services: Vec<_> = incidents
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["services"].clone(), i["status"].clone()))
        .collect();
    assert_eq!(
        services,
        [
            (serde_json::json!(["api"]), serde_json::json!("resolved")),
            (serde_json::json!(["db"]), serde_json::json!("resolved"))
        ]
    );
}

/// An incident tool's export names the start and end `incident_start_date`
/// and `incident_end_date`: adopt maps them, and the build reads both.
#[test]
fn adopt_maps_an_incident_tools_start_and_end_keys() {
    let archive = Archive { dir: tempfile::tempdir().unwrap() };
    let file = |title: &str, day: u8| {
        format!(
            "---\ntitle: {title}\nincident_start_date: 2024-02-{day:02}T10:00:00Z\n\
             incident_end_date: 2024-02-{day:02}T11:30:00Z\nseverity: P3\n---\n## Summary\n\nIt broke.\n"
        )
    };
    archive.write("content/a.md", file("Queue stalled", 3));
    archive.write("content/b.md", file("Cache evicted", 9));
    let suggestion = hindsight::adopt::suggest(archive.root()).unwrap();
    assert!(suggestion.toml.contains(r#"date = ["incident_start_date"]"#), "{}", suggestion.toml);
    assert!(
        suggestion.toml.contains(r#"resolved_at = ["incident_end_date"]"#),
        "{}",
        suggestion.toml
    );
    archive.write("hindsight.toml", &suggestion.toml);
    let report = archive.build();
    assert!(report.diagnostics.is_empty(), "{:#?}", report.diagnostics);
    let page = archive.read("incidents/a/index.html");
    assert!(page.contains("Time to resolve</dt><dd>1 h 30 min"), "{}", main_of(&page));
}

/// A repeat its write-up states is its recurrence, however differently it
/// is worded: PIR-045 is tagged `recurring` and links to PIR-031 (the
/// other side of a SAML certificate, in other words), and a new review
/// says in a sentence that it recurs PIR-037.
#[test]
fn a_recurrence_the_write_up_states_is_its_recurrence() {
    let (archive, _) = adopted("atlassian");
    archive.write(
        "pir/PIR-052 Replica promotion loop.md",
        "---\ntitle: Orders paused while replicas promoted each other\ndate: 2024-10-03\n\
         priority: P2\ncomponents: [orders-db]\n---\n\n## Incident summary\n\n\
         Orders paused for 40 minutes. It is a recurrence of \
         [PIR-037](PIR-037%20Database%20failover%20flapping.md), found under a new name.\n",
    );
    // The template's own "Recurrence" section names it, in any words; one
    // that says no names no recurrence.
    archive.write(
        "pir/PIR-053 Webhooks queued behind one tenant.md",
        "---\ntitle: Webhooks queued behind one tenant again\ndate: 2024-11-12\n\
         priority: P3\ncomponents: [webhooks]\n---\n\n## Incident summary\n\nLate webhooks.\n\n\
         ## Recurrence\n\nYes: [PIR-040](PIR-040%20Webhook%20delivery%20delays.md).\n",
    );
    archive.write(
        "pir/PIR-054 Storage keys expired.md",
        "---\ntitle: Storage keys expired\ndate: 2024-11-20\n\
         priority: P3\ncomponents: [storage]\n---\n\n## Incident summary\n\nKeys expired.\n\n\
         ## Has this happened before?\n\nNo, [PIR-041](PIR-041%20Storage%20credentials%20rotation.md) \
         was another failure.\n",
    );
    let report = build(&archive);
    assert!(report.diagnostics.iter().all(|d| d.level != Level::Error));
    let incidents: serde_json::Value =
        serde_json::from_str(&archive.read("incidents.json")).unwrap();
    let recurrence = |id: &str| -> Option<String> {
        let incident = incidents.as_array().unwrap().iter().find(|i| i["id"] == id).unwrap();
        incident["recurrence_of"].as_str().map(str::to_string)
    };
    assert_eq!(
        recurrence("pir-045-sso-metadata-refresh-failure").as_deref(),
        Some("pir-031-saml-certificate-expired")
    );
    assert_eq!(
        recurrence("pir-052-replica-promotion-loop").as_deref(),
        Some("pir-037-database-failover-flapping")
    );
    assert_eq!(
        recurrence("pir-053-webhooks-queued-behind-one-tenant").as_deref(),
        Some("pir-040-webhook-delivery-delays")
    );
    assert_eq!(recurrence("pir-054-storage-keys-expired"), None);
    // The earlier ones recur nothing, and the page says what it recurs.
    assert_eq!(recurrence("pir-031-saml-certificate-expired"), None);
    let page = archive.read("incidents/pir-045-sso-metadata-refresh-failure/index.html");
    assert!(
        page.contains("Recurrence of <a href=\"../pir-031-saml-certificate-expired/"),
        "{page}"
    );
}

#[test]
fn an_incident_channels_timelines_are_read_and_one_systems_write_ups_recur_nothing() {
    let (archive, suggestion) = adopted("chat-notes");
    assert!(
        !suggestion.toml.contains("What went poorly"),
        "a lessons heading:\n{}",
        suggestion.toml
    );
    let report = build(&archive);
    let warnings: Vec<_> =
        report.diagnostics.iter().filter(|d| d.level >= Level::Warning).collect();
    assert!(warnings.is_empty(), "{warnings:#?}");
    let json: serde_json::Value = serde_json::from_str(&archive.read("incidents.json")).unwrap();
    let records = json.as_array().unwrap();
    assert_eq!(records.len(), 5);
    // Every row of every timeline, whichever way the channel timed it.
    for (id, rows) in [
        ("2024-02-06-runner-disks-full", 5),
        ("2024-03-19-artifact-signing-key-expired", 4),
        ("2024-05-02-resolver-timeouts", 4),
        ("2024-07-23-scheduler-deadlock", 5),
        ("2024-09-10-cache-bucket-credentials", 4),
    ] {
        let page = archive.read(&format!("incidents/{id}/index.html"));
        assert_eq!(page.matches("class=\"vt-time\"").count(), rows, "{id}");
    }
    let key = archive.read("incidents/2024-03-19-artifact-signing-key-expired/index.html");
    assert!(key.contains("datetime=\"2024-03-19T07:12:00Z\""), "a day, a dash, a time");
    assert!(key.contains("(until 11:30)"), "a span, not a zone");
    assert!(key.contains("datetime=\"2024-03-19T09:00:00Z\""), "the span's start, in UTC");
    let disks = archive.read("incidents/2024-02-06-runner-disks-full/index.html");
    assert!(disks.contains("datetime=\"2024-02-06T10:30:00Z\""), "10:30AM UTC");
    assert!(disks.contains("Time to resolve</dt><dd>2 h 50 min"), "[08:55] to [11:45]");
    let cache = archive.read("incidents/2024-09-10-cache-bucket-credentials/index.html");
    assert!(cache.contains("datetime=\"2024-09-10T05:00:00Z\""), "5AM UTC");
    // One system, five failures: related, but no recurrence, and no piece
    // of a link as a reason.
    for record in records {
        assert!(record["recurrence_of"].is_null(), "{}", record["id"]);
        for related in record["related"].as_array().unwrap() {
            let reasons = related["reasons"].to_string();
            for piece in ["https", "com", "www", "example", "grafana", "github"] {
                assert!(
                    !reasons.contains(&format!("{piece},"))
                        && !reasons.contains(&format!(" {piece}\"")),
                    "{reasons}"
                );
            }
        }
    }
}

#[test]
fn fields_written_as_sections_and_zones_named_in_words_are_read() {
    let archive = Archive::copy_of(&fixtures().join("field-sections"));
    // Headings that hold a field are read as one, not offered to the
    // reader as sections no role claims.
    let suggestion = hindsight::adopt::suggest(archive.root()).unwrap();
    for heading in ["Severity (", "Date (", "Status ("] {
        assert!(!suggestion.toml.contains(heading), "{}", suggestion.toml);
    }
    // No `exclude`: the readme is told apart by what it holds.
    archive.write("hindsight.toml", "content_dir = \"reviews\"\n");
    let report = build(&archive);
    let readme = report
        .diagnostics
        .iter()
        .find(|d| d.file.as_deref() == Some(Path::new("reviews/README.md")))
        .unwrap();
    assert_eq!((readme.code, readme.level), ("RCA008", Level::Note));
    assert!(report.diagnostics.iter().all(|d| d.level < Level::Error), "{:#?}", report.diagnostics);
    let json: serde_json::Value = serde_json::from_str(&archive.read("incidents.json")).unwrap();
    let field = |id: &str, key: &str| {
        let record = json.as_array().unwrap().iter().find(|r| r["id"] == id).unwrap();
        record[key].as_str().map(str::to_string)
    };
    let fields = |id: &str| (field(id, "date"), field(id, "severity"));
    let some = |date: &str, severity: &str| (Some(date.to_string()), Some(severity.to_string()));
    assert_eq!(fields("payment-webhooks-backed-up"), some("2025-04-06", "P2"));
    assert_eq!(field("payment-webhooks-backed-up", "status").as_deref(), Some("resolved"));
    assert_eq!(fields("ledger-replica-lag-may"), some("2025-05-30", "P3"));
    assert_eq!(fields("tokyo-edge-purge"), some("2025-03-12", "P0"));
    // A sentence under `## Severity` is no severity.
    assert_eq!(fields("resolver-restarts"), some("2025-06-18", "unrated"));
    // Each timeline in its writers' zone, named in words; the day after a
    // time, or in a heading with words after it or in brackets.
    let times = |id: &str| -> Vec<String> {
        let page = archive.read(&format!("incidents/{id}/index.html"));
        page.split("datetime=\"")
            .skip(1)
            .filter_map(|t| t.split_once('"').map(|(at, _)| at.to_string()))
            .filter(|at| at.contains('T'))
            .collect()
    };
    assert_eq!(
        times("payment-webhooks-backed-up"),
        [
            "2025-04-06T23:33:00Z",
            "2025-04-06T23:41:00Z",
            "2025-04-07T00:10:00Z",
            "2025-04-07T01:38:00Z"
        ]
    );
    let tokyo = times("tokyo-edge-purge");
    assert_eq!(tokyo.first().map(String::as_str), Some("2025-03-12T01:05:00Z"));
    assert_eq!(tokyo.last().map(String::as_str), Some("2025-03-13T00:30:00Z"));
    assert_eq!(times("ledger-replica-lag-may")[0], "2025-05-30T13:14:00Z");
}

/// adopt offers the reader the headings no role claims, but not a file's
/// own title written as `## `, a timeline's time or day headings, or the
/// parts of a section with a role ("What worked" under "Lessons learned").
#[test]
fn adopt_offers_only_headings_that_may_name_sections() {
    let archive = Archive::dir_with(&[]);
    for (name, day) in [("a", "2024-03-01"), ("b", "2024-04-02"), ("c", "2024-05-03")] {
        archive.write(
            &format!("content/{name}.md"),
            format!(
                "---\ndate: {day}\n---\n\n## hub.example.io Disruption\n\nThe hub was down.\n\n\
                 ## Timeline\n\n### 14:00\n\nAlert.\n\n### {day}\n\n- 15:00 fixed\n\n\
                 ## Customer comms\n\nWe posted twice.\n\n## Lessons learned\n\n\
                 ### What worked\n\nPaging.\n"
            ),
        );
    }
    let toml = hindsight::adopt::suggest(archive.root()).unwrap().toml;
    assert!(toml.contains("Customer comms (3 files)"), "{toml}");
    for not_a_section in ["Disruption (", "14:00 (", "2024-", "What worked ("] {
        assert!(!toml.contains(not_a_section), "{not_a_section} in\n{toml}");
    }
}

/// A status page's rows that give their day in brackets after the clock:
/// each row is on that day, and shows it once, as written.
#[test]
fn a_day_in_brackets_after_the_clock_dates_the_row() {
    let archive = Archive::dir_with(&[]);
    archive.write(
        "content/2022-04-06-ci-failures.md",
        "## CI failures in one region\n\n\
         * **23:00 UTC(*April 5*)** - a CI run fails on network errors\n\
         * **11:00 UTC** - more CI failures\n\
         * **21:00 UTC** - builds moved to another region\n\
         * **04:00 UTC(*April 7*)** - builds stable again\n",
    );
    build(&archive);
    let doc =
        scraper::Html::parse_document(&archive.read("incidents/2022-04-06-ci-failures/index.html"));
    let times = select(&doc, ".vt-time");
    let at: Vec<&str> = times.iter().map(|t| t.value().attr("datetime").unwrap()).collect();
    assert_eq!(
        at,
        [
            "2022-04-05T23:00:00Z",
            "2022-04-06T11:00:00Z",
            "2022-04-06T21:00:00Z",
            "2022-04-07T04:00:00Z"
        ]
    );
    let shown: Vec<String> = times.iter().map(text).collect();
    assert_eq!(shown[0], "April 5 23:00 UTC");
    assert_eq!(shown[3], "April 7 04:00 UTC", "the day is said once");
    let events: Vec<String> = select(&doc, ".vt-text").iter().map(text).collect();
    assert!(events[0].ends_with(" a CI run fails on network errors"), "{}", events[0]);
}

/// A timeline row that gives a day and no time is on that day: no
/// warning, and the page shows the day as a date, even after rows of
/// the same day.
#[test]
fn a_row_of_a_day_alone_shows_its_day() {
    let archive = Archive::dir_with(&[]);
    archive.write(
        "content/2021-12-10-library-flaw.md",
        "# A flaw in a logging library\n\n## Timeline\n\n| Time | Event |\n|---|---|\n\
         | 2021-12-10 | the advisory is published |\n| 2021-12-10 15:40 | we hear of it |\n\
         | 2021-12-10 | scanning is planned |\n| 2021-12-13 09:15 | the first host is patched |\n\
         | 2021-12-17 | the last host is patched |\n",
    );
    let report = build(&archive);
    assert!(report.diagnostics.iter().all(|d| d.code != "RCA040"), "{:#?}", report.diagnostics);
    let doc = scraper::Html::parse_document(
        &archive.read("incidents/2021-12-10-library-flaw/index.html"),
    );
    let times = select(&doc, ".vt-time");
    let at: Vec<Option<&str>> = times.iter().map(|t| t.value().attr("datetime")).collect();
    assert_eq!(
        at,
        [
            Some("2021-12-10"),
            Some("2021-12-10T15:40:00Z"),
            Some("2021-12-10"),
            Some("2021-12-13T09:15:00Z"),
            Some("2021-12-17")
        ]
    );
    // Its offset is in whole days from the first event's day; on that day,
    // at a time not given, unknown.
    let offsets: Vec<String> = select(&doc, ".vt-offset").iter().map(text).collect();
    assert_eq!(offsets, ["T?", "T+0", "T?", "T+2d17h", "T+7d"]);
    let shown: Vec<String> = times.iter().map(text).collect();
    assert_eq!(shown[2], "2021-12-10", "a day alone says its day");
    assert!(select(&doc, ".vt-unread").is_empty());
}
