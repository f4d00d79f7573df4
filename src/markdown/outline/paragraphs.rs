//! The scan's paragraphs: what each one is to the model. A title set in
//! bold, the first prose (the summary of a file without a Summary
//! section), the Summary section's text, a timeline's lines, a status
//! update, and the hashtags that close one.

use super::super::items::{parse_stated_time, status_update};
use super::labels::after_label;
use super::link_context::finish_block;
use super::{Scanner, push_text};
use crate::model::RawTimelineRow;
use crate::sections::Role;

/// Hashtags kept per file; more are counted, not kept (see
/// [`crate::model::Outline::hashtags_dropped`]).
const MAX_HASHTAGS: usize = 128;

impl Scanner<'_> {
    pub(super) fn end_paragraph(&mut self) {
        self.lead.stop();
        let label = self.label.take();
        let bold_lead = self.bold_lead.take();
        if let Some(raw) = self.paragraph.take() {
            let p = match &label {
                Some(bold) => after_label(&raw, bold).to_string(),
                None => raw.trim().to_string(),
            };
            let top_level = self.list_depth == 0 && self.quote_depth == 0;
            // Hashtags closing it are tags, not its words.
            // (A paragraph of them alone leaves nothing: no summary, no title.)
            let p = match tag_run(&p) {
                Some((prose, tags)) if top_level => {
                    self.keep_hashtags(tags);
                    prose.to_string()
                }
                _ => p,
            };
            // All of the paragraph in bold: a title, or a label standing alone.
            let all_bold = bold_lead.is_some_and(|b| b.trim() == p);
            let a_label = p.ends_with([':', '：']);
            if top_level && all_bold && !a_label && self.is_bold_title(&p) {
                // A document exported without headings opens with its title
                // in bold: that is its first heading, not its first paragraph.
                self.out.first_heading = Some(p);
            } else if !p.is_empty() && top_level {
                // Nor are fields, or a bold label standing alone ("**Note:**").
                let not_prose =
                    (all_bold && a_label) || self.holds_fields() || self.opens_with_component();
                self.top_level_paragraph(p, &raw, not_prose);
            } else if !p.is_empty()
                && self.list_depth == 0
                && self.section == Some(Role::Summary)
                && self.out.summary_section.is_none()
            {
                // A summary set apart in a quote or an admonition is still
                // the summary.
                self.out.summary_section = Some(p);
            }
        }
        if self.item.is_none() && self.cell.is_none() {
            finish_block(&mut self.block_stack, &mut self.out);
        }
        push_text(&mut self.out, self.section, "\n");
    }

    /// Keeps a paragraph's hashtags, once each, up to a bound, as a list
    /// in front matter is: a paragraph of fifty thousand hashtags made as
    /// many tag pages, and keeping each once was quadratic.
    fn keep_hashtags(&mut self, tags: Vec<String>) {
        for tag in tags {
            if self.out.hashtags.len() >= MAX_HASHTAGS {
                self.out.hashtags_dropped += 1;
            } else if !self.out.hashtags.contains(&tag) {
                self.out.hashtags.push(tag);
            }
        }
    }

    /// A paragraph outside lists and quotes, `p` its text after any label,
    /// `raw` as written; `not_prose` when it holds fields or is a label.
    fn top_level_paragraph(&mut self, p: String, raw: &str, not_prose: bool) {
        let out = &mut self.out;
        // A timeline's or an action list's words tell no story: a file with
        // no summary is summed up by its first prose.
        let tells = !not_prose && !matches!(self.section, Some(Role::Timeline | Role::ActionItems));
        if tells && out.first_paragraph.is_none() {
            out.first_paragraph = Some(p.clone());
        } else if tells && out.next_paragraph.is_none() {
            out.next_paragraph = Some(p.clone());
        }
        if let Some(minutes) = parse_stated_time(&p) {
            minutes.fill(&mut out.stated);
        }
        match self.section {
            Some(Role::Summary) if out.summary_section.is_none() => {
                // An incident issue opens its summary with its fields: the
                // prose after them sums it up.
                if !not_prose {
                    out.summary_section = Some(p);
                }
            }
            Some(Role::Timeline) => self.timeline_paragraph(&p, raw),
            _ => {
                if let Some((offset, time, state)) = self.update_heading.take() {
                    let event = match state {
                        Some(state) => {
                            format!("{}: {p}", super::super::dialects::capitalised(state))
                        }
                        None => p,
                    };
                    self.status_updates.push(RawTimelineRow { time, event, offset });
                } else if let (Some((time, event)), Some(&(_, offset))) =
                    (status_update(raw, &self.paragraph_lines), self.paragraph_lines.first())
                {
                    self.status_updates.push(RawTimelineRow { time, event, offset });
                }
            }
        }
    }

    /// True when the paragraph being ended opens with an MDX component
    /// (`<Callout type="warning">Customer facing</Callout>`): a site's
    /// widget, whose words sum nothing up.
    fn opens_with_component(&self) -> bool {
        let Some(&(_, start)) = self.paragraph_lines.first() else { return false };
        let mut rest =
            self.text.get(start..).unwrap_or_default().bytes().skip_while(|b| *b == b' ');
        rest.next() == Some(b'<') && rest.next().is_some_and(|b| b.is_ascii_uppercase())
    }

    /// True when the paragraph being ended starts on a line holding fields.
    fn holds_fields(&self) -> bool {
        let Some(&(_, start)) = self.paragraph_lines.first() else { return false };
        let before = self.fields_at.partition_point(|&at| at <= start);
        before
            .checked_sub(1)
            .and_then(|i| self.fields_at.get(i))
            .is_some_and(|&at| self.text.get(at..start).is_some_and(|gap| gap.trim().is_empty()))
    }

    /// True when paragraph `p`, all of it bold and no label, is a title set
    /// in bold: short, and the body's first block of text, before any
    /// heading.
    fn is_bold_title(&self, p: &str) -> bool {
        let out = &self.out;
        !p.is_empty()
            && p.chars().count() <= 120
            && out.first_paragraph.is_none()
            && out.headings.is_empty()
            && out.first_heading.is_none()
    }
}

/// The hashtags that close `paragraph` and the text before them: all of
/// it (`#incident #certificates`, a notes app's tag line), or a run of two
/// or more after the prose (`… each time. #incident #database`). A lone
/// `#channel` ending a sentence is left to the prose. A hashtag is `#`
/// then a letter, then letters, digits, `-`, `_` or `/`.
fn tag_run(paragraph: &str) -> Option<(&str, Vec<String>)> {
    let is_tag = |w: &str| {
        let Some(name) = w.strip_prefix('#') else { return false };
        name.starts_with(char::is_alphabetic)
            && name.chars().all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '/'))
    };
    // Nearly every paragraph ends in a word: only a hashtag asks for more.
    if !paragraph.split_whitespace().next_back().is_some_and(is_tag) {
        return None;
    }
    // Each word with where it starts.
    let mut words: Vec<(usize, &str)> = Vec::new();
    let mut at = 0;
    for word in paragraph.split_whitespace() {
        let start = at + paragraph.get(at..)?.find(word)?;
        words.push((start, word));
        at = start + word.len();
    }
    let run = words.iter().rev().take_while(|(_, w)| is_tag(w)).count();
    if run == 0 || (run < 2 && run < words.len()) {
        return None;
    }
    let tagged = words.get(words.len() - run..)?;
    let tags = tagged.iter().map(|(_, w)| w.trim_start_matches('#').to_string()).collect();
    let prose = paragraph.get(..tagged.first()?.0)?.trim_end();
    Some((prose, tags))
}
