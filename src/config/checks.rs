//! The checks of `hindsight.toml` that serde cannot make: the severity
//! scale, value lists, wiki-link prefixes and the theme's name, field
//! mappings, `[related]` weights, lint names, URLs, and the archive's shape
//! (content folder, exclude globs, zone, section roles). Each returns the
//! first problem as a message naming its key.
//!
//! Takes a deserialised [`Config`]; gives `Ok(())` or the message
//! [`Config::parse`] turns into an [`Error::Config`](crate::error::Error::Config).
//! Imports: sections, dates, codes.

use std::collections::BTreeMap;
use std::path::Path;

use super::{Config, KNOWN_FIELDS, MAPPABLE_FIELDS};
use crate::sections::Role;

impl Config {
    /// Checks values serde cannot: returns the first problem, naming its key.
    pub(super) fn validate(&self) -> std::result::Result<(), String> {
        self.check_severity_scale()?;
        self.check_value_lists()?;
        self.check_links_and_theme()?;
        self.check_field_mapping()?;
        self.check_related()?;
        self.check_lints()?;
        self.check_urls()?;
        self.check_archive_shape()?;
        Ok(())
    }

    /// `content_dir`, `exclude`, `timezone`, `sections` and `values`.
    fn check_archive_shape(&self) -> std::result::Result<(), String> {
        let dir = Path::new(&self.content_dir);
        let inside = dir
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_) | std::path::Component::CurDir));
        if self.content_dir.trim().is_empty() || !inside {
            return Err(format!(
                "`content_dir` must be a folder inside the archive, found {:?}",
                self.content_dir
            ));
        }
        for pattern in &self.exclude {
            if let Err(e) = globset::Glob::new(pattern) {
                return Err(format!("`exclude` pattern {pattern:?} is not a glob: {e}"));
            }
        }
        if crate::dates::zone(&self.timezone).is_none() {
            return Err(format!(
                "`timezone` must be UTC or a zone name such as \"Europe/Berlin\", found {:?}",
                self.timezone
            ));
        }
        for key in self.sections.keys() {
            if Role::from_key(key).is_none() {
                let keys: Vec<_> = Role::ALL.iter().map(|r| r.key()).collect();
                return Err(format!(
                    "`sections.{key}` is not a section role; roles: {}",
                    keys.join(", ")
                ));
            }
        }
        for field in self.values.keys() {
            if !MAPPABLE_FIELDS.contains(&field.as_str()) {
                return Err(format!(
                    "`values.{field}` is not a field hindsight knows; mappable fields: {}",
                    MAPPABLE_FIELDS.join(", ")
                ));
            }
        }
        Ok(())
    }

    /// The severity scale: at least one level, each with a colour, and no
    /// name or alias used twice.
    fn check_severity_scale(&self) -> std::result::Result<(), String> {
        if self.severity.is_empty() {
            return Err("`severity` must list at least one level".into());
        }
        let mut seen = BTreeMap::new();
        for (i, level) in self.severity.iter().enumerate() {
            if !is_css_hex_color(&level.color) {
                return Err(format!(
                    "`severity[{i}].color` must be a colour like \"#b42318\", found {:?}",
                    level.color
                ));
            }
            for name in std::iter::once(&level.name).chain(&level.aliases) {
                if name.trim().is_empty() {
                    return Err(format!("`severity[{i}]` has an empty name or alias"));
                }
                if let Some(other) = seen.insert(name.to_lowercase(), i) {
                    return Err(format!(
                        "`severity` name {name:?} is used by levels {other} and {i}"
                    ));
                }
            }
        }
        Ok(())
    }

    /// `statuses` and `required_fields`.
    fn check_value_lists(&self) -> std::result::Result<(), String> {
        if self.statuses.iter().any(|s| s.trim().is_empty()) {
            return Err("`statuses` must not contain an empty value".into());
        }
        for field in &self.required_fields {
            if !KNOWN_FIELDS.contains(&field.as_str()) {
                return Err(format!(
                    "`required_fields` lists unknown field {field:?}; known fields: {}",
                    KNOWN_FIELDS.join(", ")
                ));
            }
        }
        Ok(())
    }

    /// External wiki-link prefixes and the theme's folder name.
    fn check_links_and_theme(&self) -> std::result::Result<(), String> {
        for (prefix, template) in &self.wikilinks.external {
            if prefix.is_empty() {
                return Err("`wikilinks.external` has an empty prefix".into());
            }
            if !template.contains("{target}") && !template.contains("{name}") {
                return Err(format!(
                    "`wikilinks.external.{prefix:?}` must contain `{{target}}` or `{{name}}`"
                ));
            }
            // A `javascript:` template would put script into every page
            // that links with the prefix (issue 26).
            let cleaned: String =
                template.chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect();
            if let Some((scheme, _)) = cleaned
                .find([':', '/', '?', '#'])
                .and_then(|i| cleaned.split_at_checked(i))
                .filter(|(_, rest)| rest.starts_with(':'))
            {
                if !matches!(scheme.to_ascii_lowercase().as_str(), "http" | "https" | "mailto") {
                    return Err(format!(
                        "`wikilinks.external.{prefix:?}` must be an http://, https:// or \
                         mailto: URL (or a relative one), found {template:?}"
                    ));
                }
            }
        }
        if let Some(theme) = &self.theme {
            if theme.is_empty()
                || !theme.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                return Err(format!(
                    "`theme` must be a folder name of letters, digits, `-` or `_`, found {theme:?}"
                ));
            }
        }
        Ok(())
    }

    /// `default_severity` and the front-matter keys mapped onto fields.
    fn check_field_mapping(&self) -> std::result::Result<(), String> {
        if !self.default_severity.eq_ignore_ascii_case("unrated")
            && self.severity_rank(&self.default_severity).is_none()
        {
            return Err(format!(
                "`default_severity` must be \"unrated\" or a level of `severity`, found {:?}",
                self.default_severity
            ));
        }
        for (field, keys) in &self.fields {
            if !MAPPABLE_FIELDS.contains(&field.as_str()) {
                return Err(format!(
                    "`fields.{field}` is not a field hindsight knows; mappable fields: {}",
                    MAPPABLE_FIELDS.join(", ")
                ));
            }
            if keys.is_empty() || keys.iter().any(|k| k.trim().is_empty()) {
                return Err(format!("`fields.{field}` must list one or more non-empty keys"));
            }
        }
        Ok(())
    }

    /// The `[related]` settings: `k` and weights between 0 and 1.
    fn check_related(&self) -> std::result::Result<(), String> {
        let r = &self.related;
        if r.k == 0 {
            return Err("`related.k` must be at least 1".into());
        }
        for (key, value) in [
            ("min_score", r.min_score),
            ("cluster_threshold", r.cluster_threshold),
            ("recurrence_threshold", r.recurrence_threshold),
            ("weight_links", r.weight_links),
            ("weight_services", r.weight_services),
            ("weight_tags", r.weight_tags),
            ("weight_text", r.weight_text),
            ("weight_time", r.weight_time),
        ] {
            if !(0.0..=1.0).contains(&value) {
                return Err(format!("`related.{key}` must be between 0 and 1, found {value}"));
            }
        }
        Ok(())
    }

    /// Lint names and the severities lint settings name.
    fn check_lints(&self) -> std::result::Result<(), String> {
        for name in self.lints.0.keys() {
            if crate::codes::lint_named(name).is_none() {
                let names: Vec<_> = crate::codes::lint_names().collect();
                return Err(format!(
                    "`lints` names unknown lint {name:?}; known lints: {}",
                    names.join(", ")
                ));
            }
        }
        for severity in self.lint_settings.required_sections_for.iter().flatten() {
            if self.severity_rank(severity).is_none() {
                return Err(format!(
                    "`lint_settings.required_sections_for` lists unknown severity {severity:?}"
                ));
            }
        }
        Ok(())
    }

    /// `repo_url`, `repo_branch` and `base_url`.
    fn check_urls(&self) -> std::result::Result<(), String> {
        if let Some(url) = &self.repo_url {
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                return Err(format!(
                    "`repo_url` must start with http:// or https://, found {url:?}"
                ));
            }
        }
        if self.repo_branch.trim().is_empty() {
            return Err("`repo_branch` must not be empty".into());
        }
        let url = &self.base_url;
        if !(url.is_empty() || url.starts_with("http://") || url.starts_with("https://")) {
            return Err(format!(
                "`base_url` must start with http:// or https://, found {:?}",
                self.base_url
            ));
        }
        Ok(())
    }
}

fn is_css_hex_color(s: &str) -> bool {
    s.len() == 7 && s.starts_with('#') && s[1..].chars().all(|c| c.is_ascii_hexdigit())
}
