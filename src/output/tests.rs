//! Tests of the output stage: writing, cleaning and publishing a site.

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
fn same_bytes_reads_the_whole_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f");
    let big: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    for (on_disk, new) in [(&b""[..], &b""[..]), (b"abc", b"abc"), (&big[..], &big[..])] {
        fs::write(&path, on_disk).unwrap();
        assert!(same_bytes(&path, new), "{} bytes", new.len());
    }
    let mut changed = big.clone();
    *changed.last_mut().unwrap() ^= 1;
    for (on_disk, new) in [(&b"abcd"[..], &b"abc"[..]), (b"ab", b"abc"), (&big[..], &changed[..])] {
        fs::write(&path, on_disk).unwrap();
        assert!(!same_bytes(&path, new), "{} bytes on disk, {} new", on_disk.len(), new.len());
    }
}

#[test]
fn a_rebuild_touches_only_what_changed() {
    use std::os::unix::fs::MetadataExt;
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let first = [file("same.html", "same"), file("edit.html", "v1"), file("gone/x.html", "x")];
    write_site(&out, &first).unwrap();
    let inode = |p: &str| fs::metadata(out.join(p)).unwrap().ino();
    let (same, edit) = (inode("same.html"), inode("edit.html"));
    let stats = write_site(&out, &[file("same.html", "same"), file("edit.html", "v2")]).unwrap();
    assert_eq!((stats.files, stats.unchanged, stats.removed), (2, 1, 1));
    assert_eq!(inode("same.html"), same, "an unchanged file is not rewritten");
    assert_ne!(inode("edit.html"), edit);
    assert_eq!(fs::read_to_string(out.join("edit.html")).unwrap(), "v2");
    assert!(!out.join("gone").exists(), "stale files and their empty folders go");
    assert!(out.join(MARKER).is_file());
    let leftovers: Vec<_> =
        fs::read_dir(tmp.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(leftovers, ["public"]);
}

/// Sets the modification time of file or folder `path` an hour back:
/// as if written by an earlier build, well before its marker.
fn age(path: &Path) {
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    fs::File::open(path).unwrap().set_modified(hour_ago).unwrap();
}

#[test]
fn the_marker_lists_the_files_and_a_rebuild_trusts_it() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let site = [file("a/index.html", "page"), file("b.json", "{}")];
    write_site(&out, &site).unwrap();
    let marker = fs::read_to_string(out.join(MARKER)).unwrap();
    let listed: Vec<&str> = marker.lines().skip(2).map(|l| l.split_once(' ').unwrap().1).collect();
    assert_eq!(listed, ["4 a/index.html", "2 b.json"]);
    // Bytes changed behind the build's back, size and age kept: the list
    // vouches for the file, so it is not read back (nor rewritten).
    fs::write(out.join("a/index.html"), "PAGE").unwrap();
    age(&out.join("a/index.html"));
    // Older than the marker for certain: a file written in the marker's
    // own clock tick would be read back, and the marker rewritten.
    age(&out.join("b.json"));
    let marker_inode = || {
        use std::os::unix::fs::MetadataExt;
        fs::metadata(out.join(MARKER)).unwrap().ino()
    };
    let before = marker_inode();
    assert_eq!(write_site(&out, &site).unwrap().unchanged, 2);
    assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "PAGE");
    assert_eq!(fs::read_to_string(out.join(MARKER)).unwrap(), marker);
    assert_eq!(marker_inode(), before, "an unchanged list is not rewritten");
}

#[test]
fn a_file_changed_after_the_marker_is_read_back_and_put_right() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let site = [file("a.html", "page"), file("b.html", "same")];
    write_site(&out, &site).unwrap();
    fs::write(out.join("a.html"), "PAGE").unwrap();
    // Rewritten with the same bytes: read back, found equal, kept.
    fs::write(out.join("b.html"), "same").unwrap();
    let stats = write_site(&out, &site).unwrap();
    assert_eq!((stats.unchanged, stats.files), (1, 2));
    assert_eq!(fs::read_to_string(out.join("a.html")).unwrap(), "page");
}

#[test]
fn without_a_readable_list_every_file_is_read_back() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let site = [file("a.html", "page"), file("b.html", "same")];
    write_site(&out, &site).unwrap();
    let marker = fs::read_to_string(out.join(MARKER)).unwrap();
    let intro = marker.lines().next().unwrap();
    // The marker of a build that kept no list, and a damaged list.
    for old_marker in [format!("{intro}\n"), marker.replace(" 4 a.html", " four a.html")] {
        fs::write(out.join("a.html"), "PAGE").unwrap();
        age(&out.join("a.html"));
        fs::write(out.join(MARKER), &old_marker).unwrap();
        let stats = write_site(&out, &site).unwrap();
        assert_eq!(stats.unchanged, 1, "{old_marker}");
        assert_eq!(fs::read_to_string(out.join("a.html")).unwrap(), "page");
        assert_eq!(fs::read_to_string(out.join(MARKER)).unwrap(), marker);
    }
}

#[test]
fn a_folder_untouched_since_the_marker_is_swept_from_its_list() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let old = [file("a/x.html", "x"), file("b/y.html", "y"), file("b/z.html", "z")];
    write_site(&out, &old).unwrap();
    // A file put into `b` with its time set back, as if it had been
    // there before the marker: the sweep trusts the list and keeps it.
    fs::write(out.join("b/hidden.txt"), "h").unwrap();
    age(&out.join("b"));
    // Only a site moved in file by file is swept; a swapped one is new.
    let stats = write_site_in_place(&out, &[file("a/x.html", "x"), file("b/y.html", "y")]).unwrap();
    assert_eq!(stats.removed, 1);
    assert!(!out.join("b/z.html").exists());
    assert!(out.join("b/hidden.txt").exists());
}

#[test]
fn a_file_dropped_into_the_site_after_the_marker_is_removed() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let site = [file("a/x.html", "x"), file("b.html", "b")];
    write_site(&out, &site).unwrap();
    fs::write(out.join("a/junk.txt"), "junk").unwrap();
    fs::create_dir(out.join("new")).unwrap();
    fs::write(out.join("new/more.txt"), "more").unwrap();
    assert_eq!(write_site_in_place(&out, &site).unwrap().removed, 2);
    assert!(!out.join("a/junk.txt").exists() && !out.join("new").exists());
    assert!(out.join("a/x.html").exists());
    // Swapped whole, the new site has only its own files; `removed`
    // counts the previous site's listed files it no longer has.
    fs::write(out.join("a/junk.txt"), "junk").unwrap();
    let stats = write_site(&out, &[file("a/x.html", "x")]).unwrap();
    assert_eq!((stats.removed, stats.in_place), (1, false));
    assert!(!out.join("a/junk.txt").exists() && !out.join("b.html").exists());
}

#[test]
fn in_place_a_rebuild_touches_only_what_changed() {
    use std::os::unix::fs::MetadataExt;
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    write_site(&out, &[file("same.html", "same"), file("edit.html", "v1")]).unwrap();
    let inode = |p: &str| fs::metadata(out.join(p)).unwrap().ino();
    let (same, edit) = (inode("same.html"), inode("edit.html"));
    let stats =
        write_site_in_place(&out, &[file("same.html", "same"), file("edit.html", "v2")]).unwrap();
    assert_eq!((stats.files, stats.unchanged, stats.in_place), (2, 1, true));
    assert_eq!(inode("same.html"), same);
    assert_ne!(inode("edit.html"), edit);
    assert_eq!(fs::read_to_string(out.join("edit.html")).unwrap(), "v2");
    let inside: Vec<_> = fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(inside.len(), 3, "no staging folder left inside: {inside:?}");
}

#[test]
fn a_swap_keeps_unchanged_files_and_the_output_folder_is_replaced_whole() {
    use std::os::unix::fs::MetadataExt;
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    write_site(&out, &[file("a.html", "a"), file("b.html", "b")]).unwrap();
    let before = fs::metadata(out.join("a.html")).unwrap();
    let folder = fs::metadata(&out).unwrap().ino();
    age(&out.join("a.html"));
    let aged = fs::metadata(out.join("a.html")).unwrap().modified().unwrap();
    let stats = write_site(&out, &[file("a.html", "a"), file("b.html", "B")]).unwrap();
    assert!(!stats.in_place);
    let after = fs::metadata(out.join("a.html")).unwrap();
    assert_eq!(after.ino(), before.ino(), "an unchanged file is the same file");
    assert_eq!(after.modified().unwrap(), aged, "and keeps its time");
    assert_ne!(fs::metadata(&out).unwrap().ino(), folder, "the folder was swapped");
    let beside: Vec<_> =
        fs::read_dir(tmp.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(beside, ["public"], "no staging folder, old site or lock left");
}

#[test]
fn a_listed_folder_now_a_link_is_removed_not_followed() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let outside = tmp.path().join("outside");
    fs::create_dir(&outside).unwrap();
    fs::write(outside.join("x.html"), "mine").unwrap();
    let site = [file("d/a/x.html", "x"), file("d/keep.html", "k"), file("top.html", "t")];
    write_site(&out, &site).unwrap();
    fs::remove_dir_all(out.join("d/a")).unwrap();
    std::os::unix::fs::symlink(&outside, out.join("d/a")).unwrap();
    age(&out.join("d"));
    let stats = write_site(&out, &[file("d/keep.html", "k"), file("top.html", "t")]).unwrap();
    assert_eq!(stats.removed, 1, "the link itself");
    assert!(!out.join("d/a").exists() && !out.join("d/a").is_symlink());
    assert_eq!(fs::read_to_string(outside.join("x.html")).unwrap(), "mine");
}

#[test]
fn a_copied_attachment_is_rewritten_only_when_its_source_changed() {
    use std::os::unix::fs::MetadataExt;
    let tmp = tempfile::tempdir().unwrap();
    let (out, src) = (tmp.path().join("public"), tmp.path().join("chart.svg"));
    let copy = || OutputFile { path: "a/chart.svg".into(), contents: Contents::Copy(src.clone()) };
    fs::write(&src, "<svg>1</svg>").unwrap();
    write_site(&out, &[copy()]).unwrap();
    let inode = || fs::metadata(out.join("a/chart.svg")).unwrap().ino();
    let first = inode();
    assert_eq!(write_site(&out, &[copy()]).unwrap().unchanged, 1);
    assert_eq!(inode(), first);
    fs::write(&src, "<svg>2</svg>").unwrap();
    assert_eq!(write_site(&out, &[copy()]).unwrap().unchanged, 0);
    assert_eq!(fs::read_to_string(out.join("a/chart.svg")).unwrap(), "<svg>2</svg>");
}

#[test]
fn a_file_can_become_a_folder_and_back() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    write_site(&out, &[file("a", "file")]).unwrap();
    write_site(&out, &[file("a/index.html", "in a folder")]).unwrap();
    assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "in a folder");
    write_site(&out, &[file("a", "file again")]).unwrap();
    assert_eq!(fs::read_to_string(out.join("a")).unwrap(), "file again");
}

#[test]
fn a_symlink_in_the_output_is_removed_not_followed() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let outside = tmp.path().join("outside");
    fs::create_dir(&outside).unwrap();
    fs::write(outside.join("keep.txt"), "mine").unwrap();
    write_site(&out, &[file("a.html", "a")]).unwrap();
    std::os::unix::fs::symlink(&outside, out.join("link")).unwrap();
    write_site(&out, &[file("a.html", "a"), file("link/x.html", "x")]).unwrap();
    assert!(out.join("link").is_dir() && !out.join("link").is_symlink());
    assert_eq!(fs::read_to_string(outside.join("keep.txt")).unwrap(), "mine");
    assert!(!outside.join("x.html").exists());
    write_site(&out, &[file("a.html", "a")]).unwrap();
    assert_eq!(fs::read_to_string(outside.join("keep.txt")).unwrap(), "mine");
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
