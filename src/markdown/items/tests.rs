//! The action-item, stated-time and timeline-item readers, case by case.

use super::timeline::{Stated, parse_span_minutes};
use super::*;

#[test]
fn a_name_after_a_long_dash_is_the_owner() {
    let owner = |text: &str| {
        let i = parse_action_item(text);
        (i.action, i.owner.unwrap_or_default())
    };
    let pair = |a: &str, o: &str| (a.to_string(), o.to_string());
    assert_eq!(owner("Add lock alerting — Priya"), pair("Add lock alerting", "Priya"));
    assert_eq!(
        owner("Run migrations online – Sam Ortiz."),
        pair("Run migrations online", "Sam Ortiz")
    );
    // Not a name: a status, lower-case words, more than three words, a
    // plain hyphen (note names use one), or an owner named otherwise.
    for as_written in [
        "Add lock alerting — Done",
        "Add lock alerting — the parser",
        "Add lock alerting — Before The Next Big Launch",
        "Write Runbook - Redis",
        "Fix 2 things — Phase 2",
    ] {
        assert_eq!(owner(as_written), pair(as_written, ""), "{as_written}");
    }
    assert_eq!(owner("Add alerting (owner: sre) — Priya").1, "sre");
    // A person a notes app links, with the mention's mark.
    assert_eq!(
        owner("Fail a deploy on a dropped variable — @Mara Quint"),
        pair("Fail a deploy on a dropped variable", "Mara Quint")
    );
    assert_eq!(owner("Page @oncall on a dropped variable — Mara").1, "Mara");
    assert_eq!(owner("Page @oncall on a dropped variable").1, "oncall");
    // The name, then a group of other fields.
    let item = parse_action_item("Lower the TTL on the API records — Kim (due 2024-06-01)");
    assert_eq!(item.action, "Lower the TTL on the API records");
    assert_eq!(item.owner.as_deref(), Some("Kim"));
    assert_eq!(item.due.as_deref(), Some("2024-06-01"));
}

#[test]
fn fields_set_off_by_dashes_dates_in_words_and_done_marks() {
    let i = parse_action_item("Add pool metrics — @bob — 2024-04-15");
    assert_eq!(i.action, "Add pool metrics");
    assert_eq!((i.owner.as_deref(), i.due.as_deref()), (Some("bob"), Some("2024-04-15")));
    let i = parse_action_item("**Rotate keys** – Owner: Dan – Status: Done");
    assert_eq!(i.action, "**Rotate keys**");
    assert_eq!((i.owner.as_deref(), i.status.as_deref()), (Some("Dan"), Some("done")));
    let i = parse_action_item("Raise limits [Owner: Carol] [Due: April 1, 2024]");
    assert_eq!(i.due.as_deref(), Some("April 1, 2024"));
    let i = parse_action_item("Fix dashboards (Assignee: Eve; ETA: 2024-05-01)");
    assert_eq!((i.owner.as_deref(), i.due.as_deref()), (Some("Eve"), Some("2024-05-01")));
    let i = parse_action_item("Remove the flag (done)");
    assert_eq!((i.action.as_str(), i.status.as_deref()), ("Remove the flag", Some("done")));
    // The mark before a sentence's end; an owner named as an address
    // without its domain.
    let i = parse_action_item("Pin the plugin until the fix ships. OWNER: amirh@ (DONE).");
    assert_eq!(i.action, "Pin the plugin until the fix ships");
    assert_eq!((i.owner.as_deref(), i.status.as_deref()), (Some("amirh"), Some("done")));
    // Sentences that open with a label are fields; others stay.
    let i = parse_action_item("Make zone pushes atomic. Owner: Lena. Due: 2024-05-01.");
    assert_eq!(i.action, "Make zone pushes atomic");
    assert_eq!((i.owner.as_deref(), i.due.as_deref()), (Some("Lena"), Some("2024-05-01")));
    let i = parse_action_item("Lower the TTL to 60 s. Owner: Lena.");
    assert_eq!((i.action.as_str(), i.owner.as_deref()), ("Lower the TTL to 60 s", Some("Lena")));
    let i = parse_action_item("Log TLS failures at ERROR. Owner: mobile. Due 2023-06-23");
    assert_eq!(i.action, "Log TLS failures at ERROR");
    assert_eq!((i.owner.as_deref(), i.due.as_deref()), (Some("mobile"), Some("2023-06-23")));
    let i = parse_action_item("Shard the queue. Target: halve the lag. ETA: 2024-07-01");
    assert_eq!(i.action, "Shard the queue. Target: halve the lag");
    assert_eq!(i.due.as_deref(), Some("2024-07-01"));
    let i = parse_action_item("Page the DBA. Ask the owner to review. Status: open");
    assert_eq!(i.action, "Page the DBA. Ask the owner to review");
    assert_eq!(i.status.as_deref(), Some("open"));
    // Words after a dash stay the action's; "by" before words is no date.
    let i = parse_action_item("Upgrade the client - it leaks - by adding a pool check");
    assert_eq!(i.action, "Upgrade the client - it leaks - by adding a pool check");
    assert_eq!((i.owner, i.due, i.status), (None, None, None));
}

#[test]
fn bullet_action_items_with_owner_and_due() {
    let i = parse_action_item("Add alert on consumer lag @platform-team (due 2024-05-01)");
    assert_eq!(i.action, "Add alert on consumer lag @platform-team");
    assert_eq!(i.owner.as_deref(), Some("platform-team"));
    assert_eq!(i.due.as_deref(), Some("2024-05-01"));

    let i = parse_action_item("Rotate credentials (owner: jane, due 2024-05-01)");
    assert_eq!(i.action, "Rotate credentials");
    assert_eq!(i.owner.as_deref(), Some("jane"));
    assert_eq!(i.due.as_deref(), Some("2024-05-01"));

    let i = parse_action_item("[P1] Cap the pool by 2025-01-10 (owner: @dba, status: done)");
    assert_eq!(i.priority.as_deref(), Some("P1"));
    assert_eq!(i.owner.as_deref(), Some("dba"));
    assert_eq!(i.due.as_deref(), Some("2025-01-10"));
    assert_eq!(i.status.as_deref(), Some("done"));

    let i = parse_action_item("Document the failover");
    assert_eq!(i.action, "Document the failover");
    assert_eq!((i.owner, i.due, i.priority), (None, None, None));

    let i = parse_action_item("接続プールの上限を引き上げる（担当：SRE、期限：2024-04-01）");
    assert_eq!(i.action, "接続プールの上限を引き上げる");
    assert_eq!(i.owner.as_deref(), Some("SRE"));
    assert_eq!(i.due.as_deref(), Some("2024-04-01"));

    let i = parse_action_item("提高连接池上限 (负责人: 数据库组, 截止: 2024-04-01)");
    assert_eq!(i.action, "提高连接池上限");
    assert_eq!(i.owner.as_deref(), Some("数据库组"));
    assert_eq!(i.due.as_deref(), Some("2024-04-01"));

    let i = parse_action_item("監視を追加（担当：SRE、期限：2024年4月1日）");
    assert_eq!(i.owner.as_deref(), Some("SRE"));
    assert_eq!(i.due.as_deref(), Some("2024年4月1日"));

    let i = parse_action_item("Pool-Limit erhöhen (verantwortlich: DBA, fällig 2024-04-01)");
    assert_eq!(i.owner.as_deref(), Some("DBA"));
    assert_eq!(i.due.as_deref(), Some("2024-04-01"));

    // A group that opens with the owner's mention, or is only that.
    let i = parse_action_item("Validate units in the template (@nadia, due 2024-06-01)");
    assert_eq!(i.action, "Validate units in the template");
    assert_eq!(i.owner.as_deref(), Some("nadia"));
    assert_eq!(i.due.as_deref(), Some("2024-06-01"));
    let i = parse_action_item("Rotate the signing key (@sec-team)");
    assert_eq!(
        (i.action.as_str(), i.owner.as_deref()),
        ("Rotate the signing key", Some("sec-team"))
    );
    let i = parse_action_item("Add a runbook (@ops — see the RFC)");
    assert_eq!(
        (i.action.as_str(), i.owner.as_deref()),
        ("Add a runbook (@ops — see the RFC)", Some("ops"))
    );

    let i = parse_action_item("Email ops@example.com the report");
    assert_eq!(i.owner, None, "an address is not a mention");
}

#[test]
fn timeline_items_in_french_clock_style() {
    assert_eq!(
        parse_timeline_item("14h45 service rétabli"),
        Some(("14h45".to_string(), "service rétabli".to_string()))
    );
    assert_eq!(parse_timeline_item("14h service"), None);
}

#[test]
fn stated_times() {
    assert_eq!(parse_stated_time("Time to detection: 54 minutes"), Some(Stated::Detect(54)));
    assert_eq!(parse_stated_time("Time to recovery: 2h"), Some(Stated::Resolve(120)));
    assert_eq!(parse_stated_time("Duration: 1h 30m"), Some(Stated::Duration(90)));
    assert_eq!(parse_stated_time("MTTR - 1.5 hours"), Some(Stated::Resolve(90)));
    assert_eq!(
        parse_stated_time("Time to mitigate: 1 hour and 5 minutes"),
        Some(Stated::Mitigate(65))
    );
    assert_eq!(parse_stated_time("Duration: unknown"), None);
    assert_eq!(parse_stated_time("The duration was long: 5 minutes of it"), None);
    assert_eq!(parse_span_minutes("2 days"), Some(2880));
}

#[test]
fn a_mark_at_the_end_closes_the_item_done_or_not() {
    let item = |t: &str| {
        let i = parse_action_item(t);
        (i.action, i.status)
    };
    let closed = |a: &str, s: &str| (a.to_string(), Some(s.to_string()));
    assert_eq!(item("Fix pool ✅"), closed("Fix pool", "done"));
    assert_eq!(item("Rewrite the client (dropped)"), closed("Rewrite the client", "dropped"));
    assert_eq!(item("Shard the queue (Won’t fix)"), closed("Shard the queue", "won't fix"));
    assert_eq!(
        item("Move flags to the new cluster (won't do)"),
        closed("Move flags to the new cluster", "won't do")
    );
    assert_eq!(item("Rewrite the proxy (not doing)"), closed("Rewrite the proxy", "won't do"));
    assert_eq!(item("Add alerts (cancelled) later").1, None, "only at the end");
    // An outliner's marker opens the task, in capitals.
    assert_eq!(item("CANCELED Move the build"), closed("Move the build", "cancelled"));
    assert_eq!(item("Cancelled the job twice").1, None);
}

#[test]
fn a_due_date_after_its_word_without_a_colon() {
    let item = |t: &str| {
        let i = parse_action_item(t);
        (i.action, i.owner, i.due)
    };
    let some = |s: &str| Some(s.to_string());
    assert_eq!(
        item("Add canary - owner: @id-team - due Q2 2024"),
        ("Add canary".into(), some("id-team"), some("Q2 2024"))
    );
    assert_eq!(item("Add alert by March 5, 2024 (owner: sre)").2, some("March 5, 2024"));
    assert_eq!(item("Tune pool @dba due June 2024").2, some("June 2024"));
    assert_eq!(item("Owned by SRE, due June 2024").2, some("June 2024"), "the second word");
    assert_eq!(item("Caused by the cache; add jitter").2, None);
    assert_eq!(item("Split the job - by region").0, "Split the job - by region");
}

#[test]
fn timeline_list_items() {
    let row = |t: &str| parse_timeline_item(t);
    assert_eq!(row("14:05 pager fires"), Some(("14:05".into(), "pager fires".into())));
    assert_eq!(row("14:05 - DNS fails"), Some(("14:05".into(), "DNS fails".into())));
    assert_eq!(row("2:05 PM rollback"), Some(("14:05".into(), "rollback".into())));
    assert_eq!(row("12:10 am paged"), Some(("00:10".into(), "paged".into())));
    assert_eq!(
        row("2024-02-03 09:00 UTC: review"),
        Some(("2024-02-03 09:00 UTC".into(), "review".into()))
    );
    assert_eq!(row("Rolled back the deploy"), None);
    // A zone after the time is the time's; other capitals are the event's.
    assert_eq!(row("14:05 PST — pager"), Some(("14:05 PST".into(), "pager".into())));
    assert_eq!(
        row("14:05 Europe/Berlin: pager"),
        Some(("14:05 Europe/Berlin".into(), "pager".into()))
    );
    assert_eq!(row("14:05 DNS fails"), Some(("14:05".into(), "DNS fails".into())));
    assert_eq!(row("14:05Z pager"), Some(("14:05 Z".into(), "pager".into())));
    assert_eq!(row("14:05 API - errors"), Some(("14:05".into(), "API - errors".into())));
    assert_eq!(row("14:05 UTC+2 pager"), Some(("14:05 UTC+2".into(), "pager".into())));
    assert_eq!(row("14:05 +02:00 pager"), Some(("14:05 +02:00".into(), "pager".into())));
    assert_eq!(row("14:05 (CEST) pager"), Some(("14:05 (CEST)".into(), "pager".into())));
    // A point between the hour and the minutes, as much of Europe writes.
    assert_eq!(row("14.05 alert fires"), Some(("14:05".into(), "alert fires".into())));
    assert_eq!(row("9.30 Uhr: Alarm"), Some(("9:30".into(), "Alarm".into())));
    assert_eq!(row("9:30 Uhr – Alarm"), Some(("9:30".into(), "Alarm".into())));
    assert_eq!(row("9:30 Uhrwerk stops"), Some(("9:30".into(), "Uhrwerk stops".into())));
    assert_eq!(
        row("14.05.2024 10:00 alert"),
        Some(("2024-05-14 10:00".into(), "alert".into())),
        "a day, not a time"
    );
    assert_eq!(row("1.20.3 rolled out"), None, "a version");
    assert_eq!(row("14:05 - 15:00 pager"), Some(("14:05".into(), "pager (until 15:00)".into())));
    assert_eq!(
        row("10:05 - 10:30 UTC: failover attempts"),
        Some(("10:05 UTC".into(), "failover attempts (until 10:30)".into()))
    );
    assert_eq!(
        row("10:05 – 10:30 API errors"),
        Some(("10:05".into(), "API errors (until 10:30)".into()))
    );
    // Timed from the start.
    assert_eq!(row("T+6m: pager fires"), Some(("T+6m".into(), "pager fires".into())));
    assert_eq!(row("T + 1:10 — rollback"), Some(("T+1:10".into(), "rollback".into())));
    assert_eq!(row("T+0 storm begins"), Some(("T+0".into(), "storm begins".into())));
    assert_eq!(row("Tuesday we paged"), None);
    // On a day counted from the first.
    assert_eq!(row("Day 2, 14:05 — paged"), Some(("Day 2 14:05".into(), "paged".into())));
    assert_eq!(row("D3 08:00 UTC: review"), Some(("Day 3 08:00 UTC".into(), "review".into())));
    assert_eq!(row("Day 2 of the outage"), None);
    // Opened by a day in words, as status pages and exports date rows.
    assert_eq!(
        row("Jun 18, 2024 - 17:02 UTC — Resolved"),
        Some(("2024-06-18 17:02 UTC".into(), "Resolved".into()))
    );
    assert_eq!(
        row("18 June 2024, 2:05 PM: paged"),
        Some(("2024-06-18 14:05".into(), "paged".into()))
    );
    assert_eq!(row("June 18, 2024 we paged"), None, "a day with no time is no row");
    // Or by a time with its day after it.
    assert_eq!(
        row("4:33 PM April 6, 2025: paged"),
        Some(("2025-04-06 16:33".into(), "paged".into()))
    );
    assert_eq!(
        row("16:37 UTC on 6 April 2025 - failover"),
        Some(("2025-04-06 16:37 UTC".into(), "failover".into()))
    );
    // Or in brackets after it, the year the incident's.
    assert_eq!(
        row("23:00 UTC(April 5) - a CI run fails"),
        Some(("April 5 23:00 UTC".into(), "a CI run fails".into()))
    );
    assert_eq!(
        row("04:00 UTC (7 April) - builds stable"),
        Some(("7 April 04:00 UTC".into(), "builds stable".into()))
    );
    assert_eq!(row("09:10 (2025-04-06): paged"), Some(("2025-04-06 09:10".into(), "paged".into())));
    // A day the event speaks of is the event's.
    assert_eq!(
        row("10:02 April 2025 release rolled back"),
        Some(("10:02".into(), "April 2025 release rolled back".into()))
    );
    assert_eq!(
        row("10:02 2024-06-18T17:02 was the last good build"),
        Some(("10:02".into(), "2024-06-18T17:02 was the last good build".into()))
    );
    // Or by a day without its year, which the incident's date gives.
    assert_eq!(
        row("6 March 15:20 CET latency rises"),
        Some(("6 March 15:20 CET".into(), "latency rises".into()))
    );
    assert_eq!(
        row("Mar 6, 2:10 AM: disk alert"),
        Some(("Mar 6, 02:10".into(), "disk alert".into()))
    );
    assert_eq!(row("May 3 engineers were paged"), None);
    assert_eq!(row("6 March 15 servers failed"), None);
}

#[test]
fn zone_statements() {
    assert_eq!(zone_statement("All times in CET").as_deref(), Some("CET"));
    assert_eq!(zone_statement("All times are US/Pacific.").as_deref(), Some("US/Pacific"));
    assert_eq!(zone_statement("Time (UTC)").as_deref(), Some("UTC"));
    // A zone's standard and summer names together: the zone.
    assert_eq!(zone_statement("Timeline (all times in PST/PDT)").as_deref(), Some("PST"));
    assert_eq!(zone_statement("All times UTC+2.").as_deref(), Some("UTC+2"));
    assert_eq!(zone_statement("Times: GMT-05:00").as_deref(), Some("GMT-05:00"));
    assert_eq!(zone_statement("Time").as_deref(), None);
    assert_eq!(zone_statement("The DB was slow for a long time").as_deref(), None);
    // A zone's name in words, before "time" or after "times".
    assert_eq!(zone_statement("Timeline (Japan time)").as_deref(), Some("JST"));
    assert_eq!(zone_statement("All times are Pacific.").as_deref(), Some("PT"));
    assert_eq!(zone_statement("Times in Eastern Daylight Time").as_deref(), Some("ET"));
    assert_eq!(zone_statement("All times Central European Summer Time").as_deref(), Some("CET"));
    assert_eq!(zone_statement("Times shown in US Central time").as_deref(), Some("CT"));
    // Not before "time", or a name that is no zone's.
    assert_eq!(zone_statement("The central database took time").as_deref(), None);
    assert_eq!(zone_statement("Response time of the eastern region").as_deref(), None);
}

#[test]
fn a_timeline_item_over_a_span_of_time_is_timed_by_its_start() {
    let row = |t: &str| parse_timeline_item(t).map(|(time, event)| format!("{time} | {event}"));
    assert_eq!(
        row("11:20–12:30 Testing the new key by hand").as_deref(),
        Some("11:20 | Testing the new key by hand (until 12:30)")
    );
    assert_eq!(row("11:20 - 12:30 rollback").as_deref(), Some("11:20 | rollback (until 12:30)"));
    // A time after a colon, or no dash, is the event's.
    assert_eq!(
        row("11:20: 12:30 was the deadline").as_deref(),
        Some("11:20 | 12:30 was the deadline")
    );
    assert_eq!(row("11:20 - 5xx errors").as_deref(), Some("11:20 | 5xx errors"));
}

/// A duration is start to resolution; a time to recovery may be counted
/// from the detection, so a duration stated anywhere wins over it.
#[test]
fn a_stated_duration_beats_a_stated_time_to_recovery() {
    let mut times = crate::model::StatedTimes::default();
    for line in ["Time to detection: 4h 58m", "Time to recovery: 1h 35m", "Duration: 6h 33m"] {
        parse_stated_time(line).unwrap().fill(&mut times);
    }
    assert_eq!((times.detect, times.resolve), (Some(298), Some(393)));
    let mut times = crate::model::StatedTimes::default();
    for line in ["Downtime: 2h", "Time to recovery: 1h"] {
        parse_stated_time(line).unwrap().fill(&mut times);
    }
    assert_eq!(times.resolve, Some(120));
}

#[test]
fn an_issue_trackers_labels_are_not_the_action() {
    let read = |text: &str| {
        let i = parse_action_item(text);
        (i.action, i.owner.unwrap_or_default())
    };
    let pair = |a: &str, o: &str| (a.to_string(), o.to_string());
    assert_eq!(
        read("Validate cache limits in CI ~\"corrective action\" @mlopez"),
        pair("Validate cache limits in CI @mlopez", "mlopez")
    );
    assert_eq!(
        read("Alert on eviction rate ~\"corrective action\""),
        pair("Alert on eviction rate", "")
    );
    assert_eq!(read("Shard the queue ~infra ~\"type::fix\""), pair("Shard the queue", ""));
    // A tilde that is no label keeps its words.
    for as_written in
        ["Cut restarts to ~5 a day", "Reduce to ~half the pods today", "Use a~\"b\" key"]
    {
        assert_eq!(read(as_written).0, as_written, "{as_written}");
    }
}

#[test]
fn fields_joined_by_commas_after_a_dash_are_fields() {
    let i = parse_action_item("Add a canary for cache keys — @lena, by 2024-04-01");
    assert_eq!(i.action, "Add a canary for cache keys");
    assert_eq!(i.owner.as_deref(), Some("lena"));
    assert_eq!(i.due.as_deref(), Some("2024-04-01"));
    // Words of the action joined by a comma stay.
    let i = parse_action_item("Alert on lag — per partition, per consumer");
    assert_eq!(i.action, "Alert on lag — per partition, per consumer");
}

#[test]
fn trailing_fields_are_read_eight_at_most() {
    // A line of thousands of `— @a` parts once cost a search of the line
    // per part.
    let text = format!("Fix it{}", " — @a".repeat(20_000));
    let i = parse_action_item(&text);
    assert_eq!(i.owner.as_deref(), Some("a"));
    assert!(i.action.starts_with("Fix it — @a"), "the parts past the eighth stay");
    assert!(i.action.len() < text.len());
}

#[test]
fn a_closing_group_of_a_name_and_a_date_is_the_owner_and_due_date() {
    let read = |text: &str| {
        let i = parse_action_item(text);
        (i.action, i.owner.unwrap_or_default(), i.due.unwrap_or_default())
    };
    let row = |a: &str, o: &str, d: &str| (a.to_string(), o.to_string(), d.to_string());
    assert_eq!(
        read("PROJ-12: Add alert (Alice Moreau, 2024-05-01)"),
        row("PROJ-12: Add alert", "Alice Moreau", "2024-05-01")
    );
    assert_eq!(read("Add alert [2024-05-01]"), row("Add alert", "", "2024-05-01"));
    // Words, or a name without a date, are the action's own.
    for kept in
        ["Move the consumer (Kafka)", "Rotate keys (see the runbook, 2024)", "Page them (Ops Team)"]
    {
        assert_eq!(read(kept).0, kept, "{kept}");
    }
}

#[test]
fn a_heading_that_names_only_a_time_gives_its_time() {
    assert_eq!(heading_time("14:05 UTC").as_deref(), Some("14:05 UTC"));
    assert_eq!(heading_time("2:10 PM").as_deref(), Some("14:10"));
    assert_eq!(heading_time(" 2024-06-18 09:30 ").as_deref(), Some("2024-06-18 09:30"));
    // A heading that writes its event is a row, not a time alone.
    assert_eq!(heading_time("14:05 pager fires"), None);
    assert_eq!(heading_time("Detection"), None);
}

#[test]
fn a_guessed_time_is_the_rows_time_and_its_event_says_so() {
    let row = |t: &str| parse_timeline_item(t).map(|(time, event)| format!("{time} | {event}"));
    assert_eq!(row("~11:00 all clear").as_deref(), Some("11:00 | all clear (time approximate)"));
    assert_eq!(
        row("approx. 11:00 UTC: all clear").as_deref(),
        Some("11:00 UTC | all clear (time approximate)")
    );
    assert_eq!(row("About 11:00 - paged").as_deref(), Some("11:00 | paged (time approximate)"));
    assert_eq!(
        row("11:05 (approx.) review opened").as_deref(),
        Some("11:05 | review opened (time approximate)")
    );
    assert_eq!(row("About 500 users saw errors"), None);
    assert_eq!(row("Aboutface 11:00 x"), None);
    // A guess on a day.
    assert_eq!(
        row("2025-10-20 ~14:15 UTC – Docker reports recovery").as_deref(),
        Some("2025-10-20 14:15 UTC | Docker reports recovery (time approximate)")
    );
}

/// A time nobody knows is still a row: the validate stage names it, and
/// the rows after it on the same lines are read.
#[test]
fn an_unknown_time_is_a_row_with_its_time_as_written() {
    let row = |t: &str| parse_timeline_item(t).map(|(time, event)| format!("{time} | {event}"));
    assert_eq!(
        row("??:?? - A vendor ships an update").as_deref(),
        Some("??:?? | A vendor ships an update")
    );
    assert_eq!(row("?:?? paged").as_deref(), Some("?:?? | paged"));
    for prose in ["??? unknown", "?? what happened", "??:??", "?:x"] {
        assert_eq!(row(prose), None, "{prose}");
    }
}

#[test]
fn a_table_time_cell_with_a_span_or_a_guess_reads_as_a_list_row() {
    let row = |t: &str| table_row(t, "event").map(|(time, event)| format!("{time} | {event}"));
    assert_eq!(row("10:05–10:30").as_deref(), Some("10:05 | event (until 10:30)"));
    assert_eq!(row("10:31 - 10:50 UTC").as_deref(), Some("10:31 UTC | event (until 10:50)"));
    assert_eq!(row("~11:00").as_deref(), Some("11:00 | event (time approximate)"));
    assert_eq!(row("11:05 (approx.)").as_deref(), Some("11:05 | event (time approximate)"));
    // Any other cell is the validate stage's to read, as written.
    assert_eq!(row("10:00"), None);
    assert_eq!(row("2:05 PM PT"), None);
    assert_eq!(row("next morning"), None);
}

#[test]
fn rows_timed_in_brackets_on_the_hour_or_with_a_dash_after_the_day() {
    let row = |t: &str| parse_timeline_item(t).map(|(time, event)| format!("{time} | {event}"));
    // A chat log's or a script's brackets.
    assert_eq!(
        row("[09:12] on-call acknowledges").as_deref(),
        Some("09:12 | on-call acknowledges")
    );
    assert_eq!(row("[14:05 UTC] - paged").as_deref(), Some("14:05 UTC | paged"));
    assert_eq!(row("[Nov 6, 09:40] resized").as_deref(), Some("Nov 6, 09:40 | resized"));
    assert_eq!(row("[~11:00] all clear").as_deref(), Some("11:00 | all clear (time approximate)"));
    assert_eq!(row("[link] to the dashboard"), None);
    assert_eq!(row("[09:12]"), None, "a time with no event is no row");
    // An hour on a 12-hour clock without its minutes.
    assert_eq!(row("11AM UTC - all clear").as_deref(), Some("11:00 UTC | all clear"));
    assert_eq!(row("5 p.m. paged the team").as_deref(), Some("17:00 | paged the team"));
    assert_eq!(row("12am cron runs").as_deref(), Some("00:00 | cron runs"));
    assert_eq!(row("5 amps drawn by the rack"), None, "a word, not a clock");
    assert_eq!(row("13PM nothing"), None);
    assert_eq!(row("3 AMIs rebuilt"), None);
    // A dash between a day and its time.
    assert_eq!(
        row("Nov 24 – 06:12 UTC – package published").as_deref(),
        Some("Nov 24 06:12 UTC | package published")
    );
    assert_eq!(row("6 March - 15:20 latency").as_deref(), Some("6 March 15:20 | latency"));
}

#[test]
fn a_dash_and_a_time_after_a_bare_clock_end_a_span_not_an_offset() {
    let row = |t: &str| parse_timeline_item(t).map(|(time, event)| format!("{time} | {event}"));
    assert_eq!(
        row("02:00-04:30 - planned maintenance").as_deref(),
        Some("02:00 | planned maintenance (until 04:30)")
    );
    assert_eq!(
        row("24-10-2024 02:00-04:30 - planned maintenance").as_deref(),
        Some("2024-10-24 02:00 | planned maintenance (until 04:30)")
    );
    assert_eq!(row("02:00-04:30 UTC window").as_deref(), Some("02:00 UTC | window (until 04:30)"));
    // A machine's offset keeps its day or its seconds.
    assert_eq!(
        row("2024-10-24T02:00-04:30 alert").as_deref(),
        Some("2024-10-24T02:00 -04:30 | alert")
    );
    assert_eq!(row("02:00:00-04:00 alert").as_deref(), Some("02:00:00 -04:00 | alert"));
    assert_eq!(row("14:05 +02:00 pager").as_deref(), Some("14:05 +02:00 | pager"));
}
