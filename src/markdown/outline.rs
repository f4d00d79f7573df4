//! One pass over a markdown body that finds what the model needs: headings
//! and their anchors, wiki links with their context, the sections by role
//! (recognised by [`SectionNames`], the one place that knows their names),
//! the summary, cause and impact text, the rows of the timeline (a table or
//! a list) and the action items (a table, a task list or plain bullets).

use std::ops::Range;

use pulldown_cmark::{Event, HeadingLevel, LinkType, Tag, TagEnd};

use self::emptiness::Emptiness;
use self::labels::{LeadLabel, Seen, label_name};
use self::link_context::{Block, finish_block};
use self::tables::TableState;
use super::items::{
    item_rows, may_open_row, parse_action_item, parse_stated_time, status_timeline, update_heading,
    zone_statement,
};
use super::{Anchors, slugify_heading};
use crate::model::{Heading, Outline, RawTimelineRow, SectionSpan, WikiLink};
use crate::sections::{Role, SectionNames};

mod emptiness;
mod labels;
mod link_context;
pub(crate) mod md_links;
mod paragraphs;
mod tables;
mod timeline_text;

/// The level a section opened by a bold label is given: below every
/// heading, so that any heading after it ends it.
const LABEL_LEVEL: u8 = 7;

/// Scans `text[body]`; every offset it records is into `text`.
#[cfg(test)]
pub(crate) fn scan(text: &str, body: Range<usize>, names: &SectionNames) -> Outline {
    scan_in(text, body, names, "", &[])
}

/// [`scan`] of a file in `folder` under the content folder (`""` at its
/// top), which its relative markdown links start from. `fields_at` are the
/// starts of the lines, in order, that hold fields (labelled lines in a
/// file without front matter): a paragraph starting on one is no first
/// paragraph.
pub(crate) fn scan_in(
    text: &str,
    body: Range<usize>,
    names: &SectionNames,
    folder: &str,
    fields_at: &[usize],
) -> Outline {
    let base = body.start;
    let end = body.end;
    // Admonitions read as the title and quote they stand for; offsets hold.
    let rewritten = super::dialects::rewritten(text, body.clone());
    let text = rewritten.as_ref();
    let mut scanner = Scanner::new(names, folder, text, fields_at);
    let mut emptiness = Emptiness::default();
    for (event, range) in super::parser(&text[body]).into_offset_iter() {
        let range = range.start + base..range.end + base;
        emptiness.observe(&event, &range);
        scanner.event(event, range);
    }
    scanner.close_section(end);
    // The end of the body closes every section, as a heading of level 0 would.
    close_span(&mut scanner.recurrence, 0, end, &mut scanner.out.recurrence_spans);
    close_span(&mut scanner.related, 0, end, &mut scanner.out.related_spans);
    let mut out = scanner.out;
    status_timeline(&mut out, scanner.status_updates);
    // A write-up with no Timeline section may still list its rows.
    if let (true, Some(rows)) = (out.timeline.is_empty(), scanner.loose_timeline) {
        out.timeline_offset = rows.first().map(|row| row.offset);
        out.timeline = rows;
    }
    out.root_cause = out.root_cause.trim().to_string();
    out.impact = out.impact.trim().to_string();
    out.empty_sections = emptiness.finish();
    out
}

/// Where [`scan`] is in the document, and what it has found so far.
struct Scanner<'n> {
    names: &'n SectionNames,
    /// The document's text, and the starts of its lines holding fields.
    text: &'n str,
    fields_at: &'n [usize],
    /// The file's folder under the content folder, for relative links.
    folder: &'n str,
    out: Outline,
    anchors: Anchors,
    /// The role of the section being read, if it has one.
    section: Option<Role>,
    /// The open recognised section: its heading level and where it starts.
    open: Option<(u8, usize)>,
    /// The heading being read: level, explicit id, text, start offset.
    heading: Option<(u8, Option<String>, String, usize)>,
    /// A day a timeline list states on a line of its own (`**2024-02-03**`),
    /// for the clock times listed under it.
    timeline_day: Option<String>,
    /// A heading of the timeline that names only a time (`### 14:05 UTC`,
    /// `### 8:20 - 8:24`): where it starts, the time, and what a span or a
    /// guess in it says (`" (until 8:24)"`), for the event to end with.
    /// The paragraph or item under it is its event.
    timeline_heading: Option<(usize, String, String)>,
    paragraph: Option<String>,
    /// Where each line of the paragraph being read starts: in its text, and
    /// in the file (a timeline written as lines of one paragraph).
    paragraph_lines: Vec<(usize, usize)>,
    /// Where each `<br>` of the paragraph being read ends, as
    /// `paragraph_lines`: a paragraph that sets its rows apart with them
    /// wraps each row over lines of its own.
    paragraph_breaks: Vec<(usize, usize)>,
    block_stack: Vec<Block>,
    table: Option<TableState>,
    cell: Option<String>,
    code_depth: usize,
    /// The text of a code block of the Timeline section (rows pasted as
    /// plain text), and where each of its lines starts: in it, and in the
    /// file, as `paragraph_lines` for a paragraph.
    timeline_code: Option<(String, Vec<(usize, usize)>)>,
    /// Status updates as a status page posts them, outside any timeline.
    status_updates: Vec<RawTimelineRow>,
    /// The top-level list being read outside the Timeline and Action Items
    /// sections, while every item of it is a timeline row: its rows and
    /// its items. `None` once an item is not one.
    loose_list: Option<(Vec<RawTimelineRow>, usize)>,
    /// The first such list of [`LOOSE_ROWS`] rows or more: the timeline of
    /// a write-up that has no Timeline section.
    loose_timeline: Option<Vec<RawTimelineRow>>,
    /// A heading outside the timeline over a status update (`### Update
    /// 26.08.2022 17:00 Uhr:`): where it starts, its time and the state it
    /// names. The paragraph under it is what was said.
    update_heading: Option<(usize, String, Option<&'static str>)>,
    list_depth: usize,
    quote_depth: usize,
    /// The top-level list item being read: offset, text, task mark.
    item: Option<(usize, String, Option<bool>)>,
    /// Where each line of that item starts: in its text, and in the file
    /// (a timeline item continued by a line of its own), as
    /// `paragraph_lines` for a paragraph.
    item_lines: Vec<(usize, usize)>,
    /// A bold run that may open the paragraph being read as a label.
    lead: LeadLabel,
    /// The bold label that opened the paragraph being read as a section.
    label: Option<String>,
    /// The bold run that opened the paragraph being read, naming no section.
    bold_lead: Option<String>,
    /// The open "Recurrence" section: its heading's level and start.
    recurrence: Option<(u8, usize)>,
    /// The open list of related incidents: its heading's level and start.
    related: Option<(u8, usize)>,
}

/// Closes the section found by its heading that `open` holds (its level
/// and start), when a heading of `level` at `start` ends it: one of its
/// level or above. Its range goes to `spans`.
fn close_span(
    open: &mut Option<(u8, usize)>,
    level: u8,
    start: usize,
    spans: &mut Vec<Range<usize>>,
) {
    if let Some((open_level, from)) = *open {
        if level <= open_level {
            spans.push(from..start);
            *open = None;
        }
    }
}

impl<'n> Scanner<'n> {
    fn new(
        names: &'n SectionNames,
        folder: &'n str,
        text: &'n str,
        fields_at: &'n [usize],
    ) -> Self {
        Scanner {
            names,
            text,
            fields_at,
            folder,
            out: Outline::default(),
            anchors: Anchors::default(),
            section: None,
            open: None,
            heading: None,
            timeline_day: None,
            timeline_heading: None,
            paragraph: None,
            paragraph_lines: Vec::new(),
            paragraph_breaks: Vec::new(),
            item_lines: Vec::new(),
            block_stack: Vec::new(),
            table: None,
            cell: None,
            code_depth: 0,
            timeline_code: None,
            status_updates: Vec::new(),
            update_heading: None,
            loose_list: None,
            loose_timeline: None,
            list_depth: 0,
            quote_depth: 0,
            item: None,
            lead: LeadLabel::default(),
            label: None,
            bold_lead: None,
            recurrence: None,
            related: None,
        }
    }

    fn event(&mut self, event: Event<'_>, range: Range<usize>) {
        if !matches!(event, Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph)) {
            match self.lead.inline(&event) {
                Seen::Nothing => {}
                Seen::Bold(bold) => self.bold_label(bold),
                Seen::Released(held) => push_text(&mut self.out, self.section, &held),
            }
        }
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                self.heading = Some((
                    heading_level(level),
                    id.map(|s| s.to_string()),
                    String::new(),
                    range.start,
                ));
                self.block_stack.push(Block::default());
            }
            Event::End(TagEnd::Heading(_)) => self.end_heading(),
            Event::Start(Tag::Paragraph) => {
                let top_level = self.list_depth == 0
                    && self.quote_depth == 0
                    && self.item.is_none()
                    && self.cell.is_none()
                    && self.heading.is_none();
                if top_level {
                    self.lead.paragraph(range.start);
                } else {
                    self.lead.stop();
                }
                self.paragraph = Some(String::new());
                self.paragraph_lines.clear();
                self.paragraph_lines.push((0, range.start));
                self.paragraph_breaks.clear();
                if self.item.is_none() && self.cell.is_none() {
                    self.block_stack.push(Block::default());
                }
            }
            Event::End(TagEnd::Paragraph) => self.end_paragraph(),
            Event::Start(Tag::Item) if self.item.is_none() => {
                self.item = Some((range.start, String::new(), None));
                self.item_lines.clear();
                self.item_lines.push((0, range.start));
                self.block_stack.push(Block::default());
            }
            Event::End(TagEnd::Item) => self.end_item(),
            Event::Start(Tag::List(_)) => {
                if self.list_depth == 0 && self.quote_depth == 0 {
                    let loose = !matches!(self.section, Some(Role::Timeline | Role::ActionItems));
                    self.loose_list = loose.then(|| (Vec::new(), 0));
                }
                self.list_depth += 1;
            }
            Event::End(TagEnd::List(_)) => {
                self.list_depth = self.list_depth.saturating_sub(1);
                if self.list_depth == 0 {
                    self.end_loose_list();
                }
            }
            Event::Start(Tag::BlockQuote(_)) => self.quote_depth += 1,
            Event::End(TagEnd::BlockQuote(_)) => {
                self.quote_depth = self.quote_depth.saturating_sub(1);
            }
            Event::TaskListMarker(checked) => {
                if let Some((_, _, mark)) = self.item.as_mut() {
                    *mark = Some(checked);
                }
            }
            Event::Start(Tag::CodeBlock(_)) => self.start_code_block(),
            Event::End(TagEnd::CodeBlock) => self.end_code_block(),
            Event::Text(t) if self.code_depth > 0 => self.code_text(&t, range.start),
            Event::Start(Tag::Table(_) | Tag::TableHead | Tag::TableRow | Tag::TableCell)
            | Event::End(
                TagEnd::TableHead | TagEnd::TableRow | TagEnd::TableCell | TagEnd::Table,
            ) => self.table_event(&event, &range),
            Event::Start(Tag::Link {
                link_type: LinkType::WikiLink { has_pothole },
                dest_url,
                ..
            }) => self.wiki_link(&dest_url, has_pothole, range),
            // A markdown link to another postmortem file is a link between
            // incidents too (see `md_links`).
            Event::Start(Tag::Link { link_type, dest_url, .. }) if self.code_depth == 0 => {
                if let Some(target) = md_links::markdown_link_target(&dest_url, self.folder) {
                    self.note_destination(link_type, &range);
                    self.wiki_link(&target, true, range);
                } else if let Some(path) = md_links::archive_path(&dest_url) {
                    self.out.file_links.push(path);
                }
            }
            Event::Start(Tag::Image {
                link_type: LinkType::WikiLink { has_pothole },
                dest_url,
                ..
            }) => {
                if md_links::is_note(&dest_url) {
                    // A note embedded whole is a link to it.
                    self.wiki_link(&dest_url, has_pothole, range);
                } else {
                    self.out.embeds.push(dest_url.trim().to_string());
                }
            }
            Event::Start(Tag::Image { dest_url, .. }) if self.code_depth == 0 => {
                if let Some(path) = md_links::archive_path(&dest_url) {
                    self.out.images.push((path, range));
                }
            }
            Event::Text(t) | Event::Code(t) => self.text(&t),
            Event::SoftBreak | Event::HardBreak => self.line_break(range.end),
            Event::Start(Tag::HtmlBlock) => {
                if let Some(html) = self.text.get(range.clone()) {
                    self.html_images(html, &range);
                    if self.list_depth == 0 && self.quote_depth == 0 {
                        self.html_block(html, range.start);
                    }
                }
            }
            // `<br>` breaks a line as a line end does: a timeline written
            // as a paragraph may set its rows apart with it, mid-line.
            Event::InlineHtml(html) if is_line_break(&html) => {
                self.out.has_raw_html = true;
                self.out.raw_html += 1;
                self.out.inline_tags.push(range.clone());
                if let Some(p) = &self.paragraph {
                    self.paragraph_breaks.push((p.len(), range.end));
                }
                self.line_break(range.end);
            }
            Event::InlineHtml(html) => {
                self.out.inline_tags.push(range.clone());
                self.html_images(&html, &range);
                self.out.has_raw_html = true;
                self.out.raw_html += 1;
            }
            Event::Html(_) => {
                self.out.has_raw_html = true;
                self.out.raw_html += 1;
            }
            _ => {}
        }
    }

    /// Lists the images of a piece of raw HTML kept in the archive, as
    /// markdown images are listed.
    fn html_images(&mut self, html: &str, range: &Range<usize>) {
        for src in md_links::html_image_sources(html) {
            if let Some(path) = md_links::archive_path(&src) {
                self.out.images.push((path, range.clone()));
            }
        }
    }

    fn end_heading(&mut self) {
        if let Some((level, id, text, start)) = self.heading.take() {
            let text = text.trim().to_string();
            let anchor = self.anchors.unique(id.unwrap_or_else(|| slugify_heading(&text)));
            // The first heading of a body is its title when it is a `# `
            // that names no section ("Summary" is one, set off with `===`
            // as often as with `# `).
            // A block of fields headed as one ("# Metadata") is not what
            // the write-up is about: the heading after it may be the title.
            let first =
                self.out.headings.iter().all(|h| crate::sections::is_metadata_heading(&h.text));
            let named = if level > 3 { None } else { self.names.role_of(&text) };
            // Deeper headings under Action Items or a Timeline group what
            // it holds (`### Detection` actions, `### Mitigation` as a
            // phase of the timeline): no section of their own.
            let grouping = matches!(self.section, Some(Role::ActionItems | Role::Timeline))
                && self.open.is_some_and(|(open_level, _)| level > open_level);
            let named = named.filter(|_| !grouping);
            // "# Summary of the cache stampede", "# Retrospective: Order
            // queue stalled": a section's name, then a subject, opening
            // the file is its title.
            let titled =
                level == 1 && first && named.is_some() && self.names.names_a_subject(&text);
            let named = named.filter(|_| !titled);
            let is_title = level == 1 && first && named.is_none();
            let role = if is_title { None } else { named };
            match role {
                Some(role) => {
                    self.close_section(start);
                    self.section = Some(role);
                    self.open = Some((level, start));
                    self.timeline_day = None;
                    // "## Timeline (all times CEST)" states the zone of
                    // its rows, as a line under it would.
                    if role == Role::Timeline && self.out.timeline_zone.is_none() {
                        self.out.timeline_zone = zone_statement(&text);
                    }
                }
                // A heading of the open section's level or above ends it;
                // deeper ones ("### What went well") are part of it.
                None if self.open.is_none_or(|(open_level, _)| level <= open_level) => {
                    self.close_section(start);
                    self.section = None;
                }
                None => {}
            }
            self.timeline_heading = None;
            self.update_heading = None;
            if role.is_none() && self.section == Some(Role::Timeline) {
                self.timed_heading(&text, start);
            } else if role.is_none() && !is_title {
                self.update_heading =
                    update_heading(&text).map(|(time, state)| (start, time, state));
            }
            close_span(&mut self.recurrence, level, start, &mut self.out.recurrence_spans);
            if level > 1 && crate::sections::is_recurrence_heading(&text) {
                self.recurrence = Some((level, start));
            }
            close_span(&mut self.related, level, start, &mut self.out.related_spans);
            if crate::sections::is_related_heading(&text) {
                self.out.lists_related = true;
                if level > 1 && self.related.is_none() {
                    self.related = Some((level, start));
                }
            }
            let out = &mut self.out;
            // A heading that names a section is no title ("## Summary"
            // opening a file without front matter).
            if first
                && named.is_none()
                && !text.is_empty()
                && !crate::sections::is_metadata_heading(&text)
            {
                out.first_heading = Some(text.clone());
            }
            if level == 2 {
                out.sections.push(text.to_lowercase());
            }
            out.headings.push(Heading { level, text, anchor });
        }
        finish_block(&mut self.block_stack, &mut self.out);
    }

    /// A paragraph opened with a bold run: when it names a section role,
    /// the section starts where the paragraph does, as after a heading.
    fn bold_label(&mut self, bold: String) {
        let Some(role) = label_name(&bold).and_then(|name| self.names.role_of(name)) else {
            push_text(&mut self.out, self.section, &bold);
            self.bold_lead = Some(bold);
            return;
        };
        let start = self.lead.start();
        self.close_section(start);
        self.section = Some(role);
        self.open = Some((LABEL_LEVEL, start));
        self.timeline_day = None;
        self.label = Some(bold);
    }

    /// Ends the open recognised section at `end`.
    fn close_section(&mut self, end: usize) {
        if let (Some((_, start)), Some(role)) = (self.open.take(), self.section) {
            self.out.section_spans.push(SectionSpan { role, range: start..end.max(start) });
        }
    }

    /// The end of a list item. Under Action Items, an item of a top-level
    /// list is an action (a task-list box gives its status; the text may
    /// name an owner and a due date); under Timeline, an item that starts
    /// with a time is a row; anywhere, "Time to detection: 54 minutes".
    fn end_item(&mut self) {
        if self.list_depth <= 1 {
            if let Some((offset, untrimmed, checked)) = self.item.take() {
                let text = untrimmed.trim();
                if let Some(minutes) = parse_stated_time(text) {
                    minutes.fill(&mut self.out.stated);
                }
                if let Some((rows, items)) = self.loose_list.as_mut() {
                    // Most items open with a word no row's time starts with.
                    let found = if may_open_row(text) {
                        item_rows(&untrimmed, &self.item_lines)
                    } else {
                        Vec::new()
                    };
                    *items += 1;
                    if found.is_empty() {
                        self.loose_list = None;
                    } else {
                        rows.extend(
                            found.into_iter().map(|(offset, time, event)| RawTimelineRow {
                                time,
                                event,
                                offset,
                            }),
                        );
                    }
                }
                match self.section {
                    Some(Role::ActionItems) if !text.is_empty() => {
                        let mut item = parse_action_item(text);
                        item.offset = offset;
                        if let Some(done) = checked {
                            item.status = Some(if done { "done" } else { "open" }.to_string());
                        }
                        self.out.action_items.push(item);
                    }
                    Some(Role::Timeline) => {
                        let under_heading = self.timeline_heading.take();
                        let rows = item_rows(&untrimmed, &self.item_lines);
                        if !rows.is_empty() {
                            for (offset, time, event) in rows {
                                self.timeline_row(offset, time, event);
                            }
                        } else if let Some((at, time, note)) = under_heading {
                            self.timeline_row(at, time, format!("{text}{note}"));
                        }
                    }
                    // A summary written as bullets is summed up by its first.
                    Some(Role::Summary)
                        if self.out.summary_item.is_none()
                            && self.quote_depth == 0
                            && !text.is_empty() =>
                    {
                        self.out.summary_item = Some(text.to_string());
                    }
                    _ => {}
                }
                finish_block(&mut self.block_stack, &mut self.out);
            }
        }
        push_text(&mut self.out, self.section, "\n");
    }

    /// Notes where the destination of the inline link to another write-up
    /// written at `range` is: the `(…)` closing it.
    fn note_destination(&mut self, link_type: LinkType, range: &Range<usize>) {
        let written = self.text.get(range.clone()).unwrap_or_default();
        if link_type == LinkType::Inline && written.ends_with(')') {
            let destination = written.rfind("](").map(|at| range.start + at + 1..range.end);
            self.out.link_destinations.extend(destination);
        }
    }

    fn wiki_link(&mut self, dest_url: &str, has_label: bool, span: Range<usize>) {
        let index = self.out.links.len();
        self.out.links.push(WikiLink::to(dest_url, has_label, span, String::new()));
        if let Some(block) = self.block_stack.last_mut() {
            block.links.push((index, block.text.len()));
        }
    }

    /// The texts being gathered that inline text goes to; a heading's
    /// only when `heading` (a line break is not part of a heading).
    fn gathering(&mut self, heading: bool) -> impl Iterator<Item = &mut String> {
        [
            self.heading.as_mut().filter(|_| heading).map(|h| &mut h.2),
            self.paragraph.as_mut(),
            self.cell.as_mut(),
            self.item.as_mut().map(|i| &mut i.1),
            self.block_stack.last_mut().map(|b| &mut b.text),
        ]
        .into_iter()
        .flatten()
    }

    fn text(&mut self, t: &str) {
        if self.code_depth > 0 {
            return;
        }
        for buf in self.gathering(true) {
            buf.push_str(t);
        }
        // A heading closes the section before it; it is not its text. Nor is
        // a bold label, held back until it is known to be one.
        if self.heading.is_none() && !self.lead.holding() {
            push_text(&mut self.out, self.section, t);
        }
    }

    fn line_break(&mut self, next_line: usize) {
        if let Some((_, text, _)) = self.item.as_ref().filter(|_| self.list_depth == 1) {
            self.item_lines.push((text.len(), next_line));
        }
        for buf in self.gathering(false) {
            buf.push(' ');
        }
        if let Some(p) = &self.paragraph {
            self.paragraph_lines.push((p.len(), next_line));
        }
        if !self.lead.holding() {
            push_text(&mut self.out, self.section, " ");
        }
    }
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// The rows a list outside any Timeline section needs, at least, to be
/// the timeline of a write-up without one: fewer are as often a few
/// times named in passing.
const LOOSE_ROWS: usize = 3;

impl Scanner<'_> {
    /// The end of a top-level list: when every item of it was a timeline
    /// row, and there are enough, it is the timeline-to-be.
    fn end_loose_list(&mut self) {
        if let Some((rows, items)) = self.loose_list.take() {
            if items >= LOOSE_ROWS && self.loose_timeline.is_none() {
                self.loose_timeline = Some(rows);
            }
        }
    }
}

/// Whether a piece of inline HTML is a line break: `<br>`, `<br/>`, `<br />`.
pub(crate) fn is_line_break(html: &str) -> bool {
    let tag = html.trim().trim_start_matches('<').trim_end_matches('>').trim_end_matches('/');
    tag.trim().eq_ignore_ascii_case("br")
}

/// Adds text to the section it belongs to.
fn push_text(out: &mut Outline, section: Option<Role>, t: &str) {
    match section {
        Some(Role::Cause) => out.root_cause.push_str(t),
        Some(Role::Impact) => out.impact.push_str(t),
        _ => {}
    }
}

#[cfg(test)]
mod tests;
