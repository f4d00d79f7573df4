//! The parse cache of `serve`: each markdown file's parse, kept with the
//! file's length and modification time, so that a rebuild reads and parses
//! again only the files that changed on disk. Parsing does not depend on
//! the configuration, so a configuration change keeps the cache.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use rayon::prelude::*;

use crate::config::Config;
use crate::diag::Diagnostic;
use crate::error::Result;
use crate::load::{self, Loaded};
use crate::model::Document;

/// What loading one file gave: the document, if it parsed, and diagnostics.
/// Documents are shared: the cache and the pipeline hold the same one.
pub(super) type Parsed = (Option<Arc<Document>>, Vec<Diagnostic>);

/// What identifies a version of a file without reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
}

fn stamp(path: &Path) -> Option<Stamp> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    Some(Stamp { len: meta.len(), modified: meta.modified().ok() })
}

/// Parses by path relative to the archive root.
#[derive(Default)]
pub(super) struct Sources {
    files: HashMap<PathBuf, (Stamp, Parsed)>,
}

impl Sources {
    /// True when `rel` is a markdown file of the last load.
    pub(super) fn contains(&self, rel: &Path) -> bool {
        self.files.contains_key(rel)
    }

    /// Walks `content/` and loads it as [`load::load_archive`] would, but
    /// reads only the files that are new, whose length or modification time
    /// changed, or that are in `force` (the paths the watcher named).
    pub(super) fn load(
        &mut self,
        root: &Path,
        config: &Config,
        force: &BTreeSet<PathBuf>,
    ) -> Result<Loaded> {
        let walked = load::walk_content(root, config)?;
        let mut fresh: HashMap<&PathBuf, (Option<Stamp>, Parsed)> = walked
            .markdown
            .par_iter()
            .filter_map(|rel| {
                // The stamp is taken before reading: a write in between
                // leaves a stamp older than the text, so it is read again.
                let now = stamp(&root.join(rel));
                let cached = self.files.get(rel).map(|(s, _)| *s);
                if now.is_some() && now == cached && !force.contains(rel) {
                    return None;
                }
                Some((rel, (now, parse(root, rel, config))))
            })
            .collect();
        let mut loaded = Loaded {
            documents: Vec::with_capacity(walked.markdown.len()),
            attachments: walked.attachments,
            diagnostics: walked.diagnostics,
            left_out: walked.left_out,
        };
        let mut next = HashMap::with_capacity(walked.markdown.len());
        for rel in &walked.markdown {
            let entry = match fresh.remove(rel) {
                Some((Some(now), parsed)) => (now, parsed),
                Some((None, (document, diagnostics))) => {
                    // Not statable: use the parse once, cache nothing.
                    loaded.documents.extend(document);
                    loaded.diagnostics.extend(diagnostics);
                    continue;
                }
                None => match self.files.remove(rel) {
                    Some(entry) => entry,
                    None => continue,
                },
            };
            loaded.documents.extend(entry.1.0.clone());
            loaded.diagnostics.extend(entry.1.1.iter().cloned());
            next.insert(rel.clone(), entry);
        }
        self.files = next;
        load::archive_images(root, config, &mut loaded);
        Ok(loaded)
    }

    /// Reads one known file again and returns its parse.
    pub(super) fn reload(&mut self, root: &Path, rel: &Path, config: &Config) -> Parsed {
        let now = stamp(&root.join(rel));
        let parsed = parse(root, rel, config);
        match now {
            Some(now) => {
                self.files.insert(rel.to_path_buf(), (now, parsed.clone()));
            }
            None => {
                self.files.remove(rel);
            }
        }
        parsed
    }
}

/// [`load::load_file`], its document made shareable.
fn parse(root: &Path, rel: &Path, config: &Config) -> Parsed {
    let (document, diagnostics) = load::load_file(root, rel, config);
    (document.map(Arc::new), diagnostics)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unchanged_files_are_not_read_again() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        std::fs::create_dir_all(&content).unwrap();
        std::fs::write(content.join("a.md"), "---\ntitle: A\n---\nOne.\n").unwrap();
        std::fs::write(content.join("b.md"), "---\ntitle: B\n---\nTwo.\n").unwrap();
        std::fs::write(content.join("x.png"), "png").unwrap();
        let mut sources = Sources::default();
        let first = sources.load(dir.path(), &Config::default(), &BTreeSet::new()).unwrap();
        assert_eq!(first.documents.len(), 2);
        assert_eq!(first.attachments, [Path::new("content/x.png")]);

        // Same length, same time, new text: only a forced read sees it,
        // which is what tells the cache apart from a fresh load.
        let a = Path::new("content/a.md");
        let time = std::fs::metadata(dir.path().join(a)).unwrap().modified().unwrap();
        std::fs::write(content.join("a.md"), "---\ntitle: Z\n---\nOne.\n").unwrap();
        std::fs::File::options()
            .write(true)
            .open(content.join("a.md"))
            .unwrap()
            .set_modified(time)
            .unwrap();
        let title = |l: &Loaded| l.documents[0].matter["title"].clone();
        assert_eq!(
            title(&sources.load(dir.path(), &Config::default(), &BTreeSet::new()).unwrap()),
            "A"
        );
        let forced = BTreeSet::from([a.to_path_buf()]);
        assert_eq!(title(&sources.load(dir.path(), &Config::default(), &forced).unwrap()), "Z");

        std::fs::remove_file(content.join("b.md")).unwrap();
        assert_eq!(
            sources.load(dir.path(), &Config::default(), &BTreeSet::new()).unwrap().documents.len(),
            1
        );
        assert!(!sources.contains(Path::new("content/b.md")));
        assert!(sources.contains(a));
    }
}
