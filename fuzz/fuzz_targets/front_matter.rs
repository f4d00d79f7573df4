//! Any bytes as a markdown file: the UTF-8 check, the front-matter split,
//! the YAML and TOML parsers and the body scan must never panic.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(source) =
        hindsight::internals::source_from_bytes(Path::new("content/fuzz.md"), data.to_vec())
    {
        let _ = hindsight::internals::parse_document(source);
    }
});
