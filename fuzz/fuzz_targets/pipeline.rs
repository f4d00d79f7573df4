//! Any bytes as the only file of an archive, through every stage that does
//! not touch the disk: parse, validate, link and render the whole site in
//! memory.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use hindsight::Config;
use hindsight::internals::{Collect, RenderInput, render_site};
use hindsight::internals::{Theme, load_theme};
use libfuzzer_sys::fuzz_target;

fn theme() -> &'static Theme {
    static THEME: OnceLock<Theme> = OnceLock::new();
    THEME.get_or_init(|| {
        load_theme(Path::new("/nonexistent"), &Config::default()).expect("embedded theme")
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(source) =
        hindsight::internals::source_from_bytes(Path::new("content/fuzz.md"), data.to_vec())
    else {
        return;
    };
    let (Some(document), _) = hindsight::internals::parse_document(source) else { return };
    let config = Config::default();
    let validated = hindsight::internals::validate(vec![document], &config, true);
    let (links, _) = hindsight::internals::link(&validated.incidents, &validated.drafts, &config);
    let related = hindsight::internals::relate(&validated.incidents, &links, &config.related);
    let input = RenderInput {
        config: &config,
        incidents: &validated.incidents,
        links: &links,
        related: &related,
        theme: theme(),
        attachments: &[],
        root: Path::new("/nonexistent"),
        build_date: jiff::civil::date(2024, 1, 1),
    };
    let out = Collect::default();
    render_site(&input, &out).expect("the default theme renders any incident");
    for file in &out.into_files() {
        assert!(!file.path.contains(".."), "{}", file.path);
    }
});
