//! Code highlighting with syntect in class mode: spans carry `hl-` classes and
//! the colours live in a stylesheet generated from a syntect theme, so the
//! same HTML reads well in light and dark mode.

use std::sync::OnceLock;

use syntect::highlighting::ThemeSet;
use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::{SyntaxReference, SyntaxSet};

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
    set.find_syntax_by_token(&token)
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
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, syntaxes(), CLASS_STYLE);
    for line in syntect::util::LinesWithEndings::from(code) {
        generator.parse_html_for_line_which_includes_newline(line).ok()?;
    }
    Some(generator.finalize())
}

/// The stylesheet for highlighted code: the light theme, then the dark one
/// under `prefers-color-scheme: dark`. Unknown theme names fall back to the
/// defaults so a typo never breaks a build.
pub fn highlight_css(light: &str, dark: &str) -> String {
    let themes = ThemeSet::load_defaults();
    let css = |name: &str, fallback: &str| {
        let theme = themes.themes.get(name).or_else(|| themes.themes.get(fallback));
        theme.and_then(|t| css_for_theme_with_class_style(t, CLASS_STYLE).ok()).unwrap_or_default()
    };
    let light_css = css(light, "InspiredGitHub");
    let dark_css = css(dark, "base16-ocean.dark");
    format!(
        "/* Generated from the syntect themes {light:?} and {dark:?}. */\n{light_css}\n\
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
    fn css_has_light_and_dark_rules() {
        let css = highlight_css("InspiredGitHub", "no-such-theme");
        assert!(css.contains(".hl-"));
        assert!(css.contains("prefers-color-scheme: dark"));
    }
}
