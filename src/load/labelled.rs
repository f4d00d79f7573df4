//! Fields written as labelled lines at the top of a write-up that has no
//! front matter: documents exported from Google Docs, Confluence or Word,
//! and the SRE-book template, open with
//!
//! ```text
//! **Date:** 1 August 2024
//! **Severity:** Sev 2
//! - Affected services: dns, api
//! | Status | Resolved |
//! ```
//!
//! Read as the front matter they stand in for, each value keeps the offset
//! of its line, so a problem with it points there. Only the lines before
//! the first section, and those of a section of fields (`## Key
//! information`, `## Milestones`) near the top, are read, and only labels
//! that name a field: a sentence such as "Note: the pool was full" is
//! prose.
//!
//! Pandoc's title block (`% Title`, `% Author`, `% Date` opening the file)
//! is read here too: it stands in for front matter the same way.
//!
//! Inputs: a file's text and the byte range of its body. Outputs: `(field,
//! value, line offset)` triples. Pure.

use std::ops::Range;

use crate::markdown::fence_marker;

/// Lines of the body read at most: the labels sit at the top.
const LINES_READ: usize = 40;

/// Labels, as [`normal_label`] writes them, and the field each names.
const LABELS: &[(&str, &str)] = &[
    ("title", "title"),
    // A template's one-line account of the incident, as its summary.
    ("description", "summary"),
    ("incident title", "title"),
    ("date", "date"),
    ("incident date", "date"),
    ("date of incident", "date"),
    ("start", "date"),
    ("started", "date"),
    ("start date", "date"),
    ("start time", "date"),
    ("date/time", "date"),
    ("started at", "date"),
    ("incident start", "date"),
    ("incident start time", "date"),
    ("detected", "detected_at"),
    ("detected at", "detected_at"),
    ("reported", "detected_at"),
    ("reported at", "detected_at"),
    ("duration", "duration_minutes"),
    ("detection time", "detected_at"),
    ("mitigated", "mitigated_at"),
    ("mitigated at", "mitigated_at"),
    ("mitigation time", "mitigated_at"),
    ("time", "time"),
    ("end", "resolved_at"),
    ("ended", "resolved_at"),
    ("end time", "resolved_at"),
    ("resolved", "resolved_at"),
    ("resolved at", "resolved_at"),
    ("incident end", "resolved_at"),
    ("severity", "severity"),
    ("sev", "severity"),
    ("severity level", "severity"),
    ("incident severity", "severity"),
    ("priority", "severity"),
    ("impact level", "severity"),
    ("status", "status"),
    ("incident status", "status"),
    ("state", "status"),
    ("service", "services"),
    ("services", "services"),
    ("affected service", "services"),
    ("affected services", "services"),
    ("services affected", "services"),
    ("affected systems", "services"),
    ("systems affected", "services"),
    ("component", "services"),
    ("components", "services"),
    ("affected components", "services"),
    // A status page's closing line.
    ("this incident affected", "services"),
    ("author", "author"),
    ("authors", "author"),
    ("written by", "author"),
    ("prepared by", "author"),
    // The owner of the write-up, as document databases name it.
    ("owner", "author"),
    ("owners", "author"),
    ("document owner", "author"),
    ("postmortem owner", "author"),
    ("report owner", "author"),
    ("tags", "tags"),
    ("labels", "tags"),
    ("category", "tags"),
    ("categories", "tags"),
    // The same fields in the languages whose section names are known:
    // German, French, Spanish, Portuguese, Japanese, Chinese, Korean.
    ("datum", "date"),
    ("fecha", "date"),
    ("data", "date"),
    ("date de l'incident", "date"),
    ("fecha del incidente", "date"),
    ("data do incidente", "date"),
    ("beginn", "date"),
    ("début", "date"),
    ("inicio", "date"),
    ("início", "date"),
    ("ende", "resolved_at"),
    ("fin", "resolved_at"),
    ("fim", "resolved_at"),
    ("schweregrad", "severity"),
    ("sévérité", "severity"),
    ("gravité", "severity"),
    ("gravedad", "severity"),
    ("severidad", "severity"),
    ("severidade", "severity"),
    ("gravidade", "severity"),
    ("statut", "status"),
    ("estado", "status"),
    ("betroffene dienste", "services"),
    ("betroffene systeme", "services"),
    ("dienste", "services"),
    ("services affectés", "services"),
    ("servicios afectados", "services"),
    ("servicios", "services"),
    ("serviços afetados", "services"),
    ("serviços", "services"),
    ("autor", "author"),
    ("autorin", "author"),
    ("verfasser", "author"),
    ("auteur", "author"),
    ("日付", "date"),
    ("発生日", "date"),
    ("発生日時", "date"),
    ("日期", "date"),
    ("发生时间", "date"),
    ("날짜", "date"),
    ("重大度", "severity"),
    ("重要度", "severity"),
    ("严重程度", "severity"),
    ("严重性", "severity"),
    ("심각도", "severity"),
    ("ステータス", "status"),
    ("状态", "status"),
    ("상태", "status"),
    ("影響サービス", "services"),
    ("影响服务", "services"),
    ("영향 서비스", "services"),
];

/// A label as compared: lower-case, emphasis and a plural "(s)" dropped,
/// inner spaces single.
fn normal_label(label: &str) -> String {
    let bare: String = label.chars().filter(|c| !matches!(c, '*' | '_' | '`')).collect();
    let bare = bare.trim().trim_end_matches("(s)").to_lowercase();
    bare.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The field a label names.
fn field_of(label: &str) -> Option<&'static str> {
    let label = normal_label(label);
    LABELS.iter().find(|(name, _)| *name == label).map(|(_, field)| *field)
}

/// A value without the emphasis and spaces around it.
fn clean_value(value: &str) -> &str {
    // A backslash at the end is a line break as pandoc writes one.
    let value = value.trim().strip_suffix('\\').unwrap_or(value.trim());
    // A line may end as a sentence does: "This incident affected: API."
    let value = value.trim().strip_suffix('.').unwrap_or(value.trim());
    // `**Status:** *Complete*` leaves `** *Complete*` after the colon.
    value.trim_matches(|c: char| matches!(c, '*' | '_') || c.is_whitespace())
}

/// True when `value` holds a time of day (`22:40`).
fn has_clock(value: &str) -> bool {
    value
        .as_bytes()
        .windows(3)
        .any(|w| matches!(w, [h, b':', m] if h.is_ascii_digit() && m.is_ascii_digit()))
}

/// True when `value`, under a label naming when a phase ended, is a
/// sentence with no figure in it: a status page's "Resolved: all queued
/// events were sent" says what happened, not when.
fn is_prose_time(field: &str, value: &str) -> bool {
    matches!(field, "resolved_at" | "detected_at" | "mitigated_at")
        && !value.chars().any(|c| c.is_numeric())
}

/// True when `value` is a time of day alone (`08:10 CEST`, `2:30 PM`).
fn is_time_of_day(value: &str) -> bool {
    let utc = jiff::tz::TimeZone::UTC;
    let on_a_day = crate::dates::parse_when(&format!("2000-01-01 {value}"), &utc);
    on_a_day.is_some_and(|w| w.at.is_some()) && crate::dates::parse_when(value, &utc).is_none()
}

/// The `(label, value)` a line writes: `**Label:** value`, `**Label**:
/// value`, `Label: value`, as a list item or not, or a table row of two
/// cells, `| Label | value |`.
fn label_and_value(line: &str) -> Option<(&str, &str)> {
    let line = line.trim();
    if let Some(row) = line.strip_prefix('|') {
        let mut cells = row.trim_end_matches('|').split('|');
        let (label, value) = (cells.next()?, cells.next()?);
        return cells.next().is_none().then_some((label, clean_value(value)));
    }
    let line =
        line.strip_prefix(['-', '*', '+']).filter(|rest| rest.starts_with(' ')).unwrap_or(line);
    let colon = line.find([':', '：'])?;
    let label = line.get(..colon)?;
    let value = line.get(colon..)?.trim_start_matches([':', '：']);
    Some((label, clean_value(value)))
}

/// Fields one line is split into at most: a template writes a handful; the
/// last piece keeps the rest of a longer line.
const FIELDS_PER_LINE: usize = 16;

/// A line as the fields it writes: split at each `<br>` a template ends
/// its fields with (`Status: draft<br> Owners: @tvolkert`), then each
/// part as [`fields_of_part`] splits it.
fn field_pieces(line: &str) -> Vec<&str> {
    if !line.contains("<br") {
        return fields_of_part(line);
    }
    fields_of_break_tags(line).into_iter().flat_map(fields_of_part).take(FIELDS_PER_LINE).collect()
}

/// `line` cut at each `<br>` tag, the empty parts left out; at most
/// [`FIELDS_PER_LINE`] parts, the last keeping the rest.
fn fields_of_break_tags(line: &str) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut rest = line;
    while let Some(at) = rest.find("<br") {
        let close = rest.get(at..).and_then(|tag| tag.find('>')).map(|end| at + end + 1);
        let Some(close) = close
            .filter(|&end| crate::markdown::is_line_break(rest.get(at..end).unwrap_or_default()))
        else {
            break;
        };
        pieces.extend(rest.get(..at).filter(|p| !p.trim().is_empty()));
        rest = rest.get(close..).unwrap_or_default();
        if pieces.len() >= FIELDS_PER_LINE {
            break;
        }
    }
    if !rest.trim().is_empty() {
        pieces.push(rest);
    }
    pieces
}

/// A part of a line as the fields it writes: split before each bold label after
/// the first (`**Severity:** SEV2 · **Services:** ledger, reporting`,
/// `**Date:** 2024-05-03 | **Severity:** Sev 1`), the separators between
/// them dropped. A line of one field, or of none, is itself.
fn fields_of_part(line: &str) -> Vec<&str> {
    let line = line.trim_end();
    if line.trim_start().starts_with('|') {
        return vec![line];
    }
    // Bold spans, as the offsets of their opening `**`, that are labels:
    // their text ends with a colon, or a colon follows them.
    let marks: Vec<usize> =
        line.match_indices("**").map(|(at, _)| at).take(2 * FIELDS_PER_LINE).collect();
    let starts: Vec<usize> = marks
        .chunks_exact(2)
        .filter_map(|pair| {
            let (open, close) = (*pair.first()?, *pair.get(1)?);
            let label = line.get(open + 2..close)?;
            let after = line.get(close + 2..)?;
            let named = label.ends_with([':', '：']) || after.starts_with([':', '：']);
            (named && !label.trim().is_empty()).then_some(open)
        })
        .collect();
    if starts.len() < 2 {
        return by_separator(line);
    }
    let separators =
        |c: char| c.is_whitespace() || matches!(c, '·' | '|' | '•' | ';' | ',' | '—' | '–');
    let mut pieces: Vec<&str> = Vec::with_capacity(starts.len());
    let ends = starts.iter().skip(1).copied().chain(std::iter::once(line.len()));
    // Text before the first label (a list marker) stays with it.
    let begins = std::iter::once(0).chain(starts.iter().skip(1).copied());
    for (from, to) in begins.zip(ends) {
        if let Some(piece) = line.get(from..to) {
            pieces.push(piece.trim_end_matches(separators));
        }
    }
    pieces
}

/// A line of plain labels split where a separator stands between two
/// fields (`Date: 2024-07-09 · Severity: P2`, `Status: resolved | Owner:
/// sre`): split only when two pieces or more name a field, so a value
/// holding a separator ("Impact: reads | writes") stays whole.
fn by_separator(line: &str) -> Vec<&str> {
    let pieces: Vec<&str> = line.splitn(FIELDS_PER_LINE, ['·', '|', '•']).map(str::trim).collect();
    let fields = pieces
        .iter()
        .filter(|p| label_and_value(p).is_some_and(|(label, _)| field_of(label).is_some()))
        .count();
    if pieces.len() >= 2 && fields >= 2 { pieces } else { vec![line] }
}

/// Headings of a section that holds the fields themselves, as incident
/// tools export them (`## Key information` over a `| Field | Value |`
/// table): the lines under it are read like those at the top.
const FIELD_SECTIONS: &[&str] = &[
    "key information",
    "incident details",
    "incident information",
    "incident info",
    "incident metadata",
    "metadata",
    "details",
    "key facts",
    "at a glance",
    "properties",
    "incident properties",
    // When each phase began, as incident tools list them (`- Detected:
    // 2024-05-01 10:09 UTC`).
    "milestones",
    "key milestones",
];

/// The last words of the names in [`FIELD_SECTIONS`] (the tests hold
/// each to it).
const FIELD_SECTION_WORDS: &[&str] =
    &["information", "details", "info", "metadata", "facts", "glance", "properties", "milestones"];

/// True for an `## ` heading naming a section of fields (see
/// [`FIELD_SECTIONS`]).
fn opens_field_section(line: &str) -> bool {
    if !line.trim_start().starts_with("##") {
        // Most lines: no heading to name.
        return false;
    }
    let text = line.trim().trim_start_matches('#');
    // Every heading near the top is asked: its last word spares most of
    // them making a normal form.
    // As sections are named anywhere: "⏱️ Milestones", "2. Key information:".
    crate::sections::ends_with_word(text, FIELD_SECTION_WORDS)
        && FIELD_SECTIONS.contains(&crate::sections::normal_form(text).as_str())
}

/// True for an `## ` heading naming the summary (`## Summary`, `## Incident
/// summary`, `## Overview`).
fn opens_summary(line: &str) -> bool {
    let text = line.trim().trim_start_matches('#');
    line.trim_start().starts_with("##")
        && matches!(
            crate::sections::normal_form(text).as_str(),
            "summary" | "incident summary" | "overview" | "executive summary" | "tl dr" | "tldr"
        )
}

/// The field a heading names by itself (`## Severity`, `## Status`,
/// `## Date`): the line under it is its value, as a template of one
/// section per field writes it. (A list of services or authors under its
/// heading would be read only in part, so those are left to the body.)
fn field_heading(line: &str) -> Option<&'static str> {
    let text = line.trim().strip_prefix("##")?.trim_start_matches('#');
    // `## Severity:` as `**Severity:**` is.
    let text = text.trim().trim_end_matches([':', '：']);
    field_of(text).filter(|f| matches!(*f, "severity" | "status" | "date"))
}

/// Whether a heading's text (`Severity`, `Key information`) names a
/// section that holds fields, which are read as front matter, rather than
/// a section of the write-up.
pub(crate) fn heading_holds_fields(text: &str) -> bool {
    let heading = format!("## {text}");
    field_heading(&heading).is_some() || opens_field_section(&heading)
}

/// Words a value under a field's heading holds at most: more make a
/// sentence, not a value.
const HEADING_VALUE_WORDS: usize = 4;

/// The value the first line under a field's heading gives: its bold part
/// (`**Critical** - checkout was down`), else the line up to a dash or a
/// sentence's end (`SEV-2 — customers affected`), a date whole. `None` for
/// a sentence.
fn heading_value(field: &str, line: &str) -> Option<String> {
    let line = line.trim();
    let line = line.strip_prefix(['-', '*', '+']).filter(|r| r.starts_with(' ')).unwrap_or(line);
    let line = line.trim();
    let bold = ["**", "__"].iter().find_map(|mark| {
        let rest = line.strip_prefix(mark)?;
        Some(&rest[..rest.find(mark)?])
    });
    let value = match bold {
        Some(bold) => bold,
        None if field == "date" => line,
        None => {
            let cut = [" - ", " — ", " – ", ". ", ": ", " ("]
                .iter()
                .filter_map(|sep| line.find(sep))
                .min()
                .unwrap_or(line.len());
            &line[..cut]
        }
    };
    let value = clean_value(value);
    let words = value.split_whitespace().count();
    (words > 0 && (field == "date" || words <= HEADING_VALUE_WORDS)).then(|| value.to_string())
}

/// True for a line written as a field, not as a sentence: a bold label
/// (`**Start time:** …`, as a list item too), a table row, or a field's
/// label before a value a `<br>` ends.
fn is_field_form(line: &str) -> bool {
    let line = line.trim();
    let line = line.strip_prefix(['-', '*', '+']).filter(|r| r.starts_with(' ')).unwrap_or(line);
    let line = line.trim_start();
    // `Duration: 16h 45m<br>`, `Description: …<br> Component: …`: a label,
    // and a line break that ends the field where a sentence would run on.
    let broken = || {
        let parted = fields_of_break_tags(line).len() > 1
            || line
                .rfind('<')
                .and_then(|at| line.get(at..))
                .is_some_and(crate::markdown::is_line_break);
        parted && label_and_value(line).is_some_and(|(label, _)| field_of(label).is_some())
    };
    line.starts_with('|') || line.starts_with("**") || line.starts_with("__") || broken()
}

/// True for a line that opens a section: a heading below the title (a
/// `##` line, or a `---` underline, which is also a rule). A `===`
/// underline makes the title itself.
fn opens_section(line: &str) -> bool {
    let line = line.trim();
    line.starts_with("##") || (line.len() >= 3 && line.bytes().all(|b| b == b'-'))
}

/// A field read from a line: its name, its value, and its line's offset.
pub(super) type Labelled = (&'static str, String, usize);

/// Pandoc's title block, `% Title`, `% Author; Author` and `% Date` opening
/// the file (a line may be `%` alone for a field left out), as its fields
/// with the offset of each line, and where the block ends. `None` when the
/// file does not open with one.
pub(super) fn pandoc_title_block(text: &str) -> Option<(Vec<Labelled>, usize)> {
    if !text.starts_with('%') {
        return None;
    }
    let mut fields = Vec::new();
    let mut at = 0;
    for field in ["title", "author", "date"] {
        let Some(line) = text.get(at..).and_then(|rest| rest.split_inclusive('\n').next()) else {
            break;
        };
        let Some(value) = line.strip_prefix('%') else { break };
        let value = value.trim();
        if !value.is_empty() {
            let value = if field == "author" { value.replace(';', ",") } else { value.to_string() };
            fields.push((field, value, at));
        }
        at += line.len();
    }
    Some((fields, at))
}

/// Adds the field `piece` (one field of a line at offset `at`) writes to
/// `found`, unless an earlier line gave it: the first line naming a field
/// wins, but for a date with its time of day.
fn read_field(piece: &str, at: usize, found: &mut Vec<Labelled>) {
    let Some((label, value)) = label_and_value(piece) else { return };
    let Some(field) = field_of(label) else { return };
    // A document editor's export escapes its punctuation (`SEV\-2`,
    // `Apr 9\, 2024`): the value is what the markdown reads as.
    let value = crate::markdown::inline_plain(value);
    let value = value.as_ref();
    if value.is_empty() || is_prose_time(field, value) {
        return;
    }
    // "Start time: 08:10 CEST" under "Date: 2 July 2024" is the time
    // of day the date is joined to, as a `time` key is.
    let field = if field == "date" && is_time_of_day(value) { "time" } else { field };
    if let Some(earlier) = found.iter().position(|(f, _, _)| *f == field) {
        // "Date: March 18-19, 2024" then "Start: 2024-03-18 22:40 UTC":
        // the line that gives the time of day says more.
        let day_only = found.get(earlier).is_some_and(|(_, v, _)| !has_clock(v));
        if field == "date" && has_clock(value) && day_only {
            found.remove(earlier);
        } else {
            return;
        }
    }
    // "Authors: kim, ravi" names two: the list is kept with `;`, which
    // no name holds, where "Author: Doe, Jane" is one name.
    let value = if field == "author" && normal_label(label).ends_with('s') {
        value.replace(" and ", ", ").replace(" & ", ", ").replace(',', ";")
    } else {
        value.to_string()
    };
    found.push((field, value, at));
}

/// The lines of `text`, each with its line feed, as `split_inclusive`
/// gives them, found by a vectorised search: the fields are looked for in
/// every file's first lines, and the standard search took as long as the
/// rest of reading them.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    let ends = memchr::memchr_iter(b'\n', text.as_bytes()).map(|at| at + 1);
    let mut start = 0;
    ends.chain([text.len()]).filter_map(move |end| {
        let line = text.get(start..end).filter(|line| !line.is_empty());
        start = end;
        line
    })
}

/// `lines` (each with its line feed), each with its length, except that a
/// paragraph whose fields are parted by `<br>` and wrapped over lines
/// (`Description: … for several\nhours.<br> Component: www<br> Date/time:
/// 2023-08-26 21:14\nPDT<br> …`) is one line, its line feeds spaces, so
/// that each field is read whole. The lines are read once, ahead only to
/// a paragraph's end.
fn broken_paragraphs<'t>(
    lines: impl Iterator<Item = &'t str>,
) -> impl Iterator<Item = (std::borrow::Cow<'t, str>, usize)> {
    let mut lines = lines.peekable();
    let mut held: std::collections::VecDeque<&'t str> = std::collections::VecDeque::new();
    std::iter::from_fn(move || {
        if let Some(line) = held.pop_front() {
            return Some((line.into(), line.len()));
        }
        let first = lines.next()?;
        let prose = |l: &str| {
            let t = l.trim_start();
            !t.is_empty() && !t.starts_with(['#', '`', '~', '|', '-', '*', '+', '<'])
        };
        // Only a paragraph that opens with a label may hold fields.
        if !prose(first) || !first.contains([':', '：']) {
            return Some((first.into(), first.len()));
        }
        // The rest of the paragraph.
        held.push_back(first);
        while let Some(next) =
            lines.next_if(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        {
            held.push_back(next);
        }
        if held.len() < 2 || !held.iter().any(|l| l.contains("<br")) {
            let line = held.pop_front()?;
            return Some((line.into(), line.len()));
        }
        let len = held.iter().map(|l| l.len()).sum();
        let joined: Vec<&str> = held.drain(..).map(str::trim_end).collect();
        Some((format!("{}\n", joined.join(" ")).into(), len))
    })
}

/// The labelled fields at the top of the body `body` of `text`, each with
/// the byte offset of its line; the first line naming a field wins.
pub(super) fn labelled_fields(text: &str, body: Range<usize>) -> Vec<Labelled> {
    let mut found: Vec<Labelled> = Vec::new();
    let mut offset = body.start;
    let mut in_code = false;
    // Inside a summary section's leading fields.
    let mut in_summary = false;
    // Inside a section of prose: its lines are no fields, but a section
    // of fields may follow it (a summary, then `## Milestones`).
    let mut skipping = false;
    // Under a heading that names a field: its first line is the value.
    let mut under_field: Option<&'static str> = None;
    let body_text = text.get(body).unwrap_or_default();
    for (line, len) in broken_paragraphs(lines(body_text).take(LINES_READ)) {
        let line = line.as_ref();
        let at = offset;
        offset += len;
        if let Some(field) = under_field.filter(|_| !line.trim().is_empty()) {
            // `## Severity` over a fenced block holding `High`: the value
            // is the block's first line.
            let trimmed = line.trim_start();
            if !in_code && fence_marker(trimmed).is_some() {
                in_code = true;
                continue;
            }
            under_field = None;
            // `## Date` over `Start: …` and `End: …`: a section of fields,
            // each line read as the top's are.
            let labelled =
                label_and_value(line).is_some_and(|(label, _)| field_of(label).is_some());
            if labelled {
                skipping = false;
            } else if !line.trim_start().starts_with(['#', '`', '~', '|']) {
                if let Some(value) = heading_value(field, line) {
                    read_field(&format!("{field}: {value}"), at, &mut found);
                }
                continue;
            }
        }
        // In prose, only a heading or a fence matters: most lines are
        // passed over at their first byte.
        if skipping && !in_code && !line.starts_with(['#', '`', '~', ' ']) {
            continue;
        }
        let trimmed = line.trim_start();
        if fence_marker(trimmed).is_some() {
            in_code = !in_code;
            continue;
        }
        if in_code {
            continue;
        }
        if opens_field_section(line) {
            (skipping, in_summary) = (false, false);
            continue;
        }
        if let Some(field) = field_heading(line) {
            (under_field, skipping, in_summary) = (Some(field), true, false);
            continue;
        }
        if skipping {
            continue;
        }
        if opens_section(line) {
            // An incident issue's template opens its summary with the
            // fields (`**Start time:** …`, a `| Field | Value |` table).
            if !in_summary && opens_summary(line) {
                in_summary = true;
                continue;
            }
            skipping = true;
            continue;
        }
        if in_summary && !line.trim().is_empty() && !is_field_form(line) {
            // The summary's prose begins: its "Status: …" is a sentence.
            skipping = true;
            continue;
        }
        // `**Severity:** SEV2 · **Services:** ledger` writes two fields.
        for piece in field_pieces(line) {
            read_field(piece, at, &mut found);
        }
    }
    // A date written as a range ("09:40 to 11:10 UTC") also says when the
    // incident ended, unless a line says so itself.
    let has = |field: &str| found.iter().find(|(f, _, _)| *f == field);
    let range_end = has("date")
        .filter(|_| has("resolved_at").is_none())
        .and_then(|(_, date, at)| Some((crate::dates::range_end(date)?, *at)));
    if let Some((end, at)) = range_end {
        found.push(("resolved_at", end, at));
    }
    found
}

#[cfg(test)]
mod tests;
