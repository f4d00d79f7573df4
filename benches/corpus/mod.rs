//! A synthetic archive of realistic RCAs for benchmarks: ~4 KB each, with a
//! timeline and action-item table, code blocks in about 30% of files, wiki
//! links to earlier incidents, 60 services, 25 tags, dates 2019-2025.
//! Deterministic for a seed; needs nothing outside this repository.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Failure modes: a name and the words its write-ups use.
const MODES: &[(&str, &str, [&str; 6])] = &[
    (
        "pool",
        "connection pool exhaustion",
        [
            "connection pool",
            "max_connections",
            "too many clients",
            "pgbouncer",
            "idle connections",
            "pool size",
        ],
    ),
    (
        "queue",
        "message queue backlog",
        [
            "consumer lag",
            "queue depth",
            "partition",
            "dead letter queue",
            "ack timeout",
            "rebalance",
        ],
    ),
    (
        "cert",
        "expired TLS certificate",
        ["certificate", "expiry", "handshake failure", "cert-manager", "renewal", "CA bundle"],
    ),
    (
        "dns",
        "DNS misconfiguration",
        ["resolver", "TTL", "NXDOMAIN", "record", "CoreDNS", "zone transfer"],
    ),
    (
        "leak",
        "memory leak",
        ["heap", "OOMKilled", "RSS growth", "allocation", "garbage collector", "restart loop"],
    ),
    (
        "disk",
        "disk full",
        ["log volume", "inode", "retention", "disk pressure", "rotation", "ENOSPC"],
    ),
    (
        "deploy",
        "bad deploy",
        ["rollout", "canary", "regression", "feature flag", "rollback", "release train"],
    ),
    (
        "config",
        "configuration push",
        ["config map", "typo", "validation", "global push", "staged rollout", "schema"],
    ),
    (
        "cache",
        "cache stampede",
        ["cache miss", "TTL expiry", "hot key", "origin load", "request coalescing", "warmup"],
    ),
    (
        "herd",
        "thundering herd",
        ["retry storm", "backoff", "jitter", "reconnect", "load balancer", "surge"],
    ),
    (
        "rate",
        "rate limiter misconfiguration",
        ["quota", "429", "token bucket", "burst", "throttling", "limit"],
    ),
    ("clock", "clock skew", ["NTP", "drift", "token validation", "timestamp", "chrony", "lease"]),
    (
        "dep",
        "third-party dependency outage",
        ["upstream", "vendor API", "timeout", "circuit breaker", "fallback", "status page"],
    ),
    (
        "corrupt",
        "data corruption",
        ["checksum", "replica", "backfill", "migration", "restore", "integrity"],
    ),
    (
        "net",
        "network partition",
        ["packet loss", "split brain", "quorum", "BGP", "switch", "failover"],
    ),
];
const SERVICE_A: &[&str] = &[
    "payment",
    "inventory",
    "billing",
    "search",
    "auth",
    "checkout",
    "ledger",
    "orders",
    "catalog",
    "notify",
    "profile",
    "gateway",
];
const SERVICE_B: &[&str] = &["api", "svc", "worker", "db", "cache"];
const TAGS: &[&str] = &[
    "database",
    "messaging",
    "network",
    "security",
    "deploy",
    "config",
    "capacity",
    "storage",
    "latency",
    "availability",
    "data-loss",
    "customer-facing",
    "internal",
    "third-party",
    "monitoring",
    "kubernetes",
    "postgres",
    "kafka",
    "redis",
    "dns",
    "tls",
    "cron",
    "batch",
    "rollback",
    "on-call",
];
const SEVERITIES: &[&str] = &["P1", "P2", "P2", "P3", "P3", "P3", "P4"];
const WORDS: &str = "the service started returning errors while engineers investigated dashboards and logs from several \
    regions before the responders agreed on a mitigation that restored normal traffic for customers";
const EVENTS: &[&str] = &[
    "Monitoring alert triggered",
    "On-call engineer paged",
    "Investigation started",
    "Root cause identified",
    "Mitigation applied",
    "Service recovery observed",
    "Incident resolved",
];
const OWNERS: &[&str] = &["SRE", "Platform", "Database Team", "Service owner"];

/// splitmix64: small, fast and the same on every platform.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

fn sentence(rng: &mut Rng, vocab: &[&str], n: usize) -> String {
    let words: Vec<&str> = WORDS.split_whitespace().collect();
    let mut ws: Vec<&str> = (0..n).map(|_| *rng.pick(&words)).collect();
    for _ in 0..3 {
        let at = rng.below(ws.len() + 1);
        ws.insert(at, *rng.pick(vocab));
    }
    let s = ws.join(" ");
    let mut chars = s.chars();
    let first = chars.next().map(|c| c.to_uppercase().collect::<String>()).unwrap_or_default();
    format!("{first}{}.", chars.as_str())
}

fn paragraph(rng: &mut Rng, vocab: &[&str], k: usize) -> String {
    (0..k).map(|_| sentence(rng, vocab, 14)).collect::<Vec<_>>().join(" ")
}

fn days_to_date(days: i64) -> String {
    let d = jiff::civil::date(2019, 1, 1)
        .checked_add(jiff::Span::new().days(days))
        .expect("date in range");
    d.to_string()
}

/// Writes `n` RCAs into `dir/content` and a `hindsight.toml`.
pub(crate) fn generate(dir: &Path, n: usize, seed: u64) {
    let content = dir.join("content");
    std::fs::create_dir_all(&content).expect("create content dir");
    std::fs::write(dir.join("hindsight.toml"), "title = \"Benchmark archive\"\n")
        .expect("write config");
    let services: Vec<String> = SERVICE_A
        .iter()
        .flat_map(|a| SERVICE_B.iter().map(move |b| format!("{a}-{b}")))
        .take(60)
        .collect();
    let mut rng = Rng(seed);
    let mut slugs: Vec<String> = Vec::with_capacity(n);
    for i in 0..n {
        let (mode, name, vocab) = *rng.pick(MODES);
        let mut svcs: Vec<&str> =
            (0..rng.range(1, 3)).map(|_| rng.pick(&services).as_str()).collect();
        svcs.sort();
        svcs.dedup();
        let mut tags: Vec<&str> = (0..rng.range(2, 4)).map(|_| *rng.pick(TAGS)).collect();
        tags.sort();
        tags.dedup();
        let day = rng.below(7 * 365) as i64;
        let date = days_to_date(day);
        let severity = rng.pick(SEVERITIES);
        let duration = rng.range(5, 600);
        let title = format!("{} in {} ({i})", capitalize(name), svcs[0]);
        let slug = format!("{date}-{mode}-{}-{i}", svcs[0]);
        let mut t = rng.range(0, 22) * 60 + rng.range(0, 59);
        let mut body = String::with_capacity(4096);
        let _ = write!(
            body,
            "# {title}\n## Summary\n{}\n## Timeline\n| Time (UTC) | Event |\n|------------|-------|\n",
            paragraph(&mut rng, &vocab, 3)
        );
        for event in &EVENTS[..rng.range(4, 7)] {
            let _ = writeln!(
                body,
                "| {:02}:{:02} | {event}: {} |",
                t / 60 % 24,
                t % 60,
                rng.pick(&vocab)
            );
            t += rng.range(2, 40);
        }
        let _ = write!(
            body,
            "## Root Cause\nThe incident was caused by {name} in the {} service.\n",
            svcs[0]
        );
        for k in 1..=3 {
            let _ = writeln!(body, "{k}. {}", sentence(&mut rng, &vocab, 14));
        }
        if rng.below(10) < 3 {
            let code = match rng.below(4) {
                0 => format!(
                    "```sql\nSELECT pid, state, query_start, left(query, 60)\nFROM pg_stat_activity\nWHERE state <> 'idle'\nORDER BY query_start\nLIMIT {};\n```\n",
                    rng.range(2, 50)
                ),
                1 => format!(
                    "```bash\nkubectl -n prod get pods -l app={0} -o wide\nkubectl -n prod logs deploy/{0} --since=30m | grep -c ERROR\nkubectl -n prod rollout undo deploy/{0}\n```\n",
                    svcs[0]
                ),
                2 => format!(
                    "```yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {}\nspec:\n  replicas: {}\n```\n",
                    svcs[0],
                    rng.range(2, 50)
                ),
                _ => format!(
                    "```log\n2025-06-02T15:53:01Z ERROR {0} request failed status=500 latency_ms=4812\n2025-06-02T15:53:04Z ERROR {0} upstream timeout after 3000ms\n```\n",
                    svcs[0]
                ),
            };
            let _ = write!(body, "\n{code}");
        }
        let _ = write!(
            body,
            "## Impact\n- Error rate spike: {}% (baseline: <1%)\n- Latency increase: p99 went from {}ms to {}ms\n### Customer Impact\n{}\n## Resolution\n{}\n",
            rng.range(2, 40),
            rng.range(80, 400),
            rng.range(1000, 9000),
            paragraph(&mut rng, &vocab, 2),
            paragraph(&mut rng, &vocab, 3)
        );
        let _ = write!(
            body,
            "## Lessons Learned\n### What Went Well\n- {}\n- {}\n### What Could Be Improved\n- {}\n- {}\n",
            sentence(&mut rng, &vocab, 8),
            sentence(&mut rng, &vocab, 8),
            sentence(&mut rng, &vocab, 8),
            sentence(&mut rng, &vocab, 8)
        );
        body.push_str("## Action Items\n| Priority | Action | Owner | Due Date |\n|----------|--------|-------|----------|\n");
        for _ in 0..rng.range(2, 6) {
            let action = sentence(&mut rng, &vocab, 5);
            let _ = writeln!(
                body,
                "| P{} | {} | {} | {} |",
                rng.range(1, 3),
                action.trim_end_matches('.'),
                rng.pick(OWNERS),
                days_to_date(day + rng.range(7, 60) as i64)
            );
        }
        body.push_str("## Related Incidents\n");
        for _ in 0..rng.range(1, 3) {
            if !slugs.is_empty() {
                let other = rng.pick(&slugs).clone();
                let word = other.split('-').nth(3).unwrap_or("earlier");
                let _ = writeln!(body, "- [[{other}|Earlier {word} incident]]");
            }
        }
        let front = format!(
            "---\ntitle: \"{title}\"\ndate: {date}\nseverity: {severity}\nservices: [{}]\ntags: [{}]\nstatus: resolved\nduration_minutes: {duration}\nauthor: Platform Engineering\n---\n",
            svcs.join(", "),
            tags.join(", ")
        );
        std::fs::write(content.join(format!("{slug}.md")), front + &body).expect("write rca");
        slugs.push(slug);
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
}

/// The median of `v` (0 for none).
pub(crate) fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    if v.is_empty() { 0.0 } else { v[v.len() / 2] }
}

/// The archive of `n` RCAs, generated on first use and cached under
/// `<target>/bench-corpus/<n>`.
pub(crate) fn corpus_dir(n: usize) -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    let dir = target.join("bench-corpus").join(n.to_string());
    if !dir.join("hindsight.toml").is_file() {
        let _ = std::fs::remove_dir_all(&dir);
        let t = Instant::now();
        generate(&dir, n, 1);
        eprintln!("generated {n} RCAs in {:.1?} into {}", t.elapsed(), dir.display());
    }
    dir
}
