//! Template tags site generators leave in a post's markdown, read as what
//! they show, each padded with spaces to the length it was written in so
//! that offsets hold (see the parent module):
//!
//! - Jekyll's tags that open a link's destination: `({{ "/assets/p99.png"
//!   | relative_url }})` is `(/assets/p99.png …)`, `({{ site.baseurl
//!   }}/assets/p99.png)` is `(… /assets/p99.png)`, and `({% post_url
//!   2022-05-03-db-failover %})` is the post's file,
//!   `2022-05-03-db-failover.md`, a link between incidents.
//! - Hugo's shortcodes: `{{< figure src="/img/p99.png" alt="p99" >}}` is
//!   the image `![p99](/img/p99.png)`; `{{< ref "2022-05-03-db.md" >}}` in
//!   a link is that file; `{{< highlight go >}}` … `{{< /highlight >}}`
//!   alone on their lines are a code fence; a status page's `{{< track
//!   "2023-12-04 11:42:00" >}}` is its time; any other shortcode is for
//!   the site alone and becomes blank.
//!
//! - Liquid's block tags alone on their line, as Jekyll posts and GitBook
//!   spaces write them: `{% highlight ruby %}` … `{% endhighlight %}` are
//!   a code fence; GitBook's `{% hint style="warning" %}` and `{% tab
//!   title="Before" %}` are a title in bold, as an admonition's is;
//!   `{% embed url="https://…" %}` is the address; any other (`{% endhint
//!   %}`, `{% tabs %}`, `{% raw %}`, `{% include … %}`) becomes blank.
//!
//! A tag is read on one line; anything else is left as written.

use std::borrow::Cow;

use super::padded;

/// True when `line` may hold a tag this module reads: cheap.
pub(super) fn has_tags(line: &str) -> bool {
    line.contains('{')
        && (line.contains("]({")
            || line.contains("{{<")
            || line.contains("{{%")
            || line.trim_start().starts_with("{%"))
}

/// `line` with its template tags read (see the module documentation).
pub(super) fn read_through(line: &str) -> Cow<'_, str> {
    if let Some(block) = liquid_block(line) {
        return Cow::Owned(block);
    }
    let line = without_liquid_urls(line);
    if !line.contains("{{<") && !line.contains("{{%") {
        return line;
    }
    Cow::Owned(without_shortcodes(&line))
}

/// `line` with each Jekyll tag that opens a link's destination read as
/// the address it makes.
fn without_liquid_urls(line: &str) -> Cow<'_, str> {
    if !line.contains("]({") {
        return Cow::Borrowed(line);
    }
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(at) = rest.find("]({") {
        let (before, tag) = rest.split_at(at + 2);
        out.push_str(before);
        let close = if tag.starts_with("{{<") || tag.starts_with("{{%") {
            // A Hugo shortcode: read with the others.
            out.push_str("{{");
            rest = tag.get(2..).unwrap_or_default();
            continue;
        } else if tag.starts_with("{{") {
            "}}"
        } else {
            "%}"
        };
        let Some(end) = tag.find(close).map(|e| e + close.len()) else {
            rest = tag;
            break;
        };
        let (written, after) = tag.split_at(end);
        match liquid_address(written) {
            Some(address) => out.push_str(&padded(&address, written.len())),
            None => out.push_str(written),
        }
        rest = after;
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// The address a Jekyll tag at the start of a link's destination makes:
/// a quoted path through `relative_url`, `absolute_url` or `prepend`, the
/// empty base of `site.baseurl` or `site.url`, a post's file for
/// `post_url`. `None` for any other tag.
fn liquid_address(tag: &str) -> Option<String> {
    if let Some(inner) = tag.strip_prefix("{%").and_then(|t| t.strip_suffix("%}")) {
        let post = inner.trim().strip_prefix("post_url")?.trim();
        let plain = !post.is_empty() && !post.contains(char::is_whitespace);
        return plain.then(|| format!("{post}.md"));
    }
    let inner = tag.strip_prefix("{{")?.strip_suffix("}}")?.trim();
    if matches!(inner, "site.baseurl" | "site.url" | "site.base_url") {
        return Some(String::new());
    }
    let (value, filter) = inner.split_once('|')?;
    let filter = filter.trim();
    let known = matches!(filter, "relative_url" | "absolute_url") || filter.starts_with("prepend:");
    known.then(|| unquoted(value.trim())).flatten().map(str::to_string)
}

/// A line that is one Liquid tag (`{% hint style="info" %}`), read as what
/// it shows, padded to its length and with its line end; `None` for any
/// other line.
fn liquid_block(line: &str) -> Option<String> {
    let (written, end) = super::split_line_end(line);
    let inner = written.trim().strip_prefix("{%")?.strip_suffix("%}")?;
    if inner.contains("%}") {
        return None;
    }
    let tag = Tag::read(inner.trim_matches('-'))?;
    let shown = match tag.name.as_str() {
        "highlight" => format!("```{}", tag.first().unwrap_or_default()),
        "endhighlight" => "```".to_string(),
        "hint" => format!("**{}**", super::capitalised(tag.named("style").unwrap_or("note"))),
        "tab" => tag.named("title").map(|t| format!("**{t}**")).unwrap_or_default(),
        "embed" => tag.named("url").map(|u| format!("<{u}>")).unwrap_or_default(),
        _ => String::new(),
    };
    // What would not fit shows nothing rather than half of itself.
    let shown = if shown.len() <= written.len() { shown } else { String::new() };
    Some(format!("{}{end}", padded(&shown, written.len())))
}

/// `line` with each Hugo shortcode read as what it shows.
fn without_shortcodes(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(at) = rest.find("{{<").or_else(|| rest.find("{{%")) {
        let (before, tag) = rest.split_at(at);
        out.push_str(before);
        let close = if tag.starts_with("{{<") { ">}}" } else { "%}}" };
        let Some(end) = tag.find(close).map(|e| e + close.len()) else {
            rest = tag;
            break;
        };
        let (written, after) = tag.split_at(end);
        let alone = before.trim().is_empty() && after.trim().is_empty();
        let inner = written.get(3..written.len() - 3).unwrap_or_default().trim();
        let shown = shortcode_shows(inner, alone, before.ends_with("]("));
        out.push_str(&padded(&shown.unwrap_or_default(), written.len()));
        rest = after;
    }
    out.push_str(rest);
    out
}

/// What a shortcode (`inner`: its name and arguments) shows: `alone` on
/// its line, or as a link's destination (`in_link`). `None` shows nothing.
fn shortcode_shows(inner: &str, alone: bool, in_link: bool) -> Option<String> {
    let tag = Tag::read(inner)?;
    let named = |key: &str| tag.named(key);
    let first = tag.first();
    match tag.name.as_str() {
        "figure" | "img" | "image" => {
            let src = named("src")?;
            let alt = named("alt").or_else(|| named("title")).or_else(|| named("caption"));
            let alt = alt.unwrap_or_default().replace(['[', ']'], "");
            Some(format!("![{alt}]({src})"))
        }
        "ref" | "relref" if in_link => first.or_else(|| named("path")).map(str::to_string),
        "highlight" if alone => Some(format!("```{}", first.unwrap_or_default())),
        "/highlight" if alone => Some("```".to_string()),
        "track" => first.map(str::to_string),
        _ => None,
    }
}

/// A template tag's name (its first word) and its other arguments, as
/// Hugo's shortcodes and Liquid's tags write them.
struct Tag {
    name: String,
    args: Vec<(Option<String>, String)>,
}

impl Tag {
    /// The tag whose name and arguments are `inner`; `None` when empty.
    fn read(inner: &str) -> Option<Tag> {
        let mut args = arguments(inner.trim());
        if args.is_empty() {
            return None;
        }
        let (_, name) = args.remove(0);
        Some(Tag { name, args })
    }

    /// The value of argument `key="value"`.
    fn named(&self, key: &str) -> Option<&str> {
        self.args.iter().find_map(|(k, v)| (k.as_deref() == Some(key)).then_some(v.as_str()))
    }

    /// The first argument without a key.
    fn first(&self) -> Option<&str> {
        self.args.iter().find(|(k, _)| k.is_none()).map(|(_, v)| v.as_str())
    }
}

/// A shortcode's name and arguments: `(key, value)` for `key="value"`,
/// `(None, value)` for a positional one; quotes removed.
fn arguments(inner: &str) -> Vec<(Option<String>, String)> {
    let mut out = Vec::new();
    let mut rest = inner.trim();
    while !rest.is_empty() {
        let (key, after_key) = match rest.find(['=', ' ', '"', '\'']) {
            Some(eq) if rest.as_bytes().get(eq) == Some(&b'=') => {
                (Some(rest[..eq].trim().to_string()), rest[eq + 1..].trim_start())
            }
            _ => (None, rest),
        };
        let (value, after) = match after_key.chars().next() {
            Some(q @ ('"' | '\'' | '`')) => {
                let body = &after_key[1..];
                let end = body.find(q).unwrap_or(body.len());
                (&body[..end], body.get(end + 1..).unwrap_or_default())
            }
            _ => {
                let end = after_key.find(char::is_whitespace).unwrap_or(after_key.len());
                after_key.split_at(end)
            }
        };
        out.push((key, value.to_string()));
        rest = after.trim_start();
    }
    out
}

/// `value` without the quotes around it; `None` when it is not quoted.
pub(super) fn unquoted(value: &str) -> Option<&str> {
    let quoted = (value.starts_with('"') && value.ends_with('"'))
        || (value.starts_with('\'') && value.ends_with('\''));
    (quoted && value.len() >= 2).then(|| &value[1..value.len() - 1])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `line` reads as, runs of spaces shown as one; the length kept.
    fn read(line: &str) -> String {
        let out = read_through(line);
        assert_eq!(out.len(), line.len(), "{out:?}");
        let joined = out.split(' ').filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ");
        joined.replace(" \n", "\n").trim_end_matches(' ').to_string()
    }

    #[test]
    fn jekyll_tags_in_a_links_destination_are_the_address_they_make() {
        assert_eq!(
            read("![p99]({{ \"/assets/p99.png\" | relative_url }})\n"),
            "![p99](/assets/p99.png )\n"
        );
        assert_eq!(read("[a]({{ site.baseurl }}/x.png) b\n"), "[a]( /x.png) b\n");
        assert_eq!(
            read("the [May outage]({% post_url 2022-05-03-db %}).\n"),
            "the [May outage](2022-05-03-db.md ).\n"
        );
        for kept in
            ["[a]({{ page.x }})\n", "[a]({% include x.html %})\n", "[a]({{ \"x\" | upcase }})\n"]
        {
            assert_eq!(read_through(kept), kept);
        }
    }

    #[test]
    fn hugo_shortcodes_are_what_they_show() {
        assert_eq!(
            read("{{< figure src=\"/img/p99.png\" alt=\"p99 at the origin\" >}}\n"),
            "![p99 at the origin](/img/p99.png)\n"
        );
        assert_eq!(read("{{< figure src='/img/x.png' title=\"Lag\" >}}"), "![Lag](/img/x.png)");
        assert_eq!(
            read("the [first]({{< ref \"2022-05-03-db.md\" >}}) one"),
            "the [first](2022-05-03-db.md ) one"
        );
        assert_eq!(read("{{< highlight go \"linenos=table\" >}}\n"), "```go\n");
        assert_eq!(read("{{< /highlight >}}\n"), "```\n");
        assert_eq!(
            read("Fixed. {{< track \"2023-12-04 11:42:00\" >}}"),
            "Fixed. 2023-12-04 11:42:00"
        );
        assert_eq!(read("Watch {{< youtube dQw4w9WgXcQ >}} and {{% notice %}}"), "Watch and");
        // Not alone on its line, a highlight is no fence.
        assert_eq!(read("x {{< highlight go >}}"), "x");
        // Lengths are bytes, whatever the script.
        assert_eq!(
            read("{{< figure src=\"/img/größe.png\" alt=\"Größe\" >}}"),
            "![Größe](/img/größe.png)"
        );
        assert_eq!(read("[x]({{ \"/ü/ä.png\" | relative_url }})"), "[x](/ü/ä.png )");
        // Unclosed, it is left as written.
        assert_eq!(read_through("{{< figure src=x"), "{{< figure src=x");
    }

    #[test]
    fn liquid_block_tags_alone_on_a_line_are_what_they_show() {
        assert_eq!(read("{% highlight ruby %}\n"), "```ruby\n");
        assert_eq!(read("{% endhighlight %}\n"), "```\n");
        assert_eq!(read("{% hint style=\"warning\" %}\n"), "**Warning**\n");
        assert_eq!(read("{% endhint %}\n"), "\n");
        assert_eq!(read("{% tab title=\"Before\" %}"), "**Before**");
        assert_eq!(
            read("{% embed url=\"https://grafana.example.com/d/redis\" %}"),
            "<https://grafana.example.com/d/redis>"
        );
        assert_eq!(read("{%- include figure.html -%}"), "");
        assert_eq!(read("  {% tabs %}  "), "");
        // In a sentence, or two tags on a line, a tag is left as written.
        for kept in ["Use {% raw %} here", "{% if a %}x{% endif %}"] {
            assert_eq!(read_through(kept), kept);
        }
    }
}
