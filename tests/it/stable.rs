//! Byte-identical output: the same archive built twice, from copies made in
//! opposite file orders in different temp dirs, and with SOURCE_DATE_EPOCH.

use std::path::Path;
use std::process::Command;

use crate::support::{Archive, read_tree};

/// Copies the example archive's inputs, creating files in the given order.
fn example_copy(reverse: bool) -> tempfile::TempDir {
    let src = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let mut files: Vec<_> = walkdir::WalkDir::new(src.join("content"))
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().to_path_buf())
        .collect();
    files.push(src.join("hindsight.toml"));
    files.sort();
    if reverse {
        files.reverse();
    }
    for file in files {
        let target = dir.path().join(file.strip_prefix(src).unwrap());
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(&file, &target).unwrap();
    }
    dir
}

/// Builds `root` with the given build date; content errors are allowed
/// (the lint fixture has some), fatal ones are not.
fn build(root: &Path, epoch: &str) -> std::collections::BTreeMap<String, Vec<u8>> {
    let out = root.join("public");
    let status = Command::new(env!("CARGO_BIN_EXE_hindsight"))
        .args(["build", "--root"])
        .arg(root)
        .env_clear()
        .env("NO_COLOR", "1")
        .env("SOURCE_DATE_EPOCH", epoch)
        .output()
        .expect("run hindsight");
    let code = status.status.code();
    assert!(matches!(code, Some(0 | 1)), "{}", String::from_utf8_lossy(&status.stderr));
    read_tree(&out)
}

#[test]
fn example_builds_are_byte_identical_across_dirs_and_file_order() {
    let a = example_copy(false);
    let b = example_copy(true);
    let first = build(a.path(), "1700000000");
    let second = build(b.path(), "1700000000");
    assert!(first.len() > 20, "the example has pages");
    assert_eq!(first.keys().collect::<Vec<_>>(), second.keys().collect::<Vec<_>>());
    for (path, bytes) in &first {
        assert!(bytes == &second[path], "{path} differs between the two builds");
    }
}

#[test]
fn source_date_epoch_sets_the_build_date() {
    let archive = Archive::fixture("lints");
    let first = build(archive.root(), "1700000000");
    std::fs::remove_dir_all(archive.out()).unwrap();
    assert_eq!(first, build(archive.root(), "1700000000"));
    // The build date decides what is "in the future": 2099-01-01 is, in
    // 2023, and is not in 2100.
    let future = |epoch: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_hindsight"))
            .args(["check", "--format", "short", "--root"])
            .arg(archive.root())
            .env_clear()
            .env("SOURCE_DATE_EPOCH", epoch)
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stderr).contains("[RCA072]")
    };
    assert!(future("1700000000"));
    assert!(!future("4102444800"));
}
