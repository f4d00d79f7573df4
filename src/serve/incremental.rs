//! What a rebuild of `serve` recomputes: the pipeline of [`crate::site`],
//! kept in memory between rebuilds so that a change costs what it touches.
//!
//! Inputs: the archive root and the paths the watcher saw change. Outputs:
//! a [`Step`], the files to swap in and the errors to show. Imports: the
//! stages (load through render) and [`super::sources`].
//!
//! Three paths, chosen by [`Pipeline::rebuild`]:
//! - **edit**: one existing incident's file changed, and not its address,
//!   aliases, own id, draft flag or images (see [`full_render_reason`]), nor to a service or
//!   tag that has no page yet. Only that file is parsed and validated, its
//!   wiki links re-resolved, and its page rendered again with the pages
//!   that show it (backlinks quoting it; when its title, date, severity,
//!   services, tags or status changed, also the pages it links to, its
//!   related incidents and later recurrences), from the views of the last
//!   render. The rest of the site is then owed a catch-up.
//! - **full**: anything else. Every stage runs again, but files whose length
//!   and modification time did not change are not read or parsed again.
//! - **catch-up** ([`Pipeline::catch_up`]): after edits, links, related
//!   incidents and every page again, so lists, search, related lists and
//!   stats follow. Run when no change is waiting; a change interrupts it.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use super::OverlayItem;
use super::served::{Files, StoredFile};
use super::sources::Sources;
use crate::config::Config;
use crate::diag::{Diagnostic, Level};
use crate::error::{Error, Result};
use crate::links::{self, Resolver};
use crate::model::{Incident, IncidentIdx, LinkTable, indexed};
use crate::related::{RelatedGraph, relate_unless};
use crate::render::{self, Emit, OutputFile, RenderInput, Views};
use crate::site::{Site, build_date_from_env};
use crate::theme::{Theme, load_theme};
use crate::{lints, validate};

/// What one rebuild produced.
#[derive(Debug)]
pub(super) struct Step {
    /// What to swap in.
    pub(super) files: Files,
    /// The errors to show; empty when the site built cleanly.
    pub(super) errors: Vec<OverlayItem>,
    /// Which path produced it.
    pub(super) kind: super::RebuildKind,
}

/// The last good pipeline state: everything the render stage reads.
struct Analysed {
    config: Config,
    theme: Theme,
    build_date: jiff::civil::Date,
    attachments: Vec<PathBuf>,
    incidents: Vec<Incident>,
    resolver: Resolver,
    links: LinkTable,
    related: RelatedGraph,
    /// The views of the last render; taken while an edit renders.
    views: Option<Views>,
}

impl Analysed {
    fn input<'a>(&'a self, root: &'a Path) -> RenderInput<'a> {
        RenderInput {
            config: &self.config,
            incidents: &self.incidents,
            links: &self.links,
            related: &self.related,
            theme: &self.theme,
            attachments: &self.attachments,
            root,
            build_date: self.build_date,
        }
    }

    /// Renders the whole site, giving up as soon as a newer change arrives.
    fn render_all(
        &mut self,
        root: &Path,
        preempt: Preempt<'_>,
    ) -> std::result::Result<Vec<StoredFile>, Halt> {
        let out = Interruptible { files: Mutex::default(), preempt };
        let views =
            render::render_site_keeping(&self.input(root), &out).map_err(|e| preempt.explain(e))?;
        self.views = Some(views);
        let mut files = out.files.into_inner().unwrap_or_else(|e| e.into_inner());
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(files)
    }
}

/// Tells a running rebuild that a newer change arrived since it started:
/// the watcher counts changes before it sends them, so a count above the
/// one seen at the start means a change is waiting in the channel.
#[derive(Clone, Copy)]
pub(super) struct Preempt<'a> {
    changes: Option<&'a AtomicU64>,
    seen: u64,
}

impl<'a> Preempt<'a> {
    /// Preempted by any change counted after this call.
    pub(super) fn after(changes: &'a AtomicU64) -> Self {
        Preempt { changes: Some(changes), seen: changes.load(Ordering::SeqCst) }
    }

    /// Never preempted (the first build).
    pub(super) fn never() -> Self {
        Preempt { changes: None, seen: 0 }
    }

    /// True once a newer change arrived: whatever runs now is wasted.
    fn is_stale(&self) -> bool {
        self.changes.is_some_and(|c| c.load(Ordering::SeqCst) != self.seen)
    }

    /// Why a stage failed: a newer change (the render was told its files
    /// were unwanted, or failed on the way and no longer matters), or `e`.
    fn explain(&self, e: Error) -> Halt {
        if self.is_stale() { Halt::Preempted } else { Halt::Failed(e) }
    }

    /// The related stage, given up when a newer change arrives.
    fn relate(
        &self,
        incidents: &[Incident],
        links: &LinkTable,
        config: &Config,
    ) -> std::result::Result<RelatedGraph, Halt> {
        let stop = || self.is_stale();
        relate_unless(incidents, links, &config.related, &stop).ok_or(Halt::Preempted)
    }
}

/// After incident `i`'s title changed from `old`: files it under its new
/// title, resolves every link again (a link may have named either title;
/// about 30 ms at 10,000 incidents) and returns the pages whose links now
/// read or resolve differently. `None` when a link no longer resolves: the
/// full path then reports it.
fn retitled(last: &mut Analysed, i: IncidentIdx, old: &str) -> Option<Vec<IncidentIdx>> {
    last.resolver.retitle(&last.incidents, i, old);
    let (links, diagnostics) = links::link_with(&last.resolver, &last.incidents, &last.config);
    if has_errors(&diagnostics) {
        return None;
    }
    let pages: Vec<IncidentIdx> = IncidentIdx::all(last.incidents.len())
        .filter(|&s| s.of(&links.targets) != s.of(&last.links.targets))
        .collect();
    last.links = links;
    Some(pages)
}

/// The pages that show incident `i`'s title, date or severity besides its
/// own, rendered at once after such an edit: those it links to (their "Referenced by" names it), its related
/// incidents and its later recurrences (their lists name it).
fn showing(last: &Analysed, i: IncidentIdx) -> Vec<IncidentIdx> {
    let mut pages: Vec<IncidentIdx> =
        i.of(&last.links.outgoing).into_iter().flatten().copied().collect();
    pages.extend(i.of(&last.related.related).into_iter().flatten().map(|r| r.index));
    pages.extend(
        indexed(&last.related.recurrence_of)
            .filter(|(_, earlier)| **earlier == Some(i))
            .map(|(j, _)| j),
    );
    pages
}

/// Whether an edit changed what other pages show of the incident besides
/// its title: its date, severity, services, tags or status.
fn shown_fields_changed(old: &Incident, new: &Incident) -> bool {
    old.date != new.date
        || old.severity != new.severity
        || old.services != new.services
        || old.tags != new.tags
        || old.status != new.status
}

/// Why a rebuild ended without a site to show. Cancellation is `serve`'s
/// own business: the stages know nothing of it beyond the related stage's
/// stop question and the render's [`Emit::wanted`].
#[derive(Debug)]
enum Halt {
    /// A newer change arrived; nothing of this rebuild is shown, and the
    /// next one runs every stage.
    Preempted,
    /// A stage failed; the error is shown in the overlay.
    Failed(Error),
}

impl From<Error> for Halt {
    fn from(e: Error) -> Self {
        Halt::Failed(e)
    }
}

/// Collects files, packed as they come (so the whole site is never held
/// unpacked), until a newer change arrives; then tells the render its
/// files are [`Error::Unwanted`], so a long render stops early.
struct Interruptible<'a> {
    files: Mutex<Vec<StoredFile>>,
    preempt: Preempt<'a>,
}

impl Emit for Interruptible<'_> {
    fn emit(&self, file: OutputFile) -> Result<()> {
        self.wanted()?;
        // Packed on the render's own thread, outside the lock.
        let file = StoredFile::pack(file);
        self.files.lock().unwrap_or_else(|e| e.into_inner()).push(file);
        Ok(())
    }

    fn wanted(&self) -> Result<()> {
        if self.preempt.is_stale() { Err(Error::Unwanted) } else { Ok(()) }
    }
}

/// What the watcher's paths amount to.
#[derive(Debug, PartialEq, Eq)]
enum Change {
    /// Nothing the site is built from (a temporary file came and went).
    Nothing,
    /// One existing markdown file, relative to the root.
    Edit(PathBuf),
    /// Anything else: files added or removed, attachments, configuration,
    /// theme.
    Other,
}

/// The pipeline state `serve` keeps between rebuilds.
pub(super) struct Pipeline {
    root: PathBuf,
    drafts: bool,
    sources: Sources,
    last: Option<Analysed>,
    /// The errors being shown.
    errors: Vec<OverlayItem>,
    /// Set when the state may be behind the files (an interrupted or
    /// failed rebuild): the next rebuild runs every stage.
    needs_full: bool,
    /// Set after an edit: the site-wide pages are behind.
    owes_catch_up: bool,
}

impl Pipeline {
    /// An empty pipeline; the first [`Self::rebuild`] runs every stage.
    pub(super) fn new(root: &Path, drafts: bool) -> Self {
        Pipeline {
            root: root.to_path_buf(),
            drafts,
            sources: Sources::default(),
            last: None,
            errors: Vec::new(),
            needs_full: true,
            owes_catch_up: false,
        }
    }

    /// True when an edit left the site-wide pages behind.
    pub(super) fn owes_catch_up(&self) -> bool {
        self.owes_catch_up && !self.needs_full
    }

    /// Rebuilds after `changed` (paths relative to the root) changed.
    /// `None` when a newer change preempted it: nothing changed, and the
    /// next rebuild runs every stage.
    pub(super) fn rebuild(
        &mut self,
        changed: &BTreeSet<PathBuf>,
        preempt: Preempt<'_>,
    ) -> Option<Step> {
        let step = match self.classify(changed) {
            Change::Nothing if !self.needs_full => {
                Some(Step { files: Files::Keep, errors: self.errors.clone(), kind: Kind::Edit })
            }
            Change::Edit(rel) if !self.needs_full => match self.edit(&rel) {
                Some(step) => Some(step),
                None => self.full(changed, preempt),
            },
            _ => self.full(changed, preempt),
        };
        if let Some(step) = &step {
            self.errors.clone_from(&step.errors);
        }
        step
    }

    fn classify(&self, changed: &BTreeSet<PathBuf>) -> Change {
        let mut edits = Vec::new();
        for rel in changed {
            let mut parts = rel.components().map(|c| c.as_os_str());
            if parts.next() != Some(std::ffi::OsStr::new(crate::load::CONTENT_DIR)) {
                return Change::Other;
            }
            if parts.any(crate::load::is_hidden) {
                continue;
            }
            let path = self.root.join(rel);
            let known = self.sources.contains(rel)
                || self.last.as_ref().is_some_and(|l| l.attachments.iter().any(|a| a == rel));
            match (path.is_file(), known) {
                (true, true) if crate::load::is_markdown(rel) => edits.push(rel),
                // A temporary file that came and went.
                (false, false) if !path.exists() => {}
                _ => return Change::Other,
            }
        }
        match edits.as_slice() {
            [] => Change::Nothing,
            [one] => Change::Edit(one.to_path_buf()),
            _ => Change::Other,
        }
    }

    /// Runs every stage, reusing the parses of files that did not change.
    fn full(&mut self, changed: &BTreeSet<PathBuf>, preempt: Preempt<'_>) -> Option<Step> {
        self.needs_full = true;
        let step = match self.run_stages(changed, preempt) {
            Ok(step) => step,
            Err(Halt::Preempted) => return None,
            Err(Halt::Failed(e)) => {
                let errors = vec![OverlayItem::from_error(&self.root, &e)];
                Step { files: Files::Keep, errors, kind: Kind::Full }
            }
        };
        Some(step)
    }

    fn run_stages(
        &mut self,
        changed: &BTreeSet<PathBuf>,
        preempt: Preempt<'_>,
    ) -> std::result::Result<Step, Halt> {
        let site = Site::open(&self.root)?;
        let theme = load_theme(&self.root, &site.config)?;
        let loaded = self.sources.load(&self.root, &site.config, changed)?;
        let mut report = crate::site::BuildReport::default();
        let analysis =
            crate::site::analyze(loaded, &site.config, site.build_date, self.drafts, &mut report);
        let errors = OverlayItem::from_diagnostics(&report.diagnostics);
        if !errors.is_empty() && self.last.is_some() {
            // The last good site stays; only the overlay changes.
            return Ok(Step { files: Files::Keep, errors, kind: Kind::Full });
        }
        let related = preempt.relate(&analysis.incidents, &analysis.links, &site.config)?;
        let mut analysed = Analysed {
            config: site.config,
            theme,
            build_date: site.build_date,
            attachments: analysis.attachments,
            incidents: analysis.incidents,
            resolver: analysis.resolver,
            links: analysis.links,
            related,
            views: None,
        };
        let files = analysed.render_all(&self.root, preempt)?;
        self.last = Some(analysed);
        self.needs_full = false;
        self.owes_catch_up = false;
        Ok(Step { files: Files::Site(files), errors, kind: Kind::Full })
    }

    /// The edit path: `None` when the change needs the full path.
    fn edit(&mut self, rel: &Path) -> Option<Step> {
        let last = self.last.as_mut()?;
        if !self.errors.is_empty() || build_date_from_env() != last.build_date {
            return None;
        }
        let i = IncidentIdx::new(last.incidents.iter().position(|x| x.rel_path() == rel)?);
        let (document, diagnostics) = self.sources.reload(&self.root, rel, &last.config);
        let document = document.filter(|_| !has_errors(&diagnostics))?;
        let before = i.of(&last.incidents)?;
        if document.source.text == before.doc.source.text {
            return Some(Step { files: Files::Keep, errors: Vec::new(), kind: Kind::Edit });
        }
        let (incident, diagnostics) = validate::incident_from(document, &last.config);
        let incident = incident.filter(|_| !has_errors(&diagnostics))?;
        if full_render_reason(before, &incident).is_some()
            || has_errors(&lints::lint(
                std::slice::from_ref(&incident),
                &last.config,
                last.build_date,
            ))
        {
            return None;
        }
        // A service or tag without a page yet: its link needs the full path.
        let views = last.views.as_ref()?;
        if !incident.services.iter().all(|s| views.services.has(s))
            || !incident.tags.iter().all(|t| views.tags.has(t))
        {
            return None;
        }
        let headings_changed = before.doc.outline.headings != incident.doc.outline.headings;
        let old_title = (before.title != incident.title).then(|| before.title.clone());
        let shown_changed = old_title.is_some() || shown_fields_changed(before, &incident);
        let before = std::mem::replace(i.of_mut(&mut last.incidents)?, incident);
        // The state is changing: if anything below fails, only running
        // every stage makes it whole again.
        self.needs_full = true;
        let mut pages = match old_title {
            Some(old) => retitled(last, i, &old)?,
            None => {
                let (diagnostics, pages) = links::relink(
                    &mut last.links,
                    &last.resolver,
                    &last.incidents,
                    (i, &before.doc.outline.links),
                    &last.config,
                );
                if has_errors(&diagnostics) {
                    return None;
                }
                pages
            }
        };
        if shown_changed {
            // Lists and site-wide files follow in the catch-up.
            pages.extend(showing(last, i));
        }
        if headings_changed {
            // Links to its headings may now resolve differently.
            let sources: Vec<IncidentIdx> = i
                .of(&last.links.backlinks)
                .map(|list| list.iter().map(|b| b.source).collect())
                .unwrap_or_default();
            for s in sources {
                let before = s.of(&last.links.targets).cloned();
                let Some(source) = s.of(&last.incidents) else { continue };
                let unchanged = (s, source.doc.outline.links.as_slice());
                links::relink(
                    &mut last.links,
                    &last.resolver,
                    &last.incidents,
                    unchanged,
                    &last.config,
                );
                if s.of(&last.links.targets) != before.as_ref() {
                    pages.push(s);
                }
            }
        }
        pages.push(i);
        pages.sort_unstable();
        pages.dedup();
        let views = last.views.take()?;
        let (views, files) =
            render::render_incident_pages(&last.input(&self.root), views, i, &pages);
        last.views = Some(views);
        let files = files.ok()?.into_iter().map(StoredFile::pack).collect();
        self.needs_full = false;
        self.owes_catch_up = true;
        Some(Step { files: Files::Some(files), errors: Vec::new(), kind: Kind::Edit })
    }

    /// After edits: links, related incidents and every page again, from the
    /// kept state. `None` when nothing is owed or a newer change preempted it.
    pub(super) fn catch_up(&mut self, preempt: Preempt<'_>) -> Option<Step> {
        if !self.owes_catch_up() {
            return None;
        }
        let last = self.last.as_mut()?;
        let (links, _) = links::link_with(&last.resolver, &last.incidents, &last.config);
        let related = preempt.relate(&last.incidents, &links, &last.config).ok()?;
        last.links = links;
        last.related = related;
        let step = match last.render_all(&self.root, preempt) {
            Ok(files) => {
                Step { files: Files::Site(files), errors: self.errors.clone(), kind: Kind::CatchUp }
            }
            Err(Halt::Preempted) => return None,
            Err(Halt::Failed(e)) => {
                self.needs_full = true;
                let errors = vec![OverlayItem::from_error(&self.root, &e)];
                Step { files: Files::Keep, errors, kind: Kind::CatchUp }
            }
        };
        self.owes_catch_up = false;
        self.errors.clone_from(&step.errors);
        Some(step)
    }
}

use super::RebuildKind as Kind;

fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(|d| d.level == Level::Error)
}

/// Why an edit of an incident must run every stage rather than render its
/// own page and the pages that show it: the first changed field that gives
/// it its address or lets links find it (slug, aliases, own id), or takes it in or
/// out of the site (draft), or a changed list of the images it shows (the
/// load stage finds their files and names missing ones); `None` otherwise.
/// Other fields (title, date, severity, services, tags, status) reach the
/// lists, term pages, search and stats in the catch-up.
pub(super) fn full_render_reason(old: &Incident, new: &Incident) -> Option<&'static str> {
    fn images(i: &Incident) -> Vec<&str> {
        let outline = &i.doc.outline;
        let images = outline.images.iter().map(|(src, _)| src.as_str());
        images.chain(outline.file_links.iter().map(String::as_str)).collect()
    }
    [
        ("slug", old.slug != new.slug),
        ("aliases", old.aliases != new.aliases),
        ("own id", old.own_id != new.own_id),
        ("draft", old.draft != new.draft),
        ("images", images(old) != images(new)),
    ]
    .into_iter()
    .find_map(|(field, changed)| changed.then_some(field))
}

#[cfg(test)]
mod tests;
