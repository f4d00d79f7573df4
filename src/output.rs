//! Stage 6, write: the only code that writes the site to disk.
//!
//! The site is written into a fresh folder beside the output directory and
//! swapped in only once every file is written, so a failed build never
//! leaves a half-written site, and the previous site stays until then. An
//! existing output directory is replaced only when it is empty or carries
//! the marker file hindsight writes. Imports: error, render.

use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use crate::error::{Error, Result};
use crate::render::{Contents, Emit, OutputFile};

/// The file that marks a directory as built by hindsight.
pub const MARKER: &str = ".hindsight-output";

/// What was written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteStats {
    /// Files written.
    pub files: usize,
    /// Bytes written.
    pub bytes: u64,
}

/// Refuses an output directory hindsight may not replace: one that exists,
/// is not empty, and has no marker.
pub fn check_output_dir(out: &Path) -> Result<()> {
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
/// many threads ([`Emit`]); [`Staging::commit`] swaps the folder in. Dropped
/// without a commit, it removes itself and the old site stays.
#[derive(Debug)]
pub struct Staging {
    out: PathBuf,
    dir: PathBuf,
    retired: PathBuf,
    files: AtomicU64,
    bytes: AtomicU64,
    nanos: AtomicU64,
    committed: bool,
}

impl Staging {
    /// Checks that `out` may be replaced and creates the staging folder.
    pub fn begin(out: &Path) -> Result<Staging> {
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
        let dir = parent.join(format!(".{name}.hindsight-new-{}", std::process::id()));
        let retired = parent.join(format!(".{name}.hindsight-old-{}", std::process::id()));
        if dir.exists() {
            fs::remove_dir_all(&dir)
                .map_err(|source| Error::Write { path: dir.clone(), source })?;
        }
        fs::create_dir_all(&dir).map_err(|source| Error::Write { path: dir.clone(), source })?;
        fs::write(
            dir.join(MARKER),
            "This directory is built by hindsight and replaced on every build.\n",
        )
        .map_err(|source| Error::Write { path: dir.join(MARKER), source })?;
        Ok(Staging {
            out: out.to_path_buf(),
            dir,
            retired,
            files: AtomicU64::new(0),
            bytes: AtomicU64::new(0),
            nanos: AtomicU64::new(0),
            committed: false,
        })
    }

    /// Time spent writing files, summed over threads.
    pub fn write_time(&self) -> std::time::Duration {
        std::time::Duration::from_nanos(self.nanos.load(Ordering::Relaxed))
    }

    /// Swaps the staging folder in for the output directory.
    pub fn commit(mut self) -> Result<WriteStats> {
        let (out, dir, retired) = (&self.out, &self.dir, &self.retired);
        if out.exists() {
            fs::rename(out, retired)
                .map_err(|source| Error::Write { path: out.clone(), source })?;
        }
        if let Err(source) = fs::rename(dir, out) {
            // Put the old site back before reporting.
            let _ = fs::rename(retired, out);
            return Err(Error::Write { path: out.clone(), source });
        }
        self.committed = true;
        if retired.exists() {
            fs::remove_dir_all(retired)
                .map_err(|source| Error::Write { path: retired.clone(), source })?;
        }
        Ok(WriteStats {
            files: self.files.load(Ordering::Relaxed) as usize,
            bytes: self.bytes.load(Ordering::Relaxed),
        })
    }
}

impl Emit for Staging {
    fn emit(&self, file: OutputFile) -> Result<()> {
        let t = Instant::now();
        let path = safe_join(&self.dir, &file.path)?;
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .map_err(|source| Error::Write { path: parent.to_path_buf(), source })?;
        }
        let size = match &file.contents {
            Contents::Bytes(bytes) => {
                fs::write(&path, bytes)
                    .map_err(|source| Error::Write { path: path.clone(), source })?;
                bytes.len() as u64
            }
            Contents::Copy(from) => fs::copy(from, &path)
                .map_err(|source| Error::Read { path: from.clone(), source })?,
        };
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(size, Ordering::Relaxed);
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

/// Writes `files` as the new contents of `out`.
pub fn write_site(out: &Path, files: &[OutputFile]) -> Result<WriteStats> {
    let staging = Staging::begin(out)?;
    files.par_iter().try_for_each(|f| staging.emit(f.clone()))?;
    staging.commit()
}

/// Joins a site-relative path onto `dir`, refusing anything that could
/// leave it. Render never produces such paths; this is the last guard.
fn safe_join(dir: &Path, rel: &str) -> Result<PathBuf> {
    let ok = !rel.is_empty()
        && !rel.starts_with('/')
        && !rel.contains('\\')
        && !rel.contains(':')
        && rel.split('/').all(|part| !part.is_empty() && part != "." && part != "..");
    if ok {
        Ok(dir.join(rel))
    } else {
        Err(Error::Write {
            path: PathBuf::from(rel),
            source: std::io::Error::new(std::io::ErrorKind::InvalidInput, "unsafe output path"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile { path: path.into(), contents: Contents::Bytes(text.as_bytes().to_vec()) }
    }

    #[test]
    fn writes_swaps_and_replaces_its_own_output() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        write_site(&out, &[file("a/index.html", "one"), file("b.json", "{}")]).unwrap();
        assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "one");
        assert!(out.join(MARKER).is_file());
        write_site(&out, &[file("c.html", "two")]).unwrap();
        assert!(!out.join("a").exists(), "old files go with the old site");
        assert_eq!(fs::read_to_string(out.join("c.html")).unwrap(), "two");
        let leftovers: Vec<_> =
            fs::read_dir(tmp.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(leftovers, ["public"]);
    }

    #[test]
    fn refuses_a_foreign_directory_and_leaves_it_alone() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("site");
        fs::create_dir(&out).unwrap();
        fs::write(out.join("keep.txt"), "mine").unwrap();
        let err = write_site(&out, &[file("x.html", "x")]).unwrap_err();
        assert!(matches!(err, Error::ForeignOutput { .. }));
        assert_eq!(fs::read_to_string(out.join("keep.txt")).unwrap(), "mine");
        // An empty directory is fine.
        let empty = tmp.path().join("empty");
        fs::create_dir(&empty).unwrap();
        write_site(&empty, &[file("x.html", "x")]).unwrap();
    }

    #[test]
    fn unsafe_paths_fail_and_keep_the_old_site() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        write_site(&out, &[file("ok.html", "old")]).unwrap();
        for bad in ["../evil", "/abs", "a/../../b", "a\\b", "c:/x", ""] {
            assert!(write_site(&out, &[file(bad, "x")]).is_err(), "{bad}");
        }
        assert_eq!(fs::read_to_string(out.join("ok.html")).unwrap(), "old");
        assert!(!tmp.path().join("evil").exists());
    }
}
