//! The labelled-line reader, case by case.

use super::*;

fn fields(text: &str) -> Vec<(&'static str, String)> {
    labelled_fields(text, 0..text.len()).into_iter().map(|(f, v, _)| (f, v)).collect()
}

#[test]
fn a_line_is_split_into_sixteen_fields_at_most() {
    let bold = "**Severity:** x · ".repeat(10_000);
    assert_eq!(field_pieces(&bold).len(), FIELDS_PER_LINE);
    let plain = "Date: x | ".repeat(10_000);
    let pieces = field_pieces(&plain);
    assert_eq!(pieces.len(), FIELDS_PER_LINE);
    assert!(pieces.last().unwrap().len() > 10_000, "the rest stays in the last piece");
}

#[test]
fn fields_ended_by_line_break_tags_are_read_apart() {
    // `<br>` parts two fields on a line, and ends each line of a block.
    let text = "Status: draft<br> Owners: @tvolkert\n\n## Summary\n\n\
                Description: Builds failed on every branch<br>\n\
                Component: flutter repository<br>\nDate/time: 2016-11-07 21:30<br>\n\
                Duration: 16h 45m<br>\nUser impact: Nobody could merge.\n";
    assert_eq!(
        fields(text),
        [
            ("status", "draft".to_string()),
            ("author", "@tvolkert".to_string()),
            ("summary", "Builds failed on every branch".to_string()),
            ("services", "flutter repository".to_string()),
            ("date", "2016-11-07 21:30".to_string()),
            ("duration_minutes", "16h 45m".to_string()),
        ]
    );
    // Fields parted by `<br>` in a paragraph wrapped at a width: each
    // read whole, over the line feeds.
    let wrapped = "## Summary\n\nDescription: the site was down for most users for\nhours.<br> \
                   Component: web site<br> Date/time: 2023-08-26 21:14\nPDT<br> Duration: 15 \
                   hours<br> User impact: new users\n\n## Timeline\n";
    assert_eq!(
        fields(wrapped),
        [
            ("summary", "the site was down for most users for hours".to_string()),
            ("services", "web site".to_string()),
            ("date", "2023-08-26 21:14 PDT".to_string()),
            ("duration_minutes", "15 hours".to_string()),
        ]
    );
    // A summary's sentence with a colon is prose still.
    assert_eq!(fields("## Summary\n\nStatus: we were down for an hour.\n"), []);
    let many = "Status: x<br>".repeat(10_000);
    assert_eq!(field_pieces(&many).len(), FIELDS_PER_LINE);
}

#[test]
fn several_bold_labels_on_one_line_are_several_fields() {
    let text = "**Severity:** SEV2 · **Services:** ledger, reporting · **Status:** resolved\n\
                - **Date:** 2024-05-03 | **Author**: Omar Haddad\n";
    assert_eq!(
        fields(text),
        [
            ("severity", "SEV2".to_string()),
            ("services", "ledger, reporting".to_string()),
            ("status", "resolved".to_string()),
            ("date", "2024-05-03".to_string()),
            ("author", "Omar Haddad".to_string()),
        ]
    );
    let plain = "Date: 2024-07-09 · Severity: P2 | Owner: sre\nImpact: reads | writes\n";
    assert_eq!(
        fields(plain),
        [
            ("date", "2024-07-09".to_string()),
            ("severity", "P2".to_string()),
            ("author", "sre".to_string()),
        ]
    );
    assert_eq!(field_pieces("Impact: reads | writes"), ["Impact: reads | writes"]);
    // One label, or a bold word in a value, leaves the line whole.
    assert_eq!(field_pieces("**Severity:** **high**, paged"), ["**Severity:** **high**, paged"]);
    assert_eq!(field_pieces("| **Date:** x | **Sev:** 2 |"), ["| **Date:** x | **Sev:** 2 |"]);
}

#[test]
fn bold_plain_listed_and_tabled_labels_are_read() {
    let text = "# DNS failures\n\n**Date:** 1 August 2024\n**Severity**: Sev 2\n\
                - Affected service(s): dns, api\n| Status | Resolved |\n* __Authors:__ ana, bo\n";
    assert_eq!(
        fields(text),
        [
            ("date", "1 August 2024".to_string()),
            ("severity", "Sev 2".to_string()),
            ("services", "dns, api".to_string()),
            ("status", "Resolved".to_string()),
            ("author", "ana; bo".to_string()),
        ]
    );
}

#[test]
fn an_impact_level_is_the_severity() {
    let text = "# Cache stampede\n\nImpact level: Critical\n\nThe cache emptied.\n";
    assert_eq!(fields(text), [("severity", "Critical".to_string())]);
}

#[test]
fn a_start_with_its_time_beats_a_day_and_pandoc_breaks_are_dropped() {
    let text = "**Date:** March 18-19, 2024\\\n**Start:** 2024-03-18 22:40 UTC\\\n\
                **Severity:** Sev 3\\\n**Started:** 2024-03-19\n";
    assert_eq!(
        fields(text),
        [("date", "2024-03-18 22:40 UTC".to_string()), ("severity", "Sev 3".to_string()),]
    );
}

#[test]
fn a_section_of_fields_is_read_like_the_top() {
    let text = "# INC-512: Card payments declined\n\n## Key information\n\n\
                | Field | Value |\n|---|---|\n| Severity | Major |\n\
                | Reported at | 2024-10-02 08:14 UTC |\n| Duration | 1h 5m |\n\n\
                ## Summary\n\nStatus: the gateway was down.\n";
    assert_eq!(
        fields(text),
        [
            ("severity", "Major".to_string()),
            ("detected_at", "2024-10-02 08:14 UTC".to_string()),
            ("duration_minutes", "1h 5m".to_string()),
        ]
    );
}

#[test]
fn a_time_reported_is_the_detection_and_a_report_in_words_is_prose() {
    let text = "**Status**: Closed | **Reported**: Apr 3, 2024 10:06 UTC\n\n## Summary\n";
    assert_eq!(
        fields(text),
        [("status", "Closed".to_string()), ("detected_at", "Apr 3, 2024 10:06 UTC".to_string())]
    );
    assert_eq!(fields("Reported: by a customer on the forum\n"), []);
}

#[test]
fn a_section_of_milestones_after_the_summary_is_read() {
    let text = "# INC-482: Checkout slow\n\n## 📝 Summary\n\nCheckout slowed down.\n\
                Status: this line is prose.\n\n## Impact\n\nDetected: by customers.\n\n\
                ## ⏱️ Milestones\n\n- Started: 2024-05-01 10:02 UTC\n\
                - Detected: 2024-05-01 10:09 UTC\n- Mitigated: 2024-05-01 10:40 UTC\n\
                - Resolved: 2024-05-01 11:15 UTC\n\n## Root cause\n\nResolved: a cold cache.\n";
    assert_eq!(
        fields(text),
        [
            ("date", "2024-05-01 10:02 UTC".to_string()),
            ("detected_at", "2024-05-01 10:09 UTC".to_string()),
            ("mitigated_at", "2024-05-01 10:40 UTC".to_string()),
            ("resolved_at", "2024-05-01 11:15 UTC".to_string()),
        ]
    );
}

#[test]
fn an_incident_issues_summary_opens_with_its_fields() {
    let table = "# Incident: Checkout errors\n\n## Summary\n\n| Field | Value |\n|---|---|\n\
                 | **Start time** | 2024-04-03 14:20 UTC |\n| **Severity** | 2 |\n\n\
                 Checkout failed.\nStatus: still degraded at noon.\n";
    assert_eq!(
        fields(table),
        [("date", "2024-04-03 14:20 UTC".to_string()), ("severity", "2".to_string())]
    );
    let bold = "## Incident summary\n**Start time:** 2024-06-11 09:02 UTC\n- **Sev:** 3\n\nText.\n";
    assert_eq!(
        fields(bold),
        [("date", "2024-06-11 09:02 UTC".to_string()), ("severity", "3".to_string())]
    );
    // Not the summary, or not first: its lines are its own.
    assert!(fields("## Timeline\n| Time | Event |\n|---|---|\n| 10:00 | paged |\n").is_empty());
    assert!(fields("## Impact\n\n## Summary\n**Severity:** 2\n").is_empty());
}

#[test]
fn a_heading_that_names_a_field_is_given_its_value_by_the_line_under_it() {
    let text = "# Checkout down\n\n## Summary\n\nCheckout failed.\n\n## Severity\n\n\
                **Critical** - every customer was affected\n\n## Status:\nResolved. Fixed by a rollback.\n\n\
                ## Date\n\nMarch 3, 2024\n";
    assert_eq!(
        fields(text),
        [
            ("severity", "Critical".to_string()),
            ("status", "Resolved".to_string()),
            ("date", "March 3, 2024".to_string()),
        ]
    );
    // A sentence under the heading is no value, nor is a table or a list
    // of services.
    let prose = "## Severity\n\nWe rated it high at first and lowered it later on.\n";
    assert!(fields(prose).is_empty());
    assert!(fields("## Severity\n\n| Level | Why |\n|---|---|\n| 1 | x |\n").is_empty());
    assert!(fields("## Affected services\n\n- api\n- web\n").is_empty());
    // A value set in a fenced block, and the fields after it still read.
    let fenced = "## Severidade\n\n```text\nAlta\n```\n\n## Status\n\n```\nResolvido\n```\n";
    assert_eq!(
        fields(fenced),
        [("severity", "Alta".to_string()), ("status", "Resolvido".to_string())]
    );
    // Each value points at its own line.
    let at = labelled_fields(text, 0..text.len());
    assert!(text[at[0].2..].starts_with("**Critical**"));
    // Labelled lines under it are fields of their own.
    let text = "# Cert expired\n\n## Date\nStart: Wednesday, 2018-08-22\nEnd: Thursday, 2018-08-23\n\n\
                ## Authors\nAron\n\n## Summary\nStatus: the cert expired.\n";
    assert_eq!(
        fields(text),
        [
            ("date", "Wednesday, 2018-08-22".to_string()),
            ("resolved_at", "Thursday, 2018-08-23".to_string()),
        ]
    );
}

#[test]
fn prose_code_and_later_sections_are_not_read() {
    let text = "Note: the pool was full.\n```\nseverity: P1\n```\n\n## Timeline\n\nStatus: open\n";
    assert!(fields(text).is_empty());
    let under_title = "Postmortem\n==========\nSeverity: P1\n";
    assert_eq!(fields(under_title), [("severity", "P1".to_string())]);
    let under_section = "Postmortem\n\nDetails\n-------\nSeverity: P1\n";
    assert!(fields(under_section).is_empty(), "a setext section heading ends the top");
}

#[test]
fn a_date_range_gives_the_end_unless_a_line_says_it() {
    let text = "Date: 2023-09-15 09:40 to 11:10 UTC\n";
    assert_eq!(
        fields(text),
        [
            ("date", "2023-09-15 09:40 to 11:10 UTC".to_string()),
            ("resolved_at", "2023-09-15 11:10 UTC".to_string())
        ]
    );
    let text = "Date: 2023-09-15 09:40 to 11:10 UTC\nResolved: 2023-09-15 12:00 UTC\n";
    let found = fields(text);
    assert!(found.contains(&("resolved_at", "2023-09-15 12:00 UTC".to_string())), "{found:?}");
    assert_eq!(found.iter().filter(|(f, _)| *f == "resolved_at").count(), 1);
}

#[test]
fn a_time_written_apart_from_the_date_is_its_time_of_day() {
    let text = "| **Date** | 2 July 2024 |\n| **Start time** | 08:10 CEST |\n\
                | **End time** | 09:55 CEST |\n";
    assert_eq!(
        fields(text),
        [
            ("date", "2 July 2024".to_string()),
            ("time", "08:10 CEST".to_string()),
            ("resolved_at", "09:55 CEST".to_string())
        ]
    );
}

#[test]
fn owners_are_authors_and_status_page_lines_are_read() {
    let text = "Owner: @Mara Quint\nResolved: all queued events were sent.\n\
                This incident affected: Webhooks, API.\n";
    assert_eq!(
        fields(text),
        [("author", "@Mara Quint".to_string()), ("services", "Webhooks, API".to_string())],
        "a resolution told in words is no time"
    );
}

#[test]
fn a_document_editors_escapes_are_read_through() {
    let text = "**Date:** Apr 9\\, 2024  \n**Severity:** SEV\\-2  \n**Status:** *Complete*\n";
    assert_eq!(
        fields(text),
        [
            ("date", "Apr 9, 2024".to_string()),
            ("severity", "SEV-2".to_string()),
            ("status", "Complete".to_string())
        ]
    );
}

#[test]
fn labels_in_other_languages_name_the_same_fields() {
    let text = "**Datum:** 5. März 2024\n**Schweregrad:** Hoch\nEstado: Resuelto\n\
                Services affectés : gateway\n影響サービス：search-api\n";
    assert_eq!(
        fields(text),
        [
            ("date", "5. März 2024".to_string()),
            ("severity", "Hoch".to_string()),
            ("status", "Resuelto".to_string()),
            ("services", "gateway".to_string()),
        ],
        "the first line naming a field wins"
    );
}

#[test]
fn each_value_points_at_its_line_and_the_first_wins() {
    let text = "intro\nSeverity: P1\nSeverity: P3\n";
    let found = labelled_fields(text, 0..text.len());
    assert_eq!(found, [("severity", "P1".to_string(), 6)]);
}

#[test]
fn every_name_of_a_section_of_fields_holds_a_word_searched_for() {
    for name in FIELD_SECTIONS {
        assert!(crate::sections::ends_with_word(name, FIELD_SECTION_WORDS), "{name}");
        assert!(opens_field_section(&format!("## {name}\n")), "{name}");
    }
    assert!(opens_field_section("## ⏱️ Milestones:\n"));
    assert!(!opens_field_section("## Root cause\n"));
}

#[test]
fn a_heading_in_a_fence_of_a_skipped_section_opens_nothing() {
    let text = "## Summary\n\nProse.\n\n```\n## Details\nStatus: quoted\n```\n\n\
                ## Milestones\n\n- Detected: 2024-05-01 10:09 UTC\n";
    assert_eq!(fields(text), [("detected_at", "2024-05-01 10:09 UTC".to_string())]);
    // Past the lines read, a section of fields is not looked for.
    let far = format!(
        "## Summary\n\n{}## Milestones\n\n- Detected: 2024-05-01 10:09 UTC\n",
        "x\n".repeat(60)
    );
    assert_eq!(fields(&far), []);
}

#[test]
fn lines_are_those_split_inclusive_gives() {
    for text in ["", "a", "a\n", "a\nb", "a\n\nb\n", "\n", "é\nü\r\n"] {
        let want: Vec<&str> = text.split_inclusive('\n').collect();
        assert_eq!(lines(text).collect::<Vec<_>>(), want, "{text:?}");
    }
}
