//! Stage 3, link: resolve every wiki link of the archive.
//!
//! Inputs: the validated incidents, the slugs of drafts left out, and
//! [`Config`]. Outputs: a [`LinkTable`] (what each link renders as, and the
//! incident graph the links form) and diagnostics for unresolved, ambiguous
//! and heading-less links. Imports: diag, config, model, markdown (for
//! heading anchors).
//!
//! A target resolves, in order, to a slug, a file stem, a path under
//! `content/` without `.md`, an alias, a title (case-insensitive), or, as
//! a GitHub wiki names its files, the slug its name makes. The
//! first rule with any match wins; several matches under one rule is a
//! warning naming them, and the first by slug is used.

use std::collections::HashMap as Map;
use std::sync::OnceLock;

use foldhash::fast::RandomState as Hash;

use rayon::prelude::*;

use crate::config::Config;
use crate::diag::{Diagnostic, Locator};
use crate::markdown::slugify_heading;
use crate::model::{
    Backlink, Incident, IncidentIdx, LinkTable, LinkTarget, Slug, WikiLink, indexed,
};

/// A name (file stem, path, alias or title) and the incidents under it.
type Names = Map<String, Vec<IncidentIdx>, Hash>;

/// Lookup tables for the resolution rules, built from the incidents' names
/// (slug, file stem, path, aliases, title). `serve` keeps one between
/// rebuilds: an edit that changes none of those names re-resolves only the
/// edited incident's links against it (see [`relink`]).
pub(crate) struct Resolver {
    slug: Map<Slug, IncidentIdx, Hash>,
    stem: Names,
    path: Names,
    alias: Names,
    title: Names,
    /// The slugs of drafts left out, as text: looked up for every broken
    /// link, so a set, not a list.
    drafts: std::collections::HashSet<String, Hash>,
    /// File names of the attachments: a vault links to `[[sentinel.log]]`
    /// by name, and the file is copied beside the page (see `attach`).
    attachments: std::collections::HashSet<String>,
    /// The same files by their paths under the content folder: a GitHub
    /// wiki links to `[[images/lag.png]]`, copied beside the page at that
    /// path.
    attachment_paths: std::collections::HashSet<String>,
    /// Markdown files `exclude` leaves out, as shown, by their paths under
    /// the content folder and by the slugs their names make (see
    /// [`Resolver::with_left_out`]).
    left_out: Map<String, String, Hash>,
}

impl Resolver {
    /// Indexes `incidents` (in build order); `drafts` are the slugs of
    /// drafts left out, so a link to one can say so.
    pub(crate) fn new(incidents: &[Incident], drafts: &[Slug]) -> Self {
        // Each table is built on its own: at 100,000 incidents one serial
        // pass over all five was most of this stage, and grew faster than
        // the archive as the tables outgrew the caches.
        let names = |name: fn(&Incident) -> Vec<String>| names_of(incidents, name);
        let stems = || names(|x| vec![x.doc.source.stem.clone()]);
        // A page bundle also by its folder, as a link to the folder names it.
        let paths = || {
            names(|x| {
                let path = &x.doc.source.content_path;
                let folder = path.rsplit_once('/').filter(|(folder, file)| {
                    let bundle =
                        file.eq_ignore_ascii_case("index") || file.eq_ignore_ascii_case("readme");
                    bundle && folder.rsplit('/').next() == Some(x.doc.source.stem.as_str())
                });
                std::iter::once(path.clone()).chain(folder.map(|(f, _)| f.to_string())).collect()
            })
        };
        let aliases =
            || names(|x| x.aliases.iter().map(|a| a.to_lowercase()).chain(own_id(x)).collect());
        let titles = || names(|x| vec![x.title.to_lowercase()]);
        let ((slug, stem), ((path, alias), title)) = rayon::join(
            || rayon::join(|| slugs_of(incidents), stems),
            || rayon::join(|| rayon::join(paths, aliases), titles),
        );
        Resolver {
            slug,
            stem,
            path,
            alias,
            title,
            drafts: drafts.iter().map(|d| d.as_str().to_string()).collect(),
            attachments: std::collections::HashSet::new(),
            attachment_paths: std::collections::HashSet::new(),
            left_out: Map::default(),
        }
    }

    /// Files incident `i` under the title it has now, no longer under
    /// `old`: after a title edit, which `serve` takes without a full
    /// rebuild (every link is then resolved again, see [`link_with`]).
    pub(crate) fn retitle(&mut self, incidents: &[Incident], i: IncidentIdx, old: &str) {
        let old = old.to_lowercase();
        if let Some(list) = self.title.get_mut(&old) {
            list.retain(|&x| x != i);
            if list.is_empty() {
                self.title.remove(&old);
            }
        }
        let Some(incident) = i.of(incidents) else { return };
        let list = self.title.entry(incident.title.to_lowercase()).or_default();
        list.push(i);
        sort_by_slug(list, incidents);
    }

    /// Lets links name these attachments (paths relative to the root,
    /// under `content_dir`).
    pub(crate) fn with_attachments(
        mut self,
        attachments: &[std::path::PathBuf],
        content_dir: &str,
    ) -> Self {
        self.attachments = attachments
            .iter()
            .filter_map(|a| a.file_name()?.to_str().map(str::to_string))
            .collect();
        self.attachment_paths = attachments
            .iter()
            .filter_map(|a| Some(under_content(a, content_dir)?.to_str()?.replace('\\', "/")))
            .collect();
        self
    }

    /// Whether `target`, a path written in a page of `folder` (under the
    /// content folder), names an attachment from there or from the
    /// content folder.
    fn is_attachment_path(&self, folder: &str, target: &str) -> bool {
        let target = target.trim_start_matches('/');
        if !target.contains('/') || self.attachment_paths.is_empty() {
            return false;
        }
        let beside = if folder.is_empty() { None } else { Some(format!("{folder}/{target}")) };
        beside.is_some_and(|p| self.attachment_paths.contains(&p))
            || self.attachment_paths.contains(target)
    }

    /// Lets a link to a file `exclude` leaves out (paths relative to the
    /// root) say so: a wiki's index page is linked from the write-ups it
    /// lists. Each is found by the slug its name makes, as `[[Incident
    /// Index]]` names `Incident-Index.md`.
    pub(crate) fn with_left_out(mut self, files: &[std::path::PathBuf], content_dir: &str) -> Self {
        for file in files {
            let shown = file.display().to_string();
            let under = under_content(file, content_dir);
            // By its path under the content folder, as a markdown link
            // names it; and by the slug of its name, the first file's.
            if let Some(path) =
                under.and_then(|u| u.with_extension("").to_str().map(str::to_string))
            {
                self.left_out.insert(path.replace('\\', "/"), shown.clone());
            }
            if let Some(stem) = file.file_stem().and_then(|s| s.to_str()) {
                self.left_out.entry(crate::validate::slug_from_stem(stem)).or_insert(shown);
            }
        }
        self
    }

    /// The file `exclude` leaves out that `target` names: by its path,
    /// else by its name.
    fn left_out(&self, target: &str) -> Option<&str> {
        if self.left_out.is_empty() || !target.chars().any(char::is_alphanumeric) {
            return None;
        }
        let bare = target.strip_suffix(".md").unwrap_or(target);
        let name = bare.rsplit('/').next().unwrap_or(bare);
        let by_path = bare.contains('/').then(|| self.left_out.get(bare)).flatten();
        by_path
            .or_else(|| self.left_out.get(&crate::validate::slug_from_stem(name)))
            .map(String::as_str)
    }

    /// The candidates of the first rule that matches `target`.
    fn candidates(&self, target: &str) -> Option<(&'static str, &[IncidentIdx])> {
        if let Some(i) =
            self.slug.get(target).or_else(|| self.slug.get(target.to_lowercase().as_str()))
        {
            return Some(("slug", std::slice::from_ref(i)));
        }
        // Obsidian writes `[[Note.md]]` as readily as `[[Note]]`.
        let stem = self.stem.get(target).or_else(|| {
            let bare = target.strip_suffix(".md").or_else(|| target.strip_suffix(".markdown"))?;
            self.stem.get(bare)
        });
        if let Some(v) = stem {
            return Some(("file name", v));
        }
        let path = target.trim_start_matches("content/").trim_end_matches(".md");
        if let Some(v) = self.path.get(path) {
            return Some(("path", v));
        }
        let lower = target.to_lowercase();
        if let Some(v) = self.alias.get(&lower) {
            return Some(("alias", v));
        }
        if let Some(v) = self.title.get(&lower) {
            return Some(("title", v));
        }
        // A GitHub wiki names the file of `[[Payment outage]]`
        // `Payment-outage.md`: the name written as a file name is, as any
        // file name is, a slug.
        // (A name of no letter or digit makes the placeholder slug.)
        target.chars().any(char::is_alphanumeric).then_some(())?;
        let slug = crate::validate::slug_from_stem(target);
        self.slug.get(slug.as_str()).map(|i| ("file name", std::slice::from_ref(i)))
    }

    fn is_draft(&self, target: &str) -> bool {
        let lower = target.to_lowercase();
        self.drafts.contains(lower.as_str())
    }
}

/// Resolves every link of every incident.
pub fn link(
    incidents: &[Incident],
    drafts: &[Slug],
    config: &Config,
) -> (LinkTable, Vec<Diagnostic>) {
    link_with(&Resolver::new(incidents, drafts), incidents, config)
}

/// [`link`] with a resolver built beforehand from the same incidents.
pub(crate) fn link_with(
    resolver: &Resolver,
    incidents: &[Incident],
    config: &Config,
) -> (LinkTable, Vec<Diagnostic>) {
    // Built for the pages links name a heading of, as they are first named.
    let headings: Vec<OnceLock<HeadingIndex>> = incidents.iter().map(|_| OnceLock::new()).collect();
    let mut per_incident: Vec<(Vec<LinkTarget>, Vec<Diagnostic>, Vec<Wanted>)> = incidents
        .par_iter()
        .enumerate()
        .map(|(i, incident)| {
            resolve_all(IncidentIdx::new(i), incident, incidents, resolver, &headings, config)
        })
        .collect();
    with_suggestions(incidents, &mut per_incident);

    let mut table = LinkTable {
        targets: Vec::with_capacity(incidents.len()),
        outgoing: vec![Vec::new(); incidents.len()],
        backlinks: vec![Vec::new(); incidents.len()],
    };
    let mut diagnostics = Vec::new();
    for (source, ((targets, diags, _), incident)) in
        IncidentIdx::all(incidents.len()).zip(per_incident.into_iter().zip(incidents))
    {
        diagnostics.extend(diags);
        add_edges(&mut table, source, &incident.doc.outline.links, &targets);
        table.targets.push(targets);
    }
    (table, diagnostics)
}

/// Re-resolves the links of incident `i` alone, after its text changed but
/// none of the names the resolver indexes: updates its targets, its edges,
/// and the backlinks of the incidents it links or linked to. Returns its
/// diagnostics and the incidents whose backlinks changed (their pages quote
/// `i`, so they need rendering again).
pub(crate) fn relink(
    table: &mut LinkTable,
    resolver: &Resolver,
    incidents: &[Incident],
    i: IncidentIdx,
    config: &Config,
) -> (Vec<Diagnostic>, Vec<IncidentIdx>) {
    let Some(incident) = i.of(incidents) else { return (Vec::new(), Vec::new()) };
    let headings: Vec<OnceLock<HeadingIndex>> = incidents.iter().map(|_| OnceLock::new()).collect();
    let mut resolved = [resolve_all(i, incident, incidents, resolver, &headings, config)];
    with_suggestions(incidents, &mut resolved);
    let [(targets, diagnostics, _)] = resolved;
    let quoted = |table: &LinkTable, t: IncidentIdx| -> Option<Backlink> {
        t.of(&table.backlinks)?.iter().find(|b| b.source == i).cloned()
    };
    #[allow(clippy::expect_used, reason = "the table has a list per incident, `i` is one (above)")]
    let old = i.of_mut(&mut table.outgoing).map(std::mem::take).expect("a list per incident");
    let before: Vec<(IncidentIdx, Option<Backlink>)> =
        old.iter().map(|&t| (t, quoted(table, t))).collect();
    for &t in &old {
        if let Some(list) = t.of_mut(&mut table.backlinks) {
            list.retain(|b| b.source != i);
        }
    }
    add_edges(table, i, &incident.doc.outline.links, &targets);
    if let Some(slot) = i.of_mut(&mut table.targets) {
        *slot = targets;
    }
    let now = i.of(&table.outgoing).map_or(&[][..], Vec::as_slice);
    let mut touched: Vec<IncidentIdx> = old.iter().chain(now).copied().collect();
    touched.sort_unstable();
    touched.dedup();
    touched.retain(|&t| {
        let was = before.iter().find(|(b, _)| *b == t).and_then(|(_, q)| q.clone());
        was != quoted(table, t)
    });
    (diagnostics, touched)
}

/// Records the incident-to-incident edges of `source`'s links: each other
/// incident once, quoted with the sentence around its first link.
fn add_edges(
    table: &mut LinkTable,
    source: IncidentIdx,
    links: &[WikiLink],
    targets: &[LinkTarget],
) {
    let Some(outgoing) = source.of_mut(&mut table.outgoing) else { return };
    for (link, target) in links.iter().zip(targets) {
        if let LinkTarget::Incident { index, .. } = target {
            if *index != source && !outgoing.contains(index) {
                outgoing.push(*index);
                // Backlinks stay sorted by source.
                if let Some(list) = index.of_mut(&mut table.backlinks) {
                    let at = list.partition_point(|b| b.source < source);
                    list.insert(at, Backlink { source, context: link.context.clone() });
                }
            }
        }
    }
    outgoing.sort_unstable();
}

fn resolve_all(
    i: IncidentIdx,
    incident: &Incident,
    incidents: &[Incident],
    index: &Resolver,
    headings: &[OnceLock<HeadingIndex>],
    config: &Config,
) -> (Vec<LinkTarget>, Vec<Diagnostic>, Vec<Wanted>) {
    let mut diagnostics = Vec::new();
    // Links come in document order: their positions cost one walk of the file.
    let source = &incident.doc.source;
    let mut locator = Locator::new(&source.text);
    let mut wanted = Vec::new();
    let targets = incident
        .doc
        .outline
        .links
        .iter()
        .map(|link| {
            let mut found = Vec::new();
            let (target, unresolved) =
                resolve(i, link, incidents, index, headings, config, &mut found);
            if unresolved {
                // Its warning, the one it has, wants a suggestion.
                wanted.push((diagnostics.len(), link.target.clone()));
            }
            for d in found {
                diagnostics.push(d.at_next(&source.rel_path, &mut locator, link.span.clone()));
            }
            target
        })
        .collect();
    (targets, diagnostics, wanted)
}

fn resolve(
    from: IncidentIdx,
    link: &WikiLink,
    incidents: &[Incident],
    index: &Resolver,
    headings: &[OnceLock<HeadingIndex>],
    config: &Config,
    diagnostics: &mut Vec<Diagnostic>,
) -> (LinkTarget, bool) {
    let Some(incident) = from.of(incidents) else { return (LinkTarget::Broken, false) };
    let written = &incident.doc.source.text[link.span.clone()];

    let (found, warning) = find_target(from, link, written, incidents, index, config);
    let unresolved = matches!(warning, Some(Warning::Unresolved(_)));
    diagnostics.extend(warning.map(Warning::into_diagnostic));
    let target = match found {
        Ok(target) => target,
        Err(not_an_incident) => return (not_an_incident, unresolved),
    };
    let Some(target_incident) = target.of(incidents) else { return (LinkTarget::Broken, false) };
    let no_index = OnceLock::new();
    let heading_index = target.of(headings).unwrap_or(&no_index);
    let ((anchor, label), warning) =
        anchor_and_label(target_incident, heading_index, target == from, link.heading.as_deref());
    diagnostics.extend(warning);
    (LinkTarget::Incident { index: target, anchor, label }, false)
}

/// The warning a link deserves. An unresolved name also wants the name of
/// the incident it may have meant, looked for once every link is resolved
/// (see [`with_suggestions`]).
enum Warning {
    Plain(Diagnostic),
    Unresolved(Diagnostic),
}

impl Warning {
    fn into_diagnostic(self) -> Diagnostic {
        match self {
            Warning::Plain(d) | Warning::Unresolved(d) => d,
        }
    }
}

/// The incident `link` (written as `written`) names, or `Err` with what
/// it is instead (external or broken), and the warning it deserves.
fn find_target(
    from: IncidentIdx,
    link: &WikiLink,
    written: &str,
    incidents: &[Incident],
    index: &Resolver,
    config: &Config,
) -> (std::result::Result<IncidentIdx, LinkTarget>, Option<Warning>) {
    if link.target.is_empty() {
        if link.heading.is_none() {
            let d = Diagnostic::warning("RCA030", format!("empty wiki link `{written}`"));
            return (Err(LinkTarget::Broken), Some(Warning::Plain(d)));
        }
        return (Ok(from), None);
    }
    // A rule never matches with an empty list; the first is the choice.
    // Dendron writes the label first (`[[the outage|incidents.2024.db]]`):
    // a target that names nothing, behind a label that names an incident,
    // is read the other way round.
    let found = index
        .candidates(&link.target)
        .or_else(|| index.candidates(label_of(written).filter(|_| link.has_label)?))
        .and_then(|(rule, c)| Some((rule, *c.first()?, c)));
    if let Some((rule, first, candidates)) = found {
        let warning = (candidates.len() > 1).then(|| {
            // Named up to a few: thousands of files of one title would make
            // each such warning as long as the archive.
            const NAMED: usize = 5;
            let mut names: Vec<_> = candidates
                .iter()
                .take(NAMED)
                .filter_map(|&c| c.of(incidents))
                .map(|c| format!("`{}`", c.slug))
                .collect();
            if candidates.len() > NAMED {
                names.push(format!("and {} more", candidates.len() - NAMED));
            }
            Diagnostic::warning(
                "RCA031",
                format!(
                    "{} `{written}` is ambiguous: its {rule} matches {}; linking to the first",
                    kind_of(written),
                    names.join(", ")
                ),
            )
            .with_help("link by slug to choose one")
        });
        return (Ok(first), warning.map(Warning::Plain));
    }
    if let Some(url) = external_url(&link.target, config) {
        return (Err(LinkTarget::External { url }), None);
    }
    if index.attachments.contains(&link.target) {
        // Copied beside the linking page, so its name is its address.
        return (Err(LinkTarget::External { url: encode(&link.target) }), None);
    }
    let folder = from.of(incidents).map_or("", |i| i.doc.source.folder.as_str());
    if index.is_attachment_path(folder, &link.target) {
        // Copied beside the page at the path its body names.
        let path = link.target.trim_start_matches('/');
        let url = percent_encoding::utf8_percent_encode(path, crate::model::URL_PATH).to_string();
        return (Err(LinkTarget::External { url }), None);
    }
    if link.heading.is_none() && is_day(&link.target) {
        return (Err(LinkTarget::Day), None);
    }
    let warning = if let Some(file) = index.left_out(&link.target) {
        Warning::Plain(
            Diagnostic::warning(
                "RCA030",
                format!(
                    "{} `{written}` points at {file}, which `exclude` in hindsight.toml leaves out",
                    kind_of(written)
                ),
            )
            .with_help("link to a page the archive builds, or take the file out of `exclude`"),
        )
    } else if index.is_draft(&link.target) {
        Warning::Plain(
            Diagnostic::warning(
                "RCA030",
                format!("{} `{written}` points at a draft, which is not built", kind_of(written)),
            )
            .with_help("build with --drafts, or publish the draft"),
        )
    } else {
        Warning::Unresolved(Diagnostic::warning(
            "RCA030",
            format!("unresolved {} `{written}`", kind_of(written)),
        ))
    };
    (Err(LinkTarget::Broken), Some(warning))
}

/// What a link is called in its diagnostics: a `[[wiki link]]`, or a
/// markdown link between files (`[the outage](2023/db.md)`).
fn kind_of(written: &str) -> &'static str {
    if written.starts_with("[[") || written.starts_with("![[") { "wiki link" } else { "link" }
}

/// The label of a wiki link as written, `[[target|label]]`: what follows
/// the first `|`, less a heading.
fn label_of(written: &str) -> Option<&str> {
    let inner = written.strip_prefix("[[")?.strip_suffix("]]")?;
    let (_, label) = inner.split_once('|')?;
    let label = label.split('#').next().unwrap_or(label).trim();
    (!label.is_empty()).then_some(label)
}

/// A broken link's warning, by its place among its incident's
/// diagnostics, and the name to suggest a correction for.
type Wanted = (usize, String);

/// Adds "did you mean" to the unresolved-link warnings of `wanted` (per
/// incident, in incident order), for the first [`suggest::SUGGEST_LIMIT`]
/// distinct names: the choice depends on the input alone, never on
/// thread scheduling.
fn with_suggestions(
    incidents: &[Incident],
    per_incident: &mut [(Vec<LinkTarget>, Vec<Diagnostic>, Vec<Wanted>)],
) {
    let mut names: Vec<&str> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (_, _, wanted) in per_incident.iter() {
        for (_, name) in wanted {
            if names.len() < suggest::SUGGEST_LIMIT && seen.insert(name.as_str()) {
                names.push(name);
            }
        }
    }
    if names.is_empty() {
        return;
    }
    let suggester = suggest::Suggester::new(incidents);
    let found: Map<String, String, Hash> = names
        .par_iter()
        .filter_map(|name| Some((name.to_string(), suggester.suggest(name)?)))
        .collect();
    for (_, diagnostics, wanted) in per_incident.iter_mut() {
        for (at, name) in wanted.drain(..) {
            if let (Some(d), Some(s)) = (diagnostics.get_mut(at), found.get(&name)) {
                d.help = Some(format!("did you mean `[[{s}]]`?"));
            }
        }
    }
}

/// True when `target` is a date and nothing else (`2023-03-21`, `Mar 21st,
/// 2023`): what an outliner or a vault names its journal pages.
fn is_day(target: &str) -> bool {
    let target = target.trim();
    crate::dates::leading_date(target).is_some_and(|(_, end)| end == target.len())
}

/// The anchor and label of a link to `target` (`to_itself` when the link
/// is on its own page) at `heading`, and the warning when it has no such
/// heading.
fn anchor_and_label(
    target: &Incident,
    index: &OnceLock<HeadingIndex>,
    to_itself: bool,
    heading: Option<&str>,
) -> ((Option<String>, String), Option<Diagnostic>) {
    let Some(heading) = heading else { return ((None, target.title.clone()), None) };
    let found = find_heading(&target.doc.outline.headings, index, heading);
    match found {
        Some(h) => {
            let label =
                if to_itself { h.text.clone() } else { format!("{} § {}", target.title, h.text) };
            ((Some(h.anchor.clone()), label), None)
        }
        None => {
            let d = Diagnostic::warning(
                "RCA032",
                format!("`{}` has no heading {heading:?}", target.slug),
            );
            ((None, target.title.clone()), Some(d))
        }
    }
}

/// A page's headings by their text (ASCII case folded) and by their
/// anchor, each at its first place: a link to a heading of a page with
/// thousands of them costs a lookup, not a walk of them all.
#[derive(Default)]
struct HeadingIndex {
    by_text: Map<String, usize, Hash>,
    by_anchor: Map<String, usize, Hash>,
}

/// Below this many headings a page's are walked; above, indexed.
const INDEX_HEADINGS: usize = 32;

/// The first of `headings` whose text is `heading` but for ASCII case, or
/// whose anchor is `heading` or its slug.
fn find_heading<'h>(
    headings: &'h [crate::model::Heading],
    index: &OnceLock<HeadingIndex>,
    heading: &str,
) -> Option<&'h crate::model::Heading> {
    let wanted = slugify_heading(heading);
    if headings.len() <= INDEX_HEADINGS {
        return headings.iter().find(|h| {
            h.text.eq_ignore_ascii_case(heading) || h.anchor == wanted || h.anchor == heading
        });
    }
    let index = index.get_or_init(|| {
        let mut index = HeadingIndex::default();
        for (n, h) in headings.iter().enumerate() {
            index.by_text.entry(h.text.to_ascii_lowercase()).or_insert(n);
            index.by_anchor.entry(h.anchor.clone()).or_insert(n);
        }
        index
    });
    let first = [
        index.by_text.get(&heading.to_ascii_lowercase()),
        index.by_anchor.get(&wanted),
        index.by_anchor.get(heading),
    ]
    .into_iter()
    .flatten()
    .min()?;
    headings.get(*first)
}

/// The URL of a target that starts with a configured prefix.
fn external_url(target: &str, config: &Config) -> Option<String> {
    // Longest prefix first, so `runbook-db-` beats `runbook-`.
    let mut prefixes: Vec<_> = config.wikilinks.external.iter().collect();
    prefixes.sort_by_key(|(p, _)| std::cmp::Reverse(p.len()));
    prefixes.into_iter().find_map(|(prefix, template)| {
        let name = target.strip_prefix(prefix.as_str())?;
        Some(template.replace("{target}", &encode(target)).replace("{name}", &encode(name)))
    })
}

/// Everything but the unreserved characters of RFC 3986 (letters, digits,
/// `-`, `.`, `_`, `~`) is encoded in a path segment.
const SEGMENT: &percent_encoding::AsciiSet =
    &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Percent-encodes what may not stand in a URL path segment.
pub(crate) fn encode(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, SEGMENT).to_string()
}

/// `path` (relative to the archive root) under the content folder
/// `content_dir`, which may be the root itself (`.`).
fn under_content<'p>(path: &'p std::path::Path, content_dir: &str) -> Option<&'p std::path::Path> {
    let content = std::path::Path::new(content_dir);
    if content.components().all(|c| c == std::path::Component::CurDir) {
        Some(path)
    } else {
        path.strip_prefix(content).ok()
    }
}

/// The identifier an incident's front matter gives it (`id: INC-1234`,
/// `incident_id`, `incident_number`), lower-cased: a name a wiki link may
/// use, as an alias is. Only one with a letter and a digit, as a tracker
/// writes them: `id: 7` or `id: root` would name nothing a reader knows.
fn own_id(incident: &Incident) -> Option<String> {
    ["id", "incident_id", "incident_number"].iter().find_map(|key| {
        let value = crate::model::scalar_string(incident.doc.matter.get(*key)?)?;
        let value = value.trim();
        let is_id = value.len() <= 40
            && value.chars().any(|c| c.is_ascii_alphabetic())
            && value.chars().any(|c| c.is_ascii_digit())
            && !value.contains(char::is_whitespace);
        is_id.then(|| value.to_lowercase())
    })
}

/// Sorts the incidents a name finds by slug, each once, so resolution and
/// its ambiguity reports never depend on the input order.
/// Each incident by its slug.
fn slugs_of(incidents: &[Incident]) -> Map<Slug, IncidentIdx, Hash> {
    let mut slugs = Map::with_capacity_and_hasher(incidents.len(), Hash::default());
    for (i, incident) in indexed(incidents) {
        slugs.insert(incident.slug.clone(), i);
    }
    slugs
}

/// The incidents under each name `name` gives them, each list sorted by
/// slug so that "the first" of an ambiguous set does not depend on the
/// build order (newest first).
fn names_of(incidents: &[Incident], name: fn(&Incident) -> Vec<String>) -> Names {
    let mut names = Names::with_capacity_and_hasher(incidents.len(), Hash::default());
    for (i, incident) in indexed(incidents) {
        for key in name(incident) {
            names.entry(key).or_default().push(i);
        }
    }
    names.values_mut().for_each(|v| sort_by_slug(v, incidents));
    names
}

fn sort_by_slug(list: &mut Vec<IncidentIdx>, incidents: &[Incident]) {
    list.sort_by_key(|&i| i.of(incidents).map(|x| x.slug.as_str()));
    list.dedup();
}

mod suggest;
#[cfg(test)]
mod tests;
