//! Pages of an outliner (Logseq), where every block is a bullet: a section
//! is a heading written as a top-level bullet (`- ## Root cause`), its text
//! the bullets under it (`\t- The refresh job crashed.`), a task a block
//! that opens with a marker (`TODO`, `DONE`), and a block's own properties
//! lines of `key:: value` under it (`id:: 65a1…`). CommonMark reads such a
//! page as one list whose items hold headings, so no section is found and
//! the action items are one item.
//!
//! A page reads as an outline when a top-level bullet is a heading and
//! every other line is a bullet, a line indented under one, or a page
//! property (`title:: …`). Then each heading bullet becomes a heading, the
//! bullets under it a list of its section, a task marker a task-list box,
//! and properties blank lines: the page's are read as labelled lines
//! before the body is (see [`crate::load`]), and a block's say nothing to a
//! reader.
//! Every line keeps its length (see [`super`]).

use std::borrow::Cow;

use super::split_line_end;

/// `text` with its outline flattened into sections, when it is an outline
/// (see the module documentation); `text` itself otherwise.
pub(super) fn flattened(text: &str) -> Cow<'_, str> {
    if !is_outline(text) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    // Inside the bullets of a heading bullet: they move out one level.
    let mut under_heading = false;
    for line in text.split_inclusive('\n') {
        let (written, end) = split_line_end(line);
        if let Some(heading) = heading_bullet(written) {
            // `- ## Root cause` as ` ## Root cause `: at most three spaces
            // before a heading, and trailing spaces are not part of it.
            out.push(' ');
            out.push_str(heading);
            out.push(' ');
            out.push_str(end);
            under_heading = true;
            continue;
        }
        if written.starts_with("- ") || written == "-" {
            under_heading = false;
            out.push_str(&with_task_box(written));
            out.push_str(end);
            continue;
        }
        if is_property(written) {
            out.extend(std::iter::repeat_n(' ', written.len()));
            out.push_str(end);
            continue;
        }
        match written.strip_prefix('\t').filter(|_| under_heading) {
            // One tab less, as a space: a bullet under the heading is then
            // a list item of its section, and one under it nested in that.
            Some(inner) => {
                out.push(' ');
                out.push_str(&with_task_box(inner));
            }
            None => out.push_str(&with_task_box(written)),
        }
        out.push_str(end);
    }
    debug_assert_eq!(out.len(), text.len());
    Cow::Owned(out)
}

/// True when `text` is an outliner's page: some top-level bullet is a
/// heading, and every non-blank line is a bullet, indented under one, or
/// a property.
pub(super) fn is_outline(text: &str) -> bool {
    let mut headings = false;
    for line in text.lines() {
        if line.trim().is_empty() {
            continue;
        }
        if heading_bullet(line).is_some() {
            headings = true;
        } else if !(line.starts_with("- ")
            || line == "-"
            || line.starts_with(['\t', ' '])
            || is_property(line))
        {
            return false;
        }
    }
    headings
}

/// The heading a top-level bullet holds (`## Root cause` of
/// `- ## Root cause`).
fn heading_bullet(line: &str) -> Option<&str> {
    let heading = line.strip_prefix("- ")?;
    let hashes = heading.len() - heading.trim_start_matches('#').len();
    let after = heading.get(hashes..)?;
    ((1..=6).contains(&hashes) && (after.starts_with(' ') || after.is_empty())).then_some(heading)
}

/// A property line, `key:: value` (or `key::` with no value).
fn is_property(line: &str) -> bool {
    let trimmed = line.trim();
    let key = match trimmed.split_once(":: ") {
        Some((key, _)) => key,
        None => trimmed.strip_suffix("::").unwrap_or(""),
    };
    !key.is_empty() && key.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '_')
}

/// The task markers of a block, as the box a task list shows: `None`
/// keeps a marker as written (a cancelled task is neither open nor done).
const MARKERS: &[(&str, &str)] = &[
    ("TODO ", "[ ] "),
    ("LATER ", "[ ] "),
    ("NOW ", "[ ] "),
    ("DOING ", "[ ] "),
    ("WAITING ", "[ ] "),
    ("WAIT ", "[ ] "),
    ("IN-PROGRESS ", "[ ] "),
    ("DONE ", "[x] "),
];

/// A bullet line whose block opens with a task marker, with a task-list box
/// instead (`- TODO Alert on it` as `- [ ]  Alert on it`); other lines as
/// they are.
fn with_task_box(line: &str) -> Cow<'_, str> {
    let indent = line.len() - line.trim_start_matches(['\t', ' ']).len();
    let (lead, rest) = line.split_at(indent);
    let Some(block) = rest.strip_prefix("- ") else { return Cow::Borrowed(line) };
    let Some((marker, task_box)) = MARKERS.iter().find(|(m, _)| block.starts_with(m)) else {
        return Cow::Borrowed(line);
    };
    let text = block.get(marker.len()..).unwrap_or_default();
    // The box is shorter than any marker: spaces after it keep the length.
    let pad = " ".repeat(marker.len() - task_box.len());
    Cow::Owned(format!("{lead}- {task_box}{pad}{text}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "title:: Stale flags\nseverity:: SEV3\n\n\
        - ## Summary\n\t- The flag service served stale values.\n\t  For an hour.\n\
        \t  id:: 65a1f0e2-8c1b-4d2e-9f00-1a2b3c4d5e6f\n\
        - ## Action items\n\t- TODO Alert when the refresh job stops\n\t- DONE Restart it\n\
        \t\t- LATER Nested\n\t- CANCELED Rewrite the cache\n- A closing thought\n\t- its child\n";

    #[test]
    fn an_outline_becomes_sections_of_the_same_length() {
        let out = flattened(PAGE);
        assert_eq!(out.len(), PAGE.len());
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[3], " ## Summary ");
        assert_eq!(lines[4], " - The flag service served stale values.");
        assert_eq!(lines[5], "   For an hour.");
        assert!(lines[6].trim().is_empty(), "a block's property is blank: {:?}", lines[6]);
        assert_eq!(lines[8], " - [ ]  Alert when the refresh job stops");
        assert_eq!(lines[9], " - [x]  Restart it");
        assert_eq!(lines[10], " \t- [ ]   Nested");
        assert_eq!(lines[11], " - CANCELED Rewrite the cache", "neither open nor done");
        // A bullet that is no heading keeps its children under it.
        assert_eq!(lines[12..], ["- A closing thought", "\t- its child"]);
        // The page's properties are read as labelled lines, not shown.
        assert!(lines[..2].iter().all(|l| l.trim().is_empty()), "{lines:?}");
    }

    #[test]
    fn markdown_that_is_no_outline_is_left_as_written() {
        for text in [
            "## Summary\n- ## Not an outline\n",
            "- a list\n- of things\n",
            "Intro.\n\n- ## Heading bullet\n",
            "- #hashtag first\n",
        ] {
            assert!(!is_outline(text), "{text}");
            assert_eq!(flattened(text), text);
        }
        assert!(is_outline("- ## Summary\n\t- x\n"));
    }
}
