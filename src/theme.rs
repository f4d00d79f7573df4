//! The theme: templates and static files, embedded in the binary and
//! overridable file by file.
//!
//! `themes/default/` in this repository is the only copy of the default
//! theme; [`TEMPLATES`] and [`STATIC_FILES`] embed it, one line per file (a
//! test keeps the tables and the folder in step). An archive that sets
//! `theme = "<name>"` may hold `themes/<name>/templates/*.html` and
//! `themes/<name>/static/*`, which replace embedded files of the same name.
//! Imports: error, config.

use std::collections::BTreeMap;
use std::path::Path;

use crate::config::Config;
use crate::error::{Error, Result};

/// The default templates, by name.
pub const TEMPLATES: &[(&str, &str)] = &[
    ("404.html", include_str!("../themes/default/templates/404.html")),
    ("actions.html", include_str!("../themes/default/templates/actions.html")),
    ("base.html", include_str!("../themes/default/templates/base.html")),
    ("graph.html", include_str!("../themes/default/templates/graph.html")),
    ("incident.html", include_str!("../themes/default/templates/incident.html")),
    ("index.html", include_str!("../themes/default/templates/index.html")),
    (
        "partials/action_row.html",
        include_str!("../themes/default/templates/partials/action_row.html"),
    ),
    ("partials/filters.html", include_str!("../themes/default/templates/partials/filters.html")),
    (
        "partials/incident_row.html",
        include_str!("../themes/default/templates/partials/incident_row.html"),
    ),
    (
        "partials/incident_table.html",
        include_str!("../themes/default/templates/partials/incident_table.html"),
    ),
    (
        "partials/incident_timeline.html",
        include_str!("../themes/default/templates/partials/incident_timeline.html"),
    ),
    (
        "partials/incident_times.html",
        include_str!("../themes/default/templates/partials/incident_times.html"),
    ),
    ("partials/pager.html", include_str!("../themes/default/templates/partials/pager.html")),
    (
        "partials/service_owner.html",
        include_str!("../themes/default/templates/partials/service_owner.html"),
    ),
    (
        "partials/timeline_entry.html",
        include_str!("../themes/default/templates/partials/timeline_entry.html"),
    ),
    ("stats.html", include_str!("../themes/default/templates/stats.html")),
    ("term.html", include_str!("../themes/default/templates/term.html")),
    ("terms.html", include_str!("../themes/default/templates/terms.html")),
    ("timeline.html", include_str!("../themes/default/templates/timeline.html")),
];

/// The default static files, by path under `static/`.
pub(crate) const STATIC_FILES: &[(&str, &[u8])] = &[
    ("facets.js", include_bytes!("../themes/default/static/facets.js")),
    ("filters.js", include_bytes!("../themes/default/static/filters.js")),
    ("graph.js", include_bytes!("../themes/default/static/graph.js")),
    ("notfound.js", include_bytes!("../themes/default/static/notfound.js")),
    ("print.css", include_bytes!("../themes/default/static/print.css")),
    ("search.js", include_bytes!("../themes/default/static/search.js")),
    ("style.css", include_bytes!("../themes/default/static/style.css")),
];

/// Compiled templates plus the static files to publish.
pub struct Theme {
    /// Every template, compiled once.
    pub tera: tera::Tera,
    /// Static files by path under `static/`, overrides applied.
    pub static_files: BTreeMap<String, Vec<u8>>,
}

/// Loads the embedded theme and applies the archive's overrides.
pub fn load_theme(root: &Path, config: &Config) -> Result<Theme> {
    let mut templates: BTreeMap<String, String> =
        TEMPLATES.iter().map(|(n, t)| (n.to_string(), t.to_string())).collect();
    let mut static_files: BTreeMap<String, Vec<u8>> =
        STATIC_FILES.iter().map(|(n, b)| (n.to_string(), b.to_vec())).collect();
    if let Some(name) = &config.theme {
        let dir = root.join("themes").join(name);
        if !dir.is_dir() {
            return Err(Error::Config {
                path: root.join(crate::config::CONFIG_FILE),
                line: None,
                message: format!("`theme` names {name:?}, but `themes/{name}/` does not exist"),
            });
        }
        for (rel, bytes) in read_tree(&dir.join("templates"))? {
            let text = String::from_utf8(bytes).map_err(|e| Error::Template {
                name: rel.clone(),
                source: tera::Error::chain("template is not valid UTF-8", e),
            })?;
            templates.insert(rel, text);
        }
        static_files.extend(read_tree(&dir.join("static"))?);
    }
    let mut tera = tera::Tera::new();
    // All at once: a template may extend one that sorts after it.
    tera.add_raw_templates(templates.iter().map(|(n, t)| (n.as_str(), t.as_str())))
        .map_err(|source| Error::Template { name: "theme".into(), source })?;
    Ok(Theme { tera, static_files })
}

/// Every regular file under `dir` (links not followed), by relative path.
fn read_tree(dir: &Path) -> Result<Vec<(String, Vec<u8>)>> {
    let mut files = Vec::new();
    if !dir.is_dir() {
        return Ok(files);
    }
    for entry in walkdir::WalkDir::new(dir).follow_links(false).sort_by_file_name() {
        let entry = entry.map_err(|e| Error::Read {
            path: e.path().unwrap_or(dir).to_path_buf(),
            source: std::io::Error::other(e.to_string()),
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        let rel = rel.to_string_lossy().replace('\\', "/");
        let bytes = std::fs::read(entry.path())
            .map_err(|source| Error::Read { path: entry.path().to_path_buf(), source })?;
        files.push((rel, bytes));
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listing(sub: &str) -> Vec<String> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default").join(sub);
        read_tree(&dir).unwrap().into_iter().map(|(n, _)| n).collect()
    }

    #[test]
    fn embedded_tables_match_the_theme_folder() {
        let templates: Vec<_> = TEMPLATES.iter().map(|(n, _)| n.to_string()).collect();
        assert_eq!(templates, listing("templates"));
        let statics: Vec<_> = STATIC_FILES.iter().map(|(n, _)| n.to_string()).collect();
        assert_eq!(statics, listing("static"));
    }

    #[test]
    fn every_embedded_template_compiles() {
        let theme = load_theme(Path::new("/nonexistent"), &Config::default()).unwrap();
        for (name, _) in TEMPLATES {
            assert!(theme.tera.get_template_names().any(|n| n == *name), "{name}");
        }
    }

    #[test]
    fn missing_theme_folder_is_a_config_error() {
        let config = Config { theme: Some("nope".into()), ..Config::default() };
        let err = load_theme(Path::new("/nonexistent"), &config).err().unwrap();
        assert!(err.to_string().contains("themes/nope"), "{err}");
    }

    #[test]
    fn a_broken_template_keeps_the_engine_explanation_as_its_source() {
        let dir = tempfile::tempdir().unwrap();
        let templates = dir.path().join("themes/mine/templates");
        std::fs::create_dir_all(&templates).unwrap();
        std::fs::write(templates.join("index.html"), "{% if %}").unwrap();
        let config = Config { theme: Some("mine".into()), ..Config::default() };
        let err = load_theme(dir.path(), &config).err().unwrap();
        assert!(matches!(&err, Error::Template { name, .. } if name == "theme"), "{err:?}");
        let source = std::error::Error::source(&err).expect("tera's error is the source");
        assert!(err.chain().ends_with(&source.to_string()), "{}", err.chain());
        assert!(err.chain().contains("index.html"), "{}", err.chain());

        std::fs::write(templates.join("index.html"), b"\xff\xfe").unwrap();
        let err = load_theme(dir.path(), &config).err().unwrap();
        assert!(matches!(&err, Error::Template { name, .. } if name == "index.html"), "{err:?}");
        assert!(err.chain().contains("not valid UTF-8: invalid utf-8"), "{}", err.chain());
    }
}
