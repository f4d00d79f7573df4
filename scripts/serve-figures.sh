#!/usr/bin/env bash
# What `hindsight serve` costs on an archive: the time to its first page,
# its memory once the site is served, and how long a title edit and a
# severity edit take to be served. Works on a copy of the archive (the edits never touch ROOT).
#
#   scripts/serve-figures.sh BIN ROOT [PORT]
#
# e.g. scripts/serve-figures.sh target/release/hindsight /dev/shm/c10k
# (the corpus from ../shared/bench/gen_corpus.py). Prints one line per
# figure; compare a build's peak with `hindsight build --timings`.
set -euo pipefail
bin="$(realpath "$1")"
root="$2"
port="${3:-8917}"
work="$(mktemp -d)"
cp -r "$root" "$work/archive"
cleanup() {
  [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

file="$(find "$work/archive/content" -name '*.md' | sort | sed -n '1p')"
slug="$(basename "$file" .md)"
start=$(date +%s%N)
"$bin" serve --root "$work/archive" --port "$port" >"$work/log" 2>&1 &
pid=$!
until curl -sf "http://127.0.0.1:$port/stats/index.html" -o /dev/null; do sleep 0.1; done
echo "first page served after $(( ($(date +%s%N) - start) / 1000000 )) ms"
sleep 3
for page in index.html graph/index.html timeline/index.html; do
  curl -sf "http://127.0.0.1:$port/$page" -o /dev/null
done
awk '/VmRSS|VmHWM/ { printf "%s %d MiB\n", $1, $2 / 1024 }' "/proc/$pid/status"
for n in 1 2 3; do
  title="Retitled for the serve figures $n"
  start=$(date +%s%N)
  sed -i "0,/^title: .*/s//title: \"$title\"/" "$file"
  until curl -sf "http://127.0.0.1:$port/incidents/$slug/index.html" | grep -q "$title"; do
    sleep 0.01
  done
  echo "title edit $n served after $(( ($(date +%s%N) - start) / 1000000 )) ms"
  # Let the catch-up finish, so each edit starts from a caught-up site.
  sleep 10
done
for level in P1 P4 P2; do
  start=$(date +%s%N)
  sed -i "0,/^severity: .*/s//severity: $level/" "$file"
  class="sev-$(echo "$level" | tr 'P' 'p')"
  until curl -sf "http://127.0.0.1:$port/incidents/$slug/index.html" \
    | grep -q "<dt>Severity</dt><dd><a class=\"sev $class\""; do
    sleep 0.01
  done
  echo "severity edit to $level served after $(( ($(date +%s%N) - start) / 1000000 )) ms"
  sleep 10
done
grep -E "rebuilt|caught up" "$work/log" | tail -12
