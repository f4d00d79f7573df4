#!/usr/bin/env bash
# What a built site weighs: the largest HTML pages (raw and gzipped), the
# total output, the bytes per kind of file, and the part of it the product
# contract requires whatever the theme: the two site-wide JSON files with
# every related list, and each incident page's write-up and related list. Builds the reference corpus
# first unless given a built site.
#
#   scripts/measure-output.sh [N] [OUT]        # generate N incidents (default 10000), build, measure
#   scripts/measure-output.sh --site DIR       # measure an already built site
#
# Environment: BIN (default target/debug/hindsight, built if missing),
# WORK (default /dev/shm/hindsight-measure; tmpfs keeps the disk out of it),
# SHARED (default ../shared/bench beside this repository).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
if [ "${1:-}" = "--site" ]; then
  site=$2
else
  N=${1:-10000}
  work=${WORK:-/dev/shm/hindsight-measure}
  shared=${SHARED:-$here/../shared/bench}
  bin=${BIN:-$here/target/debug/hindsight}
  [ -x "$bin" ] || cargo build --quiet --manifest-path "$here/Cargo.toml"
  if [ ! -d "$work/c$N/content" ]; then
    mkdir -p "$work"
    python3 "$shared/gen_corpus.py" --n "$N" --out "$work/c$N" --flavor native --seed 1
  fi
  site=${2:-$work/out$N}
  start=$(date +%s.%N)
  "$bin" build --root "$work/c$N" --output "$site" > /dev/null 2>&1
  end=$(date +%s.%N)
  echo "build: $(echo "$end - $start" | bc -l | cut -c1-6) s ($bin)"
fi
python3 - "$site" <<'PY'
import gzip, os, sys
from collections import defaultdict
site = sys.argv[1]
files = []
for d, _, names in os.walk(site):
    for n in names:
        p = os.path.join(d, n)
        files.append((os.path.relpath(p, site), os.path.getsize(p)))
total = sum(s for _, s in files)
print(f"files: {len(files)}  total: {total/1e6:.1f} MB")
kinds = defaultdict(lambda: [0, 0])
for rel, s in files:
    top = rel.split("/")[0] if "/" in rel else "(root)"
    ext = os.path.splitext(rel)[1] or "(none)"
    kinds[(top if top in ("incidents", "static") else ext)][0] += s
    kinds[(top if top in ("incidents", "static") else ext)][1] += 1
print("bytes by kind (incidents/ and static/ as a whole, others by extension):")
for k, (s, n) in sorted(kinds.items(), key=lambda kv: -kv[1][0]):
    print(f"  {k:<12} {s/1e6:9.2f} MB in {n} files")
tops = defaultdict(int)
for rel, s in files:
    if "/" in rel and not rel.startswith("incidents/"):
        tops[rel.split("/")[0] + "/"] += s
    elif "/" not in rel:
        tops[rel] += s
print("site-wide files and folders (outside incidents/):")
for k, s in sorted(tops.items(), key=lambda kv: -kv[1])[:12]:
    print(f"  {k:<28} {s/1e6:9.2f} MB")
def gz(rel):
    with open(os.path.join(site, rel), "rb") as f:
        return len(gzip.compress(f.read(), 6))
html = sorted((f for f in files if f[0].endswith(".html")), key=lambda f: -f[1])
print("largest HTML pages (raw, gzipped):")
for rel, s in html[:12]:
    print(f"  {rel:<48} {s/1e3:10.1f} KB {gz(rel)/1e3:9.1f} KB gz")
over = [f for f in html if f[1] > 300_000]
print(f"HTML pages over 300 KB: {len(over)} of {len(html)}")
big = sorted((f for f in files if f[0].endswith((".js", ".json"))), key=lambda f: -f[1])
print("largest scripts and JSON (raw, gzipped):")
for rel, s in big[:8]:
    print(f"  {rel:<48} {s/1e3:10.1f} KB {gz(rel)/1e3:9.1f} KB gz")
# The contract's share: incidents.json and graph.json as they are, and per
# incident page its rendered write-up and related list (the theme's
# markup around them left out).
import re
body_re = re.compile(r'<div class="body">.*?\n    </div>', re.S)
related_re = re.compile(r'<ol class="related-list">.*?</ol>', re.S)
json_bytes = sum(s for rel, s in files if rel in ("incidents.json", "graph.json"))
pages = [rel for rel, _ in files if rel.startswith("incidents/") and rel.endswith("/index.html")]
body = related = 0
for rel in pages:
    with open(os.path.join(site, rel), encoding="utf-8") as f:
        page = f.read()
    body += sum(len(m) for m in body_re.findall(page))
    related += sum(len(m) for m in related_re.findall(page))
required = json_bytes + body + related
print("required by the contract, at least:")
print(f"  incidents.json + graph.json  {json_bytes/1e6:9.2f} MB")
print(f"  write-ups ({len(pages)} pages)     {body/1e6:9.2f} MB ({body/max(len(pages),1)/1e3:.1f} KB each)")
print(f"  related lists               {related/1e6:9.2f} MB ({related/max(len(pages),1)/1e3:.1f} KB each)")
print(f"  together                    {required/1e6:9.2f} MB of {total/1e6:.1f} MB")
PY
