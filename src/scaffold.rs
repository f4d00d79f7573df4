//! `new` and `init`: write a new RCA from the conventional template, or a
//! new archive. Both refuse to overwrite anything.

use std::path::{Path, PathBuf};

use jiff::civil::Date;

use crate::config::CONFIG_FILE;
use crate::error::{Error, Result};
use crate::load::CONTENT_DIR;
use crate::validate::slug_from_stem;

/// What `hindsight new` needs to know.
#[derive(Debug, Clone)]
pub struct NewRca {
    /// Title of the incident.
    pub title: String,
    /// Severity name, e.g. `P2`.
    pub severity: String,
    /// Affected services.
    pub services: Vec<String>,
    /// Day the incident started.
    pub date: Date,
}

/// Quotes a value for YAML so any title round-trips.
pub(crate) fn yaml_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// The text of a new RCA with every conventional section.
pub fn render_new_rca(rca: &NewRca) -> String {
    let services = rca.services.iter().map(|s| yaml_string(s)).collect::<Vec<_>>().join(", ");
    format!(
        "---\ntitle: {title}\ndate: {date}\nseverity: {severity}\nservices: [{services}]\ntags: []\n\
status: investigating\nduration_minutes: 0\nauthor: \"\"\n---\n\n\
## Summary\n\nWhat happened, who was affected, and for how long, in two or three sentences.\n\n\
## Timeline\n\n| Time (UTC) | Event |\n|------------|-------|\n| 00:00 | Alert fired |\n| 00:05 | On-call engineer paged |\n| 00:30 | Mitigation applied |\n| 00:45 | Incident resolved |\n\n\
## Root Cause\n\nThe technical cause, and the conditions that let it happen.\n\n\
## Impact\n\n- Users affected:\n- Error rate:\n- Revenue or data impact:\n\n\
## Resolution\n\nWhat stopped the incident.\n\n\
## Lessons Learned\n\n### What Went Well\n\n- \n\n### What Could Be Improved\n\n- \n\n\
## Action Items\n\n| Priority | Action | Owner | Due Date | Status |\n|----------|--------|-------|----------|--------|\n| P1 |  |  | {due} | open |\n",
        title = yaml_string(&rca.title),
        date = rca.date,
        severity = yaml_string(&rca.severity),
        due = rca.date.checked_add(jiff::Span::new().days(14)).unwrap_or(rca.date),
    )
}

/// Writes `content/YYYY-MM-DD-<slug>.md` under `root`; returns its path.
pub fn create_rca(root: &Path, rca: &NewRca) -> Result<PathBuf> {
    let slug = slug_from_stem(&rca.title);
    let path = root.join(CONTENT_DIR).join(format!("{}-{slug}.md", rca.date));
    write_new(&path, &render_new_rca(rca))?;
    Ok(path)
}

/// The configuration `init` writes.
pub const INIT_CONFIG: &str = r##"# hindsight site configuration. Every key is optional.
title = "Postmortems"
description = "Incident reviews of our services"
base_url = "https://postmortems.example.com/"

# Map wiki-link prefixes to outside documents, e.g. [[runbook-payments]].
[wikilinks.external]
"runbook-" = "https://runbooks.example.com/{name}"
"##;

/// Creates a new archive in `dir`: configuration and one example RCA.
pub fn init_archive(dir: &Path, today: Date) -> Result<Vec<PathBuf>> {
    let config = dir.join(CONFIG_FILE);
    if config.exists() {
        return Err(Error::AlreadyExists { path: config });
    }
    std::fs::create_dir_all(dir)
        .map_err(|source| Error::Write { path: dir.to_path_buf(), source })?;
    write_new(&config, INIT_CONFIG)?;
    write_new(&dir.join(".gitignore"), "/public\n")?;
    let example = NewRca {
        title: "Example: checkout errors after a config push".into(),
        severity: "P2".into(),
        services: vec!["checkout".into()],
        date: today,
    };
    let rca = create_rca(dir, &example)?;
    Ok(vec![config, rca])
}

/// Creates `path` (and its folder) with `text`, failing if it exists.
pub(crate) fn write_new(path: &Path, text: &str) -> Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|source| Error::Write { path: parent.to_path_buf(), source })?;
    }
    let mut file =
        std::fs::OpenOptions::new().write(true).create_new(true).open(path).map_err(|source| {
            if source.kind() == std::io::ErrorKind::AlreadyExists {
                Error::AlreadyExists { path: path.to_path_buf() }
            } else {
                Error::Write { path: path.to_path_buf(), source }
            }
        })?;
    std::io::Write::write_all(&mut file, text.as_bytes())
        .map_err(|source| Error::Write { path: path.to_path_buf(), source })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::load::{parse_document, source_from_bytes};
    use crate::validate::incident_from;

    #[test]
    fn a_new_rca_is_a_valid_incident_with_every_section() {
        let rca = NewRca {
            title: "Queue \"backlog\": billing".into(),
            severity: "P1".into(),
            services: vec!["billing-api".into()],
            date: Date::constant(2025, 3, 1),
        };
        let text = render_new_rca(&rca);
        let source = source_from_bytes(Path::new("content/x.md"), text.into_bytes()).unwrap();
        let (doc, diags) = parse_document(source);
        assert!(diags.is_empty(), "{diags:?}");
        let (incident, diags) = incident_from(doc.unwrap(), &Config::default());
        assert!(diags.is_empty(), "{diags:?}");
        let incident = incident.unwrap();
        assert_eq!(incident.title, "Queue \"backlog\": billing");
        assert_eq!(incident.services, ["billing-api"]);
        let sections = &incident.doc.outline.sections;
        for s in ["summary", "timeline", "root cause", "impact", "action items"] {
            assert!(sections.iter().any(|x| x == s), "{s}");
        }
    }

    #[test]
    fn new_and_init_never_overwrite() {
        let tmp = tempfile::tempdir().unwrap();
        let files = init_archive(tmp.path(), Date::constant(2025, 1, 2)).unwrap();
        assert!(
            files[1].ends_with("content/2025-01-02-example-checkout-errors-after-a-config-push.md")
        );
        assert!(matches!(
            init_archive(tmp.path(), Date::constant(2025, 1, 2)),
            Err(Error::AlreadyExists { .. })
        ));
        let rca = NewRca {
            title: "X".into(),
            severity: "P2".into(),
            services: vec![],
            date: Date::constant(2025, 1, 2),
        };
        create_rca(tmp.path(), &rca).unwrap();
        assert!(matches!(create_rca(tmp.path(), &rca), Err(Error::AlreadyExists { .. })));
    }
}
