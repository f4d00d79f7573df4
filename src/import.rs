//! `hindsight import`: free-form postmortems (plain text, or markdown without
//! front matter) turned into RCA files in the native format.
//!
//! Pure text in, text out ([`import_text`]); [`import_files`] does the IO and
//! never overwrites. What cannot be inferred (usually severity and services)
//! is left as `TODO` in the front matter, which `check` reports as a warning
//! (RCA022) so the author fills it in.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use jiff::civil::{Date, DateTime, Time};
use regex::Regex;

use crate::dates::first_date;
use crate::error::{Error, Result};
use crate::markdown::fence_marker;
use crate::scaffold::{write_new, yaml_string};
use crate::validate::slug_from_stem;

pub(crate) mod log;

/// One imported postmortem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    /// Suggested file name, `YYYY-MM-DD-<slug>.md`.
    pub file_name: String,
    /// The RCA in the native format.
    pub text: String,
    /// What was inferred, one line each, for the user.
    pub inferred: Vec<String>,
    /// Fields left as TODO.
    pub missing: Vec<String>,
}

/// The conventional sections, in the order they are written.
const ORDER: &[&str] = &[
    "Summary",
    "Context",
    "Timeline",
    "Root Cause",
    "Impact",
    "Detection",
    "Resolution",
    "Investigation",
    "Lessons Learned",
    "Action Items",
];

/// The section a heading line of a free-form write-up feeds, recognised
/// by [`crate::sections`] (the one place that knows section names) plus
/// the buckets only `import` keeps (context, investigation notes). `None`
/// when the line is not a heading; `Some(None)` drops the section (a
/// wrapper heading with nothing of its own). A line is a heading only when
/// it is short and does not end a sentence.
fn section_for(heading: &str) -> Option<Option<&'static str>> {
    let h = heading.trim().trim_start_matches('#').trim().trim_end_matches(':').trim();
    if h.is_empty() || h.ends_with('.') || h.split_whitespace().count() > 6 {
        return None;
    }
    let key = crate::sections::normal_form(h);
    let extra = match key.as_str() {
        "raw incident context" | "context" | "background" => Some(Some("Context")),
        "investigation checklist" | "investigation" => Some(Some("Investigation")),
        "postmortem draft" | "similar past incidents" => Some(None),
        _ => None,
    };
    if extra.is_some() {
        return extra;
    }
    use crate::sections::Role;
    let section = match section_names().role_of(h)? {
        Role::Summary => "Summary",
        Role::Timeline => "Timeline",
        Role::Cause => "Root Cause",
        Role::Impact => "Impact",
        Role::Detection => "Detection",
        Role::Resolution => "Resolution",
        Role::Lessons => "Lessons Learned",
        Role::ActionItems => "Action Items",
    };
    Some(Some(section))
}

/// The default section names, built once.
fn section_names() -> &'static crate::sections::SectionNames {
    static NAMES: OnceLock<crate::sections::SectionNames> = OnceLock::new();
    NAMES.get_or_init(crate::sections::SectionNames::default)
}

#[allow(clippy::expect_used, reason = "the patterns are constants, checked by the tests")]
fn regex(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).expect("import patterns are valid"))
}

/// Labels glued to the text before them ("GMTImpact:") get their own line.
fn unglue(text: &str) -> String {
    static GLUED: OnceLock<Regex> = OnceLock::new();
    let re = regex(&GLUED, r"(\S)(Impact:|Root Cause:|Duration:|created:|Severity:|Author:)");
    re.replace_all(text, "$1\n$2").into_owned()
}

/// `2:00 AM`, `14:02`, `11:35:28 PM` as a time of day.
fn parse_clock(s: &str) -> Option<Time> {
    static CLOCK: OnceLock<Regex> = OnceLock::new();
    let re = regex(&CLOCK, r"(?i)^(\d{1,2}):(\d\d)(?::(\d\d))?\s*([ap]\.?m\.?)?$");
    let c = re.captures(s.trim())?;
    let mut hour: i8 = c[1].parse().ok()?;
    let minute: i8 = c[2].parse().ok()?;
    if let Some(ampm) = c.get(4) {
        let pm = ampm.as_str().to_lowercase().starts_with('p');
        if hour == 12 {
            hour = 0;
        }
        if pm {
            hour += 12;
        }
    }
    Time::new(hour, minute, 0, 0).ok()
}

/// A written time range: "March 1, 2025, 2:00 AM GMT – 6:30 AM GMT".
fn time_range(text: &str) -> Option<(DateTime, DateTime)> {
    static RANGE: OnceLock<Regex> = OnceLock::new();
    let clock = r"\d{1,2}:\d\d(?::\d\d)?(?:\s*[AaPp]\.?[Mm]\.?)?";
    let day = r"(?:[A-Z][a-z]+\.? \d{1,2}(?:st|nd|rd|th)?,? \d{4}|\d{4}-\d\d-\d\d|\d{1,2} [A-Z][a-z]+ \d{4})";
    let pattern = format!(
        r"({day}),?\s+({clock})\s*(?:GMT|UTC|Z)?\s*(?:–|—|-|to)\s*(?:({day}),?\s+)?({clock})"
    );
    let re = regex(&RANGE, &pattern);
    let c = re.captures(text)?;
    let start_day = first_date(&c[1])?;
    let end_day = c.get(3).and_then(|d| first_date(d.as_str())).unwrap_or(start_day);
    let start = start_day.to_datetime(parse_clock(&c[2])?);
    let mut end = end_day.to_datetime(parse_clock(&c[4])?);
    if end < start && c.get(3).is_none() {
        end = end.checked_add(jiff::Span::new().days(1)).ok()?;
    }
    (end >= start).then_some((start, end))
}

/// A time-stamped line: "1:50 AM GMT – Monitoring detected ..." or
/// "- 13:50: Deploy ...".
fn timeline_row(line: &str) -> Option<(String, String)> {
    static ROW: OnceLock<Regex> = OnceLock::new();
    let re = regex(
        &ROW,
        r"^\s*[-*•]?\s*(\d{1,2}:\d\d(?::\d\d)?(?:\s*[AaPp]\.?[Mm]\.?)?)\s*(?:GMT|UTC|Z)?\s*(?:[:–—-]+\s*|\s+)(.+)$",
    );
    let c = re.captures(line)?;
    let time = parse_clock(&c[1])?;
    let event = c[2].trim().to_string();
    (!event.is_empty()).then(|| (format!("{:02}:{:02}", time.hour(), time.minute()), event))
}

/// An action item: "- P0Add an index — Database team".
fn action_row(line: &str) -> Option<(Option<String>, String, Option<String>)> {
    static ITEM: OnceLock<Regex> = OnceLock::new();
    let re = regex(
        &ITEM,
        r"^\s*(?:[-*•]|\d+[.)])?\s*(?:\[[ xX]\]\s*)?(?:(P[0-4])\s*)?(.+?)(?:\s*[—–]\s*([^—–]+))?$",
    );
    let c = re.captures(line)?;
    let action = c[2].trim().trim_end_matches('.').to_string();
    if action.is_empty() {
        return None;
    }
    Some((
        c.get(1).map(|m| m.as_str().to_string()),
        action,
        c.get(3).map(|m| m.as_str().trim().to_string()),
    ))
}

/// A `Label: value` line.
fn label<'a>(line: &'a str, names: &[&str]) -> Option<&'a str> {
    let (key, value) = line.split_once(':')?;
    let key = key.trim().to_lowercase();
    names.contains(&key.as_str()).then(|| value.trim()).filter(|v| !v.is_empty())
}

fn is_decoration(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty() && t.chars().all(|c| "=-_*#~".contains(c))
}

fn is_placeholder(line: &str) -> bool {
    let t = line.trim().trim_start_matches(['-', '*']).trim();
    t.eq_ignore_ascii_case("[fill in]") || t.to_lowercase().contains("[fill in]")
}

/// Cleans a first line into a title: no "Postmortem:" prefix, no `[tag]`s.
fn clean_title(line: &str) -> String {
    let mut t = line.trim().trim_start_matches('#').trim();
    while let Some(rest) =
        t.strip_prefix('[').and_then(|r| r.split_once(']')).map(|(_, r)| r.trim_start())
    {
        t = rest;
    }
    for prefix in
        ["postmortem:", "post-mortem:", "post mortem:", "incident report:", "incident:", "rca:"]
    {
        if t.to_lowercase().starts_with(prefix) {
            t = t[prefix.len()..].trim();
        }
    }
    t.to_string()
}

/// A title that ends with its level in brackets ("Checkout errors (P2)",
/// "Disk full [SEV-1]"): the title without it, and the level as `P<n>`.
fn level_after_title(title: &str) -> Option<(String, String)> {
    static LEVEL: OnceLock<Regex> = OnceLock::new();
    let re = regex(&LEVEL, r"(?i)\s*[\(\[]\s*(?:P|SEV|Sev)\s?-?\s?([0-4])\s*[\)\]]\s*$");
    let c = re.captures(title)?;
    let bare = title.get(..c.get(0)?.start())?.trim();
    (!bare.is_empty()).then(|| (bare.to_string(), format!("P{}", &c[1])))
}

/// Keeps a line from being read as markdown structure it was not meant as.
/// A markdown heading no section claims (`## Context`) stays a heading,
/// under the section it is in; a fenced code block stays as it is.
fn escape_line(line: &str) -> String {
    let t = line.trim_end();
    if fence_marker(t).is_some() {
        return t.to_string();
    }
    let hashes = t.chars().take_while(|&c| c == '#').count();
    let heading = (1..=6).contains(&hashes) && t.get(hashes..).is_some_and(|r| r.starts_with(' '));
    if heading {
        format!("###{}", t.get(hashes..).unwrap_or_default())
    } else if t.starts_with('#') || t.starts_with("---") || t.starts_with("+++") {
        format!("\\{t}")
    } else {
        t.to_string()
    }
}

/// Turns one free-form postmortem into the native format.
pub fn import_text(text: &str, source_name: &str) -> Imported {
    let text = unglue(&text.replace("\r\n", "\n"));
    let mut read = read_lines(&text);

    let range = time_range(&text);
    let date = range.map(|(s, _)| s.date()).or(read.created).or_else(|| first_date(&text));
    let duration = range.and_then(|(s, e)| {
        let minutes = e.duration_since(s).as_secs() / 60;
        u64::try_from(minutes).ok()
    });

    // Timeline: time-stamped lines of the Timeline section (or anywhere).
    let timeline_lines = read.sections.remove("Timeline").unwrap_or_default();
    let mut timeline: Vec<(String, String)> =
        timeline_lines.iter().filter_map(|l| timeline_row(l)).collect();
    let timeline_rest: Vec<String> =
        timeline_lines.into_iter().filter(|l| timeline_row(l).is_none()).collect();
    if timeline.is_empty() {
        timeline = prose_lines(&text).filter_map(timeline_row).collect();
        // Found among the other lines, they are the timeline's alone.
        for lines in read.sections.values_mut() {
            lines.retain(|l| timeline_row(l).is_none());
        }
    }
    // Duration-only lines are already in the front matter.
    for lines in read.sections.values_mut() {
        lines.retain(|l| !l.to_lowercase().starts_with("duration:"));
    }

    let mut title = read.title.take().unwrap_or_else(|| source_name.to_string());
    // "Checkout errors (P2)": a level after the title is its severity.
    if let Some((bare, level)) = level_after_title(&title) {
        read.severity.get_or_insert(level);
        title = bare;
    }
    let (mut out, inferred, missing) =
        front_matter(&read, &title, date, duration, timeline.len(), source_name);
    write_sections(&mut out, read.sections, &timeline, &timeline_rest);

    let slug = slug_from_stem(&title);
    let file_name = match date {
        Some(d) => format!("{d}-{slug}.md"),
        None => format!("{slug}.md"),
    };
    Imported { file_name, text: out, inferred, missing }
}

/// The front matter of an imported file, with what was inferred and what
/// is left to the author.
fn front_matter(
    read: &Reading,
    title: &str,
    date: Option<Date>,
    duration: Option<u64>,
    timeline_rows: usize,
    source_name: &str,
) -> (String, Vec<String>, Vec<String>) {
    let mut inferred = Vec::new();
    let mut missing = Vec::new();
    inferred.push(format!("title: {title}"));
    let date_text = match date {
        Some(d) => {
            inferred.push(format!("date: {d}"));
            d.to_string()
        }
        None => {
            missing.push("date".to_string());
            "TODO".to_string()
        }
    };
    if let Some(d) = duration {
        inferred.push(format!("duration_minutes: {d}"));
    }
    let severity_text = match &read.severity {
        Some(s) => {
            inferred.push(format!("severity: {s}"));
            yaml_string(s)
        }
        None => {
            missing.push("severity".into());
            "TODO".into()
        }
    };
    let services_text = if read.services.is_empty() {
        missing.push("services".into());
        "[TODO]".to_string()
    } else {
        inferred.push(format!("services: {}", read.services.join(", ")));
        format!("[{}]", read.services.iter().map(|s| yaml_string(s)).collect::<Vec<_>>().join(", "))
    };
    if timeline_rows > 0 {
        inferred.push(format!("timeline: {timeline_rows} rows"));
    }

    let mut out = String::new();
    let _ = writeln!(out, "---\ntitle: {}\ndate: {date_text}", yaml_string(title));
    let _ = writeln!(
        out,
        "severity: {severity_text}{}",
        if read.severity.is_none() { "  # TODO: P0..P4" } else { "" }
    );
    // A postmortem is written once its incident is over: resolved, unless
    // the text says otherwise; the user is told which.
    let status = match &read.status {
        Some(s) => {
            inferred.push(format!("status: {s}"));
            yaml_string(s)
        }
        None => {
            inferred.push("status: resolved (none written; a postmortem follows the end)".into());
            "resolved".to_string()
        }
    };
    let _ = writeln!(out, "services: {services_text}\ntags: []\nstatus: {status}");
    if let Some(d) = duration {
        let _ = writeln!(out, "duration_minutes: {d}");
    }
    if let Some(a) = &read.author {
        let _ = writeln!(out, "author: {}", yaml_string(a));
    }
    if let Some(u) = &read.source_url {
        let _ = writeln!(out, "source_url: {}", yaml_string(u));
    }
    let _ = writeln!(out, "imported_from: {}\n---", yaml_string(source_name));
    (out, inferred, missing)
}

/// What the lines of a free-form postmortem say, before any inferring.
#[derive(Default)]
struct Reading {
    title: Option<String>,
    source_url: Option<String>,
    services: Vec<String>,
    severity: Option<String>,
    /// What a `Status:` line says, lower-cased.
    status: Option<String>,
    author: Option<String>,
    created: Option<Date>,
    /// Section name → its lines, in order.
    sections: BTreeMap<&'static str, Vec<String>>,
}

/// Reads the text line by line: the first line is the title (a URL before
/// it is the source), labelled lines give fields, and section headings
/// sort the other lines into sections (Summary until the first one).
fn read_lines(text: &str) -> Reading {
    static SEV: OnceLock<Regex> = OnceLock::new();
    let sev_re = regex(&SEV, r"(?i)\b(P|SEV)\s?([0-4])\b");
    let mut read = Reading::default();
    // `Some(None)`: inside a section whose lines are dropped.
    let mut current: Option<Option<&'static str>> = None;
    // A fenced code block being read: its fence, and its lines as written.
    let mut fence: Option<(String, String)> = None;
    for raw in text.lines() {
        // A fenced block is kept whole and as written, in the section it
        // is in: its lines are code, not labels, headings or rows.
        if let Some((marker, block)) = fence.as_mut() {
            block.push('\n');
            block.push_str(raw.trim_end());
            if raw.trim() == marker.as_str() {
                let (_, block) = fence.take().unwrap_or_default();
                if let Some(section) = section_of(current) {
                    read.sections.entry(section).or_default().push(block);
                }
            }
            continue;
        }
        if let Some(marker) = fence_marker(raw).filter(|_| read.title.is_some()) {
            fence = Some((marker, raw.trim_end().to_string()));
            continue;
        }
        let line = raw.trim();
        if line.is_empty() || is_decoration(line) || is_placeholder(line) {
            continue;
        }
        if read.title.is_none() {
            if line.starts_with("http://") || line.starts_with("https://") {
                read.source_url.get_or_insert_with(|| line.to_string());
                continue;
            }
            read.title = Some(clean_title(line));
            continue;
        }
        if let Some(section) = section_for(line) {
            current = Some(section);
            continue;
        }
        if let Some(v) =
            label(line, &["service", "services", "affected services", "affected service"])
        {
            read.services =
                v.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
            continue;
        }
        if let Some(v) = label(line, &["status", "incident status", "state"]) {
            // A word or two ("Resolved", "In progress."); a sentence is prose.
            let v = v.trim().trim_end_matches(['.', '!']).to_lowercase();
            if !v.is_empty() && v.split_whitespace().count() <= 2 {
                read.status.get_or_insert(v);
                continue;
            }
        }
        if let Some(v) = label(line, &["author", "authors", "written by"]) {
            read.author = Some(v.to_string());
            continue;
        }
        if let Some(v) = label(line, &["created", "date", "incident date"]) {
            read.created = read.created.or_else(|| first_date(v));
            continue;
        }
        if line.to_lowercase().contains("severity") {
            if let Some(c) = sev_re.captures(line) {
                read.severity.get_or_insert_with(|| format!("P{}", &c[2]));
            }
        }
        // "Impact: text" / "Root Cause: text" open a section with text.
        if let Some((key, rest)) = line.split_once(':') {
            if let Some(Some(section)) = section_for(key) {
                if !rest.trim().is_empty() {
                    current = Some(Some(section));
                    read.sections.entry(section).or_default().push(rest.trim().to_string());
                    continue;
                }
            }
        }
        let Some(section) = section_of(current) else { continue };
        read.sections.entry(section).or_default().push(line.to_string());
    }
    // A fence never closed runs to the end, as markdown reads it.
    if let (Some((marker, block)), Some(section)) = (fence, section_of(current)) {
        read.sections.entry(section).or_default().push(format!("{block}\n{marker}"));
    }
    read
}

/// The section lines go to: the one read, Summary before any, `None`
/// inside a section whose lines are dropped.
fn section_of(current: Option<Option<&'static str>>) -> Option<&'static str> {
    match current {
        Some(section) => section,
        None => Some("Summary"),
    }
}

/// The lines of `text` outside fenced code blocks.
fn prose_lines(text: &str) -> impl Iterator<Item = &str> {
    let mut fence: Option<String> = None;
    text.lines().filter(move |line| {
        if let Some(marker) = &fence {
            if line.trim() == marker.as_str() {
                fence = None;
            }
            return false;
        }
        fence = fence_marker(line);
        fence.is_none()
    })
}

/// The body: each section in the conventional order, the timeline and the
/// action items as tables.
fn write_sections(
    out: &mut String,
    mut sections: BTreeMap<&'static str, Vec<String>>,
    timeline: &[(String, String)],
    timeline_rest: &[String],
) {
    for &name in ORDER {
        if name == "Timeline" {
            write_timeline(out, timeline, timeline_rest);
            continue;
        }
        let lines = sections.remove(name).unwrap_or_default();
        if lines.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n## {name}\n");
        if name == "Action Items" {
            write_action_items(out, &lines);
            continue;
        }
        for l in &lines {
            let _ = writeln!(out, "{}\n", escape_line(l));
        }
        while out.ends_with("\n\n") {
            out.pop();
        }
    }
}

fn write_timeline(out: &mut String, timeline: &[(String, String)], rest: &[String]) {
    if timeline.is_empty() && rest.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n## Timeline\n");
    if !timeline.is_empty() {
        out.push_str("| Time (UTC) | Event |\n|------------|-------|\n");
        for (time, event) in timeline {
            let _ = writeln!(out, "| {time} | {} |", event.replace('|', "\\|"));
        }
    }
    for l in rest {
        let _ = writeln!(out, "\n{}", escape_line(l));
    }
}

fn write_action_items(out: &mut String, lines: &[String]) {
    let items: Vec<_> = lines
        .iter()
        .filter(|l| !l.trim_end().ends_with(':'))
        .filter_map(|l| action_row(l))
        .collect();
    out.push_str("| Priority | Action | Owner | Due Date | Status |\n|----------|--------|-------|----------|--------|\n");
    for (priority, action, owner) in &items {
        let _ = writeln!(
            out,
            "| {} | {} | {} |  | open |",
            priority.as_deref().unwrap_or(""),
            action.replace('|', "\\|"),
            owner.as_deref().unwrap_or("TODO").replace('|', "\\|")
        );
    }
}

/// One RCA per entry of an incident log ([`log::log_entries`]), each
/// entry read as a write-up of its own under its heading; else the one
/// write-up `text` is.
pub fn import_log_or_text(text: &str, source_name: &str) -> Vec<Imported> {
    let Some(entries) = log::log_entries(text) else {
        return vec![import_text(text, source_name)];
    };
    entries
        .into_iter()
        .filter_map(|range| text.get(range))
        .map(|entry| {
            // The entry's heading, whatever its level, is its date and its
            // title: "2024-06-02 Checkout errors", "[2023-11-20] Disk full".
            let entry = entry.trim_start().trim_start_matches('#').trim_start();
            let (heading, rest) = entry.split_once('\n').unwrap_or((entry, ""));
            let bare = heading.trim_start_matches(|c: char| !c.is_alphanumeric());
            match crate::dates::leading_date(bare) {
                Some((date, end)) => {
                    let title = bare.get(end..).unwrap_or_default();
                    let title = title.trim_start_matches(|c: char| !c.is_alphanumeric());
                    import_text(&format!("# {title}\n\nDate: {date}\n{rest}"), source_name)
                }
                None => import_text(&format!("# {heading}\n{rest}"), source_name),
            }
        })
        .collect()
}

/// Imports each file into `out_dir`, an incident log as one RCA per entry;
/// refuses to overwrite anything.
pub fn import_files(files: &[PathBuf], out_dir: &Path) -> Result<Vec<(PathBuf, Imported)>> {
    let mut done = Vec::new();
    for file in files {
        let bytes =
            std::fs::read(file).map_err(|source| Error::Read { path: file.clone(), source })?;
        // Read as a page is: UTF-16, a Windows code page, old Mac line ends.
        let (text, _) = crate::load::decode(bytes).map_err(|nul| Error::Read {
            path: file.clone(),
            source: std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("the file looks binary (NUL byte at offset {nul})"),
            ),
        })?;
        let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        for imported in import_log_or_text(&text, &name) {
            let path = out_dir.join(&imported.file_name);
            write_new(&path, &imported.text)?;
            done.push((path, imported));
        }
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_ranges_give_date_and_duration() {
        let (s, e) = time_range("Duration: March 1, 2025, 2:00 AM GMT – 6:30 AM GMT").unwrap();
        assert_eq!(s.to_string(), "2025-03-01T02:00:00");
        assert_eq!(e.duration_since(s).as_secs() / 60, 270);
        let (s, e) = time_range("March 1, 2025, 2:00 AM GMT – March 1, 2025, 6:30 AM GMT").unwrap();
        assert_eq!(e.duration_since(s).as_secs() / 60, 270);
        let (_, e) = time_range("2024-05-01 23:30 - 00:15").unwrap();
        assert_eq!(e.to_string(), "2024-05-02T00:15:00", "crosses midnight");
        assert!(time_range("no times here").is_none());
    }

    #[test]
    fn clocks_and_rows() {
        assert_eq!(parse_clock("12:05 AM"), Some(Time::constant(0, 5, 0, 0)));
        assert_eq!(parse_clock("6:30 pm"), Some(Time::constant(18, 30, 0, 0)));
        assert_eq!(
            timeline_row("1:50 AM GMT – Monitoring fired."),
            Some(("01:50".into(), "Monitoring fired.".into()))
        );
        assert_eq!(timeline_row("- 13:50: Deploy v2"), Some(("13:50".into(), "Deploy v2".into())));
        assert_eq!(timeline_row("Nothing timed"), None);
        assert_eq!(
            action_row("- P0Add index on status— Database team"),
            Some((Some("P0".into()), "Add index on status".into(), Some("Database team".into())))
        );
    }

    #[test]
    fn an_incident_log_becomes_one_rca_per_entry() {
        let log = "# Incident log\n\n## 2024-06-02 Checkout errors (P2)\n\nThe pool ran dry.\n\n\
            Root cause: a batch job held connections.\n\n- 14:02 errors start\n- 14:27 job killed\n\n\
            ## March 5, 2024: DNS timeouts\n\nResolvers dropped queries.\n\n\
            ## [2023-11-20] Disk full on logs-1\n\nRotation was off.\n";
        let imported = import_log_or_text(log, "log.md");
        let names: Vec<&str> = imported.iter().map(|i| i.file_name.as_str()).collect();
        assert_eq!(
            names,
            [
                "2024-06-02-checkout-errors.md",
                "2024-03-05-dns-timeouts.md",
                "2023-11-20-disk-full-on-logs-1.md"
            ]
        );
        assert!(imported[0].text.contains("title: \"Checkout errors\""), "{}", imported[0].text);
        assert!(imported[0].text.contains("severity: \"P2\""), "{}", imported[0].text);
        // Its time-stamped lines are its timeline, and only that.
        assert_eq!(imported[0].text.matches("errors start").count(), 1, "{}", imported[0].text);
        assert!(imported[0].text.contains("## Root Cause\n\na batch job"), "{}", imported[0].text);
        assert!(!imported[1].text.contains("Checkout"), "{}", imported[1].text);
        // A single write-up is one RCA, as before.
        assert_eq!(
            import_log_or_text("Pool ran dry\n\nOn 2024-06-02 it broke.\n", "x.txt").len(),
            1
        );
    }

    /// A status the text writes is the status; with none, resolved is
    /// written and said to be assumed.
    #[test]
    fn status_is_read_or_said_to_be_assumed() {
        let open = import_text("Queue stalled\n\nStatus: Monitoring.\n\nJobs piled up.\n", "q.md");
        assert!(open.text.contains("status: \"monitoring\"\n"), "{}", open.text);
        assert!(open.inferred.contains(&"status: monitoring".to_string()), "{:?}", open.inferred);
        assert!(!open.text.contains("Status:"), "the field is not body text: {}", open.text);
        let plain = import_text("Queue stalled\n\nJobs piled up.\n", "q.md");
        assert!(plain.text.contains("status: resolved\n"), "{}", plain.text);
        assert!(plain.inferred.iter().any(|l| l.starts_with("status: resolved (none written")));
        // A sentence after the label is prose, not a status.
        let prose =
            import_text("Queue stalled\n\nStatus: we kept customers told all day.\n", "q.md");
        assert!(prose.text.contains("status: resolved\n"), "{}", prose.text);
    }

    /// A log whose entries are numbered, not dated, is cut the same way;
    /// each entry's date is the first its text gives.
    #[test]
    fn a_numbered_log_becomes_one_rca_per_entry() {
        let entry = |n: u8, day: &str| {
            format!(
                "# INCIDENTE 00{n}\n\n## Resumo\n\nO disco encheu.\n\n## Data\n\n```text\n{day}\n```\n\n"
            )
        };
        let log = format!(
            "# Postmortems\n\nComo usar.\n\n{}{}{}",
            entry(1, "2026-06-26"),
            entry(2, "2026-06-27"),
            entry(3, "2026-07-02")
        );
        let imported = import_log_or_text(&log, "POSTMORTEMS.md");
        let names: Vec<&str> = imported.iter().map(|i| i.file_name.as_str()).collect();
        assert_eq!(
            names,
            [
                "2026-06-26-incidente-001.md",
                "2026-06-27-incidente-002.md",
                "2026-07-02-incidente-003.md"
            ]
        );
    }

    /// A markdown write-up keeps its code blocks as written and its
    /// headings no section claims as headings.
    #[test]
    fn markdown_structure_survives_import() {
        let text = "# Cache outage\n\nThe cache fell over.\n\n## Hosting notes\n\nRuns on one VM.\n\n\
            ```text\nSummary\nTimeline\n\n10:00 not a row\n```\n\n## Root cause\n\nA full disk.\n\n\
            ~~~\n# not a heading\n";
        let i = import_text(text, "cache.md");
        assert!(i.text.contains("### Hosting notes\n"), "{}", i.text);
        assert!(
            i.text.contains("```text\nSummary\nTimeline\n\n10:00 not a row\n```\n"),
            "{}",
            i.text
        );
        assert!(i.text.contains("## Root Cause\n\nA full disk."), "{}", i.text);
        assert!(i.text.contains("~~~\n# not a heading\n~~~"), "{}", i.text);
        assert!(!i.text.contains("| 10:00 |"), "a line of code is no row: {}", i.text);
    }

    #[test]
    fn a_small_free_form_report() {
        let text = "Post-mortem: Search cluster ran out of disk\n\nIssue Summary\n\n\
            Duration: June 3, 2024, 10:00 PM UTC – June 4, 2024, 1:15 AM UTC\n\
            The search cluster stopped indexing.\n\nTimeline\n\n\
            10:00 PM UTC – Disk alarms fired.\n11:20 PM UTC – Old indices deleted.\n\n\
            Root Cause and Resolution\n\nRetention was disabled by a config change.\n\n\
            Corrective and Preventative Measures\n\n- Re-enable retention — Search team\n\
            Severity: SEV2\nService: search-indexer\nAuthor: R. Ito\n";
        let i = import_text(text, "search.txt");
        assert_eq!(i.file_name, "2024-06-03-search-cluster-ran-out-of-disk.md");
        assert!(i.missing.is_empty(), "{:?}", i.missing);
        assert!(i.text.contains("date: 2024-06-03\n"), "{}", i.text);
        assert!(i.text.contains("duration_minutes: 195\n"), "{}", i.text);
        assert!(i.text.contains("severity: \"P2\"\n"), "{}", i.text);
        assert!(i.text.contains("services: [\"search-indexer\"]"), "{}", i.text);
        assert!(i.text.contains("| 22:00 | Disk alarms fired. |"), "{}", i.text);
        assert!(i.text.contains("## Root Cause\n\nRetention was disabled"), "{}", i.text);
        assert!(
            i.text.contains("|  | Re-enable retention | Search team |  | open |"),
            "{}",
            i.text
        );
    }
}
