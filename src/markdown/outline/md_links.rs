//! Markdown links between postmortem files (`[the outage](2023/db-outage.md)`),
//! as archives kept on GitHub or GitLab write them: the forge shows them as
//! links, and so must the site. The scan counts such a link as a link
//! between incidents, like a wiki link: it is resolved by the link stage
//! (a missing file is a warning, never a dead href), gives backlinks and
//! counts for related incidents, and renders with the target's address.
//!
//! Pure: a link's destination and the folder of the file it is written in.

use percent_encoding::percent_decode_str;

/// The file a markdown link's destination names under the content folder,
/// with a `#heading` when it has one (`2023/db-outage.md#timeline`): for a
/// relative destination whose path ends in a markdown extension, or in `/`
/// (a folder, which holds a page bundle: `2023/db-outage`). `folder`
/// is the linking file's folder under the content folder (`""` at its top).
/// A Zola internal link (`@/incidents/db-outage.md`) names its file from
/// the content folder. `None` for anything else (web addresses, absolute
/// paths, images, a path that climbs out of the content folder).
pub(super) fn markdown_link_target(dest: &str, folder: &str) -> Option<String> {
    let dest = dest.trim();
    let (dest, folder) = match dest.strip_prefix("@/") {
        Some(from_content) => (from_content, ""),
        None => (dest, folder),
    };
    if dest.is_empty() || dest.starts_with(['/', '#', '\\']) || dest.contains("://") {
        return None;
    }
    if has_scheme(dest) {
        return None;
    }
    let (path, fragment) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (dest, None),
    };
    let path = path.split('?').next().unwrap_or_default();
    let path = percent_decode_str(path).decode_utf8().ok()?;
    // A folder (`../2024-03-02-db-failover/`) names the page bundle in it.
    let folder_link = path.ends_with('/') && !path.trim_matches(['.', '/']).is_empty();
    if !folder_link && !crate::markdown::is_markdown(std::path::Path::new(path.as_ref())) {
        return None;
    }
    let mut parts: Vec<&str> = folder.split('/').filter(|p| !p.is_empty()).collect();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    let mut target = parts.join("/");
    if target.is_empty() {
        return None;
    }
    if let Some(fragment) = fragment.filter(|f| !f.is_empty()) {
        target.push('#');
        target.push_str(&percent_decode_str(fragment).decode_utf8_lossy());
    }
    Some(target)
}

/// The path an image's source names in the archive, as written
/// (`graph.png`, `../img/p99.png`, `/assets/p99.png`), its escapes undone
/// and any query or fragment dropped: `None` for an image on the web
/// (`https://…`, `//host/…`), carried in its URL (`data:`), or with no path.
pub(crate) fn archive_path(dest: &str) -> Option<String> {
    let dest = dest.trim();
    if dest.starts_with("//") || dest.starts_with('#') || dest.contains("://") {
        return None;
    }
    if has_scheme(dest) {
        return None;
    }
    let path = dest.split(['?', '#']).next().unwrap_or_default();
    let path = percent_decode_str(path).decode_utf8().ok()?;
    (!path.trim().is_empty()).then(|| path.into_owned())
}

/// True when an embed's target (`![[target]]`) names a note, not a file: it
/// has no extension (`Redis failover 2023-04`), or one of markdown's, as
/// [`crate::markdown::is_markdown`] knows them (`runbook.md#Failover`). A
/// vault shows the note's text there; the site links to it.
pub(crate) fn is_note(target: &str) -> bool {
    let path = target.split(['#', '|']).next().unwrap_or_default().trim();
    let name = path.rsplit('/').next().unwrap_or(path);
    match name.rsplit_once('.') {
        None => !name.is_empty(),
        Some((stem, ext)) => {
            stem.is_empty()
                || crate::markdown::is_markdown(std::path::Path::new(name))
                // A dot inside a title ("Postgres 15.2 upgrade") is no extension.
                || ext.contains(' ')
                || ext.bytes().all(|b| b.is_ascii_digit())
        }
    }
}

/// The sources of the `<img>` elements of a piece of raw HTML, as written
/// (`<img src="/assets/p99.png" width="600">`: markdown gives an image no
/// size, so write-ups that want one write the element).
pub(crate) fn html_image_sources(html: &str) -> Vec<String> {
    // Most raw HTML is a line break or a comment: no parse for those.
    if !html.as_bytes().windows(4).any(|w| w.eq_ignore_ascii_case(b"<img")) {
        return Vec::new();
    }
    let Ok(img) = scraper::Selector::parse("img[src]") else { return Vec::new() };
    let fragment = scraper::Html::parse_fragment(html);
    fragment.select(&img).filter_map(|e| e.value().attr("src")).map(str::to_string).collect()
}

/// True when `dest` opens with a scheme (`mailto:`, `data:`): letters
/// before a colon.
fn has_scheme(dest: &str) -> bool {
    dest.find(':').and_then(|colon| dest.get(..colon)).is_some_and(|scheme| {
        !scheme.is_empty() && scheme.chars().all(|c| c.is_ascii_alphanumeric() || c == '+')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_images_path_in_the_archive() {
        assert_eq!(archive_path("graph%20one.png?raw=true").as_deref(), Some("graph one.png"));
        assert_eq!(archive_path("/assets/p99.png#dark").as_deref(), Some("/assets/p99.png"));
        assert_eq!(archive_path("../img/x.png").as_deref(), Some("../img/x.png"));
        for elsewhere in ["https://x/a.png", "//cdn/a.png", "data:image/png;base64,x", "#top", ""] {
            assert_eq!(archive_path(elsewhere), None, "{elsewhere}");
        }
    }

    #[test]
    fn an_embed_names_a_note_or_a_file() {
        for note in
            ["Redis failover 2023-04", "a/b.md", "x.md#Root cause", "Postgres 15.2", "v1.2 rollout"]
        {
            assert!(is_note(note), "{note}");
        }
        for file in ["diagram.png", "logs/redis.log", "report.PDF", ""] {
            assert!(!is_note(file), "{file}");
        }
    }

    #[test]
    fn raw_html_images_are_found_by_parsing_it() {
        let html = "<p align=\"center\"><IMG SRC='/assets/a b.png' width=600>\n<img alt=x>\n\
                    <!-- <img src=\"commented.png\"> --><img\n  src=\"two.png\"/></p>";
        assert_eq!(html_image_sources(html), ["/assets/a b.png", "two.png"]);
        assert!(html_image_sources("<br>").is_empty());
        assert!(html_image_sources("<imgx src=\"a.png\">").is_empty());
    }

    #[test]
    fn relative_links_to_markdown_files_name_a_file_under_the_content_folder() {
        let t = |dest: &str, folder: &str| markdown_link_target(dest, folder);
        assert_eq!(t("2023/db.md", "").as_deref(), Some("2023/db.md"));
        assert_eq!(t("./db.md#timeline", "2024").as_deref(), Some("2024/db.md#timeline"));
        assert_eq!(t("../2023/db.md", "2024").as_deref(), Some("2023/db.md"));
        assert_eq!(t("My%20Outage.MD", "").as_deref(), Some("My Outage.MD"));
        assert_eq!(t("db.markdown?plain=1", "a/b").as_deref(), Some("a/b/db.markdown"));
        assert_eq!(t("../2023/db-outage/", "2024").as_deref(), Some("2023/db-outage"));
        assert_eq!(t("./bundle/#timeline", "").as_deref(), Some("bundle#timeline"));
        // Zola's internal links start from the content folder.
        assert_eq!(t("@/incidents/db.md", "2024").as_deref(), Some("incidents/db.md"));
        assert_eq!(t("@/incidents/db.md#impact", "").as_deref(), Some("incidents/db.md#impact"));
        for other in [
            "https://example.com/x.md",
            "/abs/x.md",
            "#heading",
            "mailto:a@b.md",
            "diagram.png",
            "../outside.md",
            "../",
            "./",
            "../../up/",
            "",
        ] {
            assert_eq!(t(other, ""), None, "{other}");
        }
    }
}
