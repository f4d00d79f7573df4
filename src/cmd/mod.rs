//! One function per subcommand; each returns the exit code or a fatal error.

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use hindsight::diag::Diagnostics;
use hindsight::report::{self, Format};
use hindsight::scaffold::{self, NewRca};
use hindsight::site::{BuildOptions, Report, Site};

use crate::cli::{Command, FormatArg};

pub(crate) fn run(command: Command) -> Result<ExitCode> {
    match command {
        Command::Build { root, output, base_url, drafts, strict, format, timings } => {
            let site = Site::open(&root)?;
            let report = site.build(&BuildOptions { output, base_url, drafts, strict })?;
            print_diagnostics(&root, &report.diagnostics, format.into());
            print_summary("built", &report);
            if timings {
                print_timings(&report);
            }
            Ok(exit_code(&report.diagnostics))
        }
        Command::Check { root, format, strict } => {
            let site = Site::open(&root)?;
            let report = site.check(strict)?;
            let format: Format = format.into();
            print_diagnostics(&root, &report.diagnostics, format);
            if format == Format::Human || format == Format::Short {
                print_summary("checked", &report);
            }
            Ok(exit_code(&report.diagnostics))
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
        }
    }
}

/// Today in UTC, or the day of `SOURCE_DATE_EPOCH` for reproducible runs.
fn today() -> jiff::civil::Date {
    hindsight::site::build_date_from_env()
}

fn exit_code(diagnostics: &Diagnostics) -> ExitCode {
    if diagnostics.errors() > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS }
}

fn print_diagnostics(root: &Path, diagnostics: &Diagnostics, format: Format) {
    let sorted = diagnostics.sorted();
    if sorted.is_empty() && format != Format::Json {
        return;
    }
    let color = format == Format::Human
        && std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let source = |file: &Path| {
        std::fs::read(root.join(file)).ok().map(|b| String::from_utf8_lossy(&b).into_owned())
    };
    let text = report::render(&sorted, format, color, &source);
    // JSON is the command's output; the other formats are messages.
    if format == Format::Json {
        print!("{text}");
    } else {
        eprint!("{text}");
    }
}

/// Stage timings and peak memory, for the benchmark.
fn print_timings(report: &Report) {
    let t = &report.times;
    let ms = |d: std::time::Duration| (d.as_secs_f64() * 1000.0 * 10.0).round() / 10.0;
    let json = serde_json::json!({
        "incidents": report.incidents,
        "files": report.written.files,
        "bytes": report.written.bytes,
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

fn print_summary(verb: &str, report: &Report) {
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
