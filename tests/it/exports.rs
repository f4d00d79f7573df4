//! Archives exported by tools, read as each tool wrote them: incident
//! tools and scripts, a repository labelled like issues, a MkDocs site, a
//! notes app's database, a status page's history, a Docusaurus blog, an
//! Azure DevOps wiki, a repository of one folder per incident. Each fixture folder is
//! also built whole by `archives.rs`, with every file accounted for.
//!
//! See: issue #23.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::archives::{adopted, build, slash};

/// Write-ups exported by tools (a document editor without headings, a
/// ticket tracker, JSON with a bracketed zone, scripts) read whole: every
/// value each wrote its own way is the field it means (see
/// `tool-exports.expected.toml`).
#[test]
fn tool_exports_read_as_their_tools_wrote_them() {
    let (archive, suggestion) = adopted("tool-exports");
    let mapped = [r#"severity = ["severity", "Priority"]"#, r#""Affected Services""#, "created"];
    for mapped in mapped.into_iter().chain([r#"timezone = ["tz"]"#]) {
        assert!(suggestion.toml.contains(mapped), "{mapped} in\n{}", suggestion.toml);
    }
    let report = build(&archive);
    let unread = ["RCA012", "RCA013", "RCA014", "RCA015", "RCA011"];
    let bad: Vec<_> = report.diagnostics.iter().filter(|d| unread.contains(&d.code)).collect();
    assert!(bad.is_empty(), "{bad:#?}");
    assert!(report.diagnostics.iter().any(|d| d.code == "RCA021"
        && d.message.contains(r#"using 2022-08-01, the first day of "August 2022""#)));
    let json: serde_json::Value = serde_json::from_str(&archive.read("incidents.json")).unwrap();
    let rows: BTreeMap<String, String> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let text = |k: &str| match &r[k] {
                serde_json::Value::Array(items) => {
                    items.iter().map(|v| v.as_str().unwrap_or("?")).collect::<Vec<_>>().join("+")
                }
                serde_json::Value::Null => "-".to_string(),
                v => v.as_str().map_or_else(|| v.to_string(), str::to_string),
            };
            let fields = ["title", "date", "started_at", "severity", "status"];
            let mut row: Vec<String> = fields.iter().map(|k| text(k)).collect();
            row.extend(["duration_minutes", "authors", "services"].map(text));
            (text("id"), row.join(" | "))
        })
        .collect();
    let want = [
        (
            "webhooks-delayed",
            "Payment webhooks delayed for three hours | 2024-04-02 | - | unrated | resolved | - | kim+ravi+lu | ",
        ),
        (
            "inc-2093",
            "Search suggestions empty after index alias swap | 2024-04-02 | 2024-04-02T10:00:00Z | P1 | resolved | 120 | Jane Doe | search+suggest-api",
        ),
        (
            "2024-05-13-cache-json",
            "Session cache evicted every key on the Berlin nodes | 2024-05-13 | 2024-05-13T06:30:00Z | P0 | resolved | 90 |  | session-cache",
        ),
        (
            "resolver-flaps",
            "Resolver flaps in the Frankfurt region (August 2022) | 2022-08-01 | - | P2 | - | - |  | dns",
        ),
        (
            "legacy-1",
            "Nightly billing export wrote an empty file | 2024-03-01 | - | P0 | resolved | 135 |  | billing-export",
        ),
        (
            "shell-log",
            "Build agents ran out of disk | 2024-03-08 | 2024-03-08T14:05:00Z | P2 | resolved | 45 |  | ci",
        ),
        (
            "inc-42",
            "INC-42: Payments API returning 500s | 2024-03-01 | - | P1 | resolved | - |  | payments-api+ledger",
        ),
        (
            "rootly-search-node",
            "Search cluster lost a node to heap exhaustion | 2024-06-01 | 2024-06-01T10:00:00Z | P2 | - | 90 |  | search",
        ),
        (
            "wiki-converted",
            "[SEV2] Nightly backup filled the reporting disk | 2024-03-06 | 2024-03-07T07:50:00Z | P2 | - | - |  | reporting-db",
        ),
        (
            "inc-512",
            "INC-512: Card payments declined in the EU | 2024-10-02 | - | P1 | resolved | 65 |  | payments-api+card-gateway",
        ),
        (
            "retro-queue-stall",
            "Retrospective: Order queue stalled after broker upgrade | 2024-09-17 | 2024-09-17T08:20:00Z | P1 | - | 66 |  | order-queue+checkout",
        ),
    ];
    for (id, row) in want {
        assert_eq!(rows.get(id).map(String::as_str), Some(row), "{id}");
    }
    assert_eq!(rows.len(), want.len());
    // A "Key timestamps" table is the timeline: each phase is named, none
    // inferred (detected 10:04, mitigated 10:41, resolved 11:02).
    let page = archive.read("incidents/inc-42/index.html");
    for (phase, after) in [("detect", "6 min"), ("mitigate", "43 min"), ("resolve", "1 h 04 min")] {
        let at = page.find(&format!("Time to {phase}</dt>")).expect(phase);
        let shown = page.get(at..at + 80).unwrap_or_default();
        assert!(shown.contains(&format!("<dd>{after}</dd>")), "{phase}: {shown}");
    }
    // HTML tables from a wiki converter, their days written without a
    // year, read in the zone the file names: detected at 2:10 AM, mitigated
    // at 3:05 and resolved at 3:30, after a start at 11:50 PM.
    let page = archive.read("incidents/wiki-converted/index.html");
    for (phase, after) in
        [("detect", "2 h 20 min"), ("mitigate", "3 h 15 min"), ("resolve", "3 h 40 min")]
    {
        let at = page.find(&format!("Time to {phase}</dt>")).expect(phase);
        let shown = page.get(at..at + 80).unwrap_or_default();
        assert!(shown.contains(&format!("<dd>{after}</dd>")), "{phase}: {shown}");
    }
    // Fields in a "Key information" section's table, as an incident tool
    // exports them: "Reported at" is the detection.
    let page = archive.read("incidents/inc-512/index.html");
    assert!(page.contains("Time to detect</dt><dd>4 min</dd>"), "{page}");
    // A section of milestones after the summary, as an incident tool
    // exports them: the fields it lists are the phase times.
    let page = archive.read("incidents/retro-queue-stall/index.html");
    for (phase, after) in [("detect", "11 min"), ("mitigate", "45 min"), ("resolve", "1 h 06 min")]
    {
        let at = page.find(&format!("Time to {phase}</dt>")).expect(phase);
        let shown = page.get(at..at + 80).unwrap_or_default();
        assert!(shown.contains(&format!("<dd>{after}</dd>")), "{phase}: {shown}");
    }
    // Phase times as an incident tool exports them, with no timeline.
    let page = archive.read("incidents/rootly-search-node/index.html");
    for (phase, after) in [("detect", "12 min"), ("mitigate", "40 min"), ("resolve", "1 h 30 min")]
    {
        let at = page.find(&format!("Time to {phase}</dt>")).expect(phase);
        let shown = page.get(at..at + 80).unwrap_or_default();
        assert!(shown.contains(&format!("<dd>{after}</dd>")), "{phase}: {shown}");
    }
    // The editor's bold labels are its sections: its action items are read.
    let actions: serde_json::Value = serde_json::from_str(&archive.read("actions.json")).unwrap();
    let owners: Vec<_> = actions["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["incident"].as_str().unwrap(), a["owner"].as_str().unwrap_or("-")))
        .collect();
    assert!(owners.contains(&("webhooks-delayed", "kim")), "{owners:?}");
    assert!(owners.contains(&("inc-2093", "jane")), "{owners:?}");
    // "— Sam Ortiz": a name after a long dash.
    assert!(owners.contains(&("inc-42", "Sam Ortiz")), "{owners:?}");
    for owner in ["nadia", "dba-team"] {
        assert!(owners.contains(&("wiki-converted", owner)), "{owners:?}");
    }
    assert!(
        report.diagnostics.iter().any(|d| d.code == "RCA035"
            && d.file.as_deref() == Some(Path::new("exports/wiki-converted.md")))
    );
}

/// A repository filed by year: labels for severity and services, three
/// front-matter forms, GitHub alerts, a timeline in a code block, action
/// items whose fields are sentences of their own.
#[test]
fn github_repository_quirks() {
    let (archive, suggestion) = adopted("github-repo");
    assert_eq!(suggestion.config.content_dir, "postmortems", "{}", suggestion.toml);
    let report = build(&archive);
    let from_tags: BTreeSet<String> = report
        .diagnostics
        .iter()
        .filter(|d| d.code == "RCA036")
        .map(|d| slash(d.file.as_deref().unwrap()))
        .collect();
    assert_eq!(from_tags.len(), 4, "{from_tags:?}");
    let json: serde_json::Value = serde_json::from_str(&archive.read("incidents.json")).unwrap();
    let record = |id: &str| {
        let r = json.as_array().unwrap().iter().find(|r| r["id"] == id).unwrap().clone();
        let names = |k: &str| {
            r[k].as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap())
                .collect::<Vec<_>>()
                .join("+")
        };
        format!(
            "{} | {} | {} | {}",
            r["severity"].as_str().unwrap(),
            names("services"),
            names("tags"),
            r["recurrence_of"]
        )
    };
    assert_eq!(record("2023-11-02-ledger-replica-lag"), "P2 | ledger | postmortem+postgres | null");
    // A span and a guess in a table's time cell read as in a list row.
    let ledger = archive.read("incidents/2023-11-02-ledger-replica-lag/index.html");
    assert!(ledger.contains("replay statistics (until 09:35)"), "the span's end");
    assert!(ledger.contains("datetime=\"2023-11-02T10:30:00Z\""), "~10:30");
    assert!(ledger.contains("reads moved back (time approximate)"));
    assert!(!report.diagnostics.iter().any(|d| d.code == "RCA040"), "every time is readable");
    assert_eq!(record("2024-03-14-billing-queue-poison"), "P1 | billing-queue | postmortem | null");
    assert_eq!(
        record("2024-08-19-billing-consumer-stuck-again"),
        "P1 | billing-queue | postmortem | \"2024-03-14-billing-queue-poison\""
    );
    assert_eq!(record("2024-06-01-log-shipper-disk"), "P4 | log-shipper |  | null");
    assert_eq!(record("2024-05-20-mesh-ca-expired"), "P1 | mesh | certificates | null");

    let actions: serde_json::Value = serde_json::from_str(&archive.read("actions.json")).unwrap();
    let items: BTreeSet<String> = actions["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| format!("{} | {} | {}", a["action"].as_str().unwrap(), a["owner"], a["due"]))
        .collect();
    for want in [
        "Alert on consumer lag for each partition | \"dana\" | \"2024-04-30\"",
        "Write the zone in one atomic swap | \"Lena\" | \"2024-05-01\"",
        "Lower the SOA minimum to 60 s | \"Lena\" | null",
    ] {
        assert!(items.contains(want), "{want} in {items:#?}");
    }

    let dns = archive.read("incidents/2024-04-02-negative-dns-cache/index.html");
    assert!(dns.contains("Time to detect</dt><dd>4 min"), "the code block's rows are the timeline");
    assert!(
        dns.contains(
            r#"<time class="muted" datetime="2024-04-02T20:20:00Z">13:20 UTC-07:00</time>"#
        ),
        "the start on its writers' clock"
    );
    let mesh = archive.read("incidents/2024-05-20-mesh-ca-expired/index.html");
    assert!(mesh.contains("<blockquote class=\"alert alert-warning\">"), "{mesh}");
    assert!(!mesh.contains("[!WARNING]"));
}

/// A MkDocs site: admonitions read as the summary and shown as a title
/// and a quote, never inside code; the runbooks beside the postmortems
/// left out.
#[test]
fn mkdocs_site_quirks() {
    let (archive, suggestion) = adopted("mkdocs-site");
    assert!(suggestion.toml.contains(r#""runbooks/**""#), "{}", suggestion.toml);
    build(&archive);
    let json: serde_json::Value = serde_json::from_str(&archive.read("incidents.json")).unwrap();
    let summary = |id: &str| {
        let r = json.as_array().unwrap().iter().find(|r| r["id"] == id).unwrap();
        r["summary"].as_str().unwrap().to_string()
    };
    assert!(summary("object-store-rebalance").starts_with("Reads from the object store timed out"));
    assert!(summary("metadata-db-failover").starts_with("The metadata database failed over"));

    let page = archive.read("incidents/object-store-rebalance/index.html");
    assert!(!page.contains("!!!"), "{page}");
    assert!(
        page.contains("<p><strong>Do not cancel a rebalance halfway</strong></p>\n<blockquote>")
    );
    assert!(
        page.contains("<p>Throttle it instead, and let it finish.</p>"),
        "the second paragraph is text, not code"
    );
    let failover = archive.read("incidents/metadata-db-failover/index.html");
    assert!(failover.contains("!!! note"), "an admonition in a code block stays code");
    assert!(!failover.contains("???"));
}

/// The incidents of `incidents.json`, by id.
pub(crate) fn incidents(archive: &crate::support::Archive) -> BTreeMap<String, serde_json::Value> {
    let json: serde_json::Value = serde_json::from_str(&archive.read("incidents.json")).unwrap();
    let rows = json.as_array().unwrap().iter();
    rows.map(|r| (r["id"].as_str().unwrap().to_string(), r.clone())).collect()
}

/// A notes app's database export: page ids in the file names, properties
/// as labelled lines or a table of fields whose start and end are times of
/// day beside the date, owners with an `@`.
#[test]
fn notion_export_quirks() {
    let (archive, _) = adopted("notion-export");
    let report = build(&archive);
    let codes: BTreeSet<&str> = report.diagnostics.iter().map(|d| d.code).collect();
    assert!(!codes.contains("RCA012") && !codes.contains("RCA019"), "{:#?}", report.diagnostics);
    let all = incidents(&archive);
    let ids: Vec<&str> = all.keys().map(String::as_str).collect();
    assert_eq!(
        ids,
        [
            "checkout-api-errors",
            "login-failures-after-key-rotation",
            "nightly-export-ran-past-midnight",
            "search-results-empty-for-eu-tenants"
        ],
        "the page ids are left out of the addresses"
    );
    let field = |id: &str, key: &str| all[id][key].clone();
    assert_eq!(field("checkout-api-errors", "started_at"), "2024-03-05T22:30:00Z");
    assert_eq!(field("checkout-api-errors", "authors"), serde_json::json!(["Mara Quint"]));
    assert_eq!(
        field("login-failures-after-key-rotation", "authors"),
        serde_json::json!(["Tomas Ebner"])
    );
    // "Start time" and "End time" are times of day on the date's day, on
    // the start's clock, past midnight the next day.
    assert_eq!(field("search-results-empty-for-eu-tenants", "started_at"), "2024-07-02T06:10:00Z");
    assert_eq!(field("search-results-empty-for-eu-tenants", "duration_minutes"), 105);
    assert_eq!(field("nightly-export-ran-past-midnight", "duration_minutes"), 45);
    let page = archive.read("incidents/checkout-api-errors/index.html");
    assert!(
        page.contains("Checkout%20API%20errors%209c1f3a7be2d84c0f9a6b5e4d3c2b1a09/pool-wait.png")
    );
    let image = "incidents/checkout-api-errors/Checkout API errors \
                 9c1f3a7be2d84c0f9a6b5e4d3c2b1a09/pool-wait.png";
    assert!(archive.output_files().contains_key(image));
}

/// A status page's history: each incident its posted updates, which are
/// its timeline, oldest first, with its phases, its summary and the
/// services it affected.
#[test]
fn status_page_quirks() {
    let (archive, _) = adopted("status-page");
    let report = build(&archive);
    assert!(report.diagnostics.is_empty(), "{:#?}", report.diagnostics);
    let all = incidents(&archive);
    let field = |id: &str, key: &str| all[id][key].clone();
    assert_eq!(
        field("2024-06-18-webhook-delays", "services"),
        serde_json::json!(["Webhooks", "API"])
    );
    assert_eq!(
        field("2024-06-18-webhook-delays", "summary"),
        "Webhook deliveries are running up to thirty minutes late. We are looking into it.",
        "the first update posted says what went wrong"
    );
    assert_eq!(
        field("2024-07-22-dashboard-slow", "summary"),
        "Dashboard pages take several seconds to load. We are investigating."
    );
    let related = field("2024-09-03-webhook-delays", "related");
    assert_eq!(related[0]["id"], "2024-06-18-webhook-delays", "{related}");

    let page = archive.read("incidents/2024-06-18-webhook-delays/index.html");
    // The drawn timeline, oldest first, and the updates as written after it.
    let drawn = &page[..page.find("vt-text").unwrap() + 2000];
    let rows: Vec<usize> = ["Investigating - ", "Identified - ", "Monitoring - ", "Resolved - "]
        .iter()
        .map(|state| drawn.find(state).unwrap_or(usize::MAX))
        .collect();
    assert!(rows.windows(2).all(|w| w[0] < w[1] && w[1] != usize::MAX), "{rows:?}\n{page}");
    assert!(page.contains("Time to mitigate</dt><dd>1 h 08 min</dd>"), "{page}");
    assert!(page.contains("Time to resolve</dt><dd>1 h 50 min</dd>"), "{page}");
    // A maintenance announced a week ahead ran for 45 minutes.
    let maintenance = archive.read("incidents/2024-10-01-database-maintenance/index.html");
    assert!(maintenance.contains("Time to resolve</dt><dd>45 min"), "{maintenance}");
    // The postmortem's own timeline is the timeline; the updates are text.
    let dashboard = archive.read("incidents/2024-07-22-dashboard-slow/index.html");
    assert!(dashboard.contains("Time to detect</dt><dd>11 min</dd>"), "{dashboard}");
}

/// Write-ups in German, Spanish, French, Portuguese and Japanese: their
/// labelled fields, dates in words, severities and statuses in their own
/// languages are read as the English ones are.
#[test]
fn other_languages_fields_are_read() {
    let (archive, _) = adopted("other-languages");
    let report = build(&archive);
    let codes: BTreeSet<&str> = report.diagnostics.iter().map(|d| d.code).collect();
    for unread in ["RCA012", "RCA013", "RCA014", "RCA021"] {
        assert!(!codes.contains(unread), "{unread}: {:#?}", report.diagnostics);
    }
    let all = incidents(&archive);
    let row = |id: &str| {
        let r = &all[id];
        let text = |k: &str| r[k].as_str().unwrap_or_default().to_string();
        (text("date"), text("started_at"), text("severity"), text("status"))
    };
    let row_of = |d: &str, s: &str, sev: &str| {
        (d.to_string(), s.to_string(), sev.to_string(), "resolved".to_string())
    };
    assert_eq!(row("suchindex-leer"), row_of("2024-03-05", "2024-03-05T13:05:00Z", "P1"));
    assert_eq!(row("cola-de-pagos"), row_of("2024-06-12", "2024-06-12T09:30:00Z", "P1"));
    assert_eq!(row("certificat-expire"), row_of("2024-07-12", "2024-07-12T09:30:00Z", "P0"));
    assert_eq!(row("jian-suo-chi-yan"), row_of("2024-09-02", "2024-09-02T01:15:00Z", "P1"));
    assert_eq!(all["disco-cheio"]["date"], "2023-12-12");
    assert_eq!(all["disco-cheio"]["severity"], "P2");
    assert_eq!(all["suchindex-leer"]["services"], serde_json::json!(["search-api", "indexer"]));
    assert_eq!(all["suchindex-leer"]["authors"], serde_json::json!(["Jonas Keller"]));
    // Times written "14.05 Uhr", in the zone of the start (MEZ, UTC+1).
    let page = archive.read("incidents/suchindex-leer/index.html");
    for (at, event) in [("13:05", "Neuaufbau umgeschaltet"), ("14:02", "Trefferquote normal")] {
        let time = format!("class=\"vt-time\" datetime=\"2024-03-05T{at}:00Z\">");
        let shown = page.find(&time).and_then(|i| page.get(i..i + 200)).unwrap_or_default();
        assert!(shown.contains(event), "{at} {event}: {shown}");
    }
    // Each page marks its text with its language; the site's words stay
    // English.
    for (id, tag) in [
        ("suchindex-leer", "de"),
        ("cola-de-pagos", "es"),
        ("certificat-expire", "fr"),
        ("disco-cheio", "pt"),
        ("jian-suo-chi-yan", "ja"),
    ] {
        let page = archive.read(&format!("incidents/{id}/index.html"));
        assert!(page.contains(&format!("<div class=\"body\" lang=\"{tag}\">")), "{id}");
        assert!(page.contains(&format!("<h1 lang=\"{tag}\">")), "{id}");
        assert!(page.contains("<html lang=\"en\">"), "{id}");
    }
}

/// A documentation site's blog: posts in MDX read as markdown, their
/// `import`, `export` and comment lines never shown, their components'
/// text kept; authors named by their key in the blog's `authors.yml`.
#[test]
fn docusaurus_blog_quirks() {
    let (archive, suggestion) = adopted("docusaurus-blog");
    assert!(suggestion.toml.contains("content_dir = \"blog\""), "{}", suggestion.toml);
    assert!(suggestion.toml.contains("\"jlo\" = \"Jun Lo\""), "{}", suggestion.toml);
    let report = build(&archive);
    assert!(report.diagnostics.iter().all(|d| d.code == "RCA008"), "{:#?}", report.diagnostics);
    let all = incidents(&archive);
    assert_eq!(
        all["edge-certificate-expired"]["authors"],
        serde_json::json!(["Rhea Vance", "Jun Lo"])
    );
    assert_eq!(
        all["2024-04-10-queue-stall"]["authors"],
        serde_json::json!(["Jun Lo", "Ivana Marsh"])
    );
    assert_eq!(all["edge-certificate-expired"]["started_at"], "2024-03-05T10:00:00Z");
    let edge = archive.read("incidents/edge-certificate-expired/index.html");
    let dns = archive.read("incidents/2023-11-20-dns-cache/index.html");
    for (page, site_words) in [
        (&edge, &["import Tabs", "@theme", "TabItem"][..]),
        (&dns, &["import", "@site", "export const", "Keep this post short", "{/*"][..]),
    ] {
        for words in site_words {
            assert!(!page.contains(words), "{words} shows on the page");
        }
    }
    assert!(edge.contains("a failed renewal pages."), "a component's text is kept");
    // A paragraph opening with a component is the site's widget, not the summary.
    let summary = all["2023-11-20-dns-cache"]["summary"].as_str().unwrap();
    assert!(summary.starts_with("For two hours, checkout and search"), "{summary}");
    assert!(edge.contains("<strong>Impact</strong>"), "the admonition's title");
    assert!(dns.contains("Time to resolve</dt><dd>2 h 02 min"), "{dns}");
    // An owner named by the handle of the blog's authors file is the person.
    assert_eq!(archive.action_owner("Page on a failed renewal"), "Jun Lo");
    let not_in_the_file = archive.action_owner("Alert when any certificate");
    assert_eq!(not_in_the_file, "rhea", "not in the authors file");
    assert!(
        archive.output_files().keys().any(|k| k.ends_with("edge-certificate-expired/expiry.png"))
    );
}

/// A Jekyll blog's template tags in links: the image kept in the site's
/// `assets/` folder, named through `relative_url`, is published with its
/// post; a `post_url` link is a link to that post's page.
#[test]
fn jekyll_template_tags_in_links_resolve() {
    let (archive, _) = adopted("jekyll");
    let report = build(&archive);
    assert!(!report.diagnostics.iter().any(|d| d.code == "RCA037"), "{:#?}", report.diagnostics);
    let storm = archive.read("incidents/2022-08-01-cdn-purge-storm/index.html");
    assert!(storm.contains("<img src=\"assets/images/p99-latency.png\""), "{storm}");
    assert!(!storm.contains("relative_url"), "{storm}");
    let files = archive.output_files();
    assert!(
        files.contains_key("incidents/2022-08-01-cdn-purge-storm/assets/images/p99-latency.png")
    );
    let again = archive.read("incidents/2024-02-12-authorisation-db-failover-again/index.html");
    assert!(
        again.contains(
            "href=\"../2022-05-03-primary-database-failover/index.html\">May 2022 incident</a>"
        ),
        "{again}"
    );
    let json: serde_json::Value = serde_json::from_str(&archive.read("incidents.json")).unwrap();
    // Tags written as one string are words, as Jekyll reads them.
    let storm = json.as_array().unwrap().iter().find(|r| r["id"] == "2022-08-01-cdn-purge-storm");
    assert_eq!(storm.unwrap()["tags"], serde_json::json!(["cdn", "caching", "mobile"]));
    let linked =
        json.as_array().unwrap().iter().find(|r| r["id"] == "2022-05-03-primary-database-failover");
    assert!(
        linked.unwrap()["linked_from"]
            .to_string()
            .contains("2024-02-12-authorisation-db-failover-again")
    );
}

/// A Zola site: severity, services and tags as taxonomies (lists, under
/// `[taxonomies]`), the other fields under `[extra]`, and links between
/// posts as Zola's internal links, `@/…`.
#[test]
fn zola_site_quirks() {
    let (archive, _) = adopted("zola-site");
    let report = build(&archive);
    let warnings: Vec<_> = report.diagnostics.iter().filter(|d| d.code != "RCA008").collect();
    assert!(warnings.is_empty(), "{warnings:#?}");
    let json: serde_json::Value = serde_json::from_str(&archive.read("incidents.json")).unwrap();
    let record = |id: &str| {
        let r = json.as_array().unwrap().iter().find(|r| r["id"] == id).unwrap();
        format!(
            "{} | {} | {} | {} | {} | {}",
            r["severity"],
            r["services"],
            r["tags"],
            r["status"],
            r["duration_minutes"],
            r["authors"]
        )
    };
    assert_eq!(
        record("2023-04-11-object-store-throttled"),
        r#""P2" | ["uploads","object-store"] | ["throttling","config-change"] | "resolved" | 125 | ["Mira Okafor"]"#
    );
    assert_eq!(
        record("2024-02-06-object-store-throttled-again"),
        r#""P3" | ["uploads","object-store"] | ["throttling"] | "resolved" | 50 | []"#
    );
    let by_id = |id: &str| json.as_array().unwrap().iter().find(|r| r["id"] == id).unwrap().clone();
    let april = by_id("2023-04-11-object-store-throttled");
    let linked_from = april["linked_from"].to_string();
    assert!(linked_from.contains("2024-02-06-object-store-throttled-again"), "{linked_from}");
    assert!(linked_from.contains("2024-09-17-search-reindex-cpu"), "{linked_from}");
    // The backfill is the April failure again; the reindex only points at it.
    let recurs = |id: &str| by_id(id)["recurrence_of"].clone();
    assert_eq!(
        recurs("2024-02-06-object-store-throttled-again"),
        "2023-04-11-object-store-throttled"
    );
    assert_eq!(recurs("2024-09-17-search-reindex-cpu"), serde_json::Value::Null);
    // A link's file name is no shared word.
    let reasons: Vec<String> = json
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["related"].as_array().unwrap().iter())
        .flat_map(|e| e["reasons"].as_array().unwrap().iter())
        .map(|r| r.as_str().unwrap().to_string())
        .collect();
    let names_md = |r: &String| r.split([':', ',']).skip(1).any(|t| t.trim() == "md");
    assert!(!reasons.iter().any(names_md), "{reasons:?}");
    let search = archive.read("incidents/2024-09-17-search-reindex-cpu/index.html");
    assert!(search.contains("href=\"../2023-04-11-object-store-throttled/index.html#root-cause\""));
}

/// A GitBook space: its blocks (`{% hint %}`, `{% embed %}`, `{% tabs %}`,
/// `{% code %}`) read as what GitBook shows, and its front matter's
/// `description` as the summary.
#[test]
fn gitbook_space_quirks() {
    let (archive, _) = adopted("gitbook-space");
    let report = build(&archive);
    let warnings: Vec<_> = report.diagnostics.iter().filter(|d| d.code != "RCA008").collect();
    assert!(warnings.is_empty(), "{warnings:#?}");
    let failover = archive.read("incidents/2024-05-08-redis-failover/index.html");
    let evictions = archive.read("incidents/2024-10-02-redis-evictions/index.html");
    for page in [&failover, &evictions] {
        assert!(!page.contains("{%"), "no Liquid tag shows");
    }
    assert!(failover.contains("<strong>Warning</strong>"), "the hint's title");
    assert!(
        failover.contains("<strong>Before</strong>") && failover.contains("<strong>After</strong>")
    );
    assert!(failover.contains("href=\"https://grafana.example.com/d/redis-replication\""));
    assert!(failover.contains("<p class=\"summary\">A replica that lagged behind"), "description");
    assert!(evictions.contains("maxmemory-policy allkeys-lru"), "the code block");
    let json: serde_json::Value = serde_json::from_str(&archive.read("incidents.json")).unwrap();
    let failover = json.as_array().unwrap().iter().find(|r| r["id"] == "2024-05-08-redis-failover");
    let failover = failover.unwrap();
    assert_eq!(failover["severity"], "P2");
    assert_eq!(failover["linked_from"], serde_json::json!(["2024-10-02-redis-evictions"]));
}

/// An Astro site's collection: the incident's date is the post's
/// `pubDate`, and the blog template's own keys are hidden.
#[test]
fn astro_site_quirks() {
    let (archive, suggestion) = adopted("astro-site");
    assert_eq!(suggestion.config.content_dir, "src/content/postmortems", "{}", suggestion.toml);
    let report = build(&archive);
    assert!(report.diagnostics.iter().all(|d| d.code != "RCA023"), "every file is dated");
    let json: serde_json::Value = serde_json::from_str(&archive.read("incidents.json")).unwrap();
    let dates: BTreeSet<(String, String)> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["id"].as_str().unwrap().into(), r["date"].as_str().unwrap_or("none").into()))
        .collect();
    assert!(dates.contains(&("internal-dns-stopped-answering".into(), "2024-03-12".into())));
    let dns = archive.read("incidents/internal-dns-stopped-answering/index.html");
    assert!(!dns.contains("heroImage") && !dns.contains("updatedDate"), "the template's keys");
}

/// Incident issues exported from a tracker: the fields open the summary
/// section, as a `| Field | Value |` table or bold lines, and the severity
/// is a scoped label.
#[test]
fn incident_issue_quirks() {
    let (archive, _) = adopted("gitlab-incidents");
    let report = build(&archive);
    let codes: BTreeSet<&str> = report.diagnostics.iter().map(|d| d.code).collect();
    for unread in ["RCA012", "RCA013", "RCA021"] {
        assert!(!codes.contains(unread), "{unread}: {:#?}", report.diagnostics);
    }
    let all = incidents(&archive);
    let first = &all["inc-0042-checkout-errors"];
    assert_eq!(first["started_at"], "2024-04-03T14:20:00Z");
    assert_eq!(first["severity"], "P2");
    assert_eq!(first["services"], serde_json::json!(["checkout", "cart-cache"]));
    let again = &all["inc-0051-cart-cache-evictions-again"];
    assert_eq!(again["started_at"], "2024-06-11T09:02:00Z");
    assert_eq!(again["severity"], "P3");
    // Summed up by the prose after the fields, not by the fields.
    let summary = again["summary"].as_str().unwrap();
    assert!(summary.starts_with("Sessions were dropped for 20 minutes"), "{summary}");
    let page = archive.read("incidents/inc-0042-checkout-errors/index.html");
    assert!(!page.contains("<h1 id="), "the heading that is the title is shown once: {page}");
    assert!(page.contains("Time to resolve</dt><dd>45 min"), "{page}");
}

/// One folder per incident: the write-up is the folder's README or
/// `index.md`, named and dated by the folder, with the documents kept
/// beside it (a timeline, a channel export) left out and named, and the
/// links to them saying which file they point at.
#[test]
fn incident_folders_quirks() {
    let (archive, suggestion) = adopted("incident-folders");
    for supporting in ["timeline.md", "channel-export.md"] {
        let pattern = format!("\"2024-10-02-queue-failover/{supporting}\"");
        assert!(suggestion.toml.contains(&pattern), "{pattern}: {}", suggestion.toml);
    }
    let report = build(&archive);
    let pointing: Vec<&str> = report
        .diagnostics
        .iter()
        .filter(|d| d.code == "RCA030")
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(pointing.len(), 2, "{pointing:?}");
    // A markdown link is called a link, not a wiki link.
    assert!(pointing[0].starts_with("link `[Timeline](timeline.md)` points at"), "{pointing:?}");
    assert!(pointing[0].contains("incidents/2024-10-02-queue-failover/timeline.md"));
    let all = incidents(&archive);
    let queue = &all["2024-10-02-queue-failover"];
    assert_eq!(queue["date"], "2024-10-02");
    assert_eq!(queue["severity"], "P2");
    assert_eq!(queue["services"], serde_json::json!(["billing-queue"]));
    assert_eq!(all["2024-11-19-dns-cache-poisoned"]["severity"], "P1");
    assert!(
        archive.output_files().contains_key("incidents/2024-11-19-dns-cache-poisoned/answers.svg")
    );
}
