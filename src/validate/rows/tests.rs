//! Tests of rows.

use super::super::tests::{codes, typed};
use jiff::civil::Date;

#[test]
fn timeline_rolls_over_midnight_and_reads_full_timestamps() {
    let body = "---\ntitle: A\ndate: 2024-01-01\nseverity: P1\n---\n## Timeline\n| Time | Event |\n|--|--|\n\
        | 23:40 UTC | alert |\n| 00:15 | fixed |\n| 2024-01-03 10:00 | review |\n| soon | ? |\n";
    let (i, diags) = typed("x.md", body);
    let i = i.unwrap();
    let at: Vec<_> = i.timeline.iter().map(|e| e.at.map(|d| d.to_string())).collect();
    assert_eq!(
        at,
        [
            Some("2024-01-01T23:40:00".to_string()),
            Some("2024-01-02T00:15:00".to_string()),
            Some("2024-01-03T10:00:00".to_string()),
            None
        ]
    );
    assert_eq!(codes(&diags), ["RCA040"]);
    assert_eq!(diags[0].line(), Some(12));
    assert!(i.timeline.iter().all(|e| e.day_known));
}

#[test]
fn twelve_hour_clocks_and_a_date_column_beside_the_time_are_read() {
    let at = |table: &str| {
        let body =
            format!("---\ntitle: A\ndate: 2024-01-01\nseverity: P1\n---\n## Timeline\n{table}");
        let (i, diags) = typed("x.md", &body);
        assert!(diags.is_empty(), "{diags:?}");
        i.unwrap().timeline.iter().map(|e| e.at.map(|d| d.to_string())).collect::<Vec<_>>()
    };
    let when = |s: &[&str]| s.iter().map(|s| Some(s.to_string())).collect::<Vec<_>>();
    assert_eq!(
        at(
            "| When | What |\n|--|--|\n| 11:50 PM | alert |\n| 12:10 am | fix |\n| 2:05 p.m. | review |\n"
        ),
        when(&["2024-01-01T23:50:00", "2024-01-02T00:10:00", "2024-01-02T14:05:00"])
    );
    assert_eq!(
        at(
            "| Date | Time | Event |\n|--|--|--|\n| 2024-01-02 | 14:05 | alert |\n| 2024-01-03 | 09:00 | fix |\n"
        ),
        when(&["2024-01-02T14:05:00", "2024-01-03T09:00:00"])
    );
    // No event column named: the one that is neither day nor time.
    assert_eq!(
        at("| Date | Time | Notes |\n|--|--|--|\n| 2024-01-02 | 14:05 | alert |\n"),
        when(&["2024-01-02T14:05:00"])
    );
}

#[test]
fn a_timeline_written_as_lines_of_paragraphs_is_read_and_prose_is_not() {
    let typed_at = |timeline: &str| {
        let body = format!(
            "---\ntitle: A\ndate: 2024-01-01\nseverity: P1\n---\n## Timeline\n\n{timeline}"
        );
        let (i, _) = typed("x.md", &body);
        let i = i.unwrap();
        let rows: Vec<_> = i
            .timeline
            .iter()
            .map(|e| (e.at.map(|d| d.time().to_string()), e.event.clone()))
            .collect();
        (rows, i.doc.outline.timeline.iter().map(|r| r.offset).collect::<Vec<_>>())
    };
    let row = |t: &str, e: &str| (Some(format!("{t}:00")), e.to_string());
    // Lines of one paragraph, under a zone statement, each row at its line.
    let (rows, offsets) = typed_at("All times UTC  \n14:05 - pager fires  \n14:20 - rolled back\n");
    assert_eq!(rows, [row("14:05", "pager fires"), row("14:20", "rolled back")]);
    assert!(offsets[1] > offsets[0], "{offsets:?}");
    // A paragraph each, the time in bold.
    let (rows, _) = typed_at("**09:00** deploy starts\n\n**09:12** errors climb\n");
    assert_eq!(rows, [row("09:00", "deploy starts"), row("09:12", "errors climb")]);
    // Prose that opens with a time is not a row.
    let (rows, _) = typed_at("14:05 is when it began,\nand nobody noticed for an hour.\n");
    assert!(rows.is_empty(), "{rows:?}");
}

#[test]
fn action_items_are_typed() {
    let body = "---\ntitle: A\ndate: 2024-01-01\nseverity: P1\n---\n## Action Items\n\
        | Action | Owner | Due | Status |\n|--|--|--|--|\n| Fix | SRE | 2024-02-01 | Done |\n\
        | Alert | DB | next week | open |\n";
    let (i, diags) = typed("x.md", body);
    let i = i.unwrap();
    assert!(i.action_items[0].done);
    assert_eq!(i.action_items[0].due, Some(Date::constant(2024, 2, 1)));
    assert!(!i.action_items[1].done);
    assert_eq!(codes(&diags), ["RCA041"]);
}

#[test]
fn an_eta_column_is_the_due_date_and_a_details_column_is_not() {
    let body = "---\ntitle: A\ndate: 2024-01-01\nseverity: P1\n---\n## Action Items\n\
        | Ticket | Details | Owner | ETA |\n|--|--|--|--|\n| OPS-1 | Add alerting | SRE | 04/15/2024 |\n";
    let (i, diags) = typed("x.md", body);
    assert!(diags.is_empty(), "{diags:?}");
    let item = &i.unwrap().action_items[0];
    assert_eq!(item.due, Some(Date::constant(2024, 4, 15)));
    assert_eq!(item.action, "Add alerting");
}

#[test]
fn an_undated_timeline_keeps_its_offsets_but_not_a_day() {
    // See: issue #10.
    let config = crate::config::Config::parse(
        "required_fields = []\n",
        std::path::Path::new("hindsight.toml"),
    )
    .unwrap();
    let body = "---\ntitle: A\n---\n## Timeline\n| Time | Event |\n|--|--|\n\
        | 23:40 | alert |\n| 00:15 | fixed |\n";
    let source = crate::load::source_from_bytes(
        std::path::Path::new("content/x.md"),
        body.as_bytes().to_vec(),
    )
    .unwrap();
    let doc = crate::load::parse_document(source).0.unwrap();
    let (i, diags) = super::super::incident_from(doc, &config);
    let i = i.unwrap();
    assert_eq!(codes(&diags), ["RCA023"]);
    assert!(i.date.is_none());
    assert!(i.timeline.iter().all(|e| !e.day_known));
    let at: Vec<_> = i.timeline.iter().filter_map(|e| e.at).collect();
    assert_eq!(at.len(), 2);
    assert_eq!(at[0].time(), jiff::civil::time(23, 40, 0, 0));
    assert_eq!(crate::metrics::minutes_between(at[0], at[1]), 35, "over midnight");
}

/// See #23: a timeline that states its zone above the table.
#[test]
fn issue_23_timeline_rows_in_a_stated_zone() {
    let body = "---\ntitle: A\ndate: 2021-03-04\nseverity: P1\n---\n## Timeline\n\n\
        All times in CET.\n\n| Time | Event |\n|--|--|\n| 2021-03-04 23:50 | alert |\n\
        | 00:20 | fixed |\n| 2021-03-05 09:00 UTC | review |\n";
    let (i, diags) = typed("x.md", body);
    assert!(diags.is_empty(), "{diags:?}");
    let at: Vec<_> = i.unwrap().timeline.iter().map(|e| e.at.unwrap().to_string()).collect();
    assert_eq!(at, ["2021-03-04T22:50:00", "2021-03-04T23:20:00", "2021-03-05T09:00:00"]);
}

#[test]
fn each_time_is_read_in_the_zone_it_names() {
    // Pacific times beside UTC ones, as responders in two places write.
    let body = "---\ntitle: A\ndate: 2024-01-10\nseverity: P1\n---\n## Timeline\n\n\
        - 14:02 PST deploy starts\n- 14:09 PST errors\n- 22:40 UTC rolled back\n\
        - 16:50 PST calm\n- 01:10 UTC review\n";
    let (i, diags) = typed("x.md", body);
    assert!(diags.is_empty(), "{diags:?}");
    let at: Vec<_> = i.unwrap().timeline.iter().map(|e| e.at.unwrap().to_string()).collect();
    assert_eq!(
        at,
        [
            "2024-01-10T22:02:00",
            "2024-01-10T22:09:00",
            "2024-01-10T22:40:00",
            "2024-01-11T00:50:00",
            "2024-01-11T01:10:00",
        ],
        "each in its zone, a day later only when the instant goes back"
    );
}

#[test]
fn offsets_from_utc_and_zones_in_brackets_are_read_in_rows_and_statements() {
    let at = |timeline: &str| {
        let body = format!(
            "---\ntitle: A\ndate: 2024-06-01T10:00:00Z\nseverity: P1\n---\n## Timeline\n\n{timeline}"
        );
        let (i, diags) = typed("x.md", &body);
        assert!(diags.is_empty(), "{diags:?}");
        i.unwrap().timeline.iter().map(|e| e.at.unwrap().to_string()).collect::<Vec<_>>()
    };
    let want = [
        "2024-06-01T10:00:00",
        "2024-06-01T10:05:00",
        "2024-06-01T10:20:00",
        "2024-06-01T10:30:00",
    ];
    let list = "- 12:00 UTC+2 alert\n- 10:05 UTC paged\n- 12:20 +02:00 mitigated\n- 12:30 (CEST) resolved\n";
    assert_eq!(at(list), want, "a list");
    let table = "| Time | Event |\n|--|--|\n| 12:00 UTC+2 | alert |\n| 10:05 UTC | paged |\n\
                 | 12:20 +02:00 | mitigated |\n| 12:30 (CEST) | resolved |\n";
    assert_eq!(at(table), want, "a table");
    let stated =
        "All times UTC+2.\n\n- 12:00 alert\n- 12:05 paged\n- 12:20 mitigated\n- 12:30 resolved\n";
    assert_eq!(
        at(stated),
        [
            "2024-06-01T10:00:00",
            "2024-06-01T10:05:00",
            "2024-06-01T10:20:00",
            "2024-06-01T10:30:00"
        ]
    );
}

#[test]
fn a_time_with_uhr_after_it_is_read() {
    let body = "---\ntitle: A\ndate: 2024-06-01\nseverity: P1\n---\n## Zeitlinie\n\n\
        | Zeit | Ereignis |\n|--|--|\n| 14:05 Uhr | Alarm |\n| 14:20 Uhr | behoben |\n\
        | 16:30 Uhr MESZ | Nachbericht |\n";
    let (i, diags) = typed("x.md", body);
    assert!(diags.iter().all(|d| d.code != "RCA040"), "{diags:?}");
    let at: Vec<_> = i.unwrap().timeline.iter().map(|e| e.at.unwrap().to_string()).collect();
    assert_eq!(at, ["2024-06-01T14:05:00", "2024-06-01T14:20:00", "2024-06-01T14:30:00"]);
}

#[test]
fn a_timeline_is_read_in_the_zone_the_start_was_written_in() {
    let at = |date: &str, zone_line: &str| {
        let body = format!(
            "---\ntitle: A\ndate: {date}\nseverity: P1\n---\n## Timeline\n\n{zone_line}\
             - 09:12 certificate expires\n- 09:27 alert fires\n"
        );
        let (i, diags) = typed("x.md", &body);
        assert!(diags.is_empty(), "{diags:?}");
        i.unwrap().timeline.iter().map(|e| e.at.unwrap().to_string()).collect::<Vec<_>>()
    };
    // Written at +02:00, the team's clocks read +02:00.
    assert_eq!(at("2023-10-17T09:12:00+02:00", ""), ["2023-10-17T07:12:00", "2023-10-17T07:27:00"]);
    assert_eq!(at("2023-10-17 09:12 PST", ""), ["2023-10-17T16:12:00", "2023-10-17T16:27:00"]);
    // UTC is what tools convert to: the configured zone (UTC here) applies.
    assert_eq!(at("2023-10-17T07:12:00Z", ""), ["2023-10-17T09:12:00", "2023-10-17T09:27:00"]);
    // A zone the timeline states wins.
    assert_eq!(
        at("2023-10-17T09:12:00+02:00", "All times UTC\n\n"),
        ["2023-10-17T09:12:00", "2023-10-17T09:27:00"]
    );
}

#[test]
fn a_day_without_its_year_before_a_time_is_read() {
    let body = "---\ntitle: A\ndate: 2024-03-06\nseverity: P1\n---\n## Timeline\n\n\
        | When | What |\n|---|---|\n| Mar 6, 23:50 | backup starts |\n| Mar 7, 02:10 | disk alert |\n\
        | 7 March 03:30 PST | writes resume |\n";
    let (i, diags) = typed("x.md", body);
    assert!(diags.iter().all(|d| d.code != "RCA040"), "{diags:?}");
    let at: Vec<_> = i.unwrap().timeline.iter().map(|e| e.at.unwrap().to_string()).collect();
    assert_eq!(at, ["2024-03-06T23:50:00", "2024-03-07T02:10:00", "2024-03-07T11:30:00"]);
}

#[test]
fn a_zone_a_row_names_holds_for_the_rows_after_it() {
    let body = "---\ntitle: A\ndate: 2024-03-05\nseverity: P1\n---\n## Timeline\n\n\
        - 2:05 PM PT lag alert fires\n- 2:20 PM config rolled back\n- 2:45 PM lag back to normal\n";
    let (i, _) = typed("x.md", body);
    let at: Vec<_> = i.unwrap().timeline.iter().map(|e| e.at.unwrap().to_string()).collect();
    assert_eq!(at, ["2024-03-05T22:05:00", "2024-03-05T22:20:00", "2024-03-05T22:45:00"]);
}

#[test]
fn a_start_without_a_zone_is_read_in_the_file_or_timeline_zone() {
    let start = |matter: &str, timeline: &str| {
        let body = format!(
            "---\ntitle: A\nseverity: P1\n{matter}---\n## Timeline\n\n{timeline}\
             - 14:20 rolled back\n"
        );
        let (i, diags) = typed("x.md", &body);
        let i = i.unwrap();
        let at = i.timeline.last().and_then(|e| e.at).map(|a| a.to_string());
        (i.started_at.map(|t| t.to_string()), at, diags.iter().map(|d| d.code).collect::<Vec<_>>())
    };
    let some = |s: &str| Some(s.to_string());
    // The file names its zone: the start and the timeline are read there.
    assert_eq!(
        start("date: 2024-03-05 14:05\ntimezone: America/Los_Angeles\n", ""),
        (some("2024-03-05T22:05:00Z"), some("2024-03-05T22:20:00"), vec![])
    );
    assert_eq!(
        start("date: 2024-03-05 14:05\ntimezone: UTC+2\n", ""),
        (some("2024-03-05T12:05:00Z"), some("2024-03-05T12:20:00"), vec![])
    );
    // The timeline states its zone, above it or on its first row.
    assert_eq!(
        start("date: 2024-03-05 14:05\n", "All times PT.\n\n"),
        (some("2024-03-05T22:05:00Z"), some("2024-03-05T22:20:00"), vec![])
    );
    assert_eq!(
        start("date: 2024-03-05 14:05\n", "- 14:05 PST alert fires\n"),
        (some("2024-03-05T22:05:00Z"), some("2024-03-05T22:20:00"), vec![])
    );
    assert_eq!(
        start("date: 2024-03-05 14:05\n", "- 2024-03-05 14:05 PST alert fires\n"),
        (some("2024-03-05T22:05:00Z"), some("2024-03-05T22:20:00"), vec![])
    );
    // A start that names its own zone keeps it.
    assert_eq!(
        start("date: 2024-03-05T14:05:00Z\n", "All times PT.\n\n").0,
        some("2024-03-05T14:05:00Z")
    );
    // A zone that is not one is a warning, and the times read as before.
    assert_eq!(
        start("date: 2024-03-05 14:05\ntimezone: Mars/Olympus\n", ""),
        (some("2024-03-05T14:05:00Z"), some("2024-03-05T14:20:00"), vec!["RCA011"])
    );
}

/// See #23: a timeline written as a list under bold day lines.
#[test]
fn issue_23_timeline_as_a_list_under_day_lines() {
    let body = "---\ntitle: A\ndate: 2024-02-03\nseverity: P1\n---\n## Timeline\n\n\
        **2024-02-03**\n\n- 23:10 OUTAGE BEGINS\n- 23:40 paged\n\n**2024-02-04**\n\n\
        - 01:05 OUTAGE ENDS\n";
    let (i, _) = typed("x.md", body);
    let at: Vec<_> = i.unwrap().timeline.iter().map(|e| e.at.unwrap().to_string()).collect();
    assert_eq!(at, ["2024-02-03T23:10:00", "2024-02-03T23:40:00", "2024-02-04T01:05:00"]);
}

#[test]
fn rows_timed_from_the_start_need_a_start() {
    let timeline = "## Timeline\n- T+0: storm begins\n- T+6m: paged\n- T+1h10m: all green\n";
    let at = |date: &str| {
        let body = format!("---\ntitle: A\ndate: {date}\nseverity: P1\n---\n{timeline}");
        let (i, diags) = typed("x.md", &body);
        let at: Vec<_> = i.unwrap().timeline.iter().map(|e| e.at.map(|d| d.to_string())).collect();
        (at, codes(&diags).join(","))
    };
    let (times, found) = at("2024-09-01T02:00:00-07:00");
    assert_eq!(
        times,
        [
            Some("2024-09-01T09:00:00".to_string()),
            Some("2024-09-01T09:06:00".to_string()),
            Some("2024-09-01T10:10:00".to_string())
        ]
    );
    assert_eq!(found, "");
    // A day without a time of day gives the rows nothing to count from.
    let (times, found) = at("2024-09-01");
    assert_eq!((times, found.as_str()), (vec![None, None, None], "RCA040,RCA040,RCA040"));
}

#[test]
fn a_grid_table_as_pandoc_writes_one_is_a_timeline() {
    let body = "---\ntitle: A\ndate: 2024-09-03\nseverity: P1\n---\n## Timeline\n\n\
        +-------+------------------+\n| Time  | Event            |\n+=======+==================+\n\
        | 10:00 | Deploy starts    |\n+-------+------------------+\n| 10:07 | Error alert on   |\n\
        |       | the gateway      |\n+-------+------------------+\n";
    let (i, diags) = typed("x.md", body);
    assert!(diags.is_empty(), "{diags:?}");
    let rows: Vec<_> =
        i.unwrap().timeline.iter().map(|e| format!("{} {}", e.time_text, e.event)).collect();
    assert_eq!(rows, ["10:00 Deploy starts", "10:07 Error alert on the gateway"]);
}

#[test]
fn days_counted_from_the_first_are_read_on_their_day() {
    let body = "---\ntitle: A\ndate: 2024-03-05\nseverity: P1\n---\n## Timeline\n\
        - Day 1, 23:50 UTC: queue stalls\n- Day 2, 02:10: paged\n- Day 3 08:00: closed\n";
    let (i, diags) = typed("x.md", body);
    assert!(diags.is_empty(), "{diags:?}");
    let at: Vec<_> = i.unwrap().timeline.iter().map(|e| e.at.map(|d| d.to_string())).collect();
    let want = ["2024-03-05T23:50:00", "2024-03-06T02:10:00", "2024-03-07T08:00:00"];
    assert_eq!(at, want.map(|s| Some(s.to_string())));
}

#[test]
fn a_zone_a_dated_row_names_holds_for_the_clock_times_after_it() {
    let at = |rows: &str| {
        let body = format!(
            "---\ntitle: A\ndate: 2024-07-05\nseverity: P1\n---\n## Timeline\n\n\
             | Time | Event |\n|---|---|\n{rows}| 14:20 | rolled back |\n| 14:40 | resolved |\n"
        );
        let (i, diags) = typed("x.md", &body);
        assert!(diags.iter().all(|d| d.code != "RCA040"), "{diags:?}");
        i.unwrap().timeline.iter().map(|e| e.at.unwrap().to_string()).collect::<Vec<_>>()
    };
    // Named zones, and a written offset, both hold below.
    assert_eq!(
        at("| 2024-07-05 14:00 CEST | alert |\n| 2024-07-05 14:10 CEST | paged |\n"),
        [
            "2024-07-05T12:00:00",
            "2024-07-05T12:10:00",
            "2024-07-05T12:20:00",
            "2024-07-05T12:40:00"
        ]
    );
    assert_eq!(
        at("| 2024-07-05T14:00:00+02:00 | alert |\n"),
        ["2024-07-05T12:00:00", "2024-07-05T12:20:00", "2024-07-05T12:40:00"]
    );
    // A dated row in UTC sets UTC for the rows after it, whatever the
    // site's zone.
    assert_eq!(
        at("| 2024-07-05 14:00 UTC | alert |\n"),
        ["2024-07-05T14:00:00", "2024-07-05T14:20:00", "2024-07-05T14:40:00"]
    );
}

#[test]
fn a_time_written_with_a_point_is_read() {
    let body = "---\ntitle: A\ndate: 2024-09-05\nseverity: P1\n---\n## Timeline\n\n\
        | Zeit | Ereignis |\n|--|--|\n| 14.05 | Alarm |\n| 14.20 Uhr | behoben |\n| 5.3.24 | kein Zeitpunkt |\n";
    let (i, diags) = typed("x.md", body);
    let at: Vec<_> = i.unwrap().timeline.iter().map(|e| e.at.map(|a| a.to_string())).collect();
    assert_eq!(at, [Some("2024-09-05T14:05:00".into()), Some("2024-09-05T14:20:00".into()), None]);
    assert_eq!(diags.iter().filter(|d| d.code == "RCA040").count(), 1, "{diags:?}");
}

#[test]
fn a_zone_after_a_span_of_time_is_its_starts_zone() {
    let body = "---\ntitle: A\ndate: 2024-01-05\nseverity: P1\ntimezone: America/New_York\n---\n\
        ## Timeline\n\n- 10:05 - 10:30 UTC: failover attempts\n- 10:45 UTC resolved\n";
    let (i, diags) = typed("x.md", body);
    assert!(diags.iter().all(|d| d.code != "RCA040"), "{diags:?}");
    let i = i.unwrap();
    let at: Vec<_> = i.timeline.iter().map(|e| e.at.unwrap().to_string()).collect();
    assert_eq!(at, ["2024-01-05T10:05:00", "2024-01-05T10:45:00"]);
    assert_eq!(i.timeline[0].event, "failover attempts (until 10:30)");
}

/// A row keeps the day it fell on in its own zone: late in a Pacific
/// afternoon is the next day in UTC, but the write-up's day is the same.
#[test]
fn a_row_keeps_its_day_in_the_zone_it_was_read_in() {
    let body = "---\ntitle: A\ndate: 2018-02-22T15:40:00-08:00\nseverity: P1\n---\n## Timeline\n\nAll times in PST.\n\n\
        - 15:50 deploy starts\n- 16:32 alerts fire\n- 00:10 fixed\n- T+3h review\n";
    let (i, diags) = typed("x.md", body);
    assert!(diags.is_empty(), "{diags:?}");
    let i = i.unwrap();
    let days: Vec<_> = i.timeline.iter().map(|e| e.day.map(|d| d.to_string())).collect();
    let day = |d: &str| Some(d.to_string());
    assert_eq!(days, [day("2018-02-22"), day("2018-02-22"), day("2018-02-23"), None]);
    let utc: Vec<_> =
        i.timeline.iter().filter_map(|e| e.at.map(|at| at.date().to_string())).collect();
    assert_eq!(utc[1], "2018-02-23", "00:32 UTC");
}

/// Updates posted newest first with clock times alone: read in the order
/// things happened, not as five days of rows.
#[test]
fn clock_times_written_newest_first_are_read_oldest_first() {
    let body = "---\ntitle: A\ndate: 2023-01-13\nseverity: P1\n---\n## Timeline\n\n\
        - 15:00 UTC All objects restored\n- 20:30 UTC Script still running\n\
        - 18:00 UTC Restore started\n- 16:00 UTC Cause found\n- 14:30 UTC Investigating a report\n";
    let (i, diags) = typed("x.md", body);
    assert!(diags.is_empty(), "{diags:?}");
    let at: Vec<String> = i
        .unwrap()
        .timeline
        .iter()
        .map(|e| e.at.map(|d| d.to_string()).unwrap_or_default())
        .collect();
    assert_eq!(
        at,
        [
            "2023-01-13T14:30:00",
            "2023-01-13T16:00:00",
            "2023-01-13T18:00:00",
            "2023-01-13T20:30:00",
            "2023-01-14T15:00:00"
        ]
    );
    // Written oldest first over two midnights, they stay as written.
    let body = "---\ntitle: A\ndate: 2023-01-13\nseverity: P1\n---\n## Timeline\n\n\
        - 22:00 deploy\n- 23:30 alert\n- 01:00 rollback\n- 22:00 second deploy\n- 02:00 fixed\n";
    let (i, _) = typed("x.md", body);
    let first = i.unwrap().timeline[0].event.clone();
    assert_eq!(first, "deploy");
}

#[test]
fn a_day_alone_dates_the_rows_after_it_and_a_marked_time_is_its_time() {
    let body = "---\ntitle: A\ndate: 2021-12-10\nseverity: P1\n---\n## Timeline\n| Time | Event |\n|--|--|\n\
        | 2021-12-10 | advisory published |\n| 2021-12-10 15:40 | we hear of it |\n\
        | 2021-12-13 | scans begin |\n| 09:15 | first host found |\n\
        | 2021-12-14 12:00+ | patched from then on |\n| 2021-12-14 16:45~ | about done |\n";
    let (i, diags) = typed("x.md", body);
    assert!(diags.is_empty(), "{diags:?}");
    let i = i.unwrap();
    let at: Vec<_> = i.timeline.iter().map(|e| e.at.map(|d| d.to_string())).collect();
    let at: Vec<Option<&str>> = at.iter().map(Option::as_deref).collect();
    assert_eq!(
        at,
        [
            None,
            Some("2021-12-10T15:40:00"),
            None,
            Some("2021-12-13T09:15:00"),
            Some("2021-12-14T12:00:00"),
            Some("2021-12-14T16:45:00")
        ]
    );
    let days: Vec<Option<String>> =
        i.timeline.iter().map(|e| e.day.map(|d| d.to_string())).collect();
    assert_eq!(days[2].as_deref(), Some("2021-12-13"), "a day alone is the row's day");
    assert_eq!(i.timeline[4].time_text, "2021-12-14 12:00+", "the mark stays as written");
}
