//! Tests of the outline scan: sections by role, titles, timelines, action
//! items, tables, anchors and wiki links.

use super::tables::MAX_TABLE_ROWS;
use super::*;
use crate::markdown::plain_text::plain_text;

fn outline(body: &str) -> Outline {
    scan(body, 0..body.len(), &SectionNames::default())
}

#[test]
fn huge_tables_are_read_only_up_to_the_bounds() {
    let mut body = String::from("## Timeline\n\n| time | event |\n|-|-|\n");
    for _ in 0..MAX_TABLE_ROWS + 5 {
        body.push_str("| 10:00 | up |\n");
    }
    let o = outline(&body);
    assert_eq!(o.timeline.len(), MAX_TABLE_ROWS);
    assert_eq!(o.timeline[0].time, "10:00");
}

const RCA: &str = "\
Intro paragraph.

## Summary
The pool ran dry. Payments failed.

## Timeline
| Time (UTC) | Event |
|---|---|
| 23:50 | Alert fired |
| 00:10 | Resolved, see [[db-note]] |

## Root Cause
A batch job held **connections** open.

```sql
SELECT [[not-a-link]];
```

## Action Items
| Priority | Action | Owner | Due Date | Status |
|---|---|---|---|---|
| P1 | Cap the pool | SRE | 2025-01-10 | open |

## Impact
- [ ] Write the runbook
- [x] Page the DBA team. See [[runbook-db|the runbook]] for steps. Then rest.
";

#[test]
fn finds_sections_tables_and_links() {
    let o = outline(RCA);
    assert_eq!(o.first_paragraph.as_deref(), Some("Intro paragraph."));
    assert_eq!(o.summary_section.as_deref(), Some("The pool ran dry. Payments failed."));
    assert_eq!(o.timeline.len(), 2);
    assert_eq!(o.timeline[0].time, "23:50");
    assert_eq!(o.timeline[1].event, "Resolved, see db-note");
    assert!(RCA[o.timeline[0].offset..].starts_with("| 23:50"));
    assert_eq!(o.root_cause, "A batch job held connections open.");
    assert_eq!(o.action_items.len(), 1);
    let a = &o.action_items[0];
    assert_eq!(a.action, "Cap the pool");
    assert_eq!(a.priority.as_deref(), Some("P1"));
    assert_eq!(a.owner.as_deref(), Some("SRE"));
    assert_eq!(a.due.as_deref(), Some("2025-01-10"));
    assert_eq!(a.status.as_deref(), Some("open"));
    assert_eq!(o.sections, ["summary", "timeline", "root cause", "action items", "impact"]);
    // The link in code is text; the other two are links.
    let targets: Vec<_> = o.links.iter().map(|l| l.target.as_str()).collect();
    assert_eq!(targets, ["db-note", "runbook-db"]);
    assert_eq!(&RCA[o.links[0].span.clone()], "[[db-note]]");
    assert_eq!(o.links[1].context, "See the runbook for steps.");
    assert!(plain_text(RCA).contains("SELECT [[not-a-link]]"));
}

#[test]
fn bold_labels_open_sections_as_headings_do() {
    let body = "\
**Summary**

The cache expired at once.

**Timeline:**
- 10:00 cache flushed
- 10:30 recovered

**Root Cause:**
Every key shared one TTL.

**Impact:** 30 minutes of errors.

The **fix** was jitter. **Note:** not a section.

- **Action Items** in a list is not a label

**Action Items**

- Add jitter @platform (due 2024-06-01)
";
    let o = outline(body);
    assert_eq!(o.first_paragraph.as_deref(), Some("The cache expired at once."));
    assert_eq!(o.summary_section.as_deref(), Some("The cache expired at once."));
    assert_eq!(o.timeline.len(), 2);
    assert_eq!(o.root_cause, "Every key shared one TTL.");
    assert!(o.impact.starts_with("30 minutes of errors."), "{}", o.impact);
    assert_eq!(o.action_items.len(), 1);
    assert_eq!(o.action_items[0].owner.as_deref(), Some("platform"));
    let roles: Vec<Role> = o.section_spans.iter().map(|s| s.role).collect();
    assert_eq!(
        roles,
        [Role::Summary, Role::Timeline, Role::Cause, Role::Impact, Role::ActionItems]
    );
    // A span starts at its label.
    assert!(body[o.section_spans[2].range.clone()].starts_with("**Root Cause:**"));
    // Labels are not headings: no anchors, no contents entries.
    assert!(o.headings.is_empty());
}

#[test]
fn task_lists_are_action_items_under_the_section() {
    let o = outline("## Action Items\n- [ ] Add alert\n- [x] Fix pool\n- plain item\n");
    let items: Vec<_> =
        o.action_items.iter().map(|a| (a.action.as_str(), a.status.as_deref())).collect();
    assert_eq!(
        items,
        [("Add alert", Some("open")), ("Fix pool", Some("done")), ("plain item", None)]
    );
}

/// A write-up without a Timeline section that lists its rows: the list is
/// its timeline. A list of two times, or one with an item that is no row,
/// is not.
#[test]
fn a_list_of_rows_outside_any_timeline_section_is_the_timeline() {
    let o = outline(
        "## CI failures\n\n- 09:00 two builds fail\n- 12:00 errors grow\n\n\
         Background.\n\n* **11:00 UTC** - More failures\n* **12:00 UTC** - Isolated to one region\n\
         * **16:00 UTC** - Moved the builders\n\n## Root cause\n\n- 10:00 is when the NAT filled\n",
    );
    let rows: Vec<&str> = o.timeline.iter().map(|r| r.time.as_str()).collect();
    assert_eq!(rows, ["11:00 UTC", "12:00 UTC", "16:00 UTC"]);
    let mixed = outline("- 09:00 a\n- 10:00 b\n- and then c\n- 11:00 d\n");
    assert!(mixed.timeline.is_empty());
    // A Timeline section's rows win.
    let both = outline("- 09:00 a\n- 10:00 b\n- 11:00 c\n\n## Timeline\n\n- 14:00 d\n");
    let rows: Vec<&str> = both.timeline.iter().map(|r| r.time.as_str()).collect();
    assert_eq!(rows, ["14:00"]);
}

/// A heading of the timeline that writes a span: the paragraph under it
/// is the row's event, which says when the span ended.
#[test]
fn a_timeline_heading_with_a_span_heads_the_paragraph_below() {
    let o = outline(
        "## Timeline\n\n### 8:20 - 8:24\n\nThe team discusses the load.\n\n### ~8:40\n\nScaled up.\n",
    );
    let rows: Vec<(&str, &str)> =
        o.timeline.iter().map(|r| (r.time.as_str(), r.event.as_str())).collect();
    assert_eq!(
        rows,
        [
            ("8:20", "The team discusses the load. (until 8:24)"),
            ("8:40", "Scaled up. (time approximate)")
        ]
    );
}

/// A paragraph that sets its rows apart with `<br>`, each row wrapped over
/// lines of its own, one row's time unknown.
#[test]
fn timeline_rows_set_apart_by_line_break_tags_are_rows() {
    let o = outline(
        "## Timeline\n\n??:?? - A vendor ships an update **\\<START OF\nOUTAGE>**<br> 13:02 - \
         A report reaches the\nsecurity list.<br> 20:57 - A test fails in CI\nwith a virus \
         warning.<br/>\n22:10 - An issue is filed.\n",
    );
    let rows: Vec<(&str, &str)> =
        o.timeline.iter().map(|r| (r.time.as_str(), r.event.as_str())).collect();
    assert_eq!(
        rows,
        [
            ("??:??", "A vendor ships an update <START OF OUTAGE>"),
            ("13:02", "A report reaches the security list."),
            ("20:57", "A test fails in CI with a virus warning."),
            ("22:10", "An issue is filed."),
        ]
    );
}

/// Headings under Action Items that name other sections group its items
/// ("### Detection", "### Mitigation"); under a Timeline, its phases.
#[test]
fn headings_under_action_items_or_a_timeline_group_them() {
    let o = outline(
        "## Action items\n### Prevention\n- Pin the package\n### Detection\n- Alert on red \
         builds\n### Mitigation\n- Keep a rollback ready\n\n## Timeline\n### Detection\n- \
         09:00 alert fires\n### Resolution\n- 09:40 fixed\n\n## Root cause\n\nA bad tag.\n",
    );
    let items: Vec<_> = o.action_items.iter().map(|a| a.action.as_str()).collect();
    assert_eq!(items, ["Pin the package", "Alert on red builds", "Keep a rollback ready"]);
    let rows: Vec<_> = o.timeline.iter().map(|r| r.time.as_str()).collect();
    assert_eq!(rows, ["09:00", "09:40"]);
    assert_eq!(o.root_cause, "A bad tag.");
    // A heading of the section's own level still ends it.
    let o = outline("## Action items\n- Pin it\n## Detection\n- An alert fired\n");
    assert_eq!(o.action_items.len(), 1);
}

#[test]
fn headings_get_unique_anchors_and_custom_ids() {
    let o = outline("# Title\n## Impact\n### Impact\n## Notes {#custom}\n");
    let anchors: Vec<_> = o.headings.iter().map(|h| h.anchor.as_str()).collect();
    assert_eq!(anchors, ["title", "impact", "impact-1", "custom"]);
    assert_eq!(o.first_heading.as_deref(), Some("Title"));
}

#[test]
fn a_first_heading_that_names_a_section_is_that_section_not_a_title() {
    let roles = |o: &Outline| o.section_spans.iter().map(|s| s.role).collect::<Vec<_>>();
    // Setext headings, as some editors write every heading.
    let o = outline("Summary\n=======\n\nPool ran dry.\n\nRoot cause\n----------\n\nA push.\n");
    assert_eq!(roles(&o), [Role::Summary, Role::Cause]);
    assert_eq!(o.first_heading, None);
    let o = outline("## Summary\n\nPool ran dry.\n");
    assert_eq!(o.first_heading, None, "no title in a section's name");
    let o = outline("# Checkout outage\n\n## Summary\n\nPool ran dry.\n");
    assert_eq!(roles(&o), [Role::Summary]);
    assert_eq!(o.first_heading.as_deref(), Some("Checkout outage"));
    // The template's word for the document, then its subject: a title.
    let o = outline("# Retrospective: Queue stalled\n\n## Summary\n\nPool ran dry.\n");
    assert_eq!(roles(&o), [Role::Summary]);
    assert_eq!(o.first_heading.as_deref(), Some("Retrospective: Queue stalled"));
    for title in ["Summary of the cache stampede", "Timeline of the March queue stall"] {
        let o = outline(&format!("# {title}\n\n## Summary\n\nPool ran dry.\n"));
        assert_eq!(o.first_heading.as_deref(), Some(title));
    }
    // A section's name and a template's words only: that section.
    let o =
        outline("# Root cause analysis\n\nA push.\n\n# Lessons learned from this incident\n\nx\n");
    assert_eq!(roles(&o), [Role::Cause, Role::Lessons]);
    assert_eq!(o.first_heading, None);
    // A section's heading saying its gist stays that section.
    let o = outline("## Root cause: an expired certificate\n\nIt expired.\n");
    assert_eq!(roles(&o), [Role::Cause]);
    assert_eq!(o.first_heading, None);
}

#[test]
fn a_bold_line_opening_a_body_without_headings_is_its_first_heading() {
    let o = outline("**Webhooks delayed**\n\n**Summary**\n\nLease lost.\n");
    assert_eq!(o.first_heading.as_deref(), Some("Webhooks delayed"));
    assert_eq!(o.first_paragraph.as_deref(), Some("Lease lost."));
    assert_eq!(o.summary_section.as_deref(), Some("Lease lost."));
    for (body, first) in [
        ("Intro.\n\n**Webhooks delayed**\n", "Intro."),
        ("**Webhooks** were late.\n", "Webhooks were late."),
        ("**Note:**\n\nLease lost.\n", "Lease lost."),
    ] {
        let o = outline(body);
        assert_eq!(o.first_heading, None, "{body}");
        assert_eq!(o.first_paragraph.as_deref(), Some(first), "{body}");
    }
}

#[test]
fn lines_holding_fields_are_no_first_paragraph() {
    let body = "Date: 2024-04-02\nSeverity: P2\n\nThe lease was lost.\n";
    let o = scan_in(body, 0..body.len(), &SectionNames::default(), "", &[0, 17]);
    assert_eq!(o.first_paragraph.as_deref(), Some("The lease was lost."));
    assert_eq!(outline(body).first_paragraph.as_deref(), Some("Date: 2024-04-02 Severity: P2"));
}

#[test]
fn wiki_link_forms() {
    let o = outline("[[a]] [[b|B]] [[c#Root Cause]] [[d#Impact|x]] [[#Timeline]]");
    let forms: Vec<_> =
        o.links.iter().map(|l| (l.target.as_str(), l.heading.as_deref(), l.has_label)).collect();
    assert_eq!(
        forms,
        [
            ("a", None, false),
            ("b", None, true),
            ("c", Some("Root Cause"), false),
            ("d", Some("Impact"), true),
            ("", Some("Timeline"), false),
        ]
    );
}

#[test]
fn a_timeline_pasted_as_a_code_block_is_read_and_other_code_is_not() {
    let body = "## Timeline\n\n```\n10:00 lag alert fires\n10:15 - report query found\n\
                ```\n\n## Root cause\n\n```\n10:00 not a timeline here\n```\n";
    let o = outline(body);
    let rows: Vec<_> = o.timeline.iter().map(|r| (r.time.as_str(), r.event.as_str())).collect();
    assert_eq!(rows, [("10:00", "lag alert fires"), ("10:15", "report query found")]);
    assert!(body[o.timeline[1].offset..].starts_with("10:15"), "each row at its line");
    // A block of anything else under Timeline stays code.
    let o = outline("## Timeline\n\n```\nSELECT * FROM t;\n10:00 alert\n```\n");
    assert!(o.timeline.is_empty());
}

/// A line after a timeline bullet that opens with a time of its own is
/// the next row, though markdown reads it as the bullet's continuation
/// (the page shows it on a line of its own); a line with no time stays on
/// the row above it.
#[test]
fn a_timeline_bullet_continued_by_a_timed_line_is_two_rows() {
    let body = "## Timeline\n\n- 14:25 UTC: restarted consumers\n14:40 UTC – lag back to zero\n\
                - 15:00 UTC: declared resolved\nafter a last check of the lag\n";
    let o = outline(body);
    let rows: Vec<_> = o.timeline.iter().map(|r| (r.time.as_str(), r.event.as_str())).collect();
    assert_eq!(
        rows,
        [
            ("14:25 UTC", "restarted consumers"),
            ("14:40 UTC", "lag back to zero"),
            ("15:00 UTC", "declared resolved after a last check of the lag"),
        ]
    );
    assert!(body[o.timeline[1].offset..].starts_with("14:40"), "each row at its line");
    // A bullet whose first line writes no row writes none, whatever follows.
    let o = outline("## Timeline\n\n- see the channel\n14:40 UTC – lag back to zero\n");
    assert!(o.timeline.is_empty(), "{:?}", o.timeline);
}

#[test]
fn a_timeline_line_wrapped_in_a_paragraph_runs_on_and_code_does_not() {
    let body = "## Timeline\n\n2018-08-22, 03:26pm: first noticed that the site was\ngiving an error.\n\
                2018-08-22, 03:40pm: certificate found expired\n\n\
                2018-08-23, 10:08am: new certificate\ninstalled by hand\n";
    let o = outline(body);
    let rows: Vec<_> = o.timeline.iter().map(|r| (r.time.as_str(), r.event.as_str())).collect();
    assert_eq!(
        rows,
        [
            ("2018-08-22 15:26", "first noticed that the site was giving an error."),
            ("2018-08-22 15:40", "certificate found expired"),
            ("2018-08-23 10:08", "new certificate installed by hand"),
        ]
    );
    // Prose that opens with no time is no row; a code block not all rows
    // is code.
    let o = outline("## Timeline\n\nWe were paged\n14:05 pager fires\n");
    assert!(o.timeline.is_empty(), "{:?}", o.timeline);
    let o = outline("## Timeline\n\n```\n14:05 ERROR pool exhausted\n  at db.connect\n```\n");
    assert!(o.timeline.is_empty(), "{:?}", o.timeline);
}

#[test]
fn an_html_table_under_timeline_or_action_items_is_read_as_a_table() {
    let body = "## Timeline\n\n<table>\n<thead><tr><th>Time (PST)</th><th>Event</th></tr></thead>\n\
        <tr><td>09:10</td><td>Backlog <b>alert</b> fires</td></tr>\n\
        <tr><td>09:40</td><td><p>Restarted;</p><ul><li>backlog drains</li></ul></td></tr>\n</table>\n\n\
        ## Action Items\n\n<table>\n<tr><th>Owner</th><th>Action</th><th>Due</th></tr>\n\
        <tr><td>lena</td><td>Renew leases from a monotonic clock</td><td>2024-06-01</td></tr>\n</table>\n\n\
        ## Impact\n\n<table><tr><th>Time</th><th>Event</th></tr><tr><td>10:00</td><td>x</td></tr></table>\n";
    let o = outline(body);
    let rows: Vec<_> = o.timeline.iter().map(|r| (r.time.as_str(), r.event.as_str())).collect();
    assert_eq!(rows, [("09:10", "Backlog alert fires"), ("09:40", "Restarted; backlog drains")]);
    // Each row points at its own `<tr`, for diagnostics.
    assert!(body[o.timeline[1].offset..].starts_with("<tr><td>09:40"));
    assert_eq!(o.timeline_zone.as_deref(), Some("PST"));
    let items: Vec<_> = o
        .action_items
        .iter()
        .map(|i| (i.action.as_str(), i.owner.as_deref(), i.due.as_deref()))
        .collect();
    assert_eq!(items, [("Renew leases from a monotonic clock", Some("lena"), Some("2024-06-01"))]);
}

#[test]
fn a_summary_written_as_bullets_is_summed_up_by_its_first() {
    let o = outline("## Summary\n\n- Reads stalled for 38 minutes.\n- Writes were fine.\n");
    assert_eq!(o.summary_item.as_deref(), Some("Reads stalled for 38 minutes."));
    assert_eq!(o.summary_section, None, "no paragraph: no title is made of it");
    let o = outline("## Summary\n\nReads stalled.\n\n- First.\n");
    assert_eq!(o.summary_section.as_deref(), Some("Reads stalled."));
}

#[test]
fn hashtags_closing_a_paragraph_are_tags_not_its_words() {
    let o = outline("#incident #certificates\n\nThe certificate expired. #tls #edge\n");
    assert_eq!(o.hashtags, ["incident", "certificates", "tls", "edge"]);
    assert_eq!(o.first_paragraph.as_deref(), Some("The certificate expired."));
    // A channel named in a sentence, a number, a heading: not tags.
    let o = outline("We talked in #ops-bridge.\n\nSee #42 and #12.\n\n# Title\n\nAsk in #help\n");
    assert!(o.hashtags.is_empty(), "{:?}", o.hashtags);
    assert_eq!(o.first_paragraph.as_deref(), Some("We talked in #ops-bridge."));
}

#[test]
fn a_day_heading_with_words_after_it_dates_the_rows_below() {
    let body = "## Timeline\n\n### October 24, 2025 — second outage\n\n- 09:12 alert fires\n\n\
                **2025-10-25: cleanup**\n\n- 10:00 cache flushed\n\n\
                ### Day 2 (2025-10-26)\n\n- 11:00 closed\n";
    let o = outline(body);
    let rows: Vec<_> = o.timeline.iter().map(|r| r.time.as_str()).collect();
    assert_eq!(rows, ["2025-10-24 09:12", "2025-10-25 10:00", "2025-10-26 11:00"]);
    // A day inside the words is what they are about: the rows keep the last.
    let o =
        outline("## Timeline\n\n### 2025-10-24\n\n### Undo the 2025-10-20 release\n\n- 09:12 x\n");
    assert_eq!(o.timeline[0].time, "2025-10-24 09:12");
}

#[test]
fn a_zone_in_the_timelines_heading_is_its_rows_zone() {
    let o =
        outline("## Timeline (all times CEST)\n\n| Time | Event |\n|---|---|\n| 10:00 | alert |\n");
    assert_eq!(o.timeline_zone.as_deref(), Some("CEST"));
    let o = outline("## Timeline (IST)\n\n- 10:00 alert\n");
    assert_eq!(o.timeline_zone.as_deref(), Some("IST"));
    // A line under the heading says it too; the first statement wins.
    let o = outline("## Timeline (UTC)\n\nAll times in CET.\n\n- 10:00 alert\n");
    assert_eq!(o.timeline_zone.as_deref(), Some("UTC"));
    assert_eq!(outline("## Timeline\n\n- 10:00 alert\n").timeline_zone, None);
}

#[test]
fn a_list_of_related_incidents_spans_to_the_next_heading_of_its_level() {
    let text = "# A\n\n## Related incidents\n\n- [[B]]\n\n### Older\n\n- [[C]]\n\n## Impact\n\n\
                y\n\n## See also\n\nz\n";
    let o = outline(text);
    let spans: Vec<&str> = o.related_spans.iter().map(|r| &text[r.clone()]).collect();
    assert_eq!(
        spans,
        ["## Related incidents\n\n- [[B]]\n\n### Older\n\n- [[C]]\n\n", "## See also\n\nz\n"]
    );
    assert!(outline("# Related\n\nx\n").related_spans.is_empty(), "a title is no list");
}

/// Whether the write-up lists its related incidents itself, under a
/// heading of any level: its page then leaves them out of its own list.
#[test]
fn a_write_up_that_lists_its_related_incidents_says_so_at_any_level() {
    assert!(outline("# A\n\n## Related incidents\n\n- [[B]]\n").lists_related);
    assert!(outline("## Impact\n\nx\n\n### 4. See also\n\n- [[B]]\n").lists_related);
    assert!(outline("# Related incidents\n\n- [[B]]\n").lists_related, "a first-level list too");
    assert!(!outline("# A\n\n## Impact\n\nRelated work on the cache.\n").lists_related);
}

#[test]
fn a_recurrence_section_spans_to_the_next_heading_of_its_level() {
    let text = "# A\n\n## Recurrence\n\nSee [[B]].\n\n### Notes\n\nx\n\n## Impact\n\ny\n\n\
                ## Has this happened before?\n\nz\n";
    let o = outline(text);
    let spans: Vec<&str> = o.recurrence_spans.iter().map(|r| &text[r.clone()]).collect();
    assert_eq!(
        spans,
        [
            "## Recurrence\n\nSee [[B]].\n\n### Notes\n\nx\n\n",
            "## Has this happened before?\n\nz\n"
        ]
    );
}
