//! Reading the lines of a postmortem that carry structure in plain text
//! (the timeline and stated-time readers are in `timeline.rs`):
//! an action item written as a bullet ("Add an alert @sre (due
//! 2024-05-01)"), a timeline written as a list ("14:05 pager fires"), a
//! zone stated for the timeline ("All times in CET"), and times stated
//! outright ("Time to detection: 54 minutes").
//!
//! Part of the body scan; pure functions of one line of plain text.

use std::sync::OnceLock;

use regex::Regex;

use crate::model::RawActionItem;

mod timeline;
mod updates;

pub(crate) use self::timeline::{
    heading_time, heading_time_noted, item_rows, may_open_row, parse_stated_time,
    parse_timeline_item, table_row, timeline_lines, zone_statement,
};
pub(crate) use self::updates::{is_posting_time, status_timeline, status_update, update_heading};

/// Words that name an action item's owner: English, Japanese, Chinese,
/// Korean, German, French, Spanish, Portuguese.
const OWNER_WORDS: &str = "owner|assignee|assigned to|responsible|担当者|担当|负责人|負責人|담당자|담당|\
                           verantwortlich|zuständig|responsable|responsável|responsavel";
/// Words that introduce its due date, in the same languages.
const DUE_WORDS: &str = "due|by|deadline|eta|target date|target|期限|期日|截止日期|截止|기한|fällig|bis|\
                         échéance|fecha límite|plazo|prazo";

#[allow(clippy::expect_used, reason = "the patterns are constants, checked by the tests")]
fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| Patterns {
        priority: Regex::new(r"^\s*(?:\[(P\d|SEV-?\d)\]|\((P\d|SEV-?\d)\)|(P\d|SEV-?\d)\s*[:\-–—])\s*")
            .expect("valid priority pattern"),
        // The words for owner and due date in the languages postmortems
        // are written in, and the full-width brackets, colons and commas of
        // Chinese, Japanese and Korean text.
        todo_owner: Regex::new(r"^(?:TODO|FIXME|AI)\(@?([\w][\w.\-]*)\)").expect("valid TODO pattern"),
        // A group of fields, which may open with the owner's mention
        // ("(@nadia, due 2024-06-01)") or be the mention alone ("(@nadia)").
        meta_group: Regex::new(&format!(r"\s*[\(\[（]((?:@[\w.\-/]+\s*[,;，]\s*)?(?i:{OWNER_WORDS}|{DUE_WORDS}|status)\b[^\)\]）]*|@[\w.\-/]+)[\)\]）]"))
            .expect("valid metadata pattern"),
        // A group holding such a word with a colon after another field
        // ("(JIRA: PAY-330, assignee: eve)"): read, and left in the action,
        // whose reference it also holds.
        meta_inside: Regex::new(&format!(r"[\(\[（]([^\)\]）]*[,;]\s*(?i:{OWNER_WORDS}|{DUE_WORDS}|status)\s*[:：][^\)\]）]*)[\)\]）]"))
            .expect("valid metadata pattern"),
        owner: Regex::new(&format!(r"(?i)\b(?:{OWNER_WORDS})\s*[:=：]?\s*@?([\w.\-/ ]+?)@?\s*(?:[,;、，—–|]|$|\b(?:{DUE_WORDS})\b)"))
            .expect("valid owner pattern"),
        mention: Regex::new(r"(?:^|[\s(\[（])@([A-Za-z0-9][\w.\-/]*[A-Za-z0-9]|[A-Za-z0-9])")
            .expect("valid mention pattern"),
        // Year first, as ISO, with slashes or dots, or as Chinese,
        // Japanese and Korean write it ("2024年4月1日").
        due: Regex::new(&format!(r"(?i)\b(?:{DUE_WORDS})\s*[:=：]?\s*(\d{{4}}(?:-\d{{1,2}}-\d{{1,2}}|/\d{{1,2}}/\d{{1,2}}|\.\d{{1,2}}\.\d{{1,2}}|\s*[年년]\s*\d{{1,2}}\s*[月월]\s*\d{{1,2}}\s*[日일]))"))
            .expect("valid due pattern"),
        // A due date in any other form ("due: April 1, 2024"): the words up
        // to the next separator, kept when they read as a date.
        due_words: Regex::new(&format!(r"(?i)\b(?:{DUE_WORDS})\s*[:=：]\s*([^;\]\)）—–|]+)"))
            .expect("valid due words pattern"),
        // A due word, colon or not ("due Q2 2024", "by March 5, 2024"):
        // what follows is its date when it starts with one.
        due_loose: Regex::new(&format!(r"(?i)\b(?:{DUE_WORDS})\s*[:=：]?\s+"))
            .expect("valid loose due pattern"),
        status: Regex::new(r"(?i)\bstatus\s*[:=]\s*([\w -]+?)\s*(?:[,;—–|]|$)")
            .expect("valid status pattern"),
        // A field's label opening a part of the text ("Owner: Lena").
        field_label: Regex::new(&format!(r"(?i)^(?:{OWNER_WORDS}|status)\s*[:：]"))
            .expect("valid field label pattern"),
        due_label: Regex::new(&format!(r"(?i)^(?:{DUE_WORDS})(?:\s*[:：]|\s)"))
            .expect("valid due label pattern"),
        stated: Regex::new(
            r"(?i)^\s*(time to (?:detect\w*|acknowledge\w*|ack|respon\w*|mitigat\w*|recover\w*|resol\w*|restor\w*|repair)|mttd|mtta|mttr|mttm|detection time|mitigation time|resolution time|recovery time|total duration|outage duration|incident duration|duration|downtime|length of (?:outage|incident))\s*[:=\-–—]\s*(.+)$",
        )
        .expect("valid stated-time pattern"),
        span: Regex::new(r"(?i)(\d+(?:\.\d+)?)\s*(days?|d|hours?|hrs?|h|minutes?|mins?|m|seconds?|secs?|s)\b")
            .expect("valid span pattern"),
        timeline_item: Regex::new(
            r"^\s*((?:\d{4}-\d{1,2}-\d{1,2}[ T])?\d{1,2}[:hH.]\d{2}(?::\d{2})?)(\s*[AaPp]\.?[Mm]\.?)?(\s*(?:[A-Z]{2,5}(?:[+-]\d{1,2}(?::?\d{2})?)?|Z|[A-Z][a-z]+/[A-Za-z_]+|[+-]\d{2}:?\d{2}|\([A-Z]{2,5}(?:[+-]\d{1,2}(?::?\d{2})?)?\))(?:\b|\s|$))?\s*(?:[-–—:|]\s*)?(.+)$",
        )
        .expect("valid timeline item pattern"),
    })
}

struct Patterns {
    priority: Regex,
    todo_owner: Regex,
    meta_group: Regex,
    meta_inside: Regex,
    owner: Regex,
    mention: Regex,
    due: Regex,
    due_words: Regex,
    due_loose: Regex,
    status: Regex,
    field_label: Regex,
    due_label: Regex,
    stated: Regex,
    span: Regex,
    timeline_item: Regex,
}

/// An action item written as text: a leading `[P1]` is its priority, an
/// `@team` or `owner: x` its owner, `due 2024-05-01` or `by 2024-05-01`
/// its due date, `status: done` its status. A `(owner: …, due …)` group
/// is taken out of the action's text; mentions stay in it.
pub(crate) fn parse_action_item(text: &str) -> RawActionItem {
    let p = patterns();
    let mut item = RawActionItem::default();
    let mut rest = text.trim();
    if let Some(c) = p.priority.captures(rest) {
        item.priority = c.iter().skip(1).flatten().next().map(|m| m.as_str().to_uppercase());
        rest = rest.get(c.get(0).map_or(0, |m| m.end())..).unwrap_or(rest);
    }
    let unlabelled = without_tracker_labels(rest);
    let rest = unlabelled.as_ref();
    // "TODO(bob): …", as code comments name who will do it.
    let todo_owner = p.todo_owner.captures(rest).map(|c| c[1].to_string());
    let (rest, closed_mark) = strip_closed_mark(rest);
    let (rest, mut trailing) = trailing_fields(rest);
    // "(Alice, 2024-05-01)": a closing group of a name and a date, no labels.
    let (rest, named) = match unlabelled_group(rest) {
        Some((before, parts)) => {
            let (names, dates): (Vec<&str>, Vec<&str>) =
                parts.into_iter().partition(|p| is_name(p));
            trailing.extend(dates.into_iter().map(str::to_string));
            (before, names.first().map(|n| n.to_string()))
        }
        None => (rest, None),
    };
    let groups = p.meta_group.captures_iter(rest).chain(p.meta_inside.captures_iter(rest));
    let meta: String = groups.map(|c| format!("{}, ", &c[1])).collect();
    let meta = format!("{meta}{}", trailing.join(", "));
    let scan = format!("{rest} {meta}");
    let clean = |o: String| Some(o.trim_end_matches('.').to_string()).filter(|o| !o.is_empty());
    item.owner = p.owner.captures(&scan).and_then(|c| clean(c[1].trim().to_string())).or(named);
    // "Add lock alerting — Priya", "… — @Mara Quint": a name alone after a
    // dash, when no field names the owner; before a mention, which would
    // take the first word of such a name alone. A group of fields after
    // the name ("— Kim (due 2024-06-01)") was read above.
    let ungrouped = p.meta_group.replace_all(rest, "");
    let rest: std::borrow::Cow<'_, str> =
        match trailing_name(ungrouped.trim_end()).filter(|_| item.owner.is_none()) {
            Some((before, name)) => {
                item.owner = Some(name.to_string());
                before.to_string().into()
            }
            None => rest.into(),
        };
    let rest = rest.as_ref();
    if item.owner.is_none() {
        let mention = p.mention.captures(&scan).map(|c| c[1].to_string());
        item.owner = mention.or(todo_owner).and_then(clean);
    }
    item.due = p.due.captures(&scan).map(|c| c[1].to_string()).or_else(|| {
        let written = p.due_words.captures_iter(&scan).find_map(|c| date_before_comma(&c[1]));
        written
            .or_else(|| due_after_word(&scan))
            .or_else(|| trailing.iter().find(|t| reads_as_due(t)).cloned())
    });
    item.status = p
        .status
        .captures(&meta)
        .map(|c| c[1].trim().to_lowercase())
        .or_else(|| closed_mark.map(str::to_string));
    let action = p.meta_group.replace_all(rest, "");
    item.action = action.trim().trim_end_matches([',', ';', '.']).trim().to_string();
    if item.action.is_empty() {
        item.action = rest.to_string();
    }
    item
}

/// `text` without the labels an issue tracker writes after an item
/// (GitLab's `~"corrective action"`, `~infra`): quoted ones anywhere,
/// bare ones only at the end, so "~5 minutes" and "reduce to ~half the
/// pods" keep their words.
fn without_tracker_labels(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('~') {
        return text.into();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("~\"") {
        let before = rest.get(..at).unwrap_or_default();
        let opens_word = before.is_empty() || before.ends_with(char::is_whitespace);
        let quoted = rest.get(at + 2..).and_then(|q| q.find('"').map(|end| at + 2 + end + 1));
        match quoted.filter(|_| opens_word) {
            Some(end) => {
                out.push_str(before.trim_end());
                rest = rest.get(end..).unwrap_or_default();
            }
            None => {
                out.push_str(rest.get(..at + 2).unwrap_or_default());
                rest = rest.get(at + 2..).unwrap_or_default();
            }
        }
    }
    out.push_str(rest);
    let is_bare_label = |w: &str| {
        w.strip_prefix('~').is_some_and(|l| {
            l.starts_with(|c: char| c.is_ascii_alphabetic())
                && l.chars().all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | ':'))
        })
    };
    loop {
        let trimmed = out.trim_end();
        let (before, last) = trimmed.rsplit_once(char::is_whitespace).unwrap_or(("", trimmed));
        // A mention after the labels is the owner's, and stays.
        if !is_bare_label(last) || before.trim().is_empty() {
            break;
        }
        out.truncate(before.trim_end().len());
    }
    if out.len() == text.len() { text.into() } else { out.trim().to_string().into() }
}

/// The longest start of `text`, cut at a comma, that reads as a date: a
/// date may hold a comma ("April 1, 2024, owner: x" gives "April 1, 2024").
fn date_before_comma(text: &str) -> Option<String> {
    let cuts = text.match_indices(',').map(|(i, _)| i).chain([text.len()]);
    let mut starts: Vec<&str> = cuts.filter_map(|i| text.get(..i)).collect();
    starts.reverse();
    starts.into_iter().map(str::trim).find(|d| reads_as_due(d)).map(str::to_string)
}

/// True when `text` is a due date: a date, or a month or quarter, which
/// work is due by the end of (`June 2024`, `Q2 2024`).
fn reads_as_due(text: &str) -> bool {
    crate::dates::due_by(text).is_some()
}

/// The due date written after a due word without a colon ("by March 5,
/// 2024 (owner: sre)", "due Q2 2024"): the longest run of up to four words
/// after the word that reads as one.
fn due_after_word(text: &str) -> Option<String> {
    patterns().due_loose.find_iter(text).find_map(|word| {
        let after = text.get(word.end()..)?;
        let ends: Vec<usize> = after
            .char_indices()
            .filter(|&(_, ch)| ch.is_whitespace())
            .map(|(i, _)| i)
            .chain([after.len()])
            .take(4)
            .collect();
        ends.iter().rev().find_map(|&end| {
            let words = after.get(..end)?.trim().trim_end_matches([',', ';', '.', ')']);
            reads_as_due(words).then(|| words.to_string())
        })
    })
}

/// `text` without a mark that says the item is closed, and the status it
/// gives: done ("(done)", "[done]", "(completed)", "✅", "✔"), or closed
/// undone ("(dropped)", "(won't fix)", "(won't do)", "(cancelled)", or an outliner's
/// task marker `CANCELED` before the text).
fn strip_closed_mark(text: &str) -> (&str, Option<&'static str>) {
    if let Some(rest) = ["CANCELED ", "CANCELLED "].iter().find_map(|m| text.strip_prefix(m)) {
        return (rest.trim_start(), Some("cancelled"));
    }
    let marks = [
        ("(done)", "done"),
        ("[done]", "done"),
        ("(completed)", "done"),
        ("(complete)", "done"),
        ("(fixed)", "done"),
        ("✅", "done"),
        ("✔", "done"),
        ("(dropped)", "dropped"),
        ("(won't fix)", "won't fix"),
        ("(won’t fix)", "won't fix"),
        ("(wontfix)", "won't fix"),
        ("(won't do)", "won't do"),
        ("(won’t do)", "won't do"),
        ("(wontdo)", "won't do"),
        ("(not doing)", "won't do"),
        ("(cancelled)", "cancelled"),
        ("(canceled)", "cancelled"),
    ];
    // A sentence may end after the mark: "… OWNER: amirh@ (DONE).".
    let text = text.strip_suffix('.').filter(|t| t.ends_with([')', ']'])).unwrap_or(text);
    let before = |m: &str| {
        let cut = text.len().checked_sub(m.len())?;
        text.get(cut..).filter(|end| end.eq_ignore_ascii_case(m)).and(text.get(..cut))
    };
    match marks.iter().find_map(|(m, status)| Some((before(m)?, *status))) {
        Some((rest, status)) => (rest.trim_end(), Some(status)),
        None => (text, None),
    }
}

/// `text` before a last part set off by a long dash that is a person's or a
/// team's name, and the name: one to three capitalised words of letters
/// ("Priya", "Sam Ortiz", "Platform Team", "@Mara Quint"), not a status or
/// a priority.
fn trailing_name(text: &str) -> Option<(&str, &str)> {
    // Only a long dash: " - " also joins the words of note names ("[[Runbook
    // - Redis]]"), whose last word is no owner.
    let (before, name) = last_part(text, &[" — ", " – "])?;
    // A notes app writes a person it links as "@Mara Quint".
    let name = name.trim().trim_end_matches('.');
    let name = name.strip_prefix('@').unwrap_or(name);
    let before = before.trim_end();
    (is_name(name) && !before.is_empty()).then_some((before, name))
}

/// One to three capitalised words of letters ("Priya", "Sam Ortiz",
/// "Platform Team"), not a status or a priority.
pub(crate) fn is_name(name: &str) -> bool {
    const NOT_NAMES: [&str; 14] = [
        "done", "open", "closed", "blocked", "pending", "ongoing", "high", "low", "medium",
        "critical", "urgent", "tbd", "none", "complete",
    ];
    let words: Vec<&str> = name.split_whitespace().collect();
    let is_name_word = |w: &&str| {
        w.chars().next().is_some_and(char::is_uppercase)
            && w.chars().all(|c| c.is_alphabetic() || matches!(c, '.' | '\'' | '-'))
    };
    (1..=3).contains(&words.len())
        && words.iter().all(is_name_word)
        && !NOT_NAMES.contains(&name.to_lowercase().as_str())
}

/// A closing group of fields written without labels, `(Alice, 2024-05-01)`
/// or `[2024-05-01]`: what comes before it, and its parts, when every part
/// is a name ([`is_name`]) or a date, and one of them a date. A group of
/// words ("(see the runbook)", "(Kafka)") is the action's.
fn unlabelled_group(text: &str) -> Option<(&str, Vec<&str>)> {
    let text = text.trim_end();
    let close = text.chars().last().filter(|c| matches!(c, ')' | ']'))?;
    let open = if close == ')' { '(' } else { '[' };
    let at = text.rfind(open)?;
    let inner = text.get(at + 1..text.len() - 1)?;
    let parts: Vec<&str> = inner.split([',', ';']).map(str::trim).collect();
    let dated = parts.iter().any(|p| reads_as_due(p));
    let all_fields = parts.iter().all(|p| !p.is_empty() && (reads_as_due(p) || is_name(p)));
    let before = text.get(..at)?.trim_end();
    (all_fields && dated && !before.is_empty()).then_some((before, parts))
}

/// `text` split at the last of `separators` in it: what comes before it,
/// and the part after it.
fn last_part<'t>(text: &'t str, separators: &[&str]) -> Option<(&'t str, &'t str)> {
    let (at, sep) = separators
        .iter()
        .filter_map(|sep| text.rfind(sep).map(|at| (at, *sep)))
        .max_by_key(|(at, _)| *at)?;
    Some((text.get(..at)?, text.get(at + sep.len()..)?))
}

/// Trailing fields read at most: an owner, a due date, a status and a
/// priority, with room to spare.
const TRAILING_FIELDS: usize = 8;

/// `text` without its trailing parts set off by a dash or a bar that hold
/// fields, not words of the action: "Add metrics — @bob — 2024-04-15",
/// "Rotate keys – Owner: Dan – Status: done". The parts are returned as
/// written.
fn trailing_fields(text: &str) -> (&str, Vec<String>) {
    let p = patterns();
    let is_field = |part: &str| {
        let part = part.trim();
        let mention = is_mention(part);
        let labelled =
            p.owner.is_match(part) || p.status.is_match(part) || p.due_words.is_match(part);
        let due = || {
            let word = p.due_loose.find(part).filter(|w| w.start() == 0);
            word.is_some_and(|w| part.get(w.end()..).is_some_and(|d| reads_as_due(d.trim())))
        };
        mention || labelled || reads_as_due(part) || due()
    };
    // "— @lena, by 2024-04-01": fields joined by commas, each a field.
    let is_field =
        |part: &str| is_field(part) || (part.contains(", ") && part.split(", ").all(&is_field));
    // "Make pushes atomic. Owner: Lena. Due: 2024-05-01.": a sentence
    // that opens with a field's label is that field.
    let is_labelled_sentence = |part: &str| {
        let part = part.trim();
        let due = || {
            let label = p.due_label.find(part)?;
            Some(reads_as_due(part.get(label.end()..)?.trim().trim_end_matches('.')))
        };
        p.field_label.is_match(part) || due() == Some(true) || is_mention(part)
    };
    let mut end = text.len();
    let mut fields = Vec::new();
    // Each part costs a search of the text before it: a bound on the parts
    // keeps a line of thousands of `— @a` linear.
    while let Some(cut) = text.get(..end).filter(|_| fields.len() < TRAILING_FIELDS) {
        let dashed = last_part(cut, &[" — ", " – ", " | ", " - "]);
        let sentence = last_part(cut.trim_end_matches('.'), &[". "]);
        let later = match (dashed, sentence) {
            (Some(d), Some(s)) if s.0.len() > d.0.len() => Some((s, true)),
            (Some(d), _) => Some((d, false)),
            (None, s) => s.map(|s| (s, true)),
        };
        let Some(((before, part), in_sentence)) = later else { break };
        let field = if in_sentence { is_labelled_sentence(part) } else { is_field(part) };
        if !field {
            break;
        }
        fields.push(part.trim().to_string());
        end = before.len();
    }
    fields.reverse();
    (text.get(..end).unwrap_or(text).trim_end(), fields)
}

/// A part of an action's text that is a mention alone (`@bob`): its owner.
fn is_mention(part: &str) -> bool {
    part.starts_with('@') && !part.contains(' ')
}

#[cfg(test)]
mod tests;
