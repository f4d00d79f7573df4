//! Publishing: a build killed at any instant leaves the old site or the new
//! one whole; two builds never write one output at once; the leftovers of a
//! killed build go; file-system errors name the path and what to do.
//!
//! See: issue 26.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::support::read_tree;

fn hindsight(root: &Path, out: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_hindsight"));
    cmd.args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out)
        .env_clear()
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    cmd
}

/// Writes `n` incidents whose every page differs between versions.
fn write_archive(root: &Path, version: &str, n: usize) {
    let content = root.join("content");
    std::fs::create_dir_all(&content).unwrap();
    for i in 0..n {
        let text = format!(
            "---\ntitle: \"{version} incident {i}\"\ndate: 2024-01-{:02}\nseverity: P{}\n\
             services: [svc-{}]\n---\n## Summary\n\nVersion {version}, incident {i}, \
             see [[{version}-{}]].\n\n## Root Cause\n\nThe {version} cause of {i}.\n",
            i % 28 + 1,
            i % 5,
            i % 7,
            (i + 1) % n
        );
        std::fs::write(content.join(format!("{version}-{i}.md")), text).unwrap();
    }
}

fn switch_to(root: &Path, version: &str, n: usize) {
    let _ = std::fs::remove_dir_all(root.join("content"));
    write_archive(root, version, n);
}

fn build(root: &Path, out: &Path) {
    let output = hindsight(root, out).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
}

/// Names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}

#[test]
fn issue_26_a_build_killed_at_any_instant_leaves_one_whole_site() {
    let tmp = tempfile::tempdir().unwrap();
    let (root, site) = (tmp.path().join("archive"), tmp.path().join("site"));
    let out = site.join("public");
    let n = 120;
    switch_to(&root, "a", n);
    build(&root, &out);
    let old = read_tree(&out);
    switch_to(&root, "b", n);
    let t = Instant::now();
    build(&root, &out);
    let full = t.elapsed();
    let new = read_tree(&out);
    assert_ne!(old, new);

    let steps = 40;
    let (mut saw_old, mut saw_new) = (0, 0);
    for step in 0..=steps {
        if read_tree(&out) != old {
            switch_to(&root, "a", n);
            build(&root, &out);
            assert!(read_tree(&out) == old, "a rebuild of the old archive gives the old site");
            // The build that restored the old site removed what killed
            // builds left beside it.
            assert_eq!(names(&site), ["public"]);
            switch_to(&root, "b", n);
        }
        let mut child = hindsight(&root, &out).spawn().unwrap();
        // From the start to past the end of a full build, the write at the
        // end sampled most densely.
        let fraction = step as f64 / steps as f64;
        std::thread::sleep(full.mul_f64(0.3 + 0.9 * fraction));
        let _ = child.kill();
        let _ = child.wait();
        let now = read_tree(&out);
        if now == old {
            saw_old += 1;
        } else if now == new {
            saw_new += 1;
        } else {
            let mixed = now.iter().filter(|(p, b)| old.get(*p) != Some(b)).count();
            panic!("step {step}: a mix of the two sites ({mixed} of {} files not old)", now.len());
        }
    }
    // Which side each kill lands on depends on the machine's load; the
    // property under test is that no kill ever leaves a mix.
    eprintln!("kills that left the old site: {saw_old}, the new one: {saw_new}");
    assert_eq!(saw_old + saw_new, steps + 1, "every kill left one whole site");
}

#[test]
fn issue_26_a_second_build_into_one_output_fails_clearly() {
    use rustix::fs::{FlockOperation, flock};
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("archive");
    let out = tmp.path().join("public");
    switch_to(&root, "a", 3);
    // The lock a running build holds.
    let lock_path = tmp.path().join(".public.hindsight-lock");
    let lock = std::fs::File::create(&lock_path).unwrap();
    flock(&lock, FlockOperation::NonBlockingLockExclusive).unwrap();
    let second = hindsight(&root, &out).output().unwrap();
    assert_eq!(second.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(stderr.contains("another hindsight build is writing"), "{stderr}");
    assert!(stderr.contains(&*out.to_string_lossy()), "{stderr}");
    assert!(!out.exists(), "the second build wrote nothing");
    drop(lock);
    build(&root, &out);
    assert!(out.join("index.html").is_file());
    assert_eq!(names(tmp.path()), ["archive", "public"], "the lock file goes with the lock");
}

#[test]
fn issue_26_a_killed_builds_leftovers_are_removed_by_the_next() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("archive");
    let out = tmp.path().join("site/public");
    switch_to(&root, "a", 3);
    build(&root, &out);
    // What a build killed while writing leaves: its staging folder.
    std::fs::create_dir_all(tmp.path().join("site/.public.hindsight-new-4242/incidents")).unwrap();
    std::fs::write(tmp.path().join("site/.public.hindsight-new-4242/incidents/x.html"), "x")
        .unwrap();
    build(&root, &out);
    assert_eq!(names(&tmp.path().join("site")), ["public"]);
}

#[test]
fn issue_26_an_output_under_a_file_names_the_path_and_the_fix() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("archive");
    switch_to(&root, "a", 1);
    std::fs::write(tmp.path().join("file"), "not a folder").unwrap();
    let out = tmp.path().join("file/sub/public");
    let run = hindsight(&root, &out).output().unwrap();
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains(&*tmp.path().join("file").to_string_lossy()), "{stderr}");
    assert!(stderr.contains("is a file, not a folder"), "{stderr}");
}
