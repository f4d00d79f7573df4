//! Fixture archives copied into temp dirs, built through the library API.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use hindsight::{BuildOptions, BuildReport, Site};

/// A fixture archive copied into its own temp dir.
pub(crate) struct Archive {
    pub(crate) dir: tempfile::TempDir,
}

impl Archive {
    /// Copies `tests/fixtures/<name>` into a fresh temp dir.
    pub(crate) fn fixture(name: &str) -> Archive {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name);
        Archive::copy_of(&src)
    }

    /// Copies any archive folder into a fresh temp dir.
    pub(crate) fn copy_of(src: &Path) -> Archive {
        let dir = tempfile::tempdir().expect("temp dir");
        copy_tree(src, dir.path());
        Archive { dir }
    }

    /// A temp archive made of the given files or folders, each copied to
    /// the relative path beside it.
    pub(crate) fn dir_with(parts: &[(PathBuf, &str)]) -> Archive {
        let dir = tempfile::tempdir().expect("temp dir");
        for (src, rel) in parts {
            let dst = dir.path().join(rel);
            if src.is_dir() {
                copy_tree(src, &dst);
            } else {
                std::fs::copy(src, &dst).unwrap();
            }
        }
        Archive { dir }
    }

    pub(crate) fn root(&self) -> &Path {
        self.dir.path()
    }

    pub(crate) fn out(&self) -> PathBuf {
        self.root().join("public")
    }

    pub(crate) fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) {
        let path = self.root().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }

    pub(crate) fn build(&self) -> BuildReport {
        self.build_with(BuildOptions::default())
    }

    /// Builds as if on `date` (`YYYY-MM-DD`): overdue action items and
    /// anything else judged against the build date stay the same every day.
    pub(crate) fn build_on(&self, date: &str) -> BuildReport {
        let mut site = Site::open(self.root()).expect("config");
        site.build_date = date.parse().expect("a date");
        site.build(&BuildOptions::default()).expect("build")
    }

    pub(crate) fn build_with(&self, options: BuildOptions) -> BuildReport {
        Site::open(self.root()).expect("config").build(&options).expect("build")
    }

    /// A file of the built site as text.
    pub(crate) fn read(&self, rel: &str) -> String {
        let path = self.out().join(rel);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    /// `list/<name>.js`, the index's filter data, as JSON.
    pub(crate) fn list_file(&self, name: &str) -> serde_json::Value {
        self.data_file("list", name)
    }

    /// The value a list data script under `folder` (`list`, `actions/data`)
    /// adds as `name`.
    pub(crate) fn data_file(&self, folder: &str, name: &str) -> serde_json::Value {
        let js = self.read(&format!("{folder}/{name}.js"));
        let prefix = format!("(self.hindsightList=self.hindsightList||{{}})[\"{name}\"]=");
        serde_json::from_str(js.strip_prefix(&prefix).unwrap().strip_suffix(";\n").unwrap())
            .unwrap()
    }

    /// The owner `actions.json` gives the action item whose text starts
    /// with `text` (null for none).
    pub(crate) fn action_owner(&self, text: &str) -> serde_json::Value {
        let actions: serde_json::Value = serde_json::from_str(&self.read("actions.json")).unwrap();
        let items = actions["items"].as_array().unwrap();
        let item = items.iter().find(|i| i["action"].as_str().unwrap().starts_with(text));
        item.unwrap_or_else(|| panic!("no action item {text:?}"))["owner"].clone()
    }

    /// Every file of the built site with its bytes.
    pub(crate) fn output_files(&self) -> BTreeMap<String, Vec<u8>> {
        read_tree(&self.out())
    }
}

pub(crate) fn read_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

pub(crate) fn copy_tree(src: &Path, dst: &Path) {
    for entry in walkdir::WalkDir::new(src).sort_by_file_name() {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(src).unwrap();
        let target = dst.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else if entry.file_type().is_file() {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// `(code, file, line)` of every diagnostic, in report order.
pub(crate) fn codes(report: &BuildReport) -> Vec<(String, String, Option<usize>)> {
    report
        .diagnostics
        .sorted()
        .iter()
        .map(|d| {
            let file =
                d.file.as_ref().map(|f| f.to_string_lossy().replace('\\', "/")).unwrap_or_default();
            (d.code.to_string(), file, d.line())
        })
        .collect()
}

/// The `<main>` element of a page, for snapshots that ignore the chrome.
pub(crate) fn main_of(html: &str) -> String {
    let start = html.find("<main").expect("<main>");
    let end = html.rfind("</main>").expect("</main>") + "</main>".len();
    html[start..end].to_string()
}

/// The elements of `doc` matching `css`.
pub(crate) fn select<'a>(doc: &'a scraper::Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    doc.select(&scraper::Selector::parse(css).unwrap()).collect()
}

/// The elements under `e` matching `css`.
pub(crate) fn select_in<'a>(
    e: &scraper::ElementRef<'a>,
    css: &str,
) -> Vec<scraper::ElementRef<'a>> {
    e.select(&scraper::Selector::parse(css).unwrap()).collect()
}

/// The text of `e`, its pieces joined by spaces and runs of white space
/// folded into one.
pub(crate) fn text(e: &scraper::ElementRef<'_>) -> String {
    let joined = e.text().collect::<Vec<_>>().join(" ");
    joined.split_whitespace().collect::<Vec<_>>().join(" ")
}
