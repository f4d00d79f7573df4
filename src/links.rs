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
use std::sync::Arc;

use foldhash::fast::RandomState as Hash;

use rayon::prelude::*;

use crate::config::Config;
use crate::diag::{Diagnostic, Locator};
use crate::markdown::slugify_heading;
use crate::model::{Backlink, Incident, IncidentIdx, LinkTable, LinkTarget, Slug, WikiLink};

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
    let headings = HeadingIndexes::default();
    let mut per_incident: Vec<Resolved> = incidents
        .par_iter()
        .enumerate()
        .map(|(i, incident)| {
            resolve_all(IncidentIdx::new(i), incident, incidents, resolver, &headings, config)
        })
        .collect();
    with_suggestions(incidents, &mut per_incident);

    let backlinks = backlinks_of(&mut per_incident, incidents.len());
    let mut table = LinkTable {
        targets: Vec::with_capacity(incidents.len()),
        outgoing: Vec::with_capacity(incidents.len()),
        backlinks,
    };
    let mut diagnostics = Vec::new();
    for resolved in per_incident {
        diagnostics.extend(resolved.diagnostics);
        table.outgoing.push(resolved.outgoing);
        table.targets.push(resolved.targets);
    }
    (table, diagnostics)
}

/// Each of the `n` incidents' backlinks, sorted by source, taken from
/// every incident's links (`per_incident`, in incident order). The edges
/// are sorted by target first, so the lists are filled one after another:
/// filing each edge into its target's list in source order wrote all over
/// a list per incident, which at 100,000 incidents cost a link stage's
/// worth of cache misses on one core.
fn backlinks_of(per_incident: &mut [Resolved], n: usize) -> Vec<Vec<Backlink>> {
    let mut edges: Vec<(IncidentIdx, Backlink)> = per_incident
        .par_iter_mut()
        .flat_map_iter(|r| r.outgoing.iter().copied().zip(std::mem::take(&mut r.backlinks)))
        .collect();
    // A stable sort: each list keeps the sources in incident order.
    edges.par_sort_by_key(|&(target, _)| target);
    let mut edges = edges.into_iter().peekable();
    IncidentIdx::all(n)
        .map(|target| {
            std::iter::from_fn(|| edges.next_if(|e| e.0 == target).map(|e| e.1)).collect()
        })
        .collect()
}

/// Re-resolves the links of incident `i` alone, after its text changed but
/// none of the names the resolver indexes: updates its targets, its edges,
/// and the backlinks of the incidents it links or linked to. `links_before`
/// are `i`'s wiki links as the table last saw them (the backlinks quote
/// their sentences). Returns its diagnostics and the incidents whose
/// backlinks changed (their pages quote `i`, so they need rendering again).
pub(crate) fn relink(
    table: &mut LinkTable,
    resolver: &Resolver,
    incidents: &[Incident],
    (i, links_before): (IncidentIdx, &[WikiLink]),
    config: &Config,
) -> (Vec<Diagnostic>, Vec<IncidentIdx>) {
    let Some(incident) = i.of(incidents) else { return (Vec::new(), Vec::new()) };
    let headings = HeadingIndexes::default();
    let mut resolved = [resolve_all(i, incident, incidents, resolver, &headings, config)];
    with_suggestions(incidents, &mut resolved);
    let [Resolved { targets, diagnostics, outgoing, backlinks, .. }] = resolved;
    // The sentence `t`'s page quotes from `i`, read from `links`.
    let quoted = |table: &LinkTable, t: IncidentIdx, links: &[WikiLink]| -> Option<String> {
        let b = t.of(&table.backlinks)?.iter().find(|b| b.source == i)?;
        links.get(b.link as usize).map(|link| link.context.clone())
    };
    #[allow(clippy::expect_used, reason = "the table has a list per incident, `i` is one (above)")]
    let old = i.of_mut(&mut table.outgoing).map(std::mem::take).expect("a list per incident");
    let before: Vec<(IncidentIdx, Option<String>)> =
        old.iter().map(|&t| (t, quoted(table, t, links_before))).collect();
    for &t in &old {
        if let Some(list) = t.of_mut(&mut table.backlinks) {
            list.retain(|b| b.source != i);
        }
    }
    file_backlinks(&mut table.backlinks, &outgoing, backlinks);
    if let Some(slot) = i.of_mut(&mut table.outgoing) {
        *slot = outgoing;
    }
    if let Some(slot) = i.of_mut(&mut table.targets) {
        *slot = targets;
    }
    let now = i.of(&table.outgoing).map_or(&[][..], Vec::as_slice);
    let mut touched: Vec<IncidentIdx> = old.iter().chain(now).copied().collect();
    touched.sort_unstable();
    touched.dedup();
    touched.retain(|&t| {
        // `before` follows `old`, which is sorted.
        let was = before.binary_search_by_key(&t, |(b, _)| *b).ok();
        let was = was.and_then(|at| before.get(at)).and_then(|(_, q)| q.as_deref());
        was != quoted(table, t, &incident.doc.outline.links).as_deref()
    });
    (diagnostics, touched)
}

/// Adds each of one source's `backlinks` to the list of its target in
/// `outgoing`, keeping each list sorted by source: a re-link of one
/// incident (a full link files them all at once, see [`backlinks_of`]).
fn file_backlinks(lists: &mut [Vec<Backlink>], outgoing: &[IncidentIdx], backlinks: Vec<Backlink>) {
    for (target, backlink) in outgoing.iter().zip(backlinks) {
        if let Some(list) = target.of_mut(lists) {
            let at = list.partition_point(|b| b.source < backlink.source);
            list.insert(at, backlink);
        }
    }
}

/// One incident's links, resolved.
struct Resolved {
    /// What each link renders as, in document order.
    targets: Vec<LinkTarget>,
    diagnostics: Vec<Diagnostic>,
    /// The unresolved links' warnings that want a suggestion.
    wanted: Vec<Wanted>,
    /// The other incidents it links to, each once, sorted...
    outgoing: Vec<IncidentIdx>,
    /// ...and, for each, the backlink it gets: quoted with the sentence
    /// around the first link to it.
    backlinks: Vec<Backlink>,
}

/// The incident-to-incident edges of `source`'s links: each other incident
/// once, sorted, with its backlink. Sorting, not a search of the edges
/// found so far, keeps a page of thousands of links from costing their
/// square.
fn edges_of(source: IncidentIdx, targets: &[LinkTarget]) -> (Vec<IncidentIdx>, Vec<Backlink>) {
    let mut firsts: Vec<(IncidentIdx, u32)> = (0u32..)
        .zip(targets)
        .filter_map(|(place, target)| match target {
            LinkTarget::Incident { index, .. } if *index != source => Some((*index, place)),
            _ => None,
        })
        .collect();
    // A stable sort: of the links to one incident, the first stays first.
    firsts.sort_by_key(|&(target, _)| target);
    firsts.dedup_by_key(|&mut (target, _)| target);
    firsts.into_iter().map(|(target, link)| (target, Backlink { source, link })).unzip()
}

fn resolve_all(
    i: IncidentIdx,
    incident: &Incident,
    incidents: &[Incident],
    index: &Resolver,
    headings: &HeadingIndexes,
    config: &Config,
) -> Resolved {
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
        .collect::<Vec<_>>();
    let (outgoing, backlinks) = edges_of(i, &targets);
    Resolved { targets, diagnostics, wanted, outgoing, backlinks }
}

fn resolve(
    from: IncidentIdx,
    link: &WikiLink,
    incidents: &[Incident],
    index: &Resolver,
    headings: &HeadingIndexes,
    config: &Config,
    diagnostics: &mut Vec<Diagnostic>,
) -> (LinkTarget, bool) {
    let Some(incident) = from.of(incidents) else { return (LinkTarget::Broken, false) };
    // The link as written is read only for a warning or an unusual name:
    // at 100,000 incidents, reading it for every link was a cache miss
    // per link into 400 MB of text.
    let text = incident.doc.source.text.as_str();
    let (found, warning) = find_target(from, link, text, incidents, index, config);
    let by_whole_name = matches!(warning, Some(Warning::Unresolved(_)))
        .then(|| found_by_whole_name(from, link, text, incidents, index, config))
        .flatten();
    let (found, warning, link) = match by_whole_name {
        Some((again, whole)) => (Ok(again), None, std::borrow::Cow::Owned(whole)),
        None => (found, warning, std::borrow::Cow::Borrowed(link)),
    };
    let unresolved = matches!(warning, Some(Warning::Unresolved(_)));
    diagnostics.extend(warning.map(Warning::into_diagnostic));
    let (target, label_first) = match found {
        Ok(found) => found,
        Err(not_an_incident) => return (not_an_incident, unresolved),
    };
    let Some(target_incident) = target.of(incidents) else { return (LinkTarget::Broken, false) };
    // A link with its own label shows that, so it needs no title.
    let shows_title = !link.has_label;
    let ((anchor, label), warning) = anchor_and_label(
        (target, target_incident),
        headings,
        target == from,
        link.heading.as_deref(),
        shows_title,
    );
    diagnostics.extend(warning);
    // Found by the part after the bar: the part before it is the text.
    let label = if label_first { link.target.clone() } else { label };
    (LinkTarget::Incident { index: target, anchor, label, label_first }, false)
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

/// The incident `link` (written in `text`, its file's) names, and whether
/// it was found by its label (written first, see below); or `Err` with
/// what it is instead (external or broken); and the warning it deserves.
fn find_target(
    from: IncidentIdx,
    link: &WikiLink,
    text: &str,
    incidents: &[Incident],
    index: &Resolver,
    config: &Config,
) -> (std::result::Result<(IncidentIdx, bool), LinkTarget>, Option<Warning>) {
    let written = || written_in(text, link);
    if link.target.is_empty() {
        if link.heading.is_none() {
            let d = Diagnostic::warning("RCA030", format!("empty wiki link `{}`", written()));
            return (Err(LinkTarget::Broken), Some(Warning::Plain(d)));
        }
        return (Ok((from, false)), None);
    }
    // A rule never matches with an empty list; the first is the choice.
    // Dendron and a GitHub wiki write the label first (`[[the
    // outage|incidents.2024.db]]`): a target that names nothing, behind a
    // label that names an incident, is read the other way round.
    let by_label = || {
        let found = index.candidates(label_of(written()).filter(|_| link.has_label)?)?;
        Some((found, true))
    };
    let found = index
        .candidates(&link.target)
        .map(|found| (found, false))
        .or_else(by_label)
        .and_then(|((rule, c), label_first)| Some((rule, *c.first()?, c, label_first)));
    if let Some((rule, first, candidates, label_first)) = found {
        let warning = (candidates.len() > 1).then(|| {
            let written = written();
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
        return (Ok((first, label_first)), warning.map(Warning::Plain));
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
    let written = written();
    let warning = if let Some((file, why)) = index.left_out(&link.target) {
        let (why, help) = match why {
            LeftOut::Excluded => (
                "which `exclude` in hindsight.toml leaves out",
                "link to a page the archive builds, or take the file out of `exclude`",
            ),
            LeftOut::FolderPage => (
                "the folder's own page, left out as no postmortem",
                "link to a page the archive builds, or give that page a date and a severity",
            ),
        };
        Warning::Plain(
            Diagnostic::warning(
                "RCA030",
                format!("{} `{written}` points at {file}, {why}", kind_of(written)),
            )
            .with_help(help),
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

/// A page whose name holds a `#` ("RCA #12 – DB"), which an unresolved
/// link with a heading names whole, not a heading "12 – DB" of a page
/// "RCA": the page and the link read that way. The whole name, else the
/// name up to its last `#` and a heading after it.
fn found_by_whole_name(
    from: IncidentIdx,
    link: &WikiLink,
    text: &str,
    incidents: &[Incident],
    index: &Resolver,
    config: &Config,
) -> Option<((IncidentIdx, bool), WikiLink)> {
    let whole = name_with_hash(written_in(text, link), link)?;
    let last = whole.rsplit_once('#').filter(|(name, _)| name.contains('#'));
    let tries = [Some((whole, None)), last.map(|(name, heading)| (name, Some(heading)))];
    tries.into_iter().flatten().find_map(|(name, heading)| {
        let read = WikiLink {
            target: name.trim().to_string(),
            heading: heading.map(|h| h.trim().to_string()),
            ..link.clone()
        };
        let (found, _) = find_target(from, &read, text, incidents, index, config);
        Some((found.ok()?, read))
    })
}

/// The name a wiki link with a heading (`link`) gives, `#` and all, as
/// written: `[[RCA #12 – DB|the outage]]` gives "RCA #12 – DB".
fn name_with_hash<'w>(written: &'w str, link: &WikiLink) -> Option<&'w str> {
    link.heading.as_ref()?;
    let inner = written.strip_prefix("[[")?.strip_suffix("]]")?;
    let name = inner.split('|').next()?.trim();
    (!name.starts_with('#')).then_some(name)
}

/// `link` as written in `text`, its file's.
fn written_in<'t>(text: &'t str, link: &WikiLink) -> &'t str {
    text.get(link.span.clone()).unwrap_or_default()
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
fn with_suggestions(incidents: &[Incident], per_incident: &mut [Resolved]) {
    let mut names: Vec<&str> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for resolved in per_incident.iter() {
        for (_, name) in &resolved.wanted {
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
    for resolved in per_incident.iter_mut() {
        for (at, name) in resolved.wanted.drain(..) {
            if let (Some(d), Some(s)) = (resolved.diagnostics.get_mut(at), found.get(&name)) {
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
/// heading. The label is empty unless `shows_title`: the title is read
/// only for a link that shows it.
fn anchor_and_label(
    (at, target): (IncidentIdx, &Incident),
    indexes: &HeadingIndexes,
    to_itself: bool,
    heading: Option<&str>,
    shows_title: bool,
) -> ((Option<String>, String), Option<Diagnostic>) {
    let title = || if shows_title { target.title.clone() } else { String::new() };
    let Some(heading) = heading else { return ((None, title()), None) };
    let found =
        find_heading(&target.doc.outline.headings, |headings| indexes.of(at, headings), heading);
    match found {
        Some(h) => {
            let label = match (shows_title, to_itself) {
                (false, _) => String::new(),
                (true, true) => h.text.clone(),
                (true, false) => format!("{} § {}", target.title, h.text),
            };
            ((Some(h.anchor.clone()), label), None)
        }
        None => {
            let d = Diagnostic::warning(
                "RCA032",
                format!("`{}` has no heading {heading:?}", target.slug),
            );
            ((None, title()), Some(d))
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

impl HeadingIndex {
    fn of(headings: &[crate::model::Heading]) -> Self {
        let mut index = HeadingIndex::default();
        for (n, h) in headings.iter().enumerate() {
            index.by_text.entry(h.text.to_ascii_lowercase()).or_insert(n);
            index.by_anchor.entry(h.anchor.clone()).or_insert(n);
        }
        index
    }
}

/// Below this many headings a page's are walked; above, indexed.
const INDEX_HEADINGS: usize = 32;

/// The heading index of each page with more than [`INDEX_HEADINGS`]
/// headings that a link names a heading of, built then: a slot per
/// incident, or a pass over every page to find the long ones, would cost
/// every build at 100,000 incidents for the few pages that need one.
#[derive(Default)]
struct HeadingIndexes(std::sync::Mutex<Map<IncidentIdx, Arc<HeadingIndex>, Hash>>);

impl HeadingIndexes {
    /// The index of the headings of incident `i`, built when first asked.
    fn of(&self, i: IncidentIdx, headings: &[crate::model::Heading]) -> Arc<HeadingIndex> {
        let mut built = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        Arc::clone(built.entry(i).or_insert_with(|| Arc::new(HeadingIndex::of(headings))))
    }
}

/// The first of `headings` whose text is `heading` but for ASCII case, or
/// whose anchor is `heading` or its slug.
fn find_heading<'h>(
    headings: &'h [crate::model::Heading],
    index: impl FnOnce(&'h [crate::model::Heading]) -> Arc<HeadingIndex>,
    heading: &str,
) -> Option<&'h crate::model::Heading> {
    let wanted = slugify_heading(heading);
    if headings.len() <= INDEX_HEADINGS {
        return headings.iter().find(|h| {
            h.text.eq_ignore_ascii_case(heading) || h.anchor == wanted || h.anchor == heading
        });
    }
    let index = index(headings);
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

mod resolver;
mod suggest;

pub(crate) use resolver::{LeftOut, Resolver};
#[cfg(test)]
mod tests;
