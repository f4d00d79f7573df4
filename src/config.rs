//! Site configuration: `hindsight.toml` at the archive root.
//!
//! Layer 1: pure data, no IO (the file is read by [`crate::site`]). Every key
//! has a default, so an archive without a configuration file builds. Unknown
//! keys and bad values are fatal [`Error::Config`]s naming the key, because a
//! typo in the configuration silently changing the site is worse than a stop.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::sections::SectionNames;

mod checks;
mod keys;
mod synonyms;

pub(crate) use self::keys::{FIELD_KEYS, KNOWN_FIELDS, MAPPABLE_FIELDS, OWN_SPELLINGS, same_key};
use self::synonyms::{SEVERITY_SYNONYMS, STATUS_SYNONYMS};

/// The configuration file's name at the archive root.
pub(crate) const CONFIG_FILE: &str = "hindsight.toml";

/// One level of the severity scale, most severe first.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SeverityLevel {
    /// Canonical name, e.g. `P1`.
    pub name: String,
    /// Human label, e.g. `High`.
    #[serde(default)]
    pub label: String,
    /// Badge colour as `#rrggbb`.
    pub color: String,
    /// Other spellings accepted in front matter, e.g. `SEV1`.
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// Settings of the related-incidents stage.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct RelatedConfig {
    /// How many related incidents each incident lists.
    pub k: usize,
    /// Entries scoring below this are dropped.
    pub min_score: f64,
    /// Weight of explicit wiki links (either direction).
    pub weight_links: f64,
    /// Weight of shared services (rarity-weighted).
    pub weight_services: f64,
    /// Weight of shared tags (rarity-weighted).
    pub weight_tags: f64,
    /// Weight of textual similarity of title, summary and root cause.
    pub weight_text: f64,
    /// Weight of closeness in time on a shared service.
    pub weight_time: f64,
    /// Days over which closeness in time fades to nothing.
    pub time_window_days: u32,
    /// Score above which two incidents belong to one cluster.
    pub cluster_threshold: f64,
    /// Text similarity at or above which an incident is a recurrence of its
    /// best earlier match.
    pub recurrence_threshold: f64,
}

impl Default for RelatedConfig {
    fn default() -> Self {
        RelatedConfig {
            k: 5,
            min_score: 0.1,
            weight_links: 0.25,
            weight_services: 0.06,
            weight_tags: 0.03,
            weight_text: 0.63,
            weight_time: 0.03,
            time_window_days: 30,
            cluster_threshold: 0.2,
            recurrence_threshold: 0.3,
        }
    }
}

/// Wiki-link settings.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct WikiLinksConfig {
    /// Target prefix → URL template with `{target}` (the whole target) and
    /// `{name}` (the target without the prefix).
    pub external: BTreeMap<String, String>,
}

/// The whole configuration.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// The archive's name, shown in every page header.
    pub title: String,
    /// One line under the title on the index.
    pub description: String,
    /// Absolute URL the site is published at; used only where an absolute URL
    /// is required (feeds, sitemap).
    pub base_url: String,
    /// Name of a theme folder under `themes/` that overrides the default theme.
    pub theme: Option<String>,
    /// The severity scale, most severe first.
    pub severity: Vec<SeverityLevel>,
    /// Allowed values of `status`.
    pub statuses: Vec<String>,
    /// Front-matter fields every file must have.
    pub required_fields: Vec<String>,
    /// Pass raw HTML in markdown through unsanitised.
    pub allow_raw_html: bool,
    /// syntect theme for code in light mode.
    pub highlight_theme: String,
    /// syntect theme for code in dark mode.
    pub highlight_theme_dark: String,
    /// Wiki-link settings.
    pub wikilinks: WikiLinksConfig,
    /// Related-incidents settings.
    pub related: RelatedConfig,
    /// How many entries the Atom feed carries.
    pub feed_limit: usize,
    /// Severity of files that give none: `unrated` or a level name.
    pub default_severity: String,
    /// For archives in another schema: each hindsight field mapped to the
    /// front-matter keys tried in order, e.g. `date = ["start_time"]`.
    pub fields: BTreeMap<String, Vec<String>>,
    /// Level of each lint by name (`off`, `warning`, `error`).
    pub lints: LintLevels,
    /// Settings the lints read.
    pub lint_settings: LintSettings,
    /// The services incidents may name.
    pub services: ServicesConfig,
    /// Web address of the repository holding the archive (GitHub or GitLab),
    /// for "view source" and "history" links on incident pages.
    pub repo_url: Option<String>,
    /// The branch those links point at.
    pub repo_branch: String,
    /// The folder under the root that holds the RCAs (`content`; `_posts`
    /// for a Jekyll site, `.` for a vault of notes).
    pub content_dir: String,
    /// Paths under the content folder to leave out, as glob patterns
    /// (`_index.md`, `Templates/**`); `check` names every file left out.
    pub exclude: Vec<String>,
    /// Time zone of times written without one: `UTC` or an IANA name such
    /// as `Europe/Berlin`.
    pub timezone: String,
    /// More names for sections, by role: `cause = ["Why it broke"]`.
    pub sections: BTreeMap<String, Vec<String>>,
    /// Values mapped before a field is read, per field:
    /// `[values.status]` with `"true" = "resolved"`; keys match the value
    /// as text, case-insensitively.
    pub values: BTreeMap<String, BTreeMap<String, String>>,
    /// Front-matter keys that mean nothing to readers (another tool's
    /// bookkeeping): never shown on pages.
    pub hidden_keys: Vec<String>,
    /// Publish attachments that a browser runs (`.html`, `.svg`, `.js`):
    /// off by default, since script in one would run on the site's origin.
    pub allow_active_attachments: bool,
    /// [`Self::section_names`], built on first use from `sections`.
    #[serde(skip)]
    pub section_names_cache: NamesCache,
}

/// The section names built from a configuration, kept beside it; two
/// configurations are equal whatever their caches hold. Built on first
/// use, so change `sections` only before asking for the names.
#[derive(Debug, Clone, Default)]
pub struct NamesCache(OnceLock<SectionNames>);

impl PartialEq for NamesCache {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

/// How loud a lint is.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum LintLevel {
    /// Not reported.
    Off,
    /// Reported as a note: shown, never failing a run.
    Note,
    /// Reported as a warning (an error under `--strict`).
    Warning,
    /// Reported as an error.
    Error,
}

/// The `[lints]` table: lint name → level. Names not set keep the default
/// from [`crate::codes::CODES`]; unknown names are a configuration error.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(transparent)]
pub struct LintLevels(pub BTreeMap<String, LintLevel>);

impl LintLevels {
    /// The level the lint `name` reports at; `None` when it is off.
    pub fn level(&self, name: &str) -> Option<crate::diag::Level> {
        let default =
            crate::codes::lint_named(name).map_or(crate::diag::Level::Warning, |c| c.level);
        match self.0.get(name) {
            None => Some(default),
            Some(LintLevel::Off) => None,
            Some(LintLevel::Note) => Some(crate::diag::Level::Note),
            Some(LintLevel::Warning) => Some(crate::diag::Level::Warning),
            Some(LintLevel::Error) => Some(crate::diag::Level::Error),
        }
    }
}

/// The `[lint_settings]` table.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct LintSettings {
    /// Sections every incident of [`Self::required_sections_for`] must
    /// have, by any name of their role (see `crate::sections`).
    pub required_sections: Vec<String>,
    /// Severities the required sections apply to; unset, the more severe
    /// half of the configured scale (P0, P1, P2 by default).
    pub required_sections_for: Option<Vec<String>>,
    /// How far `duration_minutes` may be from the timeline's span.
    pub duration_tolerance_minutes: u64,
}

impl Default for LintSettings {
    fn default() -> Self {
        LintSettings {
            required_sections: ["Summary", "Timeline", "Root Cause", "Action Items"]
                .map(String::from)
                .to_vec(),
            required_sections_for: None,
            duration_tolerance_minutes: 30,
        }
    }
}

/// The `[services]` table.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct ServicesConfig {
    /// When not empty, every service an incident names must be one of these.
    pub known: Vec<String>,
}

/// The number a severity is written with, whatever word or letter comes
/// before it: "SEV-1", "Sev 1", "S1", "severity_1", "P1", "1" are all 1.
pub(crate) fn severity_number(value: &str) -> Option<u32> {
    let compact: String = value
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '_' | '.' | ':'))
        .flat_map(char::to_lowercase)
        .collect();
    let digits = ["severity", "priority", "level", "sev", "pri", "lvl", "p", "s", "l", ""]
        .iter()
        .find_map(|prefix| compact.strip_prefix(prefix).filter(|d| !d.is_empty()))?;
    if digits.len() > 3 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// The level of a severity written with its label after it: "P2 - Major",
/// "SEV1 (critical)", "Sev 2: major", "P1 – High" give "P2", "SEV1",
/// "Sev 2", "P1". `None` when nothing follows the level.
pub(crate) fn level_before_label(value: &str) -> Option<&str> {
    let value = value.trim();
    let cut = value.find(['(', '–', '—', ':', ',', '/']).or_else(|| value.find(" - "))?;
    let level = value.get(..cut)?.trim();
    (!level.is_empty()).then_some(level)
}

impl Default for Config {
    fn default() -> Self {
        let level = |name: &str, label: &str, color: &str| SeverityLevel {
            name: name.into(),
            label: label.into(),
            color: color.into(),
            aliases: vec![name.replace('P', "SEV"), name.replace('P', "SEV-")],
        };
        Config {
            title: "Postmortems".into(),
            description: String::new(),
            base_url: "http://localhost/".into(),
            theme: None,
            severity: vec![
                level("P0", "Critical", "#b42318"),
                level("P1", "High", "#d9480f"),
                level("P2", "Medium", "#b7791f"),
                level("P3", "Low", "#2f6fb3"),
                level("P4", "Minor", "#5f6b7a"),
            ],
            statuses: ["resolved", "monitoring", "investigating", "open"]
                .map(String::from)
                .to_vec(),
            required_fields: ["title", "date", "severity"].map(String::from).to_vec(),
            allow_raw_html: false,
            highlight_theme: "InspiredGitHub".into(),
            highlight_theme_dark: "base16-ocean.dark".into(),
            wikilinks: WikiLinksConfig::default(),
            related: RelatedConfig::default(),
            feed_limit: 50,
            default_severity: "unrated".into(),
            fields: BTreeMap::new(),
            lints: LintLevels::default(),
            lint_settings: LintSettings::default(),
            services: ServicesConfig::default(),
            repo_url: None,
            repo_branch: "main".into(),
            content_dir: "content".into(),
            exclude: Vec::new(),
            timezone: "UTC".into(),
            sections: BTreeMap::new(),
            values: BTreeMap::new(),
            hidden_keys: Vec::new(),
            allow_active_attachments: false,
            section_names_cache: NamesCache::default(),
        }
    }
}

/// Words of a status's later clause that speak of the work after the
/// incident, not of the incident: "Resolved, postmortem pending".
const FOLLOW_UP_WORDS: &[&str] = &[
    "action",
    "actions",
    "items",
    "follow",
    "followups",
    "postmortem",
    "review",
    "rca",
    "tickets",
];

impl Config {
    /// Parses and validates the text of `hindsight.toml`; `path` is only used
    /// in error messages.
    pub fn parse(text: &str, path: &Path) -> Result<Config> {
        let config: Config = toml::from_str(text).map_err(|e| Error::Config {
            path: path.to_path_buf(),
            line: e.span().map(|s| crate::diag::line_col(text, s.start).line),
            message: e.message().to_string(),
        })?;
        config.validate().map_err(|message| Error::Config {
            path: path.to_path_buf(),
            line: None,
            message,
        })?;
        Ok(config)
    }

    /// The names sections go by: the defaults plus `[sections]`.
    pub fn section_names(&self) -> &SectionNames {
        self.section_names_cache.0.get_or_init(|| SectionNames::new(&self.sections))
    }

    /// The zone of times written without one.
    pub fn time_zone(&self) -> jiff::tz::TimeZone {
        crate::dates::zone(&self.timezone).unwrap_or(jiff::tz::TimeZone::UTC)
    }

    /// The severities the required-section lint applies to: as configured,
    /// else the more severe half of the scale (rounded up).
    pub fn required_sections_severities(&self) -> Vec<String> {
        match &self.lint_settings.required_sections_for {
            Some(list) => list.clone(),
            None => {
                let half = self.severity.len().div_ceil(2);
                self.severity.iter().take(half).map(|l| l.name.clone()).collect()
            }
        }
    }

    /// `base_url` with exactly one trailing slash.
    pub fn base_url_slash(&self) -> String {
        format!("{}/", self.base_url.trim_end_matches('/'))
    }

    /// Finds the level a front-matter severity names, case-insensitively:
    /// by name or alias; else by label ("High"); else by number, however
    /// it is prefixed and spaced ("Sev 1", "S1", "Severity 1", "1" are the
    /// level whose name or alias numbers 1, such as P1 or SEV1); else by
    /// the level written before a label ("P2 - Major", "SEV1 (critical)").
    /// Returns its index in the scale.
    pub fn severity_rank(&self, value: &str) -> Option<usize> {
        let value = value.trim();
        let by_name = self.severity.iter().position(|level| {
            level.name.eq_ignore_ascii_case(value)
                || level.aliases.iter().any(|a| a.eq_ignore_ascii_case(value))
        });
        let by_label = || {
            self.severity.iter().position(|level| {
                !level.label.is_empty() && level.label.eq_ignore_ascii_case(value)
            })
        };
        let by_code = |written: &str| {
            let n = severity_number(written)?;
            self.severity.iter().position(|level| {
                std::iter::once(&level.name)
                    .chain(&level.aliases)
                    .any(|name| severity_number(name) == Some(n))
            })
        };
        let by_number = || by_code(value);
        // A level written by its code beside a word ("Major / P2", "Minor
        // (P4)") is the code's, wherever it stands: the words' meaning
        // differs from scale to scale, a code's does not.
        let by_code_beside_label = || {
            let level = level_before_label(value)?;
            let rest = value.get(level.len()..)?;
            let code = rest.trim_matches(|c: char| !c.is_alphanumeric());
            by_code(level).or_else(|| by_code(code))
        };
        let by_level_before_label =
            || level_before_label(value).and_then(|level| self.severity_rank(level));
        // Another scale's word for a level this scale labels ("Major" where
        // the label is "High"), and a value decorated with an emoji or
        // marks ("🔴 Critical", "*P1*").
        let by_label_synonym = || {
            let (label, _) = SEVERITY_SYNONYMS
                .iter()
                .find(|(_, words)| words.iter().any(|w| w.eq_ignore_ascii_case(value)))?;
            self.severity.iter().position(|level| level.label.eq_ignore_ascii_case(label))
        };
        let undecorated = || {
            let bare = value.trim_matches(|c: char| !c.is_alphanumeric());
            (bare != value && !bare.is_empty()).then(|| self.severity_rank(bare))?
        };
        // "Major incident", "High severity", "Critical impact": the level
        // and the word for what it grades.
        let without_noun = || {
            let (level, noun) = value.rsplit_once(char::is_whitespace)?;
            let graded = ["incident", "outage", "issue", "severity", "impact", "priority"];
            graded
                .iter()
                .any(|g| g.eq_ignore_ascii_case(noun))
                .then(|| self.severity_rank(level))?
        };
        by_name
            .or_else(by_label)
            .or_else(by_number)
            .or_else(by_code_beside_label)
            .or_else(by_level_before_label)
            .or_else(by_label_synonym)
            .or_else(undecorated)
            .or_else(without_noun)
    }

    /// The configured status matching `value` case-insensitively; else the
    /// configured status a common synonym means ("closed", "done",
    /// "fixed" → resolved; "mitigated" → monitoring; "ongoing", "in
    /// progress" → investigating), when the scale has it.
    pub fn status(&self, value: &str) -> Option<&str> {
        let value = value.trim();
        let find = |name: &str| {
            self.statuses.iter().find(|s| s.eq_ignore_ascii_case(name)).map(String::as_str)
        };
        // Lower-case words, without the marks between them.
        let words_of = |text: &str| -> Vec<String> {
            let text: String = text
                .chars()
                .map(|c| if c.is_alphanumeric() { c.to_ascii_lowercase() } else { ' ' })
                .collect();
            text.split_whitespace().map(str::to_string).collect()
        };
        find(value).or_else(|| {
            let words = words_of(value);
            let meaning = |text: &str| {
                find(text).or_else(|| {
                    STATUS_SYNONYMS
                        .iter()
                        .find(|(_, synonyms)| synonyms.contains(&text))
                        .and_then(|(status, _)| find(status))
                })
            };
            // "Complete, action items in progress": the first clause is
            // the incident's when the rest speaks of the follow-up work.
            let first_clause = || {
                let (clause, rest) = value.split_once([',', ';', '('])?;
                let about_follow_up =
                    words_of(rest).iter().any(|w| FOLLOW_UP_WORDS.contains(&w.as_str()));
                about_follow_up.then(|| meaning(&words_of(clause).join(" ")))?
            };
            meaning(&words.join(" ")).or_else(first_clause).or_else(|| {
                // A status with more words than its own ("Resolved ✅",
                // "closed - fixed", "Postmortem complete"): the one status
                // its words or word pairs name, unless they name two or
                // one is negated.
                if words.iter().any(|w| matches!(w.as_str(), "not" | "no" | "never")) {
                    return None;
                }
                let pairs = words.windows(2).map(|pair| pair.join(" "));
                let mut named = words.iter().map(|w| w.to_string()).chain(pairs);
                let first = named.find_map(|w| meaning(&w))?;
                named.all(|w| meaning(&w).is_none_or(|s| s == first)).then_some(first)
            })
        })
    }

    /// True when `field` must be present in every file's front matter.
    pub fn is_required(&self, field: &str) -> bool {
        self.required_fields.iter().any(|f| f == field)
    }
}

#[cfg(test)]
mod tests;
