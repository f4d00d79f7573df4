//! An incident log ([`crate::sections::log_level`]) cut into its entries,
//! for `import` to write one RCA per entry; the build names such a file
//! (RCA039). Headings are found by pulldown-cmark, as every other reader
//! finds them.

use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use crate::sections::{dated_headings, log_level};

/// The entries of an incident log, as byte ranges of `text` (each from its
/// dated heading to the next heading of its level), or `None` when `text`
/// is not one.
pub(crate) fn log_entries(text: &str) -> Option<Vec<Range<usize>>> {
    // (level, start of the heading, its text)
    let mut headings: Vec<(u8, usize, String)> = Vec::new();
    let mut open: Option<(u8, usize, String)> = None;
    for (event, range) in Parser::new(text).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                open = Some((level as u8, range.start, String::new()));
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, _, words)) = open.as_mut() {
                    words.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, start, words)) = open.take() {
                    headings.push((level, start, words));
                }
            }
            _ => {}
        }
    }
    let levels =
        dated_headings(headings.iter().map(|h| (h.0, h.2.as_str())), super::section_names());
    let (level, _) = log_level(&levels)?;
    let starts: Vec<(usize, bool)> = (headings.iter().zip(&levels))
        .filter(|(h, _)| h.0 == level)
        .map(|(h, (_, dated))| (h.1, *dated))
        .collect();
    let ends = starts.iter().skip(1).map(|s| s.0).chain([text.len()]);
    Some(starts.iter().zip(ends).filter(|(s, _)| s.1).map(|(s, end)| s.0..end).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOG: &str = "# Incident log\n\nWhat broke, newest first.\n\n\
        ## 2024-06-02 Checkout errors\n\nThe pool ran dry.\n\n### Cause\n\nA batch job.\n\n\
        ## March 5, 2024: DNS timeouts\n\nResolvers dropped queries.\n\n\
        ## [2023-11-20] Disk full on logs-1\n\nRotation was off.\n\n\
        ## How to add an entry\n\nCopy the last one.\n";

    #[test]
    fn a_log_is_cut_at_its_dated_headings() {
        let entries = log_entries(LOG).expect("a log");
        let texts: Vec<&str> = entries.iter().map(|r| &LOG[r.clone()]).collect();
        assert_eq!(texts.len(), 3);
        assert!(
            texts[0].starts_with("## 2024-06-02 Checkout errors")
                && texts[0].contains("A batch job")
        );
        assert!(texts[1].starts_with("## March 5, 2024: DNS timeouts"));
        assert!(
            texts[2].starts_with("## [2023-11-20]") && texts[2].ends_with("Rotation was off.\n\n")
        );
    }

    #[test]
    fn a_write_up_with_a_few_dated_headings_is_no_log() {
        let two_days =
            "# Outage\n\n## 2024-06-02\n\nStart.\n\n## 2024-06-03\n\nEnd.\n\n## Cause\n\nX.\n";
        assert_eq!(log_entries(two_days), None);
        let mostly_undated = "## 2024-01-01 a\n\n## 2024-01-02 b\n\n## 2024-01-03 c\n\n## d\n\n## e\n\n## f\n\n## g\n";
        assert_eq!(log_entries(mostly_undated), None);
        // A date inside code is text like any other, but `# ` in a fence is
        // no heading.
        let fenced = "```\n## 2024-01-01 a\n## 2024-01-02 b\n## 2024-01-03 c\n```\n";
        assert_eq!(log_entries(fenced), None);
        // A timeline's days, however many, are one incident's.
        let days = "# Gradle failures\n\n## Timeline (all times in PST/PDT)\n\n\
            ### 2019-09-01\n\n- 10:00 a\n\n### 2019-09-16\n\n- 11:00 b\n\n\
            ### 2019-12-06\n\n- 12:00 c\n\n### 2019-12-09\n\n- 13:00 d\n\n\
            ## Root causes\n\n### Tooling\n\nX.\n";
        assert_eq!(log_entries(days), None);
    }
}
