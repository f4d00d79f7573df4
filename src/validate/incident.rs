//! Typing one document's front matter into an [`Incident`]: each field
//! by its own rule, every problem pointing at the key it came from.
//!
//! Inputs: a [`Document`] and the [`Config`]. Outputs: the incident, or
//! `None` when a required field is missing or invalid, and diagnostics.
//! Imports: diag, config, model and the rest of the validate stage.

use std::collections::BTreeMap;
use std::sync::Arc;

use self::when::{minutes_to, type_date, type_duration, type_time_zone};
use super::fields::{FieldReporter, Fields, same_key};
use super::rows::{type_action_items, type_timeline};
use super::{is_valid_slug, slug_from_stem};
use crate::config::{Config, MAPPABLE_FIELDS};
use crate::diag::Diagnostic;
use crate::markdown::inline_plain;
use crate::model::{
    Document, Incident, MatterFormat, RawValue, Severity, StatedTimes, is_blank, scalar_string,
};

/// Front-matter keys with a meaning (the mappable fields, under their own
/// names); everything else goes to `extra`.
const KNOWN_KEYS: &[&str] = MAPPABLE_FIELDS;

mod implied;
mod language;
mod lists;
mod when;

use self::implied::{Stated, report_stated, services_and_tags, severity_stated_elsewhere};
use self::lists::{author_names, string_list};

/// Types one document. `None` when a required field is missing or invalid.
pub fn incident_from(
    doc: impl Into<Arc<Document>>,
    config: &Config,
) -> (Option<Incident>, Vec<Diagnostic>) {
    let doc: Arc<Document> = doc.into();
    let fields = Fields::new(&doc, config);
    let mut r =
        FieldReporter { doc: &doc, fields: &fields, config, diagnostics: Vec::new(), fatal: false };
    let stated_severity = severity_stated_elsewhere(&fields, &doc, config);
    let stated_in = stated_severity.as_ref().map(|s| s.2);
    let lenient = doc.format == MatterFormat::None;
    if lenient {
        r.lint("no-front-matter", "", no_front_matter(&doc, stated_in));
    } else {
        check_required(&mut r, config, stated_in.is_some());
    }

    let title = type_title(&mut r);
    // A time written without a zone is read in the zone the file names,
    // else the one its timeline states, else the configured one.
    let file_zone = type_time_zone(&mut r);
    let zone_less = file_zone
        .clone()
        .or_else(|| super::rows::stated_zone(&doc))
        .unwrap_or_else(|| config.time_zone());
    let when = type_date(&mut r, config, &zone_less);
    let (date, started_at) = (when.map(|w| w.date), when.and_then(|w| w.at));
    let started_offset = when
        .and_then(|w| w.offset.or_else(|| w.at.map(|at| zone_less.to_offset(at))))
        .filter(|_| started_at.is_some());
    let severity = match stated_severity {
        Some((severity, written, stated)) => report_stated(&mut r, severity, &written, stated),
        None => type_severity(&mut r, config),
    };
    let (services, tags) = services_and_tags(&mut r, config);
    // Names may hold commas ("Doe, Jane"): a single string is one name,
    // unless its key is plural ("authors: kim, ravi"); no name holds a `;`.
    let plural = r.fields.key("author").to_lowercase().ends_with('s');
    let separators: &[char] = if plural { &[';', ','] } else { &[';'] };
    let authors = author_names(string_list(&mut r, "author", separators));
    let aliases = string_list(&mut r, "aliases", &[]);
    let own_id = own_id(&doc);
    let status = type_status(&mut r, config);
    let duration_minutes =
        type_duration(&mut r).or_else(|| minutes_to(&mut r, "resolved_at", when, &zone_less));
    let field_times = StatedTimes {
        detect: minutes_to(&mut r, "detected_at", when, &zone_less),
        mitigate: minutes_to(&mut r, "mitigated_at", when, &zone_less),
        resolve: None,
    };
    let slug = type_slug(&mut r);
    let summary = type_summary(&mut r, &title);
    // Written in the front matter (or the labelled lines standing in for
    // it) under `summary` or a key mapped to it, not taken from the body.
    let summary_written = !summary.is_empty()
        && r.fields.get("summary").is_some()
        && doc.matter.contains_key(r.fields.key("summary"));
    let draft = type_draft(&mut r);
    let mut extra = extra_fields(&doc, &fields, config);
    let day_only = r.fields.get("date").and_then(scalar_string).is_some_and(|d| !d.contains(':'));
    if started_at.is_some() && day_only {
        // The start's time of day came from a `time` key beside the day:
        // the page shows the start, and showing the key again says it twice.
        extra.retain(|k, _| !same_key(k, "time"));
    }
    // A start written in a zone other than UTC says where the team was:
    // its timeline's clock times are read there unless it states a zone.
    // (UTC is what tools convert to, not a clue to the writers' clocks.)
    let written_zone = file_zone.or_else(|| {
        when.and_then(|w| w.offset)
            .filter(|o| *o != jiff::tz::Offset::UTC)
            .map(jiff::tz::TimeZone::fixed)
    });
    let timeline = type_timeline(&mut r, date, started_at, written_zone, config);
    let action_items = type_action_items(&mut r, config.lints.level("action-item-due-date"));

    let FieldReporter { diagnostics, fatal, .. } = r;
    drop(fields);
    if fatal {
        return (None, diagnostics);
    }
    let headings = doc.outline.headings.iter().map(|h| h.text.as_str());
    let language =
        language::language_of([title.as_str(), summary.as_str()].into_iter().chain(headings));
    let incident = Incident {
        slug: crate::model::Slug::new(slug),
        language,
        title,
        date,
        started_at,
        started_offset,
        severity,
        services,
        tags,
        status,
        duration_minutes,
        field_times,
        authors,
        aliases,
        own_id,
        summary,
        summary_written,
        draft,
        extra,
        timeline,
        action_items,
        doc,
    };
    (Some(incident), diagnostics)
}

/// The warning for a file without front matter, naming the fields read
/// from labelled lines at its top (`**Severity:** Sev 2`) instead.
fn no_front_matter(doc: &Document, severity_stated: Option<Stated>) -> Diagnostic {
    let from_lines: Vec<&str> = doc.matter.keys().map(String::as_str).collect();
    let mut parts = Vec::new();
    if !from_lines.is_empty() {
        parts.push(format!("{} from labelled lines", from_lines.join(", ")));
    }
    let outline = &doc.outline;
    let title = match &outline.first_heading {
        Some(t) if outline.headings.first().is_some_and(|h| &h.text == t) => {
            "title from the first heading"
        }
        Some(_) => "title from the bold line it opens with",
        None => "title from the first sentence or the file name",
    };
    let severity = match severity_stated {
        Some(Stated::Title) => "severity from the title",
        Some(Stated::Tag) => "severity from a tag",
        None => "severity unrated",
    };
    let date = "date from the file name or the text";
    let defaults = [("title", title), ("date", date), ("severity", severity)];
    for (field, default) in defaults {
        if !doc.matter.contains_key(field) {
            parts.push(default.to_string());
        }
    }
    Diagnostic::warning("RCA020", format!("no front matter: {}", parts.join(", ")))
        .with_help("add a front matter block with title, date and severity")
}

/// Reports the configured required fields a front matter lacks.
fn check_required(r: &mut FieldReporter<'_>, config: &Config, severity_stated: bool) {
    for field in &config.required_fields {
        if r.fields.get(field).is_some() || (field == "severity" && severity_stated) {
            continue;
        }
        let d = Diagnostic::error("RCA010", format!("required field `{field}` is missing"))
            .with_help(required_help(&r.doc.matter, field));
        if matches!(field.as_str(), "title" | "date" | "severity") {
            // The page cannot be built without these, whatever the lint level.
            r.fatal(field, d);
        } else if let Some(level) = config.lints.level("required-field") {
            r.report(field, Diagnostic { level, ..d });
        }
    }
}

/// What to do about a missing required field: map the key this front
/// matter holds for it under another tool's name (`priority`,
/// `start_time`), or write it, or stop requiring it.
fn required_help(matter: &BTreeMap<String, RawValue>, field: &str) -> String {
    let other_names = crate::config::FIELD_KEYS.iter().find(|(f, _)| *f == field);
    // The key as this file writes it: a mapping matches keys exactly.
    let held = other_names.and_then(|(_, keys)| {
        keys.iter()
            .filter(|k| **k != field)
            .find_map(|k| matter.keys().find(|m| m.as_str() == *k || same_key(m, k)))
    });
    if let Some(key) = held {
        return format!(
            "this front matter has `{key}`: map it with `[fields] {field} = [\"{key}\"]` in \
             hindsight.toml (`hindsight adopt` suggests every such setting)"
        );
    }
    let example = match field {
        "date" => "`date: 2024-03-05`",
        "severity" => "`severity: P2`",
        "title" => "`title: ...`",
        _ => {
            return format!("add `{field}`, or remove it from `required_fields` in hindsight.toml");
        }
    };
    format!(
        "add {example}, or remove \"{field}\" from `required_fields` in hindsight.toml to build \
         such files without it"
    )
}

/// The title: the `title` field, else the first heading, else a file name
/// written for people, else the start of the summary, else the file name
/// (its last part, for a page of an outliner's namespace).
fn type_title(r: &mut FieldReporter<'_>) -> String {
    let (m, doc) = (r.fields, r.doc);
    let outline = &doc.outline;
    let from_body = || {
        outline
            .first_heading
            .clone()
            .or_else(|| title_from_name(&doc.source.stem))
            .or_else(|| title_from_summary(m, outline))
    };
    let title = match m.get("title") {
        Some(v) => match scalar_string(v) {
            Some(t) if !t.trim().is_empty() => Some(clean_text(&inline_plain(&t))),
            // `title:` left empty (a template's blank): the body's title,
            // with a warning, as for a file with no title key.
            Some(_) | None if is_blank(v) => {
                let title = from_body().unwrap_or_else(|| doc.source.stem.clone());
                let d = type_error("title", "a non-empty string", v);
                let message = format!("{}; using {title:?}", d.message);
                r.report("title", Diagnostic { level: crate::diag::Level::Warning, message, ..d });
                Some(title)
            }
            _ => {
                r.fatal("title", type_error("title", "a non-empty string", v));
                None
            }
        },
        None => from_body(),
    };
    // A page of an outliner's namespace (`postmortems/2024-03-21 Stale
    // flags`) is named by its own part.
    let own_name = || {
        let stem = doc.source.stem.as_str();
        stem.rsplit('/').next().filter(|own| !own.trim().is_empty()).unwrap_or(stem).to_string()
    };
    match title {
        // `# ISSUE NAME`, `title: "[Incident title]"`: the template's words,
        // never filled in. A list of such titles tells a reader nothing.
        Some(placeholder) if is_placeholder_title(&placeholder) => {
            let title = title_from_name(&doc.source.stem)
                .or_else(|| title_from_summary(m, outline))
                .unwrap_or_else(own_name);
            let d = Diagnostic::warning(
                "RCA022",
                format!("the title is still the template's {placeholder:?}; using {title:?}"),
            )
            .with_help("write a title that names the failure");
            r.lint("todo-field", "title", d);
            title
        }
        Some(title) => title,
        None => own_name(),
    }
}

/// Whether `title` is a template's placeholder for one (`ISSUE NAME`,
/// `[Incident title]`, `<Title>`, `{{ title }}`, `Postmortem template`),
/// a day's placeholder before it or not (`YYYY-MM-DD Incident name`).
pub(super) fn is_placeholder_title(title: &str) -> bool {
    const PLACEHOLDERS: [&str; 16] = [
        "title",
        "todo",
        "tbd",
        "issue name",
        "issue title",
        "incident name",
        "incident title",
        "name of the incident",
        "title of the incident",
        "short title",
        "your title here",
        "title here",
        "postmortem title",
        "postmortem template",
        "incident report template",
        "rca template",
    ];
    if title.trim_start().starts_with("{{") {
        return true;
    }
    let words: String = title
        .chars()
        .map(|c| if c.is_alphanumeric() { c.to_ascii_lowercase() } else { ' ' })
        .collect();
    let words: Vec<&str> = words.split_whitespace().collect();
    let words = match words.as_slice() {
        ["yyyy", "mm", "dd", rest @ ..] => rest,
        all => all,
    };
    let words = words.strip_prefix(&["post"]).map_or(words.join(" "), |rest| {
        // "Post-mortem title" as "postmortem title".
        format!("post{}", rest.join(" "))
    });
    PLACEHOLDERS.contains(&words.as_str())
}

/// The severity: a configured level by name or alias; unrated (or the
/// configured default) when absent or still TODO.
fn type_severity(r: &mut FieldReporter<'_>, config: &Config) -> Severity {
    let Some(v) = r.fields.get("severity") else { return default_severity(config) };
    if is_todo(v) {
        r.lint("todo-field", "severity", todo_warning("severity"));
        return default_severity(config);
    }
    // A taxonomy is a list, one term to a post: Zola's and Hugo's archives
    // write `severity = ["P2"]`.
    let one = match v {
        RawValue::Array(items) if items.len() == 1 => items.first().and_then(scalar_string),
        _ => scalar_string(v),
    };
    let Some(s) = one else {
        r.fatal("severity", type_error("severity", "a string such as \"P2\"", v));
        return Severity::unrated();
    };
    severity_named(config, &s).unwrap_or_else(|| {
        let levels: Vec<_> = config.severity.iter().map(|l| l.name.as_str()).collect();
        let d = Diagnostic::error("RCA013", format!("unknown severity {s:?}"))
            .with_help(format!("use one of {}", levels.join(", ")));
        if r.doc.format == MatterFormat::None || r.fields.read_in_body("severity") {
            // A labelled line standing in for front matter: the file builds
            // unrated, as it would without the line.
            r.report("severity", Diagnostic { level: crate::diag::Level::Warning, ..d });
            return default_severity(config);
        }
        r.fatal("severity", d);
        Severity::unrated()
    })
}

/// The status, as configured when known; an unknown one is kept, lower-cased,
/// with a warning.
fn type_status(r: &mut FieldReporter<'_>, config: &Config) -> Option<String> {
    let v = r.fields.get("status")?;
    let Some(s) = scalar_string(v) else {
        r.report("status", type_error("status", "a string", v));
        return None;
    };
    if is_placeholder_value(&s) {
        r.lint("todo-field", "status", todo_warning("status"));
        return None;
    }
    if let Some(known) = config.status(&s) {
        return Some(known.to_string());
    }
    let known = config.statuses.join(", ");
    let help = if is_review_state(&s) {
        // "Status: Draft" in a review template says where the write-up is.
        format!(
            "{s:?} says where the write-up's review is, not the incident: set the incident's \
             status ({known}), or map the word under [values.status] in hindsight.toml"
        )
    } else {
        format!("use one of {known}")
    };
    r.lint(
        "unknown-status",
        "status",
        Diagnostic::warning("RCA014", format!("unknown status {s:?}")).with_help(help),
    );
    Some(s.trim().to_lowercase())
}

/// True for a status that a write-up's review takes before it is final:
/// "Draft", "In review", "Pending review".
fn is_review_state(status: &str) -> bool {
    let lower = status.trim().to_lowercase();
    lower.starts_with("draft") || lower.contains("review")
}

/// The `slug` field, else one made from the file name. A slug written
/// as another tool writes it (a path, `/postmortems/db-failover`, or
/// capitals and underscores, `DB_Failover`) is made one from its last part,
/// with a warning: the page is built at an address of a-z, 0-9 and `-`.
fn type_slug(r: &mut FieldReporter<'_>) -> String {
    let from_stem = || slug_from_stem(&r.doc.source.stem);
    let Some(v) = r.fields.get("slug") else { return from_stem() };
    let written = scalar_string(v);
    if let Some(s) = written.as_deref().filter(|s| is_valid_slug(s)) {
        return s.to_string();
    }
    let last = written.as_deref().and_then(|s| {
        s.split(['/', '\\']).map(str::trim).rfind(|p| !matches!(*p, "" | "." | ".."))
    });
    let slug = last.map_or_else(from_stem, slug_from_stem);
    let d = Diagnostic::warning(
        "RCA016",
        format!("`slug` is {}; a slug uses only a-z, 0-9 and -: using \"{slug}\"", describe(v)),
    )
    .with_help("write the slug in a-z, 0-9 and -, or remove it to use the file name");
    r.report("slug", d);
    slug
}

/// The `summary` field, else the Summary section, else the first paragraph
/// (the next, when the title was made of the first).
fn type_summary(r: &mut FieldReporter<'_>, title: &str) -> String {
    let summary = written_summary(r, title);
    if !is_placeholder_value(&summary) {
        return summary;
    }
    // Said where it is written: the Summary section, when no key is.
    let spans = &r.doc.outline.section_spans;
    let section = spans.iter().find(|s| s.role == crate::sections::Role::Summary);
    match section.filter(|_| r.fields.get("summary").is_none()) {
        Some(span) => r.lint_at("todo-field", span.range.start, todo_warning("summary")),
        None => r.lint("todo-field", "summary", todo_warning("summary")),
    }
    String::new()
}

/// The summary as written, placeholder or not; see [`type_summary`].
fn written_summary(r: &mut FieldReporter<'_>, title: &str) -> String {
    let outline = &r.doc.outline;
    match r.fields.get("summary") {
        // Written with markdown's marks ("the **pool**"), it reads as
        // plain text, as a summary taken from the body does.
        Some(v) => scalar_string(v).map(|s| clean_text(&inline_plain(&s))).unwrap_or_else(|| {
            r.report("summary", type_error("summary", "a string", v));
            String::new()
        }),
        None => {
            let summary = outline
                .summary_section
                .clone()
                .or_else(|| outline.summary_item.clone())
                .or_else(|| {
                    let first = outline.first_paragraph.as_ref()?;
                    let titled = clean_text(first).trim_end_matches('.') == title;
                    if titled { outline.next_paragraph.clone() } else { Some(first.clone()) }
                })
                .unwrap_or_default();
            // Runs of spaces (a converter's padding, two after a full stop)
            // read as one, as a page shows them.
            if summary.contains("  ") {
                summary.split(' ').filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
            } else {
                summary
            }
        }
    }
}

/// `draft: true` keeps an incident out of a build without `--drafts`.
fn type_draft(r: &mut FieldReporter<'_>) -> bool {
    match r.fields.get("draft") {
        None => false,
        Some(RawValue::Bool(b)) => *b,
        Some(v) => {
            r.report("draft", type_error("draft", "true or false", v));
            false
        }
    }
}

/// Front-matter keys with no meaning to hindsight, kept for templates;
/// mapped keys and `hidden_keys` are left out.
fn extra_fields(
    doc: &Document,
    fields: &Fields<'_>,
    config: &Config,
) -> BTreeMap<String, RawValue> {
    let mapped: Vec<&str> = config.fields.values().flatten().map(String::as_str).collect();
    let hidden = |k: &str| config.hidden_keys.iter().any(|h| h.eq_ignore_ascii_case(k));
    // `authors` read as `author` (see `config::OWN_SPELLINGS`) is no extra.
    let own_spelling =
        |k: &str| crate::config::OWN_SPELLINGS.iter().any(|(field, _)| fields.key(field) == k);
    doc.matter
        .iter()
        .filter(|(k, _)| {
            !KNOWN_KEYS.iter().any(|known| same_key(k, known))
                && !mapped.contains(&k.as_str())
                && !hidden(k)
                && !own_spelling(k)
        })
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// The identifier a document's front matter gives it (`id: INC-1234`,
/// `incident_id`, `incident_number`). Only one with a letter and a digit,
/// as a tracker writes them: `id: 7` or `id: root` would name nothing a
/// reader knows. Read here, where the front matter is at hand: the link
/// stage looks it up for every incident, and at 100,000 incidents going
/// back to each one's front matter for it was a tenth of that stage.
fn own_id(doc: &Document) -> Option<String> {
    ["id", "incident_id", "incident_number"].iter().find_map(|key| {
        let value = crate::model::scalar_string(doc.matter.get(*key)?)?;
        let value = value.trim();
        let is_id = value.len() <= 40
            && value.chars().any(|c| c.is_ascii_alphabetic())
            && value.chars().any(|c| c.is_ascii_digit())
            && !value.contains(char::is_whitespace);
        is_id.then(|| value.to_string())
    })
}

/// A value left for the author: `TODO` (as `import` writes), `TBD`,
/// `To be determined`, `???`.
fn is_todo(v: &RawValue) -> bool {
    matches!(v, RawValue::String(s) if is_placeholder_value(s))
}

/// Whether a written value only says it is still to be written.
pub(super) fn is_placeholder_value(value: &str) -> bool {
    let value = value.trim().trim_end_matches(['.', '!']).trim().to_lowercase();
    matches!(
        value.as_str(),
        "todo"
            | "to do"
            | "tbd"
            | "tbc"
            | "to be determined"
            | "to be decided"
            | "to be confirmed"
            | "to be written"
            | "fill in"
            | "[fill in]"
            | "?"
            | "??"
            | "???"
            | "…"
            | "xxx"
    )
}

fn todo_warning(key: &str) -> Diagnostic {
    Diagnostic::warning("RCA022", format!("`{key}` is still to be filled in (TODO)"))
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

/// The title as written: the front matter's, else the body's first heading.
fn written_title(fields: &Fields<'_>, doc: &Document) -> String {
    let matter = fields.get("title").and_then(scalar_string);
    matter.or_else(|| doc.outline.first_heading.clone()).unwrap_or_default()
}

/// The title a file's name gives, when it is written for people as a
/// GitHub wiki writes a page's title (`2024-02-11-Ledger-replica-fell-behind`
/// is "2024-02-11 Ledger replica fell behind") or an outliner a page's
/// name: a capital or a space in it, and two words or more. A slug
/// (`2024-03-05-db-failover`), an id or a number says less than the
/// summary does.
fn title_from_name(stem: &str) -> Option<String> {
    let own = stem.rsplit('/').next().unwrap_or(stem).trim();
    let for_people = own.contains(' ') || own.chars().any(char::is_uppercase);
    let title: String = if own.contains(' ') {
        own.to_string()
    } else {
        // Dashes and underscores are spaces, but within a date.
        let chars: Vec<char> = own.chars().collect();
        let digit = |at: Option<&char>| at.is_some_and(char::is_ascii_digit);
        chars
            .iter()
            .enumerate()
            .map(|(i, &c)| {
                let in_date =
                    digit(i.checked_sub(1).and_then(|p| chars.get(p))) && digit(chars.get(i + 1));
                if matches!(c, '-' | '_') && !in_date { ' ' } else { c }
            })
            .collect()
    };
    let words = title.split_whitespace().filter(|w| w.chars().any(char::is_alphabetic)).count();
    (for_people && words >= 2).then(|| title.split_whitespace().collect::<Vec<_>>().join(" "))
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
    let sentence = first_sentence(&text).trim().trim_end_matches('.');
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

/// The first sentence of `text`: up to a `.`, `!` or `?` followed by a
/// space or the end, or a CJK full stop. A point inside a word ("Careers
/// 2.0", "crates.io", "1.35 Tbps") or after an abbreviation or an initial
/// ("e.g. the pool", "J. Smith") ends nothing.
fn first_sentence(text: &str) -> &str {
    const ABBREVIATIONS: [&str; 12] =
        ["approx", "cf", "dr", "e.g", "etc", "i.e", "inc", "ltd", "mr", "no", "st", "vs"];
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let after = at + c.len_utf8();
        if matches!(c, '。' | '！' | '？') {
            return &text[..after];
        }
        if !matches!(c, '.' | '!' | '?') || chars.peek().is_some_and(|&(_, n)| !n.is_whitespace()) {
            continue;
        }
        let word = text[..at].rsplit(char::is_whitespace).next().unwrap_or_default();
        let word = word.trim_start_matches(|c: char| !c.is_alphanumeric());
        let initial = word.chars().count() == 1 && word.chars().all(char::is_uppercase);
        let abbreviation = ABBREVIATIONS.iter().any(|a| a.eq_ignore_ascii_case(word));
        if c != '.' || !(initial || abbreviation) {
            return &text[..after];
        }
    }
    text
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

/// Control characters (other than tab) are removed from text shown in pages.
fn clean_text(s: &str) -> String {
    s.chars().filter(|c| !c.is_control() || *c == '\t').collect::<String>().trim().to_string()
}
