//! One function per subcommand; each returns the exit code or a fatal error.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use hindsight::Diagnostics;
use hindsight::report::{self, Format};
use hindsight::scaffold::{self, NewRca};
use hindsight::serve::ServeOptions;
use hindsight::{BuildOptions, BuildReport, Site};

use crate::cli::{Command, FormatArg};

// Printing never panics: a reader that went away (`hindsight check
// --format json | head -1`) ends the output quietly, as in ripgrep, instead
// of a panic and exit code 101 (issue 26). The exit code still says what the
// run found.
macro_rules! println {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}
macro_rules! print {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stdout().lock(), $($arg)*);
    }};
}
macro_rules! eprintln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr().lock(), $($arg)*);
    }};
}
macro_rules! eprint {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stderr().lock(), $($arg)*);
    }};
}

pub(crate) fn run(command: Command) -> Result<ExitCode> {
    match command {
        Command::Build { root, output, base_url, drafts, strict, format, timings } => {
            let site = Site::open(&root)?;
            let report = site.build(&BuildOptions { output, base_url, drafts, strict })?;
            print_diagnostics(&report.diagnostics, format.into());
            print_summary("built", &report);
            if report.written.in_place {
                eprintln!(
                    "note: the output folder is a mount point, so the site was updated file by \
                     file, not swapped in whole; mount its parent folder instead to publish atomically"
                );
            }
            if timings {
                print_timings(&report);
            }
            Ok(exit_code(&report.diagnostics))
        }
        Command::Check { root, format, strict, only, explain } => {
            if let Some(code) = explain {
                return explain_code(&code);
            }
            let site = Site::open(&root)?;
            let report = if only.is_empty() {
                site.check(strict)?
            } else {
                let files = only_files(&root, &only);
                let mut report = site.check_seen_before(strict, &files)?;
                report.diagnostics.retain(|d| d.file.as_ref().is_some_and(|f| files.contains(f)));
                report
            };
            let format: Format = format.into();
            print_diagnostics(&report.diagnostics, format);
            if format == Format::Human || format == Format::Short {
                print_summary("checked", &report);
            }
            Ok(exit_code(&report.diagnostics))
        }
        Command::Serve { root, bind, port, drafts } => {
            let server =
                hindsight::serve::Server::start(ServeOptions { root, bind, port, drafts })?;
            for e in server.errors() {
                eprintln!("{}{}", e.location.map(|l| l + ": ").unwrap_or_default(), e.message);
            }
            eprintln!("serving at {} (Ctrl+C to stop)", server.url());
            server.run(|line| eprintln!("{line}"))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::New { title, severity, services, date, root } => {
            let date = match date {
                Some(d) => {
                    d.parse().with_context(|| format!("--date {d:?} is not a YYYY-MM-DD date"))?
                }
                None => today(),
            };
            let path = scaffold::create_rca(&root, &NewRca { title, severity, services, date })?;
            println!("created {}", path.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Import { files, out } => {
            for (path, imported) in hindsight::import::import_files(&files, &out)? {
                println!("created {}", path.display());
                for line in &imported.inferred {
                    println!("  inferred {line}");
                }
                for field in &imported.missing {
                    println!("  TODO     {field}: could not be inferred; fill it in");
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Adopt { dir, write } => {
            let suggestion = hindsight::adopt::suggest(&dir)?;
            let run = hindsight::adopt::dry_run(&dir, &suggestion.config)?;
            if write {
                let path = dir.join("hindsight.toml");
                let mut file = std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(&path)
                    .with_context(|| format!("not writing `{}`", path.display()))?;
                std::io::Write::write_all(&mut file, suggestion.toml.as_bytes())
                    .with_context(|| format!("failed to write `{}`", path.display()))?;
                eprintln!("wrote {}", path.display());
            } else {
                print!("{}", suggestion.toml);
            }
            eprint!("{}", hindsight::adopt::render_dry_run(&run));
            Ok(ExitCode::SUCCESS)
        }
        Command::Init { dir } => {
            for path in scaffold::init_archive(&dir, today())? {
                println!("created {}", path.display());
            }
            println!("next: hindsight build --root {} and open public/index.html", dir.display());
            Ok(ExitCode::SUCCESS)
        }
    }
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Self {
        match f {
            FormatArg::Human => Format::Human,
            FormatArg::Short => Format::Short,
            FormatArg::Json => Format::Json,
            FormatArg::Github => Format::Github,
            FormatArg::Markdown => Format::Markdown,
        }
    }
}

/// Today in UTC, or the day of `SOURCE_DATE_EPOCH` for reproducible runs.
fn today() -> jiff::civil::Date {
    hindsight::build_date_from_env()
}

/// Prints what a code or lint means; exit code 2 for an unknown one.
fn explain_code(code: &str) -> Result<ExitCode> {
    let entry = hindsight::codes::find(code).or_else(|| hindsight::codes::lint_named(code.trim()));
    match entry {
        Some(entry) => {
            print!("{}", hindsight::codes::explain(entry));
            Ok(ExitCode::SUCCESS)
        }
        None => {
            eprintln!("error: unknown diagnostic code or lint {code:?}; codes look like RCA030");
            Ok(ExitCode::from(2))
        }
    }
}

/// `--only` paths as paths relative to the archive root, the form
/// diagnostics use: each is taken relative to the root if it exists there,
/// else relative to the current directory.
fn only_files(root: &Path, only: &[std::path::PathBuf]) -> BTreeSet<std::path::PathBuf> {
    let root_abs = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
    only.iter()
        .map(|p| {
            let clean = |p: &Path| -> std::path::PathBuf {
                p.components().filter(|c| !matches!(c, std::path::Component::CurDir)).collect()
            };
            if root.join(p).is_file() && p.is_relative() {
                return clean(p);
            }
            let abs = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
            abs.strip_prefix(&root_abs).map(clean).unwrap_or_else(|_| clean(p))
        })
        .collect()
}

fn exit_code(diagnostics: &Diagnostics) -> ExitCode {
    if diagnostics.errors() > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS }
}

fn print_diagnostics(diagnostics: &Diagnostics, format: Format) {
    let sorted = diagnostics.sorted();
    if sorted.is_empty() && format != Format::Json && format != Format::Markdown {
        return;
    }
    // anstream decides whether stderr shows colour: a terminal that has it,
    // without `NO_COLOR` (or any stream under `CLICOLOR_FORCE`). Without
    // colour the text is rendered plain rather than stripped afterwards,
    // which for thousands of warnings would cost a write per span.
    let color = format == Format::Human
        && anstream::AutoStream::choice(&std::io::stderr()) != anstream::ColorChoice::Never;
    let text = report::render(&sorted, format, color);
    // JSON and markdown are the command's output; the others are messages.
    if format == Format::Json || format == Format::Markdown {
        print!("{text}");
    } else {
        use std::io::Write as _;
        let _ = write!(anstream::stderr().lock(), "{text}");
    }
}

/// Stage timings and peak memory, for the benchmark.
fn print_timings(report: &BuildReport) {
    let t = &report.times;
    let ms = |d: std::time::Duration| (d.as_secs_f64() * 1000.0 * 10.0).round() / 10.0;
    let json = serde_json::json!({
        "incidents": report.incidents,
        "files": report.written.files,
        "bytes": report.written.bytes,
        "unchanged": report.written.unchanged,
        "removed": report.written.removed,
        "stages_ms": {
            "load": ms(t.load), "validate": ms(t.validate), "link": ms(t.link),
            "relate": ms(t.relate), "render": ms(t.render), "write": ms(t.write),
        },
        "peak_rss_mib": peak_rss_mib(),
    });
    println!("{json}");
}

/// The process's peak resident memory, from /proc on Linux.
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some((kib / 1024.0 * 10.0).round() / 10.0)
}

fn print_summary(verb: &str, report: &BuildReport) {
    let t = &report.times;
    let total = t.load + t.validate + t.link + t.relate + t.render + t.write;
    let errors = report.diagnostics.errors();
    let warnings = report.diagnostics.warnings();
    let where_to =
        report.output.as_ref().map(|o| format!(" into {}", o.display())).unwrap_or_default();
    eprintln!(
        "{verb} {} incident{}{where_to}: {errors} error{}, {warnings} warning{} in {:.0?}",
        report.incidents,
        if report.incidents == 1 { "" } else { "s" },
        if errors == 1 { "" } else { "s" },
        if warnings == 1 { "" } else { "s" },
        total,
    );
}
