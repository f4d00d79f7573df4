//! Diagnostic output formats: `human` (rustc-like, with the source line and
//! a caret), `short` (one line each), `json`, `github` (workflow commands
//! that annotate a pull request) and `markdown` (a summary for a pull-request
//! comment or `$GITHUB_STEP_SUMMARY`).
//!
//! The human form's first line is the contract's
//! `path:line:col: level[code]: message`, written here because
//! annotate-snippets (the renderer behind rustc and cargo) puts a title
//! first and the path second. The source line, its gutter, the caret under
//! the span and the help below it are annotate-snippets' (a group without
//! a title), and colour is anstyle's: callers print through `anstream`,
//! which drops the colour for `NO_COLOR`, for a pipe or a file, and on a
//! terminal that has none.

use std::fmt::Write;

use rayon::prelude::*;
use serde::Serialize;

use annotate_snippets::renderer::{AnsiColor, Style};
use annotate_snippets::{AnnotationKind, Group, Renderer, Snippet};

use crate::diag::{Diagnostic, Level};

/// Output format of diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Source line and caret, colour on a terminal.
    #[default]
    Human,
    /// One line per diagnostic.
    Short,
    /// A JSON array.
    Json,
    /// GitHub Actions workflow commands.
    Github,
    /// A markdown summary with a table of problems.
    Markdown,
}

/// Renders `diagnostics` (already sorted). `source` returns a file's text,
/// given its path relative to the root, to show the offending line.
pub fn render(diagnostics: &[&Diagnostic], format: Format, color: bool) -> String {
    match format {
        Format::Human => human(diagnostics, color),
        Format::Short => diagnostics.iter().map(|d| short(d) + "\n").collect(),
        Format::Json => json(diagnostics),
        Format::Github => diagnostics.iter().map(|d| github(d) + "\n").collect(),
        Format::Markdown => markdown(diagnostics),
    }
}

fn location(d: &Diagnostic) -> String {
    let file = d.file.as_ref().map(|f| reveal_bidi(&f.to_string_lossy().replace('\\', "/")));
    match (file, d.position) {
        (Some(f), Some(p)) => format!("{f}:{}:{}", p.line, p.column),
        (Some(f), None) => f,
        (None, _) => "hindsight".to_string(),
    }
}

fn short(d: &Diagnostic) -> String {
    printable(&format!("{}: {}[{}]: {}", location(d), d.level.as_str(), d.code, d.message))
}

/// Text safe to print on a terminal: control characters from file names and
/// file contents (an escape sequence could rewrite the screen or a CI log)
/// become U+FFFD, one for one, so columns and carets still line up.
fn printable(text: &str) -> String {
    text.chars().map(|c| if c.is_control() || is_bidi(c) { '\u{fffd}' } else { c }).collect()
}

/// The characters that reorder text when displayed (U+202A–U+202E,
/// U+2066–U+2069, the marks U+200E, U+200F, U+061C): in a file name they
/// make a reviewer read another name than the file has.
fn is_bidi(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}')
}

/// A file name with each reordering character written out as `<U+202E>`,
/// so what is printed reads in the order the bytes are.
fn reveal_bidi(name: &str) -> String {
    if !name.chars().any(is_bidi) {
        return name.to_string();
    }
    name.chars()
        .map(|c| if is_bidi(c) { format!("<U+{:04X}>", u32::from(c)) } else { c.to_string() })
        .collect()
}

fn human(diagnostics: &[&Diagnostic], color: bool) -> String {
    let renderer = if color { Renderer::styled() } else { Renderer::plain() };
    // An adopted archive can have thousands of warnings: they are formatted
    // in parallel, then joined in order.
    let parts: Vec<String> = diagnostics
        .par_chunks(256)
        .map(|chunk| {
            let mut out = String::new();
            for d in chunk {
                human_one(&mut out, d, color, &renderer);
            }
            out
        })
        .collect();
    parts.concat()
}

/// The styles of the first line, as rustc and cargo colour theirs.
fn level_style(level: Level) -> Style {
    let color = match level {
        Level::Error => AnsiColor::BrightRed,
        Level::Warning => AnsiColor::BrightYellow,
        Level::Note => AnsiColor::BrightGreen,
    };
    Style::new().bold().fg_color(Some(color.into()))
}

fn human_one(out: &mut String, d: &Diagnostic, color: bool, renderer: &Renderer) {
    let paint = |style: Style, text: &str| {
        if color { format!("{style}{text}{style:#}") } else { text.to_string() }
    };
    let bold = Style::new().bold();
    let _ = writeln!(
        out,
        "{}: {}: {}",
        paint(bold, &printable(&location(d))),
        paint(level_style(d.level), &format!("{}[{}]", d.level.as_str(), d.code)),
        paint(bold, &printable(&d.message))
    );
    let level = match d.level {
        Level::Error => annotate_snippets::Level::ERROR,
        Level::Warning => annotate_snippets::Level::WARNING,
        Level::Note => annotate_snippets::Level::NOTE,
    };
    let mut group = Group::with_level(level.clone());
    let line = d.position.zip(d.excerpt.as_deref()).filter(|_| d.file.is_some());
    let shown = line.map(|(pos, text)| (pos, printable(&text.replace('\t', " "))));
    if let Some((pos, text)) = &shown {
        // The span's first char is at the position's column; it runs to
        // the span's end or the end of the line, and is at least one char.
        let start = text.char_indices().nth(pos.column - 1).map_or(text.len(), |(i, _)| i);
        let chars = d.span.as_ref().map_or(1, |s| s.len().max(1));
        let end = text
            .get(start..)
            .and_then(|rest| rest.char_indices().nth(chars))
            .map_or(text.len(), |(i, _)| start + i);
        group = group.element(
            Snippet::source(text.as_str())
                .line_start(pos.line)
                .annotation(AnnotationKind::Primary.span(start..end)),
        );
    }
    let help = d.help.as_deref().map(printable);
    if let Some(help) = &help {
        group = group.element(annotate_snippets::Level::HELP.message(help.as_str()));
    }
    if shown.is_some() || help.is_some() {
        out.push_str(&renderer.render(&[group]));
        out.push('\n');
    }
    out.push('\n');
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    file: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
    level: &'a str,
    code: &'a str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
}

fn json(diagnostics: &[&Diagnostic]) -> String {
    let items: Vec<JsonDiagnostic<'_>> = diagnostics
        .iter()
        .map(|d| JsonDiagnostic {
            file: d.file.as_ref().map(|f| f.to_string_lossy().replace('\\', "/")),
            line: d.position.map(|p| p.line),
            column: d.position.map(|p| p.column),
            level: d.level.as_str(),
            code: d.code,
            message: &d.message,
            help: d.help.as_deref(),
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&items).unwrap_or_else(|_| "[]".into());
    s.push('\n');
    s
}

/// Escapes a workflow-command value (`%`, CR, LF; and `,`/`:` in properties).
fn escape_github(s: &str, property: bool) -> String {
    let mut out = s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A");
    if property {
        out = out.replace(':', "%3A").replace(',', "%2C");
    }
    out
}

fn github(d: &Diagnostic) -> String {
    let command = match d.level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Note => "notice",
    };
    let mut props = Vec::new();
    if let Some(f) = &d.file {
        props
            .push(format!("file={}", escape_github(&f.to_string_lossy().replace('\\', "/"), true)));
    }
    if let Some(p) = d.position {
        props.push(format!("line={}", p.line));
        props.push(format!("col={}", p.column));
    }
    props.push(format!("title={}", escape_github(d.code, true)));
    let mut message = d.message.clone();
    // The file property must stay the real path for the annotation to find
    // the file; the message says what the name really reads as.
    if let Some(f) = d.file.as_ref().map(|f| f.to_string_lossy()).filter(|f| f.chars().any(is_bidi))
    {
        message.push_str(&format!(
            "\nnote: the file name holds characters that reorder text: {}",
            reveal_bidi(&f)
        ));
    }
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    format!("::{command} {}::{}", props.join(","), escape_github(&message, false))
}

/// Escapes text for a markdown table cell: pipes end a cell, and `<`, `>`
/// and `&` would be read as HTML. Other markup is left alone so `code`
/// spans in messages still render (a backslash inside one would show).
fn md_cell(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '|' => out.push_str("\\|"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn markdown(diagnostics: &[&Diagnostic]) -> String {
    let errors = diagnostics.iter().filter(|d| d.level == Level::Error).count();
    let notes = diagnostics.iter().filter(|d| d.level == Level::Note).count();
    let warnings = diagnostics.len() - errors - notes;
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let mut out = String::from("### hindsight check\n\n");
    if diagnostics.is_empty() {
        out.push_str("No problems found.\n");
        return out;
    }
    let notes_part =
        if notes > 0 { format!(", **{}**", plural(notes, "note")) } else { String::new() };
    let _ = writeln!(
        out,
        "**{}**, **{}**{notes_part}\n",
        plural(errors, "error"),
        plural(warnings, "warning")
    );
    let (seen, diagnostics): (Vec<&Diagnostic>, Vec<&Diagnostic>) =
        diagnostics.iter().copied().partition(|d| d.code == "RCA080");
    if !diagnostics.is_empty() {
        out.push_str("| Level | Location | Code | Problem |\n|---|---|---|---|\n");
    }
    for d in &diagnostics {
        let level = match d.level {
            Level::Error => "❌ error",
            Level::Warning => "⚠️ warning",
            Level::Note => "ℹ️ note",
        };
        let mut problem = md_cell(&d.message);
        if let Some(help) = &d.help {
            problem.push_str("<br>help: ");
            problem.push_str(&md_cell(help));
        }
        let _ = writeln!(
            out,
            "| {level} | `{}` | {} | {problem} |",
            location(d).replace('`', "'"),
            d.code
        );
    }
    if !seen.is_empty() {
        out.push_str("\n#### Seen before?\n\nEarlier incidents this change resembles:\n\n");
        for d in &seen {
            let file =
                d.file.as_ref().map(|f| reveal_bidi(&f.to_string_lossy())).unwrap_or_default();
            let what = d.message.strip_prefix("seen before? ").unwrap_or(&d.message);
            let _ = writeln!(out, "- `{}` {}", file.replace('`', "'"), md_cell(what));
        }
    }
    out.push_str(
        "\nRun `hindsight check --explain CODE` for what a code means and how to fix it.\n",
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn sample() -> Vec<Diagnostic> {
        let text = "---\ntitle: A\nseverity: P9\n---\n";
        vec![
            Diagnostic::error("RCA013", "unknown severity \"P9\"")
                .at(Path::new("content/a.md"), text, 13..25)
                .with_help("use one of P0, P1"),
            Diagnostic::warning("RCA006", "symbolic link skipped, with: colon")
                .in_file(Path::new("content/l.md")),
        ]
    }

    /// See #26: a name with U+202E reads "…cod.md" but is "…dm.doc".
    #[test]
    fn issue_26_reordering_characters_in_file_names_are_written_out() {
        let d = [Diagnostic::warning("RCA030", "unresolved wiki link")
            .in_file(Path::new("content/report\u{202e}dm.doc"))];
        let refs: Vec<&Diagnostic> = d.iter().collect();
        for format in [Format::Human, Format::Short, Format::Markdown] {
            let out = render(&refs, format, false);
            assert!(!out.contains('\u{202e}'), "{out}");
            assert!(out.contains("content/report<U+202E>dm.doc"), "{out}");
        }
        let github = render(&refs, Format::Github, false);
        assert!(github.contains("reorder text: content/report<U+202E>dm.doc"), "{github}");
        assert_eq!(printable("a\u{2066}b"), "a\u{fffd}b");
    }

    #[test]
    fn human_shows_line_and_caret() {
        let d = sample();
        let refs: Vec<&Diagnostic> = d.iter().collect();
        insta::assert_snapshot!(render(&refs, Format::Human, false));
    }

    #[test]
    fn colour_only_styles_the_human_form() {
        let d = sample();
        let refs: Vec<&Diagnostic> = d.iter().collect();
        let coloured = render(&refs, Format::Human, true);
        assert!(coloured.contains("\x1b["), "{coloured:?}");
        // What anstream writes where colour is off: the plain form exactly.
        let stripped = anstream::adapter::strip_str(&coloured).to_string();
        assert_eq!(stripped, render(&refs, Format::Human, false));
    }

    #[test]
    fn machine_formats() {
        let d = sample();
        let refs: Vec<&Diagnostic> = d.iter().collect();
        insta::assert_snapshot!("short", render(&refs, Format::Short, false));
        insta::assert_snapshot!("json", render(&refs, Format::Json, false));
        insta::assert_snapshot!("github", render(&refs, Format::Github, false));
        insta::assert_snapshot!("markdown", render(&refs, Format::Markdown, false));
        assert_eq!(
            render(&[], Format::Markdown, false),
            "### hindsight check\n\nNo problems found.\n"
        );
    }

    #[test]
    fn terminal_escapes_in_names_and_lines_are_not_printed() {
        let d = [Diagnostic::error("RCA003", "bad \x1b]0;owned\x07").at(
            Path::new("content/\x1b[2J.md"),
            "a\n\x1b[31mred\n",
            2..3,
        )];
        let refs: Vec<&Diagnostic> = d.iter().collect();
        for format in [Format::Human, Format::Short] {
            let text = render(&refs, format, false);
            assert!(!text.contains('\x1b') && !text.contains('\x07'), "{text:?}");
        }
    }
}
