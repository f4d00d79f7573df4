//! Bad input: every problem is a diagnostic naming the file and line, and
//! every good file of the same archive is still built.

use crate::support::{Archive, codes};
use hindsight::report::{Format, render};

fn invalid_archive() -> Archive {
    let archive = Archive::fixture("invalid");
    archive.write("content/binary.md", b"---\ntitle: x\n---\n\0\x01\x02");
    archive
        .write("content/latin1.md", b"---\ntitle: caf\xe9\ndate: 2024-01-01\nseverity: P2\n---\n");
    archive.write("content/bom-crlf.md", b"\xef\xbb\xbf---\r\ntitle: BOM and CRLF\r\ndate: 2024-01-03\r\nseverity: P4\r\n---\r\nFine.\r\n");
    archive
}

#[test]
fn every_bad_file_is_reported_with_file_and_line() {
    let archive = invalid_archive();
    let report = archive.build();
    let found = codes(&report);
    let expect = [
        ("RCA003", "content/bad-quote.md", Some(2)),
        ("RCA012", "content/bad-date.md", Some(3)),
        ("RCA003", "content/bad-toml.md", Some(3)),
        ("RCA001", "content/binary.md", None),
        ("RCA017", "content/dup-b.md", Some(5)),
        ("RCA034", "content/empty.md", None),
        ("RCA016", "content/escaping-slug.md", Some(5)),
        ("RCA030", "content/good-one.md", Some(8)),
        ("RCA040", "content/good-two.md", Some(11)),
        ("RCA033", "content/latin1.md", Some(2)),
        ("RCA004", "content/list-matter.md", Some(1)),
        ("RCA011", "content/list-severity.md", Some(4)),
        ("RCA010", "content/missing-date.md", Some(1)),
        ("RCA015", "content/negative-duration.md", Some(5)),
        ("RCA020", "content/notes.md", None),
        ("RCA012", "content/notes.md", None),
        ("RCA003", "content/tabs.md", Some(3)),
        ("RCA002", "content/unclosed.md", Some(1)),
        ("RCA013", "content/unknown-severity.md", Some(4)),
    ];
    for (code, file, line) in expect {
        assert!(
            found.iter().any(|(c, f, l)| c == code && f == file && *l == line),
            "missing {code} {file}:{line:?} in {found:#?}"
        );
    }
    assert_eq!(found.len(), expect.len(), "{found:#?}");
    assert_eq!(report.diagnostics.errors(), 13);
}

#[test]
fn good_files_still_build_beside_bad_ones() {
    let archive = invalid_archive();
    let report = archive.build();
    // good-one, good-two, dup-a, bom-crlf, negative-duration (optional field
    // dropped), latin1 (read as windows-1252), escaping-slug (its slug
    // "../../etc" made `etc`, inside the site like every page)
    assert_eq!(report.incidents, 7);
    let slugs = ["good-one", "good-two", "dup", "bom-crlf", "negative-duration", "latin1", "etc"];
    for slug in slugs {
        assert!(archive.out().join(format!("incidents/{slug}/index.html")).is_file(), "{slug}");
    }
    let broken = archive.read("incidents/good-one/index.html");
    assert!(
        broken.contains("<span class=\"broken-link\" title=\"Unresolved link: nowhere-at-all\">")
    );
    assert!(!broken.contains("href=\"../nowhere-at-all"), "never a dead href");
    assert!(!archive.root().join("etc").exists() && !archive.out().join("etc").exists());
    assert!(archive.read("incidents/latin1/index.html").contains("café"));
}

#[test]
fn diagnostics_snapshot() {
    let archive = invalid_archive();
    let report = archive.build();
    let sorted = report.diagnostics.sorted();
    insta::assert_snapshot!(render(&sorted, Format::Human, false));
}
