//! Tests of the load stage: splitting YAML, TOML and JSON front matter, errors
//! at the file's line, bounds on YAML, files without an extension, and the
//! content folder.

use super::*;
use crate::diag::LineCol;

fn doc(text: &str) -> (Option<Document>, Vec<Diagnostic>) {
    let source = source_from_bytes(Path::new("content/a.md"), text.as_bytes().to_vec()).unwrap();
    parse_document(source)
}

#[test]
fn splits_yaml_and_toml_front_matter() {
    let (d, diags) = doc("---\ntitle: A\nseverity: P1\n---\n# Body\n");
    let d = d.unwrap();
    assert!(diags.is_empty());
    assert_eq!(d.format, MatterFormat::Yaml);
    assert_eq!(d.matter["title"], "A");
    assert_eq!(&d.source.text[d.body.clone()], "# Body\n");
    assert_eq!(d.key_offsets["severity"], 13);

    let (d, _) = doc("+++\ntitle = \"B\"\nduration_minutes = 5\n+++\nbody");
    let d = d.unwrap();
    assert_eq!(d.format, MatterFormat::Toml);
    assert_eq!(d.matter["duration_minutes"], 5);
    assert_eq!(&d.source.text[d.body.clone()], "body");
}

#[test]
fn a_sites_own_tables_hold_fields_the_top_level_lacks() {
    let text = "+++\ntitle = \"B\"\nstatus = \"open\"\n[taxonomies]\nseverity = [\"P2\"]\n\
                [extra]\nstatus = \"resolved\"\nowner = \"kim\"\n+++\nbody";
    let (d, diags) = doc(text);
    let d = d.unwrap();
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(d.matter["severity"], serde_json::json!(["P2"]));
    assert_eq!(d.matter["owner"], "kim");
    // The top level's own value wins; the tables stay for templates.
    assert_eq!(d.matter["status"], "open");
    assert_eq!(d.matter["extra"]["status"], "resolved");
    assert_eq!(d.key_offsets["severity"], 45, "its line under [taxonomies]");
    let (d, _) = doc("---\ntitle: A\nparams:\n  severity: P1\n---\n");
    assert_eq!(d.unwrap().matter["severity"], "P1", "Hugo's params");
}

#[test]
fn hugo_json_front_matter_is_read_and_a_shortcode_is_not_taken_for_it() {
    let text = "{\n  \"title\": \"Queue backlog\",\n  \"tags\": [\"queue\"]\n}\n\n# Body\n";
    let (d, diags) = doc(text);
    let d = d.unwrap();
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(d.format, MatterFormat::Json);
    assert_eq!(d.matter["title"], "Queue backlog");
    assert_eq!(d.matter["tags"][0], "queue");
    assert_eq!(&d.source.text[d.body.clone()], "\n# Body\n");
    assert_eq!(d.key_offsets["tags"], text.find("\"tags").unwrap());
    // Unreadable: an error at its line, not a body.
    let (d, diags) = doc("{\n  \"title\": \"A\"\n  \"date\": 1\n}\nbody\n");
    assert!(d.is_none());
    assert_eq!((diags[0].code, diags[0].line()), ("RCA003", Some(3)));
    let (d, _) = doc("{{< figure src=\"x.png\" >}}\n\n# Title\n");
    assert_eq!(d.unwrap().format, MatterFormat::None);
}

#[test]
fn crlf_and_bom_just_work() {
    let bytes = b"\xef\xbb\xbf---\r\ntitle: A\r\n---\r\nbody\r\n".to_vec();
    let source = source_from_bytes(Path::new("content/a.md"), bytes).unwrap();
    let (d, diags) = parse_document(source);
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(d.unwrap().matter["title"], "A");
}

#[test]
fn a_yaml_block_may_close_with_dots_as_pandoc_writes_it() {
    let (d, diags) = doc("---\r\ntitle: A\r\n...\r\n# Body\r\n");
    assert!(diags.is_empty(), "{diags:?}");
    let d = d.unwrap();
    assert_eq!(d.matter["title"], "A");
    assert_eq!(&d.source.text[d.body.clone()], "# Body\r\n");
    // Only YAML: TOML has no such marker.
    let (d, diags) = doc("+++\ntitle = \"B\"\n...\nbody");
    assert!(d.is_none());
    assert_eq!(diags[0].code, "RCA002");
}

#[test]
fn an_empty_file_is_named_and_no_page() {
    for text in ["", "\n\n", " \r\n\t\n"] {
        let (d, diags) = doc(text);
        assert!(d.is_none(), "{text:?}");
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!((diags[0].code, diags[0].level), ("RCA034", crate::diag::Level::Warning));
    }
}

#[test]
fn no_front_matter_is_the_lenient_path() {
    let (d, diags) = doc("# Title\n\ntext");
    assert!(diags.is_empty());
    let d = d.unwrap();
    assert_eq!(d.format, MatterFormat::None);
    assert_eq!(d.body, 0..13);
}

#[test]
fn unclosed_front_matter_is_rca002_on_line_1() {
    let (d, diags) = doc("---\ntitle: A\nbody");
    assert!(d.is_none());
    assert_eq!(diags[0].code, "RCA002");
    assert_eq!(diags[0].line(), Some(1));
}

#[test]
fn yaml_error_points_at_the_file_line() {
    let (d, diags) = doc("---\ntitle: A\nseverity: \"P1\n---\nbody");
    assert!(d.is_none());
    assert_eq!(diags[0].code, "RCA003");
    // The unclosed quote is on line 3 of the file.
    assert!(diags[0].line().unwrap() >= 3, "{diags:?}");

    let (_, diags) = doc("---\ntitle: A\n\tseverity: P1\n---\n");
    assert_eq!(diags[0].code, "RCA003");
    assert!(diags[0].message.ends_with("(YAML indents with spaces, never tabs)"), "{diags:?}");
    assert_eq!(diags[0].line(), Some(3), "{diags:?}");

    let (d, diags) = doc("---\ntitle: A\nseverity: P1\ntitle: B\n---\n");
    assert!(d.is_none());
    assert_eq!(diags[0].code, "RCA003");
    assert!(diags[0].message.ends_with("key `title` is written twice"), "{diags:?}");
    assert_eq!(diags[0].line(), Some(4), "{diags:?}");
}

#[test]
fn yaml_values_keep_their_types() {
    let (d, diags) =
        doc("---\nn: 3\nf: 1.5\nb: true\nz: ~\nq: '7'\nm: {1: x, true: y, null: z}\n---\n");
    assert!(diags.is_empty(), "{diags:?}");
    let matter = d.unwrap().matter;
    assert_eq!(matter["n"], serde_json::json!(3));
    assert_eq!(matter["f"], serde_json::json!(1.5));
    assert_eq!(matter["b"], serde_json::json!(true));
    assert_eq!(matter["z"], serde_json::Value::Null);
    assert_eq!(matter["q"], serde_json::json!("7"), "quoted stays text");
    assert_eq!(matter["m"], serde_json::json!({"1": "x", "true": "y", "null": "z"}));
}

#[test]
fn deep_or_exploding_yaml_is_refused_before_it_is_built() {
    let deep = format!("---\ntitle: A\nx:\n{}y\n---\n", "- ".repeat(10_000));
    let (d, diags) = doc(&deep);
    assert!(d.is_none());
    assert_eq!(diags[0].code, "RCA003");
    assert!(diags[0].message.contains("nested deeper"), "{diags:?}");

    let mut laughs = String::from("---\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for n in 1..9 {
        let refs = vec![format!("*a{}", n - 1); 10].join(", ");
        laughs.push_str(&format!("a{n}: &a{n} [{refs}]\n"));
    }
    laughs.push_str("---\n");
    let (d, diags) = doc(&laughs);
    assert!(d.is_none());
    assert!(diags[0].message.contains("expands to more than"), "{diags:?}");
    assert!(diags[0].line().is_some_and(|l| l > 2), "{diags:?}");

    // Ordinary anchors still work.
    let (d, diags) = doc("---\na: &x [1, 2]\nb: *x\n---\n");
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(d.unwrap().matter["b"], serde_json::json!([1, 2]));
}

#[test]
fn toml_error_points_at_the_file_line() {
    let (_, diags) = doc("+++\ntitle = \"A\"\nseverity = \n+++\n");
    assert_eq!(diags[0].code, "RCA003");
    assert_eq!(diags[0].line(), Some(3), "{diags:?}");
}

#[test]
fn non_mapping_front_matter_is_rca004() {
    let (_, diags) = doc("---\n- a\n- b\n---\n");
    assert_eq!(diags[0].code, "RCA004");
}

/// Pandoc's title block stands in for front matter: title, authors and
/// date, each at its line, and the body starts after it.
#[test]
fn a_pandoc_title_block_is_the_files_fields() {
    let (d, diags) = doc("% Mail relay stuck\n% Ana Li; Bo Ek\n% 2023-05-09\n\n## Summary\nX.\n");
    let d = d.unwrap();
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(d.format, MatterFormat::None);
    assert_eq!(d.matter["title"], "Mail relay stuck");
    assert_eq!(d.matter["author"], "Ana Li, Bo Ek");
    assert_eq!(d.matter["date"], "2023-05-09");
    assert_eq!(d.key_offsets["date"], 35);
    assert_eq!(&d.source.text[d.body.clone()], "\n## Summary\nX.\n");
    // A field left out is `%` alone; labelled lines below it still count.
    let (d, _) = doc("% Disk full\n%\n\n**Severity:** P2\n\nThe disk filled.\n");
    let d = d.unwrap();
    assert_eq!(
        (d.matter["title"].as_str(), d.matter["severity"].as_str()),
        (Some("Disk full"), Some("P2"))
    );
    assert!(!d.matter.contains_key("author"));
    assert_eq!(d.outline.first_paragraph.as_deref(), Some("The disk filled."));
}

#[test]
fn binary_is_refused_and_other_encodings_are_read_with_a_warning() {
    let err = source_from_bytes(Path::new("content/b.md"), b"ab\0cd".to_vec()).unwrap_err();
    assert_eq!(err.code, "RCA001");
    // Latin-1 / windows-1252, as Windows tools save it.
    let source = source_from_bytes(Path::new("content/b.md"), b"ok\nx caf\xe9 \x93q\x94".to_vec());
    let source = source.unwrap();
    assert_eq!(source.text, "ok\nx café \u{201c}q\u{201d}");
    let (d, diags) = parse_document(source);
    assert!(d.is_some());
    assert_eq!(diags[0].code, "RCA033");
    assert_eq!(diags[0].level, crate::diag::Level::Warning);
    assert_eq!(diags[0].position, Some(LineCol { line: 2, column: 6 }));
    // UTF-16 with its byte-order mark, NUL bytes and all.
    let mut utf16 = vec![0xff, 0xfe];
    utf16.extend("# Café\n".encode_utf16().flat_map(u16::to_le_bytes));
    let source = source_from_bytes(Path::new("content/c.md"), utf16).unwrap();
    assert_eq!((source.text.as_str(), source.encoding), ("# Café\n", Some("UTF-16LE")));
}

#[test]
fn lines_ended_by_a_lone_carriage_return_are_lines() {
    let text = "---\rtitle: Old exporter\rseverity: P3\r---\r\r## Summary\r\rIt ran.\r\n";
    let source = source_from_bytes(Path::new("content/cr.md"), text.as_bytes().to_vec()).unwrap();
    assert_eq!(
        source.text,
        "---\ntitle: Old exporter\nseverity: P3\n---\n\n## Summary\n\nIt ran.\r\n"
    );
    let (d, diags) = parse_document(source);
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(d.unwrap().outline.sections, ["summary"]);
}

/// See #26: thousands of unclosed `<div>` lines made sanitising
/// quadratic; past the bound raw HTML is text, with a warning.
#[test]
fn issue_26_too_much_raw_html_is_named() {
    let body =
        format!("---\ntitle: A\n---\n{}", "<div>\n".repeat(crate::markdown::MAX_RAW_HTML + 1));
    let (d, diags) = doc(&body);
    assert!(d.is_some());
    assert_eq!(diags.iter().map(|d| d.code).collect::<Vec<_>>(), ["RCA027"]);
    let (_, diags) = doc(&format!("---\ntitle: A\n---\n{}", "<div>\n".repeat(10)));
    assert!(diags.is_empty());
}

#[test]
fn content_path_and_folder() {
    let s = source_from_bytes(Path::new("content/team/2024-x.md"), b"x".to_vec()).unwrap();
    assert_eq!(s.content_path, "team/2024-x");
    assert_eq!(s.folder, "team");
    assert_eq!(s.stem, "2024-x");
}

#[test]
fn a_wikis_escaped_file_name_reads_as_its_title() {
    let name = |rel: &str| source_from_bytes(Path::new(rel), b"x".to_vec()).unwrap().stem;
    assert_eq!(name("content/Postmortem-2024%2D02%2D01-Login.md"), "Postmortem-2024-02-01-Login");
    assert_eq!(name("content/Login%3A%20outage.md"), "Login: outage");
    // Not an escape, or escapes that are not UTF-8: the name as it is.
    assert_eq!(name("content/100%-cpu.md"), "100%-cpu");
    assert_eq!(name("content/x%FF.md"), "x%FF");
    // Logseq writes a namespace's `/` as three underscores.
    assert_eq!(name("pages/postmortems___2024 Flags.md"), "postmortems/2024 Flags");
}

/// YAML front matter as people write it by hand, and YAML refuses: read
/// as meant, with a warning on each mended line; what cannot be mended is
/// still an error at the line the parser stopped on.
#[test]
fn front_matter_a_hand_wrote_is_mended_to_parse() {
    let (page, diags) = doc(
        "---\ntitle: Outage: DB down for 2h\ndate: 2024-03-05\nowner: it's: odd\ntags:\n\t- db\n\t- pool\n---\nBody\n",
    );
    let page = page.expect("built");
    assert_eq!(page.matter["title"], "Outage: DB down for 2h");
    assert_eq!(page.matter["owner"], "it's: odd");
    assert_eq!(page.matter["tags"], serde_json::json!(["db", "pool"]));
    assert_eq!(page.matter["date"], "2024-03-05");
    let lines: Vec<(usize, &str)> =
        diags.iter().map(|d| (d.position.map_or(0, |p| p.line), d.code)).collect();
    assert_eq!(lines, [(2, "RCA038"), (4, "RCA038"), (6, "RCA038"), (7, "RCA038")]);
    // Keys keep their offsets, so later diagnostics point at them.
    assert_eq!(page.key_offsets["date"], "---\ntitle: Outage: DB down for 2h\n".len());
    // A mention or a name in code, as a value or a list's item.
    let (page, diags) =
        doc("---\nauthors: @joshblack\nservices:\n  - `icons`\n  - '@ok'\ndate: 2020-04-09\n---\n");
    let page = page.expect("built");
    assert_eq!(page.matter["authors"], "@joshblack");
    assert_eq!(page.matter["services"], serde_json::json!(["`icons`", "@ok"]));
    let lines: Vec<(usize, &str)> =
        diags.iter().map(|d| (d.position.map_or(0, |p| p.line), d.code)).collect();
    assert_eq!(lines, [(2, "RCA038"), (4, "RCA038")]);
    // Well-formed YAML is left alone, and broken YAML that no mending
    // saves is an error at its own line.
    let (_, diags) = doc("---\ntitle: \"Outage: DB down\"\n---\n");
    assert!(diags.is_empty(), "{diags:?}");
    let (page, diags) = doc("---\ntitle: [unclosed\ndate: x: y\n---\n");
    assert!(page.is_none());
    assert_eq!(diags.iter().map(|d| d.code).collect::<Vec<_>>(), ["RCA003"]);
}

/// A template's note to its users may open the file before the front
/// matter; a comment with no fence after it is the body's.
#[test]
fn front_matter_after_an_opening_comment_is_the_files() {
    let text = "<!-- Copy this template.\n     Keep the fields. -->\n\n---\ntitle: Pool\ndate: 2024-03-06\n---\n## Summary\nx\n";
    let (page, diags) = doc(text);
    assert!(diags.is_empty(), "{diags:?}");
    let page = page.unwrap();
    assert_eq!(page.format, MatterFormat::Yaml);
    assert_eq!(page.matter["title"], "Pool");
    assert_eq!(&text[page.body.clone()], "## Summary\nx\n");
    let (page, _) = doc("<!-- a --> <!-- b -->\n+++\ntitle = \"T\"\n+++\nBody\n");
    assert_eq!(page.unwrap().matter["title"], "T");
    // No fence after it: no front matter, and the comment stays in the body.
    let text = "<!-- note -->\n# Pool\n\n---\n\nx\n";
    let page = doc(text).0.unwrap();
    assert_eq!(page.format, MatterFormat::None);
    assert_eq!(page.body.start, 0);
    assert_eq!(
        doc("<!-- never closed\n---\ntitle: x\n---\n").0.unwrap().format,
        MatterFormat::None
    );
}

/// Blank lines before the fence, as a site's editor may leave them: Hugo
/// reads the front matter after them, and so does hindsight. A rule after
/// a blank line with no closing fence is the body's.
#[test]
fn front_matter_after_blank_lines_is_the_files() {
    let text = "\n  \n---\ntitle: Pool\ndate: 2024-03-06\n# pin: true\n---\nBody\n";
    let (page, diags) = doc(text);
    assert!(diags.is_empty(), "{diags:?}");
    let page = page.unwrap();
    assert_eq!(page.format, MatterFormat::Yaml);
    assert_eq!(page.matter["title"], "Pool");
    assert_eq!(&text[page.body.clone()], "Body\n");
    let (page, _) = doc("\n+++\ntitle = \"T\"\n+++\nBody\n");
    assert_eq!(page.unwrap().matter["title"], "T");
    let (page, diags) = doc("\n---\n\nA rule, then prose.\n");
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(page.unwrap().format, MatterFormat::None);
}

/// Thousands of mended lines are named up to a bound, in one walk of the
/// file, and the rest counted.
#[test]
fn many_mended_lines_are_named_up_to_a_bound() {
    let list: String = (0..5000).map(|i| format!("\t- t{i}\n")).collect();
    let text = format!("---\ntitle: T\ntags:\n{list}---\nBody\n");
    let (page, diags) = doc(&text);
    assert_eq!(page.expect("built").matter["tags"].as_array().map(Vec::len), Some(5000));
    assert_eq!(diags.len(), 21);
    assert_eq!(diags[0].position.map(|p| p.line), Some(4));
    assert_eq!(diags[19].position.map(|p| p.line), Some(23));
    assert!(diags[20].message.contains("4980 more lines"), "{}", diags[20].message);
}

#[test]
fn labelled_lines_under_front_matter_fill_only_the_fields_it_lacks() {
    let text = "---\ntitle: A\nseverity: P1\n---\n\n**Severity:** Sev 3 · **Services:** ledger\n\n\
                ## Summary\nStatus: prose, not a field.\n";
    let (d, _) = doc(text);
    let d = d.unwrap();
    // The front matter's severity stands; the body gives the services.
    assert_eq!(d.labelled.keys().collect::<Vec<_>>(), ["services"]);
    assert_eq!(d.labelled["services"], "ledger");
    assert_eq!(d.key_offsets["services"], text.find("**Severity").unwrap());
    assert_eq!(d.matter["severity"], "P1");
    // The line is a field, not the first paragraph.
    assert_eq!(d.outline.first_paragraph.as_deref(), Some("Status: prose, not a field."));
}
