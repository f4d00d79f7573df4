//! Removing what the new site no longer has: every file under the output
//! directory that the new site does not list, then the folders left empty.
//!
//! Reading every folder of a 10,000-incident site (one per incident) cost
//! a tenth of a second of system calls on every rebuild. A folder whose
//! modification time is older than the previous site's marker has had no
//! entry added, removed or replaced since that site was written, so its
//! entries are the ones the marker lists ([`Folders`]), and only the
//! folders this build or someone else touched are read.

use std::collections::HashSet;
use std::fs;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::manifest::Folders;
use crate::error::{Error, Result};

/// Removes every file under `out` that is not in `keep`, then the folders
/// left empty; returns how many files went. Symbolic links are removed,
/// never followed. `folders`, from the previous site's marker, answers for
/// the folders untouched since. Folders are swept in parallel.
pub(super) fn remove_stale(
    out: &Path,
    keep: &HashSet<String>,
    folders: Option<&Folders<'_>>,
) -> Result<usize> {
    let sweep = Sweep { keep, folders };
    sweep.folder(out, "", None).map(|(removed, _)| removed)
}

struct Sweep<'a> {
    keep: &'a HashSet<String>,
    folders: Option<&'a Folders<'a>>,
}

/// An entry of a folder: its path on disk and inside the output.
struct Entry {
    path: PathBuf,
    rel: String,
    kind: Kind,
}

enum Kind {
    /// A file or a symbolic link: removed unless kept.
    File,
    /// A folder (never a link to one), with its metadata when already read.
    Folder(Option<fs::Metadata>),
}

impl Sweep<'_> {
    /// Sweeps folder `dir` (`rel` inside the output, "" for its root), whose
    /// metadata may be known: returns the files removed and whether anything
    /// is left in it.
    fn folder(&self, dir: &Path, rel: &str, meta: Option<fs::Metadata>) -> Result<(usize, bool)> {
        let mut removed = 0;
        let mut left = 0;
        let mut folders = Vec::new();
        for entry in self.entries(dir, rel, meta)? {
            match entry.kind {
                Kind::Folder(meta) => folders.push((entry.path, entry.rel, meta)),
                Kind::File if self.keep.contains(&entry.rel) => left += 1,
                Kind::File => {
                    if gone(fs::remove_file(&entry.path), &entry.path)? {
                        removed += 1;
                    }
                }
            }
        }
        let swept: Vec<(usize, bool)> = folders
            .par_iter_mut()
            .map(|(path, rel, meta)| self.folder(path, rel, meta.take()))
            .collect::<Result<_>>()?;
        for ((path, _, _), (files_removed, not_empty)) in folders.iter().zip(swept) {
            removed += files_removed;
            if not_empty {
                left += 1;
            } else {
                gone(fs::remove_dir(path), path)?;
            }
        }
        Ok((removed, left > 0))
    }

    /// The entries of `dir`: from the marker's list when the folder is
    /// untouched since, read from disk otherwise.
    fn entries(&self, dir: &Path, rel: &str, meta: Option<fs::Metadata>) -> Result<Vec<Entry>> {
        let listed = self.folders.and_then(|folders| {
            let meta = meta.or_else(|| fs::symlink_metadata(dir).ok())?;
            folders.untouched(&meta, rel)
        });
        let Some(listed) = listed else { return read_entries(dir, rel) };
        // The list says which entries are folders; each is looked at (not
        // followed) before the sweep goes into it.
        Ok(listed
            .iter()
            .filter_map(|&(name, folder)| {
                let path = dir.join(name);
                let kind = match folder {
                    false => Kind::File,
                    true => match fs::symlink_metadata(&path) {
                        Ok(meta) if meta.is_dir() => Kind::Folder(Some(meta)),
                        Ok(_) => Kind::File,
                        Err(_) => return None,
                    },
                };
                Some(Entry { path, rel: child(rel, name), kind })
            })
            .collect())
    }
}

/// The entries of `dir` as the disk has them.
fn read_entries(dir: &Path, rel: &str) -> Result<Vec<Entry>> {
    let read_error = |source| Error::Read { path: dir.to_path_buf(), source };
    let mut entries = Vec::new();
    for entry in fs::read_dir(dir).map_err(read_error)? {
        let entry = entry.map_err(read_error)?;
        let name = entry.file_name();
        let kind = match entry.file_type().map_err(read_error)?.is_dir() {
            true => Kind::Folder(None),
            false => Kind::File,
        };
        entries.push(Entry { path: entry.path(), rel: child(rel, &name.to_string_lossy()), kind });
    }
    Ok(entries)
}

fn child(rel: &str, name: &str) -> String {
    if rel.is_empty() { name.to_string() } else { format!("{rel}/{name}") }
}

/// True when a removal removed something; a file already gone is no error.
fn gone(result: std::io::Result<()>, path: &Path) -> Result<bool> {
    match result {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(false),
        Err(source) => Err(Error::Write { path: path.to_path_buf(), source }),
    }
}
