//! Code highlighting with syntect in class mode: spans carry `hl-` classes and
//! the colours live in a stylesheet generated from a syntect theme, so the
//! same HTML reads well in light and dark mode.

use std::sync::OnceLock;

use syntect::highlighting::ThemeSet;
use syntect::html::{ClassStyle, css_for_theme_with_class_style, line_tokens_to_classed_spans};
use syntect::parsing::{ParseState, ScopeStack, SyntaxReference, SyntaxSet};

use super::line_memo::{self, LineMemo, LineState};

/// The class prefix of every highlighted span.
const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// Blocks larger than this are shown plain: highlighting is regex work whose
/// cost grows with pathological input, and a huge paste is a log anyway.
pub(crate) const MAX_HIGHLIGHT_BYTES: usize = 64 * 1024;
/// Lines longer than this make the block plain, for the same reason.
const MAX_HIGHLIGHT_LINE: usize = 2_000;
/// Bytes of code highlighted in one document, all blocks together: a file of
/// hundreds of blocks at the limits above costs no more than four of them.
const MAX_HIGHLIGHT_PER_DOCUMENT: usize = 256 * 1024;

/// What is left of one document's highlighting budget. Blocks are charged
/// in document order; the first that does not fit, and every block after it,
/// is shown plain, so what is highlighted depends on the document alone.
#[derive(Debug)]
pub(crate) struct HighlightBudget {
    /// Bytes left; `None` once a block did not fit.
    left: Option<usize>,
}

impl Default for HighlightBudget {
    fn default() -> Self {
        HighlightBudget { left: Some(MAX_HIGHLIGHT_PER_DOCUMENT) }
    }
}

impl HighlightBudget {
    /// Charges `bytes`; false, now and for every later block, when they do
    /// not fit.
    fn take(&mut self, bytes: usize) -> bool {
        self.left = self.left.and_then(|left| left.checked_sub(bytes));
        self.left.is_some()
    }
}

/// Grammars shown plain whatever the block: their patterns backtrack so
/// badly that one line costs time growing with its length cubed (Makefile:
/// about half a second for a 400-byte line of `a!b a!b …`, a minute at
/// 2,000 bytes), which no size bound makes safe. See
/// `worst_case_highlight_time` below.
const PLAIN_SYNTAXES: &[&str] = &["Makefile"];

/// The syntax definitions, loaded once per process.
fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

fn find_syntax(lang: &str) -> Option<&'static SyntaxReference> {
    let set = syntaxes();
    let token = match lang.to_ascii_lowercase().as_str() {
        "shell" | "console" | "zsh" | "sh" => "bash".to_string(),
        "yml" => "yaml".to_string(),
        "golang" => "go".to_string(),
        "py" => "python".to_string(),
        "postgres" | "postgresql" | "psql" | "mysql" => "sql".to_string(),
        other => other.to_string(),
    };
    set.find_syntax_by_token(&token).filter(|s| !PLAIN_SYNTAXES.contains(&s.name.as_str()))
}

/// Highlights `code` written in `lang`, charging it to the document's
/// `budget`; `None` when the language is unknown, the block is too large or
/// the budget is spent, in which case the caller renders it plain.
pub(crate) fn highlight(code: &str, lang: &str, budget: &mut HighlightBudget) -> Option<String> {
    if lang.is_empty()
        || code.len() > MAX_HIGHLIGHT_BYTES
        || code.lines().any(|l| l.len() > MAX_HIGHLIGHT_LINE)
    {
        return None;
    }
    let syntax = find_syntax(lang)?;
    if !budget.take(code.len()) {
        return None;
    }
    classed_html(code, syntax)
}

/// `code` as HTML spans with `hl-` classes, line by line. Lines this thread
/// has met before in the same state are taken from its [`LineMemo`].
fn classed_html(code: &str, syntax: &SyntaxReference) -> Option<String> {
    line_memo::with_memo(|memo| classed_html_with(code, syntax, Some(memo)))
}

/// [`classed_html`], remembering and recalling lines in `memo` when given.
fn classed_html_with(
    code: &str,
    syntax: &SyntaxReference,
    mut memo: Option<&mut LineMemo>,
) -> Option<String> {
    let mut state = LineState { parse: ParseState::new(syntax), scopes: ScopeStack::new() };
    let mut open_spans: isize = 0;
    // Highlighted code is a few times the size of its source.
    let mut html = String::with_capacity(code.len() * 4);
    for line in syntect::util::LinesWithEndings::from(code) {
        if let Some((recalled, delta)) = memo.as_deref().and_then(|m| m.recall(line, &mut state)) {
            html.push_str(recalled);
            open_spans += delta;
            continue;
        }
        let before = memo.as_deref().filter(|m| m.has_room()).map(|_| state.clone());
        let ops = state.parse.parse_line(line, syntaxes()).ok()?;
        let (line_html, delta) =
            line_tokens_to_classed_spans(line, &ops, CLASS_STYLE, &mut state.scopes).ok()?;
        open_spans += delta;
        html.push_str(&line_html);
        if let (Some(memo), Some(before)) = (memo.as_deref_mut(), before) {
            memo.remember(line, before, &state, &line_html, delta);
        }
    }
    for _ in 0..open_spans {
        html.push_str("</span>");
    }
    Some(html)
}

/// The stylesheet for highlighted code: the light theme, then the dark one
/// under `prefers-color-scheme: dark`. Unknown theme names fall back to the
/// defaults so a typo never breaks a build.
pub(crate) fn highlight_css(light: &str, dark: &str) -> String {
    let themes = ThemeSet::load_defaults();
    let css = |name: &str, fallback: &str| {
        let theme = themes.themes.get(name).or_else(|| themes.themes.get(fallback));
        theme.and_then(|t| css_for_theme_with_class_style(t, CLASS_STYLE).ok()).unwrap_or_default()
    };
    let light_css = css(light, "InspiredGitHub");
    let dark_css = css(dark, "base16-ocean.dark");
    // Each theme under its own scheme: a token only the light theme colours
    // must not keep its light colour on the dark background.
    format!(
        "/* Generated from the syntect themes {light:?} and {dark:?}. */\n\
         @media not (prefers-color-scheme: dark) {{\n{light_css}\n}}\n\
         @media (prefers-color-scheme: dark) {{\n{dark_css}\n}}\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn highlight_alone(code: &str, lang: &str) -> Option<String> {
        highlight(code, lang, &mut HighlightBudget::default())
    }

    #[test]
    fn known_languages_get_classed_spans() {
        let html = highlight_alone("SELECT 1;\n", "sql").unwrap();
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(!html.contains("style="), "{html}");
        assert!(highlight_alone("ls -la\n", "shell").is_some());
        assert!(highlight_alone("a: 1\n", "yml").is_some());
    }

    #[test]
    fn unknown_language_and_huge_blocks_are_plain() {
        assert!(highlight_alone("x", "no-such-language").is_none());
        assert!(highlight_alone("x", "").is_none());
        let long = "a".repeat(MAX_HIGHLIGHT_LINE + 1);
        assert!(highlight_alone(&long, "sql").is_none());
        assert!(highlight_alone("all:\n\tcargo build\n", "makefile").is_none());
        assert!(highlight_alone("all:\n\tcargo build\n", "make").is_none());
    }

    #[test]
    fn the_first_block_past_the_budget_and_all_later_ones_are_plain() {
        let block = "SELECT 1;\n".repeat(MAX_HIGHLIGHT_BYTES / 10);
        let fit = MAX_HIGHLIGHT_PER_DOCUMENT / block.len();
        let mut budget = HighlightBudget::default();
        // Plain blocks (unknown language, too large) cost nothing.
        assert!(highlight(&block, "no-such-language", &mut budget).is_none());
        assert!(highlight(&"x".repeat(MAX_HIGHLIGHT_BYTES + 1), "sql", &mut budget).is_none());
        for n in 0..fit {
            assert!(highlight(&block, "sql", &mut budget).is_some(), "block {n}");
        }
        assert!(highlight(&block, "sql", &mut budget).is_none());
        // A block that would still fit comes after the budget ran out.
        assert!(highlight("SELECT 1;\n", "sql", &mut budget).is_none());
    }

    #[test]
    fn remembered_lines_give_the_html_parsing_gives() {
        let blocks = [
            ("sql", "SELECT 1;\n/* a comment\nSELECT 2;\n*/\nSELECT 2;\n"),
            ("bash", "cat <<EOF\nls -la\nEOF\nls -la\necho \"open\n"),
            ("yaml", "a: 1\nb: |\n  a: 1\nc: [1,\n  2]\na: 1\n"),
        ];
        let mut memo = LineMemo::default();
        for (lang, code) in blocks {
            let syntax = find_syntax(lang).unwrap();
            let parsed = classed_html_with(code, syntax, None).unwrap();
            let first = classed_html_with(code, syntax, Some(&mut memo)).unwrap();
            let recalled = classed_html_with(code, syntax, Some(&mut memo)).unwrap();
            assert_eq!(first, parsed, "{lang}");
            assert_eq!(recalled, parsed, "{lang}");
        }
        // The same line in another state is parsed anew, not recalled:
        // `SELECT 2;` was remembered as code, and here it is in a comment.
        let sql = find_syntax("sql").unwrap();
        let commented = "/* x\nSELECT 2;\n";
        let recalled = classed_html_with(commented, sql, Some(&mut memo)).unwrap();
        assert_eq!(recalled, classed_html_with(commented, sql, None).unwrap());
        assert!(!recalled.contains("keyword"), "{recalled}");
    }

    #[test]
    fn a_full_memo_still_highlights_and_remembers_nothing_more() {
        let sql = find_syntax("sql").unwrap();
        let mut memo = LineMemo::with_limit(0);
        let html = classed_html_with("SELECT 1;\n", sql, Some(&mut memo)).unwrap();
        assert_eq!(html, classed_html_with("SELECT 1;\n", sql, None).unwrap());
        assert_eq!(memo.len(), 0);
    }

    #[test]
    fn css_has_light_and_dark_rules() {
        let css = highlight_css("InspiredGitHub", "no-such-theme");
        assert!(css.contains(".hl-"));
        assert!(css.contains("prefers-color-scheme: dark"));
    }

    /// Runs of one construct that make a grammar's patterns try, and fail,
    /// at every position of a line.
    const HOSTILE_UNITS: &[&str] = &[
        "a ",
        " ",
        "aaaa",
        "a:b ",
        "a: b ",
        ":a ",
        "a:b:c:d ",
        "a#b ",
        "a -b ",
        "a,b ",
        "a.b ",
        "a=b ",
        "a/b ",
        "a\\b ",
        "a'b ",
        "a\"b ",
        "a<b ",
        "a>b ",
        "a|b ",
        "a&b ",
        "a*b ",
        "a!b ",
        "a$b ",
        "a(b ",
        "a)b ",
        "a[b ",
        "a]b ",
        "a{b ",
        "a}b ",
        "a;b ",
        "1e1 ",
        "0x1 ",
        "'a ",
        "\"a ",
        "<!-- ",
        "/*a ",
        "//",
        "#",
        "`",
        "${a ",
        "$(",
        "echo $(",
        "\"${x:-",
        "((",
        "[",
        "{a: ",
        "- &a !t ",
        "{\"a\":",
        "\"\\u0041\\\"",
        "f(",
        "Vec<",
        "/*",
        "|x| ",
        "'a''",
        "CASE WHEN a THEN ",
        "`${",
        "a = b / c /",
    ];

    /// `unit` repeated into one line of at most `len` bytes, newline included.
    fn line_of(unit: &str, len: usize) -> String {
        unit.repeat((len - 1) / unit.len()) + "\n"
    }

    /// Milliseconds to highlight `code`, after a warm-up: a grammar compiles
    /// its patterns once per process, on first use.
    fn time_ms(code: &str, syntax: &SyntaxReference) -> f64 {
        let _ = classed_html_with("a\n", syntax, None);
        let start = std::time::Instant::now();
        let _ = classed_html_with(code, syntax, None);
        start.elapsed().as_secs_f64() * 1e3
    }

    /// Prints how long the worst blocks we know of take to highlight, for
    /// the Limits section of docs/REFERENCE.md (no assertion on time:
    /// machines differ):
    /// every grammar that highlights meets every hostile unit on one line at
    /// the limit, then the slowest, and bash, YAML, JSON, Rust and SQL, are
    /// timed with their worst unit as a whole block at the limits. Run
    /// `cargo test --release --lib worst_case_highlight_time -- --ignored --nocapture`.
    #[test]
    #[ignore = "prints timings; run by hand in release mode"]
    fn worst_case_highlight_time() {
        let mut worst: Vec<(f64, &SyntaxReference, &str)> = Vec::new();
        for syntax in syntaxes().syntaxes() {
            if PLAIN_SYNTAXES.contains(&syntax.name.as_str()) {
                let ms = time_ms(&line_of("a!b ", 400), syntax);
                println!(
                    "{} (shown plain): one 400-byte line of `a!b ` takes {ms:.0} ms",
                    syntax.name
                );
                continue;
            }
            let per_unit = HOSTILE_UNITS
                .iter()
                .map(|u| (time_ms(&line_of(u, MAX_HIGHLIGHT_LINE), syntax), *u));
            if let Some((ms, unit)) = per_unit.max_by(|a, b| a.0.total_cmp(&b.0)) {
                worst.push((ms, syntax, unit));
            }
        }
        worst.sort_by(|a, b| b.0.total_cmp(&a.0));
        let named = ["Bourne Again Shell (bash)", "YAML", "JSON", "Rust", "SQL"];
        let chosen = worst
            .iter()
            .enumerate()
            .filter(|(rank, (_, syntax, _))| *rank < 6 || named.contains(&syntax.name.as_str()));
        println!("| grammar | worst input | one line at the limit | block at the limits |");
        println!("|---|---|---|---|");
        let mut slowest = 0.0f64;
        for (_, &(line_ms, syntax, unit)) in chosen {
            let line = line_of(unit, MAX_HIGHLIGHT_LINE);
            let block = line.repeat(MAX_HIGHLIGHT_BYTES / line.len());
            let block_ms = time_ms(&block, syntax);
            slowest = slowest.max(block_ms);
            println!("| {} | `{unit}` | {line_ms:.0} ms | {block_ms:.0} ms |", syntax.name);
        }
        let blocks = MAX_HIGHLIGHT_PER_DOCUMENT / MAX_HIGHLIGHT_BYTES;
        println!("slowest block {slowest:.0} ms; a document highlights at most {blocks} blocks");
    }
}
