//! Markdown: the one place that decides pulldown-cmark's options, the body
//! scan that feeds the model ([`scan`]), and HTML rendering ([`render_html`]).
//!
//! Used by the load stage (scan) and the render stage (HTML). Imports only
//! model and config.

mod action_marks;
mod dialects;
mod highlight;
mod html;
mod items;
mod line_memo;
mod outline;
mod plain_text;

use std::collections::HashMap;

use pulldown_cmark::{Options, Parser};

pub(crate) use action_marks::ActionMark;
pub(crate) use highlight::highlight_css;
pub(crate) use html::{LinkRender, Page, RenderedBody, TIMELINE_MARKER, render_html};
pub(crate) use items::{heading_time, is_name};
#[cfg(test)]
pub(crate) use outline::scan;
pub(crate) use outline::{is_line_break, scan_in};
pub(crate) use plain_text::inline_plain;

/// The fence a line opens a code block with (```` ``` ```` or `~~~`, three
/// or more), which the same run closes.
pub(crate) fn fence_marker(line: &str) -> Option<String> {
    let t = line.trim_start();
    let mark = t.chars().next().filter(|c| matches!(c, '`' | '~'))?;
    let run: String = t.chars().take_while(|&c| c == mark).collect();
    (run.chars().count() >= 3).then_some(run)
}

/// Extensions of markdown files, compared case-insensitively. MDX is
/// markdown with components (Docusaurus writes its blog posts in it): its
/// `import` lines are blanked (see [`dialects`]) and its components'
/// tags are raw HTML, shown as any other.
const MARKDOWN_EXTENSIONS: &[&str] = &["md", "markdown", "mdown", "mkd", "mkdn", "mdx"];

/// True for `.md` (and `.markdown`, `.mdx`, ...) files, whatever the
/// case of the extension: the files the load stage reads, and the targets
/// of markdown links the body scan counts as links between incidents.
pub(crate) fn is_markdown(path: &std::path::Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| MARKDOWN_EXTENSIONS.iter().any(|m| e.eq_ignore_ascii_case(m)))
}

/// Pieces of raw HTML a body may have before they are shown as text: the
/// sanitiser's cost grows faster than linearly with deeply nested unclosed
/// tags, and no write-up needs thousands of them.
pub(crate) const MAX_RAW_HTML: usize = 2_000;

/// The markdown dialect of every RCA.
pub(crate) fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_WIKILINKS
        // GitHub's alerts (`> [!WARNING]`), which write-ups kept on GitHub use.
        | Options::ENABLE_GFM
}

/// A parser over `text` with the archive's options.
pub(crate) fn parser(text: &str) -> Parser<'_> {
    Parser::new_ext(text, options())
}

/// The anchor a heading's text gets: lower case, letters and digits of any
/// script kept, runs of anything else turned into one `-`.
pub(crate) fn slugify_heading(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut dash = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.extend(c.to_lowercase());
        } else if c.is_whitespace() || c == '-' || c == '_' || c == '.' || c == '/' {
            dash = true;
        }
    }
    if out.is_empty() { "section".to_string() } else { out }
}

/// Hands out unique anchors in document order: the second `Impact` heading
/// becomes `impact-1`.
#[derive(Default)]
pub(crate) struct Anchors {
    seen: HashMap<String, usize>,
}

impl Anchors {
    /// A unique anchor for `wanted`.
    pub(crate) fn unique(&mut self, wanted: String) -> String {
        let Some(&count) = self.seen.get(&wanted) else {
            self.seen.insert(wanted.clone(), 0);
            return wanted;
        };
        let mut n = count;
        loop {
            n += 1;
            let candidate = format!("{wanted}-{n}");
            if !self.seen.contains_key(&candidate) {
                self.seen.insert(wanted, n);
                self.seen.insert(candidate.clone(), 0);
                return candidate;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heading_slugs_keep_letters_of_any_script() {
        assert_eq!(slugify_heading("Root Cause"), "root-cause");
        assert_eq!(slugify_heading("What went well?!"), "what-went-well");
        assert_eq!(slugify_heading("Ação & Café — 2024"), "ação-café-2024");
        assert_eq!(slugify_heading("根本原因"), "根本原因");
        assert_eq!(slugify_heading("???"), "section");
        assert_eq!(slugify_heading("  v1.2 / rollout_plan "), "v1-2-rollout-plan");
    }

    #[test]
    fn anchors_are_unique_in_order() {
        let mut a = Anchors::default();
        assert_eq!(a.unique("impact".into()), "impact");
        assert_eq!(a.unique("impact".into()), "impact-1");
        assert_eq!(a.unique("impact-1".into()), "impact-1-1");
        assert_eq!(a.unique("impact".into()), "impact-2");
    }
}
