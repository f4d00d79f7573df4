//! The images write-ups show: found in the archive, or named.
//!
//! Sites keep their images in one folder outside the posts and name them
//! from the site's root: Jekyll's `/assets/images/p99.png`, Hugo's and
//! Docusaurus' `static/` folder served at `/img/p99.png`, an Azure DevOps
//! wiki's `/.attachments/p99.png`. A source written from the root names
//! the file at that path under the archive root, under its `static/`
//! folder, or under the content folder. Archives kept on a forge name a
//! shared folder by a relative path instead (`../images/p99.png`), which
//! the forge shows. Either way, a file outside the content folder becomes
//! an attachment of the pages that show it (see [`crate::attach`]), so the
//! picture is published with the page. Images written as raw HTML
//! (`<img src=…>`) count as markdown ones do.
//!
//! An image that names no file of the archive the site may publish (a
//! missing file, a symbolic link, an SVG, a path out of the archive) is a
//! warning at the image (RCA037): a picture is never lost silently.
//!
//! Inputs: the archive root, the configuration, the loaded documents and
//! attachments. Output: more attachments and diagnostics. Reads file
//! metadata only.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::diag::Diagnostic;
use crate::model::{content_folder, within};

use super::{Loaded, is_active, publishable};

/// The lint an image the site cannot show reports under.
const LINT: &str = "missing-image";

/// Adds to `loaded.attachments` the files outside the content folder that
/// images name from the root, and warns of each image that names no file
/// the site publishes. `load_archive` calls it, and `serve` after each
/// full reload.
pub(crate) fn archive_images(root: &Path, config: &Config, loaded: &mut Loaded) {
    if loaded.documents.iter().all(|d| d.outline.images.is_empty()) {
        return;
    }
    let content = content_folder(&config.content_dir);
    let level = config.lints.level(LINT);
    let listed: HashSet<PathBuf> = loaded.attachments.iter().cloned().collect();
    // Each source written from the root, once: what it names, if anything.
    let mut from_root: HashMap<&str, Option<PathBuf>> = HashMap::new();
    let mut more: BTreeSet<PathBuf> = BTreeSet::new();
    let mut diagnostics = Vec::new();
    for doc in &loaded.documents {
        let folder = doc.source.rel_path.parent().unwrap_or(Path::new(""));
        // Images come in document order: their lines cost one walk of the
        // file, not one each (twenty thousand in one file took a second).
        let mut locator = crate::diag::Locator::new(&doc.source.text);
        for (src, range) in &doc.outline.images {
            let problem = if let Some(path) = src.strip_prefix('/') {
                let found = from_root
                    .entry(src)
                    .or_insert_with(|| named_from_root(root, &content, path, &listed));
                match found {
                    Some(file) => {
                        if !listed.contains(file.as_path()) {
                            more.insert(file.clone());
                        }
                        None
                    }
                    None => Some((
                        format!("image `{src}` is not in the archive"),
                        "keep it under the archive root at that path (or under `static/`), or \
                         correct the path"
                            .to_string(),
                    )),
                }
            } else {
                let file = within(folder, src);
                match file {
                    Some(file) if listed.contains(&file) => None,
                    // Out of the content folder, as an archive kept on a
                    // forge writes a shared image folder (`../images/`).
                    Some(file) if !file.starts_with(&content) && may_show(root, &file) => {
                        more.insert(file);
                        None
                    }
                    _ => Some((
                        format!("image `{src}` is not in the archive"),
                        "put the image beside the RCA, or correct the path".to_string(),
                    )),
                }
            };
            if let (Some((message, help)), Some(level)) = (problem, level) {
                let d = Diagnostic::warning("RCA037", message).with_help(help);
                let d = Diagnostic { level, ..d };
                diagnostics.push(d.at_next(&doc.source.rel_path, &mut locator, range.clone()));
            }
        }
    }
    loaded.attachments.extend(more);
    loaded.attachments.sort();
    loaded.attachments.dedup();
    loaded.diagnostics.extend(diagnostics);
}

/// The file `path` (a source written from the root, less its `/`) names:
/// under the archive root, its `static/` folder, or the content folder,
/// the first that holds a file the site may publish.
fn named_from_root(
    root: &Path,
    content: &Path,
    path: &str,
    listed: &HashSet<PathBuf>,
) -> Option<PathBuf> {
    let under = within(Path::new(""), path)?;
    [under.clone(), Path::new("static").join(&under), content.join(&under)]
        .into_iter()
        .find(|rel| listed.contains(rel) || may_show(root, rel))
}

/// True when `rel` (under the root) is a file the site may publish beside
/// a page that shows it: not a link, not one a browser would run.
fn may_show(root: &Path, rel: &Path) -> bool {
    is_file(&root.join(rel)) && publishable(rel) && !is_active(rel)
}

/// True for a regular file; a symbolic link is never followed out of the
/// archive.
fn is_file(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_file())
}
