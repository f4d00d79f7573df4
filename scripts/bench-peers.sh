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
measure() { # name, command...
  local name=$1; shift
  : > "$work/$name.times"
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f "%e %M" -o "$work/$name.one" "$@" > /dev/null 2>&1
    cat "$work/$name.one" >> "$work/$name.times"
  done
  local wall rss
  wall=$(awk '{print $1}' "$work/$name.times" | median)
  rss=$(awk '{print $2}' "$work/$name.times" | median)
  printf '| %s | %s | %s | %.0f |\n' "$name" "$N" "$wall" "$(echo "$rss / 1024" | bc -l)"
  echo "$wall" > "$work/$name.wall"
}

echo "| tool | N | median wall s ($RUNS runs) | median peak RSS MiB |"
echo "|---|---|---|---|"
measure hindsight "$bin" build --root "$work/native" --output "$work/native-public"
measure hugo hugo --quiet -s "$work/hugo" -d "$work/hugo-public"
# The floor: read every input file, then copy the built output.
floor_runs=""
for _ in $(seq "$RUNS"); do
  rm -rf "$work/floor-copy"
  start=$(date +%s.%N)
  find "$work/native/content" -type f -exec cat {} + > /dev/null
  cp -r "$work/native-public" "$work/floor-copy"
  end=$(date +%s.%N)
  floor_runs="$floor_runs $(echo "$end - $start" | bc -l)"
done
rm -rf "$work/floor-copy"
floor=$(echo "$floor_runs" | tr ' ' '\n' | grep . | median)
printf '| floor (cat inputs + cp -r output) | %s | %.2f | - |\n' "$N" "$floor"
h=$(cat "$work/hindsight.wall"); g=$(cat "$work/hugo.wall")
printf '\nhugo / hindsight = %.1fx; hindsight / floor = %.1fx\n' "$(echo "$g / $h" | bc -l)" "$(echo "$h / $floor" | bc -l)"
