//! Hostile input: malformed, oversized, deeply nested, binary, linked and
//! oddly named files. Each gets its diagnostic (file, line, code) and never
//! costs a good file of the same archive its page.

use crate::support::{Archive, codes};

/// Every good file of the fixture, by slug: each must keep its page.
const GOOD: &[&str] = &[
    "good-a",
    "good-b",
    "bom-crlf",
    // Lines ended by a lone carriage return.
    "cr-only",
    "matter-only",
    "control-chars",
    // `2024-01-13-支付-🔥-عطل.md`, every script written in ASCII.
    "2024-01-13-zhi-fu-fire-tl",
    "foo-bar",
    "foo-bar-2",
    "foo-bar-3",
    // `事故.md`.
    "shi-gu",
    "shared",
    "negative-duration",
    "textual-duration",
    // Slugs written as paths or in another script, made slugs (RCA016):
    // `a\b` and `a/b` both end in `b`, so the later is `b-2` (RCA018).
    "b",
    "b-2",
    "etc",
    "zhi-fu",
];

/// `(code, file, line)` for each hostile file of `tests/fixtures/hostile`.
const EXPECTED: &[(&str, &str, Option<usize>)] = &[
    ("RCA017", "content/dup-second.md", Some(5)),
    ("RCA034", "content/empty.md", None),
    ("RCA018", "content/foo-bar.md", None),
    ("RCA018", "content/foo_bar.md", None),
    ("RCA011", "content/list-severity.md", Some(4)),
    ("RCA010", "content/missing-severity.md", Some(1)),
    ("RCA015", "content/negative-duration.md", Some(5)),
    ("RCA016", "content/slug-backslash.md", Some(5)),
    ("RCA016", "content/slug-cjk.md", Some(5)),
    ("RCA016", "content/slug-dotdot.md", Some(5)),
    ("RCA016", "content/slug-slash.md", Some(5)),
    ("RCA018", "content/slug-slash.md", None),
    ("RCA015", "content/textual-duration.md", Some(5)),
    ("RCA002", "content/unclosed-matter.md", Some(1)),
    ("RCA013", "content/unknown-severity.md", Some(4)),
    ("RCA003", "content/yaml-bad-indent.md", Some(5)),
    ("RCA003", "content/yaml-tabs.md", Some(3)),
    ("RCA003", "content/yaml-unclosed-quote.md", Some(2)),
    ("RCA012", "content/yesterday.md", Some(3)),
];

fn assert_codes(
    found: &[(String, String, Option<usize>)],
    expected: &[(&str, &str, Option<usize>)],
) {
    for (code, file, line) in expected {
        assert!(
            found.iter().any(|(c, f, l)| c == code && f == file && l == line),
            "missing {code} {file}:{line:?} in {found:#?}"
        );
    }
}

#[test]
fn each_hostile_file_gets_its_diagnostic_and_good_files_their_pages() {
    let archive = Archive::fixture("hostile");
    let report = archive.build();
    let found = codes(&report);
    assert_codes(&found, EXPECTED);
    assert_eq!(found.len(), EXPECTED.len(), "{found:#?}");
    assert_eq!(report.incidents, GOOD.len());
    for slug in GOOD {
        assert!(archive.out().join(format!("incidents/{slug}/index.html")).is_file(), "{slug}");
    }
}

#[test]
fn bom_crlf_control_characters_and_scripts_render_cleanly() {
    let archive = Archive::fixture("hostile");
    archive.build();
    let crlf = archive.read("incidents/bom-crlf/index.html");
    assert!(crlf.contains("BOM and CRLF") && crlf.contains("Windows line endings."));
    assert!(!crlf.contains('\u{feff}') && !crlf.contains('\r'));
    let cr = archive.read("incidents/cr-only/index.html");
    assert!(
        cr.contains("<h1>Lone carriage returns</h1>") || cr.contains(">Lone carriage returns</h1>")
    );
    assert!(cr.contains("the classic Mac way.") && !cr.contains('\r'), "{cr}");
    let control = archive.read("incidents/control-chars/index.html");
    assert!(control.contains("Bell and [31mred[0m and NEL"), "{control}");
    assert!(!control.contains(['\x07', '\x1b', '\u{85}']));
    let intl = archive.read("incidents/2024-01-13-zhi-fu-fire-tl/index.html");
    assert!(intl.contains("🔥 支付网关 عطل في الدفع") && intl.contains("מערכת התשלומים נפלה"));
    // Terms in any script get a page of their own.
    let files = archive.output_files();
    for page in ["services/支付/index.html", "services/دفع/index.html", "tags/term/index.html"]
    {
        assert!(files.contains_key(page), "{page}: {:#?}", files.keys().collect::<Vec<_>>());
    }
}

#[test]
fn generated_pathological_files_are_refused_or_built_and_others_survive() {
    let archive = Archive::fixture("hostile");
    generated(&archive);
    let report = archive.build();
    let found = codes(&report);
    assert_codes(&found, EXPECTED);
    assert_codes(
        &found,
        &[
            ("RCA001", "content/gen/binary.md", None),
            // Not UTF-8: read as windows-1252, pointing at the first
            // character that decoding may have read wrongly, and built.
            ("RCA033", "content/gen/latin1.md", Some(2)),
            ("RCA033", "content/gen/lone-surrogate.md", Some(4)),
            ("RCA005", "content/gen/too-big.md", None),
            ("RCA003", "content/gen/yaml-nest.md", Some(5)),
            ("RCA003", "content/gen/yaml-alias.md", Some(9)),
        ],
    );
    for slug in GOOD
        .iter()
        .chain(&["huge", "quotes", "lists", "indented", "brackets", "emphasis", "table", "code"])
    {
        assert!(archive.out().join(format!("incidents/{slug}/index.html")).is_file(), "{slug}");
    }
    let code = archive.read("incidents/code/index.html");
    assert!(code.contains("let x = 1; let x = 1;"), "shown, not highlighted");
    let huge = archive.read("incidents/huge/index.html");
    assert!(huge.len() > 5 * 1024 * 1024);
}

/// The files made inside the test: binary, huge, deeply nested.
fn generated(archive: &Archive) {
    let matter =
        |title: &str| format!("---\ntitle: {title}\ndate: 2024-02-01\nseverity: P3\n---\n");
    archive.write("content/gen/binary.md", b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0");
    archive.write(
        "content/gen/latin1.md",
        b"---\ntitle: caf\xe9\ndate: 2024-01-01\nseverity: P2\n---\n",
    );
    archive.write("content/gen/lone-surrogate.md", b"---\ntitle: ok\n---\n\xed\xa0\x80\n");
    let mut huge = matter("Five megabytes");
    let line =
        "A pasted log line: connection reset by peer while reading response header from upstream\n";
    while huge.len() < 5 * 1024 * 1024 {
        huge.push_str(line);
    }
    archive.write("content/gen/huge.md", &huge);
    let mut too_big = matter("Too big");
    too_big.push_str(&"x".repeat(17 * 1024 * 1024));
    archive.write("content/gen/too-big.md", &too_big);
    archive.write(
        "content/gen/quotes.md",
        format!("{}{} deep\n", matter("Quotes"), ">".repeat(50_000)),
    );
    archive
        .write("content/gen/lists.md", format!("{}{}deep\n", matter("Lists"), "- ".repeat(20_000)));
    let mut indented = matter("Indented lists");
    for depth in 0..2_000 {
        indented.push_str(&" ".repeat(depth * 2));
        indented.push_str("- item\n");
    }
    archive.write("content/gen/indented.md", &indented);
    archive.write(
        "content/gen/brackets.md",
        format!("{}{}{}\n", matter("Brackets"), "[".repeat(50_000), "](x)".repeat(10_000)),
    );
    archive.write(
        "content/gen/emphasis.md",
        format!("{}{}x{}\n", matter("Emphasis"), "*_".repeat(30_000), "_*".repeat(30_000)),
    );
    let mut table = format!(
        "{}## Timeline\n\n|{}\n|{}\n",
        matter("Wide table"),
        " t |".repeat(5_000),
        "--|".repeat(5_000)
    );
    for _ in 0..200 {
        table.push_str(&"| 10:00 ".repeat(5_000));
        table.push_str("|\n");
    }
    archive.write("content/gen/table.md", &table);
    archive.write(
        "content/gen/code.md",
        format!("{}```rust\n{}\n```\n", matter("Long code line"), "let x = 1; ".repeat(100_000)),
    );
    archive.write(
        "content/gen/yaml-nest.md",
        format!(
            "---\ntitle: Nest\ndate: 2024-01-01\nseverity: P1\nx: {}{}\n---\n",
            "[".repeat(10_000),
            "]".repeat(10_000)
        ),
    );
    archive.write(
        "content/gen/yaml-alias.md",
        "---\ntitle: Billion laughs\ndate: 2024-01-01\nseverity: P1\na: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n---\n",
    );
}

/// See: issue #9. Each code block is bounded in size, but a document of
/// hundreds of them was not: highlighting stops at 256 KiB per document.
/// The first block past it and every later one render plain, so the file
/// still builds, in time, and always the same way.
#[test]
fn issue_9_code_past_the_highlight_budget_renders_plain() {
    let archive = Archive::fixture("basic");
    // About 40 KB per block: six fit in the budget, the seventh does not.
    let sql = "SELECT id, name FROM users WHERE name = 'x' ORDER BY id;\n".repeat(700);
    let mut doc = String::from(
        "---\ntitle: Many queries\ndate: 2024-03-01\nseverity: P3\n---\n\n```text\nplain\n```\n",
    );
    for _ in 0..10 {
        doc.push_str(&format!("\n```sql\n{sql}```\n"));
    }
    doc.push_str("\n```sql\nSELECT 1;\n```\n");
    archive.write("content/many-queries.md", &doc);
    let report = archive.build();
    assert!(codes(&report).iter().all(|(_, file, _)| file != "content/many-queries.md"));

    let page = scraper::Html::parse_document(&archive.read("incidents/many-queries/index.html"));
    let block = scraper::Selector::parse("pre.code").unwrap();
    let span = scraper::Selector::parse("span[class^=\"hl-\"]").unwrap();
    let highlighted: Vec<bool> =
        page.select(&block).map(|pre| pre.select(&span).next().is_some()).collect();
    let mut expected = vec![false]; // the text block
    expected.extend([true; 6]);
    expected.extend([false; 5]); // four large blocks, then the small one
    assert_eq!(highlighted, expected);
}
