//! Stage 3, link: resolve every wiki link of the archive.
//!
//! Inputs: the validated incidents, the slugs of drafts left out, and
//! [`Config`]. Outputs: a [`LinkTable`] (what each link renders as, and the
//! incident graph the links form) and diagnostics for unresolved, ambiguous
//! and heading-less links. Imports: diag, config, model, markdown (for
//! heading anchors).
//!
//! A target resolves, in order, to a slug, a file stem, a path under
//! `content/` without `.md`, an alias, or a title (case-insensitive). The
//! first rule with any match wins; several matches under one rule is a
//! warning naming them, and the first by slug is used.

use std::collections::HashMap as Map;

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
    drafts: Vec<Slug>,
    /// File names of the attachments: a vault links to `[[sentinel.log]]`
    /// by name, and the file is copied beside the page (see `attach`).
    attachments: std::collections::HashSet<String>,
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
        let paths = || names(|x| vec![x.doc.source.content_path.clone()]);
        let aliases = || names(|x| x.aliases.iter().map(|a| a.to_lowercase()).collect());
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
            drafts: drafts.to_vec(),
            attachments: std::collections::HashSet::new(),
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

    /// Lets links name these attachments (paths relative to the root).
    pub(crate) fn with_attachments(mut self, attachments: &[std::path::PathBuf]) -> Self {
        self.attachments = attachments
            .iter()
            .filter_map(|a| a.file_name()?.to_str().map(str::to_string))
            .collect();
        self
    }

    /// The candidates of the first rule that matches `target`.
    fn candidates(&self, target: &str) -> Option<(&'static str, Vec<IncidentIdx>)> {
        if let Some(&i) =
            self.slug.get(target).or_else(|| self.slug.get(target.to_lowercase().as_str()))
        {
            return Some(("slug", vec![i]));
        }
        // Obsidian writes `[[Note.md]]` as readily as `[[Note]]`.
        let stem = self.stem.get(target).or_else(|| {
            let bare = target.strip_suffix(".md").or_else(|| target.strip_suffix(".markdown"))?;
            self.stem.get(bare)
        });
        if let Some(v) = stem {
            return Some(("file name", v.clone()));
        }
        let path = target.trim_start_matches("content/").trim_end_matches(".md");
        if let Some(v) = self.path.get(path) {
            return Some(("path", v.clone()));
        }
        let lower = target.to_lowercase();
        if let Some(v) = self.alias.get(&lower) {
            return Some(("alias", v.clone()));
        }
        self.title.get(&lower).map(|v| ("title", v.clone()))
    }

    fn is_draft(&self, target: &str) -> bool {
        let lower = target.to_lowercase();
        self.drafts.iter().any(|d| *d == *lower)
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
    let per_incident: Vec<(Vec<LinkTarget>, Vec<Diagnostic>)> = incidents
        .par_iter()
        .enumerate()
        .map(|(i, incident)| {
            resolve_all(IncidentIdx::new(i), incident, incidents, resolver, config)
        })
        .collect();

    let mut table = LinkTable {
        targets: Vec::with_capacity(incidents.len()),
        outgoing: vec![Vec::new(); incidents.len()],
        backlinks: vec![Vec::new(); incidents.len()],
    };
    let mut diagnostics = Vec::new();
    for (source, ((targets, diags), incident)) in
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
    let (targets, diagnostics) = resolve_all(i, incident, incidents, resolver, config);
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
    config: &Config,
) -> (Vec<LinkTarget>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    // Links come in document order: their positions cost one walk of the file.
    let source = &incident.doc.source;
    let mut locator = Locator::new(&source.text);
    let targets = incident
        .doc
        .outline
        .links
        .iter()
        .map(|link| {
            let mut found = Vec::new();
            let target = resolve(i, link, incidents, index, config, &mut found);
            for d in found {
                diagnostics.push(d.at_next(&source.rel_path, &mut locator, link.span.clone()));
            }
            target
        })
        .collect();
    (targets, diagnostics)
}

fn resolve(
    from: IncidentIdx,
    link: &WikiLink,
    incidents: &[Incident],
    index: &Resolver,
    config: &Config,
    diagnostics: &mut Vec<Diagnostic>,
) -> LinkTarget {
    let Some(incident) = from.of(incidents) else { return LinkTarget::Broken };
    let written = &incident.doc.source.text[link.span.clone()];

    let (found, warning) = find_target(from, link, written, incidents, index, config);
    diagnostics.extend(warning);
    let target = match found {
        Ok(target) => target,
        Err(not_an_incident) => return not_an_incident,
    };
    let Some(target_incident) = target.of(incidents) else { return LinkTarget::Broken };
    let ((anchor, label), warning) =
        anchor_and_label(target_incident, target == from, link.heading.as_deref());
    diagnostics.extend(warning);
    LinkTarget::Incident { index: target, anchor, label }
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
) -> (std::result::Result<IncidentIdx, LinkTarget>, Option<Diagnostic>) {
    if link.target.is_empty() {
        if link.heading.is_none() {
            let d = Diagnostic::warning("RCA030", format!("empty wiki link `{written}`"));
            return (Err(LinkTarget::Broken), Some(d));
        }
        return (Ok(from), None);
    }
    // A rule never matches with an empty list; the first is the choice.
    let found = index.candidates(&link.target).and_then(|(rule, c)| Some((rule, *c.first()?, c)));
    if let Some((rule, first, candidates)) = found {
        let warning = (candidates.len() > 1).then(|| {
            let names: Vec<_> = candidates
                .iter()
                .filter_map(|&c| c.of(incidents))
                .map(|c| format!("`{}`", c.slug))
                .collect();
            Diagnostic::warning(
                "RCA031",
                format!(
                    "wiki link `{written}` is ambiguous: its {rule} matches {}; linking to the first",
                    names.join(", ")
                ),
            )
            .with_help("link by slug to choose one")
        });
        return (Ok(first), warning);
    }
    if let Some(url) = external_url(&link.target, config) {
        return (Err(LinkTarget::External { url }), None);
    }
    if index.attachments.contains(&link.target) {
        // Copied beside the linking page, so its name is its address.
        return (Err(LinkTarget::External { url: encode(&link.target) }), None);
    }
    if link.heading.is_none() && is_day(&link.target) {
        return (Err(LinkTarget::Day), None);
    }
    let d = if index.is_draft(&link.target) {
        Diagnostic::warning(
            "RCA030",
            format!("wiki link `{written}` points at a draft, which is not built"),
        )
        .with_help("build with --drafts, or publish the draft")
    } else {
        let d = Diagnostic::warning("RCA030", format!("unresolved wiki link `{written}`"));
        match did_you_mean(&link.target, incidents) {
            Some(s) => d.with_help(format!("did you mean `[[{s}]]`?")),
            None => d,
        }
    };
    (Err(LinkTarget::Broken), Some(d))
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
    to_itself: bool,
    heading: Option<&str>,
) -> ((Option<String>, String), Option<Diagnostic>) {
    let Some(heading) = heading else { return ((None, target.title.clone()), None) };
    let wanted = slugify_heading(heading);
    let found = target.doc.outline.headings.iter().find(|h| {
        h.text.eq_ignore_ascii_case(heading) || h.anchor == wanted || h.anchor == heading
    });
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

/// The slug or title closest to a broken target, if one is close enough.
fn did_you_mean(target: &str, incidents: &[Incident]) -> Option<String> {
    let target = target.to_lowercase();
    let mut best: Option<(f64, &str)> = None;
    for incident in incidents {
        for (candidate, shown) in [
            (incident.slug.to_string(), incident.slug.as_str()),
            (incident.title.to_lowercase(), incident.title.as_str()),
        ] {
            let score = strsim::normalized_levenshtein(&target, &candidate);
            if score >= 0.7 && best.is_none_or(|(b, s)| score > b || (score == b && shown < s)) {
                best = Some((score, shown));
            }
        }
    }
    best.map(|(_, s)| s.to_string())
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

#[cfg(test)]
mod tests;
