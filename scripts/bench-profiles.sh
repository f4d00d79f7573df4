#!/usr/bin/env bash
# What each build profile costs: compiles hindsight with `cargo install
# --path .` from a clean target folder per profile (wall and CPU time,
# binary size), then builds the 10,000-incident reference corpus with each
# profile's binary, alternating, and prints the medians and the ratio.
#
#   scripts/bench-profiles.sh [RUNS] [PROFILE...]   # defaults: 7, release dist
#
# The binaries go to target/bench-profiles/<profile>/bin/hindsight; a
# profile whose binary is there already is not compiled again (delete the
# folder to measure its compile). A name that is not a profile of
# Cargo.toml can be benchmarked by putting a binary in its folder (an older
# build, say). Needs: python3, GNU time, and the reference generator in
# ../shared/bench (beside this repository); the corpus is generated once
# into target/bench-peers/10000/native, the folder scripts/bench-peers.sh
# uses.
set -euo pipefail
RUNS=${1:-7}
shift || true
profiles=("$@")
[ ${#profiles[@]} -gt 0 ] || profiles=(release dist)
here=$(cd "$(dirname "$0")/.." && pwd)
shared=${SHARED:-$here/../shared/bench}
out=$here/target/bench-profiles
[ -f "$shared/gen_corpus.py" ] || { echo "$shared/gen_corpus.py not found" >&2; exit 2; }

mkdir -p "$out"
for p in "${profiles[@]}"; do
  bin=$out/$p/bin/hindsight
  if [ ! -x "$bin" ]; then
    echo "compiling $p (load $(cut -d ' ' -f 1-3 /proc/loadavg))" >&2
    rm -rf "${out:?}/$p" "${out:?}/target-$p"
    mkdir -p "$out/$p"
    (cd "$here" && CARGO_TARGET_DIR=$out/target-$p /usr/bin/time -f "%e %U %S" -o "$out/$p/compile" \
      cargo install --quiet --locked --path . --root "$out/$p" --profile "$p")
    rm -rf "$out/target-$p"
  fi
  if [ -f "$out/$p/compile" ]; then
    read -r wall user sys < "$out/$p/compile"
    echo "$p: compiled in $wall s wall, $(awk "BEGIN { print $user + $sys }") s CPU; binary $(stat -c %s "$bin") bytes" >&2
  else
    echo "$p: binary $(stat -c %s "$bin") bytes (compile not measured)" >&2
  fi
done

work=$here/target/bench-peers/10000
if [ ! -d "$work/native/content" ]; then
  mkdir -p "$work"
  python3 "$shared/gen_corpus.py" --n 10000 --out "$work/native" --flavor native
fi

times=$out/builds.tsv
: > "$times"
once() { # profile round: one rebuild over the profile's own output
  sync
  SOURCE_DATE_EPOCH=0 /usr/bin/time -f "$1 $2 %e %U %S %M" -a -o "$times" \
    "$out/$1/bin/hindsight" build --root "$work/native" --output "$out/$1/site" > /dev/null 2>&1 \
    || { echo "build with $1 failed" >&2; exit 1; }
}
for p in "${profiles[@]}"; do once "$p" 0; done # uncounted: output written, inputs read
: > "$times"
for i in $(seq "$RUNS"); do
  for p in "${profiles[@]}"; do once "$p" "$i"; done
done

python3 - "$times" "${profiles[@]}" <<'EOF'
import collections, statistics, sys
rows = [line.split() for line in open(sys.argv[1]) if line.strip()]
profiles = sys.argv[2:]
runs = collections.defaultdict(list)
for p, _, wall, user, sys_, rss in rows:
    runs[p].append((float(wall), float(user) + float(sys_), int(rss) / 1024))
print(f"{'profile':<10} {'runs':>4} {'wall s':>7} {'CPU s':>6} {'peak MiB':>8}")
med = {}
for p in profiles:
    med[p] = [statistics.median(r[k] for r in runs[p]) for k in range(3)]
    print(f"{p:<10} {len(runs[p]):>4} {med[p][0]:>7.2f} {med[p][1]:>6.2f} {med[p][2]:>8.0f}")
base = profiles[-1]
for p in profiles[:-1]:
    per_round = [a[0] / b[0] for a, b in zip(runs[p], runs[base])]
    print(f"{p} / {base}: {med[p][0] / med[base][0]:.3f}x wall, {med[p][1] / med[base][1]:.3f}x CPU"
          f" (per round {min(per_round):.2f}x to {max(per_round):.2f}x)")
EOF
