//! Archives kept in note apps and wikis, read as each wrote them: an
//! Obsidian vault, notes synced from a phone, a Dendron vault, a Joplin
//! export, an Azure DevOps wiki, a Logseq graph and a GitHub wiki. Each fixture folder is
//! also built whole by `archives.rs`, with every file accounted for.
//!
//! See: issue #23.

use std::collections::{BTreeMap, BTreeSet};

use crate::archives::{adopted, build, slash};
use crate::exports::incidents;

/// The Obsidian vault: notes at the root and in folders, a hidden settings
/// folder, an index note and a template left out, files embedded or linked
/// by name copied beside the pages that name them, `[[Note.md]]` links.
#[test]
fn obsidian_vault_quirks() {
    let (archive, suggestion) = adopted("obsidian");
    assert!(suggestion.toml.contains("content_dir = \".\""), "{}", suggestion.toml);
    let report = build(&archive);
    let files = archive.output_files();
    assert!(files.contains_key("incidents/deploy-froze-checkout/diagram.png"), "embed copied");
    assert!(files.contains_key("incidents/redis-failover-2023-11/redis-sentinel.log"));
    let page = archive.read("incidents/redis-failover-2023-11/index.html");
    assert!(page.contains("href=\"redis-sentinel.log\""), "a link by name to the copied file");
    // Hashtags on a line of their own, or closing a paragraph, are tags.
    let json: serde_json::Value = serde_json::from_str(&archive.read("incidents.json")).unwrap();
    let tags = |id: &str| {
        let found = json.as_array().unwrap().iter().find(|i| i["id"] == id).unwrap();
        (found["tags"].clone(), found["summary"].as_str().unwrap().to_string())
    };
    let (redis, summary) = tags("redis-failover-2023-11");
    assert_eq!(redis, serde_json::json!(["incident", "database", "redis"]));
    assert!(!summary.contains("#incident"), "{summary}");
    let (certificate, summary) = tags("billing-api-certificate-expired");
    assert_eq!(certificate, serde_json::json!(["incident", "certificates"]));
    assert!(summary.starts_with("On 2023-09-28"), "{summary}");
    // A note embedded whole is a link to it, not a picture that is not there.
    assert!(!page.contains("<img src=\"Redis"), "{page}");
    assert!(
        page.contains("href=\"../redis-failover-2023-04/index.html\">Redis failover 2023-04</a>"),
        "{page}"
    );
    let broken: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.code == "RCA030")
        .map(|d| d.message.clone())
        .collect();
    assert!(broken.iter().all(|m| !m.contains(".md]]") && !m.contains(".log]]")), "{broken:?}");
    // A name holding a `#` is linked whole; a heading follows a second `#`.
    assert!(broken.iter().all(|m| !m.contains("RCA #12")), "{broken:?}");
    let kafka = archive.read("incidents/kafka-consumer-lag/index.html");
    let rca = "href=\"../rca-12-order-emails-late/index.html";
    assert!(kafka.contains(&format!("{rca}\">RCA #12 – Order emails late</a>")), "{kafka}");
    assert!(kafka.contains(&format!("{rca}#cause\">")), "{kafka}");
    let notes: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.code == "RCA008")
        .filter_map(|d| d.file.clone())
        .collect();
    assert!(notes.iter().any(|f| f.ends_with(".obsidian")), "{notes:?}");
    assert!(!files.keys().any(|k| k.contains(".obsidian") || k.contains("public/")));
    // Properties as a vault writes them: links in quotes name notes, and
    // under related and recurrence_of are links between incidents.
    let again =
        json.as_array().unwrap().iter().find(|i| i["id"] == "kafka-lag-after-partition-change");
    let again = again.unwrap();
    assert_eq!(again["services"], serde_json::json!(["order-events", "notifications"]));
    assert_eq!(again["status"], "resolved");
    assert_eq!(again["recurrence_of"], "kafka-consumer-lag");
    assert_eq!(again["links_to"], serde_json::json!(["kafka-consumer-lag", "dns-resolver-outage"]));
    assert!(again["summary"].as_str().unwrap().starts_with("Order confirmation emails were late"));
    // Comments are not shown; highlights and callouts read as a vault shows them.
    let page = archive.read("incidents/kafka-lag-after-partition-change/index.html");
    for hidden in ["%%", "Fill in the customer", "copied from the incident channel", "==", "[!"] {
        assert!(!page.contains(hidden), "{hidden}");
    }
    assert!(page.contains("<strong>How we found it</strong>"), "the callout's title");
    let dns = archive.read("incidents/dns-resolver-outage/index.html");
    assert!(dns.contains("<blockquote>related: Internal DNS outage</blockquote>"), "the backlink");
}

/// Write-ups synced from a notes app: setext headings, a YAML block closed
/// with `...`, a month without a day, severities written with their labels
/// or as bare numbers, hashtags, odd file names and an empty draft.
#[test]
fn notes_app_quirks() {
    let (archive, suggestion) = adopted("notes-sync");
    assert!(!suggestion.toml.contains("[[severity]]"), "numbered levels keep the default scale");
    let report = build(&archive);
    let codes: Vec<(&str, String, String)> = report
        .diagnostics
        .iter()
        .map(|d| (d.code, d.file.as_deref().map(slash).unwrap_or_default(), d.message.clone()))
        .collect();
    let has = |code: &str, file: &str, words: &str| {
        codes.iter().any(|(c, f, m)| *c == code && f == file && m.contains(words))
    };
    assert!(has("RCA034", "incidents/2024-04-02 draft.md", "empty file"), "{codes:#?}");
    assert!(has("RCA012", "incidents/Checkout latency.md", "a month without a day"), "{codes:#?}");
    let json: serde_json::Value = serde_json::from_str(&archive.read("incidents.json")).unwrap();
    let by_id: BTreeMap<&str, &serde_json::Value> =
        json.as_array().unwrap().iter().map(|r| (r["id"].as_str().unwrap(), r)).collect();
    let fields = |id: &str| {
        let r = by_id[id];
        let s = |k: &str| r[k].as_str().unwrap_or("-").to_string();
        let names = |k: &str| {
            r[k].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect()
        };
        (s("title"), s("date"), s("severity"), names("services"), names("tags"))
    };
    let row = |t: &str, d: &str, s: &str, services: &[&str], tags: &[&str]| {
        let owned = |l: &[&str]| l.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        (t.to_string(), d.to_string(), s.to_string(), owned(services), owned(tags))
    };
    assert_eq!(
        fields("checkout-latency"),
        row("Checkout latency spike", "2024-03-01", "P2", &["checkout"], &["db", "network"])
    );
    assert_eq!(
        fields("inc-1234"),
        row("Payments charged twice", "2024-03-05", "P1", &["payments", "ledger"], &[])
    );
    assert_eq!(
        fields("search-stale-copy"),
        row("Search results went stale", "2024-03-05", "P2", &["search", "indexer"], &[])
    );
    assert_eq!(
        fields("2024-03-08-queue"),
        row("Order queue backlog", "2024-03-08", "P3", &[], &["queue", "kafka"])
    );
    // A heading that names a section is no title: the summary's first
    // sentence is.
    let disk = fields("2024-04-10-disk");
    assert!(disk.0.starts_with("The metrics database filled its disk"), "{disk:?}");
    assert_eq!(disk.2, "P1", "`Severity: High`, a labelled line");
    assert!(has("RCA020", "incidents/2024-04-10-disk.md", "title from the first sentence"));
    // Setext headings are sections like `#` ones: no file lacks a summary
    // or a cause it has.
    for (code, file, message) in &codes {
        let lacks = |what: &str| *code == "RCA070" && message.contains(what);
        assert!(!lacks("Summary") || file.contains("search stale"), "{file}: {message}");
        assert!(!lacks("Root Cause"), "{file}: {message}");
    }
}

/// A Dendron vault: the root, the hierarchy's levels and the journal are
/// left out by adopt; dates are the notes' creation in epoch milliseconds,
/// summaries their `desc`, links name notes by their dotted names.
#[test]
fn dendron_vault_quirks() {
    let (archive, suggestion) = adopted("dendron");
    for excluded in ["root.md", "incidents.md", "incidents.2024.md", "daily.journal.2024.06.01.md"]
    {
        assert!(suggestion.toml.contains(&format!("\"{excluded}\"")), "{}", suggestion.toml);
    }
    // The vault's note ids and update times are Dendron's, not the page's.
    assert!(suggestion.toml.contains(r#"hidden_keys = ["id", "updated"]"#), "{}", suggestion.toml);
    build(&archive);
    let incidents: serde_json::Value =
        serde_json::from_str(&archive.read("incidents.json")).unwrap();
    let find = |id: &str| incidents.as_array().unwrap().iter().find(|i| i["id"] == id).unwrap();
    let pool = find("incidents-2024-payments-pool");
    assert_eq!(pool["date"], "2024-03-21");
    assert_eq!(pool["started_at"], "2024-03-21T14:00:00Z");
    assert!(pool["summary"].as_str().unwrap().starts_with("Card authorisations timed out"));
    let again = find("incidents-2024-tls-expiry-again");
    assert_eq!(again["links_to"][0], "incidents-2023-cert-expiry");
    assert_eq!(again["recurrence_of"], "incidents-2023-cert-expiry");
}

/// An Azure DevOps wiki: escaped file names read as their titles, page
/// macros that are no links, a table of fields with a mention, a date
/// the file name settles, and question headings.
#[test]
fn azure_wiki_quirks() {
    let (archive, suggestion) = adopted("azure-wiki");
    assert!(suggestion.toml.contains("content_dir = \"Postmortems\""), "{}", suggestion.toml);
    let report = build(&archive);
    let codes: BTreeSet<&str> = report.diagnostics.iter().map(|d| d.code).collect();
    // No broken link for `[[_TOC_]]`, no date read the wrong way round, no
    // missing sections, no unknown status.
    for unread in ["RCA030", "RCA029", "RCA070", "RCA014", "RCA012"] {
        assert!(!codes.contains(unread), "{unread}: {:#?}", report.diagnostics);
    }
    let all = incidents(&archive);
    let login = &all["postmortem-2024-02-01-login"];
    assert_eq!(login["authors"], serde_json::json!(["Dana Smith"]));
    assert_eq!(login["services"], serde_json::json!(["identity", "web"]));
    let resolver = &all["resolver-timeouts-2024-06-11"];
    assert_eq!(resolver["started_at"], "2024-06-11T09:40:00Z");
    assert_eq!(resolver["status"], "resolved");
    assert_eq!(all["queue-backlog"]["status"], "resolved");
    let page = archive.read("incidents/resolver-timeouts-2024-06-11/index.html");
    assert!(!page.contains("_TOC_"), "{page}");
    let login = archive.read("incidents/postmortem-2024-02-01-login/index.html");
    assert!(login.contains("<td>@Dana Smith</td>"), "the mention shows its name: {login}");
    assert!(page.contains("Change forwarders one at a time"), "{page}");
    let actions: serde_json::Value = serde_json::from_str(&archive.read("actions.json")).unwrap();
    let text = actions.to_string();
    assert!(text.contains("Change forwarders one at a time"), "an action item: {text}");
}

/// A Logseq graph: an outline of bullets whose heading bullets are the
/// sections, page properties as fields, task markers as action items,
/// namespaced page names, journal-day links and pasted images kept in the
/// graph's `assets/` folder.
#[test]
fn logseq_graph_quirks() {
    let (archive, suggestion) = adopted("logseq");
    assert!(suggestion.toml.contains("content_dir = \"pages\""), "{}", suggestion.toml);
    let report = build(&archive);
    let codes: BTreeSet<&str> = report.diagnostics.iter().map(|d| d.code).collect();
    // No broken link (a person's page, a journal day), no missing date or
    // title, no unread section.
    for unread in ["RCA030", "RCA012", "RCA021", "RCA037"] {
        assert!(!codes.contains(unread), "{unread}: {:#?}", report.diagnostics);
    }
    let all = incidents(&archive);
    let flags = &all["postmortems-2024-03-21-stale-feature-flags"];
    assert_eq!(flags["title"], "2024-03-21 Stale feature flags");
    let summary = flags["summary"].as_str().unwrap();
    assert!(summary.starts_with("For about an hour the flags API"), "{summary}");
    assert_eq!(flags["date"], "2024-03-21");
    assert_eq!(flags["severity"], "P3");
    assert_eq!(flags["authors"], serde_json::json!(["Priya Raman"]));
    assert_eq!(flags["services"], serde_json::json!(["flags-api", "config-cache"]));
    let page = archive.read("incidents/postmortems-2024-03-21-stale-feature-flags/index.html");
    for section in ["summary", "timeline", "root-cause", "action-items"] {
        assert!(page.contains(&format!("<h2 id=\"{section}\"")), "{section}: {page}");
    }
    for property in ["id::", "collapsed::", "type::", "owner::"] {
        assert!(!page.contains(property), "{property} shown: {page}");
    }
    assert!(page.contains("<img src=\"assets/image_1711030000000_0.png\""), "{page}");
    let files = archive.output_files();
    let image =
        "incidents/postmortems-2024-03-21-stale-feature-flags/assets/image_1711030000000_0.png";
    assert!(files.contains_key(image), "the pasted image is published");
    let again = archive
        .read("incidents/postmortems-2024-05-02-flags-stuck-after-cache-node-swap/index.html");
    assert!(again.contains("href=\"../postmortems-2024-03-21-stale-feature-flags/index.html\""));
    assert!(again.contains("<span>Mar 21st, 2024</span>"), "a journal day is its date: {again}");
    let actions: serde_json::Value = serde_json::from_str(&archive.read("actions.json")).unwrap();
    let status = |text: &str| {
        let items = actions["items"].as_array().unwrap();
        let item = items.iter().find(|i| i["action"].as_str().unwrap().starts_with(text));
        item.map(|i| i["status"].as_str().unwrap().to_string())
    };
    assert_eq!(status("Alert when cached flag values").as_deref(), Some("open"));
    assert_eq!(status("Restart the refresh worker").as_deref(), Some("done"));
    assert_eq!(status("Ship the cached-value age alert").as_deref(), Some("open"));
    assert_eq!(status("Move the build to a bigger machine").as_deref(), Some("cancelled"));
    assert_eq!(actions["total"], 8);
}

/// A GitHub wiki: pages named by their titles with dashes for spaces,
/// links by title (`[[2024-05-03 Card tokens rejected]]`) or label first,
/// the wiki's front page, sidebar, footer, index and handbook beside the
/// write-ups, several fields on one line, and an image linked by its path.
#[test]
fn github_wiki_quirks() {
    let (archive, suggestion) = adopted("github-wiki");
    for page in
        ["Home.md", "_Sidebar.md", "_Footer.md", "Postmortem-Index.md", "On-Call-Handbook.md"]
    {
        assert!(suggestion.toml.contains(&format!("\"{page}\"")), "{page}: {}", suggestion.toml);
    }
    let report = build(&archive);
    let unresolved: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.code == "RCA030")
        .map(|d| (d.file.as_deref().map(slash).unwrap_or_default(), d.message.clone()))
        .collect();
    // Only the link to the index, which is no write-up, is broken, and
    // the warning says why.
    assert_eq!(unresolved.len(), 1, "{unresolved:#?}");
    let (file, message) = &unresolved[0];
    assert_eq!(file, "2024-05-03-Card-tokens-rejected.md");
    assert!(message.contains("Postmortem-Index.md, which `exclude`"), "{message}");
    let all = incidents(&archive);
    let lag = &all["2024-02-11-ledger-replica-fell-behind"];
    assert_eq!(lag["title"], "2024-02-11 Ledger replica fell behind", "the page's name");
    assert_eq!(
        all["tokens-rejected-after-rotation-2024-11-28"]["title"],
        "Tokens rejected after rotation (2024-11-28)"
    );
    assert_eq!(lag["severity"], "P2");
    assert_eq!(lag["services"], serde_json::json!(["ledger", "reporting"]));
    assert_eq!(lag["status"], "resolved");
    let tokens = &all["2024-05-03-card-tokens-rejected"];
    assert_eq!(tokens["severity"], "P1");
    assert_eq!(tokens["started_at"], "2024-05-03T14:02:00Z");
    assert_eq!(tokens["links_to"][0], "2024-02-11-ledger-replica-fell-behind");
    let again = &all["2024-09-19-replica-lag-during-reindex"];
    assert_eq!(again["recurrence_of"], "2024-02-11-ledger-replica-fell-behind");
    let rotation = &all["tokens-rejected-after-rotation-2024-11-28"];
    assert_eq!(rotation["date"], "2024-11-28");
    assert_eq!(rotation["links_to"][0], "2024-05-03-card-tokens-rejected");
    let page = archive.read("incidents/2024-02-11-ledger-replica-fell-behind/index.html");
    assert!(page.contains(r#"href="images/replica-lag.svg""#), "image link");
    // A label written first is the link's text, not the page name after it.
    let again = archive.read("incidents/2024-09-19-replica-lag-during-reindex/index.html");
    assert!(again.contains("index.html\">Ledger replica fell behind</a>"), "label-first text");
    assert!(
        archive
            .output_files()
            .contains_key("incidents/2024-02-11-ledger-replica-fell-behind/images/replica-lag.svg")
    );
}

/// A Joplin export: the app's own front matter on every note (where and
/// when it was written and edited), the template's fields as lines under
/// it, links between notes as relative markdown links with encoded
/// spaces, and pasted images in `_resources/` at the top.
#[test]
fn joplin_export_quirks() {
    let (archive, suggestion) = adopted("joplin-export");
    let hidden = r#"hidden_keys = ["latitude", "longitude", "altitude", "updated"]"#;
    assert!(suggestion.toml.contains(hidden), "{}", suggestion.toml);
    build(&archive);
    let all = incidents(&archive);
    let backlog = &all["queue-backlog-after-broker-upgrade"];
    assert_eq!(backlog["date"], "2024-06-01");
    assert_eq!(backlog["severity"], "P3", "the field line under the front matter");
    assert_eq!(backlog["services"], serde_json::json!(["orders-consumer"]));
    assert_eq!(backlog["status"], "resolved");
    assert!(backlog["summary"].as_str().unwrap().starts_with("After the broker upgrade"));
    let checkout = &all["checkout-502s-from-the-load-balancer"];
    assert_eq!(checkout["severity"], "P2");
    assert_eq!(checkout["services"], serde_json::json!(["checkout", "edge-lb"]));
    assert_eq!(checkout["duration_minutes"], 35);
    let again = &all["consumer-evictions-during-rolling-restart"];
    assert_eq!(again["links_to"][0], "queue-backlog-after-broker-upgrade");
    assert_eq!(again["recurrence_of"], "queue-backlog-after-broker-upgrade");
    let page = archive.read("incidents/queue-backlog-after-broker-upgrade/index.html");
    assert!(!page.contains("52.37"), "the app's keys are not shown");
    assert!(archive.output_files().contains_key(
        "incidents/queue-backlog-after-broker-upgrade/_resources/4b7e0c1d2a3f45e6b7c8d9e0f1a2b3c4.png"
    ));
}
