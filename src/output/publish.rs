//! Publishing a staged site: the lock that keeps two builds out of one
//! output directory, the leftovers of builds that were killed, and the
//! atomic swap of the staged folder with the published one.
//!
//! The new site is built in a folder beside the output directory, holding
//! hard links to the files that did not change (so they keep their bytes,
//! inode and modification time) and new files for the rest. One
//! `renameat2(RENAME_EXCHANGE)` then swaps the two folders: a reader, or a
//! process killed at any instant, finds the old site or the new one whole
//! under the output path, never a mix. The old site, now in the staging
//! folder's place, is removed afterwards. See issue 26.
//!
//! An output directory that is a mount point (a container volume) cannot be
//! renamed or swapped. There the site is staged inside it and the changed
//! files are moved in one by one: each file is whole, but for that moment
//! readers may see old and new pages side by side, and the build says so.

use std::fs;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The prefix of a staging folder's name, after the output's own name.
const STAGING: &str = "hindsight-new-";

/// The folder the new site is staged in, for output directory `out` (in
/// its parent folder `parent`), or inside `out` when `in_place`.
pub(super) fn staging_dir(parent: &Path, name: &str, out: &Path, in_place: bool) -> PathBuf {
    let pid = std::process::id();
    if in_place {
        out.join(format!(".{STAGING}{pid}"))
    } else {
        parent.join(format!(".{name}.{STAGING}{pid}"))
    }
}

/// Removes the staging folders that killed builds left beside `out` (in
/// `parent`) or inside it. Only the holder of the [`Lock`] may call this:
/// no other build is then writing any of them.
pub(super) fn remove_leftovers(parent: &Path, name: &str, out: &Path) -> Result<()> {
    let beside = format!(".{name}.{STAGING}");
    let inside = format!(".{STAGING}");
    for (dir, prefix) in [(parent, beside.as_str()), (out, inside.as_str())] {
        let Ok(entries) = fs::read_dir(dir) else { continue };
        for entry in entries.flatten() {
            let file_name = entry.file_name();
            let Some(rest) = file_name.to_str().and_then(|n| n.strip_prefix(prefix)) else {
                continue;
            };
            if rest.is_empty() || !rest.bytes().all(|b| b.is_ascii_digit()) {
                continue;
            }
            let path = entry.path();
            let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
            let removed = if is_dir { fs::remove_dir_all(&path) } else { fs::remove_file(&path) };
            match removed {
                Err(e) if e.kind() != ErrorKind::NotFound => {
                    return Err(Error::Write { path, source: e });
                }
                _ => {}
            }
        }
    }
    Ok(())
}

/// True when `out` is a mount point: it sits on another device than its
/// parent, so it can be neither renamed nor swapped.
pub(super) fn is_mount_point(out: &Path, parent: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (fs::symlink_metadata(out), fs::metadata(parent)) {
        (Ok(o), Ok(p)) => o.is_dir() && o.dev() != p.dev(),
        _ => false,
    }
}

/// Swaps folders `staged` and `out` in one step: afterwards `out` holds
/// the new site and `staged` the old one.
#[cfg(target_os = "linux")]
pub(super) fn exchange(staged: &Path, out: &Path) -> std::io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, staged, CWD, out, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

/// Elsewhere there is no atomic swap: the caller falls back to moving the
/// changed files in one by one.
#[cfg(not(target_os = "linux"))]
pub(super) fn exchange(_staged: &Path, _out: &Path) -> std::io::Result<()> {
    Err(std::io::Error::from(ErrorKind::Unsupported))
}

/// An exclusive lock on building into one output directory, held from the
/// start of a build to its end. It is a file beside the output, locked
/// with `flock`, which the system releases when the process dies however
/// it dies; the file itself is removed when the lock is let go.
#[derive(Debug)]
pub(super) struct Lock {
    path: PathBuf,
    _file: fs::File,
}

impl Lock {
    /// Takes the lock of output directory `out` (named `name`, in folder
    /// `parent`), or fails with [`Error::Busy`] when another build holds it.
    pub(super) fn acquire(parent: &Path, name: &str, out: &Path) -> Result<Lock> {
        use rustix::fs::{FlockOperation, flock};
        use std::os::unix::fs::MetadataExt;
        let path = parent.join(format!(".{name}.hindsight-lock"));
        let write_error = |source| Error::Write { path: path.clone(), source };
        loop {
            let file = fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&path)
                .map_err(write_error)?;
            match flock(&file, FlockOperation::NonBlockingLockExclusive) {
                Ok(()) => {}
                Err(e) if e == rustix::io::Errno::WOULDBLOCK => {
                    return Err(Error::Busy { output: out.to_path_buf(), lock: path });
                }
                Err(e) => return Err(write_error(e.into())),
            }
            // The previous holder removes the file as it lets go: a lock
            // taken on a file no longer at the path guards nothing.
            let held = file.metadata().map_err(write_error)?;
            match fs::metadata(&path) {
                Ok(now) if (now.dev(), now.ino()) == (held.dev(), held.ino()) => {
                    return Ok(Lock { path, _file: file });
                }
                _ => continue,
            }
        }
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Removed while still locked; the lock goes with the file handle.
        let _ = fs::remove_file(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_on_one_output_is_refused_until_the_first_goes() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let first = Lock::acquire(tmp.path(), "public", &out).unwrap();
        let second = Lock::acquire(tmp.path(), "public", &out).unwrap_err();
        assert!(matches!(second, Error::Busy { .. }), "{second}");
        assert!(second.to_string().contains("public"), "{second}");
        // Another output in the same folder has its own lock.
        let other = Lock::acquire(tmp.path(), "site", &tmp.path().join("site")).unwrap();
        drop((first, other));
        let again = Lock::acquire(tmp.path(), "public", &out).unwrap();
        drop(again);
        let left: Vec<_> = fs::read_dir(tmp.path()).unwrap().collect();
        assert!(left.is_empty(), "the lock file goes with the lock");
    }

    #[test]
    fn leftovers_of_killed_builds_go_and_nothing_else() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        fs::create_dir_all(out.join(".hindsight-new-77/a")).unwrap();
        fs::create_dir_all(tmp.path().join(".public.hindsight-new-12/b")).unwrap();
        fs::write(tmp.path().join(".public.hindsight-new-13"), "x").unwrap();
        for keep in [".public.hindsight-new-", ".public.hindsight-new-x1", ".site.hindsight-new-1"]
        {
            fs::create_dir(tmp.path().join(keep)).unwrap();
        }
        fs::create_dir(out.join("incidents")).unwrap();
        remove_leftovers(tmp.path(), "public", &out).unwrap();
        let mut left: Vec<_> = fs::read_dir(tmp.path())
            .unwrap()
            .chain(fs::read_dir(&out).unwrap())
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        left.sort();
        assert_eq!(
            left,
            [
                ".public.hindsight-new-",
                ".public.hindsight-new-x1",
                ".site.hindsight-new-1",
                "incidents",
                "public"
            ]
        );
    }

    #[test]
    fn exchange_swaps_two_folders() {
        let tmp = tempfile::tempdir().unwrap();
        let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
        fs::create_dir(&a).unwrap();
        fs::create_dir(&b).unwrap();
        fs::write(a.join("f"), "a").unwrap();
        fs::write(b.join("f"), "b").unwrap();
        exchange(&a, &b).unwrap();
        assert_eq!(fs::read_to_string(a.join("f")).unwrap(), "b");
        assert_eq!(fs::read_to_string(b.join("f")).unwrap(), "a");
    }
}
