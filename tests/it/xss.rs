//! Safe HTML: script payloads fed through every front-matter field, the
//! body and the configuration never survive as executable markup.

use scraper::{Html, Selector};

use crate::support::Archive;

/// Breaks out of text, attributes, and `<script>` blocks alike.
const PAYLOAD: &str =
    r#"</script><script>alert(1)</script>"><img src=x onerror=alert(2)>'><svg onload=alert(3)>"#;

fn yaml(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

fn hostile_archive() -> Archive {
    let archive = Archive::fixture("basic");
    let p = yaml(PAYLOAD);
    let config = std::fs::read_to_string(archive.root().join("hindsight.toml")).unwrap();
    let config = config.replacen(
        "title = \"Fixture <archive>\"",
        &format!("title = {p}\ndescription = {p}"),
        1,
    );
    archive.write("hindsight.toml", config);
    archive.write(
        "content/xss.md",
        format!(
            "---\ntitle: {p}\ndate: 2024-03-01\nseverity: P1\nstatus: {p}\nservices: [{p}, \"../../etc\"]\n\
             tags: [{p}, \"javascript:alert(1)\"]\nauthor: [{p}]\naliases: [{p}]\nsummary: {p}\n\
             ticket: {p}\nlinks: [{p}]\nnested: {{deep: {p}}}\nduration_minutes: 5\n---\n\
             ## Summary\n\n{PAYLOAD}\n\n\
             ## Heading {PAYLOAD}\n\n\
             <script>alert(4)</script>\n\n\
             <div onclick=\"alert(5)\" style=\"x\">raw</div>\n\n\
             <a href=\"javascript:alert(6)\">raw link</a> <iframe src=\"https://evil.example\"></iframe>\n\n\
             [js](javascript:alert(7)) [JS](JaVaScRiPt:alert(8)) [spaced]( javascript:alert(9)) \
             [data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) \
             [vb](vbscript:msgbox) [entity](&#106;avascript:alert(10))\n\n\
             ![img](javascript:alert(11)) ![svg](data:image/svg+xml,<svg onload=alert(12)>)\n\n\
             <javascript:alert(13)>\n\n\
             [[{PAYLOAD}]] [[good-one|{PAYLOAD}]] [[runbook-\"><script>alert(14)</script>]]\n\n\
             ```\"><script>alert(15)</script>\n{PAYLOAD}\n```\n\n\
             ```html\n{PAYLOAD}\n```\n\n\
             ## Timeline\n\n| Time | Event |\n|--|--|\n| {PAYLOAD} | {PAYLOAD} |\n\n\
             ## Action items\n\n| Action | Owner | Due | Status |\n|--|--|--|--|\n\
             | {PAYLOAD} | {PAYLOAD} | {PAYLOAD} | {PAYLOAD} |\n\n- [ ] {PAYLOAD}\n"
        ),
    );
    archive
}

fn select(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

/// Every way a page could run script: inline or foreign `<script>`, event
/// handler attributes, `javascript:`/`data:`/`vbscript:` URLs, frames and
/// objects, and a missing or weakened CSP.
/// Whether `policy` allows the inline `text` by its SHA-256 hash.
fn allowed_by_hash(policy: &str, text: &str) -> bool {
    use base64::Engine as _;
    use sha2::Digest as _;
    let digest = sha2::Sha256::digest(text.as_bytes());
    let hash = base64::engine::general_purpose::STANDARD.encode(digest);
    policy.contains(&format!("'sha256-{hash}'"))
}

fn executable_markup(path: &str, html: &str) -> Vec<String> {
    let doc = Html::parse_document(html);
    let mut found = Vec::new();
    let policy = doc
        .select(&select("meta[http-equiv=\"Content-Security-Policy\"]"))
        .filter_map(|m| m.value().attr("content"))
        .next()
        .unwrap_or_default();
    for script in doc.select(&select("script")) {
        match script.value().attr("src") {
            // The not-found page's own script, served at any depth, is
            // inline and allowed by its hash alone.
            None if path == "404.html"
                && allowed_by_hash(policy, &script.text().collect::<String>()) => {}
            // The theme's own scripts, relative (404.html too).
            Some(src)
                if src.contains("static/")
                    && (!src.contains(':')
                        || src.starts_with("https://fixture.example/rca/static/")) => {}
            _ => found.push(format!("{path}: {}", script.html())),
        }
    }
    for tag in ["iframe", "object", "embed", "frame", "base"] {
        for el in doc.select(&select(tag)) {
            found.push(format!("{path}: <{tag}> {}", el.html()));
        }
    }
    // Forms only as the theme writes them (search, filters); none from content.
    const THEME_FORMS: [&str; 4] = ["site-search", "filters-form", "facets", "graph-filter"];
    for el in doc.select(&select("form")) {
        if !el.value().attr("class").is_some_and(|c| THEME_FORMS.contains(&c)) {
            found.push(format!("{path}: <form> {}", el.html()));
        }
    }
    for el in doc.select(&select("*")) {
        for (name, value) in el.value().attrs() {
            let lower: String =
                value.chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect();
            let lower = lower.to_ascii_lowercase();
            if name.to_ascii_lowercase().starts_with("on") {
                found.push(format!("{path}: {name}= on <{}>", el.value().name()));
            }
            if name == "style" {
                found.push(format!("{path}: inline style on <{}>", el.value().name()));
            }
            let url_attr = matches!(name, "href" | "src" | "action" | "formaction" | "xlink:href");
            if url_attr
                && (lower.starts_with("javascript:")
                    || lower.starts_with("vbscript:")
                    || (lower.starts_with("data:") && !lower.starts_with("data:image/png")))
            {
                found.push(format!("{path}: {name}={value:?}"));
            }
        }
    }
    let csp: Vec<_> = doc
        .select(&select("meta[http-equiv=\"Content-Security-Policy\"]"))
        .filter_map(|m| m.value().attr("content"))
        .collect();
    let strict = csp.len() == 1
        && csp[0].contains("script-src 'self'")
        && csp[0].contains("object-src 'none'")
        && !csp[0].contains("unsafe-inline")
        && !csp[0].contains("unsafe-eval");
    if !strict {
        found.push(format!("{path}: CSP meta missing or weak: {csp:?}"));
    }
    found
}

#[test]
fn payloads_in_every_field_and_the_body_never_execute() {
    let archive = hostile_archive();
    let report = archive.build();
    assert!(archive.out().join("incidents/xss/index.html").is_file(), "{:?}", report.diagnostics);
    let mut found = Vec::new();
    let mut pages = 0;
    for (path, bytes) in archive.output_files() {
        if path.ends_with(".html") {
            pages += 1;
            found.extend(executable_markup(&path, &String::from_utf8(bytes).unwrap()));
        }
    }
    assert!(pages > 10, "{pages}");
    assert!(found.is_empty(), "{found:#?}");
    // The payload is shown as text, not dropped.
    let page = archive.read("incidents/xss/index.html");
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "payload shown as text");
}

#[test]
fn json_output_keeps_payloads_as_strings() {
    let archive = hostile_archive();
    archive.build();
    let json = archive.read("incidents.json");
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let xss = value.as_array().or_else(|| value["incidents"].as_array()).unwrap();
    assert!(xss.iter().any(|i| i["title"] == PAYLOAD), "{json}");
    // Safe to embed in a page too: no raw `</script` or `<!--` in the text.
    assert!(!json.contains("</script"), "{json}");
}

/// See: issue 26. `graph.json` and `actions.json` carried raw `<script>`
/// where docs/REFERENCE.md promises every JSON file escapes `<`, `>` and `&`.
#[test]
fn issue_26_every_json_file_escapes_markup() {
    let archive = hostile_archive();
    archive.build();
    for file in ["incidents.json", "graph.json", "actions.json"] {
        let json = archive.read(file);
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        fn has(v: &serde_json::Value, text: &str) -> bool {
            match v {
                serde_json::Value::String(s) => s.contains(text),
                serde_json::Value::Array(a) => a.iter().any(|v| has(v, text)),
                serde_json::Value::Object(o) => o.values().any(|v| has(v, text)),
                _ => false,
            }
        }
        assert!(has(&value, PAYLOAD), "{file} keeps the payload as a string");
        for raw in ['<', '>', '&'] {
            assert!(!json.contains(raw), "{file} has a raw {raw:?}");
        }
    }
}

#[test]
fn the_theme_has_no_inline_script_or_handlers() {
    for (name, text) in hindsight::internals::TEMPLATES {
        let doc = Html::parse_fragment(text);
        for script in doc.select(&select("script")) {
            // The not-found page carries its script, allowed by its hash
            // (`build::issue_25_the_not_found_page_carries_its_style_...`).
            let hashed = *name == "404.html" && text.contains("'{{ script_hash }}'");
            assert!(script.value().attr("src").is_some() || hashed, "{name}: inline script");
        }
        for el in doc.select(&select("*")) {
            for (attr, _) in el.value().attrs() {
                assert!(!attr.starts_with("on") && attr != "style", "{name}: {attr}=");
            }
        }
    }
}

/// See #26: HTML, SVG and script beside an RCA are not published (script
/// in them would run on the site's origin) unless the archive allows it.
#[test]
fn issue_26_active_attachments_are_refused_unless_allowed() {
    let archive = crate::support::Archive::fixture("basic");
    archive
        .write("content/team/evil.svg", "<svg onload=\"alert(1)\"><script>alert(2)</script></svg>");
    archive.write("content/team/page.html", "<script>alert(3)</script>");
    archive.write("content/team/x.js", "alert(4)");
    let report = archive.build();
    let refused: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.code == "RCA025")
        .filter_map(|d| d.file.as_ref().map(|f| f.to_string_lossy().into_owned()))
        .collect();
    assert_eq!(refused.len(), 3, "{refused:?}");
    let files = archive.output_files();
    let published: Vec<_> = files
        .keys()
        .filter(|k| k.ends_with("/evil.svg") || k.ends_with("/page.html") || k.ends_with("/x.js"))
        .collect();
    assert!(published.is_empty(), "{published:?}");
    assert!(files.contains_key("incidents/2023-03-03-dns/graph.png"), "passive files still go");

    let allowed = crate::support::Archive::fixture("basic");
    allowed.write("hindsight.toml", "allow_active_attachments = true\n");
    allowed.write("content/team/evil.svg", "<svg/>");
    allowed.build();
    assert!(allowed.output_files().contains_key("incidents/2023-03-03-dns/evil.svg"));
}
