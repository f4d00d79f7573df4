#!/usr/bin/env bash
# How the build grows from 10,000 to 100,000 incidents: hindsight builds the
# reference corpus of both sizes, alternating, and prints for each size the
# median wall time, CPU time (user + system), peak RSS and time per stage,
# then the 100k / 10k ratios.
#
#   scripts/bench-scale.sh [RUNS] [BINARY]    # defaults: 5, the release build
#
# Needs: python3, GNU time, and the reference generator in ../shared/bench
# (beside this repository). The corpora are generated once, into
# target/bench-peers/<N>/native, the folders scripts/bench-peers.sh uses.
set -euo pipefail
RUNS=${1:-5}
here=$(cd "$(dirname "$0")/.." && pwd)
shared=${SHARED:-$here/../shared/bench}
bin=${2:-}
[ -f "$shared/gen_corpus.py" ] || { echo "$shared/gen_corpus.py not found" >&2; exit 2; }
if [ -z "$bin" ]; then
  cargo build --release --quiet --manifest-path "$here/Cargo.toml"
  bin=$here/target/release/hindsight
fi

sizes=(10000 100000)
for n in "${sizes[@]}"; do
  work=$here/target/bench-peers/$n
  if [ ! -d "$work/native/content" ]; then
    mkdir -p "$work"
    python3 "$shared/gen_corpus.py" --n "$n" --out "$work/native" --flavor native
  fi
done

times=$here/target/bench-peers/scale.times
once() { # size: appends "size wall rss user sys stages-json" of one build
  local work=$here/target/bench-peers/$1
  # Written-back pages do not flush during the next build.
  sync
  /usr/bin/time -f "%e %M %U %S" -o "$work/scale.one" \
    "$bin" build --root "$work/native" --output "$work/native-public" --timings \
    > "$work/scale.json" 2> /dev/null || { echo "build of $1 failed" >&2; exit 1; }
  echo "$1 $(cat "$work/scale.one") $(tail -n 1 "$work/scale.json")" >> "$times"
}

# One build of each size first, not counted: inputs in the page cache and
# the output on disk, as in every counted build after it.
: > "$times"
for n in "${sizes[@]}"; do once "$n"; done
: > "$times"
for _ in $(seq "$RUNS"); do
  for n in "${sizes[@]}"; do once "$n"; done
done

python3 - "$times" "$RUNS" <<'PY'
import json, statistics, sys

rows = [line.split(" ", 5) for line in open(sys.argv[1])]
runs = sys.argv[2]
stages = ["load", "validate", "link", "relate", "render", "write"]
median = statistics.median
summary = {}
print(f"| N | wall s | CPU s | peak RSS MiB | {' | '.join(stages)} |  (medians of {runs} runs)")
print("|---|---|---|---|" + "---|" * len(stages))
for n in ["10000", "100000"]:
    mine = [r for r in rows if r[0] == n]
    wall = median(float(r[1]) for r in mine)
    cpu = median(float(r[3]) + float(r[4]) for r in mine)
    rss = median(float(r[2]) for r in mine) / 1024
    per_stage = [json.loads(r[5])["stages_ms"] for r in mine]
    ms = [median(s[k] for s in per_stage) for k in stages]
    summary[n] = (wall, cpu)
    print(f"| {int(n):,} | {wall:.2f} | {cpu:.1f} | {rss:,.0f} | "
          + " | ".join(f"{m:,.0f} ms" for m in ms) + " |")
walls = {n: [float(r[1]) for r in rows if r[0] == n] for n in summary}
per_run = [b / a for a, b in zip(walls["10000"], walls["100000"])]
(w10, c10), (w100, c100) = summary["10000"], summary["100000"]
print(f"\n100k / 10k: wall {w100 / w10:.1f}x, CPU {c100 / c10:.1f}x; "
      f"per run (wall): {', '.join(f'{r:.1f}' for r in per_run)}")
PY
