//! Markdown body → HTML: heading anchors, resolved wiki links, highlighted
//! code, safe URLs, and sanitised raw HTML.

use std::ops::Range;

use pulldown_cmark::{
    BlockQuoteKind, CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Tag, TagEnd,
};
use pulldown_cmark_escape::{escape_href, escape_html};

#[cfg(test)]
use self::safety::is_safe_url;
use self::safety::{is_inline_image, safe_url, sanitize};
use super::action_marks::{ActionMark, ActionMarker};
use super::highlight::{HighlightBudget, highlight};
use super::outline::md_links;
use super::plain_text::PlainText;
use crate::model::Outline;

/// How one wiki link of the body renders, in document order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum LinkRender {
    /// Another incident (or a heading of this one): `href` is relative to the
    /// page; `title` replaces the text of a label-less link.
    Internal {
        /// Relative URL.
        href: String,
        /// The target's title, or heading text; or, for a link that
        /// wrote its label first, that label.
        title: String,
        /// `title` replaces the text the link shows even though it has a
        /// label: the page name after the bar.
        label_first: bool,
    },
    /// A configured outside prefix such as `runbook-`.
    External {
        /// Absolute URL.
        href: String,
    },
    /// No page to link to, and nothing wrong (a journal day): its text.
    Text,
    /// Nothing matched: shown as a visibly broken link, never a dead href.
    Broken {
        /// The target as written.
        target: String,
    },
}

/// The page a body is rendered for.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Page<'a> {
    /// The incident's title: a body that opens with it as a `# ` heading
    /// loses that heading.
    pub(crate) title: &'a str,
    /// The page's folder under the content folder, and the content folder:
    /// an image kept outside the content folder is shown from where it is
    /// published under the page (see [`crate::model::image_under_page`]).
    pub(crate) folder: &'a str,
    pub(crate) content_dir: &'a str,
}

impl Page<'_> {
    /// The source an image written as `src` is shown from, when it is not
    /// `src` itself: the image is published under the page.
    fn image_source(&self, src: &str) -> Option<String> {
        let path = md_links::archive_path(src)?;
        crate::model::image_under_page(&path, self.folder, self.content_dir)
    }

    /// The address a link to a file of the archive (`../logs/run.log`) has
    /// on the site, when it is not `dest` itself: a file out of the page's
    /// folder is published under the page, as such an image is. A link
    /// from the site's root may name another part of the host's site.
    fn file_link(&self, dest: &str) -> Option<String> {
        let path = md_links::archive_path(dest).filter(|p| !p.starts_with('/'))?;
        crate::model::image_under_page(&path, self.folder, self.content_dir)
    }
}

/// The rendered body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RenderedBody {
    /// Safe HTML.
    pub(crate) html: String,
    /// The body's plain text, for the search index.
    pub(crate) plain: String,
}

/// Renders `text[body]`. `outline` must be the scan of the same text (its
/// heading anchors are reused so links and ids agree), and `links` holds one
/// entry per wiki link in the order the scan found them. A body that opens
/// with a `# ` heading saying `title` loses it: the page shows the title
/// already, and a title written twice reads as a mistake. `actions` holds
/// one mark per action item of the outline (or none, to leave them as
/// written). Images kept outside the content folder are shown from where
/// they are published under `page`.
pub(crate) fn render_html(
    text: &str,
    body: Range<usize>,
    outline: &Outline,
    links: &[LinkRender],
    actions: &[ActionMark],
    allow_raw_html: bool,
    page: &Page<'_>,
) -> RenderedBody {
    let mut plain = PlainText::with_capacity(body.len());
    let mut rewriter = Rewriter::new(outline, links, page);
    let mut marker = ActionMarker::new(&outline.action_items, actions);
    // The Timeline section's table: the page shows it once, as the
    // vertical timeline, drawn where this marker is left.
    let timeline_at = outline.timeline_offset.filter(|_| !outline.timeline.is_empty());
    let mut in_timeline_table = false;
    // Where each timeline row starts: a row written as a line of a
    // paragraph, or of a list item continued without a bullet, keeps its
    // own line, as it does in the timeline drawn above the body.
    let mut row_starts: Vec<usize> = outline.timeline.iter().map(|row| row.offset).collect();
    row_starts.sort_unstable();
    let base = body.start;
    // As the scan read it (see `dialects`): the same offsets.
    let rewritten = super::dialects::rewritten(text, body.clone());
    let text = rewritten.as_ref();
    // Inside an embed of a note, which shows as a link to it.
    let mut in_note_embed = false;
    for (event, range) in super::parser(&text[body]).into_offset_iter() {
        plain.observe(&event);
        // A markdown link the scan counted as a link between incidents (see
        // `outline::md_links`) renders as the wiki link it resolved to.
        let event = match event {
            Event::Start(Tag::Link { link_type, dest_url, title, id })
                if !matches!(link_type, LinkType::WikiLink { .. })
                    && outline
                        .links
                        .get(rewriter.link_index)
                        .is_some_and(|l| l.span == (range.start + base..range.end + base)) =>
            {
                let link_type = LinkType::WikiLink { has_pothole: true };
                Event::Start(Tag::Link { link_type, dest_url, title, id })
            }
            // A note embedded whole (`![[Redis failover 2023-04]]`) is a
            // link to it, as the scan counted it (see `md_links::is_note`).
            Event::Start(Tag::Image {
                link_type: link_type @ LinkType::WikiLink { .. },
                dest_url,
                title,
                id,
            }) if md_links::is_note(&dest_url) => {
                in_note_embed = true;
                Event::Start(Tag::Link { link_type, dest_url, title, id })
            }
            Event::End(TagEnd::Image) if in_note_embed => {
                in_note_embed = false;
                Event::End(TagEnd::Link)
            }
            other => other,
        };
        if in_timeline_table {
            match event {
                Event::End(TagEnd::Table) => in_timeline_table = false,
                // Its wiki links still count, so later links keep their targets.
                Event::Start(Tag::Link { link_type: LinkType::WikiLink { .. }, .. }) => {
                    rewriter.link_index += 1;
                }
                _ => {}
            }
            continue;
        }
        if matches!(event, Event::Start(Tag::Table(_))) && timeline_at == Some(range.start + base) {
            in_timeline_table = true;
            rewriter.events.push(Event::Html(TIMELINE_MARKER.into()));
            continue;
        }
        let event = match event {
            // Lines of labelled fields ("**Date:** …", "Severity: …") were
            // lines to their writer: they stay lines, not one run of text.
            Event::SoftBreak
                if between_labelled_lines(text, range.start + base, range.end + base) =>
            {
                Event::HardBreak
            }
            // A status update's posting time keeps its own line.
            Event::SoftBreak if before_posting_time(text, range.end + base) => Event::HardBreak,
            Event::SoftBreak if row_starts.binary_search(&(range.end + base)).is_ok() => {
                Event::HardBreak
            }
            // Past the bound, raw HTML is shown as text (see MAX_RAW_HTML).
            Event::Html(h) | Event::InlineHtml(h)
                if outline.raw_html > super::MAX_RAW_HTML && !allow_raw_html =>
            {
                Event::Text(h)
            }
            other => other,
        };
        if let Some(html) = marker.before(&event) {
            rewriter.events.push(Event::InlineHtml(html.into()));
        }
        let after = marker.after(&event, range.start + base);
        rewriter.event(event);
        if let Some(html) = after {
            rewriter.events.push(Event::InlineHtml(html.into()));
        }
    }
    let mut events = rewriter.events;
    if let Some(start) = opens_with_title(&events, outline, page.title) {
        let end = events
            .iter()
            .position(|e| matches!(e, Event::End(TagEnd::Heading(HeadingLevel::H1))))
            .map_or(start, |i| i + 1);
        events.drain(start..end.max(start));
    }
    let mut html = String::with_capacity(body_len_hint(text));
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    if html.contains(" style=\"text-align: ") {
        html = alignment_classes(&html);
    }
    if html.contains("></th>") {
        html = without_empty_heads(&html);
    }
    if outline.has_raw_html && !allow_raw_html {
        html = sanitize(&html, page);
    }
    RenderedBody { html, plain: plain.into_string() }
}

/// Where the body's timeline table was: the incident page draws its
/// vertical timeline here.
pub(crate) const TIMELINE_MARKER: &str = "<!--hindsight:timeline-->";

/// Table cells aligned with `:---`, `:---:` or `---:` carry a class, not
/// the `style` attribute pulldown-cmark writes: the pages' Content
/// Security Policy forbids inline styles, and the theme aligns the classes.
fn alignment_classes(html: &str) -> String {
    html.replace(" style=\"text-align: left\"", " class=\"align-left\"")
        .replace(" style=\"text-align: center\"", " class=\"align-center\"")
        .replace(" style=\"text-align: right\"", " class=\"align-right\"")
}

/// Tables without the header rows that name nothing: a table of fields
/// exported from a notes app or a wiki opens with `| | |`, and a header
/// of empty cells tells a screen reader nothing about the columns. Only
/// the HTML pulldown-cmark wrote is read, never a writer's own.
fn without_empty_heads(html: &str) -> String {
    const OPEN: &str = "<thead><tr>";
    const CLOSE: &str = "</tr></thead>";
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find(OPEN) {
        let cells_at = start + OPEN.len();
        let Some(len) = rest.get(cells_at..).and_then(|r| r.find(CLOSE)) else { break };
        let cells = rest.get(cells_at..cells_at + len).unwrap_or_default();
        // Each cell an opening `<th …>` with nothing after it.
        let empty = cells.split("</th>").map(str::trim).all(|cell| {
            cell.is_empty()
                || (cell.starts_with("<th")
                    && cell.ends_with('>')
                    && cell.matches('<').count() == 1)
        });
        let end = cells_at + len + CLOSE.len();
        out.push_str(rest.get(..start).unwrap_or_default());
        if !empty {
            out.push_str(rest.get(start..end).unwrap_or_default());
        }
        rest = rest.get(end..).unwrap_or_default();
    }
    out.push_str(rest);
    out
}

/// Where the body's opening level-1 heading starts, when it names the
/// page's title (see [`names_the_title`]); only comments may come before
/// it, as an exported issue opens with one.
fn opens_with_title(events: &[Event<'_>], outline: &Outline, title: &str) -> Option<usize> {
    let is_comment = |e: &Event<'_>| match e {
        Event::Start(Tag::HtmlBlock) | Event::End(TagEnd::HtmlBlock) => true,
        Event::Html(html) => html.trim().starts_with("<!--") && html.trim().ends_with("-->"),
        _ => false,
    };
    let start = events.iter().position(|e| !is_comment(e))?;
    let opens = matches!(
        events.get(start),
        Some(Event::Start(Tag::Heading { level: HeadingLevel::H1, .. }))
    );
    let first = outline.headings.first();
    (opens && first.is_some_and(|h| h.level == 1 && names_the_title(&h.text, title)))
        .then_some(start)
}

/// True when a heading says the title again: the same words without case,
/// or nearly the same once a label before a colon is dropped
/// ("Postmortem: expired certificate on eu-west edge" under the title
/// "Expired certificate on the eu-west edge load balancers"): a Dice
/// coefficient of their words of 0.6 or more.
fn names_the_title(heading: &str, title: &str) -> bool {
    if heading.trim().eq_ignore_ascii_case(title.trim()) {
        return true;
    }
    let unlabelled = |s: &'_ str| -> String {
        let s = s.trim();
        let rest = s.split_once(':').filter(|(label, _)| label.split_whitespace().count() <= 3);
        rest.map_or(s, |(_, rest)| rest).to_lowercase()
    };
    let words = |s: &str| -> std::collections::BTreeSet<String> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    };
    let (a, b) = (words(&unlabelled(heading)), words(&unlabelled(title)));
    let shared = a.intersection(&b).count();
    a.len() >= 2 && 5 * 2 * shared >= 3 * (a.len() + b.len())
}

/// Turns the parser's events into the ones the page shows: anchors on
/// headings, wiki links resolved, code highlighted, URLs made safe, tables
/// wrapped so they scroll.
struct Rewriter<'o> {
    outline: &'o Outline,
    links: &'o [LinkRender],
    page: &'o Page<'o>,
    events: Vec<Event<'o>>,
    /// Headings and wiki links seen so far: the outline's and `links`'s
    /// entries are in the same order.
    heading_index: usize,
    link_index: usize,
    /// The anchor of the heading being read.
    current_anchor: Option<String>,
    /// One entry per open link: the closing tag to emit, if we emitted our own.
    link_closers: Vec<Option<&'static str>>,
    /// Inside a wiki link whose text is replaced by its target's title.
    skip_until_link_end: bool,
    /// Inside a code block: its language and text so far.
    code: Option<(String, String)>,
    budget: HighlightBudget,
}

impl<'o> Rewriter<'o> {
    fn new(outline: &'o Outline, links: &'o [LinkRender], page: &'o Page<'o>) -> Self {
        Rewriter {
            outline,
            links,
            page,
            events: Vec::new(),
            heading_index: 0,
            link_index: 0,
            current_anchor: None,
            link_closers: Vec::new(),
            skip_until_link_end: false,
            code: None,
            budget: HighlightBudget::default(),
        }
    }

    fn event(&mut self, event: Event<'o>) {
        if self.code.is_some() {
            return self.in_code(event);
        }
        if self.skip_until_link_end {
            return self.in_replaced_link(event);
        }
        match event {
            Event::Start(Tag::Heading { level, id: _, classes, attrs }) => {
                let anchor = self
                    .outline
                    .headings
                    .get(self.heading_index)
                    .map(|h| h.anchor.clone())
                    .unwrap_or_else(|| format!("section-{}", self.heading_index));
                self.heading_index += 1;
                self.current_anchor = Some(anchor.clone());
                let id = Some(anchor.into());
                self.events.push(Event::Start(Tag::Heading { level, id, classes, attrs }));
            }
            Event::End(TagEnd::Heading(level)) => {
                if let Some(anchor) = self.current_anchor.take() {
                    let mut a = String::from("<a class=\"anchor\" href=\"#");
                    let _ = escape_href(&mut a, &anchor);
                    a.push_str("\" aria-hidden=\"true\">#</a>");
                    self.events.push(Event::InlineHtml(a.into()));
                }
                self.events.push(Event::End(TagEnd::Heading(level)));
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info
                        .split(|c: char| c.is_whitespace() || c == ',' || c == '{')
                        .next()
                        .unwrap_or("")
                        .to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                self.code = Some((lang, String::new()));
            }
            Event::Start(Tag::Link { link_type: LinkType::WikiLink { has_pothole }, .. }) => {
                self.wiki_link(has_pothole);
            }
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                self.link_closers.push(None);
                let dest_url = match self.page.file_link(&dest_url) {
                    Some(under) => safe_url(CowStr::from(under)),
                    None => safe_url(dest_url),
                };
                self.events.push(Event::Start(Tag::Link { link_type, dest_url, title, id }));
            }
            Event::End(TagEnd::Link) => match self.link_closers.pop() {
                Some(Some(closer)) => self.events.push(Event::InlineHtml(closer.into())),
                _ => self.events.push(Event::End(TagEnd::Link)),
            },
            Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
                let dest_url = match dest_url {
                    _ if is_inline_image(&dest_url) => dest_url,
                    // Kept outside the content folder, the image is copied
                    // under the page (see `crate::attach`).
                    url => match self.page.image_source(&url) {
                        Some(under) => safe_url(CowStr::from(under)),
                        None => safe_url(url),
                    },
                };
                self.events.push(Event::Start(Tag::Image { link_type, dest_url, title, id }));
            }
            // A task-list box is a form control: without a name, a screen
            // reader announces "checkbox" and nothing else.
            Event::TaskListMarker(done) => {
                let html = if done {
                    "<input disabled=\"\" type=\"checkbox\" checked=\"\" aria-label=\"done\"/>\n"
                } else {
                    "<input disabled=\"\" type=\"checkbox\" aria-label=\"not done\"/>\n"
                };
                self.events.push(Event::InlineHtml(html.into()));
            }
            // An alert says what it is, as GitHub shows it: a quote with
            // a first line of its own, not a quote opening with "[!NOTE]".
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let (class, title) = alert_kind(kind);
                let html = format!(
                    "<blockquote class=\"alert alert-{class}\">\n<p class=\"alert-title\">{title}</p>\n"
                );
                self.events.push(Event::Html(html.into()));
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => {
                self.events.push(Event::Html("</blockquote>\n".into()));
            }
            Event::Start(Tag::Table(alignment)) => {
                // Focusable: a table wider than a phone scrolls inside it.
                self.events.push(Event::Html("<div class=\"table-wrap\" tabindex=\"0\">".into()));
                self.events.push(Event::Start(Tag::Table(alignment)));
            }
            Event::End(TagEnd::Table) => {
                self.events.push(Event::End(TagEnd::Table));
                self.events.push(Event::Html("</div>".into()));
            }
            other => self.events.push(other),
        }
    }

    /// Inside a code block: gathers its text, then writes it highlighted.
    fn in_code(&mut self, event: Event<'o>) {
        match event {
            Event::Text(t) => {
                if let Some((_, buf)) = self.code.as_mut() {
                    buf.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                let (lang, buf) = self.code.take().unwrap_or_default();
                let html = code_block_html(&lang, &buf, &mut self.budget);
                self.events.push(Event::Html(html.into()));
            }
            _ => {}
        }
    }

    /// Inside a wiki link shown with its target's title: drops the written
    /// text up to the link's end.
    fn in_replaced_link(&mut self, event: Event<'o>) {
        if let Event::End(TagEnd::Link) = event {
            self.skip_until_link_end = false;
            if let Some(Some(closer)) = self.link_closers.pop() {
                self.events.push(Event::Html(closer.into()));
            }
        }
    }

    /// The start of the next wiki link, as its [`LinkRender`] says.
    fn wiki_link(&mut self, has_pothole: bool) {
        let render = self.links.get(self.link_index);
        self.link_index += 1;
        let (open, closer, label) = wiki_link_tags(render);
        self.events.push(Event::InlineHtml(open.into()));
        self.link_closers.push(Some(closer));
        let label_first = matches!(render, Some(LinkRender::Internal { label_first: true, .. }));
        if let (Some(title), false) = (label, has_pothole && !label_first) {
            self.events.push(Event::Text(title.into()));
            self.skip_until_link_end = true;
        }
    }
}

/// An alert's class and the title it shows.
fn alert_kind(kind: BlockQuoteKind) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("note", "Note"),
        BlockQuoteKind::Tip => ("tip", "Tip"),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Warning => ("warning", "Warning"),
        BlockQuoteKind::Caution => ("caution", "Caution"),
    }
}

fn body_len_hint(text: &str) -> usize {
    text.len() + text.len() / 2
}

/// Opening tag, closing tag and (for label-less internal links) the label.
fn wiki_link_tags(render: Option<&LinkRender>) -> (String, &'static str, Option<String>) {
    let mut open = String::new();
    match render {
        Some(LinkRender::Internal { href, title, .. }) => {
            open.push_str("<a class=\"wikilink\" href=\"");
            let _ = escape_href(&mut open, href);
            open.push_str("\">");
            (open, "</a>", Some(title.clone()))
        }
        Some(LinkRender::External { href }) => {
            open.push_str("<a class=\"wikilink external\" href=\"");
            let _ = escape_href(&mut open, href);
            open.push_str("\" rel=\"noopener\">");
            (open, "</a>", None)
        }
        Some(LinkRender::Text) => ("<span>".into(), "</span>", None),
        Some(LinkRender::Broken { target }) => {
            open.push_str("<span class=\"broken-link\" title=\"Unresolved link: ");
            let _ = escape_html(&mut open, target);
            open.push_str("\">");
            (open, "</span>", None)
        }
        None => ("<span class=\"broken-link\">".into(), "</span>", None),
    }
}

fn code_block_html(lang: &str, code: &str, budget: &mut HighlightBudget) -> String {
    let mut out = String::with_capacity(code.len() * 2 + 64);
    // Focusable, so a keyboard can scroll a long line into view.
    out.push_str("<pre class=\"code\" tabindex=\"0\"");
    if !lang.is_empty() {
        out.push_str(" data-lang=\"");
        let _ = escape_html(&mut out, lang);
        out.push('"');
    }
    out.push_str("><code>");
    match highlight(code, lang, budget) {
        Some(highlighted) => out.push_str(&highlighted),
        None => {
            let _ = escape_html(&mut out, code);
        }
    }
    out.push_str("</code></pre>\n");
    out
}

/// True when the line break at `at..end` of `text` ends a labelled line
/// and starts another (see [`is_labelled_line`]).
fn between_labelled_lines(text: &str, at: usize, end: usize) -> bool {
    let before = text.get(..at).unwrap_or_default();
    let line = before.rsplit('\n').next().unwrap_or_default();
    let after = text.get(end..).unwrap_or_default();
    let next = after.split('\n').next().unwrap_or_default();
    is_labelled_line(line) && is_labelled_line(next)
}

/// True when the line of `text` from `at` is when a status update was
/// posted (`Jun 18, 2024 - 17:02 UTC`; see [`super::items::is_posting_time`]).
fn before_posting_time(text: &str, at: usize) -> bool {
    let next = text.get(at..).unwrap_or_default().split('\n').next().unwrap_or_default();
    super::items::is_posting_time(next)
}

/// True for a line that writes a label and its value, as exports and
/// templates set fields out: `**Severity:** SEV3`, `Date: 2024-05-09`,
/// `**Status**: open`, `- Owner: kim`. The label is one to four words of
/// letters: a clock time ("14:05 paged", "前一天 22:00 …") is no label.
fn is_labelled_line(line: &str) -> bool {
    let line = line.trim_start().trim_start_matches(['-', '*', '+', '>', ' ']);
    let line = line.trim_start_matches(['*', '_']);
    let Some(colon) = line.find([':', '：']) else { return false };
    let (label, rest) = line.split_at(colon);
    let label = label.trim_end_matches(['*', '_']).trim();
    let value = rest.trim_start_matches([':', '：']).trim_start_matches(['*', '_']).trim();
    let words = label.split_whitespace().count();
    (1..=4).contains(&words)
        && !value.is_empty()
        && label
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, ' ' | '-' | '/' | '(' | ')' | '\''))
}

mod safety;
#[cfg(test)]
mod tests;
