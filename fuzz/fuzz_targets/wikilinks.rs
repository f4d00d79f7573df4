//! Wiki-link resolution across a few incidents whose titles, slugs, aliases
//! and bodies come from fuzz input.
#![no_main]

use std::path::Path;

use hindsight::Config;
use libfuzzer_sys::fuzz_target;

fn config() -> Config {
    let mut config = Config::default();
    config.wikilinks.external.insert("jira".into(), "https://jira.example/browse/{name}".into());
    config.wikilinks.external.insert("gh#".into(), "https://github.com/x/y/issues/{name}".into());
    config
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut documents = Vec::new();
    // Records separated by U+001E: title, slug, alias, then the body.
    for (n, record) in text.split('\u{1e}').take(6).enumerate() {
        let mut lines = record.splitn(4, '\n');
        let title = lines.next().unwrap_or("");
        let slug = lines.next().unwrap_or("");
        let alias = lines.next().unwrap_or("");
        let body = lines.next().unwrap_or("");
        let q = |s: &str| serde_json::to_string(s).unwrap_or_default();
        let file = format!(
            "---\ntitle: {}\ndate: 2024-01-0{}\nseverity: P2\nslug: {}\naliases: [{}]\n---\n{body}\n",
            q(title),
            n + 1,
            q(slug),
            q(alias),
        );
        let path = format!("content/f{n}.md");
        let Ok(source) = hindsight::internals::source_from_bytes(Path::new(&path), file.into_bytes())
        else {
            continue;
        };
        if let (Some(document), _) = hindsight::internals::parse_document(source) {
            documents.push(document);
        }
    }
    let config = config();
    let validated = hindsight::internals::validate(documents, &config, false);
    let (table, _) = hindsight::internals::link(&validated.incidents, &validated.drafts, &config);
    assert_eq!(table.targets.len(), validated.incidents.len());
});
