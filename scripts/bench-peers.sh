#!/usr/bin/env bash
# Side-by-side benchmark: hindsight and Hugo build the same generated corpus
# on this machine; prints the median of RUNS runs (wall seconds, peak RSS)
# for each, and the floor (reading every input + copying hindsight's output).
#
#   scripts/bench-peers.sh [N] [RUNS]      # defaults: 10000 5
#
# Needs: hugo (Debian package `hugo`), python3, GNU time, and the reference
# generator and peer site in ../shared/bench (beside this repository).
set -euo pipefail
N=${1:-10000}
RUNS=${2:-5}
here=$(cd "$(dirname "$0")/.." && pwd)
shared=${SHARED:-$here/../shared/bench}
work=${WORK:-$here/target/bench-peers/$N}
command -v hugo >/dev/null || { echo "hugo not found (apt-get install hugo)" >&2; exit 2; }
[ -f "$shared/gen_corpus.py" ] || { echo "$shared/gen_corpus.py not found" >&2; exit 2; }

cargo build --release --quiet --manifest-path "$here/Cargo.toml"
bin=$here/target/release/hindsight

if [ ! -d "$work/native/content" ]; then
  rm -rf "$work"; mkdir -p "$work"
  python3 "$shared/gen_corpus.py" --n "$N" --out "$work/native" --flavor native
  cp -r "$shared/sites/hugo" "$work/hugo"
  python3 "$shared/gen_corpus.py" --n "$N" --out "$work/hugo-tmp" --flavor hugo
  mkdir -p "$work/hugo/content"
  mv "$work/hugo-tmp/content" "$work/hugo/content/incidents"
  rm -rf "$work/hugo-tmp"
fi

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
once() { # name, command...: appends "wall rss" of one run to $work/name.times
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/$name.one" "$@" > /dev/null 2>&1 ||
    { echo "$name failed: $*" >&2; exit 1; }
  cat "$work/$name.one" >> "$work/$name.times"
}
# The floor: read every input file, then copy the built output.
floor_once() {
  rm -rf "$work/floor-copy"
  local start end
  start=$(date +%s.%N)
  find "$work/native/content" -type f -exec cat {} + > /dev/null
  cp -r "$work/native-public" "$work/floor-copy"
  end=$(date +%s.%N)
  echo "$(echo "$end - $start" | bc -l) 0" >> "$work/floor.times"
}

# Runs interleave (hindsight, Hugo, floor, then again), so a machine that
# speeds up or slows down during the benchmark weighs on all three alike.
: > "$work/hindsight.times"; : > "$work/hugo.times"; : > "$work/floor.times"
# One run of each first, not counted: inputs in the page cache, outputs
# already on disk, as in every counted run after it.
once hindsight "$bin" build --root "$work/native" --output "$work/native-public"
once hugo hugo --quiet -s "$work/hugo" -d "$work/hugo-public"
: > "$work/hindsight.times"; : > "$work/hugo.times"
for _ in $(seq "$RUNS"); do
  once hindsight "$bin" build --root "$work/native" --output "$work/native-public"
  once hugo hugo --quiet -s "$work/hugo" -d "$work/hugo-public"
  floor_once
done
rm -rf "$work/floor-copy"
wall() { awk '{print $1}' "$work/$1.times" | median; }
rss() { printf '%.0f' "$(echo "$(awk '{print $2}' "$work/$1.times" | median) / 1024" | bc -l)"; }
h=$(wall hindsight); g=$(wall hugo); floor=$(wall floor)
echo "| tool | N | median wall s ($RUNS runs) | median peak RSS MiB |"
echo "|---|---|---|---|"
printf '| hindsight | %s | %s | %s |\n' "$N" "$h" "$(rss hindsight)"
printf '| hugo | %s | %s | %s |\n' "$N" "$g" "$(rss hugo)"
printf '| floor (cat inputs + cp -r output) | %s | %.2f | - |\n' "$N" "$floor"
printf '\nhugo / hindsight = %.1fx; hindsight / floor = %.1fx\n' "$(echo "$g / $h" | bc -l)" "$(echo "$h / $floor" | bc -l)"
