//! Related-stage benchmark: loads, validates and links an archive once,
//! then runs the related stage alone several times in the same process
//! and prints the median, min and max. With no files read or written
//! around it, this is the steadiest way to compare two versions of the
//! stage: run both in turn, several times each.
//!
//!     cargo bench --bench relate -- [--size 10000] [--root DIR] [--runs 9]
//!
//! Without `--root`, the archive is the build benchmark's corpus of
//! `--size` RCAs, cached under target/bench-corpus/<N>.

// A benchmark harness: failing loudly on a broken setup is what it should do.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

mod corpus;

use corpus::{corpus_dir, median};

use std::path::PathBuf;
use std::time::Instant;

use hindsight::Site;

// The allocator the binary uses, so the figures are the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

struct Args {
    size: usize,
    root: Option<PathBuf>,
    runs: usize,
}

fn parse_args() -> Args {
    let mut args = Args { size: 10_000, root: None, runs: 9 };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--size" => args.size = it.next().and_then(|s| s.parse().ok()).unwrap_or(10_000),
            "--root" => args.root = it.next().map(PathBuf::from),
            "--runs" => args.runs = it.next().and_then(|s| s.parse().ok()).unwrap_or(9).max(1),
            _ => {} // cargo passes --bench
        }
    }
    args
}

fn main() {
    let args = parse_args();
    let root = args.root.unwrap_or_else(|| corpus_dir(args.size));
    let site = Site::open(&root).expect("archive opens");
    let config = &site.config;
    let loaded = hindsight::internals::load_archive(&root, config).expect("archive loads");
    let validated = hindsight::internals::validate(loaded.documents, config, false);
    let (links, _) = hindsight::internals::link(&validated.incidents, &validated.drafts, config);
    let mut times = Vec::with_capacity(args.runs);
    for _ in 0..args.runs {
        let t = Instant::now();
        let graph = hindsight::internals::relate(&validated.incidents, &links, &config.related);
        times.push(t.elapsed().as_secs_f64() * 1e3);
        drop(std::hint::black_box(graph));
    }
    let (min, max) = times.iter().fold((f64::MAX, 0.0f64), |(lo, hi), &t| (lo.min(t), hi.max(t)));
    println!(
        "{} incidents: relate median {:.1} ms, min {min:.1}, max {max:.1} ({} runs)",
        validated.incidents.len(),
        median(times),
        args.runs,
    );
}
