//! Walking the content folder: which files are markdown, which are
//! attachments, and which are left out, and why. Nothing is read but the
//! first bytes of a file whose name does not say what it is.

use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::diag::Diagnostic;
use crate::error::Result;

use super::is_markdown;

/// Folders and files of the archive itself that a content folder equal to
/// the root (`content_dir = "."`) never reads as content.
const ROOT_ARTEFACTS: &[&str] = &["public", "themes", "hindsight.toml", "target"];

/// Extensions of files a browser runs or renders with script: as
/// attachments they would run on the site's origin (stored XSS).
const ACTIVE_EXTENSIONS: &[&str] =
    &["html", "htm", "xhtml", "shtml", "svg", "svgz", "js", "mjs", "xml", "xsl", "xslt", "swf"];

/// What walking `content/` found, before any markdown file is read.
#[derive(Debug, Default)]
pub(crate) struct Walked {
    /// Markdown files, relative to the archive root, in path order.
    pub markdown: Vec<PathBuf>,
    /// Non-markdown files that can be published, relative to the root.
    pub attachments: Vec<PathBuf>,
    /// Entries that could not be read, symbolic links, unpublishable names.
    pub diagnostics: Vec<Diagnostic>,
    /// Markdown files `exclude` leaves out, relative to the root: a link
    /// to one says so rather than only that it names nothing.
    pub left_out: Vec<PathBuf>,
}

/// Lists the files of the content folder without parsing them, so `serve`
/// can re-read only the files that changed. Every file is listed as
/// markdown or as an attachment, or named by a diagnostic saying why it is
/// left out: nothing is dropped silently.
pub(crate) fn walk_content(root: &Path, config: &Config) -> Result<Walked> {
    let content = root.join(&config.content_dir);
    let mut walked = Walked::default();
    if !content.is_dir() {
        walked.diagnostics.push(super::elsewhere::no_postmortems(root, config, false));
        return Ok(walked);
    }
    let content_is_root = Path::new(&config.content_dir)
        .components()
        .all(|c| matches!(c, std::path::Component::CurDir));
    let excluded = exclude_set(&config.exclude);
    let mut skipped: Vec<Diagnostic> = Vec::new();
    let mut left_out: Vec<PathBuf> = Vec::new();
    let walker = walkdir::WalkDir::new(&content)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            if e.depth() == 0 {
                return true;
            }
            let under = e.path().strip_prefix(&content).unwrap_or(e.path());
            if content_is_root
                && e.depth() == 1
                && e.file_name().to_str().is_some_and(|n| ROOT_ARTEFACTS.contains(&n))
            {
                return false;
            }
            let rel = relative(root, e.path());
            if is_hidden(e.file_name()) {
                skipped.push(
                    Diagnostic::note("RCA008", "left out: hidden files and folders are not read")
                        .in_file(&rel),
                );
                return false;
            }
            if excluded.is_match(under) {
                if e.file_type().is_file() && is_markdown(e.path()) {
                    left_out.push(rel.clone());
                }
                skipped.push(
                    Diagnostic::note("RCA008", "left out: it matches `exclude` in hindsight.toml")
                        .in_file(&rel),
                );
                return false;
            }
            true
        });
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let path = err.path().map(|p| relative(root, p)).unwrap_or_else(|| content.clone());
                walked.diagnostics.push(
                    Diagnostic::error("RCA001", format!("cannot read this entry: {err}"))
                        .in_file(&path),
                );
                continue;
            }
        };
        let rel = relative(root, entry.path());
        // The content folder itself may be a link (`content -> ../postmortems`
        // in a monorepo): the walk starts inside it, as the owner asked.
        if entry.depth() > 0 && entry.path_is_symlink() {
            // Following links could read outside the archive or loop forever.
            walked.diagnostics.push(
                Diagnostic::warning("RCA006", "symbolic link skipped: links are not followed")
                    .in_file(&rel),
            );
            continue;
        }
        if !entry.file_type().is_file() {
            continue;
        }
        if is_markdown(entry.path()) || looks_like_markdown(entry.path()) {
            walked.markdown.push(rel);
        } else if is_active(&rel)
            && !config.allow_active_attachments
            && !is_passive_svg(entry.path())
        {
            walked.diagnostics.push(
                Diagnostic::warning(
                    "RCA025",
                    "attachment not published: a browser would run it as part of the site",
                )
                .in_file(&rel)
                .with_help(
                    "attach a screenshot or a PDF instead, or set allow_active_attachments = true \
                     if every author of the archive is trusted",
                ),
            );
        } else if publishable(&rel) {
            walked.attachments.push(rel);
        } else {
            walked.diagnostics.push(
                Diagnostic::warning(
                    "RCA007",
                    "attachment not published: its name has a character that cannot be part of a URL path",
                )
                .in_file(&rel)
                .with_help("rename it with letters, digits, `-`, `_` and `.` only"),
            );
        }
    }
    walked.diagnostics.extend(skipped);
    walked.left_out = left_out;
    if walked.markdown.is_empty() {
        walked.diagnostics.push(super::elsewhere::no_postmortems(root, config, true));
    }
    Ok(walked)
}

/// The `exclude` patterns as one matcher (the configuration has checked
/// each; one that still fails is left out rather than failing the walk).
pub(crate) fn exclude_set(patterns: &[String]) -> globset::GlobSet {
    let mut set = globset::GlobSetBuilder::new();
    for pattern in patterns {
        if let Ok(glob) = globset::GlobBuilder::new(pattern).literal_separator(false).build() {
            set.add(glob);
        }
    }
    set.build().unwrap_or_else(|_| globset::GlobSet::empty())
}

/// A file without an extension that is a postmortem all the same: text
/// that opens with front matter or a `# ` heading. Read up to 4 KiB.
fn looks_like_markdown(path: &Path) -> bool {
    if path.extension().is_some() {
        return false;
    }
    use std::io::Read;
    let mut head = [0u8; 4096];
    let Ok(mut file) = std::fs::File::open(path) else { return false };
    let Ok(n) = file.read(&mut head) else { return false };
    let Some(head) = head.get(..n) else { return false };
    is_markdown_text(head)
}

/// True when `head` (the start of a file) is text that opens with front
/// matter or, among its first lines, a `# ` heading.
fn is_markdown_text(head: &[u8]) -> bool {
    if head.contains(&0) {
        return false;
    }
    // The cut at 4 KiB may split a character: judge the valid prefix.
    let text = match std::str::from_utf8(head) {
        Ok(t) => t,
        Err(e) => match head.get(..e.valid_up_to()).map(std::str::from_utf8) {
            Some(Ok(t)) if e.error_len().is_none() => t,
            _ => return false,
        },
    };
    let mut lines = text.lines().map(str::trim_end).filter(|l| !l.trim().is_empty());
    match lines.next() {
        Some("---" | "+++") => true,
        Some(first) => std::iter::once(first).chain(lines.take(4)).any(|l| l.starts_with("# ")),
        None => false,
    }
}

/// True for names the walk skips (`.git`, editor lock files, ...).
pub(crate) fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str().is_some_and(|n| n.starts_with('.'))
}

/// An SVG drawing that cannot run anything: it parses as XML (with
/// roxmltree, not by hand) and has no `script` or `foreignObject`
/// element, no `on…` event attribute, and no link other than to a
/// fragment of itself. Such a chart is published like an image.
fn is_passive_svg(path: &Path) -> bool {
    let is_svg =
        path.extension().and_then(|e| e.to_str()).is_some_and(|e| e.eq_ignore_ascii_case("svg"));
    if !is_svg {
        return false;
    }
    let Ok(text) = std::fs::read_to_string(path) else { return false };
    is_passive_svg_text(&text)
}

/// See [`is_passive_svg`]; pure.
fn is_passive_svg_text(text: &str) -> bool {
    let options =
        roxmltree::ParsingOptions { allow_dtd: false, ..roxmltree::ParsingOptions::default() };
    let Ok(doc) = roxmltree::Document::parse_with_options(text, options) else { return false };
    doc.root_element().tag_name().name() == "svg"
        && doc.descendants().filter(roxmltree::Node::is_element).all(|node| {
            let name = node.tag_name().name().to_ascii_lowercase();
            let element_ok = !matches!(
                name.as_str(),
                "script" | "foreignobject" | "iframe" | "embed" | "object"
            );
            element_ok
                && node.attributes().all(|a| {
                    let attr = a.name().to_ascii_lowercase();
                    let value = a.value().trim_start().to_ascii_lowercase();
                    // Animations may set another attribute: never a handler
                    // or a link.
                    let animates_risky = attr == "attributename"
                        && (value.starts_with("on") || value.contains("href"));
                    let links_out = attr == "href" && !value.starts_with('#');
                    let risky = attr.starts_with("on")
                        || animates_risky
                        || links_out
                        || value.contains("javascript:");
                    !risky
                })
        })
}

/// True for files a browser would run as part of the site.
pub(super) fn is_active(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| ACTIVE_EXTENSIONS.iter().any(|a| e.eq_ignore_ascii_case(a)))
}

/// True when every part of an attachment's path can be written under the
/// output folder and linked to: UTF-8, no control characters, and none of
/// the separators or drive markers (`\\`, `:`) that mean something else on
/// some systems.
pub(super) fn publishable(rel: &Path) -> bool {
    rel.components().all(|c| match c {
        std::path::Component::Normal(part) => part.to_str().is_some_and(|p| {
            !p.is_empty() && !p.chars().any(|ch| ch.is_control() || ch == '\\' || ch == ':')
        }),
        _ => false,
    })
}

fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_without_extension_are_markdown_when_they_read_as_it() {
        assert!(is_markdown_text(b"# Queue stall\n\nThe queue stalled.\n"));
        assert!(is_markdown_text(b"---\ntitle: A\n---\n"));
        assert!(is_markdown_text(b"\n\nsome notes\n# Heading\n"));
        assert!(!is_markdown_text(b"plain log line 1\nline 2\n"));
        assert!(!is_markdown_text(b"\x89PNG\r\n\x1a\n\0\0"));
        assert!(!is_markdown_text(b""));
        // A character cut at the 4 KiB boundary does not make it binary.
        let mut cut = b"# T\n".to_vec();
        cut.extend_from_slice(&"é".as_bytes()[..1]);
        assert!(is_markdown_text(&cut));
    }

    /// See #26: an SVG chart is published; one that could run script is not.
    #[test]
    fn issue_26_only_passive_svg_is_published() {
        assert!(is_passive_svg_text(
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><title>t</title><rect width=\"1\"/><use href=\"#a\"/></svg>"
        ));
        for active in [
            "<svg onload=\"alert(1)\"/>",
            "<svg><script>alert(1)</script></svg>",
            "<svg><foreignObject><div/></foreignObject></svg>",
            "<svg xmlns:xlink=\"http://www.w3.org/1999/xlink\"><a xlink:href=\"javascript:alert(1)\"><text>x</text></a></svg>",
            "<svg><a href=\"https://evil.example\"><text>x</text></a></svg>",
            "<svg><set attributeName=\"onmouseover\" to=\"alert(1)\"/></svg>",
            "<!DOCTYPE svg [<!ENTITY x \"y\">]><svg/>",
            "<html><script/></html>",
            "not xml",
        ] {
            assert!(!is_passive_svg_text(active), "{active}");
        }
    }
}
