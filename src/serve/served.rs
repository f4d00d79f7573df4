//! What `serve` serves: the site's files in memory, the errors the overlay
//! shows, the version of every page, and the open reload streams. The
//! rebuild thread publishes into it ([`publish`]); request threads read it.
//!
//! Files are kept LZ4-compressed ([`Stored`]): a site is mostly HTML and
//! JSON that compress about fourfold, so a 10,000-incident site held in
//! memory costs a quarter of its size, for about a millisecond of
//! decompression per request.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};

use super::OverlayItem;
use crate::render::{Contents, OutputFile};

/// A file as serve keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Stored {
    /// Built bytes, LZ4-compressed with their length in front. The same
    /// bytes always compress alike, so equal files compare equal.
    Packed(Vec<u8>),
    /// An attachment, read from the archive when asked for.
    Copy(PathBuf),
}

impl Stored {
    pub(super) fn pack(contents: Contents) -> Stored {
        match contents {
            Contents::Bytes(b) => Stored::Packed(lz4_flex::compress_prepend_size(&b)),
            Contents::Copy(from) => Stored::Copy(from),
        }
    }

    /// The file's bytes; `None` when an attachment can no longer be read
    /// (or, never in practice, packed bytes do not unpack).
    pub(super) fn bytes(&self) -> Option<Vec<u8>> {
        match self {
            Stored::Packed(p) => lz4_flex::decompress_size_prepended(p).ok(),
            Stored::Copy(from) => std::fs::read(from).ok(),
        }
    }
}

/// A site file as serve keeps it.
#[derive(Debug)]
pub(super) struct StoredFile {
    pub(super) path: String,
    pub(super) stored: Stored,
}

impl StoredFile {
    pub(super) fn pack(file: OutputFile) -> StoredFile {
        StoredFile { path: file.path, stored: Stored::pack(file.contents) }
    }
}

/// Above this many changed files a reload event says `*` (every page)
/// rather than list them.
const MAX_LISTED: usize = 200;

/// The files and errors being served.
#[derive(Default)]
pub(super) struct Snapshot {
    pub(super) files: HashMap<String, Arc<Stored>>,
    pub(super) errors: Vec<OverlayItem>,
    /// Bumped by every publish that changed something.
    pub(super) generation: u64,
    /// The generation at which each file's bytes last changed.
    versions: HashMap<String, u64>,
    /// The generation at which the errors last changed (every page's
    /// overlay did).
    errors_version: u64,
}

impl Snapshot {
    /// The version of what a request for `path` gets: the generation at
    /// which those bytes last changed, the overlay included. A path the
    /// site does not have gets the 404 page, so it has that page's version.
    pub(super) fn version(&self, path: &str) -> u64 {
        let own = match self.versions.get(path) {
            Some(v) => *v,
            None => self.versions.get("404.html").copied().unwrap_or(0),
        };
        own.max(self.errors_version)
    }
}

/// The served state: the snapshot and the reload channels.
#[derive(Default)]
pub(super) struct State {
    pub(super) snapshot: RwLock<Snapshot>,
    pub(super) clients: Mutex<Vec<tokio::sync::mpsc::UnboundedSender<String>>>,
}

/// What a rebuild hands over.
#[derive(Debug)]
pub(super) enum Files {
    /// The whole site: replaces what is served.
    Site(Vec<StoredFile>),
    /// Some files: replace or add these, keep every other.
    Some(Vec<StoredFile>),
    /// Nothing to swap in (nothing changed, or the build failed and the
    /// last good site stays).
    Keep,
}

/// Swaps in `files` and `errors`, and tells open pages which paths
/// changed. Returns how many files were added, changed or removed.
pub(super) fn publish(state: &State, files: Files, errors: Vec<OverlayItem>) -> usize {
    let Ok(mut snapshot) = state.snapshot.write() else { return 0 };
    let changed = match files {
        Files::Site(files) => swap_files(&mut snapshot.files, files),
        Files::Some(files) => patch_files(&mut snapshot.files, files),
        Files::Keep => Vec::new(),
    };
    let errors_changed = snapshot.errors != errors;
    if changed.is_empty() && !errors_changed {
        return 0;
    }
    snapshot.generation += 1;
    let generation = snapshot.generation;
    for path in &changed {
        if snapshot.files.contains_key(path) {
            snapshot.versions.insert(path.clone(), generation);
        } else {
            snapshot.versions.remove(path);
        }
    }
    if errors_changed {
        snapshot.errors = errors;
        snapshot.errors_version = generation;
    }
    let message = reload_event(generation, &changed, errors_changed);
    drop(snapshot);
    if let Ok(mut clients) = state.clients.lock() {
        clients.retain(|c| c.send(message.clone()).is_ok());
    }
    changed.len()
}

/// The `reload` event: the generation and the site paths whose bytes
/// changed (`index.html`, `incidents/<slug>/index.html`, ...), or `*` when
/// every page should reload (the overlay changed, or too many files did to
/// list). A page reloads only when its own path is named.
pub(super) fn reload_event(generation: u64, changed: &[String], errors_changed: bool) -> String {
    let paths = if errors_changed || changed.len() > MAX_LISTED {
        serde_json::Value::from("*")
    } else {
        serde_json::Value::from(changed.to_vec())
    };
    let data = serde_json::json!({ "generation": generation, "paths": paths });
    format!("event: reload\ndata: {data}\n\n")
}

/// Replaces `served` with `files`, keeping the entries whose contents did
/// not change; returns the paths added, changed or removed, sorted.
fn swap_files(served: &mut HashMap<String, Arc<Stored>>, files: Vec<StoredFile>) -> Vec<String> {
    let mut changed = Vec::new();
    let mut next = HashMap::with_capacity(files.len());
    for file in files {
        let entry = match served.remove(&file.path) {
            Some(old) if *old == file.stored => old,
            _ => {
                changed.push(file.path.clone());
                Arc::new(file.stored)
            }
        };
        next.insert(file.path, entry);
    }
    changed.extend(served.drain().map(|(path, _)| path));
    *served = next;
    changed.sort();
    changed
}

/// Adds or replaces `files` in `served`; returns the paths whose contents
/// changed, sorted.
fn patch_files(served: &mut HashMap<String, Arc<Stored>>, files: Vec<StoredFile>) -> Vec<String> {
    let mut changed = Vec::new();
    for file in files {
        if served.get(&file.path).is_some_and(|old| **old == file.stored) {
            continue;
        }
        changed.push(file.path.clone());
        served.insert(file.path, Arc::new(file.stored));
    }
    changed.sort();
    changed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_files_unpack_to_their_bytes_and_compare_by_contents() {
        let page = "<p>Pool exhausted</p>\n".repeat(200);
        let a = Stored::pack(Contents::Bytes(page.clone().into_bytes()));
        assert!(matches!(&a, Stored::Packed(p) if p.len() < page.len() / 4), "HTML packs small");
        assert_eq!(a.bytes().as_deref(), Some(page.as_bytes()));
        assert_eq!(a, Stored::pack(Contents::Bytes(page.into_bytes())), "same bytes, same packing");
        assert_eq!(Stored::pack(Contents::Bytes(Vec::new())).bytes(), Some(Vec::new()));
        assert_eq!(Stored::Copy("/nonexistent/file".into()).bytes(), None);
    }

    fn file(p: &str, b: &str) -> StoredFile {
        StoredFile::pack(OutputFile { path: p.into(), contents: Contents::Bytes(b.into()) })
    }

    #[test]
    fn swap_keeps_unchanged_entries_and_names_changes() {
        let mut served = HashMap::new();
        assert_eq!(swap_files(&mut served, vec![file("a", "1"), file("b", "2")]), ["a", "b"]);
        let kept = Arc::clone(&served["a"]);
        assert_eq!(swap_files(&mut served, vec![file("a", "1"), file("c", "3")]), ["b", "c"]);
        assert!(Arc::ptr_eq(&kept, &served["a"]));
        assert!(swap_files(&mut served, vec![file("a", "1"), file("c", "3")]).is_empty());
    }

    #[test]
    fn patch_adds_and_replaces_only_what_differs() {
        let mut served = HashMap::new();
        swap_files(&mut served, vec![file("a", "1"), file("b", "2")]);
        assert_eq!(patch_files(&mut served, vec![file("a", "1"), file("b", "9")]), ["b"]);
        assert_eq!(patch_files(&mut served, vec![file("c", "3")]), ["c"]);
        assert_eq!(served.len(), 3, "patching never removes");
    }

    #[test]
    fn versions_move_only_for_pages_whose_bytes_changed() {
        let state = State::default();
        let site = |b: &str| vec![file("index.html", "i"), file("a/index.html", b)];
        assert_eq!(publish(&state, Files::Site(site("1")), Vec::new()), 2);
        assert_eq!(publish(&state, Files::Some(vec![file("a/index.html", "2")]), Vec::new()), 1);
        assert_eq!(publish(&state, Files::Site(site("2")), Vec::new()), 0, "nothing new");
        let snapshot = state.snapshot.read().unwrap();
        assert_eq!(snapshot.generation, 2);
        assert_eq!(snapshot.version("index.html"), 1);
        assert_eq!(snapshot.version("a/index.html"), 2);
        drop(snapshot);
        let error = OverlayItem { location: None, message: "error: x".into() };
        assert_eq!(publish(&state, Files::Keep, vec![error]), 0);
        assert_eq!(state.snapshot.read().unwrap().version("index.html"), 3, "overlay shown");
    }

    #[test]
    fn reload_events_name_paths_or_everything() {
        let one = reload_event(4, &["incidents/a/index.html".into()], false);
        assert_eq!(
            one,
            "event: reload\ndata: {\"generation\":4,\"paths\":[\"incidents/a/index.html\"]}\n\n"
        );
        assert!(reload_event(5, &[], true).contains("\"paths\":\"*\""));
        let many: Vec<String> = (0..=MAX_LISTED).map(|i| format!("p{i}")).collect();
        assert!(reload_event(6, &many, false).contains("\"paths\":\"*\""));
    }
}
