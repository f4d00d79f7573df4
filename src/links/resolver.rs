//! The link stage's lookup tables: each incident under the names a link
//! may use for it (slug, file stem, path, alias or its own id, title),
//! the attachments by name and path, and the files left out of the build,
//! so a link to one can say so. The rules' order is in [`super`].
//!
//! Inputs: the validated incidents, the drafts' slugs, the attachments and
//! the files `exclude` leaves out. Output: a [`Resolver`]. Pure.

use std::collections::HashMap as Map;

use foldhash::fast::RandomState as Hash;

use crate::model::{Incident, IncidentIdx, Slug, indexed, is_folder_page};

/// A name (file stem, path, alias or title) and the incidents under it.
type Names = Map<String, Under, Hash>;

/// The incidents under one name, sorted by slug: nearly always one, kept
/// without an allocation of its own (at 100,000 incidents, one list per
/// name was 400,000 allocations on every build).
#[derive(Debug, Clone)]
enum Under {
    One(IncidentIdx),
    Many(Vec<IncidentIdx>),
}

impl Under {
    fn as_slice(&self) -> &[IncidentIdx] {
        match self {
            Under::One(i) => std::slice::from_ref(i),
            Under::Many(list) => list,
        }
    }

    /// Adds `i`; [`Under::sort`] puts the incidents in order.
    fn add(&mut self, i: IncidentIdx) {
        match self {
            Under::One(first) => *self = Under::Many(vec![*first, i]),
            Under::Many(list) => list.push(i),
        }
    }

    /// Sorts the incidents by slug, each once.
    fn sort(&mut self, incidents: &[Incident]) {
        if let Under::Many(list) = self {
            sort_by_slug(list, incidents);
        }
    }

    /// Takes `i` out; `false` when none is left.
    fn remove(&mut self, i: IncidentIdx) -> bool {
        match self {
            Under::One(only) => *only != i,
            Under::Many(list) => {
                list.retain(|&x| x != i);
                !list.is_empty()
            }
        }
    }
}

/// Lookup tables for the resolution rules, built from the incidents' names
/// (slug, file stem, path, aliases, title). `serve` keeps one between
/// rebuilds: an edit that changes none of those names re-resolves only the
/// edited incident's links against it (see [`super::relink`]).
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
    pub(super) attachments: std::collections::HashSet<String>,
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
        let names = |name: fn(&Incident, &mut Vec<String>)| names_of(incidents, name);
        let stems = || names(|x, to| to.push(x.doc.source.stem.clone()));
        // A page bundle also by its folder, as a link to the folder names it.
        let paths = || {
            names(|x, to| {
                let path = &x.doc.source.content_path;
                let folder = path.rsplit_once('/').filter(|(folder, file)| {
                    is_folder_page(file)
                        && folder.rsplit('/').next() == Some(x.doc.source.stem.as_str())
                });
                to.extend(std::iter::once(path.clone()).chain(folder.map(|(f, _)| f.to_string())));
            })
        };
        let aliases = || {
            names(|x, to| to.extend(x.aliases.iter().map(|a| a.to_lowercase()).chain(own_id(x))))
        };
        let titles = || names(|x, to| to.push(x.title.to_lowercase()));
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
    /// rebuild (every link is then resolved again, see [`super::link_with`]).
    pub(crate) fn retitle(&mut self, incidents: &[Incident], i: IncidentIdx, old: &str) {
        let old = old.to_lowercase();
        if let Some(under) = self.title.get_mut(&old)
            && !under.remove(i)
        {
            self.title.remove(&old);
        }
        let Some(incident) = i.of(incidents) else { return };
        let under = self.title.entry(incident.title.to_lowercase());
        under.and_modify(|u| u.add(i)).or_insert(Under::One(i)).sort(incidents);
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

    /// Lets a link to a file `exclude` leaves out (paths relative to the
    /// root) say so: a wiki's index page is linked from the write-ups it
    /// lists. Each is found by its path under the content folder, as a
    /// markdown link names it, or by the slug its name makes, as `[[Incident
    /// Index]]` names `Incident-Index.md`.
    pub(crate) fn with_left_out(mut self, files: &[std::path::PathBuf], content_dir: &str) -> Self {
        for file in files {
            let shown = file.display().to_string();
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

    /// The file `exclude` leaves out that `target` names: by its path,
    /// else by its name.
    pub(super) fn left_out(&self, target: &str) -> Option<&str> {
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
            return Some(("file name", v.as_slice()));
        }
        let path = target.trim_start_matches("content/").trim_end_matches(".md");
        if let Some(v) = self.path.get(path) {
            return Some(("path", v.as_slice()));
        }
        let lower = target.to_lowercase();
        if let Some(v) = self.alias.get(&lower) {
            return Some(("alias", v.as_slice()));
        }
        if let Some(v) = self.title.get(&lower) {
            return Some(("title", v.as_slice()));
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

/// Each incident by its slug.
fn slugs_of(incidents: &[Incident]) -> Map<Slug, IncidentIdx, Hash> {
    let mut slugs = Map::with_capacity_and_hasher(incidents.len(), Hash::default());
    for (i, incident) in indexed(incidents) {
        slugs.insert(incident.slug.clone(), i);
    }
    slugs
}

/// The incidents under each name `name` gives them (it adds them to the
/// list it is given), each list sorted by slug so that "the first" of an
/// ambiguous set does not depend on the build order (newest first).
fn names_of(incidents: &[Incident], name: fn(&Incident, &mut Vec<String>)) -> Names {
    let mut names = Names::with_capacity_and_hasher(incidents.len(), Hash::default());
    let mut keys = Vec::new();
    let mut shared = false;
    for (i, incident) in indexed(incidents) {
        name(incident, &mut keys);
        for key in keys.drain(..) {
            match names.entry(key) {
                std::collections::hash_map::Entry::Occupied(mut under) => {
                    under.get_mut().add(i);
                    shared = true;
                }
                std::collections::hash_map::Entry::Vacant(slot) => {
                    slot.insert(Under::One(i));
                }
            }
        }
    }
    if shared {
        names.values_mut().for_each(|under| under.sort(incidents));
    }
    names
}

/// Sorts the incidents a name finds by slug, each once, so resolution and
/// its ambiguity reports never depend on the input order.
fn sort_by_slug(list: &mut Vec<IncidentIdx>, incidents: &[Incident]) {
    list.sort_by_key(|&i| i.of(incidents).map(|x| x.slug.as_str()));
    list.dedup();
}
