//! The serve pipeline's edit, full and catch-up paths on small archives.

use super::super::served::Stored;
use super::*;
use crate::load::{parse_document, source_from_bytes};
use crate::render::Collect;
use crate::site::BuildOptions;

fn incident(front: &str, body: &str) -> Incident {
    let text = format!("---\ntitle: A\ndate: 2024-01-01\nseverity: P2\n{front}---\n{body}");
    let source = source_from_bytes(Path::new("content/a.md"), text.into_bytes()).unwrap();
    let doc = parse_document(source).0.unwrap();
    validate::incident_from(doc, &Config::default()).0.unwrap()
}

#[test]
fn only_a_new_address_alias_own_id_or_draft_flag_needs_every_stage() {
    let old = incident("services: [db]\n", "## Summary\nOne.\n");
    let edits = [
        incident("services: [db]\n", "## Summary\nTwo, and [[b]].\n## Timeline\n"),
        incident("services: [db]\nduration_minutes: 5\nowner: x\n", "## Summary\nOne.\n"),
        incident("services: [db, api]\n", "## Summary\nOne.\n"),
        incident("services: [db]\ntags: [x]\n", "## Summary\nOne.\n"),
        incident("services: [db]\nstatus: open\n", "## Summary\nOne.\n"),
    ];
    for new in &edits {
        assert_eq!(full_render_reason(&old, new), None);
    }
    let mut moved = old.clone();
    moved.date = None;
    moved.severity = crate::model::Severity::unrated();
    moved.title = "B".into();
    assert_eq!(full_render_reason(&old, &moved), None, "title, date and severity: the edit path");
    for (front, field) in [
        ("services: [db]\nslug: other\n", "slug"),
        ("services: [db]\naliases: [pool]\n", "aliases"),
        ("services: [db]\nid: INC-7\n", "own id"),
        ("services: [db]\ndraft: true\n", "draft"),
    ] {
        let new = incident(front, "## Summary\nOne.\n");
        assert_eq!(full_render_reason(&old, &new), Some(field), "{front}");
    }
    // The load stage finds an image's file, wherever it is kept.
    let shown = incident("services: [db]\n", "## Summary\nOne.\n![p99](/assets/p99.png)\n");
    assert_eq!(full_render_reason(&old, &shown), Some("images"));
    let moved = incident("services: [db]\n", "## Summary\nOne, two.\n\n![p99](/assets/p99.png)\n");
    assert_eq!(full_render_reason(&shown, &moved), None, "the same images, elsewhere in the text");
}

#[test]
fn a_severity_or_service_edit_renders_the_pages_that_show_it_and_the_catch_up_equals_a_full_build()
{
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let write = |name: &str, text: String| write_content(root, name, &text);
    write("a.md", rca_with("Pool", "2024-01-01", "P2", "db", "## Summary\nThe pool ran dry."));
    write("b.md", rca_with("Queue", "2024-02-01", "P2", "api", "## Summary\nLike [[a]] before."));
    write("c.md", rca_with("Cert", "2024-03-01", "P3", "edge", "## Summary\nExpired."));
    let mut pipeline = Pipeline::new(root, false);
    pipeline.rebuild(&BTreeSet::new(), Preempt::never()).unwrap();
    let changed = BTreeSet::from([PathBuf::from("content/b.md")]);

    // A new severity: b's page, and a's, whose "Referenced by" shows b.
    write("b.md", rca_with("Queue", "2024-02-01", "P1", "api", "## Summary\nLike [[a]] before."));
    let step = pipeline.rebuild(&changed, Preempt::never()).unwrap();
    assert_eq!(step.kind, Kind::Edit);
    assert_eq!(paths(&step.files), ["incidents/a/index.html", "incidents/b/index.html"]);
    assert!(page(&step.files, "incidents/b/index.html").contains("sev sev-p1"));
    let caught_up = pipeline.catch_up(Preempt::never()).unwrap();
    assert!(page(&caught_up.files, "severity/p1/index.html").contains("Queue"));
    assert_is_a_full_build(root, caught_up.files, "the catch-up after a severity edit");

    // A service that has a page: the edit path, the chip links to it.
    write(
        "b.md",
        rca_with("Queue", "2024-02-01", "P1", "api, db", "## Summary\nLike [[a]] before."),
    );
    let step = pipeline.rebuild(&changed, Preempt::never()).unwrap();
    assert_eq!(step.kind, Kind::Edit);
    assert!(
        page(&step.files, "incidents/b/index.html")
            .contains("href=\"../../services/db/index.html\"")
    );
    let caught_up = pipeline.catch_up(Preempt::never()).unwrap();
    assert_is_a_full_build(root, caught_up.files, "the catch-up after a service edit");

    // A service no page has yet: every stage, so its page exists at once.
    write("b.md", rca_with("Queue", "2024-02-01", "P1", "queue", "## Summary\nLike [[a]] before."));
    let step = pipeline.rebuild(&changed, Preempt::never()).unwrap();
    assert_eq!(step.kind, Kind::Full);
    assert!(paths(&step.files).contains(&"services/queue/index.html"));
}

/// An image named in an edit is published at once, from wherever the
/// archive keeps it: the edit takes the full path, which finds its file.
#[test]
fn an_edit_that_shows_a_new_image_publishes_it() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("assets")).unwrap();
    std::fs::write(root.join("assets/p99.png"), "P99").unwrap();
    write_content(root, "a.md", &rca("Pool", "2024-01-01", "## Summary\nThe pool ran dry."));
    let mut pipeline = Pipeline::new(root, false);
    pipeline.rebuild(&BTreeSet::new(), Preempt::never()).unwrap();
    let body = "## Summary\nThe pool ran dry.\n\n![p99](/assets/p99.png)";
    write_content(root, "a.md", &rca("Pool", "2024-01-01", body));
    let changed = BTreeSet::from([PathBuf::from("content/a.md")]);
    let step = pipeline.rebuild(&changed, Preempt::never()).unwrap();
    assert_eq!(step.kind, Kind::Full);
    assert!(paths(&step.files).contains(&"incidents/a/assets/p99.png"));
    assert!(page(&step.files, "incidents/a/index.html").contains("<img src=\"assets/p99.png\""));
}

/// Writes `content/<name>` under `root`.
fn write_content(root: &Path, name: &str, text: &str) {
    std::fs::create_dir_all(root.join("content")).unwrap();
    std::fs::write(root.join("content").join(name), text).unwrap();
}

fn rca(title: &str, date: &str, body: &str) -> String {
    rca_with(title, date, "P2", "db", body)
}

/// An RCA with its severity and services (`a, b`) given.
fn rca_with(title: &str, date: &str, severity: &str, services: &str, body: &str) -> String {
    format!(
        "---\ntitle: {title}\ndate: {date}\nseverity: {severity}\nservices: [{services}]\n---\n{body}\n"
    )
}

fn paths(files: &Files) -> Vec<&str> {
    match files {
        Files::Site(f) | Files::Some(f) => {
            let mut paths: Vec<&str> = f.iter().map(|f| f.path.as_str()).collect();
            paths.sort_unstable();
            paths
        }
        Files::Keep => Vec::new(),
    }
}

fn page(files: &Files, path: &str) -> String {
    let (Files::Site(f) | Files::Some(f)) = files else { panic!("no files") };
    let file = f.iter().find(|f| f.path == path).unwrap();
    String::from_utf8(file.stored.bytes().unwrap()).unwrap()
}

/// `files` are the whole site, as a full build of `root` renders it.
fn assert_is_a_full_build(root: &Path, files: Files, what: &str) {
    let Files::Site(files) = files else { panic!("{what}: not the whole site") };
    let (fresh, _) = Site::open(root).unwrap().render(&BuildOptions::default()).unwrap();
    let fresh: Vec<(String, Stored)> =
        fresh.into_iter().map(StoredFile::pack).map(|f| (f.path, f.stored)).collect();
    let files: Vec<(String, Stored)> = files.into_iter().map(|f| (f.path, f.stored)).collect();
    assert_eq!(files, fresh, "{what} builds what a full build does");
}

#[test]
fn an_edit_renders_its_page_and_the_catch_up_equals_a_full_build() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let write = |name: &str, text: String| write_content(root, name, &text);
    write("a.md", rca("Pool", "2024-01-01", "## Summary\nThe pool ran dry."));
    write("b.md", rca("Queue", "2024-02-01", "## Summary\nLike [[a]] before."));
    write("c.md", rca("Cert", "2024-03-01", "## Summary\nExpired."));
    let mut pipeline = Pipeline::new(root, false);
    let first = pipeline.rebuild(&BTreeSet::new(), Preempt::never()).unwrap();
    assert_eq!(first.kind, Kind::Full);
    assert!(first.errors.is_empty(), "{:?}", first.errors);
    assert!(!pipeline.owes_catch_up());

    // A body edit of b: its page, and a's, which quotes b's sentence.
    write("b.md", rca("Queue", "2024-02-01", "## Summary\nUnlike [[a]] now."));
    let changed = BTreeSet::from([PathBuf::from("content/b.md")]);
    let step = pipeline.rebuild(&changed, Preempt::never()).unwrap();
    assert_eq!(step.kind, Kind::Edit);
    assert_eq!(paths(&step.files), ["incidents/a/index.html", "incidents/b/index.html"]);
    assert!(page(&step.files, "incidents/b/index.html").contains("Unlike"));
    assert!(page(&step.files, "incidents/a/index.html").contains("Unlike"));
    assert!(pipeline.owes_catch_up());

    let caught_up = pipeline.catch_up(Preempt::never()).unwrap();
    assert_eq!(caught_up.kind, Kind::CatchUp);
    assert!(!pipeline.owes_catch_up());
    assert_is_a_full_build(root, caught_up.files, "the catch-up");

    // A new title: its page, and a's, which it links to; the lists in
    // the catch-up.
    write("b.md", rca("Queue backlog", "2024-02-01", "## Summary\nUnlike [[a]] now."));
    let step = pipeline.rebuild(&changed, Preempt::never()).unwrap();
    assert_eq!(step.kind, Kind::Edit);
    assert!(page(&step.files, "incidents/b/index.html").contains("<h1>Queue backlog</h1>"));
    assert!(page(&step.files, "incidents/a/index.html").contains("Queue backlog"));
    let caught_up = pipeline.catch_up(Preempt::never()).unwrap();
    assert!(page(&caught_up.files, "index.html").contains("Queue backlog"));
    assert_is_a_full_build(root, caught_up.files, "the catch-up after a title edit");

    // A link by title follows the title: c names b by its new title.
    write("c.md", rca("Cert", "2024-03-01", "## Summary\nSee [[Queue backlog]]."));
    let changed_c = BTreeSet::from([PathBuf::from("content/c.md")]);
    pipeline.rebuild(&changed_c, Preempt::never()).unwrap();
    write("b.md", rca("Queue stall", "2024-02-01", "## Summary\nUnlike [[a]] now."));
    // c's link to the old title no longer resolves: c's page shows it
    // broken at once.
    let step = pipeline.rebuild(&changed, Preempt::never()).unwrap();
    assert_eq!(step.kind, Kind::Edit);
    assert!(page(&step.files, "incidents/c/index.html").contains("class=\"broken-link\""));
    assert!(page(&step.files, "incidents/b/index.html").contains("<h1>Queue stall</h1>"));
    pipeline.catch_up(Preempt::never()).unwrap();

    // Broken front matter: the overlay, and no files to swap in.
    write("b.md", "---\ntitle: [unclosed\n---\nBroken.\n".into());
    let step = pipeline.rebuild(&changed, Preempt::never()).unwrap();
    assert!(matches!(step.files, Files::Keep));
    assert_eq!(step.errors.len(), 1);
    assert!(step.errors[0].message.contains("RCA003"), "{:?}", step.errors);
    // While errors show, even a body edit elsewhere takes the full path.
    write("c.md", rca("Cert", "2024-03-01", "## Summary\nExpired again."));
    let other = BTreeSet::from([PathBuf::from("content/c.md")]);
    assert_eq!(pipeline.rebuild(&other, Preempt::never()).unwrap().kind, Kind::Full);
}

#[test]
fn a_render_nobody_wants_any_more_stops_before_any_work() {
    /// Takes every file, but says the site is no longer wanted, as
    /// `serve` does once a newer save arrived.
    struct Unwanted(Collect);
    impl Emit for Unwanted {
        fn emit(&self, file: OutputFile) -> Result<()> {
            self.0.emit(file)
        }
        fn wanted(&self) -> Result<()> {
            Err(Error::Unwanted)
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write_content(root, "a.md", &rca("Pool", "2024-01-01", "Dry."));
    let mut pipeline = Pipeline::new(root, false);
    pipeline.rebuild(&BTreeSet::new(), Preempt::never()).unwrap();
    let analysed = pipeline.last.as_ref().unwrap();
    let out = Unwanted(Collect::default());
    let result = render::render_site(&analysed.input(root), &out);
    assert!(matches!(result, Err(Error::Unwanted)), "{result:?}");
    assert!(out.0.into_files().is_empty(), "no page was rendered");
}

#[test]
fn a_rebuild_overtaken_by_a_newer_change_shows_nothing_and_the_next_runs_every_stage() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write_content(root, "a.md", &rca("Pool", "2024-01-01", "Dry."));
    let mut pipeline = Pipeline::new(root, false);
    let changes = AtomicU64::new(0);
    let preempt = Preempt::after(&changes);
    changes.fetch_add(1, Ordering::SeqCst);
    assert!(pipeline.rebuild(&BTreeSet::new(), preempt).is_none());
    assert!(pipeline.last.is_none(), "nothing of the overtaken rebuild is kept");
    let step = pipeline.rebuild(&BTreeSet::new(), Preempt::after(&changes)).unwrap();
    assert_eq!(step.kind, Kind::Full);
    assert!(matches!(step.files, Files::Site(_)));
}

#[test]
fn renaming_a_heading_renders_the_pages_that_link_to_it() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let write = |name: &str, text: String| write_content(root, name, &text);
    write("a.md", rca("Pool", "2024-01-01", "## Impact\nSlow."));
    write("b.md", rca("Queue", "2024-02-01", "See [[a#Impact]]."));
    write("c.md", rca("Cert", "2024-03-01", "See [[a]]."));
    let mut pipeline = Pipeline::new(root, false);
    pipeline.rebuild(&BTreeSet::new(), Preempt::never()).unwrap();
    write("a.md", rca("Pool", "2024-01-01", "## Effect\nSlow."));
    let changed = BTreeSet::from([PathBuf::from("content/a.md")]);
    let step = pipeline.rebuild(&changed, Preempt::never()).unwrap();
    assert_eq!(step.kind, Kind::Edit);
    assert_eq!(
        paths(&step.files),
        ["incidents/a/index.html", "incidents/b/index.html"],
        "b's link lost its anchor; c's link did not change"
    );
    assert!(!page(&step.files, "incidents/b/index.html").contains("#impact"));
}

#[test]
fn watcher_paths_are_classified() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write_content(root, "a.md", &rca("A", "2024-01-01", "x"));
    write_content(root, "b.md", &rca("B", "2024-01-02", "y"));
    let mut pipeline = Pipeline::new(root, false);
    pipeline.rebuild(&BTreeSet::new(), Preempt::never()).unwrap();
    let classify = |paths: &[&str]| {
        pipeline.classify(&paths.iter().map(PathBuf::from).collect::<BTreeSet<_>>())
    };
    assert_eq!(classify(&["content/a.md"]), Change::Edit("content/a.md".into()));
    assert_eq!(
        classify(&["content/a.md", "content/4913", "content/.a.md.swp"]),
        Change::Edit("content/a.md".into()),
        "temporary and hidden files are not changes"
    );
    assert_eq!(classify(&["content/.a.md.swp"]), Change::Nothing);
    assert_eq!(classify(&["content/a.md", "content/b.md"]), Change::Other);
    assert_eq!(classify(&["hindsight.toml"]), Change::Other);
    assert_eq!(classify(&["content/gone.md"]), Change::Nothing);
    std::fs::write(root.join("content/new.md"), "x").unwrap();
    assert_eq!(classify(&["content/new.md"]), Change::Other);
    std::fs::remove_file(root.join("content/b.md")).unwrap();
    assert_eq!(classify(&["content/b.md"]), Change::Other);
}
