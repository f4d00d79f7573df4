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
pub(crate) fn markdown_files(root: &Path, limit: usize) -> Vec<PathBuf> {
    walkdir::WalkDir::new(root)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0
                || !(is_hidden(e.file_name())
                    || e.file_name().to_str().is_some_and(|n| NOT_CONTENT.contains(&n)))
        })
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
    let total = markdown.len();
    let mut counts: BTreeMap<PathBuf, usize> = BTreeMap::new();
    for path in markdown {
        let mut dir = path.parent();
        while let Some(d) = dir.filter(|d| !d.as_os_str().is_empty()) {
            *counts.entry(d.to_path_buf()).or_default() += 1;
            dir = d.parent();
        }
    }
    counts
        .into_iter()
        .filter(|(_, n)| *n * 5 >= total * 4 && total > 0)
        .max_by_key(|(d, _)| (d.components().count(), std::cmp::Reverse(d.clone())))
        .map_or_else(|| ".".to_string(), |(d, _)| d.to_string_lossy().replace('\\', "/"))
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

    #[test]
    fn the_content_folder_is_found_by_convention_or_by_share() {
        let paths = |ps: &[&str]| ps.iter().map(PathBuf::from).collect::<Vec<_>>();
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
}
