//! Build benchmark: generates archives of N synthetic RCAs and builds each
//! several times with the release binary, printing median wall time, peak
//! memory and the per-stage breakdown, next to the floor (reading every
//! input plus copying the built output).
//!
//!     cargo bench --bench build -- [--sizes 1000,10000] [--runs 5]
//!
//! Corpora are cached under target/bench-corpus/<N>.

// A benchmark harness: failing loudly on a broken setup is what it should do.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

mod corpus;

use corpus::{corpus_dir, median};

use std::path::Path;
use std::process::Command;
use std::time::Instant;

struct Args {
    sizes: Vec<usize>,
    runs: usize,
}

fn parse_args() -> Args {
    let mut args = Args { sizes: vec![1_000, 10_000], runs: 5 };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--sizes" => {
                args.sizes = it
                    .next()
                    .unwrap_or_default()
                    .split(',')
                    .filter_map(|s| s.trim().parse().ok())
                    .collect();
            }
            "--runs" => args.runs = it.next().and_then(|s| s.parse().ok()).unwrap_or(5),
            _ => {} // cargo passes --bench
        }
    }
    args
}

/// Reading every input file and copying the output: what no build can beat.
fn floor(root: &Path, out: &Path) -> f64 {
    let t = Instant::now();
    let mut bytes = 0usize;
    for e in walkdir::WalkDir::new(root.join("content")).into_iter().flatten() {
        if e.file_type().is_file() {
            bytes += std::fs::read(e.path()).map(|b| b.len()).unwrap_or(0);
        }
    }
    let copy = out.with_extension("floor-copy");
    let _ = std::fs::remove_dir_all(&copy);
    let status = Command::new("cp").arg("-r").arg(out).arg(&copy).status();
    let secs = t.elapsed().as_secs_f64();
    let _ = std::fs::remove_dir_all(&copy);
    assert!(bytes > 0 && status.is_ok_and(|s| s.success()), "floor measurement failed");
    secs
}

fn main() {
    let args = parse_args();
    let bin = env!("CARGO_BIN_EXE_hindsight");
    println!(
        "| N | cold s | wall s (median of {}) | min-max | peak RSS MiB | load | validate | link | relate | render | write | relate share | floor s | wall/floor |",
        args.runs
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for &n in &args.sizes {
        let root = corpus_dir(n);
        let out = root.join("public");
        // Cold: no output yet, every file written. The timed runs after it
        // rebuild over that output, as CI caches and `serve` do: files
        // whose bytes did not change are compared, not rewritten.
        let _ = std::fs::remove_dir_all(&out);
        let t = Instant::now();
        let status = Command::new(bin).args(["build", "--root"]).arg(&root).output();
        let cold = t.elapsed().as_secs_f64();
        assert!(status.is_ok_and(|o| o.status.code().is_some_and(|c| c <= 1)), "cold build");
        let mut walls = Vec::new();
        let mut rss = Vec::new();
        let mut stages: Vec<Vec<f64>> = vec![Vec::new(); 6];
        for _ in 0..args.runs {
            let t = Instant::now();
            let output = Command::new(bin)
                .args(["build", "--timings", "--root"])
                .arg(&root)
                .output()
                .expect("run hindsight");
            walls.push(t.elapsed().as_secs_f64());
            assert!(
                output.status.code().is_some_and(|c| c <= 1),
                "{}",
                String::from_utf8_lossy(&output.stderr)
            );
            let json: serde_json::Value =
                serde_json::from_slice(&output.stdout).expect("timings JSON");
            rss.push(json["peak_rss_mib"].as_f64().unwrap_or(0.0));
            for (i, key) in
                ["load", "validate", "link", "relate", "render", "write"].iter().enumerate()
            {
                stages[i].push(json["stages_ms"][key].as_f64().unwrap_or(0.0));
            }
        }
        let floors: Vec<f64> = (0..3).map(|_| floor(&root, &out)).collect();
        let (lo, hi) = walls.iter().fold((f64::MAX, 0f64), |(lo, hi), &w| (lo.min(w), hi.max(w)));
        let wall = median(walls);
        let fl = median(floors);
        let medians: Vec<f64> = stages.into_iter().map(median).collect();
        let stage: Vec<String> = medians.iter().map(|m| format!("{m:.0} ms")).collect();
        let relate_share = medians.get(3).copied().unwrap_or(0.0) / 1000.0 / wall;
        println!(
            "| {n} | {cold:.2} | {wall:.2} | {lo:.2}-{hi:.2} | {:.0} | {} | {:.0}% | {fl:.2} | {:.1}x |",
            median(rss),
            stage.join(" | "),
            relate_share * 100.0,
            wall / fl
        );
    }
}
