//! Stage 3, link (attachments): which page each attachment is copied
//! beside. Shared by the render stage, which copies them, and by the
//! analysis that names the ones no page takes, so a file is never dropped
//! silently.
//!
//! Inputs: the incidents and the attachments the load stage listed.
//! Output: [`Placement`]s. Imports: model only; pure.
//!
//! An attachment goes beside the page of every incident of its folder (or
//! an enclosing one) whose body names its path under that folder, beside
//! the only incident of the nearest folder holding it that has incidents,
//! and beside every page that names it
//! alone in a wiki link or embed (`![[diagram.png]]`), as a vault does,
//! and beside every page showing it as an image written from the site's
//! root (`/assets/p99.png`, at `assets/p99.png` under the page; see
//! `load::images`) or by a path out of the page's folder
//! (`../shared/p99.png`, at its path in the archive under the page).
//! `index.html` never goes anywhere: the page itself wins.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::model::Incident;

/// One attachment copied beside one page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Placement {
    /// Index of the incident.
    pub incident: usize,
    /// The attachment, relative to the archive root.
    pub attachment: PathBuf,
    /// Where it goes in the site: `incidents/<slug>/<name>`.
    pub path: String,
}

/// The placements of `attachments` beside the incidents `wanted` accepts.
pub(crate) fn place(
    incidents: &[Incident],
    attachments: &[PathBuf],
    content_dir: &str,
    wanted: impl Fn(usize) -> bool,
) -> Vec<Placement> {
    if attachments.is_empty() {
        return Vec::new();
    }
    let mut by_folder: BTreeMap<&str, Vec<(usize, &Incident)>> = BTreeMap::new();
    for (i, incident) in incidents.iter().enumerate() {
        by_folder.entry(&incident.doc.source.folder).or_default().push((i, incident));
    }
    let named = Named::in_pages(incidents, &wanted, content_dir);
    let by_name = &named.by_name;
    let content_is_root =
        Path::new(content_dir).components().all(|c| matches!(c, std::path::Component::CurDir));
    // Bodies as a browser reads their links: `graph%20one.png` names
    // `graph one.png`. Borrowed where nothing is encoded.
    let bodies: Vec<std::borrow::Cow<'_, str>> = incidents
        .iter()
        .map(|i| {
            let body = &i.doc.source.text[i.doc.body.clone()];
            percent_encoding::percent_decode_str(body).decode_utf8_lossy()
        })
        .collect();
    let mut out = Vec::new();
    for rel in attachments {
        let under_content = rel.strip_prefix(content_dir).unwrap_or(rel);
        let under = under_content.to_string_lossy().replace('\\', "/");
        let name = under.rsplit('/').next().unwrap_or(&under).to_string();
        let mut placed: Vec<usize> = Vec::new();
        // An image named from the root, outside the content folder, goes
        // only where a page's source names it from the root.
        let outside = !content_is_root && rel.strip_prefix(content_dir).is_err();
        let inside = |folder: &str| {
            if outside {
                None
            } else if folder.is_empty() {
                Some(under.as_str())
            } else {
                under.strip_prefix(folder).and_then(|r| r.strip_prefix('/'))
            }
        };
        // The sole incident of a folder takes what lies under it, unless a
        // deeper folder with incidents of its own holds the file.
        let nearest = by_folder.keys().filter(|f| inside(f).is_some()).max_by_key(|f| f.len());
        for (folder, members) in &by_folder {
            let Some(inner) = inside(folder).filter(|inner| *inner != "index.html") else {
                continue;
            };
            for &(m, incident) in members.iter().filter(|&&(m, _)| wanted(m)) {
                let body = bodies.get(m).map_or("", |b| b.as_ref());
                let sole = !folder.is_empty() && members.len() == 1 && nearest == Some(folder);
                if sole || body.contains(inner) {
                    placed.push(m);
                    out.push(placement(m, incident, rel, inner));
                }
            }
        }
        if name == "index.html" {
            continue;
        }
        let shown = shown_from_outside(incidents, &named, rel, content_dir);
        for p in shown {
            // Not twice where the folder's rule put it already.
            let here = |q: &&Placement| q.attachment == *rel;
            if !out.iter().rev().take_while(here).any(|q| q.path == p.path) {
                placed.push(p.incident);
                out.push(p);
            }
        }
        for &m in by_name.get(name.as_str()).into_iter().flatten().filter(|_| !outside) {
            if placed.contains(&m) {
                continue;
            }
            if let Some(incident) = incidents.get(m) {
                placed.push(m);
                out.push(placement(m, incident, rel, &name));
            }
        }
    }
    out
}

/// The placements of the file `rel` beside the pages that show it as an
/// image kept outside their folder: written from the site's root, or by a
/// relative path out of the page's folder. It goes where the
/// page's source finds it once the page has made it relative (see
/// `model::image_under_page`, `load::images`).
fn shown_from_outside(
    incidents: &[Incident],
    named: &Named<'_>,
    rel: &Path,
    content_dir: &str,
) -> Vec<Placement> {
    let mut out = Vec::new();
    for src in root_sources(rel, content_dir) {
        let inner = crate::model::under_page(&src);
        for &m in named.from_root.get(src.as_str()).into_iter().flatten() {
            if let Some(incident) = incidents.get(m) {
                out.push(placement(m, incident, rel, &inner));
            }
        }
    }
    let inner = crate::model::under_page(&rel.to_string_lossy().replace('\\', "/"));
    for &m in named.climbing_out.get(rel).into_iter().flatten() {
        if let Some(incident) = incidents.get(m) {
            out.push(placement(m, incident, rel, &inner));
        }
    }
    out
}

/// The sources written from the site's root that name the file `rel`
/// (under the archive root): `/<rel>`, and `/<rest>` where `rel` is
/// `static/<rest>` (as Hugo and Docusaurus serve that folder) or
/// `<content_dir>/<rest>`.
fn root_sources(rel: &Path, content_dir: &str) -> Vec<String> {
    let slashed = |p: &Path| format!("/{}", p.to_string_lossy().replace('\\', "/"));
    let mut sources = vec![slashed(rel)];
    for folder in ["static", content_dir] {
        if let Ok(rest) = rel.strip_prefix(folder) {
            if !rest.as_os_str().is_empty() {
                sources.push(slashed(rest));
            }
        }
    }
    sources.sort();
    sources.dedup();
    sources
}

/// What the wanted pages name, by the name they use.
struct Named<'a> {
    /// Per wiki-link target or embed (`diagram.png`), the pages.
    by_name: BTreeMap<&'a str, Vec<usize>>,
    /// Per image source written from the site's root (`/assets/p99.png`),
    /// the pages.
    from_root: BTreeMap<&'a str, Vec<usize>>,
    /// Per file under the archive root outside the showing page's folder,
    /// the pages that show it by a relative path (`../images/p99.png`).
    climbing_out: BTreeMap<PathBuf, Vec<usize>>,
}

impl<'a> Named<'a> {
    fn in_pages(
        incidents: &'a [Incident],
        wanted: &impl Fn(usize) -> bool,
        content_dir: &str,
    ) -> Self {
        let mut by_name: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        let mut from_root: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        let mut climbing_out: BTreeMap<PathBuf, Vec<usize>> = BTreeMap::new();
        for (i, incident) in incidents.iter().enumerate().filter(|(i, _)| wanted(*i)) {
            let outline = &incident.doc.outline;
            let targets = outline.links.iter().map(|l| l.target.as_str());
            for target in targets.chain(outline.embeds.iter().map(String::as_str)) {
                by_name.entry(target).or_default().push(i);
            }
            let folder = incident.doc.source.folder.as_str();
            for (src, _) in &outline.images {
                if src.starts_with('/') {
                    from_root.entry(src.as_str()).or_default().push(i);
                }
            }
            // A link from the root may name another part of the host's
            // site: only one out of the page's folder is to an archive file.
            let images = outline.images.iter().map(|(src, _)| src);
            for src in images.chain(&outline.file_links).filter(|src| !src.starts_with('/')) {
                if let Some(file) = crate::model::outside_folder(src, folder, content_dir) {
                    climbing_out.entry(file).or_default().push(i);
                }
            }
        }
        Named { by_name, from_root, climbing_out }
    }
}

fn placement(incident: usize, of: &Incident, attachment: &Path, inner: &str) -> Placement {
    Placement {
        incident,
        attachment: attachment.to_path_buf(),
        path: format!("incidents/{}/{inner}", of.slug),
    }
}

/// The attachments no page takes: they are not published.
pub(crate) fn unplaced<'a>(
    incidents: &[Incident],
    attachments: &'a [PathBuf],
    content_dir: &str,
) -> Vec<&'a PathBuf> {
    let placed: std::collections::BTreeSet<PathBuf> =
        place(incidents, attachments, content_dir, |_| true)
            .into_iter()
            .map(|p| p.attachment)
            .collect();
    attachments.iter().filter(|a| !placed.contains(*a)).collect()
}

/// Why an attachment no page takes is not published, and what to do: a
/// write-up in another format (an archive moved from Sphinx or a word
/// processor) is no page because hindsight reads markdown; anything else
/// lacks a page beside it.
pub(crate) fn unplaced_reason(attachment: &Path) -> (String, &'static str) {
    let extension = attachment.extension().and_then(|e| e.to_str()).unwrap_or("").to_lowercase();
    const CONVERT: &str = "hindsight reads markdown (.md, .markdown): convert it (pandoc -t \
                           gfm) to make it a page, or move it beside the RCA that uses it";
    let (format, help) = match extension.as_str() {
        "txt" | "text" => (
            "plain text",
            "`hindsight import FILE` makes a page of a plain-text postmortem; or move it beside \
             the RCA that uses it",
        ),
        "rst" => ("reStructuredText", CONVERT),
        "adoc" | "asciidoc" => ("AsciiDoc", CONVERT),
        "org" => ("Org", CONVERT),
        "docx" | "doc" | "odt" | "rtf" => ("a word-processor document", CONVERT),
        _ => {
            return (
                "attachment not published: no page sits beside it or names it".to_string(),
                "move it beside the RCA that uses it, or link to it by name",
            );
        }
    };
    (format!("not a page: a write-up in {format} is not read, and no page sits beside it"), help)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{parse_document, source_from_bytes};
    use crate::validate::validate;

    #[test]
    fn write_ups_in_other_formats_are_named_as_such() {
        let (message, help) = unplaced_reason(Path::new("content/2024-outage.rst"));
        assert!(message.contains("reStructuredText") && help.contains("pandoc"), "{message}");
        let (message, help) = unplaced_reason(Path::new("content/Notes.TXT"));
        assert!(message.contains("plain text") && help.contains("hindsight import"), "{message}");
        let (message, _) = unplaced_reason(Path::new("content/graph.png"));
        assert!(message.starts_with("attachment not published"), "{message}");
    }

    fn incidents(files: &[(&str, &str)]) -> Vec<Incident> {
        let docs = files
            .iter()
            .map(|(p, body)| {
                let text = format!("---\ntitle: {p}\ndate: 2024-01-01\nseverity: P1\n---\n{body}");
                parse_document(source_from_bytes(Path::new(p), text.into_bytes()).unwrap())
                    .0
                    .unwrap()
            })
            .collect();
        validate(docs, &crate::config::Config::default(), false).incidents
    }

    /// See #23: every attachment is copied or named.
    #[test]
    fn attachments_go_beside_the_pages_that_use_them_and_the_rest_are_named() {
        let incidents = incidents(&[
            ("content/team/a.md", "See graph.png."),
            ("content/b.md", "![[diagram.png]] and [[sentinel.log]]"),
            ("content/c.md", "Nothing attached."),
        ]);
        let attachments: Vec<PathBuf> = [
            "content/team/graph.png",
            "content/attachments/diagram.png",
            "content/logs/sentinel.log",
            "content/orphan.txt",
            "content/team/index.html",
        ]
        .iter()
        .map(PathBuf::from)
        .collect();
        let mut paths: Vec<_> = place(&incidents, &attachments, "content", |_| true)
            .into_iter()
            .map(|p| p.path)
            .collect();
        paths.sort();
        assert_eq!(
            paths,
            ["incidents/a/graph.png", "incidents/b/diagram.png", "incidents/b/sentinel.log"]
        );
        let left: Vec<_> = unplaced(&incidents, &attachments, "content");
        assert_eq!(left, [&attachments[3], &attachments[4]]);
    }

    #[test]
    fn a_page_bundles_image_goes_beside_it_only() {
        // The folder above holds one write-up of its own: the bundle's
        // image, in a deeper folder with its own page, is not that one's.
        let incidents = incidents(&[
            ("content/issues/2024-05-01-plain.md", "Text."),
            ("content/issues/2024-03-05-db-failover/index.md", "![lag](lag.png)"),
            ("content/issues/2024-04-10-cdn/README.md", "No image named."),
        ]);
        let slugs: Vec<_> = incidents.iter().map(|i| i.slug.as_str()).collect();
        assert_eq!(slugs, ["2024-03-05-db-failover", "2024-04-10-cdn", "2024-05-01-plain"]);
        let paths = placed(
            &incidents,
            &["content/issues/2024-03-05-db-failover/lag.png", "content/issues/notes.txt"],
        );
        assert_eq!(
            paths,
            ["incidents/2024-03-05-db-failover/lag.png", "incidents/2024-05-01-plain/notes.txt"]
        );
    }

    #[test]
    fn a_link_with_its_spaces_encoded_names_the_file() {
        let incidents = incidents(&[
            ("content/a.md", "![graph](graph%20one.png) and [log](logs/my%20log.txt)"),
            ("content/b.md", "Nothing attached, 100% sure."),
        ]);
        let paths = placed(&incidents, &["content/graph one.png", "content/logs/my log.txt"]);
        assert_eq!(paths, ["incidents/a/graph one.png", "incidents/a/logs/my log.txt"]);
    }

    /// An archive filed by year keeps its images in a folder of their own:
    /// a page shows one by a path out of its folder (`../shared/p99.png`),
    /// and it goes under that page at its path in the archive.
    #[test]
    fn an_image_shown_from_another_folder_goes_under_the_page_that_shows_it() {
        let incidents = incidents(&[
            ("content/2024/a.md", "![p99](../shared/p99.png)"),
            ("content/2023/b.md", "Text."),
            ("content/2023/c.md", "Text."),
        ]);
        let paths = placed(&incidents, &["content/shared/p99.png"]);
        assert_eq!(paths, ["incidents/a/content/shared/p99.png"]);
    }

    /// Where the attachments go in the site, every page accepting them.
    fn placed(incidents: &[Incident], attachments: &[&str]) -> Vec<String> {
        let attachments: Vec<PathBuf> = attachments.iter().map(PathBuf::from).collect();
        place(incidents, &attachments, "content", |_| true).into_iter().map(|p| p.path).collect()
    }
}
