//! Scaling: every stage must be linear (or n log n) in the size of its
//! input. Each construct below is grown from N to 4N copies in one file;
//! a linear stage takes about 4x the time, a quadratic one 16x.
//!
//! See: issue 26 (one file of 1.2 MB kept `build` running for minutes).
//!
//! These are timings, so they are ignored in the normal run; they assert
//! only the ratio between N and 4N, never an absolute time. Run them with
//! `scripts/scaling.sh` (or `cargo test --test it scaling -- --ignored
//! --nocapture`, `SCALING_ONLY=links` for one construct).

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use hindsight::{BuildOptions, Site};

use crate::support::Archive;

/// The largest time ratio between 4N and N accepted as linear: 4 plus room
/// for noise and n log n.
const MAX_RATIO: f64 = 5.0;

/// A construct: its name, N, and the file holding `n` copies of it.
struct Construct {
    name: &'static str,
    n: usize,
    file: fn(usize) -> String,
}

const MATTER: &str = "---\ntitle: Scaling\ndate: 2024-01-01\nseverity: P2\n---\n";

fn body(text: String) -> String {
    format!("{MATTER}## Summary\n\nOne file, grown.\n\n{text}")
}

fn repeat(n: usize, each: impl Fn(usize) -> String) -> String {
    let mut out = String::new();
    for i in 0..n {
        out.push_str(&each(i));
    }
    out
}

const CONSTRUCTS: &[Construct] = &[
    Construct {
        name: "wiki links",
        n: 10_000,
        file: |n| body(repeat(n, |i| format!("[[ok|l{i}]] "))),
    },
    Construct {
        name: "wiki links, one per sentence",
        n: 10_000,
        file: |n| body(repeat(n, |i| format!("See [[ok#Summary|l{i}]]. "))),
    },
    Construct {
        name: "broken wiki links",
        n: 5_000,
        file: |n| body(repeat(n, |i| format!("[[missing-{i}]]\n"))),
    },
    Construct {
        name: "external wiki links",
        n: 10_000,
        file: |n| body(repeat(n, |i| format!("[[runbook-{i}]] "))),
    },
    Construct {
        name: "task list under Action Items",
        n: 10_000,
        file: |n| {
            body(format!("## Action Items\n\n{}", repeat(n, |i| format!("- [ ] action {i}\n"))))
        },
    },
    Construct {
        name: "fields after an action's dash",
        n: 10_000,
        file: |n| body(format!("## Action Items\n\n- Fix it{}\n", " — @a".repeat(n))),
    },
    Construct {
        name: "labelled fields on one line",
        n: 10_000,
        file: |n| {
            let bold = "**Severity:** x · ".repeat(n);
            let plain = "Date: x | ".repeat(n);
            format!("# Fields\n\n{bold}\n\n{plain}\n\n## Summary\n\nx\n")
        },
    },
    Construct {
        name: "links to earlier incidents in one sentence",
        n: 5_000,
        // Dated after `ok.md`, which each link names: an earlier incident.
        file: |n| {
            let links = "[[ok]] ".repeat(n);
            format!(
                "---\ntitle: Again\ndate: 2025-01-01\nseverity: P2\n---\nA recurrence of {links}: not the same.\n"
            )
        },
    },
    Construct {
        name: "action items table",
        n: 5_000,
        file: |n| {
            body(format!(
                "## Action Items\n\n| Action | Owner | Due Date | Status |\n|---|---|---|---|\n{}",
                repeat(n, |i| format!(
                    "| fix {i} | team{} | 2024-02-{:02} | open |\n",
                    i % 50,
                    i % 28 + 1
                ))
            ))
        },
    },
    Construct {
        name: "list items",
        n: 20_000,
        file: |n| body(repeat(n, |i| format!("- item {i}\n"))),
    },
    Construct {
        name: "nested list items",
        n: 2_000,
        file: |n| body(repeat(n, |i| format!("{}- item {i}\n", "  ".repeat(i % 40)))),
    },
    Construct {
        name: "headings",
        n: 5_000,
        file: |n| body(repeat(n, |i| format!("## Heading {i}\n\ntext {i}\n\n"))),
    },
    Construct {
        name: "same heading",
        n: 5_000,
        file: |n| body(repeat(n, |_| "## Notes\n\ntext\n\n".to_string())),
    },
    Construct {
        name: "empty sections",
        n: 5_000,
        file: |n| body(repeat(n, |i| format!("## Empty {i}\n"))),
    },
    Construct {
        name: "timeline rows",
        n: 5_000,
        file: |n| {
            body(format!(
                "## Timeline\n\n| Time | Event |\n|---|---|\n{}",
                repeat(n, |i| format!("| {:02}:{:02} | alert {i} fired |\n", i / 60 % 24, i % 60))
            ))
        },
    },
    Construct {
        name: "table columns",
        n: 2_000,
        file: |n| {
            let row = |f: &dyn Fn(usize) -> String| {
                format!("|{}\n", repeat(n, |i| format!(" {} |", f(i))))
            };
            body(format!(
                "{}{}{}",
                row(&|i| format!("h{i}")),
                row(&|_| "---".to_string()),
                repeat(4, |_| row(&|i| format!("c{i}")))
            ))
        },
    },
    Construct {
        name: "blockquote nesting",
        n: 2_000,
        file: |n| body(format!("{} deep\n", ">".repeat(n))),
    },
    Construct {
        name: "bracket nesting",
        n: 40_000,
        file: |n| body(format!("{}x{}\n", "[".repeat(n), "]".repeat(n))),
    },
    Construct {
        name: "emphasis delimiters",
        n: 20_000,
        file: |n| body(repeat(n, |i| format!("*a{i} _b "))),
    },
    Construct {
        name: "footnotes",
        n: 5_000,
        file: |n| {
            body(format!(
                "{}\n\n{}",
                repeat(n, |i| format!("word[^{i}] ")),
                repeat(n, |i| format!("[^{i}]: note {i}\n"))
            ))
        },
    },
    Construct {
        name: "link reference definitions",
        n: 5_000,
        file: |n| {
            body(format!(
                "{}\n\n{}",
                repeat(n, |i| format!("[x][r{i}] ")),
                repeat(n, |i| format!("[r{i}]: https://example.com/{i}\n"))
            ))
        },
    },
    Construct {
        name: "code blocks",
        n: 2_000,
        file: |n| body(repeat(n, |i| format!("```bash\necho {i} | grep x\n```\n\n"))),
    },
    Construct {
        name: "code lines",
        n: 2_000,
        file: |n| body(format!("```bash\n{}```\n", repeat(n, |i| format!("echo {i} | grep x\n")))),
    },
    Construct {
        name: "div lines",
        n: 40_000,
        file: |n| body(repeat(n, |_| "<div>\n".to_string())),
    },
    Construct {
        name: "inline html tags",
        n: 5_000,
        file: |n| body(repeat(n, |i| format!("<b>x{i} "))),
    },
    Construct {
        name: "front-matter keys",
        n: 5_000,
        file: |n| {
            format!(
                "---\ntitle: Scaling\ndate: 2024-01-01\nseverity: P2\n{}---\nbody\n",
                repeat(n, |i| format!("key{i}: value {i}\n"))
            )
        },
    },
    Construct {
        name: "services",
        n: 1_000,
        file: |n| {
            format!(
                "---\ntitle: Scaling\ndate: 2024-01-01\nseverity: P2\nservices:\n{}---\nbody\n",
                repeat(n, |i| format!("  - svc-{i}\n"))
            )
        },
    },
    Construct {
        name: "tags",
        n: 1_000,
        file: |n| {
            format!(
                "---\ntitle: Scaling\ndate: 2024-01-01\nseverity: P2\ntags:\n{}---\nbody\n",
                repeat(n, |i| format!("  - tag-{i}\n"))
            )
        },
    },
    Construct {
        name: "aliases",
        n: 5_000,
        file: |n| {
            format!(
                "---\ntitle: Scaling\ndate: 2024-01-01\nseverity: P2\naliases:\n{}---\nbody\n",
                repeat(n, |i| format!("  - alias-{i}\n"))
            )
        },
    },
    Construct {
        name: "words in one paragraph",
        n: 50_000,
        file: |n| body(repeat(n, |i| format!("word{} ", i % 997))),
    },
    Construct { name: "one long word", n: 1_000_000, file: |n| body("x".repeat(n)) },
    Construct {
        name: "CJK text",
        n: 50_000,
        file: |n| body(repeat(n, |i| ["数", "据", "库", "连", "接"][i % 5].to_string())),
    },
];

/// The fastest of a few builds of an archive whose one grown file holds
/// `text`, beside a small file its links can point at.
fn time_build(text: &str) -> Duration {
    let archive = Archive::dir_with(&[]);
    archive.write("content/grown.md", text);
    archive.write(
        "content/ok.md",
        "---\ntitle: Target\ndate: 2024-01-02\nseverity: P3\n---\n## Summary\n\nTarget.\n",
    );
    archive.write(
        "hindsight.toml",
        "[wikilinks.external]\n\"runbook-\" = \"https://rb.example/{name}\"\n",
    );
    let site = Site::open(archive.root()).unwrap();
    let options = BuildOptions::default();
    (0..3)
        .map(|_| {
            let t = Instant::now();
            site.build(&options).unwrap();
            t.elapsed()
        })
        .min()
        .unwrap()
}

#[test]
#[ignore = "timing: run with scripts/scaling.sh"]
fn issue_26_every_construct_scales_linearly() {
    let only = std::env::var("SCALING_ONLY").ok();
    let base = time_build(&body(String::new()));
    let mut table =
        String::from("| construct | N | time N | time 4N | ratio |\n|---|---|---|---|---|\n");
    let mut slow = Vec::new();
    for c in CONSTRUCTS {
        if only.as_deref().is_some_and(|o| !c.name.contains(o)) {
            continue;
        }
        let small = time_build(&(c.file)(c.n));
        let large = time_build(&(c.file)(4 * c.n));
        // The build of an empty file is the same in both: what is left is
        // the construct's own cost.
        let own = |t: Duration| t.saturating_sub(base).as_secs_f64().max(1e-3);
        let ratio = own(large) / own(small);
        let line = format!(
            "| {} | {} | {:.3} s | {:.3} s | {:.1}x |",
            c.name,
            c.n,
            small.as_secs_f64(),
            large.as_secs_f64(),
            ratio
        );
        eprintln!("{line}");
        let _ = writeln!(table, "{line}");
        if ratio > MAX_RATIO {
            slow.push(c.name);
        }
    }
    println!("empty file: {:.3} s\n{table}", base.as_secs_f64());
    assert!(slow.is_empty(), "grows faster than linear: {slow:?}\n{table}");
}
