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

/// Highlights `code` written in `lang`; `None` when the language is unknown or
/// the block is too large, in which case the caller renders it plain.
pub(crate) fn highlight(code: &str, lang: &str) -> Option<String> {
    if lang.is_empty()
        || code.len() > MAX_HIGHLIGHT_BYTES
        || code.lines().any(|l| l.len() > MAX_HIGHLIGHT_LINE)
    {
        return None;
    }
    let syntax = find_syntax(lang)?;
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

    #[test]
    fn known_languages_get_classed_spans() {
        let html = highlight("SELECT 1;\n", "sql").unwrap();
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(!html.contains("style="), "{html}");
        assert!(highlight("ls -la\n", "shell").is_some());
        assert!(highlight("a: 1\n", "yml").is_some());
    }

    #[test]
    fn unknown_language_and_huge_blocks_are_plain() {
        assert!(highlight("x", "no-such-language").is_none());
        assert!(highlight("x", "").is_none());
        let long = "a".repeat(MAX_HIGHLIGHT_LINE + 1);
        assert!(highlight(&long, "sql").is_none());
    }

    #[test]
    fn css_has_light_and_dark_rules() {
        let css = highlight_css("InspiredGitHub", "no-such-theme");
        assert!(css.contains(".hl-"));
        assert!(css.contains("prefers-color-scheme: dark"));
    }
}
