//! Stage 3b, lint: editorial rules on the validated incidents, each with a
//! stable code and a level set in `[lints]` of hindsight.toml.
//!
//! Inputs: the incidents (after validate and links), the [`Config`] and the
//! build date. Output: diagnostics only; nothing is changed or dropped, so a
//! lint never changes the site. Imports: codes, config, diag, model (the
//! empty sections come from the load stage's one scan of each body). One
//! rule, one function.
//! The rules that need the raw cell text (required fields, unreadable due
//! dates) live in validate and read their level from the same table.

use std::collections::BTreeMap;

use jiff::civil::Date;

use crate::config::Config;
use crate::diag::{Diagnostic, Level, locate_all};
use crate::model::{Incident, TimelineEntry};
use crate::sections::{Role, is_narrative};

/// Runs every lint that is not off over `incidents`.
pub(crate) fn lint(incidents: &[Incident], config: &Config, build_date: Date) -> Vec<Diagnostic> {
    use rayon::prelude::*;
    let level = |name: &str| config.lints.level(name);
    let mut out: Vec<Diagnostic> = incidents
        .par_iter()
        .flat_map_iter(|incident| lint_one(incident, config, build_date))
        .collect();
    if let Some(l) = level("duplicate-title") {
        duplicate_titles(incidents, l, &mut out);
    }
    out
}

/// The lints of one incident on its own, each on its line (found in one
/// walk of the file, however many there are).
fn lint_one(incident: &Incident, config: &Config, build_date: Date) -> Vec<Diagnostic> {
    let mut out = lint_rules(incident, config, build_date);
    locate_all(&incident.doc.source.text, &mut out);
    out
}

fn lint_rules(incident: &Incident, config: &Config, build_date: Date) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let level = |name: &str| config.lints.level(name);
    if let Some(l) = level("required-section") {
        required_sections(incident, config, l, &mut out);
    }
    if let Some(l) = level("action-item-owner") {
        action_item_owners(incident, l, &mut out);
    }
    if let Some(l) = level("future-date") {
        future_date(incident, build_date, l, &mut out);
    }
    if let Some(l) = level("timeline-out-of-order") {
        timeline_out_of_order(incident, l, &mut out);
    }
    if let Some(l) = level("timeline-far-from-date") {
        timeline_far_from_date(incident, l, &mut out);
    }
    if let Some(l) = level("duration-mismatch") {
        duration_mismatch(incident, config, l, &mut out);
    }
    if let Some(l) = level("resolved-with-open-actions") {
        resolved_with_open_actions(incident, config, build_date, l, &mut out);
    }
    if let Some(l) = level("unknown-service") {
        unknown_services(incident, &config.services.known, l, &mut out);
    }
    if let Some(l) = level("empty-section") {
        empty_sections(incident, l, &mut out);
    }
    if let Some(l) = level("incident-log") {
        incident_log(incident, config, l, &mut out);
    }
    out
}

/// A file that keeps many incidents under dated or numbered headings
/// (`## 2024-06-02 Checkout errors`, `# INCIDENTE 001`): built as one
/// page, which `import` would cut into one RCA per entry.
fn incident_log(incident: &Incident, config: &Config, level: Level, out: &mut Vec<Diagnostic>) {
    let content = &config.content_dir;
    let headings = incident.doc.outline.headings.iter().map(|h| (h.level, h.text.as_str()));
    let dated = crate::sections::dated_headings(headings, config.section_names());
    let Some((heading_level, entries)) = crate::sections::log_level(&dated) else { return };
    let path = incident.rel_path().display().to_string();
    let d = Diagnostic::note(
        "RCA039",
        format!(
            "this file keeps {entries} incidents under level-{heading_level} headings, each dated or numbered; it is built as one page"
        ),
    )
    .in_file(incident.rel_path())
    .with_help(format!("`hindsight import {path} --out {content}` writes one RCA per entry"));
    out.push(with_level(level, d));
}

fn with_level(level: Level, d: Diagnostic) -> Diagnostic {
    Diagnostic { level, ..d }
}

/// Points at the line of front-matter key `key`, else at the block, else the file.
fn at_key(incident: &Incident, key: &str, d: Diagnostic) -> Diagnostic {
    let doc = &incident.doc;
    let text = &doc.source.text;
    match doc.key_offsets.get(key) {
        Some(&at) => {
            let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
            d.at(incident.rel_path(), text, at..end)
        }
        None if !doc.matter_span.is_empty() => {
            let start = doc.matter_span.start;
            let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
            d.at(incident.rel_path(), text, start..end)
        }
        None => d.in_file(incident.rel_path()),
    }
}

/// Points at the line starting at byte `offset` of the incident's file.
fn at_line(incident: &Incident, offset: usize, d: Diagnostic) -> Diagnostic {
    let text = &incident.doc.source.text;
    let offset = offset.min(text.len());
    let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    d.spanning(incident.rel_path(), offset..end)
}

fn required_sections(
    incident: &Incident,
    config: &Config,
    level: Level,
    out: &mut Vec<Diagnostic>,
) {
    let settings = &config.lint_settings;
    let applies = config
        .required_sections_severities()
        .iter()
        .filter_map(|s| config.severity_rank(s))
        .any(|rank| rank == incident.severity.rank);
    if !applies {
        return;
    }
    // A required section is present under any name of its role ("Root
    // Causes", "Contributing Factors" for "Root Cause"); a name with no
    // role must appear as written.
    let outline = &incident.doc.outline;
    let names = config.section_names();
    let missing: Vec<&str> = settings
        .required_sections
        .iter()
        .filter(|s| match names.role_of(s) {
            // "What happened" tells what a summary would, and so does a
            // summary written in the front matter, which the page shows.
            Some(Role::Summary)
                if outline.headings.iter().any(|h| h.level <= 3 && is_narrative(&h.text))
                    || incident.summary_written =>
            {
                false
            }
            Some(role) => !outline.section_spans.iter().any(|span| span.role == role),
            None => !outline.sections.iter().any(|h| h.eq_ignore_ascii_case(s.trim())),
        })
        .map(String::as_str)
        .collect();
    if missing.is_empty() {
        return;
    }
    let list = missing.iter().map(|s| format!("`## {s}`")).collect::<Vec<_>>().join(", ");
    let d = Diagnostic::warning(
        "RCA070",
        format!(
            "{} incident is missing required section{} {list}",
            incident.severity.name,
            if missing.len() == 1 { "" } else { "s" }
        ),
    )
    .with_help("add the section as a level-2 heading, or write \"None\" under it");
    out.push(with_level(level, at_key(incident, "severity", d)));
}

fn action_item_owners(incident: &Incident, level: Level, out: &mut Vec<Diagnostic>) {
    // An item already done needs nobody to do it: its owner is history.
    let typed = &incident.action_items;
    let open = incident
        .doc
        .outline
        .action_items
        .iter()
        .enumerate()
        .filter(|(n, _)| typed.get(*n).is_none_or(|t| !t.done));
    for (n, item) in open {
        // `TODO` is an owner left for the author (by `import`): a TODO
        // warning like the other unfilled fields, not a missing owner.
        if item.owner.as_deref().is_some_and(|o| o.trim().eq_ignore_ascii_case("todo")) {
            let d = Diagnostic::warning(
                "RCA022",
                format!("action item {:?} has owner TODO", shorten(&item.action)),
            )
            .with_help("name the person or team who owns it");
            out.push(at_line(incident, item.offset, d));
            continue;
        }
        // The typed owner: a placeholder ("-", "TBD", "unassigned") is none.
        if typed.get(n).is_none_or(|t| t.owner.is_none()) {
            let d = Diagnostic::warning(
                "RCA071",
                format!("action item {:?} has no owner", shorten(&item.action)),
            )
            .with_help("add an Owner column to the Action Items table and name a person or team");
            out.push(with_level(level, at_line(incident, item.offset, d)));
        }
    }
}

fn shorten(s: &str) -> String {
    let s = s.trim();
    if s.chars().count() <= 60 {
        s.to_string()
    } else {
        s.chars().take(57).collect::<String>() + "..."
    }
}

/// An undated incident is never in the future: it has no date to judge.
fn future_date(incident: &Incident, build_date: Date, level: Level, out: &mut Vec<Diagnostic>) {
    let Some(date) = incident.date else { return };
    if date > build_date {
        let d = Diagnostic::warning(
            "RCA072",
            format!("incident date {date} is after the build date {build_date}"),
        )
        .with_help("check the year and month of `date`");
        out.push(with_level(level, at_key(incident, "date", d)));
    }
}

/// Days a timeline row may lie from the incident's date: an incident of
/// months is rare, a year typed wrong is not.
const FAR_DAYS: i32 = 200;

/// The first timeline row dated more than [`FAR_DAYS`] from the incident,
/// at its line when the text shows where.
fn timeline_far_from_date(incident: &Incident, level: Level, out: &mut Vec<Diagnostic>) {
    let Some(date) = incident.date else { return };
    let far = incident.timeline.iter().find_map(|entry| {
        let days = date.until(entry.day?).ok()?.get_days();
        (days.abs() > FAR_DAYS).then_some((entry, days))
    });
    let Some((entry, days)) = far else { return };
    let when = if days < 0 { "before" } else { "after" };
    let d = Diagnostic::warning(
        "RCA078",
        format!(
            "timeline row {:?} is {} days {when} the incident's date {date}",
            entry.time_text,
            days.abs()
        ),
    )
    .with_help("correct the row's year, or the incident's date");
    // The row as written, searched for from where the timeline starts.
    let text = &incident.doc.source.text;
    let from = incident.doc.outline.timeline_offset.unwrap_or(0);
    let found = text.get(from..).and_then(|rest| rest.find(entry.time_text.as_str()));
    let d = match found {
        Some(at) => at_line(incident, from + at, d),
        None => at_key(incident, "date", d),
    };
    out.push(with_level(level, d));
}

/// The first row of a timeline written oldest first that is dated before
/// the row above it. A timeline whose rows go back as often as forward is
/// written newest first or in no order, and says nothing of one row.
fn timeline_out_of_order(incident: &Incident, level: Level, out: &mut Vec<Diagnostic>) {
    let rows: Vec<_> = incident.timeline.iter().filter(|e| e.at.is_some()).collect();
    let steps = || rows.windows(2).filter_map(|w| Some((w.first()?, w.get(1)?)));
    let back = |(a, b): &(&&TimelineEntry, &&TimelineEntry)| b.at < a.at;
    let backward = steps().filter(back).count();
    let forward = steps().filter(|(a, b)| b.at > a.at).count();
    if backward == 0 || backward >= forward {
        return;
    }
    let Some(at) = steps().position(|step| back(&step)) else { return };
    let (Some(above), Some(row)) = (rows.get(at), rows.get(at + 1)) else { return };
    let d = Diagnostic::warning(
        "RCA079",
        format!(
            "timeline row {:?} is dated before the row above it, {:?}",
            row.time_text, above.time_text
        ),
    )
    .with_help("correct the row's day or time, or move the row to where it belongs");
    // Each row as written, searched for after the one before it: its time
    // cell, or its clock alone where a day heading gave it its day.
    let text = &incident.doc.source.text;
    let mut cursor = incident.doc.outline.timeline_offset.unwrap_or(0);
    let mut found = None;
    for entry in rows.get(..=at + 1).unwrap_or_default() {
        let written = entry.time_text.as_str();
        let clock = written.rsplit(' ').next().unwrap_or(written);
        let rest = text.get(cursor..).unwrap_or_default();
        found = [written, clock]
            .into_iter()
            .find_map(|w| rest.find(w).map(|offset| (cursor + offset, w.len())));
        let Some((start, len)) = found else { break };
        cursor = start + len;
    }
    let found = found.map(|(start, _)| start);
    let d = match found {
        Some(at) => at_line(incident, at, d),
        None => at_key(incident, "date", d),
    };
    out.push(with_level(level, d));
}

/// A duration the timeline does not bear out: one stated as
/// `duration_minutes`, or the minutes between the start and an end time
/// (`resolved_at`, or the key `[fields]` maps to it), named as written.
fn duration_mismatch(
    incident: &Incident,
    config: &Config,
    level: Level,
    out: &mut Vec<Diagnostic>,
) {
    let tolerance = config.lint_settings.duration_tolerance_minutes;
    let Some(stated) = incident.duration_minutes else { return };
    let mut times = incident.timeline.iter().filter_map(|e| e.at);
    let (Some(first), Some(last)) = (times.next(), times.next_back()) else { return };
    let Ok(span) = first.until(last) else { return };
    let timeline =
        (span.get_days() as i64 * 24 * 60) + span.get_hours() as i64 * 60 + span.get_minutes();
    let timeline = u64::try_from(timeline).unwrap_or(0);
    if timeline.abs_diff(stated) <= tolerance {
        return;
    }
    let stated_key = written_key(incident, config, "duration_minutes");
    let end_key = written_key(incident, config, "resolved_at").filter(|_| stated_key.is_none());
    let (said, key, help) = match end_key {
        Some(key) => (
            format!("the start and `{key}` are {stated} minutes apart"),
            key,
            "correct the start, the end time or the timeline".to_string(),
        ),
        None => {
            let key = stated_key.unwrap_or("duration_minutes");
            (format!("`{key}` is {stated}"), key, format!("correct `{key}` or the timeline"))
        }
    };
    let d = Diagnostic::warning(
        "RCA073",
        format!("{said}, but the timeline spans {timeline} minutes (tolerance {tolerance})"),
    )
    .with_help(format!("{help}, or raise `lint_settings.duration_tolerance_minutes`"));
    out.push(with_level(level, at_key(incident, key, d)));
}

/// The key the incident's file writes `field` under: the field's own
/// name, or one `[fields]` maps to it.
fn written_key<'c>(incident: &Incident, config: &'c Config, field: &'c str) -> Option<&'c str> {
    let keys = &incident.doc.key_offsets;
    let mapped = config.fields.get(field).map_or(&[][..], Vec::as_slice);
    mapped.iter().map(String::as_str).chain([field]).find(|k| keys.contains_key(*k))
}

fn resolved_with_open_actions(
    incident: &Incident,
    config: &Config,
    build_date: Date,
    level: Level,
    out: &mut Vec<Diagnostic>,
) {
    if incident.status.as_deref() != Some("resolved") {
        return;
    }
    let overdue: Vec<&str> = incident
        .action_items
        .iter()
        .filter(|a| !a.done)
        .filter(|a| {
            a.priority.as_deref().and_then(|p| config.severity_rank(p)).is_some_and(|r| r <= 1)
        })
        .filter(|a| a.due.is_some_and(|due| due < build_date))
        .map(|a| a.action.as_str())
        .collect();
    if let Some(first) = overdue.first() {
        let more = match overdue.len() {
            1 => String::new(),
            n => format!(" and {} more", n - 1),
        };
        let d = Diagnostic::warning(
            "RCA074",
            format!(
                "status is `resolved`, but P0/P1 action item {:?}{more} is open and past due",
                shorten(first)
            ),
        )
        .with_help("close or reschedule the action items, or set the status to `monitoring`");
        out.push(with_level(level, at_key(incident, "status", d)));
    }
}

fn unknown_services(
    incident: &Incident,
    known: &[String],
    level: Level,
    out: &mut Vec<Diagnostic>,
) {
    if known.is_empty() {
        return;
    }
    for service in &incident.services {
        if known.iter().any(|k| k.eq_ignore_ascii_case(service)) {
            continue;
        }
        let suggestion = known
            .iter()
            .map(|k| (strsim::jaro_winkler(&k.to_lowercase(), &service.to_lowercase()), k))
            .filter(|(score, _)| *score >= 0.8)
            .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
            .map(|(_, k)| k);
        let mut d = Diagnostic::warning(
            "RCA075",
            format!("service {service:?} is not in `[services] known`"),
        );
        d = match suggestion {
            Some(k) => d.with_help(format!("did you mean {k:?}?")),
            None => d.with_help("add it to `known` under `[services]` in hindsight.toml"),
        };
        out.push(with_level(level, at_key(incident, "services", d)));
    }
}

fn duplicate_titles(incidents: &[Incident], level: Level, out: &mut Vec<Diagnostic>) {
    let mut by_title: BTreeMap<String, Vec<&Incident>> = BTreeMap::new();
    for incident in incidents {
        by_title.entry(incident.title.trim().to_lowercase()).or_default().push(incident);
    }
    for group in by_title.values_mut() {
        group.sort_by(|a, b| a.rel_path().cmp(b.rel_path()));
        // A title no other incident has is not a duplicate.
        let Some((first, rest)) = group.split_first().filter(|(_, rest)| !rest.is_empty()) else {
            continue;
        };
        let path = |i: &Incident| i.rel_path().to_string_lossy().replace('\\', "/");
        for (at, incident) in rest.iter().enumerate() {
            let earlier = group.get(..=at).unwrap_or_default();
            let d = match earlier.iter().rev().take(COPIES_COMPARED).find(|e| is_copy(e, incident))
            {
                Some(original) => Diagnostic::warning(
                    "RCA076",
                    format!(
                        "this write-up looks like a second copy of `{}`: the same title and date, \
                         and one's text begins the other's",
                        path(original)
                    ),
                )
                .with_help(
                    "keep one file, with any later updates, and delete the other: a copy counts \
                     the incident twice in lists, stats and related incidents",
                ),
                None => Diagnostic::warning(
                    "RCA076",
                    format!("title {:?} is also the title of `{}`", incident.title, path(first)),
                )
                .with_help("make the titles say what differs, e.g. the service or the failure"),
            };
            out.push(with_level(level, at_key(incident, "title", d)));
        }
    }
}

/// How many incidents of one title, the nearest before it in path order,
/// an incident is compared with for a copy: an archive that gives a
/// thousand notices one title is not read a million times.
const COPIES_COMPARED: usize = 8;

/// Whether two incidents of one title are one write-up filed twice: the
/// same date, and the body of one, spaces aside, starts the other's (a
/// status notice copied and then updated).
fn is_copy(a: &Incident, b: &Incident) -> bool {
    if a.date.is_none() || a.date != b.date {
        return false;
    }
    let (wa, wb) = (body_words(a), body_words(b));
    let (short, long) = if wa.len() <= wb.len() { (&wa, &wb) } else { (&wb, &wa) };
    !short.is_empty() && long.starts_with(short)
}

/// The words of an incident's body, as written.
fn body_words(incident: &Incident) -> Vec<&str> {
    let text = incident.doc.source.text.get(incident.doc.body.clone()).unwrap_or_default();
    text.split_whitespace().collect()
}

fn empty_sections(incident: &Incident, level: Level, out: &mut Vec<Diagnostic>) {
    for section in &incident.doc.outline.empty_sections {
        let d = Diagnostic::warning(
            "RCA077",
            format!("section `## {}` is empty", section.title.trim()),
        )
        .with_help("fill it in, write \"None\", or remove the heading");
        out.push(with_level(level, d.spanning(incident.rel_path(), section.heading.clone())));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{parse_document, source_from_bytes};
    use crate::validate::incident_from;

    fn incident(name: &str, text: &str, config: &Config) -> Incident {
        let rel = std::path::PathBuf::from(format!("content/{name}.md"));
        let source = source_from_bytes(&rel, text.as_bytes().to_vec()).expect("source");
        let doc = parse_document(source).0.expect("document");
        incident_from(doc, config).0.expect("valid incident")
    }

    fn codes(text: &str, config: &Config) -> Vec<&'static str> {
        let i = incident("a", text, config);
        let day = Date::constant(2025, 1, 1);
        lint(std::slice::from_ref(&i), config, day).iter().map(|d| d.code).collect()
    }

    const GOOD: &str = "---\ntitle: Good\ndate: 2024-05-01\nseverity: P1\nstatus: resolved\nduration_minutes: 30\nservices: [api]\n---\n\n## Summary\n\nText.\n\n## Timeline\n\n| Time | Event |\n|---|---|\n| 10:00 | start |\n| 10:30 | end |\n\n## Root Cause\n\nA bug.\n\n## Action Items\n\n| Action | Priority | Owner | Due Date | Status |\n|---|---|---|---|---|\n| Fix | P1 | ana | 2024-06-01 | done |\n";

    #[test]
    fn a_complete_incident_passes_every_lint() {
        let mut config = Config::default();
        config.services.known = vec!["api".into()];
        assert_eq!(codes(GOOD, &config), Vec::<&str>::new());
    }

    #[test]
    fn a_done_item_needs_no_owner() {
        let mut config = Config::default();
        config.services.known = vec!["api".into()];
        let done =
            GOOD.replace("| Fix | P1 | ana | 2024-06-01 | done |", "| Fix | P1 | - | - | done |");
        assert_eq!(codes(&done, &config), Vec::<&str>::new());
        let open = done.replace("| - | done |", "| - | open |");
        assert_eq!(codes(&open, &config), ["RCA071"]);
        // Any placeholder in the owner cell is nobody.
        for nobody in ["—", "TBD", "unassigned", "?"] {
            let open = open.replace("| Fix | P1 | - |", &format!("| Fix | P1 | {nobody} |"));
            assert_eq!(codes(&open, &config), ["RCA071"], "{nobody}");
        }
    }

    #[test]
    fn each_rule_fails_on_its_case() {
        let mut config = Config::default();
        config.services.known = vec!["inventory-api".into()];
        let bad = GOOD
            .replace("## Root Cause\n\nA bug.\n\n", "## Root Cause\n\n## Impact\n\nSome.\n\n")
            .replace("date: 2024-05-01", "date: 2026-05-01")
            .replace("duration_minutes: 30", "duration_minutes: 300")
            .replace("services: [api]", "services: [inventory-apj]")
            .replace(
                "| Fix | P1 | ana | 2024-06-01 | done |",
                "| Fix | P1 | - | 2024-06-01 | open |",
            );
        // The future date makes the item not yet overdue; judge it a year later.
        let i = incident("a", &bad, &config);
        let later = Date::constant(2026, 12, 1);
        let mut got: Vec<_> =
            lint(std::slice::from_ref(&i), &config, later).iter().map(|d| d.code).collect();
        got.sort();
        assert_eq!(got, ["RCA071", "RCA073", "RCA074", "RCA075", "RCA077"]);
        let got = codes(&bad, &config);
        assert!(got.contains(&"RCA072"), "{got:?}");
        let without_root_cause = GOOD.replace("## Root Cause", "## Notes");
        assert_eq!(codes(&without_root_cause, &config), ["RCA070", "RCA075"]);
    }

    #[test]
    fn a_timeline_row_a_year_from_the_incident_is_named_at_its_line() {
        let mut config = Config::default();
        config.services.known = vec!["api".into()];
        let typo = GOOD
            .replace("| 10:00 | start |", "| 2023-05-01 10:00 | start |")
            .replace("| 10:30 | end |", "| 2024-05-01 10:30 | end |");
        let i = incident("a", &typo, &config);
        let found = lint(std::slice::from_ref(&i), &config, Date::constant(2025, 1, 1));
        let far: Vec<_> = found
            .iter()
            .filter(|d| d.code == "RCA078")
            .map(|d| (d.message.as_str(), d.position.map(|p| p.line)))
            .collect();
        assert_eq!(
            far,
            [(
                "timeline row \"2023-05-01 10:00\" is 366 days before the incident's date 2024-05-01",
                Some(18)
            )]
        );
        // Rows on the incident's days, or undated ones, are not.
        assert!(codes(GOOD, &config).iter().all(|c| *c != "RCA078"));
    }

    #[test]
    fn a_duration_from_an_end_time_is_named_as_written() {
        let mut config = Config::default();
        config.services.known = vec!["api".into()];
        config.fields.insert("resolved_at".into(), vec!["resolvedWhen".into()]);
        let ended = GOOD
            .replace("date: 2024-05-01", "date: 2024-05-01T10:00:00Z")
            .replace("duration_minutes: 30", "resolvedWhen: 2024-05-01T14:00:00Z");
        let i = incident("a", &ended, &config);
        let found = lint(std::slice::from_ref(&i), &config, Date::constant(2025, 1, 1));
        let messages: Vec<_> = found
            .iter()
            .map(|d| (d.code, d.message.as_str(), d.position.map(|p| p.line)))
            .collect();
        assert_eq!(
            messages,
            [(
                "RCA073",
                "the start and `resolvedWhen` are 240 minutes apart, but the timeline spans 30 \
                 minutes (tolerance 30)",
                Some(6)
            )]
        );
    }

    #[test]
    fn a_file_of_dated_entries_is_named_as_an_incident_log() {
        let config = Config::default();
        let log = "---\ntitle: Incident log\ndate: 2024-01-01\nseverity: P3\n---\n\
            ## 2024-06-02 Checkout errors\n\nx\n\n## March 5, 2024: DNS\n\ny\n\n\
            ## [2023-11-20] Disk full\n\nz\n\n## How to add one\n\nw\n";
        let i = incident("log", log, &config);
        let found = lint(std::slice::from_ref(&i), &config, Date::constant(2025, 1, 1));
        let note = found.iter().find(|d| d.code == "RCA039").expect("RCA039");
        assert_eq!(note.level, Level::Note);
        assert!(note.message.contains("keeps 3 incidents"), "{}", note.message);
        assert!(!codes(GOOD, &config).contains(&"RCA039"));
        // Headings with a day and a time head one incident's timeline rows.
        let timeline = "---\ntitle: Workers rebooting\ndate: 2018-10-09\nseverity: P3\n---\n\
            ## Timeline\n\n### 2018-10-09 17:15\n\nx\n\n### 2018-10-09 17:20\n\ny\n\n\
            ### 2018-10-08 ~18:10\n\nz\n\n### 2018-10-09T17:30\n\nw\n";
        let i = incident("timeline", timeline, &config);
        let found = lint(std::slice::from_ref(&i), &config, Date::constant(2025, 1, 1));
        assert!(found.iter().all(|d| d.code != "RCA039"), "{found:?}");
    }

    #[test]
    fn what_happened_tells_what_a_summary_would() {
        let mut config = Config::default();
        config.services.known = vec!["api".into()];
        let story = GOOD.replace("## Summary\n\nText.", "## What happened\n\nText.");
        assert_eq!(codes(&story, &config), Vec::<&str>::new());
        let story = GOOD.replace("## Summary\n\nText.", "### Description\n\nText.");
        assert_eq!(codes(&story, &config), Vec::<&str>::new());
        let none = GOOD.replace("## Summary\n\nText.", "## Notes\n\nText.");
        assert_eq!(codes(&none, &config), ["RCA070"]);
    }

    #[test]
    fn did_you_mean_names_the_closest_known_service() {
        let mut config = Config::default();
        config.services.known = vec!["api".into(), "inventory-api".into()];
        let i = incident("a", &GOOD.replace("[api]", "[inventory-apj]"), &config);
        let d = lint(&[i], &config, Date::constant(2025, 1, 1));
        assert_eq!(d[0].help.as_deref(), Some("did you mean \"inventory-api\"?"));
    }

    #[test]
    fn duplicate_titles_and_levels() {
        let mut config = Config::default();
        let a = incident("a", GOOD, &config);
        let b = incident("b", &GOOD.replace("title: Good", "title: good"), &config);
        let d = lint(&[a.clone(), b.clone()], &config, Date::constant(2025, 1, 1));
        assert_eq!(d.iter().map(|d| d.code).collect::<Vec<_>>(), ["RCA076"]);
        assert_eq!(d[0].file.as_deref(), Some(std::path::Path::new("content/b.md")));
        config.lints.0.insert("duplicate-title".into(), crate::config::LintLevel::Error);
        let d = lint(&[a.clone(), b.clone()], &config, Date::constant(2025, 1, 1));
        assert_eq!(d[0].level, Level::Error);
        config.lints.0.insert("duplicate-title".into(), crate::config::LintLevel::Off);
        assert!(lint(&[a, b], &config, Date::constant(2025, 1, 1)).is_empty());
    }

    #[test]
    fn a_row_dated_before_the_row_above_it_is_named() {
        let config = Config::default();
        let rows = |rows: &[&str]| {
            let table: String = rows.iter().map(|r| format!("| {r} | event |\n")).collect();
            GOOD.replace("| 10:00 | start |\n| 10:30 | end |\n", &table)
        };
        let text =
            rows(&["2024-05-01 10:00", "2024-05-01 10:30", "2024-04-30 11:00", "2024-05-01 11:30"]);
        let i = incident("a", &text, &config);
        let d = lint(&[i], &config, Date::constant(2025, 1, 1));
        let d: Vec<_> = d.iter().filter(|d| d.code == "RCA079").collect();
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].message.contains("\"2024-04-30 11:00\" is dated before the row above it"));
        let line = text.lines().position(|l| l.contains("2024-04-30 11:00")).unwrap() + 1;
        assert_eq!(d[0].line(), Some(line));
        // Newest first, or clock times that roll over midnight: no warning.
        for ok in [
            rows(&["2024-05-01 11:30", "2024-05-01 10:30", "2024-05-01 10:00"]),
            rows(&["23:10", "23:40", "00:20", "01:00"]),
            rows(&["2024-05-01 10:00", "2024-05-01 10:30", "2024-05-02 09:00"]),
        ] {
            assert!(!codes(&ok, &config).contains(&"RCA079"), "{ok}");
        }
    }

    #[test]
    fn a_write_up_filed_twice_is_named_a_copy() {
        let config = Config::default();
        let notice = "---\ntitle: Outage\ndate: 2023-08-15\nseverity: P2\n---\n\nJobs were \
                      stuck in pending.\nA migration ran out of memory.\n";
        let updated = format!("{notice}\nUpdate: the migration is done.\n");
        let day = Date::constant(2025, 1, 1);
        let a = incident("15-08-2023-outage", notice, &config);
        let b = incident("2023-08-15-outage", &updated.replace("pending.\n", "pending. "), &config);
        let d = lint(&[b.clone(), a.clone()], &config, day);
        let copies: Vec<_> = d.iter().filter(|d| d.code == "RCA076").collect();
        assert_eq!(copies.len(), 1, "{d:?}");
        assert_eq!(
            copies[0].file.as_deref(),
            Some(std::path::Path::new("content/2023-08-15-outage.md"))
        );
        assert!(
            copies[0].message.contains("second copy of `content/15-08-2023-outage.md`"),
            "{}",
            copies[0].message
        );
        // The same title on another day, or another text, is a title to
        // tell apart, not a copy.
        let later =
            incident("2024-04-11-outage", &notice.replace("2023-08-15", "2024-04-11"), &config);
        let other = incident("x-outage", &notice.replace("memory", "disk"), &config);
        for second in [later, other] {
            let d = lint(&[a.clone(), second], &config, day);
            let d: Vec<_> = d.iter().filter(|d| d.code == "RCA076").collect();
            assert!(
                d[0].message.starts_with("title \"Outage\" is also the title"),
                "{}",
                d[0].message
            );
        }
    }

    #[test]
    fn empty_section_points_at_its_heading() {
        let config = Config::default();
        let text = GOOD.replace("## Root Cause\n\nA bug.\n", "## Root Cause\n\n### Detail\n");
        assert!(codes(&text, &config).is_empty(), "a subsection is content");
        let text = GOOD.replace("## Root Cause\n\nA bug.\n", "## Root Cause\n");
        let i = incident("a", &text, &config);
        let d = lint(&[i], &config, Date::constant(2025, 1, 1));
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].code, "RCA077");
        assert_eq!(d[0].line(), Some(text.lines().position(|l| l == "## Root Cause").unwrap() + 1));
    }
}
