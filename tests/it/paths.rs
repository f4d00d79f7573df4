//! Safe paths: no slug, service, tag, attachment name or configuration
//! value makes a build read or write outside the archive and its output.

use std::collections::BTreeSet;
use std::path::Path;

use crate::support::{Archive, codes, read_tree};

const ESCAPES: &[&str] = &[
    "../../etc",
    "..",
    ".",
    "/etc/passwd",
    "a\\\\..\\\\..\\\\b",
    "C:\\\\Windows",
    "%2e%2e%2fx",
    "index",
    "con",
    "",
    "DB",
    "db",
    "d/b",
];

fn names(list: &[&str]) -> String {
    list.iter().map(|s| format!("\"{s}\"")).collect::<Vec<_>>().join(", ")
}

#[test]
fn term_names_cannot_leave_their_folder_and_never_share_a_page() {
    let archive = Archive::fixture("basic");
    let list = names(ESCAPES);
    archive.write(
        "content/escape.md",
        format!(
            "---\ntitle: Escape\ndate: 2024-02-02\nseverity: P2\nservices: [{list}]\ntags: [{list}]\n---\nBody.\n"
        ),
    );
    let report = archive.build();
    assert!(archive.out().join("incidents/escape/index.html").is_file(), "{:?}", codes(&report));
    let files = archive.output_files();
    for path in files.keys() {
        assert!(
            path.split('/').all(|p| !p.is_empty() && p != ".." && p != "." && !p.contains('\\')),
            "{path}"
        );
    }
    // One page per distinct non-empty name, each in its own folder; "DB"
    // and "db" are one name written two ways.
    let distinct = ESCAPES.iter().filter(|s| !s.trim().is_empty()).count() - 1;
    for kind in ["services", "tags"] {
        let pages: Vec<_> = files
            .keys()
            .filter(|p| {
                p.starts_with(&format!("{kind}/"))
                    && p.matches('/').count() == 2
                    && p.ends_with("/index.html")
            })
            .collect();
        let escape_pages = pages
            .iter()
            .filter(|p| String::from_utf8_lossy(&files[**p]).contains("Escape"))
            .count();
        assert_eq!(escape_pages, distinct, "{kind}: {pages:#?}");
    }
    // Nothing was written inside the archive outside `public/`.
    let root_entries: BTreeSet<String> = std::fs::read_dir(archive.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(root_entries, ["content", "hindsight.toml", "public"].map(String::from).into());
}

#[test]
fn odd_attachment_names_are_skipped_with_a_warning_and_cannot_replace_pages() {
    let archive = Archive::fixture("basic");
    archive.write(
        "content/att/rca.md",
        "---\ntitle: Att\ndate: 2024-02-03\nseverity: P3\n---\n![g](graph.png) [log](log:12.txt)\n",
    );
    archive.write("content/att/graph.png", b"\x89PNG");
    archive.write("content/att/log:12.txt", "colon");
    archive.write("content/att/back\\slash.txt", "backslash");
    archive.write("content/att/bell\x07.txt", "control");
    archive.write("content/att/index.html", "<script>alert(1)</script>");
    archive.write("content/att/.hidden", "hidden");
    let report = archive.build();
    let found = codes(&report);
    for name in ["log:12.txt", "back\\slash.txt", "bell\x07.txt"] {
        let file = format!("content/att/{name}");
        assert!(
            found.iter().any(|(c, f, _)| c == "RCA007" && *f == file.replace('\\', "/")),
            "{name}: {found:#?}"
        );
    }
    let files = archive.output_files();
    assert!(files.contains_key("incidents/rca/graph.png"));
    let page = archive.read("incidents/rca/index.html");
    assert!(page.contains("<h1") && !page.contains("alert(1)"), "the page stays the page");
    for path in files.keys() {
        assert!(!path.contains(':') && !path.contains('\\') && !path.contains('\x07'), "{path}");
        assert!(!path.contains(".hidden"), "{path}");
    }
}

#[test]
fn symlinks_are_never_followed_in_or_out_of_content() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("secret.md"),
        "---\ntitle: SECRET-OUTSIDE\ndate: 2024-01-01\nseverity: P1\n---\nSECRET\n",
    )
    .unwrap();
    std::fs::write(outside.path().join("secret.png"), "SECRET-BYTES").unwrap();
    let archive = Archive::fixture("basic");
    let plain = archive.build().incidents;
    let content = archive.root().join("content");
    #[cfg(unix)]
    {
        use std::os::unix::fs::symlink;
        symlink(outside.path().join("secret.md"), content.join("link-out.md")).unwrap();
        symlink(outside.path().join("secret.png"), content.join("link-out.png")).unwrap();
        symlink(outside.path(), content.join("dir-out")).unwrap();
        symlink(&content, content.join("loop")).unwrap();
        symlink("self-loop.md", content.join("self-loop.md")).unwrap();
        symlink("nowhere.md", content.join("dangling.md")).unwrap();
    }
    let report = archive.build();
    let found = codes(&report);
    for name in ["link-out.md", "link-out.png", "dir-out", "loop", "self-loop.md", "dangling.md"] {
        assert!(
            found.iter().any(|(c, f, _)| c == "RCA006" && *f == format!("content/{name}")),
            "{name}: {found:#?}"
        );
    }
    for (path, bytes) in read_tree(&archive.out()) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("SECRET"), "{path} leaks a linked file");
    }
    // The fixture's own incidents are all still built.
    assert_eq!(report.incidents, plain);
}

/// The content folder itself may be a link, as in a monorepo where
/// `content -> ../docs/postmortems`: the owner chose it, so it is read and
/// not named as a link skipped; links inside it still are not followed.
#[cfg(unix)]
#[test]
fn a_content_folder_that_is_a_link_is_read() {
    let archive = Archive::fixture("basic");
    let plain = archive.build().incidents;
    let real = archive.root().join("postmortems");
    std::fs::rename(archive.root().join("content"), &real).unwrap();
    std::os::unix::fs::symlink("postmortems", archive.root().join("content")).unwrap();
    std::os::unix::fs::symlink("nowhere.md", real.join("dangling.md")).unwrap();
    let report = archive.build();
    assert_eq!(report.incidents, plain);
    let found = codes(&report);
    let links: Vec<_> = found.iter().filter(|(c, _, _)| c == "RCA006").collect();
    assert_eq!(links.len(), 1, "{found:#?}");
    assert_eq!(links[0].1, "content/dangling.md");
}

#[test]
fn theme_names_that_escape_are_refused_by_the_config() {
    for theme in ["../x", "/etc", "a/b", "..", "a\\\\b", ""] {
        let text = format!("theme = \"{theme}\"\n");
        let err = hindsight::Config::parse(&text, Path::new("hindsight.toml")).unwrap_err();
        assert!(err.to_string().contains("theme"), "{theme}: {err}");
    }
}

#[test]
fn output_inside_the_sources_is_refused() {
    let archive = Archive::fixture("basic");
    let site = hindsight::Site::open(archive.root()).unwrap();
    for out in ["content", "content/x", ".", "themes/default", "content/../content"] {
        let options = hindsight::BuildOptions {
            output: Some(archive.root().join(out)),
            ..Default::default()
        };
        assert!(site.build(&options).is_err(), "{out}");
    }
    assert!(archive.root().join("content").is_dir());
}

/// Images a write-up names from the site's root (as Jekyll, Hugo,
/// Docusaurus and wikis keep them, in one folder outside the posts) are
/// published beside the page; an image that names no file the site
/// publishes is named at its line (RCA037). No source reads outside the
/// archive or through a link.
#[test]
fn images_named_from_the_root_are_published_and_missing_ones_named() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.png"), "SECRET-BYTES").unwrap();
    let archive = Archive::fixture("basic");
    archive.write("assets/p99.png", "P99");
    archive.write("static/img/lag.png", "LAG");
    archive.write(".attachments/flow.png", "FLOW");
    archive.write("assets/tool.svg", "<svg onload=\"x()\"/>");
    archive.write("elsewhere.png", "ELSEWHERE");
    #[cfg(unix)]
    std::os::unix::fs::symlink(outside.path().join("secret.png"), archive.root().join("link.png"))
        .unwrap();
    archive.write(
        "content/2024-09-09-images.md",
        "---\ntitle: Images\ndate: 2024-09-09\nseverity: P3\n---\nThe pictures.\n\n\
         ![p99](/assets/p99.png)\n![lag](/img/lag.png)\n![flow](/.attachments/flow.png)\n\
         ![pasted](data:image/png;base64,iVBORw0KGgo=)\n![web](https://example.com/x.png)\n\
         ![beside](graph.png)\n\
         ![gone](/assets/gone.png)\n![out](../elsewhere.png)\n![escape](/../../etc/x.png)\n\
         ![link](/link.png)\n![tool](/assets/tool.svg)\n![typo](grpah.png)\n",
    );
    let report = archive.build();
    let page = "incidents/2024-09-09-images";
    let files = archive.output_files();
    for (path, bytes) in [
        ("assets/p99.png", "P99"),
        ("img/lag.png", "LAG"),
        ("attachments/flow.png", "FLOW"),
        ("elsewhere.png", "ELSEWHERE"),
    ] {
        assert_eq!(
            files.get(&format!("{page}/{path}")).map(Vec::as_slice),
            Some(bytes.as_bytes()),
            "{path}"
        );
    }
    let html = archive.read(&format!("{page}/index.html"));
    for src in [
        "assets/p99.png",
        "img/lag.png",
        "attachments/flow.png",
        "data:image/png;base64,",
        "elsewhere.png",
    ] {
        assert!(html.contains(&format!("<img src=\"{src}")), "{src}: {html}");
    }
    for (path, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        assert!(!text.contains("SECRET"), "{path}");
        assert!(!path.ends_with("tool.svg"), "{path}");
    }
    let found: Vec<_> = codes(&report)
        .into_iter()
        .filter(|(c, f, _)| c == "RCA037" && f == "content/2024-09-09-images.md")
        .map(|(_, _, line)| line)
        .collect();
    assert_eq!(found, [Some(14), Some(16), Some(17), Some(18), Some(19)], "{report:#?}");
}

/// An archive kept on a forge, its postmortems in `docs/postmortems/` and
/// their pictures in a shared `docs/images/` the forge shows through
/// `../images/…`, some written as `<img>` elements to give them a width:
/// every picture is published with its page, raw HTML or not, and one
/// that names no file is named at its line.
#[test]
fn images_in_a_shared_folder_and_in_raw_html_are_published() {
    let archive = Archive::dir_with(&[]);
    archive.write("hindsight.toml", "title = \"Forge\"\ncontent_dir = \"docs/postmortems\"\n");
    archive.write("docs/images/p99.png", "P99");
    archive.write("docs/images/lag chart.png", "LAG");
    archive.write("assets/flow.png", "FLOW");
    archive.write("docs/images/tool.svg", "<svg onload=\"x()\"/>");
    archive.write(
        "docs/postmortems/2024/2024-03-05-queue.md",
        "---\ntitle: Queue stall\ndate: 2024-03-05\nseverity: P2\n---\n\
         ## Impact\n\n![p99](../../images/p99.png)\n\n\
         <p align=\"center\"><img src=\"../../images/lag%20chart.png\" width=\"600\" \
         alt=\"lag\"></p>\n\n\
         Inline <img src=\"/assets/flow.png\" alt=\"flow\" width=\"300\"> too.\n\n\
         <img src=\"../../images/gone.png\" alt=\"gone\">\n\n\
         <img src=\"../../images/tool.svg\" alt=\"tool\">\n",
    );
    let report = archive.build();
    let page = "incidents/2024-03-05-queue";
    let files = archive.output_files();
    for (path, bytes) in [
        ("docs/images/p99.png", "P99"),
        ("docs/images/lag chart.png", "LAG"),
        ("assets/flow.png", "FLOW"),
    ] {
        let at = format!("{page}/{path}");
        assert_eq!(files.get(&at).map(Vec::as_slice), Some(bytes.as_bytes()), "{at}");
    }
    assert!(!files.keys().any(|p| p.ends_with("tool.svg")), "an active file is never published");
    let html = archive.read(&format!("{page}/index.html"));
    for src in ["docs/images/p99.png", "docs/images/lag%20chart.png", "assets/flow.png"] {
        assert!(html.contains(&format!("<img src=\"{src}\"")), "{src}: {html}");
    }
    assert!(html.contains("width=\"600\""), "the element keeps its width: {html}");
    let found: Vec<_> = codes(&report)
        .into_iter()
        .filter(|(c, _, _)| c == "RCA037")
        .map(|(_, file, line)| (file, line))
        .collect();
    let file = "docs/postmortems/2024/2024-03-05-queue.md".to_string();
    assert_eq!(found, [(file.clone(), Some(14)), (file, Some(16))], "{report:#?}");
}

/// An archive filed by year, its images and logs in a folder of their own
/// inside the content folder: a page shows and links them by a path out of
/// its folder (`../shared/…`), and each goes under the page that names it,
/// where the page's image and link now point. Neither is named as an
/// attachment no page takes.
#[test]
fn files_shown_or_linked_from_another_folder_of_the_archive_are_published() {
    let archive = Archive::dir_with(&[]);
    archive.write("content/shared/p99.png", "P99");
    archive.write("content/shared/run one.log", "LOG");
    archive.write(
        "content/2024/2024-03-05-queue.md",
        "---\ntitle: Queue stall\ndate: 2024-03-05\nseverity: P2\n---\n\
         ![p99](../shared/p99.png) and [the log](../shared/run%20one.log#L4).\n",
    );
    archive.write(
        "content/2023/2023-01-01-other.md",
        "---\ntitle: Other\ndate: 2023-01-01\nseverity: P3\n---\nNothing shown.\n",
    );
    let report = archive.build();
    let files = archive.output_files();
    let page = "incidents/2024-03-05-queue";
    for (path, bytes) in [("content/shared/p99.png", "P99"), ("content/shared/run one.log", "LOG")]
    {
        let at = format!("{page}/{path}");
        assert_eq!(files.get(&at).map(Vec::as_slice), Some(bytes.as_bytes()), "{at}");
    }
    let html = archive.read(&format!("{page}/index.html"));
    assert!(html.contains("<img src=\"content/shared/p99.png\""), "{html}");
    assert!(html.contains("<a href=\"content/shared/run%20one.log\">the log</a>"), "{html}");
    let unplaced: Vec<_> = codes(&report).into_iter().filter(|(c, _, _)| c == "RCA024").collect();
    assert!(unplaced.is_empty(), "{unplaced:?}");
}

/// Thousands of images the site cannot show, in one file: each named at
/// its own line, found in one walk of the file (each line was once found
/// by a walk of its own, a second for twenty thousand).
#[test]
fn every_missing_image_of_a_long_file_is_named_at_its_line() {
    let archive = Archive::fixture("basic");
    let images: String = (0..2000).map(|k| format!("![chart](missing-{k}.png)\n\n")).collect();
    let text = format!(
        "---\ntitle: Charts\ndate: 2024-09-10\nseverity: P3\nservices: [api]\n---\n{images}"
    );
    archive.write("content/2024-09-10-charts.md", text);
    let report = archive.build();
    let lines: Vec<Option<usize>> = codes(&report)
        .into_iter()
        .filter(|(c, f, _)| c == "RCA037" && f == "content/2024-09-10-charts.md")
        .map(|(_, _, line)| line)
        .collect();
    let expected: Vec<Option<usize>> = (0..2000).map(|k| Some(7 + 2 * k)).collect();
    assert_eq!(lines, expected);
}
