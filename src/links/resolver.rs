//! The link stage's lookup tables: each incident under the names a link
//! may use for it (slug, file stem, path, alias or its own id, title),
//! the attachments by name and path, and the files left out of the build,
//! so a link to one can say so. The rules' order is in [`super`].
//!
//! Inputs: the validated incidents, the drafts' slugs, the attachments and
//! the markdown files left out (by `exclude`, or as a folder's own page).
//! Output: a [`Resolver`]. Pure.

use std::collections::HashMap as Map;

use foldhash::fast::RandomState as Hash;

use rayon::prelude::*;

use crate::model::{Incident, IncidentIdx, Slug, is_folder_page};

/// What left a markdown file out of the build, for a link to it to say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LeftOut {
    /// `exclude` in hindsight.toml.
    Excluded,
    /// It is the page of the folder around the postmortems (a readme, a
    /// section index), with no date and no severity.
    FolderPage,
}

/// Each name of one kind (file stem, path, alias or title) and the
/// incidents under it. Small, as it is built on every build: at 100,000
/// incidents a table of owned strings and a list per name outgrew the
/// caches and made 100,000 allocations per table.
struct Names {
    /// Each name and who is under it: the incident, or, when its `u32`
    /// has [`SHARED`] set, the place of a list in `shared`.
    under: Map<Box<str>, IncidentIdx, Hash>,
    /// The incidents of the names several share, sorted by slug.
    shared: Vec<Vec<IncidentIdx>>,
}

/// Marks a value of [`Names::under`] as the place of a shared list.
const SHARED: u32 = 1 << 31;

/// The place in [`Names::shared`] that `value` of [`Names::under`] names,
/// or `None` when it is an incident.
fn shared_place(value: IncidentIdx) -> Option<usize> {
    let value = value.to_u32();
    (value & SHARED != 0).then_some((value & !SHARED) as usize)
}

impl Names {
    /// The incidents under each name of `names` (in incident order), each
    /// list sorted by slug so that "the first" of an ambiguous set does
    /// not depend on the build order (newest first).
    fn of(incidents: &[Incident], names: impl Iterator<Item = (String, IncidentIdx)>) -> Names {
        let mut table = Names {
            under: Map::with_capacity_and_hasher(incidents.len(), Hash::default()),
            shared: Vec::new(),
        };
        for (name, i) in names {
            table.add(name.into_boxed_str(), i);
        }
        table.shared.iter_mut().for_each(|list| sort_by_slug(list, incidents));
        table
    }

    /// Files `i` under `name`, last: the caller sorts a shared list.
    /// Returns that list, when the name is shared.
    fn add(&mut self, name: Box<str>, i: IncidentIdx) -> Option<&mut Vec<IncidentIdx>> {
        let value = self.under.entry(name).or_insert(i);
        if *value == i {
            return None;
        }
        let place = match shared_place(*value) {
            Some(place) => place,
            None => {
                let place = self.shared.len();
                self.shared.push(vec![*value]);
                *value = IncidentIdx::from_u32(SHARED | u32::try_from(place).ok()?);
                place
            }
        };
        let list = self.shared.get_mut(place)?;
        list.push(i);
        Some(list)
    }

    /// The incidents under `name`, sorted by slug.
    fn get(&self, name: &str) -> Option<&[IncidentIdx]> {
        let value = self.under.get(name)?;
        match shared_place(*value) {
            Some(place) => self.shared.get(place).map(Vec::as_slice),
            None => Some(std::slice::from_ref(value)),
        }
    }

    /// Takes `i` from under `name`.
    fn remove(&mut self, name: &str, i: IncidentIdx) {
        let Some(value) = self.under.get(name).copied() else { return };
        let left = match shared_place(value) {
            Some(place) => self.shared.get_mut(place).is_some_and(|list| {
                list.retain(|&x| x != i);
                !list.is_empty()
            }),
            None => value != i,
        };
        if !left {
            self.under.remove(name);
        }
    }
}

/// Lookup tables for the resolution rules, built from the incidents' names
/// (slug, file stem, path, aliases, title). `serve` keeps one between
/// rebuilds: an edit that changes none of those names re-resolves only the
/// edited incident's links against it (see [`super::relink`]).
pub(crate) struct Resolver {
    slug: Map<Box<str>, IncidentIdx, Hash>,
    stem: Names,
    path: Names,
    alias: Names,
    title: Names,
    /// The slugs of drafts left out, as text: looked up for every broken
    /// link, so a set, not a list.
    drafts: std::collections::HashSet<String, Hash>,
    /// File names of the attachments: a vault links to `[[sentinel.log]]`
    /// by name, and the file is copied beside the page (see `attach`).
    pub(super) attachments: std::collections::HashSet<String>,
    /// The same files by their paths under the content folder: a GitHub
    /// wiki links to `[[images/lag.png]]`, copied beside the page at that
    /// path.
    attachment_paths: std::collections::HashSet<String>,
    /// Markdown files left out (by `exclude`, or as a folder's own page),
    /// as shown and why, by their paths under the content folder and by
    /// the slugs their names make (see [`Resolver::with_left_out`]).
    left_out: Map<String, (String, LeftOut), Hash>,
}

impl Resolver {
    /// Indexes `incidents` (in build order); `drafts` are the slugs of
    /// drafts left out, so a link to one can say so.
    pub(crate) fn new(incidents: &[Incident], drafts: &[Slug]) -> Self {
        // Every incident's names are read in one parallel pass, while its
        // fields are in cache, and each table is then built on its own
        // from them: five passes over 100,000 incidents, one per table,
        // went back to each incident's fields five times.
        let size = incidents.len().div_ceil(4 * rayon::current_num_threads()).max(256);
        let read: Vec<NamesRead> = incidents
            .par_chunks(size)
            .enumerate()
            .map(|(c, run)| NamesRead::of(run, c * size))
            .collect();
        let mut kinds: [Vec<Vec<(String, IncidentIdx)>>; 5] = Default::default();
        for run in read {
            for (kind, names) in kinds.iter_mut().zip(run.0) {
                kind.push(names);
            }
        }
        let table = |kind: Vec<Vec<(String, IncidentIdx)>>| {
            Names::of(incidents, kind.into_iter().flatten())
        };
        let [slugs, stems, paths, aliases, titles] = kinds;
        let ((slug, stem), ((path, alias), title)) = rayon::join(
            || rayon::join(|| slugs_of(incidents, slugs), || table(stems)),
            || rayon::join(|| rayon::join(|| table(paths), || table(aliases)), || table(titles)),
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
    /// rebuild (every link is then resolved again, see [`super::link_with`]).
    pub(crate) fn retitle(&mut self, incidents: &[Incident], i: IncidentIdx, old: &str) {
        self.title.remove(&old.to_lowercase(), i);
        let Some(incident) = i.of(incidents) else { return };
        if let Some(list) = self.title.add(incident.title.to_lowercase().into(), i) {
            sort_by_slug(list, incidents);
        }
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
    pub(super) fn is_attachment_path(&self, folder: &str, target: &str) -> bool {
        let target = target.trim_start_matches('/');
        if !target.contains('/') || self.attachment_paths.is_empty() {
            return false;
        }
        let beside = if folder.is_empty() { None } else { Some(format!("{folder}/{target}")) };
        beside.is_some_and(|p| self.attachment_paths.contains(&p))
            || self.attachment_paths.contains(target)
    }

    /// Lets a link to a markdown file left out of the build (`files`,
    /// relative to the root; `why` says what left them out) say so: a
    /// wiki's index page is linked from the write-ups it lists. Each is
    /// found by its path under the content folder, as a markdown link names
    /// it, or by the slug its name makes, as `[[Incident Index]]` names
    /// `Incident-Index.md`.
    pub(crate) fn with_left_out(
        mut self,
        files: &[std::path::PathBuf],
        content_dir: &str,
        why: LeftOut,
    ) -> Self {
        for file in files {
            let shown = (file.display().to_string(), why);
            let under = under_content(file, content_dir);
            // Of two files whose names make one slug, the first.
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

    /// The file left out that `target` names, by its path, else by its
    /// name, and what left it out.
    pub(super) fn left_out(&self, target: &str) -> Option<&(String, LeftOut)> {
        if self.left_out.is_empty() || !target.chars().any(char::is_alphanumeric) {
            return None;
        }
        let bare = target.strip_suffix(".md").unwrap_or(target);
        let name = bare.rsplit('/').next().unwrap_or(bare);
        let by_path = bare.contains('/').then(|| self.left_out.get(bare)).flatten();
        by_path.or_else(|| self.left_out.get(&crate::validate::slug_from_stem(name)))
    }

    /// The candidates of the first rule that matches `target`.
    pub(super) fn candidates(&self, target: &str) -> Option<(&'static str, &[IncidentIdx])> {
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

    pub(super) fn is_draft(&self, target: &str) -> bool {
        let lower = target.to_lowercase();
        self.drafts.contains(lower.as_str())
    }
}

/// `path` (relative to the archive root) under the content folder
/// `content_dir`, which may be the root itself (`.`).
fn under_content<'p>(path: &'p std::path::Path, content_dir: &str) -> Option<&'p std::path::Path> {
    path.strip_prefix(crate::model::content_folder(content_dir)).ok()
}

/// Each incident by its slug (`slugs`, per run of incidents, in order).
fn slugs_of(
    incidents: &[Incident],
    slugs: Vec<Vec<(String, IncidentIdx)>>,
) -> Map<Box<str>, IncidentIdx, Hash> {
    let mut table = Map::with_capacity_and_hasher(incidents.len(), Hash::default());
    for (slug, i) in slugs.into_iter().flatten() {
        table.insert(slug.into_boxed_str(), i);
    }
    table
}

/// The names of a run of incidents, each with its incident, in incident
/// order, by the table they go in: slug, file stem, path, alias (and
/// own id), title.
struct NamesRead([Vec<(String, IncidentIdx)>; 5]);

impl NamesRead {
    /// The names of `run`, whose first incident is number `first`.
    fn of(run: &[Incident], first: usize) -> NamesRead {
        let [mut slug, mut stem, mut path, mut alias, mut title]: [Vec<(String, IncidentIdx)>; 5] =
            Default::default();
        for (n, x) in run.iter().enumerate() {
            let i = IncidentIdx::new(first + n);
            let source = &x.doc.source;
            slug.push((x.slug.as_str().to_string(), i));
            stem.push((source.stem.clone(), i));
            let content_path = &source.content_path;
            path.push((content_path.clone(), i));
            // A page bundle also by its folder, as a link to the folder names it.
            let folder = content_path.rsplit_once('/').filter(|(folder, file)| {
                is_folder_page(file) && folder.rsplit('/').next() == Some(source.stem.as_str())
            });
            path.extend(folder.map(|(f, _)| (f.to_string(), i)));
            alias.extend(x.aliases.iter().chain(&x.own_id).map(|a| (a.to_lowercase(), i)));
            title.push((x.title.to_lowercase(), i));
        }
        NamesRead([slug, stem, path, alias, title])
    }
}

/// Sorts the incidents a name finds by slug, each once, so resolution and
/// its ambiguity reports never depend on the input order.
fn sort_by_slug(list: &mut Vec<IncidentIdx>, incidents: &[Incident]) {
    list.sort_by_key(|&i| i.of(incidents).map(|x| x.slug.as_str()));
    list.dedup();
}
