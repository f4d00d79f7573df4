//! Orchestration: runs the stages in order for `build` and `check`.
//!
//! [`Site::open`] reads the configuration; [`Site::check`] runs the stages up
//! to linking and writes nothing; [`Site::build`] runs them all. A bad file
//! never stops the good ones: content problems come back as diagnostics in
//! the report, and only fatal [`Error`]s stop a run.

use std::path::{Component, Path, PathBuf};
use std::time::{Duration, Instant};

use crate::config::{CONFIG_FILE, Config};
use crate::diag::Diagnostic;
use crate::diag::Diagnostics;
use crate::error::{Error, Result};
use crate::links::{LeftOut, Resolver};
use crate::load::{Loaded, load_archive};
use crate::model::{Incident, IncidentIdx, LinkTable, indexed};
use crate::output::{Staging, WriteStats, check_output_dir};
use crate::related::{RelatedGraph, relate};
use crate::render::{Collect, Emit, OutputFile, RenderInput, render_site};
use crate::theme::load_theme;
use crate::{attach, links, lints, validate};

/// An archive: its root folder and configuration.
#[derive(Debug, Clone)]
pub struct Site {
    /// The archive root (holds `content/` and `hindsight.toml`).
    pub root: PathBuf,
    /// The parsed configuration (defaults when there is no file).
    pub config: Config,
    /// The day the build is made: `SOURCE_DATE_EPOCH` when set, else today
    /// (UTC). Overdue action items and future dates are judged against it.
    pub build_date: jiff::civil::Date,
}

/// The build day: the UTC day of `SOURCE_DATE_EPOCH` when it is set (for
/// reproducible builds), else today in UTC.
pub fn build_date_from_env() -> jiff::civil::Date {
    let now = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|s| jiff::Timestamp::from_second(s).ok())
        .unwrap_or_else(jiff::Timestamp::now);
    now.to_zoned(jiff::tz::TimeZone::UTC).date()
}

/// Options of `hindsight build`.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Output directory; `<root>/public` when `None`.
    pub output: Option<PathBuf>,
    /// Overrides `base_url`.
    pub base_url: Option<String>,
    /// Build drafts too.
    pub drafts: bool,
    /// Treat warnings as errors.
    pub strict: bool,
}

/// Wall time of each pipeline stage.
#[derive(Debug, Clone, Copy, Default)]
pub struct StageTimes {
    /// Walking, reading and parsing files.
    pub load: Duration,
    /// Typing front matter.
    pub validate: Duration,
    /// Resolving wiki links.
    pub link: Duration,
    /// Computing related incidents.
    pub relate: Duration,
    /// Rendering pages and data files.
    pub render: Duration,
    /// Writing the output.
    pub write: Duration,
}

/// What a build or a check found and did. (Not to be confused with the
/// [`crate::report`] module, which formats diagnostics for people and CI.)
#[derive(Debug, Clone, Default)]
pub struct BuildReport {
    /// Incidents built (or that would be built).
    pub incidents: usize,
    /// The source file of each incident built, relative to the root.
    pub pages: Vec<PathBuf>,
    /// Files copied beside the pages.
    pub attachments: usize,
    /// Every diagnostic, sorted when read through [`Diagnostics::sorted`].
    pub diagnostics: Diagnostics,
    /// Time per stage.
    pub times: StageTimes,
    /// Files written (zero for `check`).
    pub written: WriteStats,
    /// Where the site went.
    pub output: Option<PathBuf>,
}

/// What the stages up to linking produced: the one sequence `build`,
/// `check` and `serve` all run, through [`analyze`].
pub(crate) struct Analysis {
    /// The incidents to build, newest first.
    pub(crate) incidents: Vec<Incident>,
    /// Resolves link targets; `serve` keeps it to re-link one edited file.
    pub(crate) resolver: Resolver,
    /// What every wiki link renders as, and the link graph.
    pub(crate) links: LinkTable,
    /// Files copied beside the pages.
    pub(crate) attachments: Vec<PathBuf>,
}

/// The stages after loading, in order: validate, link, lint, and the notes
/// for attachments no page takes. Every run of the pipeline goes through
/// here, whoever loaded the files (a build reads them all; `serve` only
/// the changed ones), so a stage added here runs everywhere.
pub(crate) fn analyze(
    loaded: Loaded,
    config: &Config,
    build_date: jiff::civil::Date,
    drafts: bool,
    report: &mut BuildReport,
) -> Analysis {
    report.diagnostics.extend(loaded.diagnostics);
    let t = Instant::now();
    let validated = validate::validate(loaded.documents, config, drafts);
    report.times.validate = t.elapsed();
    report.diagnostics.extend(validated.diagnostics);

    let t = Instant::now();
    let resolver = Resolver::new(&validated.incidents, &validated.drafts)
        .with_attachments(&loaded.attachments, &config.content_dir)
        .with_left_out(&loaded.left_out, &config.content_dir, LeftOut::Excluded)
        .with_left_out(&validated.left_out, &config.content_dir, LeftOut::FolderPage);
    let (links, diagnostics) = links::link_with(&resolver, &validated.incidents, config);
    report.times.link = t.elapsed();
    report.diagnostics.extend(diagnostics);
    report.diagnostics.extend(lints::lint(&validated.incidents, config, build_date));
    for file in attach::unplaced(&validated.incidents, &loaded.attachments, &config.content_dir) {
        let (message, help) = attach::unplaced_reason(file);
        report.diagnostics.push(Diagnostic::note("RCA024", message).in_file(file).with_help(help));
    }
    report.incidents = validated.incidents.len();
    report.pages = validated.incidents.iter().map(|i| i.rel_path().to_path_buf()).collect();
    report.attachments = loaded.attachments.len();
    Analysis { incidents: validated.incidents, resolver, links, attachments: loaded.attachments }
}

/// What the stages built, handed back once the site is rendered so that
/// freeing it can overlap other work.
struct Built {
    _analysis: Analysis,
    _related: RelatedGraph,
}

impl Site {
    /// Opens the archive at `root`, reading `hindsight.toml` if present.
    pub fn open(root: &Path) -> Result<Site> {
        if !root.is_dir() {
            return Err(Error::NotADirectory { path: root.to_path_buf() });
        }
        let path = root.join(CONFIG_FILE);
        let config = match std::fs::read_to_string(&path) {
            Ok(text) => Config::parse(&text, &path)?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Config::default(),
            Err(source) => return Err(Error::Read { path, source }),
        };
        Ok(Site { root: root.to_path_buf(), config, build_date: build_date_from_env() })
    }

    fn analyze(&self, drafts: bool, report: &mut BuildReport) -> Result<Analysis> {
        let t = Instant::now();
        let loaded = load_archive(&self.root, &self.config)?;
        report.times.load = t.elapsed();
        Ok(analyze(loaded, &self.config, self.build_date, drafts, report))
    }

    /// Loads, validates and links the archive, and compiles the theme;
    /// writes nothing.
    pub fn check(&self, strict: bool) -> Result<BuildReport> {
        self.check_seen_before(strict, &std::collections::BTreeSet::new())
    }

    /// [`Site::check`], and for each file of `only` (paths relative to the
    /// root) a note naming the earlier incidents it resembles: related
    /// above `related.recurrence_threshold`, with score and reasons (lint
    /// `seen-before`, RCA080). This is the review of a new RCA: "have we
    /// seen this before?", asked before it merges.
    pub fn check_seen_before(
        &self,
        strict: bool,
        only: &std::collections::BTreeSet<PathBuf>,
    ) -> Result<BuildReport> {
        let mut report = BuildReport::default();
        load_theme(&self.root, &self.config)?;
        let analysis = self.analyze(false, &mut report)?;
        // Relating costs a stage; it runs only when a file is under review.
        let level = self.config.lints.level("seen-before").filter(|_| !only.is_empty());
        if let Some(level) = level {
            let related = relate(&analysis.incidents, &analysis.links, &self.config.related);
            let threshold = self.config.related.recurrence_threshold;
            // The graph has a list per incident, in the same order.
            for ((i, incident), entries) in indexed(&analysis.incidents).zip(&related.related) {
                if !only.contains(incident.rel_path()) {
                    continue;
                }
                // An incident the author already links to is known to them.
                let links = |a: IncidentIdx, b: IncidentIdx| {
                    a.of(&analysis.links.outgoing).is_some_and(|out| out.contains(&b))
                };
                let unlinked = entries.iter().filter(|e| !links(i, e.index) && !links(e.index, i));
                for entry in unlinked.filter(|e| e.score >= threshold) {
                    #[allow(
                        clippy::expect_used,
                        reason = "`related` was made from these incidents"
                    )]
                    let earlier =
                        entry.index.of(&analysis.incidents).expect("one of the incidents");
                    let is_earlier = match (earlier.date, incident.date) {
                        (Some(a), Some(b)) => a <= b,
                        _ => true,
                    };
                    if !is_earlier {
                        continue;
                    }
                    let when = earlier.date_text().unwrap_or_else(|| "undated".into());
                    let d = Diagnostic::note(
                        "RCA080",
                        format!(
                            "seen before? resembles `{}` ({when}, {}): score {:.2}; {}",
                            earlier.title,
                            earlier.rel_path().display(),
                            entry.score,
                            entry.reasons.join("; ")
                        ),
                    )
                    .in_file(incident.rel_path())
                    .with_help("read it before this RCA merges: its action items may apply");
                    report.diagnostics.push(Diagnostic { level, ..d });
                }
            }
        }
        if strict {
            report.diagnostics.escalate_warnings();
        }
        Ok(report)
    }

    /// Builds the site. Content errors are reported and their files left
    /// out; the rest of the site is still written.
    pub fn build(&self, options: &BuildOptions) -> Result<BuildReport> {
        let out = options.output.clone().unwrap_or_else(|| self.root.join("public"));
        self.check_output_location(&out)?;
        check_output_dir(&out)?;
        // Pages are written as they are rendered: the site is never whole
        // in memory. Write time is the file-writing share of that wall time.
        let staging = Staging::begin(&out)?;
        let (mut report, built) = self.render_into(options, &staging)?;
        if report.incidents == 0 && report.diagnostics.errors() > 0 {
            // Every postmortem failed: an empty site would replace the last
            // good one, and a reader would find nothing until the fix lands.
            drop(staging);
            report.diagnostics.push(nothing_built(&out));
            return Ok(report);
        }
        let threads = rayon::current_num_threads().max(1) as u32;
        let writing = (staging.write_time() / threads).min(report.times.render);
        let t = Instant::now();
        // Freeing the archive is tens of milliseconds of one core at 10,000
        // incidents: it overlaps the commit's file-system work.
        let (written, ()) = rayon::join(|| staging.commit(), move || drop(built));
        report.written = written?;
        report.times.render -= writing;
        report.times.write = writing + t.elapsed();
        report.output = Some(out);
        Ok(report)
    }

    /// Runs every stage up to rendering and returns the site's files in
    /// memory, writing nothing (`serve` keeps them there).
    pub fn render(&self, options: &BuildOptions) -> Result<(Vec<OutputFile>, BuildReport)> {
        let files = Collect::default();
        let (report, _built) = self.render_into(options, &files)?;
        Ok((files.into_files(), report))
    }

    /// Runs every stage, handing each rendered file to `out`; returns the
    /// report and what the stages built, for the caller to free.
    fn render_into(&self, options: &BuildOptions, out: &dyn Emit) -> Result<(BuildReport, Built)> {
        let mut config = self.config.clone();
        if let Some(url) = &options.base_url {
            config.base_url = url.clone();
        }
        let theme = load_theme(&self.root, &config)?;
        let mut report = BuildReport::default();
        let analysis = self.analyze(options.drafts, &mut report)?;

        let t = Instant::now();
        let related = relate(&analysis.incidents, &analysis.links, &config.related);
        report.times.relate = t.elapsed();

        let t = Instant::now();
        let input = RenderInput {
            config: &config,
            incidents: &analysis.incidents,
            links: &analysis.links,
            related: &related,
            theme: &theme,
            attachments: &analysis.attachments,
            root: &self.root,
            build_date: self.build_date,
        };
        render_site(&input, out)?;
        report.times.render = t.elapsed();
        if options.strict {
            report.diagnostics.escalate_warnings();
        }
        Ok((report, Built { _analysis: analysis, _related: related }))
    }

    /// Refuses an output directory that is the archive, contains it, or lies
    /// inside its content or themes, since replacing it would delete sources.
    fn check_output_location(&self, out: &Path) -> Result<()> {
        let root = normalize(&self.root);
        let out_abs = normalize(out);
        let overlaps = |input: PathBuf| {
            if out_abs == input || input.starts_with(&out_abs) || out_abs.starts_with(&input) {
                Err(Error::OutputOverlaps { output: out.to_path_buf(), input: input.clone() })
            } else {
                Ok(())
            }
        };
        if root.starts_with(&out_abs) {
            return Err(Error::OutputOverlaps {
                output: out.to_path_buf(),
                input: self.root.clone(),
            });
        }
        // A content folder that is the root itself (a vault of notes) holds
        // the output folder; the walk leaves `public/` out.
        let content = root.join(&self.config.content_dir);
        if normalize(&content) != root {
            overlaps(normalize(&content))?;
        }
        overlaps(root.join("themes"))?;
        Ok(())
    }
}

/// An absolute path with `.` and `..` resolved, symlinks of existing parts
/// resolved too, without requiring the path to exist.
fn normalize(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    // Resolve the longest existing prefix through the file system.
    let mut existing = absolute.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.file_name().map(|n| n.to_os_string()), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut out = existing.canonicalize().unwrap_or(existing);
    for part in rest.into_iter().rev() {
        out.push(part);
    }
    let mut clean = PathBuf::new();
    for c in out.components() {
        match c {
            Component::ParentDir => {
                clean.pop();
            }
            Component::CurDir => {}
            other => clean.push(other),
        }
    }
    clean
}

/// The note that says why a build whose every postmortem failed wrote
/// nothing (RCA043).
fn nothing_built(out: &Path) -> Diagnostic {
    Diagnostic::note(
        "RCA043",
        format!(
            "nothing was built: every postmortem has errors, so {} is left as it was",
            out.display()
        ),
    )
    .with_help("fix the errors this build names, then build again")
}
