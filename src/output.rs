//! Stage 6, write: the only code that writes the site to disk.
//!
//! Files go into a fresh staging folder beside the output directory, so a
//! failed build never leaves a half-written site and the previous site
//! stays until every file is written. A file whose bytes did not change is
//! a hard link to the published one, so it keeps its bytes and times, and a
//! rebuild of an unchanged archive writes no page: static hosts and `rsync`
//! see only real changes. The staging folder is then swapped with the
//! output directory in one step ([`publish`]): a reader, or a build killed
//! at any instant, sees the old site or the new one whole. One build at a
//! time holds the output's lock; the staging folders of killed builds are
//! removed by the next. An existing output directory is touched only when
//! it is empty or carries the marker file hindsight writes; the marker
//! lists the site's files with their hashes, so a rebuild need not read the
//! published files back ([`manifest`]). Imports: error, render.

mod manifest;
mod publish;
mod sweep;

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Instant;

#[cfg(test)]
use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::render::{Contents, Emit, OutputFile};
use manifest::{Fingerprint, Manifest};

/// The file that marks a directory as built by hindsight.
pub(crate) const MARKER: &str = ".hindsight-output";

/// What was written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteStats {
    /// Files in the site.
    pub files: usize,
    /// Bytes in the site.
    pub bytes: u64,
    /// Files left as they were because their bytes did not change.
    pub unchanged: usize,
    /// Files of the previous site that the new one no longer has, removed.
    pub removed: usize,
    /// True when the site could not be swapped in whole (the output is a
    /// mount point) and its changed files were moved in one by one.
    pub in_place: bool,
}

/// Refuses an output directory hindsight may not replace: one that exists,
/// is not empty, and has no marker.
pub(crate) fn check_output_dir(out: &Path) -> Result<()> {
    if out.exists() && !out.is_dir() {
        return Err(Error::ForeignOutput { path: out.to_path_buf() });
    }
    if out.is_dir() && !out.join(MARKER).is_file() {
        let mut entries =
            fs::read_dir(out).map_err(|source| Error::Read { path: out.to_path_buf(), source })?;
        if entries.next().is_some() {
            return Err(Error::ForeignOutput { path: out.to_path_buf() });
        }
    }
    Ok(())
}

/// A new site being written beside the output directory. Files arrive from
/// many threads ([`Emit`]); [`Staging::commit`] brings them into the output
/// directory. Dropped without a commit, it removes itself and the old site
/// stays.
#[derive(Debug)]
pub(crate) struct Staging {
    out: PathBuf,
    dir: PathBuf,
    /// True when `out` holds a previous site to update.
    update: bool,
    /// True when `out` is a mount point: the site is staged inside it and
    /// moved in file by file, since the folder cannot be swapped.
    in_place: bool,
    /// The previous site's files, from its marker.
    previous: Manifest,
    /// True once a file of the previous site had to be read back: the
    /// marker is then rewritten, so the next build can trust its list.
    read_back: AtomicBool,
    /// Every file of the new site.
    files: Mutex<Vec<(String, Fingerprint)>>,
    /// Paths written to the staging folder (their bytes changed).
    changed: Mutex<Vec<String>>,
    bytes: AtomicU64,
    nanos: AtomicU64,
    committed: bool,
    /// Held until the staging folder is gone (declared last: dropped last).
    _lock: publish::Lock,
}

impl Staging {
    /// Checks that `out` may be replaced, takes its lock, removes what
    /// killed builds left behind and creates the staging folder.
    pub(crate) fn begin(out: &Path) -> Result<Staging> {
        Staging::begin_with(out, false)
    }

    /// As [`Staging::begin`]; `in_place` moves the files in one by one even
    /// where the output could be swapped whole (for tests of that mode).
    fn begin_with(out: &Path, in_place: bool) -> Result<Staging> {
        check_output_dir(out)?;
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent)
            .map_err(|source| Error::Write { path: parent.clone(), source })?;
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        let lock = publish::Lock::acquire(&parent, &name, out)?;
        publish::remove_leftovers(&parent, &name, out)?;
        let in_place = in_place || publish::is_mount_point(out, &parent);
        let dir = publish::staging_dir(&parent, &name, out, in_place);
        fs::create_dir_all(&dir).map_err(|source| Error::Write { path: dir.clone(), source })?;
        let marker = out.join(MARKER);
        let update = marker.is_file();
        Ok(Staging {
            update,
            in_place,
            previous: if update { Manifest::read(&marker) } else { Manifest::default() },
            read_back: AtomicBool::new(false),
            out: out.to_path_buf(),
            dir,
            files: Mutex::new(Vec::new()),
            changed: Mutex::new(Vec::new()),
            bytes: AtomicU64::new(0),
            nanos: AtomicU64::new(0),
            committed: false,
            _lock: lock,
        })
    }

    /// Time spent writing files, summed over threads.
    pub(crate) fn write_time(&self) -> std::time::Duration {
        std::time::Duration::from_nanos(self.nanos.load(Ordering::Relaxed))
    }

    /// Brings the new site into the output directory: in one swap, or file
    /// by file into a mount point.
    pub(crate) fn commit(mut self) -> Result<WriteStats> {
        let mut files = take(&self.files);
        let changed = take(&self.changed);
        let mut stats = WriteStats {
            files: files.len(),
            bytes: self.bytes.load(Ordering::Relaxed),
            unchanged: files.len() - changed.len(),
            removed: 0,
            in_place: false,
        };
        let marker = manifest::text(&mut files);
        if self.in_place {
            return self.move_in(files, changed, &marker, stats);
        }
        // Written after every file it lists: a file modified after the
        // marker is one the list cannot vouch for. An unchanged list stays
        // the same file.
        let staged_marker = self.dir.join(MARKER);
        let same = self.previous.is_marker(&marker) && !self.read_back.load(Ordering::Relaxed);
        if !(same && fs::hard_link(self.out.join(MARKER), &staged_marker).is_ok()) {
            write_file(&staged_marker, marker.as_bytes())?;
        }
        if !self.out.exists() {
            fs::rename(&self.dir, &self.out)
                .map_err(|source| Error::Write { path: self.out.clone(), source })?;
            self.committed = true;
            return Ok(stats);
        }
        if let Err(e) = publish::exchange(&self.dir, &self.out) {
            if !matches!(
                e.kind(),
                std::io::ErrorKind::ResourceBusy
                    | std::io::ErrorKind::InvalidInput
                    | std::io::ErrorKind::Unsupported
            ) {
                return Err(Error::Write { path: self.out.clone(), source: e });
            }
            // A bind mount, or a file system without the swap: the staged
            // files are on the output's file system, so they can be moved.
            return self.move_in(files, changed, &marker, stats);
        }
        self.committed = true;
        let kept: HashSet<&str> = files.iter().map(|(path, _)| path.as_str()).collect();
        stats.removed = self.previous.listed().filter(|p| !kept.contains(p)).count();
        // The old site now sits in the staging folder's place. Should this
        // fail, the next build removes it.
        let _ = fs::remove_dir_all(&self.dir);
        Ok(stats)
    }

    /// Moves the changed files into the output one by one and removes the
    /// files the new site no longer has: for an output that cannot be
    /// swapped. Each file is whole, the site as a whole is not.
    fn move_in(
        mut self,
        files: Vec<(String, Fingerprint)>,
        mut changed: Vec<String>,
        marker: &str,
        mut stats: WriteStats,
    ) -> Result<WriteStats> {
        stats.in_place = true;
        changed.sort_unstable();
        for rel in &changed {
            let to = self.out.join(rel);
            make_way(&self.out, rel)?;
            fs::rename(self.dir.join(rel), &to)
                .map_err(|source| Error::Write { path: to.clone(), source })?;
        }
        let to = self.out.join(MARKER);
        if !self.previous.is_marker(marker) || self.read_back.load(Ordering::Relaxed) {
            let staged = self.dir.join(".hindsight-marker");
            write_file(&staged, marker.as_bytes())?;
            fs::rename(&staged, &to).map_err(|source| Error::Write { path: to.clone(), source })?;
        }
        self.committed = true;
        fs::remove_dir_all(&self.dir)
            .map_err(|source| Error::Write { path: self.dir.clone(), source })?;
        let mut keep: HashSet<String> = files.into_iter().map(|(path, _)| path).collect();
        keep.insert(MARKER.to_string());
        stats.removed = sweep::remove_stale(&self.out, &keep, self.previous.folders().as_ref())?;
        Ok(stats)
    }

    /// True when the previous site already has `rel` with exactly `bytes`,
    /// whose fingerprint is `fingerprint`. The previous site's list answers
    /// for the files it vouches for; others are read back.
    fn unchanged(&self, rel: &str, bytes: &[u8], fingerprint: Fingerprint) -> bool {
        if !self.update {
            return false;
        }
        let old = self.out.join(rel);
        let Ok(meta) = fs::symlink_metadata(&old) else { return false };
        if !meta.is_file() || meta.len() != fingerprint.size() {
            return false;
        }
        match self.previous.matches(rel, fingerprint, meta.modified().ok()) {
            Some(listed) => listed,
            None => {
                self.read_back.store(true, Ordering::Relaxed);
                same_bytes(&old, bytes)
            }
        }
    }
}

/// True when the file at `path` holds exactly `bytes`, read a block at a
/// time: the largest pages are tens of megabytes.
fn same_bytes(path: &Path, mut bytes: &[u8]) -> bool {
    use std::io::Read;
    let Ok(mut file) = fs::File::open(path) else { return false };
    // Most pages are a few kilobytes: a block no larger than the page (plus
    // one byte, to see a longer file end) saves zeroing the rest.
    let mut block = vec![0u8; (bytes.len() + 1).min(64 * 1024)];
    loop {
        match file.read(&mut block) {
            Ok(0) => return bytes.is_empty(),
            Ok(n) => {
                let Some((head, rest)) = bytes.split_at_checked(n) else { return false };
                if block.get(..n) != Some(head) {
                    return false;
                }
                bytes = rest;
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return false,
        }
    }
}

fn take<T>(list: &Mutex<Vec<T>>) -> Vec<T> {
    std::mem::take(&mut *list.lock().unwrap_or_else(|e| e.into_inner()))
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    fs::write(path, bytes).map_err(|source| Error::Write { path: path.to_path_buf(), source })
}

/// Clears the way for `out/rel`: creates its folders, and removes a file
/// where the new site has a folder or a folder where it has a file (both
/// inside the marked output directory).
fn make_way(out: &Path, rel: &str) -> Result<()> {
    let mut at = out.to_path_buf();
    let mut parts = rel.split('/').peekable();
    while let Some(part) = parts.next() {
        at.push(part);
        let last = parts.peek().is_none();
        let meta = fs::symlink_metadata(&at).ok();
        let result = match meta {
            Some(m) if last && m.is_dir() => fs::remove_dir_all(&at),
            Some(m) if !last && !m.is_dir() => {
                fs::remove_file(&at).and_then(|()| fs::create_dir(&at))
            }
            None if !last => fs::create_dir(&at),
            _ => Ok(()),
        };
        result.map_err(|source| Error::Write { path: at.clone(), source })?;
    }
    Ok(())
}

impl Emit for Staging {
    fn emit(&self, file: OutputFile) -> Result<()> {
        let t = Instant::now();
        let path = safe_join(&self.dir, &file.path)?;
        let bytes = match file.contents {
            Contents::Bytes(bytes) => bytes,
            // Read whole: its hash goes into the list either way.
            Contents::Copy(from) => {
                fs::read(&from).map_err(|source| Error::Read { path: from, source })?
            }
        };
        let fingerprint = Fingerprint::of(&bytes);
        let unchanged = self.unchanged(&file.path, &bytes, fingerprint);
        if !(unchanged && self.in_place) {
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent)
                    .map_err(|source| Error::Write { path: parent.to_path_buf(), source })?;
            }
        }
        // An unchanged file joins the new site as a link to the published
        // one: same bytes, same inode and times. Where no link can be made,
        // it is written again.
        let linked =
            unchanged && (self.in_place || fs::hard_link(self.out.join(&file.path), &path).is_ok());
        if !linked {
            write_file(&path, &bytes)?;
            self.changed.lock().unwrap_or_else(|e| e.into_inner()).push(file.path.clone());
        }
        self.files.lock().unwrap_or_else(|e| e.into_inner()).push((file.path, fingerprint));
        self.bytes.fetch_add(fingerprint.size(), Ordering::Relaxed);
        self.nanos.fetch_add(t.elapsed().as_nanos() as u64, Ordering::Relaxed);
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            // The staging folder is ours alone; the old site is untouched.
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// Writes `files` as the new contents of `out` (a build streams them
/// through [`Staging`] instead).
#[cfg(test)]
fn write_site(out: &Path, files: &[OutputFile]) -> Result<WriteStats> {
    let staging = Staging::begin(out)?;
    files.par_iter().try_for_each(|f| staging.emit(f.clone()))?;
    staging.commit()
}

/// As [`write_site`], moving the changed files in one by one.
#[cfg(test)]
fn write_site_in_place(out: &Path, files: &[OutputFile]) -> Result<WriteStats> {
    let staging = Staging::begin_with(out, true)?;
    files.par_iter().try_for_each(|f| staging.emit(f.clone()))?;
    staging.commit()
}

/// Joins a site-relative path onto `dir`, refusing anything that could
/// leave it. Render never produces such paths; this is the last guard.
fn safe_join(dir: &Path, rel: &str) -> Result<PathBuf> {
    if is_safe(rel) {
        Ok(dir.join(rel))
    } else {
        Err(Error::Write {
            path: PathBuf::from(rel),
            source: std::io::Error::new(std::io::ErrorKind::InvalidInput, "unsafe output path"),
        })
    }
}

/// True for a site-relative path that stays inside the folder it is
/// joined to: `/`-separated names, none empty, `.` or `..`.
fn is_safe(rel: &str) -> bool {
    !rel.is_empty()
        && !rel.starts_with('/')
        && !rel.contains('\\')
        && !rel.contains(':')
        && rel.split('/').all(|part| !part.is_empty() && part != "." && part != "..")
}

#[cfg(test)]
mod tests;
