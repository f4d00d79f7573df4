//! What a rendered body may carry: URLs that run nothing, and raw HTML
//! cleaned by ammonia, keeping the markup the renderer itself writes.

use std::fmt::Write as _;

use pulldown_cmark::CowStr;

use super::Page;

/// Keeps relative URLs and http(s)/mailto ones; anything else (`javascript:`,
/// `data:`, `vbscript:` ...) becomes `#`.
pub(super) fn safe_url(url: CowStr<'_>) -> CowStr<'_> {
    if is_safe_url(&url) { url } else { CowStr::Borrowed("#") }
}

/// True for a picture carried in its URL (`data:image/png;base64,…`), as a
/// document editor's markdown export embeds every image: shown as an
/// image, it runs nothing. Other `data:` URLs are no image sources.
pub(super) fn is_inline_image(url: &str) -> bool {
    let Some(head) = url.get(..url.find(',').unwrap_or(0)) else { return false };
    let head = head.to_ascii_lowercase();
    let kinds = ["png", "jpeg", "jpg", "gif", "webp", "avif", "bmp"];
    head.strip_prefix("data:image/")
        .and_then(|rest| rest.strip_suffix(";base64"))
        .is_some_and(|kind| kinds.contains(&kind))
}

/// True for URLs a page may carry: relative, fragment, http(s) and mailto.
pub(super) fn is_safe_url(url: &str) -> bool {
    let trimmed: String = url.chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect();
    match trimmed.find([':', '/', '?', '#']).and_then(|i| trimmed.split_at_checked(i)) {
        Some((scheme, rest)) if rest.starts_with(':') => {
            matches!(scheme.to_ascii_lowercase().as_str(), "http" | "https" | "mailto")
        }
        _ => true,
    }
}

/// Cleans raw HTML with ammonia, keeping the markup this renderer itself
/// produces (classes, heading ids, task-list checkboxes). An `<img>` of the
/// raw HTML kept outside the content folder is shown from under `page`, as
/// a markdown image is.
pub(super) fn sanitize(html: &str, page: &Page<'_>) -> String {
    // The filter must own what it reads.
    let (folder, content_dir) = (page.folder.to_string(), page.content_dir.to_string());
    let mut builder = ammonia::Builder::default();
    builder
        .add_generic_attributes(["class", "id", "aria-hidden", "data-lang"])
        .add_tags(["input"])
        .add_tag_attributes("input", ["type", "checked", "disabled", "aria-label"])
        .add_tag_attributes("pre", ["tabindex"])
        .add_tag_attributes("div", ["tabindex"])
        // `data:` passes the scheme test only to meet the filter, which
        // keeps it for a picture carried in an image's source alone.
        .url_schemes(["http", "https", "mailto", "data"].into())
        .attribute_filter(move |element, attribute, value| {
            let data = value.trim_start().get(..5).is_some_and(|s| s.eq_ignore_ascii_case("data:"));
            let source = element == "img" && attribute == "src";
            if source && !data {
                let page = Page { title: "", folder: &folder, content_dir: &content_dir };
                if let Some(under) = page.image_source(value) {
                    let path =
                        percent_encoding::utf8_percent_encode(&under, crate::model::URL_PATH);
                    return Some(path.to_string().into());
                }
            }
            (!data || (source && is_inline_image(value))).then_some(value.into())
        });
    let mut out = String::new();
    let _ = write!(out, "{}", builder.clean(html));
    out
}
