//! Tests of validate.

use super::*;
use crate::load::{parse_document, source_from_bytes};
use jiff::civil::Date;
use std::path::Path;

pub(super) fn typed(name: &str, text: &str) -> (Option<Incident>, Vec<Diagnostic>) {
    let rel = Path::new("content").join(name);
    let source = source_from_bytes(&rel, text.as_bytes().to_vec()).unwrap();
    let (doc, diags) = parse_document(source);
    assert!(diags.is_empty(), "{diags:?}");
    incident_from(doc.unwrap(), &Config::default())
}

pub(super) fn codes(diags: &[Diagnostic]) -> Vec<&str> {
    diags.iter().map(|d| d.code).collect()
}

const GOOD: &str = "---\ntitle: Pool exhausted\ndate: 2025-06-02\nseverity: sev2\n\
    services: payment-svc\ntags: [db, db, pool]\nstatus: Resolved\nduration_minutes: 65\n\
    author: [Ana, Bo]\naliases: [pool-june]\njira: OPS-1\n---\n## Summary\nThe pool ran dry.\n";

#[test]
fn a_good_file_types_every_field() {
    let (i, diags) = typed("2025-06-02-pool.md", GOOD);
    assert!(diags.is_empty(), "{diags:?}");
    let i = i.unwrap();
    assert_eq!(i.slug, "2025-06-02-pool");
    assert_eq!(i.title, "Pool exhausted");
    assert_eq!(i.date, Some(Date::constant(2025, 6, 2)));
    assert_eq!(i.severity.name, "P2");
    assert_eq!(i.services, ["payment-svc"]);
    assert_eq!(i.tags, ["db", "pool"]);
    assert_eq!(i.status.as_deref(), Some("resolved"));
    assert_eq!(i.duration_minutes, Some(65));
    assert_eq!(i.authors, ["Ana", "Bo"]);
    assert_eq!(i.summary, "The pool ran dry.");
    assert_eq!(i.extra["jira"], "OPS-1");
}

#[test]
fn an_identifier_a_tracker_writes_is_the_incidents_own_id() {
    let id = |line: &str| {
        let text = format!("---\ntitle: A\ndate: 2025-06-02\nseverity: P2\n{line}\n---\n");
        typed("x.md", &text).0.unwrap().own_id
    };
    assert_eq!(id("id: INC-1234").as_deref(), Some("INC-1234"));
    assert_eq!(id("incident_number: \" PD-77 \"").as_deref(), Some("PD-77"));
    // A bare number, a word or a sentence names nothing a reader knows.
    for line in ["id: 7", "id: root", "id: INC 12 and more", "team: INC-1"] {
        assert_eq!(id(line), None, "{line}");
    }
}

#[test]
fn missing_required_field_is_rca010_and_fatal() {
    let (i, diags) = typed("x.md", "---\ntitle: A\nseverity: P1\n---\n");
    assert!(i.is_none());
    assert_eq!(codes(&diags), ["RCA010"]);
}

#[test]
fn wrong_types_point_at_their_key_line() {
    let (i, diags) = typed(
        "x.md",
        "---\ntitle: A\ndate: yesterday\nseverity: [P1, P2]\nduration_minutes: -5\n---\n",
    );
    assert!(i.is_none());
    let found: Vec<_> = diags.iter().map(|d| (d.code, d.line())).collect();
    assert_eq!(found, [("RCA012", Some(3)), ("RCA011", Some(4)), ("RCA015", Some(5))]);
}

#[test]
fn unknown_severity_is_rca013_and_unknown_status_a_warning() {
    let (i, diags) = typed("x.md", "---\ntitle: A\ndate: 2024-01-01\nseverity: P9\n---\n");
    assert!(i.is_none());
    assert_eq!(codes(&diags), ["RCA013"]);
    let (i, diags) =
        typed("x.md", "---\ntitle: A\ndate: 2024-01-01\nseverity: P1\nstatus: wobbly\n---\n");
    assert!(i.is_some());
    assert_eq!(codes(&diags), ["RCA014"]);
    assert_eq!(diags[0].level, crate::diag::Level::Warning);
    assert_eq!(
        diags[0].help.as_deref(),
        Some("use one of resolved, monitoring, investigating, open")
    );
    // A review's state is told apart from the incident's.
    let (_, diags) =
        typed("x.md", "---\ntitle: A\ndate: 2024-01-01\nseverity: P1\nstatus: In review\n---\n");
    assert_eq!(codes(&diags), ["RCA014"]);
    let help = diags[0].help.as_deref().unwrap_or_default();
    assert!(help.contains("where the write-up's review is") && help.contains("[values.status]"));
}

#[test]
fn a_slug_written_otherwise_is_made_one_with_a_warning() {
    let cases = [
        ("../etc", "etc"),
        ("a/b", "b"),
        ("/postmortems/db-failover/", "db-failover"),
        ("A B", "a-b"),
        ("DB_Failover_2", "db-failover-2"),
        ("a\\\\b", "b"),
        ("-x", "x"),
        ("支付", "zhi-fu"),
        ("../..", "x"),
    ];
    for (slug, want) in cases {
        let text =
            format!("---\ntitle: A\ndate: 2024-01-01\nseverity: P1\nslug: \"{slug}\"\n---\n");
        let (i, diags) = typed("x.md", &text);
        assert_eq!(i.map(|i| i.slug.to_string()).as_deref(), Some(want), "{slug}");
        assert_eq!(codes(&diags), ["RCA016"], "{slug}");
        assert_eq!(diags[0].level, crate::diag::Level::Warning);
    }
}

#[test]
fn no_front_matter_takes_heading_and_file_date() {
    let (i, diags) = typed("2023-04-05-cache.md", "# Cache stampede\n\nIt stampeded.\n");
    let i = i.unwrap();
    assert_eq!(codes(&diags), ["RCA020"]);
    assert_eq!(i.title, "Cache stampede");
    assert_eq!(i.date, Some(Date::constant(2023, 4, 5)));
    assert!(i.severity.is_unrated());
    assert_eq!(i.summary, "It stampeded.");
    let (i, diags) = typed("notes.md", "just text\n");
    assert!(i.is_none());
    assert_eq!(codes(&diags), ["RCA020", "RCA012"]);
}

#[test]
fn a_missing_field_held_under_another_tools_key_is_named_with_its_mapping() {
    let (i, diags) = typed("x.md", "---\ntitle: A\nPriority: P1\ndate: 2024-01-01\n---\n");
    assert!(i.is_none());
    assert_eq!(codes(&diags), ["RCA010"]);
    let help = diags[0].help.as_deref().unwrap_or_default();
    assert!(help.contains(r#"[fields] severity = ["Priority"]"#), "{help}");
    let (_, diags) = typed("x.md", "---\ntitle: A\ndate: 2024-01-01\n---\n");
    let help = diags[0].help.as_deref().unwrap_or_default();
    assert!(help.contains("severity: P2") && help.contains("required_fields"), "{help}");
}

#[test]
fn labelled_lines_stand_in_for_missing_front_matter() {
    let text = "# DNS failures\n\n**Date:** 1 August 2024\n**Severity:** Sev 2\n\
                - **Affected services:** dns, api\n| Status | Resolved |\n\n## Summary\n\nResolvers timed out.\n";
    let (i, diags) = typed("dns.md", text);
    let i = i.unwrap();
    assert_eq!(codes(&diags), ["RCA020"]);
    assert!(diags[0].message.contains("from labelled lines"), "{}", diags[0].message);
    assert_eq!(i.title, "DNS failures");
    assert_eq!(i.date, Some(Date::constant(2024, 8, 1)));
    assert_eq!(i.severity.name, "P2");
    assert_eq!(i.services, ["dns", "api"]);
    assert_eq!(i.status.as_deref(), Some("resolved"));
}

#[test]
fn an_export_without_headings_is_titled_by_its_bold_first_line() {
    let text = "**Webhooks delayed**\n\n**Date:** 2024-04-02\n**Authors:** kim, ravi and lu\n\n\
                **Summary**\n\nThe dispatcher lost its lease.\n";
    let (i, d) = typed("hooks.md", text);
    let i = i.unwrap();
    assert_eq!(i.title, "Webhooks delayed");
    assert_eq!(i.summary, "The dispatcher lost its lease.");
    assert_eq!(i.authors, ["kim", "ravi", "lu"]);
    assert!(d[0].message.contains("title from the bold line it opens with"), "{d:?}");
    // A bold label, a bold run inside a sentence, or a bold line after a
    // heading is no title.
    for (body, title) in [
        ("**Note:**\n\nThe dispatcher lost its lease.\n", "The dispatcher lost its lease"),
        ("**Webhooks** were late.\n", "Webhooks were late"),
        ("# Hooks\n\n**Webhooks delayed**\n", "Hooks"),
    ] {
        let (i, _) = typed("x.md", &format!("Date: 2024-04-02\n\n{body}"));
        assert_eq!(i.unwrap().title, title, "{body}");
    }
    // A plural key lists names; a single one may hold a comma.
    let config =
        Config::parse("[fields]\nauthor = [\"authors\", \"author\"]\n", Path::new("h.toml"))
            .unwrap();
    let file = |key: &str| {
        format!("---\ntitle: A\ndate: 2024-01-01\nseverity: P1\n{key}: Doe, Jane\n---\n")
    };
    assert_eq!(typed_with(&config, &file("authors")).0.unwrap().authors, ["Doe", "Jane"]);
    assert_eq!(typed_with(&config, &file("author")).0.unwrap().authors, ["Doe, Jane"]);
}

#[test]
fn a_name_written_for_people_titles_a_file_without_heading_or_title() {
    let body = "**Severity:** SEV2\n**Date:** 2024-02-11\n\n## Summary\nThe replica fell forty minutes behind.\n";
    let title = |name: &str| typed(name, body).0.unwrap().title;
    // As a GitHub wiki names a page: its words, with the date's dashes kept.
    assert_eq!(
        title("2024-02-11-Ledger-replica-fell-behind.md"),
        "2024-02-11 Ledger replica fell behind"
    );
    assert_eq!(title("Tokens-rejected-(2024-11-28).md"), "Tokens rejected (2024-11-28)");
    assert_eq!(title("Replica lag 2024-09-19.md"), "Replica lag 2024-09-19");
    // A slug, an id or one word says less than the summary.
    for name in ["2024-02-11-replica-lag.md", "INC-1234.md", "Replica.md"] {
        assert_eq!(title(name), "The replica fell forty minutes behind", "{name}");
    }
}

#[test]
fn an_empty_front_matter_block_or_title_defers_to_the_body() {
    // Jekyll renders a page only with a front matter block, empty or not.
    let (i, d) = typed("x.md", "---\n---\n# Queue stall\n\nOn 2024-01-09 it broke.\n");
    let i = i.unwrap();
    assert_eq!((i.title.as_str(), i.date), ("Queue stall", Some(Date::constant(2024, 1, 9))));
    assert_eq!(codes(&d), ["RCA020", "RCA021"]);
    // `title:` left blank is the body's title, with a warning.
    let (i, d) = typed("x.md", "---\ntitle:\ndate: 2024-01-01\nseverity: P1\n---\n# Queue stall\n");
    assert_eq!(i.unwrap().title, "Queue stall");
    assert_eq!(codes(&d), ["RCA011"]);
    assert_eq!(d[0].level, crate::diag::Level::Warning);
    assert!(d[0].message.ends_with(r#"using "Queue stall""#), "{d:?}");
    // A title of the wrong kind still keeps the file out.
    let (i, d) = typed("x.md", "---\ntitle: [a]\ndate: 2024-01-01\nseverity: P1\n---\n");
    assert!(i.is_none());
    assert_eq!(codes(&d), ["RCA011"]);
}

#[test]
fn a_bad_labelled_value_is_a_warning_at_its_line_and_the_file_still_builds() {
    let text = "# Outage\n\nSeverity: Extreme\nDate: someday\n\nOn 2024-02-03 it broke.\n";
    let (i, diags) = typed("outage.md", text);
    let i = i.unwrap();
    assert_eq!(codes(&diags), ["RCA020", "RCA012", "RCA021", "RCA013"]);
    assert!(diags.iter().all(|d| d.level != crate::diag::Level::Error), "{diags:?}");
    let line = |code: &str| diags.iter().find(|d| d.code == code).and_then(|d| d.line());
    assert_eq!((line("RCA013"), line("RCA012")), (Some(3), Some(4)));
    assert!(i.severity.is_unrated());
    assert_eq!(i.date, Some(Date::constant(2024, 2, 3)));
}

#[test]
fn a_severity_section_gives_the_severity_front_matter_lacks_and_a_bad_one_warns() {
    let text = "---\ntitle: Checkout down\ndate: 2024-03-03\n---\n\
                ## Severity\n\n**P1** - every customer\n";
    let (i, diags) = typed("a.md", text);
    assert_eq!(i.unwrap().severity.name, "P1", "{diags:?}");
    // A value no level names: the file builds unrated, told at the line.
    let text = "---\ntitle: Checkout down\ndate: 2024-03-03\n---\n## Severity\n\nGalactic\n";
    let (i, diags) = typed("b.md", text);
    assert!(i.unwrap().severity.is_unrated());
    assert_eq!(codes(&diags), ["RCA013"]);
    assert_eq!(diags[0].level, crate::diag::Level::Warning);
    assert_eq!(diags[0].line(), Some(7));
}

#[test]
fn a_templates_placeholder_title_is_named_and_a_better_one_used() {
    let text =
        "# ISSUE NAME\n\n**Date:** 2024-03-05\n\n## Summary\n\nThe ledger replica fell behind.\n";
    let (i, diags) = typed("Ledger replica lag.md", text);
    let i = i.unwrap();
    assert_eq!(i.title, "Ledger replica lag", "the file's name, written for people");
    let d = diags.iter().find(|d| d.code == "RCA022").unwrap();
    assert!(d.message.contains("\"ISSUE NAME\""), "{}", d.message);
    // A file name that says nothing: the summary's first words.
    let text = "---\ntitle: \"[Incident title]\"\ndate: 2024-03-05\nseverity: P2\n---\n\
                ## Summary\n\nThe ledger replica fell behind.\n";
    let (i, diags) = typed("x.md", text);
    assert_eq!(i.unwrap().title, "The ledger replica fell behind");
    assert_eq!(codes(&diags), ["RCA022"]);
    for placeholder in ["<Title>", "{{ title }}", "YYYY-MM-DD Incident name", "Post-mortem title"] {
        assert!(super::incident::is_placeholder_title(placeholder), "{placeholder}");
    }
    // Titles that only hold such words are real.
    for title in ["Incident title lookups failed", "Issue names truncated", "Title service down"] {
        assert!(!super::incident::is_placeholder_title(title), "{title}");
    }
}

#[test]
fn a_month_with_its_year_dates_a_file_with_no_other_date() {
    let config =
        Config::parse("required_fields = [\"title\"]\n", Path::new("hindsight.toml")).unwrap();
    let (i, d) = typed_with(
        &config,
        "---\ntitle: Query stalls (August 2022)\nseverity: P2\n---\nIn July 2021 we began.\n",
    );
    assert_eq!(codes(&d), ["RCA021"]);
    assert!(d[0].message.contains(r#"using 2022-08-01, the first day of "August 2022""#), "{d:?}");
    assert_eq!(i.unwrap().date, Some(Date::constant(2022, 8, 1)));
    // A whole date anywhere in the text comes first; then the body's month.
    let (i, _) = typed("y.md", "# Stalls\n\nIn July 2021, on 2021-07-09, it stalled.\n");
    assert_eq!(i.unwrap().date, Some(Date::constant(2021, 7, 9)));
    let (i, _) = typed("z.md", "# Stalls\n\nOn a Friday in late July 2021 it stalled.\n");
    assert_eq!(i.unwrap().date, Some(Date::constant(2021, 7, 1)));
}

#[test]
fn a_title_from_the_summary_ends_at_a_sentence_not_at_any_point() {
    let config = Config::parse("required_fields = []\n", Path::new("hindsight.toml")).unwrap();
    let title = |summary: &str| {
        let text = format!("---\ndate: 2024-01-01\nsummary: \"{summary}\"\n---\nBody.\n");
        typed_with(&config, &text).0.map(|i| i.title)
    };
    let t = |s: &str| Some(s.to_string());
    assert_eq!(
        title("Porting Careers 2.0 code broke pages. Then more."),
        t("Porting Careers 2.0 code broke pages")
    );
    assert_eq!(
        title("Downloads from crates.io failed! Fixed."),
        t("Downloads from crates.io failed!")
    );
    assert_eq!(
        title("A cache (e.g. the CDN) was stale. It was."),
        t("A cache (e.g. the CDN) was stale")
    );
    assert_eq!(title("Paged J. Smith twice? Yes."), t("Paged J. Smith twice?"));
    assert_eq!(title("DNS 故障。恢复了。"), t("DNS 故障。"));
    assert_eq!(title("No end mark at all"), t("No end mark at all"));
}

#[test]
fn a_date_anywhere_in_the_file_name_dates_a_file_without_one() {
    let date =
        |name: &str| typed(name, "# Cache stampede\n\nThe cache emptied.\n").0.and_then(|i| i.date);
    let d = |y, m, d| Some(Date::constant(y, m, d));
    assert_eq!(date("Postmortem-2024-03-05-Cache.md"), d(2024, 3, 5));
    assert_eq!(date("postmortem_2024_03_07_queue.md"), d(2024, 3, 7));
    assert_eq!(date("20240309-login.md"), d(2024, 3, 9));
    // A note's id: the date and the time it was made.
    assert_eq!(date("202403211530 Payments outage.md"), d(2024, 3, 21));
    assert_eq!(date("20240321153012-payments.md"), d(2024, 3, 21));
    assert_eq!(date("202403216930 Payments.md"), None, "no 69th minute");
    assert_eq!(date("2024032115 Payments.md"), None, "ten digits are no date");
    assert_eq!(date("INC-1234 (2024-03-11).md"), d(2024, 3, 11));
    assert_eq!(date("pm.2024.03.12.md"), d(2024, 3, 12));
    // A date as people write one, when it reads one way only.
    assert_eq!(date("Outage 03-15-2024.md"), d(2024, 3, 15));
    assert_eq!(date("DB failover - March 5, 2024.md"), d(2024, 3, 5));
    assert_eq!(date("Ausfall_15.03.2024.md"), d(2024, 3, 15));
    assert_eq!(date("Ausfall 03.05.2024.md"), d(2024, 5, 3), "dots are read day first");
    // One that reads two ways, or a UUID's first group, is no date in a name.
    assert_eq!(date("03-05-2024-cache.md"), None);
    assert_eq!(date("cache 03/05/2024.md"), None);
    assert_eq!(date("20240315-21f8-4767-8803-f09d863005cd.md"), None);
}

#[test]
fn a_day_without_its_year_takes_the_year_of_the_files_place() {
    let date = |name: &str, text: &str| typed(name, text).0.and_then(|i| i.date);
    let d = |y, m, d| Some(Date::constant(y, m, d));
    let text = "# Redis failed over twice\n\nNight of 14 November, 02:11 and 02:13.\n";
    // The month in the file name, the year of the folder.
    assert_eq!(date("Redis failover 2023-11.md", text), d(2023, 11, 14));
    assert_eq!(date("2023/Redis failover.md", text), d(2023, 11, 14));
    // A month the name gives and no day in the text: its first day.
    assert_eq!(date("Redis failover 2023-11.md", "# Redis\n\nIt failed over.\n"), d(2023, 11, 1));
    // A day outside the month the name gives is not that month's.
    assert_eq!(date("Redis failover 2023-10.md", text), d(2023, 10, 1));
    // Nothing says the year: no date.
    assert_eq!(date("Redis failover.md", text), None);
    let (_, diags) = typed("2023/Redis failover.md", text);
    let warning = diags.iter().find(|d| d.code == "RCA021").expect("RCA021");
    assert!(
        warning.message.contains("\"14 November\" in 2023, the year of its folder"),
        "{warning:?}"
    );
}

#[test]
fn a_title_and_summary_written_with_markdown_marks_read_as_plain_text() {
    let (i, d) = typed(
        "x.md",
        "---\ntitle: \"Pool: the **second** time\"\ndate: 2024-01-01\nseverity: P1\n\
         summary: \"The `pool` ran dry; see [the runbook](https://x.example/rb).\"\n---\n",
    );
    assert!(d.is_empty(), "{d:?}");
    let i = i.unwrap();
    assert_eq!(i.title, "Pool: the second time");
    assert_eq!(i.summary, "The pool ran dry; see the runbook.");
    let (i, _) =
        typed("x.md", "---\ntitle: max_connections [P1]\ndate: 2024-01-01\nseverity: P1\n---\n");
    assert_eq!(i.unwrap().title, "max_connections [P1]");
}

#[test]
fn rfc3339_dates_keep_the_start_time() {
    let (i, _) =
        typed("x.md", "---\ntitle: A\ndate: 2024-05-14T23:30:00-02:00\nseverity: P1\n---\n");
    let i = i.unwrap();
    // The day as written (the author's day), the instant in UTC.
    assert_eq!(i.date, Some(Date::constant(2024, 5, 14)));
    assert_eq!(i.started_at.unwrap().to_string(), "2024-05-15T01:30:00Z");
}

#[test]
fn european_dates_read_day_first_and_an_ambiguous_one_is_named() {
    let file = |date: &str| format!("---\ntitle: A\ndate: {date}\nseverity: P1\n---\n");
    for written in ["25/03/2024", "25.03.2024", "2024.03.25", "2024/3/25", "2024年3月25日"] {
        let (i, d) = typed("x.md", &file(written));
        assert!(d.is_empty(), "{written}: {d:?}");
        assert_eq!(i.unwrap().date, Some(Date::constant(2024, 3, 25)), "{written}");
    }
    let (i, d) = typed("x.md", &file("05/03/2024"));
    assert_eq!(codes(&d), ["RCA029"]);
    assert!(d[0].message.contains("taken as 2024-05-03, not 2024-03-05"), "{}", d[0].message);
    assert_eq!(i.unwrap().date, Some(Date::constant(2024, 5, 3)));
    // A file name dated year first settles it, time of day and zone kept.
    let (i, d) = typed("2024-03-05-dns.md", &file("05/03/2024 14:05 UTC"));
    assert!(d.is_empty(), "{d:?}");
    let i = i.unwrap();
    assert_eq!(i.date, Some(Date::constant(2024, 3, 5)));
    assert_eq!(i.started_at.unwrap().to_string(), "2024-03-05T14:05:00Z");
    // A name that agrees with neither reading leaves it as it was.
    let (i, d) = typed("2024-07-01-dns.md", &file("05/03/2024"));
    assert_eq!(codes(&d), ["RCA029"]);
    assert_eq!(i.unwrap().date, Some(Date::constant(2024, 5, 3)));
}

#[test]
fn authors_statuses_and_mapped_keys_as_other_archives_write_them() {
    let config = Config::parse(
        "[fields]\nservices = [\"affected_services\"]\nauthor = [\"authors\"]\n",
        Path::new("hindsight.toml"),
    )
    .unwrap();
    let (i, d) = typed_with(
        &config,
        "---\ntitle: A\ndate: 2024-01-01\nseverity: P2\nAffected Services: [api]\n\
         status: closed - fixed\nauthors: [\"Jane Doe <jane@example.com>\", \"@jane\", Jane Doe, \"@<Dana Smith>\", amirh@]\n---\n",
    );
    assert!(d.is_empty(), "{d:?}");
    let i = i.unwrap();
    assert_eq!(i.services, ["api"]);
    assert_eq!(i.status.as_deref(), Some("resolved"));
    assert_eq!(
        i.authors,
        ["Jane Doe", "jane", "Dana Smith", "amirh"],
        "a wiki mention is its name; an address without its domain too"
    );
}

#[test]
fn capitalised_keys_are_the_fields_they_name() {
    let (i, d) = typed(
        "x.md",
        "---\nTitle: Cased\nDate: 2024-02-02\nSeverity: P2\nServices: [api]\n\
         Duration-Minutes: 30\nTeam: core\n---\n",
    );
    assert!(d.is_empty(), "{d:?}");
    let i = i.unwrap();
    assert_eq!(i.title, "Cased");
    assert_eq!(i.services, ["api"]);
    assert_eq!(i.duration_minutes, Some(30));
    // Only the key that means nothing to hindsight is kept as extra.
    assert_eq!(i.extra.keys().collect::<Vec<_>>(), ["Team"]);
    // The exact key wins over one that only reads the same.
    let (i, _) =
        typed("y.md", "---\ntitle: exact\nTitle: cased\ndate: 2024-01-01\nseverity: P1\n---\n");
    assert_eq!(i.unwrap().title, "exact");
}

#[test]
fn action_items_with_marks_placeholders_and_references() {
    let (i, d) = typed(
        "x.md",
        "---\ntitle: A\ndate: 2024-01-01\nseverity: P3\n---\n## Action Items\n\n\
         - TODO(bob): raise the pool limit\n\
         - Alert on saturation (owner: SRE, due: end of June 2024)\n\
         - Replace the client (JIRA: PAY-330, assignee: eve)\n\n\
         ## Follow-ups\n\n| Task | Owner | Status |\n|---|---|---|\n\
         | Add canary | @id-team | ✅ Done |\n| Load test | — | Not started |\n",
    );
    let items: Vec<_> = i
        .unwrap()
        .action_items
        .into_iter()
        .map(|a| {
            let due = a.due.map(|d| d.to_string()).unwrap_or_default();
            (a.action, a.owner.unwrap_or_default(), due, a.status, a.done)
        })
        .collect();
    let item = |a: &str, o: &str, d: &str, s: &str, done| {
        (a.to_string(), o.to_string(), d.to_string(), s.to_string(), done)
    };
    assert_eq!(
        items,
        [
            item("TODO(bob): raise the pool limit", "bob", "", "open", false),
            item("Alert on saturation", "SRE", "2024-06-30", "open", false),
            item("Replace the client (JIRA: PAY-330, assignee: eve)", "eve", "", "open", false),
            item("Add canary", "id-team", "", "done", true),
            item("Load test", "", "", "open", false),
        ]
    );
    assert!(d.iter().all(|d| d.code != "RCA041"), "{d:?}");
}

#[test]
fn authors_service_and_tag_are_read_as_their_fields() {
    let (i, _) = typed(
        "x.md",
        "---\ntitle: A\ndate: 2024-01-01\nseverity: P3\nauthors: [Alice Ortiz, Bo]\n\
         service: api\ntag: db\n---\nText.\n",
    );
    let i = i.unwrap();
    assert_eq!(i.authors, ["Alice Ortiz", "Bo"]);
    assert_eq!((i.services, i.tags), (vec!["api".to_string()], vec!["db".to_string()]));
    assert!(i.extra.is_empty(), "{:?}", i.extra);
    // The field's own key wins; the other spelling is then an extra field.
    let (i, _) = typed(
        "y.md",
        "---\ntitle: A\ndate: 2024-01-01\nseverity: P3\nauthor: Kim\nauthors: [Lee]\n---\n",
    );
    let i = i.unwrap();
    assert_eq!(i.authors, ["Kim"]);
    assert!(i.extra.contains_key("authors"), "{:?}", i.extra);
}

#[test]
fn a_done_column_of_ticks_crosses_and_yes_or_no() {
    let (i, _) = typed(
        "x.md",
        "---\ntitle: A\ndate: 2024-01-01\nseverity: P3\n---\n## Action Items\n\n\
         | Action | Owner | Done |\n|---|---|---|\n| Send keys | Priya | ✅ |\n\
         | Alert on captures | Marco | ❌ |\n| Add a test | Ana | ☐ |\n| Fix the flag | Ana | No |\n",
    );
    let statuses: Vec<_> =
        i.unwrap().action_items.into_iter().map(|a| (a.status, a.done)).collect();
    let open = ("open".to_string(), false);
    assert_eq!(statuses, [("done".to_string(), true), open.clone(), open.clone(), open]);
}

#[test]
fn due_dates_in_other_forms_are_read() {
    let (i, d) = typed(
        "x.md",
        "---\ntitle: A\ndate: 2024-01-01\nseverity: P3\n---\n## 再発防止策\n\
         - 監視を追加（担当：SRE、期限：2024年4月1日）\n\n## Action Items\n\
         | Action | Owner | Due Date |\n|---|---|---|\n| Cap the pool | DBA | 25/03/2024 |\n",
    );
    assert!(d.iter().all(|d| d.code != "RCA041"), "{d:?}");
    let dues: Vec<_> = i.unwrap().action_items.iter().map(|a| a.due).collect();
    assert_eq!(dues, [Some(Date::constant(2024, 4, 1)), Some(Date::constant(2024, 3, 25))]);
}

#[test]
fn action_items_as_other_templates_write_them() {
    let (i, d) = typed(
        "x.md",
        "---\ntitle: A\ndate: 2024-01-01\nseverity: P3\n---\n## Follow-up actions\n\
         | Item | Assignee | Target date | State |\n|---|---|---|---|\n\
         | Jitter TTLs | @maria | Q3 2024 | Won’t fix |\n| Coalesce | maria | June 2024 | open |\n\n\
         ## Corrective measures\n\
         - Rate-limit refills — Responsible: SRE — Deadline: 2024-08-15\n\
         - Alert on misses (assigned to @oncall, target 2024-07-15)\n",
    );
    assert!(d.iter().all(|d| !["RCA041", "RCA071"].contains(&d.code)), "{d:?}");
    let items: Vec<_> = i
        .unwrap()
        .action_items
        .into_iter()
        .map(|a| (a.owner.unwrap_or_default(), a.due.map(|d| d.to_string()), a.done))
        .collect();
    let item = |o: &str, d: &str, done| (o.to_string(), Some(d.to_string()), done);
    assert_eq!(
        items,
        [
            item("maria", "2024-09-30", true),
            item("maria", "2024-06-30", false),
            item("SRE", "2024-08-15", false),
            item("oncall", "2024-07-15", false),
        ],
        "an @ in a cell is no part of the name; a period is due by its end; won't fix is closed"
    );
}

#[test]
fn a_single_string_of_services_or_tags_is_cut_at_commas_and_tags_at_spaces() {
    let (i, d) = typed(
        "x.md",
        "---\ntitle: A\ndate: 2024-01-01\nseverity: P1\nservices: api, web ,api\n\
         tags: \"dns; network\"\nauthor: Doe, Jane\n---\n",
    );
    assert!(d.is_empty(), "{d:?}");
    let i = i.unwrap();
    assert_eq!(i.services, ["api", "web"]);
    assert_eq!(i.tags, ["dns", "network"]);
    assert_eq!(i.authors, ["Doe, Jane"]);
    // A list is taken as written.
    let (i, _) = typed(
        "y.md",
        "---\ntitle: B\ndate: 2024-01-01\nseverity: P1\nservices: [\"eu, west\"]\n---\n",
    );
    assert_eq!(i.unwrap().services, ["eu, west"]);
    // Hashtags, as a notes app writes them, are the names they tag.
    let (i, _) = typed(
        "z.md",
        "---\ntitle: C\ndate: 2024-01-01\nseverity: P1\ntags: \"#queue #kafka #queue\"\n\
         services: [\"#api\", \"C# worker\", \"web\"]\n---\n",
    );
    let i = i.unwrap();
    assert_eq!(i.tags, ["queue", "kafka"]);
    assert_eq!(i.services, ["api", "C# worker", "web"]);
    // Jekyll reads tags written as one string as words; a service's name
    // keeps its spaces.
    let (i, d) = typed(
        "v.md",
        "---\ntitle: E\ndate: 2024-01-01\nseverity: P1\ntags: payments webhooks  payments\n\
         services: checkout api\n---\n",
    );
    assert!(d.is_empty(), "{d:?}");
    let i = i.unwrap();
    assert_eq!(i.tags, ["payments", "webhooks"]);
    assert_eq!(i.services, ["checkout api"]);
    // Objects naming each, as a service catalogue exports them.
    let (i, d) = typed(
        "w.md",
        "---\ntitle: D\ndate: 2024-01-01\nseverity: P1\nservices:\n  - name: api\n    tier: 1\n\
         \x20 - {id: web}\ntags: [{owner: x}]\n---\n",
    );
    assert_eq!(i.unwrap().services, ["api", "web"]);
    assert_eq!(d.iter().map(|d| d.code).collect::<Vec<_>>(), ["RCA011"], "no name: {d:?}");
}

#[test]
fn a_duration_written_as_a_span_is_its_minutes() {
    let config =
        Config::parse("[fields]\nduration_minutes = [\"duration\"]\n", Path::new("h.toml"))
            .unwrap();
    let minutes = |value: &str| {
        let text =
            format!("---\ntitle: A\ndate: 2024-01-01\nseverity: P1\nduration: {value}\n---\n");
        let (i, d) = typed_with(&config, &text);
        (i.unwrap().duration_minutes, d.iter().map(|d| d.code).collect::<Vec<_>>())
    };
    for (written, want) in [
        ("1h30m", 90),
        ("\"90 min\"", 90),
        ("1 hour 30 minutes", 90),
        ("PT1H30M", 90),
        ("2d", 2880),
        ("45", 45),
        ("\"1:30\"", 90),
        ("\"~2 hours\"", 120),
        ("About 3h", 180),
        ("approx. 45 min", 45),
        ("2h15", 135),
    ] {
        assert_eq!(minutes(written), (Some(want), vec![]), "{written}");
    }
    assert_eq!(minutes("soon"), (None, vec!["RCA015"]));
    assert_eq!(minutes("-5m"), (None, vec!["RCA015"]));
    for not_a_span in ["\"1:75\"", "about", "\"~\"", "h15"] {
        assert_eq!(minutes(not_a_span), (None, vec!["RCA015"]), "{not_a_span}");
    }
}

#[test]
fn slugs_from_any_file_name() {
    assert_eq!(slug_from_stem("2024-03-01 DB Failover!"), "2024-03-01-db-failover");
    assert_eq!(slug_from_stem("título ñandú"), "titulo-nandu");
    assert_eq!(slug_from_stem("Störung Straße"), "storung-strasse");
    assert_eq!(slug_from_stem("数据库"), "shu-ju-ku");
    assert_eq!(slug_from_stem("障害報告"), "zhang-hai-bao-gao");
    assert_eq!(slug_from_stem("결제 장애"), "gyeolje-jangae");
    assert_eq!(slug_from_stem("DB failover 3f9a1c2b4d5e6f7a8b9c0d1e2f3a4b5c"), "db-failover");
    assert_eq!(
        slug_from_stem("3f9a1c2b4d5e6f7a8b9c0d1e2f3a4b5c"),
        "3f9a1c2b4d5e6f7a8b9c0d1e2f3a4b5c"
    );
    assert_eq!(slug_from_stem("Postmortem – DB (2024)"), "postmortem-db-2024");
    assert_eq!(slug_from_stem("🔥🔥"), "fire-fire");
    assert_eq!(slug_from_stem("\u{e000}"), "incident");
    assert_eq!(slug_from_stem("..a..b"), "a-b");
    assert!(is_valid_slug("a-1"));
    assert!(!is_valid_slug("a..b/"));
}

#[test]
fn duplicate_slugs_are_reported_and_derived_collisions_renamed() {
    let docs: Vec<Document> = [
        ("content/a.md", "---\ntitle: A\ndate: 2024-01-01\nseverity: P1\nslug: same\n---\n"),
        ("content/b.md", "---\ntitle: B\ndate: 2024-01-01\nseverity: P1\nslug: same\n---\n"),
        ("content/Same.md", "---\ntitle: C\ndate: 2024-01-01\nseverity: P1\n---\n"),
    ]
    .into_iter()
    .map(|(p, t)| parse_document(source_from_bytes(Path::new(p), t.into()).unwrap()).0.unwrap())
    .collect();
    let v = validate(docs, &Config::default(), false);
    let slugs: Vec<_> = v.incidents.iter().map(|i| i.slug.as_str()).collect();
    assert_eq!(slugs, ["same", "same-2"]);
    assert_eq!(codes(&v.diagnostics), ["RCA017", "RCA018"]);
}

/// Files of one name in many folders each get the next free suffix, the
/// smallest free one (the search for it was once quadratic in the copies).
#[test]
fn many_files_of_one_name_get_the_next_free_suffixes() {
    let text = "---\ntitle: DB outage\ndate: 2024-01-01\nseverity: P2\n---\n";
    let mut paths: Vec<String> =
        (0..300).map(|k| format!("content/y{k:03}/db-outage.md")).collect();
    paths.push("content/zz/db-outage-5.md".into());
    let docs: Vec<Document> = paths
        .iter()
        .map(|p| parse_document(source_from_bytes(Path::new(p), text.into()).unwrap()).0.unwrap())
        .collect();
    let v = validate(docs, &Config::default(), false);
    let slugs: std::collections::BTreeSet<&str> =
        v.incidents.iter().map(|i| i.slug.as_str()).collect();
    assert_eq!(slugs.len(), 301, "every file a page under its own slug");
    assert!(slugs.contains("db-outage") && slugs.contains("db-outage-300"));
    // A file named as a copy's slug, met after it, is a copy in turn.
    assert!(slugs.contains("db-outage-5-2"), "{slugs:?}");
    let renamed = v.diagnostics.iter().filter(|d| d.code == "RCA018").count();
    assert_eq!(renamed, 300);
}

#[test]
fn an_unfinished_draft_is_left_out_with_warnings_unless_drafts_are_built() {
    let docs = || -> Vec<Document> {
        [
            (
                "content/wip.md",
                "---\ntitle: Billing outage\ndate: 2024-05-12\ndraft: true\n---\nTBD\n",
            ),
            ("content/done.md", "---\ntitle: A\ndate: 2024-01-01\nseverity: P1\n---\n"),
        ]
        .into_iter()
        .map(|(p, t)| parse_document(source_from_bytes(Path::new(p), t.into()).unwrap()).0.unwrap())
        .collect()
    };
    let v = validate(docs(), &Config::default(), false);
    let found: Vec<_> = v.diagnostics.iter().map(|d| (d.code, d.level)).collect();
    use crate::diag::Level;
    // Its summary is still to be written, and says so.
    assert_eq!(
        found,
        [("RCA010", Level::Warning), ("RCA022", Level::Warning), ("RCA009", Level::Note)]
    );
    assert_eq!(v.diagnostics[2].file.as_deref(), Some(Path::new("content/wip.md")));
    assert_eq!(v.drafts, ["wip"]);
    assert_eq!(v.incidents.len(), 1);
    // Built with --drafts, it is an error again.
    let v = validate(docs(), &Config::default(), true);
    let found: Vec<_> = v.diagnostics.iter().map(|d| (d.code, d.level)).collect();
    assert_eq!(found, [("RCA010", Level::Error), ("RCA022", Level::Warning)]);
}

fn typed_with(config: &Config, text: &str) -> (Option<Incident>, Vec<Diagnostic>) {
    let source = source_from_bytes(Path::new("content/x.md"), text.as_bytes().to_vec()).unwrap();
    incident_from(parse_document(source).0.unwrap(), config)
}

/// See #23: a status-page archive says `resolved: true`, keeps its
/// own bookkeeping keys, and writes end times without a zone.
#[test]
fn issue_23_value_maps_hidden_keys_and_zone_less_end_times() {
    let text = "timezone = \"Europe/Berlin\"\nhidden_keys = [\"section\"]\n\
        [fields]\nstatus = [\"resolved\"]\nresolved_at = [\"resolvedWhen\"]\n\
        severity = [\"severity\"]\n[values.status]\n\"true\" = \"resolved\"\n\
        \"false\" = \"investigating\"\n[values.severity]\ndown = \"P1\"\n";
    let config = Config::parse(text, Path::new("hindsight.toml")).unwrap();
    let (i, diags) = typed_with(
        &config,
        "---\ntitle: Agents down\ndate: 2023-12-04T8:00:00-00:00\nseverity: Down\n\
         resolved: true\nresolvedWhen: 2023-12-04 10:30:00\nsection: issue\nother: kept\n---\n",
    );
    assert!(diags.is_empty(), "{diags:?}");
    let i = i.unwrap();
    assert_eq!(i.status.as_deref(), Some("resolved"));
    assert_eq!(i.severity.name, "P1");
    // 10:30 in Berlin is 09:30 UTC: 90 minutes after 08:00 UTC.
    assert_eq!(i.duration_minutes, Some(90));
    assert!(!i.extra.contains_key("section"), "hidden");
    assert!(!i.extra.contains_key("resolved"), "mapped");
    assert_eq!(i.extra["other"], "kept");
}

/// See #23: a date that cannot be read never drops a page whose file
/// name carries one.
#[test]
fn issue_23_unreadable_date_falls_back_to_the_file_name() {
    let source = source_from_bytes(
        Path::new("content/2023-12-04-agents.md"),
        b"---\ntitle: A\ndate: the fourth\nseverity: P2\n---\n".to_vec(),
    )
    .unwrap();
    let (i, diags) = incident_from(parse_document(source).0.unwrap(), &Config::default());
    assert_eq!(i.unwrap().date, Some(Date::constant(2023, 12, 4)));
    assert_eq!(codes(&diags), ["RCA012"]);
    assert_eq!(diags[0].level, crate::diag::Level::Warning);
}

/// See #23: every warning about how an archive is written has a level.
#[test]
fn issue_23_no_front_matter_lint_can_be_turned_off() {
    let config =
        Config::parse("[lints]\nno-front-matter = \"off\"\n", Path::new("h.toml")).unwrap();
    let source = source_from_bytes(
        Path::new("content/2023-04-05-cache.md"),
        b"# Cache stampede\n\nIt stampeded.\n".to_vec(),
    )
    .unwrap();
    let (i, diags) = incident_from(parse_document(source).0.unwrap(), &config);
    assert!(i.is_some());
    assert!(diags.is_empty(), "{diags:?}");
}

fn mapped_config() -> Config {
    let text = "required_fields = [\"date\"]\ndefault_severity = \"P3\"\n[fields]\n\
        date = [\"start_time\", \"published\"]\nresolved_at = [\"end_time\"]\n\
        services = [\"product\"]\ntags = [\"categories\", \"keywords\"]\n";
    Config::parse(text, Path::new("hindsight.toml")).unwrap()
}

#[test]
fn field_mapping_types_other_schemas() {
    let config = mapped_config();
    let (i, diags) = typed_with(
        &config,
        "---\ntitle: S3 outage\nstart_time: 2017-02-28T17:37:00Z\nend_time: 2017-02-28T21:54:00Z\n\
         product: S3\ncategories: []\nkeywords: [s3, typo]\ncompany: Amazon\n---\nbody\n",
    );
    assert!(diags.is_empty(), "{diags:?}");
    let i = i.unwrap();
    assert_eq!(i.date, Some(Date::constant(2017, 2, 28)));
    assert_eq!(i.duration_minutes, Some(257));
    assert_eq!(i.services, ["S3"]);
    assert_eq!(i.tags, ["s3", "typo"], "empty categories fall through to keywords");
    assert_eq!(i.severity.name, "P3", "default severity");
    let extra: Vec<_> = i.extra.keys().collect();
    assert_eq!(extra, ["company"], "mapped keys are not extra");
}

#[test]
fn mapped_fields_fall_back_in_order_and_point_at_the_source_key() {
    let config = mapped_config();
    let (i, _) = typed_with(&config, "---\npublished: 2020-01-02\n---\n");
    assert_eq!(i.unwrap().date, Some(Date::constant(2020, 1, 2)));
    let (i, diags) = typed_with(&config, "---\nx: 1\nstart_time: soon\n---\n");
    assert!(i.is_none());
    assert_eq!(codes(&diags), ["RCA012"]);
    assert_eq!(diags[0].line(), Some(3), "points at start_time");
    let (_, diags) =
        typed_with(&config, "---\nstart_time: 2020-01-01T00:00:00Z\nend_time: later\n---\n");
    assert_eq!(codes(&diags), ["RCA019"]);
}

#[test]
fn missing_title_comes_from_heading_or_summary() {
    let config = mapped_config();
    let (i, _) = typed_with(
        &config,
        "---\nstart_time: 2020-01-01T00:00:00Z\n---\n# Heading title\n\ntext\n",
    );
    assert_eq!(i.unwrap().title, "Heading title");
    let long = "word ".repeat(40);
    let (i, _) = typed_with(
        &config,
        &format!(
            "---\nstart_time: 2020-01-01T00:00:00Z\nsummary: Disk filled up. Then more.\n---\n{long}\n"
        ),
    );
    assert_eq!(i.unwrap().title, "Disk filled up");
    let (i, _) =
        typed_with(&config, &format!("---\nstart_time: 2020-01-01T00:00:00Z\n---\n{long}\n"));
    let title = i.unwrap().title;
    assert!(title.ends_with('…') && title.chars().count() <= 91, "{title}");
}

fn dates_optional() -> Config {
    Config::parse("required_fields = [\"title\"]\n", Path::new("hindsight.toml")).unwrap()
}

#[test]
fn issue_10_no_date_anywhere_is_undated_unless_required() {
    // See: issue #10. No date field, no date in the file name or text.
    let text = "---\ntitle: A\nseverity: P1\n---\nNo day given.\n";
    let (i, diags) = typed_with(&dates_optional(), text);
    assert_eq!(i.unwrap().date, None);
    assert_eq!(codes(&diags), ["RCA023"]);
    assert_eq!(diags[0].level, crate::diag::Level::Warning);
    assert_eq!(diags[0].line(), Some(1), "points at the front matter");
    // Required (the default): the file is left out.
    let (i, diags) = typed_with(&Config::default(), text);
    assert!(i.is_none());
    assert_eq!(codes(&diags), ["RCA010"]);
    // Without front matter too.
    let (i, diags) = typed_with(&dates_optional(), "# Outage\n\ntext\n");
    assert_eq!(i.unwrap().date, None);
    assert_eq!(codes(&diags), ["RCA020", "RCA023"]);
    let (i, diags) = typed_with(&Config::default(), "# Outage\n\ntext\n");
    assert!(i.is_none());
    assert_eq!(codes(&diags), ["RCA020", "RCA012"]);
}

#[test]
fn issue_10_a_written_date_that_is_not_a_date_stays_an_error() {
    let (i, diags) = typed_with(&dates_optional(), "---\ntitle: A\ndate: soon\n---\n");
    assert!(i.is_none());
    assert_eq!(codes(&diags), ["RCA012"]);
    assert_eq!(diags[0].level, crate::diag::Level::Error);
    assert_eq!(diags[0].line(), Some(3));
}

#[test]
fn issue_10_a_todo_date_is_undated_only_where_dates_are_optional() {
    let text = "---\ntitle: A\ndate: TODO\nseverity: P1\n---\n";
    let (i, diags) = typed_with(&dates_optional(), text);
    assert_eq!(i.unwrap().date, None);
    assert_eq!(codes(&diags), ["RCA022", "RCA023"]);
    let (i, diags) = typed_with(&Config::default(), text);
    assert!(i.is_none());
    assert_eq!(codes(&diags), ["RCA012"]);
}

#[test]
fn undated_incidents_sort_after_dated_ones_then_by_slug() {
    let docs: Vec<Document> = [
        ("content/b.md", "---\ntitle: B\n---\n"),
        ("content/old.md", "---\ntitle: O\ndate: 2020-01-01\n---\n"),
        ("content/a.md", "---\ntitle: A\n---\n"),
        ("content/new.md", "---\ntitle: N\ndate: 2024-01-01\n---\n"),
    ]
    .into_iter()
    .map(|(p, t)| parse_document(source_from_bytes(Path::new(p), t.into()).unwrap()).0.unwrap())
    .collect();
    let v = validate(docs, &dates_optional(), false);
    let slugs: Vec<_> = v.incidents.iter().map(|i| i.slug.as_str()).collect();
    assert_eq!(slugs, ["new", "old", "a", "b"]);
}

#[test]
fn todo_values_are_warnings_not_errors() {
    let (i, diags) =
        typed("x.md", "---\ntitle: A\ndate: 2024-01-01\nseverity: TODO\nservices: [TODO]\n---\n");
    let i = i.unwrap();
    assert_eq!(codes(&diags), ["RCA022", "RCA022"]);
    assert!(i.severity.is_unrated() && i.services.is_empty());
    assert_eq!(diags[0].line(), Some(4));
}

#[test]
fn a_level_the_title_names_stands_in_for_a_missing_severity() {
    let severity = |text: &str| {
        let (i, d) = typed("x.md", text);
        (i.map(|i| i.severity.name), codes(&d).join(","))
    };
    let fm = |title: &str| format!("---\ntitle: \"{title}\"\ndate: 2024-05-07\n---\nText.\n");
    let some = |name: &str, codes: &str| (Some(name.to_string()), codes.to_string());
    assert_eq!(severity(&fm("[SEV1] Checkout down")), some("P1", "RCA035"));
    assert_eq!(severity(&fm("SEV-2: Status page stayed green")), some("P2", "RCA035"));
    assert_eq!(severity(&fm("Queue stall (Sev 3)")), some("P3", "RCA035"));
    assert_eq!(severity(&fm("P0 - Region down")), some("P0", "RCA035"));
    assert_eq!(severity(&fm("Critical | Payments failing")), some("P0", "RCA035"));
    // Counts and product names are not levels; the field stays required.
    for title in ["Outage (2)", "S3: bucket listing slow", "[L2] cache miss storm", "Pool: drained"]
    {
        assert_eq!(severity(&fm(title)), (None, "RCA010".to_string()), "{title}");
    }
    // A severity field wins over the title.
    let (i, d) = typed("x.md", "---\ntitle: \"[SEV1] A\"\ndate: 2024-05-07\nseverity: P3\n---\n");
    assert_eq!((i.unwrap().severity.name, codes(&d)), ("P3".to_string(), vec![]));
    // Without front matter, the first heading is the title, and the
    // warning for the missing block says where the severity came from.
    let (i, d) = typed("x.md", "# SEV-2: Status page stayed green\n\nDate: 2024-05-08\n");
    assert_eq!(i.unwrap().severity.name, "P2");
    assert_eq!(codes(&d), ["RCA020", "RCA035"]);
    assert!(d[0].message.contains("severity from the title"), "{d:?}");
}

#[test]
fn the_start_keeps_the_offset_it_was_written_or_read_in() {
    let offset = |date: &str, zone: &str| {
        let text = format!("---\ntitle: A\nseverity: P2\ndate: {date}\n{zone}---\n");
        typed("x.md", &text).0.unwrap().started_offset.map(|o| o.seconds() / 3600)
    };
    assert_eq!(offset("2024-04-02T13:20:00-07:00", ""), Some(-7));
    assert_eq!(offset("2024-03-05 14:05", "timezone: America/Los_Angeles\n"), Some(-8));
    assert_eq!(offset("2024-03-05 14:05", ""), Some(0));
    assert_eq!(offset("2024-03-05", "timezone: Europe/Berlin\n"), None, "a day has no clock");
}

#[test]
fn services_written_as_a_mapping_are_its_names() {
    let services = |value: &str| {
        let text =
            format!("---\ntitle: A\ndate: 2024-05-07\nseverity: P2\nservices: {value}\n---\n");
        let (i, d) = typed("x.md", &text);
        (i.unwrap().services.join(","), codes(&d).join(","))
    };
    let some = |names: &str| (names.to_string(), String::new());
    assert_eq!(services("{primary: api, affected: [db, cache]}"), some("db,cache,api"));
    assert_eq!(services("{name: checkout, tier: 1}"), some("checkout"));
    // A mapping of something else is still no list of names.
    assert_eq!(services("{primary: {deep: x}}").1, "RCA011");
}

#[test]
fn tags_that_name_a_severity_or_a_service_are_read_as_those_fields() {
    let typed_tags = |tags: &str| {
        let text = format!("---\ntitle: \"[SEV3] A\"\ndate: 2024-05-07\ntags: {tags}\n---\n");
        let (i, d) = typed("x.md", &text);
        let i = i.unwrap();
        (i.severity.name, i.services, i.tags, codes(&d).join(","))
    };
    let strings = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    // Issue-tracker labels: a namespace, then the level or the service.
    let (severity, services, tags, found) =
        typed_tags("[severity/sev-2, \"service/ledger\", postgres, \"component::api\"]");
    assert_eq!((severity.as_str(), found.as_str()), ("P2", "RCA036"), "a tag before the title");
    assert_eq!((services, tags), (strings(&["ledger", "api"]), strings(&["postgres"])));
    for (tags, level) in [
        ("[\"sev:1\"]", "P1"),
        ("[\"severity::high\"]", "P1"),
        ("[\"priority/P0\"]", "P0"),
        ("[SEV-2]", "P2"),
        ("[p4, db]", "P4"),
    ] {
        assert_eq!(typed_tags(tags).0, level, "{tags}");
    }
    // Plain words and numbers stay tags; the title's level is used.
    for tags in ["[critical, major]", "[\"2\"]", "[\"s3\"]", "[\"severity/unknown\"]"] {
        let (severity, _, kept, found) = typed_tags(tags);
        assert_eq!((severity.as_str(), found.as_str()), ("P3", "RCA035"), "{tags}");
        assert!(!kept.is_empty(), "{tags}");
    }
    // Tags written as a mapping are read for a level like a list.
    let (severity, _, kept, found) = typed_tags("{level: sev2, area: db}");
    assert_eq!((severity.as_str(), kept, found.as_str()), ("P2", strings(&["db"]), "RCA036"));
    // A severity field wins; the tag that repeats it is not a subject.
    let text = "---\ntitle: A\ndate: 2024-05-07\nseverity: P1\ntags: [sev2, db]\n---\n";
    let (i, d) = typed("x.md", text);
    let i = i.unwrap();
    assert_eq!((i.severity.name.as_str(), i.tags, codes(&d)), ("P1", strings(&["db"]), vec![]));
}

#[test]
fn detection_and_mitigation_times_in_front_matter_give_their_minutes() {
    let file = |detected: &str| {
        format!(
            "---\ntitle: A\nseverity: P2\nstarted_at: 2024-06-01T10:00:00Z\ndate: 2024-06-01T10:00:00Z\n\
             detected_at: {detected}\nmitigated_at: 2024-06-01 10:40\nresolved_at: 2024-06-01T11:30:00Z\n---\n"
        )
    };
    let (i, d) = typed("x.md", &file("2024-06-01T10:12:00Z"));
    let i = i.unwrap();
    assert!(d.is_empty(), "{d:?}");
    assert_eq!((i.field_times.detect, i.field_times.mitigate), (Some(12), Some(40)));
    assert_eq!(i.duration_minutes, Some(90));
    // Unreadable, or before the start: a warning, and no time.
    for (detected, says) in
        [("soon", "detected_at is \"soon\""), ("2024-06-01T09:00:00Z", "before")]
    {
        let (i, d) = typed("x.md", &file(detected));
        assert_eq!(i.unwrap().field_times.detect, None);
        assert_eq!(codes(&d), ["RCA019"]);
        assert!(d[0].message.contains(says), "{d:?}");
    }
}

#[test]
fn a_time_kept_beside_the_date_is_its_time_of_day() {
    let start = |text: &str| typed("x.md", text).0.unwrap().started_at.map(|t| t.to_string());
    let fm = "---\ntitle: A\ndate: 2024-06-02\ntime: \"14:05 UTC\"\nseverity: P3\n---\n";
    assert_eq!(start(fm).as_deref(), Some("2024-06-02T14:05:00Z"));
    assert!(typed("x.md", fm).0.unwrap().extra.is_empty(), "the time is the start's, not an extra");
    // Labelled lines, detection and mitigation times among them.
    let text = "# Purge\n\n**Date:** 2024-01-03\n**Time:** 9:00 AM PST\n\
                **Detected at:** 2024-01-03 09:25 PST\n**Mitigated at:** 2024-01-03 09:55 PST\n";
    let (i, _) = typed("x.md", text);
    let i = i.unwrap();
    assert_eq!(i.started_at.map(|t| t.to_string()).as_deref(), Some("2024-01-03T17:00:00Z"));
    assert_eq!((i.field_times.detect, i.field_times.mitigate), (Some(25), Some(55)));
    // A time that is not one, or a date that has its own, is left alone.
    let fm = "---\ntitle: A\ndate: 2024-06-02\ntime: 45 minutes\nseverity: P3\n---\n";
    assert_eq!(start(fm), None);
    let fm = "---\ntitle: A\ndate: 2024-06-02T08:00:00Z\ntime: \"14:05\"\nseverity: P3\n---\n";
    assert_eq!(start(fm).as_deref(), Some("2024-06-02T08:00:00Z"));
    assert!(typed("x.md", fm).0.unwrap().extra.contains_key("time"), "not joined: still shown");
}

#[test]
fn an_end_written_as_a_time_of_day_is_on_the_starts_day_or_the_next() {
    let incident = |start: &str, end: &str| {
        let text = format!(
            "# Export late

| | |\n|---|---|\n| Date | 14 August 2024 |\n\
             | Start time | {start} |\n| End time | {end} |\n"
        );
        let (i, diags) = typed("x.md", &text);
        assert!(diags.iter().all(|d| d.code != "RCA019"), "{diags:?}");
        let i = i.unwrap();
        (i.started_at.map(|t| t.to_string()), i.duration_minutes)
    };
    assert_eq!(
        incident("08:10 CEST", "09:55"),
        (Some("2024-08-14T06:10:00Z".to_string()), Some(105)),
        "an end without a zone is on the start's clock"
    );
    assert_eq!(incident("23:40 UTC", "00:25 UTC"), (Some("2024-08-14T23:40:00Z".into()), Some(45)));
}

#[test]
fn a_timeline_written_newest_first_is_read_oldest_first() {
    let text = "---\ntitle: A\ndate: 2024-06-18\nseverity: P3\n---\n## Timeline\n\n\
                - Jun 18, 2024 - 17:02 UTC — Resolved - drained\n\
                - Jun 18, 2024 - 15:12 UTC — Investigating - late\n";
    let i = typed("x.md", text).0.unwrap();
    let events: Vec<&str> = i.timeline.iter().map(|e| e.event.as_str()).collect();
    assert_eq!(events, ["Investigating - late", "Resolved - drained"]);
    // Clock times alone stay as written: a later row earlier on the clock
    // is the next day.
    let text = "---\ntitle: A\ndate: 2024-06-18\nseverity: P3\n---\n## Timeline\n\n\
                - 23:50 paged\n- 00:10 rolled back\n";
    let i = typed("x.md", text).0.unwrap();
    assert_eq!(i.timeline.first().map(|e| e.event.as_str()), Some("paged"));
}

/// A paragraph of thousands of hashtags is bounded as a front-matter list
/// is, with a warning: it made as many tag pages, in quadratic time.
#[test]
fn thousands_of_hashtags_keep_the_first_few() {
    let tags: Vec<String> = (0..3000).map(|k| format!("#tag{k}")).collect();
    let text = format!("# Hashtags\n\nThe cache emptied.\n\n{}\n", tags.join(" "));
    let (incident, diags) = typed("2024-03-01-tags.md", &text);
    let incident = incident.expect("built");
    assert_eq!(incident.tags.len(), 64);
    assert_eq!(incident.tags.first().map(String::as_str), Some("tag0"));
    let warning = diags.iter().find(|d| d.code == "RCA026").expect("RCA026");
    assert!(warning.message.contains("3000 names"), "{}", warning.message);
    assert_eq!(incident.doc.outline.hashtags.len() + incident.doc.outline.hashtags_dropped, 3000);
}

#[test]
fn a_date_in_the_text_that_reads_two_ways_follows_its_folders_or_is_named() {
    let file = "# 12-01-2026 - Portal errors\n\n## Summary\n\nThe portal failed.\n\n\
                ## Timeline\n\n- 12-01-2026 09:00 - errors start\n- 12-01-2026 10:00 - fixed\n";
    // Filed under January 2026: the day comes first.
    let (i, d) = typed("2026/01/portal.md", file);
    let i = i.unwrap();
    assert_eq!(i.date, Some(Date::constant(2026, 1, 12)));
    assert!(!codes(&d).contains(&"RCA029"), "{d:?}");
    assert!(d.iter().any(|d| d.message.contains("day first as its folders say")), "{d:?}");
    // Its rows, read month first by the outline, are that day too.
    let days: Vec<String> = i.timeline.iter().map(|e| e.at.unwrap().date().to_string()).collect();
    assert_eq!(days, ["2026-01-12", "2026-01-12"]);
    assert!(i.timeline[0].time_text.starts_with("2026-01-12"), "{:?}", i.timeline[0]);
    for folder in ["2026-01/portal.md", "archive/2026/1/portal.md"] {
        assert_eq!(typed(folder, file).0.unwrap().date, Some(Date::constant(2026, 1, 12)));
    }
    // Nothing settles it: month first, and named.
    let (i, d) = typed("misc/portal.md", file);
    assert_eq!(i.unwrap().date, Some(Date::constant(2026, 12, 1)));
    let named = d.iter().find(|d| d.code == "RCA029").expect("RCA029");
    assert!(named.message.contains("taken as 2026-12-01, not 2026-01-12"), "{}", named.message);
    // Filed under the month the first reading names: no warning.
    let (i, d) = typed("2026/12/portal.md", file);
    assert_eq!(i.unwrap().date, Some(Date::constant(2026, 12, 1)));
    assert!(!codes(&d).contains(&"RCA029"), "{d:?}");
    // A day over 12 reads one way only.
    let (i, d) = typed("misc/login.md", "# 17-09-2024 - Login slow\n\nLogins were slow.\n");
    assert_eq!(i.unwrap().date, Some(Date::constant(2024, 9, 17)));
    assert!(!codes(&d).contains(&"RCA029"), "{d:?}");
}

#[test]
fn a_value_left_as_tbd_is_a_todo_not_a_value() {
    let text = "---\ntitle: Cache storm\ndate: 2024-03-03\nseverity: TBD\nstatus: to be determined\n\
        services: [TBD]\n---\n## Summary\n\nTBD.\n\n## Root Cause\n\nA stampede.\n";
    let (i, diags) = typed("x.md", text);
    let i = i.expect("built: a placeholder is no reason to leave the write-up out");
    assert_eq!(codes(&diags), ["RCA022"; 4], "{diags:?}");
    let mut lines: Vec<Option<usize>> = diags.iter().map(Diagnostic::line).collect();
    lines.sort();
    assert_eq!(lines, [Some(4), Some(5), Some(6), Some(8)], "each on its line");
    assert!(i.severity.is_unrated());
    assert_eq!((i.status, i.services, i.summary.as_str()), (None, Vec::<String>::new(), ""));
    // A word that merely starts like one is a value.
    let (i, _) = typed("y.md", &GOOD.replace("The pool ran dry.", "Todo list service ran dry."));
    assert_eq!(i.unwrap().summary, "Todo list service ran dry.");
}

#[test]
fn a_metadata_heading_is_no_title() {
    let text = "# Metadata\n\n| Field | Value |\n|---|---|\n| Date | 2024-02-11 |\n| Severity | P2 |\n\n\
        # Logins failed after a certificate rotation\n\n## Summary\n\nLogins failed for 40 minutes.\n";
    let (i, _) = typed("login.md", text);
    let i = i.unwrap();
    assert_eq!(i.title, "Logins failed after a certificate rotation");
    assert_eq!(i.date.map(|d| d.to_string()).as_deref(), Some("2024-02-11"));
    // With no other heading, the file's name or summary titles it.
    let (i, _) = typed(
        "login-failures.md",
        &text.replace("# Logins failed after a certificate rotation\n\n", ""),
    );
    assert_ne!(i.unwrap().title, "Metadata");
}
