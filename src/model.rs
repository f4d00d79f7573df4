//! The incident model every stage after loading works on.
//!
//! Layer 1: data only, no IO. A [`Document`] is one parsed markdown file (front
//! matter still untyped); an [`Incident`] is a document whose fields passed
//! validation. Stages talk to each other only through these types.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use jiff::civil::{Date, DateTime};
use serde::Serialize;

pub(crate) use self::paths::{
    URL_PATH, content_folder, image_under_page, outside_folder, under_page, within,
};

mod paths;

/// A markdown file read from `content/`.
#[derive(Debug, Clone)]
pub struct Source {
    /// Path relative to the archive root, e.g. `content/2024-02-11-db.md`.
    pub rel_path: PathBuf,
    /// Path under `content/` without the `.md` extension, with `/` separators.
    pub content_path: String,
    /// File name without extension.
    pub stem: String,
    /// The folder under `content/` the file sits in (`""` for the top level).
    pub folder: String,
    /// The whole file as read (a UTF-8 BOM removed).
    pub text: String,
    /// The encoding the file was decoded from when it was not UTF-8
    /// (`UTF-16LE`, `windows-1252`), for the warning that says so.
    pub encoding: Option<&'static str>,
}

/// A front-matter value, kept untyped until validation.
pub(crate) type RawValue = serde_json::Value;

/// Null, an empty string or an empty list: "no value" for mapping purposes.
pub(crate) fn is_blank(v: &RawValue) -> bool {
    match v {
        RawValue::Null => true,
        RawValue::String(s) => s.trim().is_empty(),
        RawValue::Array(a) => a.is_empty(),
        _ => false,
    }
}

/// Strings, numbers and booleans as text; `None` for lists, maps and null.
pub(crate) fn scalar_string(v: &RawValue) -> Option<String> {
    match v {
        RawValue::String(s) => Some(s.clone()),
        RawValue::Number(n) => Some(n.to_string()),
        RawValue::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Where the front matter came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatterFormat {
    /// `---` delimited YAML.
    Yaml,
    /// `+++` delimited TOML.
    Toml,
    /// A JSON object opening the file, as Hugo reads it.
    Json,
    /// No front matter at all: the lenient path.
    None,
}

/// Whether a file's stem makes it its folder's own page: `index` (a page
/// bundle's) or `README` (the one a code host shows), in any case. Such a
/// page, alone in its folder or the write-up of a folder per incident, is
/// named by the folder.
pub(crate) fn is_folder_page(stem: &str) -> bool {
    stem.eq_ignore_ascii_case("index") || stem.eq_ignore_ascii_case("readme")
}

/// What a page of the site around the postmortems is, by its file's stem
/// (any case): a Hugo or Zola section's `_index`, a readme, a home page, a
/// book's contents (`SUMMARY`), a wiki's sidebar or footer. The one list
/// of these names: where such a page counts as one (at the top of the
/// content folder, or anywhere) is for each caller to say.
pub(crate) fn site_page(stem: &str) -> Option<&'static str> {
    match stem.to_ascii_lowercase().as_str() {
        "_index" => Some("a section index of Hugo or Zola"),
        "readme" => Some("the folder's readme"),
        "index" | "home" => Some("the site's home page"),
        "summary" => Some("a book's table of contents"),
        "_sidebar" | "_footer" => Some("a wiki's sidebar or footer"),
        _ => None,
    }
}

/// A parsed markdown file: raw front matter plus what the body scan found.
#[derive(Debug, Clone)]
pub struct Document {
    /// The file it came from.
    pub source: Source,
    /// How the front matter was written.
    pub format: MatterFormat,
    /// Front-matter keys and values, untyped.
    pub matter: BTreeMap<String, RawValue>,
    /// Byte offset in `source.text` of each top-level front-matter key's line,
    /// so typing errors can point at the key.
    pub key_offsets: BTreeMap<String, usize>,
    /// Fields written as labelled lines at the top of a body that follows
    /// front matter (`**Severity:** Sev 3` under a notes app's own front
    /// matter), by hindsight field name: read where the front matter has
    /// no key for the field. Their lines' offsets are in `key_offsets`.
    /// (Without front matter, such lines are the `matter` itself.)
    pub labelled: BTreeMap<String, RawValue>,
    /// Byte range of the front-matter block (delimiters included).
    pub matter_span: Range<usize>,
    /// Byte range of the markdown body in `source.text`.
    pub body: Range<usize>,
    /// What the body scan found.
    pub outline: Outline,
}

impl Document {
    /// Where the body's labelled lines that are fields start, in order
    /// (see [`field_line_offsets`]).
    pub(crate) fn field_lines(&self) -> Vec<usize> {
        field_line_offsets(self.format, &self.key_offsets, &self.labelled)
    }
}

/// Where a body's labelled lines that are fields start, in order: without
/// front matter, every key's line (the lines stand in for it); under front
/// matter, the lines of the fields it lacked (`labelled`). They are not
/// the summary's paragraph, and their words are the template's, not the
/// incident's.
pub(crate) fn field_line_offsets(
    format: MatterFormat,
    key_offsets: &BTreeMap<String, usize>,
    labelled: &BTreeMap<String, RawValue>,
) -> Vec<usize> {
    let mut at: Vec<usize> = match format {
        MatterFormat::None => key_offsets.values().copied().collect(),
        _ => labelled.keys().filter_map(|f| key_offsets.get(f).copied()).collect(),
    };
    at.sort_unstable();
    at
}

/// A heading of the body with its anchor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// Plain text of the heading.
    pub text: String,
    /// The `id` the rendered heading carries; unique within the page.
    pub anchor: String,
}

/// A `[[...]]` link as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WikiLink {
    /// Target before `#`, trimmed; empty for `[[#Heading]]`.
    pub target: String,
    /// Heading after `#`, if any.
    pub heading: Option<String>,
    /// True when the link carried a `|label`.
    pub has_label: bool,
    /// Byte range of the whole `[[...]]` in the source file.
    pub span: Range<usize>,
    /// The sentence around the link, plain text, for backlink context.
    pub context: String,
}

impl WikiLink {
    /// The link whose destination (what `[[…]]` holds before a `|label`)
    /// is `destination`: the page before `#`, the heading after it, each
    /// trimmed.
    pub fn to(destination: &str, has_label: bool, span: Range<usize>, context: String) -> Self {
        let (target, heading) = match destination.split_once('#') {
            Some((t, h)) => (t.trim(), Some(h.trim().to_string())),
            None => (destination.trim(), None),
        };
        WikiLink { target: target.to_string(), heading, has_label, span, context }
    }
}

/// One row of the `## Timeline` table, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawTimelineRow {
    /// The time cell.
    pub time: String,
    /// The event cell, plain text.
    pub event: String,
    /// Byte offset of the row in the source file.
    pub offset: usize,
}

/// One action item, as written (table row or task-list item).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RawActionItem {
    /// What is to be done.
    pub action: String,
    /// Priority cell, if the table has one.
    pub priority: Option<String>,
    /// Owner cell, if any.
    pub owner: Option<String>,
    /// Due-date cell, if any.
    pub due: Option<String>,
    /// Status cell, or `done`/`open` from a task-list checkbox.
    pub status: Option<String>,
    /// Byte offset of the row or item in the source file.
    pub offset: usize,
    /// For a table row, which cell holds what; `None` for a list item.
    pub columns: Option<ActionColumns>,
}

/// The columns of an action-items table, counted from 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ActionColumns {
    /// The action's text.
    pub action: usize,
    /// The due date, if the table has one.
    pub due: Option<usize>,
    /// The status, if the table has one.
    pub status: Option<usize>,
}

/// What one pass over the markdown body found.
#[derive(Debug, Clone, Default)]
pub struct Outline {
    /// Every heading, in order.
    pub headings: Vec<Heading>,
    /// Every wiki link outside code, in document order.
    pub links: Vec<WikiLink>,
    /// Targets of wiki-link embeds (`![[diagram.png]]`), as written.
    pub embeds: Vec<String>,
    /// Markdown images kept in the archive (`![graph](graph.png)`,
    /// `![p99](/assets/p99.png)`): each source as a path, its escapes
    /// undone and any query or fragment dropped, with the byte range of the
    /// image in the file. Images on the web or carried in their URL are
    /// not listed.
    pub images: Vec<(String, Range<usize>)>,
    /// Where the destination of each inline link to another write-up is
    /// written (`(../2023/db-outage.md)`, `(@/postmortems/db.md)`), in
    /// order: the link is counted as a link, and the words of a file's
    /// name are no part of what the write-up says.
    pub link_destinations: Vec<Range<usize>>,
    /// Where each HTML tag written inline in the prose is (`<br>`, `<span
    /// class="x">`), in order: its names are markup, not words of the
    /// write-up.
    pub inline_tags: Vec<Range<usize>>,
    /// Markdown links to files of the archive that are no write-ups
    /// (`[log](../logs/run.log)`): each as a path, as `images` lists
    /// sources.
    pub file_links: Vec<String>,
    /// Text of the first heading, or of a bold line opening the body before
    /// any heading, for files without a title.
    pub first_heading: Option<String>,
    /// First paragraph under `## Summary`.
    pub summary_section: Option<String>,
    /// Tags written in the body as a notes app writes them: a paragraph of
    /// hashtags alone (`#incident #database`), or two or more ending a
    /// paragraph; without their `#`, in order, once each.
    pub hashtags: Vec<String>,
    /// Hashtags past the first 128 (the body scan's bound), counted so the
    /// file can be told they were not kept.
    pub hashtags_dropped: usize,
    /// First list item under `## Summary`, for a summary written as
    /// bullets: it sums the incident up, but it is no title.
    pub summary_item: Option<String>,
    /// First paragraph of the body that tells the story: fields, and a
    /// timeline's and an action list's paragraphs, do not.
    pub first_paragraph: Option<String>,
    /// The paragraph that tells it after `first_paragraph`: the summary of
    /// a file whose title is its first paragraph.
    pub next_paragraph: Option<String>,
    /// Plain text under `## Root Cause`.
    pub root_cause: String,
    /// Plain text under `## Impact`.
    pub impact: String,
    /// Rows of the `## Timeline` table.
    pub timeline: Vec<RawTimelineRow>,
    /// Byte offset of the timeline table, if there is one.
    pub timeline_offset: Option<usize>,
    /// Items of `## Action Items`.
    pub action_items: Vec<RawActionItem>,
    /// Lower-cased text of every level-2 heading.
    pub sections: Vec<String>,
    /// The recognised sections, in document order: role and byte range in
    /// the file (from the heading to the next section of its level).
    pub section_spans: Vec<SectionSpan>,
    /// Byte ranges of the sections that say whether the failure happened
    /// before ("## Recurrence"), from the heading to the next of its level.
    pub recurrence_spans: Vec<Range<usize>>,
    /// Byte ranges of the write-up's own list of related incidents ("##
    /// Related incidents", "See also"), from the heading to the next of its
    /// level: its words describe other write-ups ("Earlier cert incident"
    /// under a configuration push), so the related stage leaves them out.
    pub related_spans: Vec<Range<usize>>,
    /// True when a heading of any level names the write-up's own list of
    /// related incidents: its page then does not list them again.
    pub lists_related: bool,
    /// A zone the Timeline section states for its times ("All times in
    /// CET", a `Time (PST)` column), as written.
    pub timeline_zone: Option<String>,
    /// Times stated in a list ("Time to detection: 54 minutes"), for
    /// incidents whose timeline cannot give them.
    pub stated: StatedTimes,
    /// The level-2 sections with nothing under their heading.
    pub empty_sections: Vec<EmptySection>,
    /// True when the body contains raw HTML.
    pub has_raw_html: bool,
    /// How many pieces of raw HTML the body has.
    pub raw_html: usize,
}

/// A recognised section of a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionSpan {
    /// What the section holds.
    pub role: crate::sections::Role,
    /// Byte range in the file, heading included.
    pub range: Range<usize>,
}

/// Minutes from the start to each phase: stated outright in the body
/// (a "Key numbers" list), or given by front-matter times.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StatedTimes {
    /// "Time to detection: 54 minutes".
    pub detect: Option<u64>,
    /// "Time to mitigation: 1h".
    pub mitigate: Option<u64>,
    /// "Time to recovery: 2h", "Duration: 1h 30m".
    pub resolve: Option<u64>,
}

/// A `## ` section with nothing but whitespace between its heading and the
/// next level-1 or level-2 heading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmptySection {
    /// The heading's text as written.
    pub title: String,
    /// Byte range of the heading in the file.
    pub heading: Range<usize>,
}

/// A severity: its position on the configured scale, or unrated.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Severity {
    /// 0 is the most severe; [`Severity::UNRATED_RANK`] for unrated.
    pub rank: usize,
    /// Canonical name, e.g. `P1`, or `unrated`.
    pub name: String,
}

impl Severity {
    /// Rank of files whose severity is unknown; sorts after every level.
    pub const UNRATED_RANK: usize = usize::MAX;

    /// The severity of files without front matter.
    pub fn unrated() -> Self {
        Severity { rank: Self::UNRATED_RANK, name: "unrated".into() }
    }

    /// True for the unrated severity.
    pub fn is_unrated(&self) -> bool {
        self.rank == Self::UNRATED_RANK
    }
}

/// A row of the incident's own timeline, typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimelineEntry {
    /// The time cell as written.
    pub time_text: String,
    /// When it happened, if the cell could be read. Times without a date
    /// take the incident's date and roll over midnight when they go back.
    pub at: Option<DateTime>,
    /// False when the day of `at` is a stand-in: the clock times of an
    /// undated incident sit on a nominal day, so the offsets between them
    /// and the phases still hold, but only the time of day may be shown.
    pub day_known: bool,
    /// The day the row fell on in the zone it was read in, the write-up's
    /// own: `16:32` under "All times in PST" is on the incident's day,
    /// though `at`, in UTC, is on the next. A row that gives a day alone
    /// (`2021-12-17`) has its day and no `at`. `None` when unknown.
    pub day: Option<Date>,
    /// The event, plain text.
    pub event: String,
}

/// An action item, typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActionItem {
    /// What is to be done.
    pub action: String,
    /// Priority as written (e.g. `P1`).
    pub priority: Option<String>,
    /// Who owns it.
    pub owner: Option<String>,
    /// Due date, if given and readable.
    pub due: Option<Date>,
    /// Lower-cased status (`open`, `done`, `in progress`, ...).
    pub status: String,
    /// True when the status means the work is finished.
    pub done: bool,
}

/// An incident's unique id, which is also its URL segment: the `slug` of
/// its front matter, or one made from its file name. Validation checks it
/// uses only `a-z`, `0-9` and `-`. It reads as a `str` wherever one is
/// wanted, and serializes as the plain string.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Slug(String);

impl Slug {
    /// Wraps an id already checked (or made) by validation.
    pub fn new(slug: impl Into<String>) -> Self {
        Slug(slug.into())
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for Slug {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl std::borrow::Borrow<str> for Slug {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Slug {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl PartialEq<str> for Slug {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for Slug {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

/// The position of an incident in the build's incident list (the order
/// validation returns: newest first, ties by slug). Every per-incident
/// table of the link and related stages is indexed by it; a plain `usize`
/// next to it is then a count, a term id or a rank, never an incident.
///
/// It holds a `u32` so the related stage can store millions of them
/// densely; an archive has far fewer than 2^32 incidents.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct IncidentIdx(u32);

impl IncidentIdx {
    /// The incident at position `i` of the list.
    pub fn new(i: usize) -> Self {
        debug_assert!(u32::try_from(i).is_ok(), "incident index {i} beyond u32");
        IncidentIdx(i as u32)
    }

    /// The position, for indexing a per-incident slice.
    pub fn get(self) -> usize {
        self.0 as usize
    }

    /// The position as the `u32` it is stored as.
    pub fn to_u32(self) -> u32 {
        self.0
    }

    /// The incident stored as `i` (see [`IncidentIdx::to_u32`]).
    pub fn from_u32(i: u32) -> Self {
        IncidentIdx(i)
    }

    /// Every index of a list of `n` incidents, in order.
    pub fn all(n: usize) -> impl DoubleEndedIterator<Item = IncidentIdx> + ExactSizeIterator {
        (0..n).map(IncidentIdx::new)
    }

    /// The item of per-incident table `table` for this incident.
    pub fn of<T>(self, table: &[T]) -> Option<&T> {
        table.get(self.get())
    }

    /// The item of per-incident table `table` for this incident, mutably.
    pub fn of_mut<T>(self, table: &mut [T]) -> Option<&mut T> {
        table.get_mut(self.get())
    }
}

/// `(index, item)` for every item of a per-incident slice: `enumerate`
/// with typed indices.
pub(crate) fn indexed<T>(table: &[T]) -> impl Iterator<Item = (IncidentIdx, &T)> {
    table.iter().enumerate().map(|(i, x)| (IncidentIdx::new(i), x))
}

/// One validated incident.
#[derive(Debug, Clone)]
pub struct Incident {
    /// Unique id and URL segment: `slug` from front matter or the file stem.
    pub slug: Slug,
    /// The parsed file.
    pub doc: Arc<Document>,
    /// Title.
    pub title: String,
    /// Day the incident started; `None` for an undated incident: no date in
    /// its front matter, file name or text, and `date` not in
    /// `required_fields` (#10). Every consumer decides what undated means
    /// for it; none invents a date.
    pub date: Option<Date>,
    /// Start time, when the front matter gave one (RFC 3339).
    pub started_at: Option<jiff::Timestamp>,
    /// The offset from UTC the start was written in, or read in when it was
    /// written without one: pages show the start as its writers' clocks did.
    pub started_offset: Option<jiff::tz::Offset>,
    /// Severity on the configured scale.
    pub severity: Severity,
    /// Affected services, as written.
    pub services: Vec<String>,
    /// Tags, as written.
    pub tags: Vec<String>,
    /// Status (one of the configured ones), if given.
    pub status: Option<String>,
    /// Duration in minutes, if given.
    pub duration_minutes: Option<u64>,
    /// Minutes from the start to detection and to mitigation, when the
    /// front matter gives those times (`detected_at`, `mitigated_at`, as
    /// incident tools export them).
    pub field_times: StatedTimes,
    /// Authors.
    pub authors: Vec<String>,
    /// Extra names a wiki link may use.
    pub aliases: Vec<String>,
    /// The identifier its front matter gives it (`id: INC-1234`,
    /// `incident_id`, `incident_number`), as written: a name a wiki link
    /// may use, as an alias is.
    pub own_id: Option<String>,
    /// One-paragraph summary, plain text.
    pub summary: String,
    /// True when the summary is a field the file writes (front matter, or
    /// the labelled lines standing in for it, under `summary` or a key
    /// `[fields]` maps to it), not taken from the body: its page shows it
    /// under the title, and it stands for the Summary section.
    pub summary_written: bool,
    /// The BCP 47 tag of the language the write-up is in, when it is not
    /// English (`de`, `ja`), for its page to mark.
    pub language: Option<&'static str>,
    /// Drafts are built only with `--drafts`.
    pub draft: bool,
    /// Front-matter keys hindsight does not know, for templates.
    pub extra: BTreeMap<String, RawValue>,
    /// The typed timeline.
    pub timeline: Vec<TimelineEntry>,
    /// The typed action items.
    pub action_items: Vec<ActionItem>,
}

impl Incident {
    /// The page's path relative to the site root.
    pub fn url(&self) -> String {
        format!("incidents/{}/index.html", self.slug)
    }

    /// The incident's page as linked from another incident's page: the
    /// pages are siblings, so the link need not climb to the site root.
    pub fn sibling_url(&self) -> String {
        format!("../{}/index.html", self.slug)
    }

    /// The source file, relative to the archive root.
    pub fn rel_path(&self) -> &std::path::Path {
        &self.doc.source.rel_path
    }

    /// The date as `YYYY-MM-DD`, `None` when undated.
    pub fn date_text(&self) -> Option<String> {
        self.date.map(|d| d.to_string())
    }
}

/// The archive's order: newest first, undated incidents after every dated
/// one, ties broken by slug so the order never depends on the input order.
pub(crate) fn newest_first(a: &Incident, b: &Incident) -> std::cmp::Ordering {
    match (a.date, b.date) {
        (Some(x), Some(y)) => y.cmp(&x),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    }
    .then_with(|| a.slug.cmp(&b.slug))
}

/// Where one wiki link of a body goes, decided by the link stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
    /// An incident of this build (possibly the linking one itself).
    Incident {
        /// The incident linked to.
        index: IncidentIdx,
        /// Heading anchor on the target page.
        anchor: Option<String>,
        /// Text for a label-less link: the target's title, or the heading.
        /// Empty for a link with its own label, which shows that.
        label: String,
        /// The link wrote its label first, as a GitHub wiki and Dendron do
        /// (`[[the pool outage|incidents.2024.pool]]`): `label` is that
        /// first part, shown in place of the page name after the bar.
        label_first: bool,
    },
    /// A configured outside prefix.
    External {
        /// The URL the prefix template produced.
        url: String,
    },
    /// A day (`[[2023-03-21]]`, `[[Mar 21st, 2023]]`) no incident answers
    /// to: the journal page of an outliner or a vault, kept outside the
    /// archive, so the date is shown as text.
    Day,
    /// Nothing matched.
    Broken,
}

/// An incident that links to another, with the sentence around the link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backlink {
    /// The linking incident.
    pub source: IncidentIdx,
    /// The place, among `source`'s wiki links, of its first link to this
    /// incident: that link's `context` is the sentence quoted. A place, not
    /// a copy of the sentence, so the link stage touches no text per edge.
    pub link: u32,
}

impl Backlink {
    /// The sentence around the link, as `source` wrote it (empty when
    /// `incidents` is not the list the link stage read).
    pub fn context<'a>(&self, incidents: &'a [Incident]) -> &'a str {
        self.source
            .of(incidents)
            .and_then(|from| from.doc.outline.links.get(self.link as usize))
            .map_or("", |link| link.context.as_str())
    }
}

/// The resolved wiki links of a build: what every link renders as, and the
/// incident-to-incident graph they form (used by the related stage too).
#[derive(Debug, Clone, Default)]
pub struct LinkTable {
    /// Per incident, one target per wiki link, in document order.
    pub targets: Vec<Vec<LinkTarget>>,
    /// Per incident, the other incidents it links to (sorted, unique).
    pub outgoing: Vec<Vec<IncidentIdx>>,
    /// Per incident, the incidents that link to it (sorted by source index).
    pub backlinks: Vec<Vec<Backlink>>,
}
