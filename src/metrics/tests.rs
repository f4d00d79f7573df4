//! Tests of metrics.

use super::*;
use jiff::civil::date;

fn entry(time: &str, at: Option<DateTime>, event: &str) -> TimelineEntry {
    let day = at.map(|at| at.date());
    TimelineEntry { time_text: time.into(), at, day_known: true, day, event: event.into() }
}

fn at(h: i8, m: i8) -> Option<DateTime> {
    Some(date(2024, 2, 11).at(h, m, 0, 0))
}

fn payment_timeline() -> Vec<TimelineEntry> {
    vec![
        entry("13:48", at(13, 48), "payment-svc v3.17 deployed"),
        entry("14:02", at(14, 2), "p99 latency climbs; 5xx rising"),
        entry("14:04", at(14, 4), "Alert fired: PaymentSvcErrorRateHigh; on-call paged"),
        entry("14:08", at(14, 8), "On-call responds; Postgres CPU at 31%"),
        entry("14:24", at(14, 24), "Mitigation applied: rollback to v3.16"),
        entry("14:31", at(14, 31), "Error rate below 1%"),
        entry("14:47", at(14, 47), "Stable for 15 minutes; incident resolved"),
    ]
}

fn names(marks: &[PhaseMark]) -> Vec<(&str, usize, bool)> {
    marks.iter().map(|m| (m.phase.name(), m.row, m.inferred)).collect()
}

#[test]
fn phases_are_recognised_from_events() {
    let marks = detect_phases(&payment_timeline());
    assert_eq!(
        names(&marks),
        [
            ("detected", 2, false),
            ("responded", 3, false),
            ("mitigated", 4, false),
            ("resolved", 6, false)
        ]
    );
}

#[test]
fn key_timestamps_as_incident_io_names_them_mark_every_phase() {
    let timeline = vec![
        entry("09:58", at(9, 58), "Impact started at"),
        entry("10:04", at(10, 4), "Reported at"),
        entry("10:06", at(10, 6), "Accepted at"),
        entry("10:41", at(10, 41), "Fixed at"),
        entry("11:02", at(11, 2), "Resolved at"),
    ];
    assert_eq!(
        names(&detect_phases(&timeline)),
        [
            ("detected", 1, false),
            ("responded", 2, false),
            ("mitigated", 3, false),
            ("resolved", 4, false)
        ]
    );
}

/// A timeline of `(clock time, event)` rows on one day.
fn rows(rows: &[(&str, &str)]) -> Vec<TimelineEntry> {
    let clock = |t: &str| -> Option<(i8, i8)> {
        let (h, m) = t.split_once(':')?;
        Some((h.parse().ok()?, m.parse().ok()?))
    };
    rows.iter().map(|(t, event)| entry(t, clock(t).and_then(|(h, m)| at(h, m)), event)).collect()
}

#[test]
fn a_status_pages_updates_mark_mitigation_at_monitoring() {
    let marks = detect_phases(&rows(&[
        ("15:12", "Investigating - Webhooks are late"),
        ("15:47", "Identified - A partition is not consumed"),
        ("16:20", "Monitoring: consumers restarted, backlog draining"),
        ("17:02", "Resolved - The backlog has drained"),
    ]));
    assert!(names(&marks).contains(&("mitigated", 2, false)), "{marks:?}");
    let marks = detect_phases(&rows(&[
        ("15:12", "Investigating - Webhooks are late"),
        ("16:20", "A fix has been implemented and we are watching"),
        ("17:02", "Resolved - The backlog has drained"),
    ]));
    assert!(names(&marks).contains(&("mitigated", 1, false)), "{marks:?}");
}

#[test]
fn phase_words_are_whole_words_or_their_stems() {
    // "ausgelöst" (set off) holds "gelöst" (solved); "unresolved" holds
    // "resolved": neither names the phase. A stem ("mitigat…") still does.
    let marks = detect_phases(&rows(&[
        ("10:00", "Alarm ausgelöst"),
        ("10:10", "Still unresolved, prefixed keys disclosed"),
        ("10:20", "Mitigating by draining the node"),
        ("10:30", "Gelöst"),
    ]));
    let named = names(&marks);
    for phase in [("detected", 0, false), ("mitigated", 2, false), ("resolved", 3, false)] {
        assert!(named.contains(&phase), "{named:?}");
    }
}

#[test]
fn a_phase_word_for_what_did_not_happen_names_no_phase() {
    let marks = detect_phases(&rows(&[
        ("18:00", "Backfill job started"),
        ("18:20", "Alert fires for the queue"),
        ("18:50", "Found 300 conflicts waiting to be resolved"),
        ("19:10", "No loss of service has been detected so far"),
        ("19:30", "The fix should have been deployed, but it wasn't rolled back"),
        ("19:40", "A second node failed while it was being restored"),
        ("20:00", "Backlog appears to be resolved"),
    ]));
    let named = names(&marks);
    assert!(named.contains(&("detected", 1, false)), "{named:?}");
    assert!(named.contains(&("resolved", 6, false)), "{named:?}");
    assert!(named.iter().all(|(_, row, _)| ![2, 3, 4, 5].contains(row)), "{named:?}");
    // A clause of its own says what did happen.
    let marks = detect_phases(&rows(&[
        ("10:00", "Nobody was paged, until the alert fired"),
        ("10:30", "Not pretty, but resolved"),
    ]));
    let named = names(&marks);
    assert!(named.contains(&("detected", 0, false)), "{named:?}");
    assert!(named.contains(&("resolved", 1, false)), "{named:?}");
}

#[test]
fn phases_named_in_other_languages() {
    let german = detect_phases(&rows(&[
        ("14:05", "Neuaufbau umgeschaltet"),
        ("14:12", "Alarm: Trefferquote fällt auf null"),
        ("14:40", "Alias auf den alten Index zurückgesetzt"),
        ("15:02", "Trefferquote normal, behoben"),
    ]));
    let japanese = detect_phases(&rows(&[
        ("10:15", "再構築開始"),
        ("10:20", "遅延のアラート"),
        ("10:50", "専用ノードに切り戻し、復旧"),
        ("11:00", "解決を確認"),
    ]));
    for marks in [german, japanese] {
        let named = names(&marks);
        for phase in [("detected", 1, false), ("mitigated", 2, false), ("resolved", 3, false)] {
            assert!(named.contains(&phase), "{named:?}");
        }
    }
}

#[test]
fn missing_phases_are_inferred_and_say_so() {
    let timeline = vec![
        entry("09:00", at(9, 0), "Error rate climbs"),
        entry("09:30", at(9, 30), "Config change reverted"),
        entry("10:15", at(10, 15), "Error rate back to baseline"),
    ];
    let marks = detect_phases(&timeline);
    assert_eq!(
        names(&marks),
        [("detected", 0, true), ("mitigated", 1, false), ("resolved", 2, true)]
    );
}

#[test]
fn a_hint_of_detection_at_the_last_event_is_no_detection() {
    let timeline = vec![
        entry("23:10", at(9, 10), "Batch starts late"),
        entry("23:55", at(9, 55), "Batch still running"),
        entry("01:05", at(11, 5), "Reports published"),
    ];
    let marks = detect_phases(&timeline);
    assert_eq!(
        names(&marks),
        [("detected", 0, true), ("mitigated", 2, true), ("resolved", 2, true)]
    );
    // A detection named outright still counts there.
    let named = vec![entry("09:00", at(9, 0), "Deploy"), entry("09:20", at(9, 20), "Alert fired")];
    assert_eq!(names(&detect_phases(&named))[0], ("detected", 1, false));
}

#[test]
fn an_explicit_mitigation_beats_an_earlier_hint() {
    let timeline = vec![
        entry("16:21", at(16, 21), "Alert fired"),
        entry("16:34", at(16, 34), "checkout-web rolled back; latency does not improve"),
        entry("16:55", at(16, 55), "Mitigation applied: CoreDNS scaled out"),
        entry("17:19", at(17, 19), "Incident resolved"),
    ];
    let marks = detect_phases(&timeline);
    assert_eq!(marks.iter().find(|m| m.phase == Phase::Mitigated).map(|m| m.row), Some(2));
    // Without the explicit row, the hint counts.
    let marks = detect_phases(&[timeline[0].clone(), timeline[1].clone(), timeline[3].clone()]);
    assert_eq!(marks.iter().find(|m| m.phase == Phase::Mitigated).map(|m| m.row), Some(1));
}

#[test]
fn a_hint_after_a_later_phase_is_named_marks_nothing() {
    // "accepted" hints at a response, but here it comes after the
    // mitigation is named: taking it would push mitigation past it.
    let timeline = vec![
        entry("02:10", at(2, 10), "Disk alert fires"),
        entry("03:05", at(3, 5), "Mitigated: dump moved to the backup volume"),
        entry("03:30", at(3, 30), "Resolved: writes accepted again"),
    ];
    let marks = detect_phases(&timeline);
    let found: Vec<_> = marks.iter().map(|m| (m.phase, m.row, m.inferred)).collect();
    assert_eq!(
        found,
        [(Phase::Detected, 0, false), (Phase::Mitigated, 1, false), (Phase::Resolved, 2, false)]
    );
}

#[test]
fn a_phase_before_the_previous_one_does_not_count() {
    // "resolved" early in a deploy note must not end the incident.
    let timeline = vec![
        entry("08:00", at(8, 0), "Deploy of the resolved-tickets view"),
        entry("08:10", at(8, 10), "Alert fired"),
        entry("08:40", at(8, 40), "Incident resolved"),
    ];
    let marks = detect_phases(&timeline);
    assert_eq!(marks.iter().find(|m| m.phase == Phase::Resolved).map(|m| m.row), Some(2));
}

#[test]
fn rows_without_a_time_are_skipped_and_empty_timelines_have_no_phases() {
    let timeline = vec![
        entry("soon after", None, "Alert fired"),
        entry("10:00", at(10, 0), "Alert fired"),
        entry("10:20", at(10, 20), "Resolved"),
    ];
    let marks = detect_phases(&timeline);
    assert_eq!(names(&marks)[0], ("detected", 1, false));
    assert!(detect_phases(&[]).is_empty());
    assert!(detect_phases(&[entry("?", None, "resolved")]).is_empty());
}

#[test]
fn a_single_event_is_not_a_resolution() {
    let marks = detect_phases(&[entry("10:00", at(10, 0), "Something broke")]);
    assert_eq!(names(&marks), [("detected", 0, true)]);
}

fn incident_with(timeline: Vec<TimelineEntry>, started: Option<&str>) -> Incident {
    let text = "---\ntitle: A\ndate: 2024-02-11\nseverity: P1\n---\n";
    let source = crate::load::source_from_bytes(
        std::path::Path::new("content/a.md"),
        text.as_bytes().to_vec(),
    )
    .unwrap();
    let (doc, _) = crate::load::parse_document(source);
    let (incident, _) =
        crate::validate::incident_from(doc.unwrap(), &crate::config::Config::default());
    let mut incident = incident.unwrap();
    incident.timeline = timeline;
    incident.started_at = started.map(|s| s.parse().unwrap());
    incident
}

#[test]
fn times_are_measured_from_the_declared_start() {
    let i = incident_with(payment_timeline(), Some("2024-02-11T14:02:00Z"));
    let m = incident_metrics(&i);
    assert_eq!(m.time_to_detect, Some(2));
    assert_eq!(m.time_to_mitigate, Some(22));
    assert_eq!(m.time_to_resolve, Some(45));
    assert_eq!(m.first_event, at(13, 48));
    assert_eq!(m.impact_minutes(&i), Some(45));
}

#[test]
fn without_a_declared_start_the_first_event_is_the_start() {
    let i = incident_with(payment_timeline(), None);
    let m = incident_metrics(&i);
    assert_eq!(m.start, at(13, 48));
    assert_eq!(m.time_to_detect, Some(16));
    assert_eq!(m.time_to_resolve, Some(59));
}

#[test]
fn a_start_after_the_first_phase_is_ignored() {
    let i = incident_with(payment_timeline(), Some("2024-02-11T14:30:00Z"));
    let m = incident_metrics(&i);
    assert_eq!(m.start, at(13, 48));
    assert!(m.time_to_detect.is_some_and(|t| t >= 0));
}

#[test]
fn metrics_span_midnight() {
    let day2 = |h, m| Some(date(2024, 2, 12).at(h, m, 0, 0));
    let timeline = vec![
        entry("23:50", at(23, 50), "Alert fired"),
        entry("00:10", day2(0, 10), "Failover complete, mitigated"),
        entry("01:05", day2(1, 5), "Resolved"),
    ];
    let m = incident_metrics(&incident_with(timeline, None));
    assert_eq!(
        (m.time_to_detect, m.time_to_mitigate, m.time_to_resolve),
        (Some(0), Some(20), Some(75))
    );
}

#[test]
fn no_timeline_no_phases_but_the_duration_is_the_time_to_resolve() {
    // See #23: stats said "no data" while the index showed durations.
    let mut i = incident_with(Vec::new(), None);
    i.duration_minutes = Some(30);
    let m = incident_metrics(&i);
    assert!(m.phases.is_empty());
    assert_eq!((m.time_to_detect, m.time_to_resolve), (None, Some(30)));
    assert_eq!(m.impact_minutes(&i), Some(30));
}

#[test]
fn issue_23_stated_times_fill_what_the_timeline_cannot() {
    let mut i = incident_with(Vec::new(), None);
    std::sync::Arc::make_mut(&mut i.doc).outline.stated =
        crate::model::StatedTimes { detect: Some(54), mitigate: None, resolve: Some(120) };
    let m = incident_metrics(&i);
    assert_eq!((m.time_to_detect, m.time_to_resolve), (Some(54), Some(120)));
}

/// A time the write-up states ("Time to detection: 4 minutes") beats a
/// phase guessed from the timeline (detection at its first event), and is
/// not called inferred; a phase an event names beats both.
#[test]
fn stated_times_beat_inferred_phases_and_named_phases_beat_stated_times() {
    let plain = vec![
        entry("16:02", at(16, 2), "Error rate passes 5%"),
        entry("16:41", at(16, 41), "Processor confirms a degradation"),
        entry("17:31", at(17, 31), "Processor recovers"),
    ];
    let mut i = incident_with(plain, None);
    std::sync::Arc::make_mut(&mut i.doc).outline.stated =
        crate::model::StatedTimes { detect: Some(4), mitigate: None, resolve: Some(89) };
    let m = incident_metrics(&i);
    assert_eq!((m.time_to_detect, m.time_to_resolve), (Some(4), Some(89)));
    assert_eq!(m.inferred, [false, true, false], "mitigation is still the guess");
    let mut i = incident_with(payment_timeline(), None);
    std::sync::Arc::make_mut(&mut i.doc).outline.stated =
        crate::model::StatedTimes { detect: Some(40), mitigate: None, resolve: None };
    let named = incident_metrics(&incident_with(payment_timeline(), None));
    assert_eq!(incident_metrics(&i).time_to_detect, named.time_to_detect);
}

/// The Google SRE template marks the impact with "OUTAGE BEGINS" and
/// "OUTAGE ENDS": the start and the resolution, whatever the front
/// matter's start (the change that caused it) and the events after
/// (the review).
#[test]
fn outage_markers_are_the_start_and_the_end_of_impact() {
    let timeline = vec![
        entry("14:05", at(14, 5), "Push starts on 1% of replicas"),
        entry("14:18", at(14, 18), "OUTAGE BEGINS for all users"),
        entry("14:26", at(14, 26), "Upload SLO alert fires"),
        entry("14:49", at(14, 49), "Rollback started"),
        entry("14:52", at(14, 52), "OUTAGE ENDS; upload success back at baseline"),
        entry("23:00", at(23, 0), "Postmortem review"),
    ];
    let m = incident_metrics(&incident_with(timeline, Some("2024-02-11T14:05:00Z")));
    assert_eq!(
        (m.time_to_detect, m.time_to_mitigate, m.time_to_resolve),
        (Some(8), Some(31), Some(34))
    );
    assert_eq!(m.inferred, [false, false, false]);
    // Another template's marks of the same.
    let timeline = vec![
        entry("14:05", at(14, 5), "Tag 0.13.6 is cut"),
        entry("14:18", at(14, 18), "Builds start failing <START OF OUTAGE>"),
        entry("14:26", at(14, 26), "Alert fires for the failing builds"),
        entry("14:52", at(14, 52), "The tag is reverted <END OF OUTAGE>"),
        entry("23:00", at(23, 0), "Review"),
    ];
    let m = incident_metrics(&incident_with(timeline.clone(), None));
    assert_eq!((m.time_to_detect, m.time_to_resolve), (Some(8), Some(34)));
    // Nothing names the detection: guessed at the first row, which is
    // before the impact began, it is at the start.
    let mut unnamed = timeline;
    unnamed[2].event = "A user files an issue".into();
    let m = incident_metrics(&incident_with(unnamed, None));
    assert_eq!((m.time_to_detect, m.time_to_resolve), (Some(0), Some(34)));
    assert!(m.inferred[0]);
}

#[test]
fn parsed_timelines_of_mixed_formats_feed_the_metrics() {
    // Seconds, a GMT suffix, RFC 3339 and a plain timestamp, across
    // midnight, with an unreadable row in the middle that must not
    // break the day roll-over.
    let text = "---\ntitle: A\ndate: 2024-03-01\nseverity: P1\n---\n## Timeline\n\
        | Time | Event |\n|--|--|\n| 23:58:30 | Alert fired |\n| ??? | unknown |\n\
        | 00:04 GMT | On-call acknowledged |\n| 2024-03-02T00:30:00Z | Failover done |\n\
        | 2024-03-02 01:00 | Incident resolved |\n";
    let source = crate::load::source_from_bytes(
        std::path::Path::new("content/a.md"),
        text.as_bytes().to_vec(),
    )
    .unwrap();
    let (doc, _) = crate::load::parse_document(source);
    let (incident, diags) =
        crate::validate::incident_from(doc.unwrap(), &crate::config::Config::default());
    assert_eq!(diags.iter().map(|d| d.code).collect::<Vec<_>>(), ["RCA040"]);
    let incident = incident.unwrap();
    let at: Vec<Option<String>> =
        incident.timeline.iter().map(|e| e.at.map(|d| d.to_string())).collect();
    assert_eq!(
        at,
        [
            Some("2024-03-01T23:58:30".to_string()),
            None,
            Some("2024-03-02T00:04:00".to_string()),
            Some("2024-03-02T00:30:00".to_string()),
            Some("2024-03-02T01:00:00".to_string()),
        ]
    );
    let m = incident_metrics(&incident);
    assert_eq!(
        names(&m.phases),
        [
            ("detected", 0, false),
            ("responded", 2, false),
            ("mitigated", 3, false),
            ("resolved", 4, false)
        ]
    );
    assert_eq!(
        (m.time_to_detect, m.time_to_mitigate, m.time_to_resolve),
        (Some(0), Some(31), Some(61))
    );
}

#[test]
fn offsets_read_naturally() {
    assert_eq!(format_offset(0), "T+0");
    assert_eq!(format_offset(12), "T+12m");
    assert_eq!(format_offset(65), "T+1h05m");
    assert_eq!(format_offset(24 * 60 * 2 + 180), "T+2d3h");
    assert_eq!(format_offset(-5), "T-5m");
}

#[test]
fn nearest_rank_percentiles() {
    assert_eq!(percentile(&[], 50), None);
    assert_eq!(percentile(&[7], 90), Some(7));
    assert_eq!(percentile(&[4, 1, 3, 2], 50), Some(2));
    assert_eq!(percentile(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90), Some(9));
    assert_eq!(percentile(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 90), Some(10));
    assert_eq!(Spread::of(&[5, 1, 3]), Spread { count: 3, median: Some(3), p90: Some(5) });
}

#[test]
fn minutes_round_down() {
    let a = date(2024, 1, 1).at(10, 0, 0, 0);
    assert_eq!(minutes_between(a, date(2024, 1, 1).at(10, 1, 59, 0)), 1);
    assert_eq!(minutes_between(a, date(2024, 1, 1).at(9, 59, 0, 0)), -1);
}

#[test]
fn times_the_front_matter_gives_come_before_the_timeline() {
    let text = "---\ntitle: A\ndate: 2024-06-01T10:00:00Z\nseverity: P2\n\
                detected_at: 2024-06-01T10:12:00Z\n---\n## Timeline\n\n\
                - 10:05 alert fires\n- 10:40 mitigated by a restart\n- 11:30 resolved\n";
    let source =
        crate::load::source_from_bytes(std::path::Path::new("content/x.md"), text.into()).unwrap();
    let doc = crate::load::parse_document(source).0.unwrap();
    let incident =
        crate::validate::incident_from(doc, &crate::config::Config::default()).0.unwrap();
    let m = incident_metrics(&incident);
    // Detection from the field; mitigation and resolution from the timeline.
    assert_eq!(
        (m.time_to_detect, m.time_to_mitigate, m.time_to_resolve),
        (Some(12), Some(40), Some(90))
    );
}

/// What the incident is about is no phase: a failover incident's
/// failovers are the failure again, and the event that starts the
/// incident mitigates nothing.
#[test]
fn the_failure_itself_is_no_mitigation() {
    let flapping = vec![
        entry("03:47", at(3, 47), "First failover (node a to b)"),
        entry("04:02", at(4, 2), "Second failover (b to c)"),
        entry("04:45", at(4, 45), "Automatic failover paused"),
        entry("09:30", at(9, 30), "Health check timeout raised"),
    ];
    let mitigation = |marks: &[PhaseMark]| {
        marks.iter().find(|m| m.phase == Phase::Mitigated).map(|m| (m.row, m.inferred))
    };
    // Read alone, the second failover is the mitigation.
    assert_eq!(mitigation(&detect_phases(&flapping)), Some((1, false)));
    // About failovers, none is: the mitigation is inferred at the end.
    let about = "Database failed over four times | database | failover";
    assert_eq!(mitigation(&detect_phases_of(&flapping, &|| about.into())), Some((3, true)));
    // A planned failover that starts the incident mitigates nothing either.
    let planned = vec![
        entry("11:00", at(11, 0), "Planned Redis failover"),
        entry("11:05", at(11, 5), "Timeouts cascade"),
        entry("11:30", at(11, 30), "Rolled back the client config"),
        entry("11:46", at(11, 46), "Latency normal"),
    ];
    assert_eq!(
        mitigation(&detect_phases_of(&planned, &|| "Slowness after a cache switch".into())),
        Some((2, false))
    );
    // A mitigation named outright counts wherever it is.
    let named = vec![
        entry("11:00", at(11, 0), "Mitigation: traffic drained from the failover region"),
        entry("11:30", at(11, 30), "Resolved"),
    ];
    assert_eq!(
        mitigation(&detect_phases_of(&named, &|| "failover region".into())),
        Some((0, false))
    );
}

#[test]
fn a_keyword_is_held_as_the_definition_says() {
    let mut events: Vec<String> = [
        "Alert fired: PaymentSvcErrorRateHigh; on-call paged",
        "Mitigation applied: rollback to v3.16",
        "unresolved: the pager was muted",
        "Monitoring - a fix has been implemented",
        "Störung ausgelöst, dann gelöst",
        "アラート発報、検知は遅れた",
        "incident over; all clear at 10:00",
        "-",
        "",
        "  closed  ",
        "re-declared after the failover",
    ]
    .map(String::from)
    .to_vec();
    // Every keyword as an event of its own, at its start, inside a word
    // and after a mark.
    for phase in Phase::ALL {
        let (strong, weak) = phase.keywords();
        for k in strong.iter().chain(weak) {
            events.extend([k.to_string(), format!("x{k}"), format!("(—{k} now)")]);
        }
    }
    for event in &events {
        let words = Words::of(event);
        for phase in Phase::ALL {
            let (strong, weak) = phase.keywords();
            for k in strong.iter().chain(weak) {
                assert_eq!(
                    words.holds(k),
                    starts_a_word(&words.lower, &words.starts, k),
                    "{k:?} in {event:?}"
                );
            }
        }
    }
}
