//! Paths between the archive and the site: where a file a page names is
//! published under the page, read from the page's folder, never out of
//! the archive's root.

use std::path::PathBuf;

/// Where under its page an image written from the site's root is
/// published, as the page's source names it: `/assets/p99.png` at
/// `assets/p99.png`. A folder hidden by its dot (an Azure DevOps wiki's
/// `/.attachments/`) loses the dot, as static hosts skip hidden folders.
pub(crate) fn under_page(src: &str) -> String {
    let parts = src.split('/').filter(|p| !p.is_empty());
    parts.map(|p| p.trim_start_matches('.')).filter(|p| !p.is_empty()).collect::<Vec<_>>().join("/")
}

/// Characters escaped in a path written into a page: a forge link's
/// segments, an image's path under its page.
pub(crate) const URL_PATH: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}');

/// Where under its page an image is published when the page names it
/// outside its own folder: written from the site's root
/// (`/assets/p99.png` at `assets/p99.png`), or by a relative path that
/// climbs out of the page's folder (`../images/p99.png` from
/// `docs/postmortems/` at `docs/images/p99.png`, its path under the
/// archive root; a notebook's `../../_resources/a.png` at
/// `_resources/a.png`). `src` is an image's path as the scan lists it,
/// `folder` the page's folder under the content folder. `None` for an
/// image in the page's folder, which keeps its place beside the page.
pub(crate) fn image_under_page(src: &str, folder: &str, content_dir: &str) -> Option<String> {
    if src.starts_with('/') {
        return Some(under_page(src));
    }
    let file = outside_folder(src, folder, content_dir)?;
    Some(under_page(&file.to_string_lossy().replace('\\', "/")))
}

/// The path under the archive root of the file a relative image source
/// names, when it lies outside the page's folder (and inside the root);
/// `None` otherwise.
pub(crate) fn outside_folder(src: &str, folder: &str, content_dir: &str) -> Option<PathBuf> {
    let page_folder = content_folder(content_dir).join(folder);
    let file = within(&page_folder, src)?;
    (!file.starts_with(&page_folder)).then_some(file)
}

/// The content folder as a path under the root (empty for `.`).
pub(crate) fn content_folder(content_dir: &str) -> PathBuf {
    let parts = std::path::Path::new(content_dir).components();
    parts.filter(|c| matches!(c, std::path::Component::Normal(_))).collect()
}

/// `path` read from `folder` (both under the root), its `.` and `..`
/// resolved; `None` when it climbs out of the root.
pub(crate) fn within(folder: &std::path::Path, path: &str) -> Option<PathBuf> {
    let mut parts: Vec<&str> = folder.components().filter_map(|c| c.as_os_str().to_str()).collect();
    for part in path.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    (!parts.is_empty()).then(|| parts.iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_kept_outside_the_content_folder_are_published_under_the_page() {
        let at = |src: &str, folder: &str, content: &str| image_under_page(src, folder, content);
        assert_eq!(at("/assets/p99.png", "", "content").as_deref(), Some("assets/p99.png"));
        assert_eq!(at("/.attachments/a.png", "x", "docs").as_deref(), Some("attachments/a.png"));
        let docs = "docs/postmortems";
        assert_eq!(at("../images/p99.png", "", docs).as_deref(), Some("docs/images/p99.png"));
        assert_eq!(at("../../assets/a.png", "2024", "_posts").as_deref(), Some("assets/a.png"));
        assert_eq!(at("./../../img/a.png", "", docs).as_deref(), Some("img/a.png"));
        // Out of the page's folder into another of the content folder.
        assert_eq!(at("../p99.png", "2024", docs).as_deref(), Some("docs/postmortems/p99.png"));
        let notebook = at("../../_resources/a.png", "Incidents/2024", ".");
        assert_eq!(notebook.as_deref(), Some("_resources/a.png"));
        // In the page's folder, or out of the archive: not this rule's.
        for (src, folder) in
            [("p99.png", ""), ("../2024/a.png", "2024"), ("../postmortems/a.png", "")]
        {
            assert_eq!(at(src, folder, docs), None, "{src} from {folder}");
        }
        assert_eq!(at("../../../etc/x.png", "", docs), None);
        assert_eq!(at("../x.png", "", "."), None, "the content folder is the root");
        assert_eq!(at("../x.png", "", ""), None);
    }

    fn slashed(path: &std::path::Path) -> String {
        path.to_string_lossy().replace('\\', "/")
    }

    #[test]
    fn paths_are_read_from_their_folder_and_never_climb_out_of_the_root() {
        let w = |folder: &str, path: &str| {
            within(std::path::Path::new(folder), path).map(|p| slashed(&p))
        };
        assert_eq!(w("_posts", "../assets/p99.png").as_deref(), Some("assets/p99.png"));
        assert_eq!(w("content/a", "./img/x.png").as_deref(), Some("content/a/img/x.png"));
        assert_eq!(w("", "assets/x.png").as_deref(), Some("assets/x.png"));
        assert_eq!(w("content", "../../etc/passwd"), None);
        assert_eq!(w("", ".."), None);
    }
}
