#!/usr/bin/env bash
# Side-by-side benchmark on the reference corpus: hindsight and (when
# installed) Hugo build the same generated archive, like against like:
#
#   cold     the output folder removed before each run (CI on a merge)
#   rebuild  the output of the run before still there, inputs unchanged
#
# each with the output on tmpfs (/dev/shm: the disk taken out) and on disk
# (target/). Prints the median of RUNS interleaved runs (wall seconds, peak
# RSS), the floor (reading every input + copying hindsight's output), the
# output size of each tool, and the browser weights of the built site
# (scripts/browser-weight.mjs) when playwright-core is installed.
#
#   scripts/bench-peers.sh [N] [RUNS]      # defaults: 10000 5
#
# Needs: python3, GNU time, bc, the reference generator and peer site in
# ../shared/bench (beside this repository); hugo (Debian package `hugo`)
# for the peer rows, which are skipped without it.
set -euo pipefail
N=${1:-10000}
RUNS=${2:-5}
here=$(cd "$(dirname "$0")/.." && pwd)
shared=${SHARED:-$here/../shared/bench}
disk=${WORK:-$here/target/bench-peers/$N}
tmpfs=${TMPFS:-/dev/shm/hindsight-bench-peers/$N}
[ -f "$shared/gen_corpus.py" ] || { echo "$shared/gen_corpus.py not found" >&2; exit 2; }
have_hugo=1
command -v hugo >/dev/null || { have_hugo=0; echo "hugo not found (apt-get install hugo): peer rows skipped" >&2; }

cargo build --release --quiet --manifest-path "$here/Cargo.toml"
bin=$here/target/release/hindsight

# Inputs live on tmpfs for both tools, so only the output's place varies.
if [ ! -d "$tmpfs/native/content" ]; then
  rm -rf "$tmpfs"; mkdir -p "$tmpfs"
  python3 "$shared/gen_corpus.py" --n "$N" --out "$tmpfs/native" --flavor native --seed 1
  if [ "$have_hugo" = 1 ]; then
    cp -r "$shared/sites/hugo" "$tmpfs/hugo"
    python3 "$shared/gen_corpus.py" --n "$N" --out "$tmpfs/hugo-tmp" --flavor hugo --seed 1
    mkdir -p "$tmpfs/hugo/content"
    mv "$tmpfs/hugo-tmp/content" "$tmpfs/hugo/content/incidents"
    rm -rf "$tmpfs/hugo-tmp"
  fi
fi
mkdir -p "$disk"
times=$tmpfs/times; rm -rf "$times"; mkdir -p "$times"
declare -A place=([tmpfs]=$tmpfs [disk]=$disk)

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# once NAME OUT MODE command...: one run, its "wall rss" appended to NAME's
# record; MODE cold removes OUT first.
once() {
  local name=$1 out=$2 mode=$3; shift 3
  [ "$mode" = cold ] && rm -rf "$out"
  sync
  /usr/bin/time -f "%e %M" -o "$times/one" "$@" > /dev/null 2>&1 ||
    { echo "$name failed: $*" >&2; exit 1; }
  cat "$times/one" >> "$times/$name"
}
hindsight_run() { once "hindsight-$1-$2" "$3" "$2" "$bin" build --root "$tmpfs/native" --output "$3"; }
hugo_run() { once "hugo-$1-$2" "$3" "$2" hugo --quiet -s "$tmpfs/hugo" -d "$3"; }
floor_once() { # where (tmpfs or disk), output to copy
  local copy=${place[$1]}/floor-copy start end
  rm -rf "$copy"; sync
  start=$(date +%s.%N)
  find "$tmpfs/native/content" -type f -exec cat {} + > /dev/null
  cp -r "$2" "$copy"
  sync
  end=$(date +%s.%N)
  echo "$(echo "$end - $start" | bc -l) 0" >> "$times/floor-$1"
  rm -rf "$copy"
}

# One run of each first, not counted: inputs in the page cache.
hindsight_run tmpfs cold "$tmpfs/hs-out"
[ "$have_hugo" = 1 ] && hugo_run tmpfs cold "$tmpfs/hugo-out"
rm -f "$times"/*-*
# Runs interleave (hindsight, Hugo, floor; cold then rebuild; tmpfs then
# disk), so a machine that speeds up or slows down weighs on all alike.
for _ in $(seq "$RUNS"); do
  for where in tmpfs disk; do
    dir=${place[$where]}
    for mode in cold rebuild; do
      hindsight_run "$where" "$mode" "$dir/hs-out"
      [ "$have_hugo" = 1 ] && hugo_run "$where" "$mode" "$dir/hugo-out"
    done
    floor_once "$where" "$dir/hs-out"
  done
done

wall() { awk '{print $1}' "$times/$1" | median; }
rss() { printf '%.0f' "$(echo "$(awk '{print $2}' "$times/$1" | median) / 1024" | bc -l)"; }
mb() { du -sb "$1" | awk '{printf "%.0f", $1 / 1e6}'; }
echo "| tool | N | output on | mode | median wall s ($RUNS runs) | median peak RSS MiB |"
echo "|---|---|---|---|---|---|"
for where in tmpfs disk; do
  for mode in cold rebuild; do
    printf '| hindsight | %s | %s | %s | %s | %s |\n' "$N" "$where" "$mode" \
      "$(wall "hindsight-$where-$mode")" "$(rss "hindsight-$where-$mode")"
    [ "$have_hugo" = 1 ] && printf '| hugo | %s | %s | %s | %s | %s |\n' "$N" "$where" "$mode" \
      "$(wall "hugo-$where-$mode")" "$(rss "hugo-$where-$mode")"
  done
  printf '| floor (cat inputs + cp -r output) | %s | %s | - | %.2f | - |\n' "$N" "$where" \
    "$(wall "floor-$where")"
done
echo
for where in tmpfs disk; do
  h=$(wall "hindsight-$where-cold"); f=$(wall "floor-$where")
  printf '%s: hindsight cold / floor = %.1fx' "$where" "$(echo "$h / $f" | bc -l)"
  if [ "$have_hugo" = 1 ]; then
    printf '; hugo cold / hindsight cold = %.1fx; hugo rebuild / hindsight rebuild = %.1fx' \
      "$(echo "$(wall "hugo-$where-cold") / $h" | bc -l)" \
      "$(echo "$(wall "hugo-$where-rebuild") / $(wall "hindsight-$where-rebuild")" | bc -l)"
  fi
  echo
done
printf 'output: hindsight %s MB' "$(mb "$tmpfs/hs-out")"
[ "$have_hugo" = 1 ] && printf ', hugo %s MB' "$(mb "$tmpfs/hugo-out")"
echo
if [ -d "$here/tests/browser/node_modules/playwright-core" ]; then
  echo; echo "browser weights (scripts/browser-weight.mjs):"
  node "$here/scripts/browser-weight.mjs" "$tmpfs/hs-out"
fi
