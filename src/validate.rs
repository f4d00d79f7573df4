//! Stage 2, validate: type each document's front matter into an [`Incident`],
//! apply the archive-wide rules (unique slugs), and type the timeline and
//! action-item rows.
//!
//! Inputs: the load stage's [`Document`]s and [`Config`]. Outputs:
//! [`Validated`]. Imports: diag, config, model. One rule, one function; a
//! problem in a required field (title, date, severity, slug) keeps the file
//! out of the site, a problem in an optional field drops only that field.

use std::collections::{BTreeMap, HashMap};

use jiff::civil::{Date, DateTime};
use rayon::prelude::*;

use crate::config::{Config, MAPPABLE_FIELDS};
use crate::diag::Diagnostic;
use crate::model::{Document, Incident, MatterFormat, RawValue, Severity, newest_first};

mod rows;
use rows::{type_action_items, type_timeline};

/// What the validate stage produced.
#[derive(Debug, Default)]
pub struct Validated {
    /// Incidents to build, newest first, undated last, then by slug.
    pub incidents: Vec<Incident>,
    /// Slugs of drafts left out of this build, so links to them can say so.
    pub drafts: Vec<String>,
    /// Problems found.
    pub diagnostics: Vec<Diagnostic>,
}

/// Front-matter keys with a meaning (the mappable fields, under their own
/// names); everything else goes to `extra`.
const KNOWN_KEYS: &[&str] = MAPPABLE_FIELDS;

/// Types every document and applies the archive-wide rules.
pub fn validate(documents: Vec<Document>, config: &Config, include_drafts: bool) -> Validated {
    let typed: Vec<(Option<Incident>, Vec<Diagnostic>)> =
        documents.into_par_iter().map(|doc| incident_from(doc, config)).collect();
    let mut out = Validated::default();
    let mut incidents = Vec::with_capacity(typed.len());
    for (incident, diagnostics) in typed {
        out.diagnostics.extend(diagnostics);
        incidents.extend(incident);
    }
    // Documents arrive in path order, so "first" below is stable.
    incidents = dedupe_slugs(incidents, &mut out.diagnostics);
    for incident in incidents {
        if incident.draft && !include_drafts {
            out.drafts.push(incident.slug);
        } else {
            out.incidents.push(incident);
        }
    }
    out.incidents = newest_first_in_parallel(out.incidents);
    out.drafts.sort();
    out
}

/// `incidents` sorted by [`newest_first`], sorting their places on every
/// core rather than moving the large incidents through a serial sort.
fn newest_first_in_parallel(incidents: Vec<Incident>) -> Vec<Incident> {
    let mut order: Vec<usize> = (0..incidents.len()).collect();
    order.par_sort_unstable_by(|&a, &b| match (incidents.get(a), incidents.get(b)) {
        (Some(x), Some(y)) => newest_first(x, y).then(a.cmp(&b)),
        _ => a.cmp(&b),
    });
    let mut slots: Vec<Option<Incident>> = incidents.into_iter().map(Some).collect();
    order.into_iter().filter_map(|at| slots.get_mut(at).and_then(Option::take)).collect()
}

/// Reports front-matter slugs used twice (the later file is left out) and
/// disambiguates slugs that collide only after being derived from file names.
/// Incidents stay in path order; they are large, so they are not moved
/// about to decide.
fn dedupe_slugs(mut incidents: Vec<Incident>, diagnostics: &mut Vec<Diagnostic>) -> Vec<Incident> {
    if !incidents.is_sorted_by(|a, b| a.rel_path() <= b.rel_path()) {
        incidents.sort_by(|a, b| a.rel_path().cmp(b.rel_path()));
    }
    // Slug → the incident that has it.
    let mut owners: HashMap<String, usize> = HashMap::with_capacity(incidents.len());
    let mut left_out = vec![false; incidents.len()];
    let explicit = |i: &Incident| i.doc.matter.contains_key("slug");
    let path_of = |incidents: &[Incident], at: usize| {
        incidents.get(at).map(|i| i.rel_path().display().to_string()).unwrap_or_default()
    };
    // Explicit slugs claim their names first, so a derived slug never steals one.
    for (at, incident) in incidents.iter().enumerate().filter(|(_, i)| explicit(i)) {
        if let Some(&first) = owners.get(&incident.slug) {
            let offset = incident.doc.key_offsets.get("slug").copied().unwrap_or(0);
            diagnostics.push(
                Diagnostic::error(
                    "RCA017",
                    format!(
                        "slug `{}` is already used by `{}`",
                        incident.slug,
                        path_of(&incidents, first)
                    ),
                )
                .at(incident.rel_path(), &incident.doc.source.text, offset..offset)
                .with_help("give one of the files another `slug`"),
            );
            if let Some(flag) = left_out.get_mut(at) {
                *flag = true;
            }
            continue;
        }
        owners.insert(incident.slug.clone(), at);
    }
    for at in 0..incidents.len() {
        let Some(incident) = incidents.get(at).filter(|i| !explicit(i)) else { continue };
        let base = &incident.slug;
        let slug = match owners.get(base) {
            None => base.clone(),
            Some(&first) => {
                let mut n = 2;
                while owners.contains_key(&format!("{base}-{n}")) {
                    n += 1;
                }
                let slug = format!("{base}-{n}");
                diagnostics.push(
                    Diagnostic::warning(
                        "RCA018",
                        format!(
                            "file name gives slug `{base}`, already used by `{}`; using `{slug}`",
                            path_of(&incidents, first)
                        ),
                    )
                    .in_file(incident.rel_path())
                    .with_help("set a `slug` in the front matter to choose the URL"),
                );
                if let Some(incident) = incidents.get_mut(at) {
                    incident.slug.clone_from(&slug);
                }
                slug
            }
        };
        owners.insert(slug, at);
    }
    let mut left_out = left_out.into_iter();
    incidents.retain(|_| !left_out.next().unwrap_or(false));
    incidents
}

/// Front-matter values by hindsight field, after applying `[fields]`: a
/// mapped field takes the first of its source keys that holds a value.
struct Fields<'a> {
    values: BTreeMap<&'static str, (&'a str, &'a RawValue)>,
}

impl<'a> Fields<'a> {
    fn new(matter: &'a BTreeMap<String, RawValue>, config: &Config) -> Self {
        let mut values = BTreeMap::new();
        for &field in MAPPABLE_FIELDS {
            let found = match config.fields.get(field) {
                Some(keys) => keys
                    .iter()
                    .find_map(|k| matter.get_key_value(k.as_str()).filter(|(_, v)| !is_blank(v))),
                None => matter.get_key_value(field),
            };
            if let Some((key, value)) = found {
                values.insert(field, (key.as_str(), value));
            }
        }
        Fields { values }
    }

    fn get(&self, field: &str) -> Option<&'a RawValue> {
        self.values.get(field).map(|(_, v)| *v)
    }

    /// The front-matter key a field was read from (for positions).
    fn key<'k>(&self, field: &'k str) -> &'k str
    where
        'a: 'k,
    {
        self.values.get(field).map_or(field, |(k, _)| k)
    }
}

/// Null, an empty string or an empty list: "no value" for mapping purposes.
fn is_blank(v: &RawValue) -> bool {
    match v {
        RawValue::Null => true,
        RawValue::String(s) => s.trim().is_empty(),
        RawValue::Array(a) => a.is_empty(),
        _ => false,
    }
}

/// Collects diagnostics for one document, pointing at front-matter keys.
struct FieldReporter<'a> {
    doc: &'a Document,
    fields: &'a Fields<'a>,
    diagnostics: Vec<Diagnostic>,
    fatal: bool,
}

impl FieldReporter<'_> {
    fn report(&mut self, field: &str, d: Diagnostic) {
        let key = self.fields.key(field);
        let at = self.doc.key_offsets.get(key).copied();
        let text = &self.doc.source.text;
        let rel = &self.doc.source.rel_path;
        let d = match at {
            Some(at) => {
                let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
                d.at(rel, text, at..end)
            }
            None if self.doc.format != MatterFormat::None => {
                d.at(rel, text, self.doc.matter_span.clone())
            }
            None => d.in_file(rel),
        };
        self.diagnostics.push(d);
    }

    /// An error that keeps the file out of the site.
    fn fatal(&mut self, key: &str, d: Diagnostic) {
        self.fatal = true;
        self.report(key, d);
    }
}

/// Types one document. `None` when a required field is missing or invalid.
pub fn incident_from(doc: Document, config: &Config) -> (Option<Incident>, Vec<Diagnostic>) {
    let fields = Fields::new(&doc.matter, config);
    let m = &fields;
    let mut r = FieldReporter { doc: &doc, fields: &fields, diagnostics: Vec::new(), fatal: false };
    let lenient = doc.format == MatterFormat::None;
    if lenient {
        r.report(
            "",
            Diagnostic::warning(
                "RCA020",
                "no front matter: title from the first heading, date from the file name, severity unrated",
            )
            .with_help("add a front matter block with title, date and severity"),
        );
    }
    let outline = &doc.outline;

    for field in &config.required_fields {
        if !lenient && m.get(field).is_none() {
            let d = Diagnostic::error("RCA010", format!("required field `{field}` is missing"));
            if matches!(field.as_str(), "title" | "date" | "severity") {
                // The page cannot be built without these, whatever the lint level.
                r.fatal(field, d);
            } else if let Some(level) = config.lints.level("required-field") {
                r.report(field, Diagnostic { level, ..d });
            }
        }
    }

    let title = match m.get("title") {
        Some(v) => match scalar_string(v) {
            Some(t) if !t.trim().is_empty() => Some(clean_text(&t)),
            _ => {
                r.fatal("title", type_error("title", "a non-empty string", v));
                None
            }
        },
        None => outline.first_heading.clone().or_else(|| title_from_summary(m, outline)),
    };
    let title = title.unwrap_or_else(|| doc.source.stem.clone());

    let (date, started_at) = type_date(&mut r, config);

    let severity = match m.get("severity") {
        Some(v) if is_todo(v) => {
            r.report("severity", todo_warning("severity"));
            default_severity(config)
        }
        Some(v) => match scalar_string(v) {
            Some(s) => match severity_named(config, &s) {
                Some(severity) => severity,
                None => {
                    let levels: Vec<_> = config.severity.iter().map(|l| l.name.as_str()).collect();
                    r.fatal(
                        "severity",
                        Diagnostic::error("RCA013", format!("unknown severity {s:?}"))
                            .with_help(format!("use one of {}", levels.join(", "))),
                    );
                    Severity::unrated()
                }
            },
            None => {
                r.fatal("severity", type_error("severity", "a string such as \"P2\"", v));
                Severity::unrated()
            }
        },
        None => default_severity(config),
    };

    let services = string_list(&mut r, "services");
    let tags = string_list(&mut r, "tags");
    let authors = string_list(&mut r, "author");
    let aliases = string_list(&mut r, "aliases");

    let status = m.get("status").and_then(|v| match scalar_string(v) {
        Some(s) => match config.status(&s) {
            Some(known) => Some(known.to_string()),
            None => {
                r.report(
                    "status",
                    Diagnostic::warning("RCA014", format!("unknown status {s:?}"))
                        .with_help(format!("use one of {}", config.statuses.join(", "))),
                );
                Some(s.trim().to_lowercase())
            }
        },
        None => {
            r.report("status", type_error("status", "a string", v));
            None
        }
    });

    let written_duration = m.get("duration_minutes").and_then(|v| match v {
        RawValue::Number(n) if n.as_u64().is_some() => n.as_u64(),
        RawValue::String(s) if s.trim().parse::<u64>().is_ok() => s.trim().parse().ok(),
        _ => {
            r.report(
                "duration_minutes",
                Diagnostic::error(
                    "RCA015",
                    format!("`duration_minutes` is {}, not a whole number of minutes", describe(v)),
                ),
            );
            None
        }
    });

    let duration_minutes = written_duration.or_else(|| duration_from_end(&mut r, m, started_at));

    let slug = match m.get("slug") {
        Some(v) => match scalar_string(v) {
            Some(s) if is_valid_slug(&s) => s,
            _ => {
                r.fatal(
                    "slug",
                    Diagnostic::error(
                        "RCA016",
                        format!("`slug` is {}; a slug uses only a-z, 0-9 and -", describe(v)),
                    ),
                );
                String::new()
            }
        },
        None => slug_from_stem(&doc.source.stem),
    };

    let summary = match m.get("summary") {
        Some(v) => scalar_string(v).map(|s| clean_text(&s)).unwrap_or_else(|| {
            r.report("summary", type_error("summary", "a string", v));
            String::new()
        }),
        None => outline
            .summary_section
            .clone()
            .or_else(|| outline.first_paragraph.clone())
            .unwrap_or_default(),
    };

    let draft = match m.get("draft") {
        None => false,
        Some(RawValue::Bool(b)) => *b,
        Some(v) => {
            r.report("draft", type_error("draft", "true or false", v));
            false
        }
    };

    let mapped: Vec<&str> = config.fields.values().flatten().map(String::as_str).collect();
    let extra: BTreeMap<String, RawValue> = doc
        .matter
        .iter()
        .filter(|(k, _)| !KNOWN_KEYS.contains(&k.as_str()) && !mapped.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();

    let timeline = type_timeline(&mut r, date);
    let action_items = type_action_items(&mut r, config.lints.level("action-item-due-date"));

    let FieldReporter { diagnostics, fatal, .. } = r;
    drop(fields);
    if fatal {
        return (None, diagnostics);
    }
    let incident = Incident {
        slug,
        title,
        date,
        started_at,
        severity,
        services,
        tags,
        status,
        duration_minutes,
        authors,
        aliases,
        summary,
        draft,
        extra,
        timeline,
        action_items,
        doc,
    };
    (Some(incident), diagnostics)
}

/// The date: from the `date` field, else a `YYYY-MM-DD` prefix of the file
/// name, else the first date in the text. A date written but unreadable is
/// an error (RCA012). None at all is an error only when `date` is required
/// (RCA010 for front matter, RCA012 without); otherwise the incident is
/// undated, with a warning (RCA023, #10).
fn type_date(
    r: &mut FieldReporter<'_>,
    config: &Config,
) -> (Option<Date>, Option<jiff::Timestamp>) {
    let doc = r.doc;
    let mut written = r.fields.get("date");
    // `import` writes TODO when it finds no date: where dates are optional
    // that is a reminder, and the file goes on as if it had no date field.
    if written.is_some_and(is_todo) && !config.is_required("date") {
        r.report("date", todo_warning("date"));
        written = None;
    }
    if let Some(v) = written {
        if let Some((date, started_at)) = scalar_string(v).as_deref().and_then(parse_date) {
            return (Some(date), started_at);
        }
        r.fatal(
            "date",
            Diagnostic::error("RCA012", format!("`date` is {}, not a date", describe(v)))
                .with_help(
                    "write the day the incident started as YYYY-MM-DD, or an RFC 3339 timestamp",
                ),
        );
        return (None, None);
    }
    if let Some(date) = date_prefix(&doc.source.stem).or_else(|| inferred_date(r, doc)) {
        return (Some(date), None);
    }
    let lenient = doc.format == MatterFormat::None;
    if !config.is_required("date") {
        r.report(
            "date",
            Diagnostic::warning("RCA023", "no date: the incident is listed as undated")
                .with_help("add a `date` (or map one with [fields]) to place it in time"),
        );
    } else if lenient {
        // With front matter, the required-field rule has reported it already.
        r.fatal(
            "date",
            Diagnostic::error(
                "RCA012",
                "no `date` in front matter and no YYYY-MM-DD prefix in the file name",
            ),
        );
    }
    (None, None)
}

/// `TODO`: a value left for the author (written by `import`).
fn is_todo(v: &RawValue) -> bool {
    matches!(v, RawValue::String(s) if s.trim().eq_ignore_ascii_case("todo"))
}

fn todo_warning(key: &str) -> Diagnostic {
    Diagnostic::warning("RCA022", format!("`{key}` is still TODO"))
        .with_help(format!("fill in `{key}`; until then the default is used"))
}

/// The configured default severity (`unrated` unless set).
fn default_severity(config: &Config) -> Severity {
    severity_named(config, &config.default_severity).unwrap_or_else(Severity::unrated)
}

/// The configured level `value` names (by name or alias), under its own name.
fn severity_named(config: &Config, value: &str) -> Option<Severity> {
    let rank = config.severity_rank(value)?;
    let level = config.severity.get(rank)?;
    Some(Severity { rank, name: level.name.clone() })
}

/// A title for a file that has none: the first sentence of its summary or
/// first paragraph, cut at a word boundary.
fn title_from_summary(m: &Fields<'_>, outline: &crate::model::Outline) -> Option<String> {
    let text = m
        .get("summary")
        .and_then(scalar_string)
        .or_else(|| outline.summary_section.clone())
        .or_else(|| outline.first_paragraph.clone())?;
    let text = clean_text(&text);
    let sentence = text.split_inclusive(['.', '!', '?', '。']).next().unwrap_or(&text).trim();
    let sentence = sentence.trim_end_matches('.');
    if sentence.is_empty() {
        return None;
    }
    const MAX: usize = 90;
    if sentence.chars().count() <= MAX {
        return Some(sentence.to_string());
    }
    let cut: String = sentence.chars().take(MAX).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(a, _)| a);
    Some(format!("{cut}…"))
}

/// The duration between the start and a `resolved_at` end time, when the
/// front matter gives no `duration_minutes`.
fn duration_from_end(
    r: &mut FieldReporter<'_>,
    m: &Fields<'_>,
    started_at: Option<jiff::Timestamp>,
) -> Option<u64> {
    let value = m.get("resolved_at")?;
    let end = scalar_string(value).and_then(|s| s.trim().parse::<jiff::Timestamp>().ok());
    let Some(end) = end else {
        r.report(
            "resolved_at",
            Diagnostic::warning(
                "RCA019",
                format!("end time is {}, not an RFC 3339 timestamp", describe(value)),
            ),
        );
        return None;
    };
    let start = started_at?;
    let minutes = end.duration_since(start).as_secs() / 60;
    if minutes < 0 {
        r.report("resolved_at", Diagnostic::warning("RCA019", "end time is before the start time"));
        return None;
    }
    u64::try_from(minutes).ok()
}

fn type_error(key: &str, expected: &str, found: &RawValue) -> Diagnostic {
    Diagnostic::error("RCA011", format!("`{key}` must be {expected}, found {}", describe(found)))
}

/// A short description of a value for messages: `a list`, `"yesterday"`.
fn describe(v: &RawValue) -> String {
    match v {
        RawValue::Null => "empty".into(),
        RawValue::Bool(b) => format!("`{b}`"),
        RawValue::Number(n) => format!("`{n}`"),
        RawValue::String(s) => format!("{s:?}"),
        RawValue::Array(_) => "a list".into(),
        RawValue::Object(_) => "a mapping".into(),
    }
}

/// Strings, numbers and booleans as text; `None` for lists, maps and null.
fn scalar_string(v: &RawValue) -> Option<String> {
    match v {
        RawValue::String(s) => Some(s.clone()),
        RawValue::Number(n) => Some(n.to_string()),
        RawValue::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Control characters (other than tab) are removed from text shown in pages.
fn clean_text(s: &str) -> String {
    s.chars().filter(|c| !c.is_control() || *c == '\t').collect::<String>().trim().to_string()
}

/// A list of strings, or a single string; anything else is RCA011.
fn string_list(r: &mut FieldReporter<'_>, key: &str) -> Vec<String> {
    let Some(v) = r.fields.get(key) else { return Vec::new() };
    let todo = match v {
        RawValue::Array(items) => items.iter().any(is_todo),
        other => is_todo(other),
    };
    if todo {
        r.report(key, todo_warning(key));
        return Vec::new();
    }
    let items: Option<Vec<String>> = match v {
        RawValue::Null => Some(Vec::new()),
        RawValue::Array(items) => items.iter().map(scalar_string).collect(),
        other => scalar_string(other).map(|s| vec![s]),
    };
    match items {
        Some(items) => {
            let mut out: Vec<String> = Vec::new();
            for item in items.iter().map(|s| clean_text(s)).filter(|s| !s.is_empty()) {
                if !out.contains(&item) {
                    out.push(item);
                }
            }
            out
        }
        None => {
            let v = v.clone();
            r.report(key, type_error(key, "a list of strings", &v));
            Vec::new()
        }
    }
}

/// `YYYY-MM-DD`, or an RFC 3339 timestamp (whose UTC day is the date).
pub fn parse_date(s: &str) -> Option<(Date, Option<jiff::Timestamp>)> {
    let s = s.trim();
    if let Ok(d) = s.parse::<Date>() {
        if s.len() == 10 {
            return Some((d, None));
        }
    }
    if let Ok(ts) = s.parse::<jiff::Timestamp>() {
        return Some((ts.to_zoned(jiff::tz::TimeZone::UTC).date(), Some(ts)));
    }
    s.parse::<DateTime>().ok().map(|dt| (dt.date(), None))
}

/// A date written in the body, or in a `url` value, for files with no date
/// field; a warning says it was inferred.
fn inferred_date(r: &mut FieldReporter<'_>, doc: &Document) -> Option<Date> {
    let body = &doc.source.text[doc.body.clone()];
    let url = doc.matter.get("url").and_then(scalar_string).unwrap_or_default();
    let found = crate::dates::first_date(body).or_else(|| crate::dates::first_date(&url))?;
    r.report(
        "date",
        Diagnostic::warning(
            "RCA021",
            format!("no date field; using {found}, the first date in the text"),
        )
        .with_help("add a date (or map one with [fields]) to be sure"),
    );
    Some(found)
}

/// The date a file name starts with (`2024-03-01-db-failover` → 2024-03-01).
fn date_prefix(stem: &str) -> Option<Date> {
    stem.get(..10).and_then(|p| p.parse::<Date>().ok())
}

/// True for slugs made of `a-z`, `0-9` and single inner dashes.
pub fn is_valid_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 200
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// A URL-safe slug from any file name: ASCII letters and digits lowercased,
/// everything else folded into single dashes.
pub fn slug_from_stem(stem: &str) -> String {
    let mut out = String::new();
    for c in stem.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-');
    let out: String = out.chars().take(200).collect();
    if out.is_empty() { "incident".to_string() } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{parse_document, source_from_bytes};
    use std::path::Path;

    pub(super) fn typed(name: &str, text: &str) -> (Option<Incident>, Vec<Diagnostic>) {
        let rel = Path::new("content").join(name);
        let source = source_from_bytes(&rel, text.as_bytes().to_vec()).unwrap();
        let (doc, diags) = parse_document(source);
        assert!(diags.is_empty(), "{diags:?}");
        incident_from(doc.unwrap(), &Config::default())
    }

    pub(super) fn codes(diags: &[Diagnostic]) -> Vec<&str> {
        diags.iter().map(|d| d.code).collect()
    }

    const GOOD: &str = "---\ntitle: Pool exhausted\ndate: 2025-06-02\nseverity: sev2\n\
        services: payment-svc\ntags: [db, db, pool]\nstatus: Resolved\nduration_minutes: 65\n\
        author: [Ana, Bo]\naliases: [pool-june]\njira: OPS-1\n---\n## Summary\nThe pool ran dry.\n";

    #[test]
    fn a_good_file_types_every_field() {
        let (i, diags) = typed("2025-06-02-pool.md", GOOD);
        assert!(diags.is_empty(), "{diags:?}");
        let i = i.unwrap();
        assert_eq!(i.slug, "2025-06-02-pool");
        assert_eq!(i.title, "Pool exhausted");
        assert_eq!(i.date, Some(Date::constant(2025, 6, 2)));
        assert_eq!(i.severity.name, "P2");
        assert_eq!(i.services, ["payment-svc"]);
        assert_eq!(i.tags, ["db", "pool"]);
        assert_eq!(i.status.as_deref(), Some("resolved"));
        assert_eq!(i.duration_minutes, Some(65));
        assert_eq!(i.authors, ["Ana", "Bo"]);
        assert_eq!(i.summary, "The pool ran dry.");
        assert_eq!(i.extra["jira"], "OPS-1");
    }

    #[test]
    fn missing_required_field_is_rca010_and_fatal() {
        let (i, diags) = typed("x.md", "---\ntitle: A\nseverity: P1\n---\n");
        assert!(i.is_none());
        assert_eq!(codes(&diags), ["RCA010"]);
    }

    #[test]
    fn wrong_types_point_at_their_key_line() {
        let (i, diags) = typed(
            "x.md",
            "---\ntitle: A\ndate: yesterday\nseverity: [P1]\nduration_minutes: -5\n---\n",
        );
        assert!(i.is_none());
        let found: Vec<_> = diags.iter().map(|d| (d.code, d.line())).collect();
        assert_eq!(found, [("RCA012", Some(3)), ("RCA011", Some(4)), ("RCA015", Some(5))]);
    }

    #[test]
    fn unknown_severity_is_rca013_and_unknown_status_a_warning() {
        let (i, diags) = typed("x.md", "---\ntitle: A\ndate: 2024-01-01\nseverity: P9\n---\n");
        assert!(i.is_none());
        assert_eq!(codes(&diags), ["RCA013"]);
        let (i, diags) =
            typed("x.md", "---\ntitle: A\ndate: 2024-01-01\nseverity: P1\nstatus: done-ish\n---\n");
        assert!(i.is_some());
        assert_eq!(codes(&diags), ["RCA014"]);
        assert_eq!(diags[0].level, crate::diag::Level::Warning);
    }

    #[test]
    fn bad_slugs_are_refused() {
        for slug in ["../etc", "a/b", "A B", "a\\\\b", "-x"] {
            let text =
                format!("---\ntitle: A\ndate: 2024-01-01\nseverity: P1\nslug: \"{slug}\"\n---\n");
            let (i, diags) = typed("x.md", &text);
            assert!(i.is_none(), "{slug}");
            assert_eq!(codes(&diags), ["RCA016"], "{slug}");
        }
    }

    #[test]
    fn no_front_matter_takes_heading_and_file_date() {
        let (i, diags) = typed("2023-04-05-cache.md", "# Cache stampede\n\nIt stampeded.\n");
        let i = i.unwrap();
        assert_eq!(codes(&diags), ["RCA020"]);
        assert_eq!(i.title, "Cache stampede");
        assert_eq!(i.date, Some(Date::constant(2023, 4, 5)));
        assert!(i.severity.is_unrated());
        assert_eq!(i.summary, "It stampeded.");
        let (i, diags) = typed("notes.md", "just text\n");
        assert!(i.is_none());
        assert_eq!(codes(&diags), ["RCA020", "RCA012"]);
    }

    #[test]
    fn rfc3339_dates_keep_the_start_time() {
        let (i, _) =
            typed("x.md", "---\ntitle: A\ndate: 2024-05-14T23:30:00-02:00\nseverity: P1\n---\n");
        let i = i.unwrap();
        assert_eq!(i.date, Some(Date::constant(2024, 5, 15)));
        assert!(i.started_at.is_some());
    }

    #[test]
    fn slugs_from_any_file_name() {
        assert_eq!(slug_from_stem("2024-03-01 DB Failover!"), "2024-03-01-db-failover");
        assert_eq!(slug_from_stem("数据库"), "incident");
        assert_eq!(slug_from_stem("..a..b"), "a-b");
        assert!(is_valid_slug("a-1"));
        assert!(!is_valid_slug("a..b/"));
    }

    #[test]
    fn duplicate_slugs_are_reported_and_derived_collisions_renamed() {
        let docs: Vec<Document> = [
            ("content/a.md", "---\ntitle: A\ndate: 2024-01-01\nseverity: P1\nslug: same\n---\n"),
            ("content/b.md", "---\ntitle: B\ndate: 2024-01-01\nseverity: P1\nslug: same\n---\n"),
            ("content/Same.md", "---\ntitle: C\ndate: 2024-01-01\nseverity: P1\n---\n"),
        ]
        .into_iter()
        .map(|(p, t)| parse_document(source_from_bytes(Path::new(p), t.into()).unwrap()).0.unwrap())
        .collect();
        let v = validate(docs, &Config::default(), false);
        let slugs: Vec<_> = v.incidents.iter().map(|i| i.slug.as_str()).collect();
        assert_eq!(slugs, ["same", "same-2"]);
        assert_eq!(codes(&v.diagnostics), ["RCA017", "RCA018"]);
    }

    fn typed_with(config: &Config, text: &str) -> (Option<Incident>, Vec<Diagnostic>) {
        let source =
            source_from_bytes(Path::new("content/x.md"), text.as_bytes().to_vec()).unwrap();
        incident_from(parse_document(source).0.unwrap(), config)
    }

    fn mapped_config() -> Config {
        let text = "required_fields = [\"date\"]\ndefault_severity = \"P3\"\n[fields]\n\
            date = [\"start_time\", \"published\"]\nresolved_at = [\"end_time\"]\n\
            services = [\"product\"]\ntags = [\"categories\", \"keywords\"]\n";
        Config::parse(text, Path::new("hindsight.toml")).unwrap()
    }

    #[test]
    fn field_mapping_types_other_schemas() {
        let config = mapped_config();
        let (i, diags) = typed_with(
            &config,
            "---\ntitle: S3 outage\nstart_time: 2017-02-28T17:37:00Z\nend_time: 2017-02-28T21:54:00Z\n\
             product: S3\ncategories: []\nkeywords: [s3, typo]\ncompany: Amazon\n---\nbody\n",
        );
        assert!(diags.is_empty(), "{diags:?}");
        let i = i.unwrap();
        assert_eq!(i.date, Some(Date::constant(2017, 2, 28)));
        assert_eq!(i.duration_minutes, Some(257));
        assert_eq!(i.services, ["S3"]);
        assert_eq!(i.tags, ["s3", "typo"], "empty categories fall through to keywords");
        assert_eq!(i.severity.name, "P3", "default severity");
        let extra: Vec<_> = i.extra.keys().collect();
        assert_eq!(extra, ["company"], "mapped keys are not extra");
    }

    #[test]
    fn mapped_fields_fall_back_in_order_and_point_at_the_source_key() {
        let config = mapped_config();
        let (i, _) = typed_with(&config, "---\npublished: 2020-01-02\n---\n");
        assert_eq!(i.unwrap().date, Some(Date::constant(2020, 1, 2)));
        let (i, diags) = typed_with(&config, "---\nx: 1\nstart_time: soon\n---\n");
        assert!(i.is_none());
        assert_eq!(codes(&diags), ["RCA012"]);
        assert_eq!(diags[0].line(), Some(3), "points at start_time");
        let (_, diags) =
            typed_with(&config, "---\nstart_time: 2020-01-01T00:00:00Z\nend_time: later\n---\n");
        assert_eq!(codes(&diags), ["RCA019"]);
    }

    #[test]
    fn missing_title_comes_from_heading_or_summary() {
        let config = mapped_config();
        let (i, _) = typed_with(
            &config,
            "---\nstart_time: 2020-01-01T00:00:00Z\n---\n# Heading title\n\ntext\n",
        );
        assert_eq!(i.unwrap().title, "Heading title");
        let long = "word ".repeat(40);
        let (i, _) = typed_with(
            &config,
            &format!(
                "---\nstart_time: 2020-01-01T00:00:00Z\nsummary: Disk filled up. Then more.\n---\n{long}\n"
            ),
        );
        assert_eq!(i.unwrap().title, "Disk filled up");
        let (i, _) =
            typed_with(&config, &format!("---\nstart_time: 2020-01-01T00:00:00Z\n---\n{long}\n"));
        let title = i.unwrap().title;
        assert!(title.ends_with('…') && title.chars().count() <= 91, "{title}");
    }

    fn dates_optional() -> Config {
        Config::parse("required_fields = [\"title\"]\n", Path::new("hindsight.toml")).unwrap()
    }

    #[test]
    fn issue_10_no_date_anywhere_is_undated_unless_required() {
        // See: issue #10. No date field, no date in the file name or text.
        let text = "---\ntitle: A\nseverity: P1\n---\nNo day given.\n";
        let (i, diags) = typed_with(&dates_optional(), text);
        assert_eq!(i.unwrap().date, None);
        assert_eq!(codes(&diags), ["RCA023"]);
        assert_eq!(diags[0].level, crate::diag::Level::Warning);
        assert_eq!(diags[0].line(), Some(1), "points at the front matter");
        // Required (the default): the file is left out.
        let (i, diags) = typed_with(&Config::default(), text);
        assert!(i.is_none());
        assert_eq!(codes(&diags), ["RCA010"]);
        // Without front matter too.
        let (i, diags) = typed_with(&dates_optional(), "# Title\n\ntext\n");
        assert_eq!(i.unwrap().date, None);
        assert_eq!(codes(&diags), ["RCA020", "RCA023"]);
        let (i, diags) = typed_with(&Config::default(), "# Title\n\ntext\n");
        assert!(i.is_none());
        assert_eq!(codes(&diags), ["RCA020", "RCA012"]);
    }

    #[test]
    fn issue_10_a_written_date_that_is_not_a_date_stays_an_error() {
        let (i, diags) = typed_with(&dates_optional(), "---\ntitle: A\ndate: soon\n---\n");
        assert!(i.is_none());
        assert_eq!(codes(&diags), ["RCA012"]);
        assert_eq!(diags[0].level, crate::diag::Level::Error);
        assert_eq!(diags[0].line(), Some(3));
    }

    #[test]
    fn issue_10_a_todo_date_is_undated_only_where_dates_are_optional() {
        let text = "---\ntitle: A\ndate: TODO\nseverity: P1\n---\n";
        let (i, diags) = typed_with(&dates_optional(), text);
        assert_eq!(i.unwrap().date, None);
        assert_eq!(codes(&diags), ["RCA022", "RCA023"]);
        let (i, diags) = typed_with(&Config::default(), text);
        assert!(i.is_none());
        assert_eq!(codes(&diags), ["RCA012"]);
    }

    #[test]
    fn undated_incidents_sort_after_dated_ones_then_by_slug() {
        let docs: Vec<Document> = [
            ("content/b.md", "---\ntitle: B\n---\n"),
            ("content/old.md", "---\ntitle: O\ndate: 2020-01-01\n---\n"),
            ("content/a.md", "---\ntitle: A\n---\n"),
            ("content/new.md", "---\ntitle: N\ndate: 2024-01-01\n---\n"),
        ]
        .into_iter()
        .map(|(p, t)| parse_document(source_from_bytes(Path::new(p), t.into()).unwrap()).0.unwrap())
        .collect();
        let v = validate(docs, &dates_optional(), false);
        let slugs: Vec<_> = v.incidents.iter().map(|i| i.slug.as_str()).collect();
        assert_eq!(slugs, ["new", "old", "a", "b"]);
    }

    #[test]
    fn todo_values_are_warnings_not_errors() {
        let (i, diags) = typed(
            "x.md",
            "---\ntitle: A\ndate: 2024-01-01\nseverity: TODO\nservices: [TODO]\n---\n",
        );
        let i = i.unwrap();
        assert_eq!(codes(&diags), ["RCA022", "RCA022"]);
        assert!(i.severity.is_unrated() && i.services.is_empty());
        assert_eq!(diags[0].line(), Some(4));
    }
}
