//! Tests of the body's HTML.

use super::*;
use crate::markdown::scan;

fn render(body: &str, links: &[LinkRender], raw: bool) -> String {
    let outline = scan(body, 0..body.len(), &crate::sections::SectionNames::default());
    render_html(body, 0..body.len(), &outline, links, &[], raw, &Page::default()).html
}

fn titled(title: &str) -> Page<'_> {
    Page { title, ..Page::default() }
}

#[test]
fn a_status_updates_posting_time_keeps_its_line() {
    let html = render("**Resolved** - Drained.\nJun 18, 2024 - 17:02 UTC\n", &[], false);
    assert!(html.contains("Drained.<br />\nJun 18, 2024 - 17:02 UTC"), "{html}");
    let prose = render("The queue drained by\nJun 18, 2024 at noon.\n", &[], false);
    assert!(!prose.contains("<br"), "{prose}");
}

#[test]
fn labelled_lines_stay_lines_and_prose_runs_on() {
    let html = render("**Date:** 2024-05-09\n**Severity:** SEV3\nStatus: open\n", &[], false);
    assert_eq!(
        html,
        "<p><strong>Date:</strong> 2024-05-09<br />\n<strong>Severity:</strong> SEV3<br />\n\
         Status: open</p>\n"
    );
    // Prose, clock times and a label ending a sentence run on as written.
    for body in [
        "We saw the following:\nerrors on every call.\n",
        "14:05 paged\n14:20 rolled back\n",
        "The pool ran dry\nNote: see below\n",
        "大促前一天 22:00（北京时间）任务运行，\n统一设置：6 小时\n",
    ] {
        assert!(!render(body, &[], false).contains("<br"), "{body}");
    }
}

#[test]
fn a_header_row_of_empty_cells_is_left_out() {
    let html = render("| | |\n|---|--:|\n| Date | 2 July |\n", &[], false);
    assert!(!html.contains("<thead>") && !html.contains("<th"), "{html}");
    assert!(html.contains("<tbody>\n<tr><td>Date</td><td class=\"align-right\">2 July</td>"));
    let named = render("| Field | |\n|---|---|\n| Date | 2 July |\n", &[], false);
    assert!(named.contains("<thead><tr><th>Field</th><th></th></tr></thead>"), "{named}");
}

#[test]
fn alerts_show_their_kind_and_quotes_stay_quotes() {
    let html = render("> [!WARNING]\n> Failover drops writes.\n\n> Plain quote.\n", &[], false);
    assert_eq!(
        html,
        "<blockquote class=\"alert alert-warning\">\n<p class=\"alert-title\">Warning</p>\n\
         <p>Failover drops writes.</p>\n</blockquote>\n<blockquote>\n<p>Plain quote.</p>\n\
         </blockquote>\n"
    );
    // Raw HTML beside it is cleaned without losing the alert's classes.
    let html = render("<b>x</b>\n\n> [!NOTE]\n> Read me.\n", &[], false);
    assert!(html.contains("<blockquote class=\"alert alert-note\">"), "{html}");
    assert!(html.contains("<p class=\"alert-title\">Note</p>"), "{html}");
}

/// See #25: aligned columns carry classes (the CSP blocks `style=`),
/// and the timeline table gives way to a marker where the page draws
/// its vertical timeline, the links after it keeping their targets.
#[test]
fn issue_25_alignment_is_a_class_and_the_timeline_table_is_drawn_once() {
    let body = "## Timeline\n\n| Time | Event |\n|:--|--:|\n| 10:00 | [[a]] paged |\n\n\
                ## Impact\n\n| a | b |\n|:-:|--:|\n| 1 | 2 |\n\nSee [[b]].\n";
    let links = [
        LinkRender::Internal {
            href: "../a/index.html".into(),
            title: "A".into(),
            label_first: false,
        },
        LinkRender::Internal {
            href: "../b/index.html".into(),
            title: "B".into(),
            label_first: false,
        },
    ];
    let html = render(body, &links, false);
    assert!(!html.contains("style="), "{html}");
    assert!(html.contains("<th class=\"align-center\">a</th>"), "{html}");
    assert!(html.contains("<td class=\"align-right\">2</td>"), "{html}");
    assert_eq!(html.matches(TIMELINE_MARKER).count(), 1, "{html}");
    assert!(!html.contains("paged"), "{html}");
    assert!(html.contains("href=\"../b/index.html\">B</a>"), "{html}");
}

/// See #23: a title written as the body's `# ` heading shows once.
#[test]
fn issue_23_a_body_heading_that_is_the_title_is_not_shown_twice() {
    let body = "# Queue stall\n\nThe queue stalled.\n\n# Other\n";
    let outline = scan(body, 0..body.len(), &crate::sections::SectionNames::default());
    let html =
        render_html(body, 0..body.len(), &outline, &[], &[], false, &titled("queue stall ")).html;
    assert!(!html.contains("Queue stall"), "{html}");
    assert!(html.contains("<p>The queue stalled.</p>") && html.contains("Other"), "{html}");
    let html =
        render_html(body, 0..body.len(), &outline, &[], &[], false, &titled("Another title")).html;
    assert!(html.contains("<h1 id=\"queue-stall\">Queue stall"), "{html}");
}

#[test]
fn headings_get_ids_and_anchor_links() {
    let html = render("## Root Cause\n## Root Cause\n", &[], false);
    assert!(
        html.contains("<h2 id=\"root-cause\">Root Cause<a class=\"anchor\" href=\"#root-cause\""),
        "{html}"
    );
    assert!(html.contains("id=\"root-cause-1\""), "{html}");
}

#[test]
fn wiki_links_render_by_kind() {
    let links = [
        LinkRender::Internal {
            href: "../b/index.html".into(),
            title: "B & co".into(),
            label_first: false,
        },
        LinkRender::Internal {
            href: "../c/index.html#x".into(),
            title: "C".into(),
            label_first: false,
        },
        LinkRender::External { href: "https://rb.example/db".into() },
        LinkRender::Broken { target: "nope\"<".into() },
        LinkRender::Text,
    ];
    let html = render("[[b]] [[c#X|see C]] [[runbook-db]] [[nope]] [[2023-03-21]]", &links, false);
    assert!(html.contains(" <span>2023-03-21</span>"), "a journal day is its date: {html}");
    assert!(
        html.contains("<a class=\"wikilink\" href=\"../b/index.html\">B &amp; co</a>"),
        "{html}"
    );
    assert!(html.contains("href=\"../c/index.html#x\">see C</a>"), "{html}");
    assert!(html.contains("<a class=\"wikilink external\" href=\"https://rb.example/db\" rel=\"noopener\">runbook-db</a>"), "{html}");
    assert!(
        html.contains("<span class=\"broken-link\" title=\"Unresolved link: nope&quot;&lt;\">nope"),
        "{html}"
    );
}

#[test]
fn code_is_highlighted_with_classes_and_links_in_code_stay_text() {
    let html = render("```sql\nSELECT 1; -- [[x]]\n```\n`[[y]]`", &[], false);
    assert!(
        html.contains(
            "<pre class=\"code\" tabindex=\"0\" data-lang=\"sql\"><code><span class=\"hl-"
        ),
        "{html}"
    );
    assert!(html.contains("[[x]]") && html.contains("<code>[[y]]</code>"), "{html}");
    let plain = render("```\n<b>\n```", &[], false);
    assert!(plain.contains("<pre class=\"code\" tabindex=\"0\"><code>&lt;b&gt;"), "{plain}");
}

#[test]
fn raw_html_and_script_urls_are_sanitised_by_default() {
    let body = "<script>alert(1)</script>\n\n<b onclick=\"x()\">bold</b> [a](javascript:alert(1)) [d](data:text/html;base64,AA) ![i](data:image/svg+xml;base64,AA)";
    let html = render(body, &[], false);
    assert!(!html.contains("<script"), "{html}");
    assert!(!html.contains("onclick"), "{html}");
    assert!(!html.contains("javascript:"), "{html}");
    // Only a picture carried in an image's URL is kept (see
    // `an_image_carried_in_its_url_is_shown_and_no_other_data_url_is`).
    assert!(!html.contains("data:"), "{html}");
    assert!(html.contains("<b>bold</b>"), "{html}");
    let raw = render("<b onclick=\"x()\">bold</b>", &[], true);
    assert!(raw.contains("onclick"), "raw HTML is kept when allowed: {raw}");
}

#[test]
fn url_safety() {
    assert!(is_safe_url("https://x"));
    assert!(is_safe_url("../a/index.html"));
    assert!(is_safe_url("#top"));
    assert!(is_safe_url("page?x=a:b"));
    assert!(!is_safe_url("javascript:alert(1)"));
    assert!(!is_safe_url(" JaVa\tScript:alert(1)"));
    assert!(!is_safe_url("data:text/html,x"));
}

#[test]
fn an_image_carried_in_its_url_is_shown_and_no_other_data_url_is() {
    let png = "data:image/png;base64,iVBORw0KGgo=";
    let html = render("![graph][g]\n\n[g]: <data:image/png;base64,iVBORw0KGgo=>\n", &[], false);
    assert!(html.contains(&format!("<img src=\"{png}\" alt=\"graph\"")), "{html}");
    // Also where raw HTML in the body has the whole body cleaned.
    let html = render(&format!("<b>x</b>\n\n![graph]({png})\n"), &[], false);
    assert!(html.contains(&format!("<img src=\"{png}\" alt=\"graph\"")), "{html}");
    for unsafe_src in [
        "data:text/html;base64,PHNjcmlwdD4=",
        "data:image/svg+xml;base64,PHN2Zz4=",
        "data:image/png,raw",
        "javascript:alert(1)",
    ] {
        let html = render(&format!("![x]({unsafe_src})\n"), &[], false);
        assert!(html.contains("<img src=\"#\""), "{unsafe_src}: {html}");
        // Raw HTML beside it, cleaned, holds no other `data:` URL either.
        let raw = format!("<b>x</b> <img src=\"{unsafe_src}\"> <a href=\"{unsafe_src}\">y</a>\n");
        let html = render(&raw, &[], false);
        assert!(!html.contains(unsafe_src), "{unsafe_src}: {html}");
    }
}

/// A body's opening heading that says the title again is not shown: after
/// a comment, as an exported issue opens, and nearly the same words under
/// a label. A heading that names something else stays.
#[test]
fn a_body_heading_that_says_the_title_again_is_not_shown() {
    let render_titled = |body: &str, title: &str| {
        let outline = scan(body, 0..body.len(), &crate::sections::SectionNames::default());
        render_html(body, 0..body.len(), &outline, &[], &[], false, &titled(title)).html
    };
    let body = "<!-- exported -->\n# Incident: Checkout errors\n\nErrors.\n";
    let html = render_titled(body, "Incident: Checkout errors");
    assert!(!html.contains("<h1") && html.contains("Errors."), "{html}");
    let body = "# Postmortem: expired certificate on eu-west edge\n\nIt expired.\n";
    let html = render_titled(body, "Expired certificate on the eu-west edge load balancers");
    assert!(!html.contains("<h1") && html.contains("It expired."), "{html}");
    let html = render_titled(body, "INC-42");
    assert!(html.contains("<h1"), "another title: the heading stays: {html}");
}

#[test]
fn a_timeline_written_as_lines_keeps_its_lines() {
    // A paragraph of rows under the Timeline heading, and a row's bullet
    // continued by a line with a time of its own: each row on its line.
    let body = "## Timeline\n\n14:02 UTC broker restarted\n14:10 UTC lag alert fired\n\n\
                - 14:25 UTC consumers restarted\n14:40 UTC lag back to zero\n  and stayed there\n";
    let html = render(body, &[], false);
    assert!(html.contains("broker restarted<br />\n14:10 UTC"), "{html}");
    assert!(html.contains("consumers restarted<br />\n14:40 UTC"), "{html}");
    // A line with no time of its own goes on with the row above it.
    assert!(html.contains("lag back to zero\nand stayed there"), "{html}");
    // Outside the timeline, timed lines are prose, and run on as written.
    let prose = render("## Summary\n\nThe job ran at\n14:00 and failed.\n", &[], false);
    assert!(!prose.contains("<br"), "{prose}");
}
