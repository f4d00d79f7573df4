//! Postmortems outside the content folder: where the markdown of a folder
//! is, and the warning a build gives when its content folder is missing or
//! holds no markdown while other folders do. An archive written for
//! another tool keeps its write-ups in `data/`, `_posts/` or at the root;
//! built as it is, it would make an empty site and say nothing.
//!
//! Inputs: the archive root and [`Config`]. Outputs: markdown paths, a
//! likely content folder, a [`Diagnostic`]. `adopt` uses the same two
//! finders to suggest a configuration.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::diag::Diagnostic;

use super::{is_hidden, is_markdown};

/// Folders never searched for postmortems: build output, dependencies.
const NOT_CONTENT: &[&str] = &["public", "target", "node_modules", "themes", "vendor", "_site"];

/// How many entries the search for markdown outside an empty content folder
/// reads at most: a root pointed at a home folder by mistake must not make
/// the warning take minutes.
const LOOK_AROUND_LIMIT: usize = 100_000;

/// Markdown files under `root`, relative to it, in path order, leaving out
/// hidden folders and build output; at most `limit` entries are read.
///
/// A folder linked at the root (`content -> ../docs/postmortems` in a
/// monorepo) is searched too: named as the content folder, the load stage
/// reads it, so its markdown is the archive's. Links deeper down are not
/// followed, as the load stage does not follow them.
pub(crate) fn markdown_files(root: &Path, limit: usize) -> Vec<PathBuf> {
    let mut found = markdown_under(root, root, limit);
    let linked_folders = std::fs::read_dir(root).into_iter().flatten().flatten().filter(|e| {
        e.file_type().is_ok_and(|t| t.is_symlink()) && e.path().is_dir() && searched(&e.file_name())
    });
    let mut linked: Vec<PathBuf> = linked_folders.map(|e| e.path()).collect();
    linked.sort();
    for folder in linked {
        let left = limit.saturating_sub(found.len());
        found.extend(markdown_under(root, &folder, left));
    }
    found.sort();
    found
}

/// Whether a folder of this name may hold postmortems.
fn searched(name: &std::ffi::OsStr) -> bool {
    !(is_hidden(name) || name.to_str().is_some_and(|n| NOT_CONTENT.contains(&n)))
}

/// Markdown files under `folder`, relative to `root`, links not followed.
fn markdown_under(root: &Path, folder: &Path, limit: usize) -> Vec<PathBuf> {
    walkdir::WalkDir::new(folder)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || searched(e.file_name()))
        .take(limit)
        .filter_map(std::result::Result::ok)
        .filter(|e| e.file_type().is_file() && is_markdown(e.path()))
        .filter_map(|e| e.path().strip_prefix(root).ok().map(Path::to_path_buf))
        .collect()
}

/// Where the postmortems are: `content/` or Jekyll's `_posts/` when they
/// hold markdown, else the deepest folder holding at least four in five
/// of the markdown files (`.` for a vault of notes).
pub(crate) fn likely_content_dir(markdown: &[PathBuf]) -> String {
    for known in ["content", "_posts"] {
        if markdown.iter().any(|p| p.starts_with(known)) {
            return known.to_string();
        }
    }
    // The site's own pages (a readme or home page at the top, a wiki's
    // page for a folder of pages) are no postmortems: they do not count.
    let folders: std::collections::HashSet<&Path> =
        markdown.iter().filter_map(|p| p.parent()).collect();
    let postmortems: Vec<&PathBuf> =
        markdown.iter().filter(|p| !is_site_page(p, &folders)).collect();
    let markdown: Vec<&PathBuf> =
        if postmortems.is_empty() { markdown.iter().collect() } else { postmortems };
    let total = markdown.len();
    let mut counts: BTreeMap<PathBuf, usize> = BTreeMap::new();
    for path in markdown {
        let mut dir = path.parent();
        while let Some(d) = dir.filter(|d| !d.as_os_str().is_empty()) {
            *counts.entry(d.to_path_buf()).or_default() += 1;
            dir = d.parent();
        }
    }
    let deepest = counts
        .into_iter()
        .filter(|(_, n)| *n * 5 >= total * 4 && total > 0)
        .max_by_key(|(d, _)| (d.components().count(), std::cmp::Reverse(d.clone())))
        .map(|(d, _)| d);
    // An archive filed by year (`postmortems/2024/…`) gets a folder for
    // the next year: the content folder is the one above the years, or
    // next year's write-ups would be left outside it.
    let mut dir = deepest.unwrap_or_default();
    while dir.file_name().and_then(|n| n.to_str()).is_some_and(is_period_folder) {
        dir.pop();
    }
    if dir.as_os_str().is_empty() {
        ".".to_string()
    } else {
        dir.to_string_lossy().replace('\\', "/")
    }
}

/// True for a page of the site around the postmortems: one of
/// [`crate::model::site_page`] at the top (`README.md`, `Home.md`,
/// `SUMMARY.md`, `_Sidebar.md`), or a wiki's page for
/// a folder of pages, named as the folder beside it (Azure DevOps and
/// GitLab keep `Postmortems.md` beside `Postmortems/`). `folders` holds
/// every folder that has markdown in it.
fn is_site_page(path: &Path, folders: &std::collections::HashSet<&Path>) -> bool {
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
    let at_top = path.parent().is_none_or(|p| p.as_os_str().is_empty());
    (at_top && crate::model::site_page(stem).is_some())
        || folders.contains(path.with_extension("").as_path())
}

/// A folder named for a year or a part of one: `2024`, `2024-q1`,
/// `2024_03`, `Q3`, `H1`.
fn is_period_folder(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let year = |s: &str| {
        s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()) && s.starts_with(['1', '2'])
    };
    let part = |s: &str| {
        let s = s.trim_start_matches(['-', '_', ' ']);
        let digits =
            |t: &str| !t.is_empty() && t.len() <= 2 && t.bytes().all(|b| b.is_ascii_digit());
        s.is_empty()
            || digits(s)
            || s.strip_prefix('q').is_some_and(|q| matches!(q, "1" | "2" | "3" | "4"))
            || s.strip_prefix('h').is_some_and(|h| matches!(h, "1" | "2"))
    };
    match lower.get(..4) {
        Some(head) if year(head) => lower.get(4..).is_some_and(part),
        _ => !lower.is_empty() && !lower.bytes().all(|b| b.is_ascii_digit()) && part(&lower),
    }
}

/// The warning for a content folder that gave no markdown file: it is
/// missing, or it holds none. When markdown lies elsewhere under the root,
/// the help names where, and the setting that would read it.
pub(super) fn no_postmortems(root: &Path, config: &Config, exists: bool) -> Diagnostic {
    let folder = config.content_dir.trim_end_matches('/');
    let shown = if folder == "." { "the archive root".to_string() } else { format!("`{folder}/`") };
    let message = if exists {
        format!("no postmortems: {shown} holds no markdown file, so the site has no incidents")
    } else {
        format!("no content folder: {shown} does not exist, so the site has no incidents")
    };
    let elsewhere = markdown_files(root, LOOK_AROUND_LIMIT);
    let help = if elsewhere.is_empty() {
        "write one with `hindsight new \"Title\"`, or point --root at the archive".to_string()
    } else {
        let dir = likely_content_dir(&elsewhere);
        let count = elsewhere.len();
        let files = if count == 1 { "markdown file is" } else { "markdown files are" };
        let place = if dir == "." {
            "spread over the archive root and its folders".to_string()
        } else {
            format!("elsewhere under the root, most under `{dir}/`")
        };
        format!(
            "{count} {files} {place}: set content_dir = \"{dir}\" in hindsight.toml, or run \
             `hindsight adopt` to suggest a configuration for them"
        )
    };
    Diagnostic::warning("RCA028", message).in_file(Path::new(folder)).with_help(help)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(ps: &[&str]) -> Vec<PathBuf> {
        ps.iter().map(PathBuf::from).collect()
    }

    #[test]
    fn the_content_folder_is_found_by_convention_or_by_share() {
        let guess = |ps: &[&str]| likely_content_dir(&paths(ps));
        assert_eq!(guess(&["_posts/a.md", "index.md", "about.md"]), "_posts");
        assert_eq!(guess(&["content/x/a.md", "README.md"]), "content");
        assert_eq!(guess(&["README.md", "pm/a.md", "pm/b.md", "pm/c.md", "pm/d.md"]), "pm");
        assert_eq!(
            guess(&[
                "docs/index.md",
                "docs/pm/a.md",
                "docs/pm/b.md",
                "docs/pm/c.md",
                "docs/pm/d.md"
            ]),
            "docs/pm"
        );
        assert_eq!(guess(&["a.md", "b.md", "x/c.md", "y/d.md"]), ".");
        assert_eq!(guess(&[]), ".");
        // The site's own pages do not count: a blog's readme, a wiki's home
        // page and its page for the folder of postmortems.
        assert_eq!(guess(&["README.md", "blog/a.mdx", "blog/b.md", "blog/c/index.mdx"]), "blog");
        let wiki = [
            "Home.md",
            "Postmortems.md",
            "Postmortems/a.md",
            "Postmortems/b.md",
            "Postmortems/c.md",
        ];
        assert_eq!(guess(&wiki), "Postmortems");
        assert_eq!(guess(&["README.md"]), ".");
        // Filed by year, or by quarter under a year: the folder above them.
        let by_year = [
            "docs/index.md",
            "docs/pm/2024/a.md",
            "docs/pm/2024/b.md",
            "docs/pm/2024/c.md",
            "docs/pm/2024/d.md",
        ];
        assert_eq!(guess(&by_year[..]), "docs/pm");
        assert_eq!(guess(&["pm/2024/q1/a.md", "pm/2024/q1/b.md", "pm/2024/q1/c.md"]), "pm");
        assert_eq!(guess(&["2023/a.md", "2023/b.md"]), ".");
        for period in ["2024-Q1", "2024_03", "Q3", "h1", "2024"] {
            assert!(is_period_folder(period), "{period}");
        }
        for other in ["api", "v2", "2024-db-failover", "12", "q5", "s3", "qa"] {
            assert!(!is_period_folder(other), "{other}");
        }
    }

    #[test]
    fn the_search_reads_at_most_its_limit_of_entries() {
        let dir = tempfile::tempdir().expect("temp dir");
        for i in 0..10 {
            std::fs::write(dir.path().join(format!("{i}.md")), "# x\n").expect("file written");
        }
        assert_eq!(markdown_files(dir.path(), usize::MAX).len(), 10);
        // The root itself is the first entry read.
        assert_eq!(markdown_files(dir.path(), 4).len(), 3);
    }

    /// A monorepo links its postmortems in as the content folder; the link
    /// is what `adopt` must name, not the root with a link it cannot read.
    #[cfg(unix)]
    #[test]
    fn a_folder_linked_at_the_root_is_searched_and_deeper_links_are_not() {
        let outside = tempfile::tempdir().expect("temp dir");
        let pm = outside.path().join("docs/postmortems");
        std::fs::create_dir_all(pm.join("2024")).expect("folders made");
        for name in ["a.md", "b.md", "2024/c.md"] {
            std::fs::write(pm.join(name), "# x\n").expect("file written");
        }
        let root = tempfile::tempdir().expect("temp dir");
        std::os::unix::fs::symlink(&pm, root.path().join("content")).expect("link made");
        std::os::unix::fs::symlink(&pm, pm.join("loop")).expect("link made");
        std::fs::write(root.path().join("README.md"), "# readme\n").expect("file written");
        let found = markdown_files(root.path(), usize::MAX);
        assert_eq!(
            found,
            paths(&["README.md", "content/2024/c.md", "content/a.md", "content/b.md"])
        );
        assert_eq!(likely_content_dir(&found), "content");
    }
}
