//! The marker file's list of the site's files, with their sizes and
//! hashes, as the last build wrote them.
//!
//! A rebuild compares each new file with the one already published. Reading
//! every published file back for that is a third of a gigabyte at 10,000
//! incidents, and on a machine short of memory those files have often left
//! the page cache since the last build, so the comparison waited on the
//! disk. With the list, a file the last build wrote and nobody touched since
//! is compared by hash and size alone. A file changed after the list was
//! written (its modification time says so) is compared byte by byte, as is
//! every file when the list is missing or unreadable. The list holds only
//! sizes and hashes of the site's own bytes, sorted by path, so it is the
//! same on every machine for the same site.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::time::SystemTime;

use xxhash_rust::xxh3::xxh3_128;

/// The first line of the marker file.
const INTRO: &str = "This directory is built by hindsight and replaced on every build.\n";

/// The second line: what each line after it says.
const LEGEND: &str =
    "Its files as the last build wrote them: xxh3-128 hash, size in bytes, path.\n";

/// What identifies a file's bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Fingerprint {
    hash: u128,
    size: u64,
}

impl Fingerprint {
    pub(crate) fn of(bytes: &[u8]) -> Fingerprint {
        Fingerprint { hash: xxh3_128(bytes), size: bytes.len() as u64 }
    }

    pub(crate) fn size(self) -> u64 {
        self.size
    }
}

/// The files of the previous build, read from its marker file.
#[derive(Debug, Default)]
pub(crate) struct Manifest {
    files: HashMap<String, Fingerprint>,
    /// When the marker file was last written: files modified at or after it
    /// may have changed since, and are not trusted to match the list.
    written: Option<SystemTime>,
    /// The marker file's own bytes, whether or not they hold a list: the
    /// new marker is written only when it differs.
    marker: Option<Fingerprint>,
}

impl Manifest {
    /// The list in the marker file at `path`; empty when the file is missing
    /// or any line of it is not as [`text`] writes it, so that every file is
    /// then compared byte by byte.
    pub(crate) fn read(path: &Path) -> Manifest {
        let Ok(text) = fs::read_to_string(path) else { return Manifest::default() };
        let marker = Some(Fingerprint::of(text.as_bytes()));
        let written = fs::metadata(path).and_then(|m| m.modified()).ok();
        match parse(&text) {
            Some(files) => Manifest { files, written, marker },
            None => Manifest { marker, ..Manifest::default() },
        }
    }

    /// True when the marker file this list was read from holds exactly
    /// `text`.
    pub(crate) fn is_marker(&self, text: &str) -> bool {
        self.marker == Some(Fingerprint::of(text.as_bytes()))
    }

    /// True when the previous build wrote `rel` with `fingerprint`, and the
    /// file, last modified at `modified`, has not been touched since.
    /// `None` when the list cannot tell: the file is not in it, or was
    /// modified after the list was written.
    pub(crate) fn matches(
        &self,
        rel: &str,
        fingerprint: Fingerprint,
        modified: Option<SystemTime>,
    ) -> Option<bool> {
        let listed = self.files.get(rel)?;
        untouched_since(modified, self.written).then_some(*listed == fingerprint)
    }

    /// The paths the list holds, in no order.
    pub(crate) fn listed(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    /// The previous site's folders as the list has them; `None` without a
    /// list.
    pub(crate) fn folders(&self) -> Option<Folders<'_>> {
        let written = self.written?;
        if self.files.is_empty() {
            return None;
        }
        let mut entries: HashMap<&str, Vec<(&str, bool)>> = HashMap::new();
        for path in self.files.keys() {
            let mut parent = "";
            let mut start = 0;
            for (at, _) in path.match_indices('/') {
                let (Some(folder), Some(name)) = (path.get(..at), path.get(start..at)) else {
                    break;
                };
                if !entries.contains_key(folder) {
                    entries.insert(folder, Vec::new());
                    entries.entry(parent).or_default().push((name, true));
                }
                (parent, start) = (folder, at + 1);
            }
            let name = path.get(start..).unwrap_or_default();
            entries.entry(parent).or_default().push((name, false));
        }
        Some(Folders { entries, written })
    }
}

/// The folders of the previous site, each with its entries, and when the
/// list was written.
#[derive(Debug)]
pub(crate) struct Folders<'a> {
    /// Folder path ("" for the top) → (name, is a folder) of each entry.
    entries: HashMap<&'a str, Vec<(&'a str, bool)>>,
    written: SystemTime,
}

impl Folders<'_> {
    /// The entries of folder `rel`, whose metadata is `meta`, when it is a
    /// folder the list knows and nothing in it was added, removed or
    /// replaced since the list was written (which would have made it
    /// newer); `None` when the folder has to be read.
    pub(crate) fn untouched(&self, meta: &fs::Metadata, rel: &str) -> Option<&[(&str, bool)]> {
        if !meta.is_dir() || !untouched_since(meta.modified().ok(), Some(self.written)) {
            return None;
        }
        self.entries.get(rel).map(Vec::as_slice)
    }
}

/// True when something last modified at `modified` is known to be older
/// than the list, written at `written`. The same time counts as touched:
/// file systems round times to a tick.
fn untouched_since(modified: Option<SystemTime>, written: Option<SystemTime>) -> bool {
    matches!((modified, written), (Some(m), Some(w)) if m < w)
}

fn parse(text: &str) -> Option<HashMap<String, Fingerprint>> {
    let rest = text.strip_prefix(INTRO)?.strip_prefix(LEGEND)?;
    let mut files = HashMap::new();
    for line in rest.lines() {
        let mut fields = line.splitn(3, ' ');
        let hash = u128::from_str_radix(fields.next()?, 16).ok()?;
        let size = fields.next()?.parse().ok()?;
        // The sweep goes where the list says: a path that could leave the
        // output directory makes the whole list untrusted.
        let path = fields.next().filter(|p| super::is_safe(p))?;
        files.insert(path.to_string(), Fingerprint { hash, size });
    }
    Some(files)
}

/// The marker file's text for a site of `files`, in path order. A path with
/// a line break cannot be listed; its file is compared byte by byte.
pub(crate) fn text(files: &mut [(String, Fingerprint)]) -> String {
    files.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut text = String::with_capacity(INTRO.len() + LEGEND.len() + files.len() * 80);
    text.push_str(INTRO);
    text.push_str(LEGEND);
    for (path, Fingerprint { hash, size }) in files.iter() {
        if !path.contains(['\n', '\r']) {
            let _ = writeln!(text, "{hash:032x} {size} {path}");
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn listed(files: &[(&str, &str)]) -> String {
        let mut files: Vec<(String, Fingerprint)> =
            files.iter().map(|(p, b)| (p.to_string(), Fingerprint::of(b.as_bytes()))).collect();
        text(&mut files)
    }

    #[test]
    fn the_list_is_sorted_and_reads_back() {
        let text = listed(&[("b/index.html", "bee"), ("a file.svg", "<svg/>")]);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 4);
        assert!(lines[2].ends_with(" 6 a file.svg"), "{}", lines[2]);
        assert!(lines[3].ends_with(" 3 b/index.html"), "{}", lines[3]);
        let files = parse(&text).unwrap();
        assert_eq!(files["a file.svg"], Fingerprint::of(b"<svg/>"));
        assert_eq!(files["b/index.html"].size(), 3);
    }

    #[test]
    fn a_list_it_cannot_read_is_no_list() {
        let good = listed(&[("a.html", "a")]);
        assert!(parse(&good).is_some());
        // The marker of a build that kept no list: nothing to trust.
        assert!(parse(INTRO).is_none());
        for bad in [
            format!("{good}{:032x}  1 b.html\n", 1),
            format!("{good}zz 1 b.html\n"),
            format!("{good}{:032x} x b.html\n", 1),
            format!("{good}{:032x} 1\n", 1),
            good.replacen("hindsight", "someone", 1),
            // Paths that would lead the sweep out of the output directory.
            format!("{good}{:032x} 1 ../outside.html\n", 1),
            format!("{good}{:032x} 1 /etc/x\n", 1),
            format!("{good}{:032x} 1 a//b\n", 1),
        ] {
            assert!(parse(&bad).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn a_path_with_a_line_break_is_left_out() {
        let text = listed(&[("a\nb.html", "x"), ("c.html", "y")]);
        assert_eq!(parse(&text).unwrap().len(), 1);
    }

    #[test]
    fn folders_list_their_files_and_subfolders_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("marker");
        let files = [("a/b/x.html", ""), ("a/b/y.html", ""), ("a/z.html", ""), ("top.html", "")];
        fs::write(&path, listed(&files)).unwrap();
        let manifest = Manifest::read(&path);
        let folders = manifest.folders().unwrap();
        let sorted = |rel: &str| {
            let mut entries = folders.entries[rel].clone();
            entries.sort();
            entries
        };
        assert_eq!(sorted(""), [("a", true), ("top.html", false)]);
        assert_eq!(sorted("a"), [("b", true), ("z.html", false)]);
        assert_eq!(sorted("a/b"), [("x.html", false), ("y.html", false)]);
        // A folder modified at or after the list is read from disk. A
        // file added after the marker makes sure the folder's time is not
        // older than the marker's, whatever the clock's tick.
        fs::write(dir.path().join("later.html"), "").unwrap();
        let meta = fs::metadata(dir.path()).unwrap();
        assert!(meta.modified().unwrap() >= folders.written);
        assert!(folders.untouched(&meta, "").is_none());
        assert!(Manifest::default().folders().is_none());
    }

    #[test]
    fn only_files_untouched_since_the_list_are_trusted() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("marker");
        fs::write(&path, listed(&[("a.html", "old")])).unwrap();
        let manifest = Manifest::read(&path);
        let written = manifest.written.unwrap();
        let before = Some(written - Duration::from_secs(1));
        let (old, new) = (Fingerprint::of(b"old"), Fingerprint::of(b"new"));
        assert_eq!(manifest.matches("a.html", old, before), Some(true));
        assert_eq!(manifest.matches("a.html", new, before), Some(false));
        assert_eq!(manifest.matches("a.html", old, Some(written)), None);
        assert_eq!(manifest.matches("a.html", old, None), None);
        assert_eq!(manifest.matches("b.html", old, before), None);
        assert_eq!(Manifest::read(&dir.path().join("missing")).files.len(), 0);
        // The marker's own bytes are known, list or not.
        assert!(manifest.is_marker(&listed(&[("a.html", "old")])));
        assert!(!manifest.is_marker(&listed(&[("a.html", "new")])));
        fs::write(&path, "not a list\n").unwrap();
        assert!(Manifest::read(&path).is_marker("not a list\n"));
        assert!(!Manifest::default().is_marker(""));
    }
}
