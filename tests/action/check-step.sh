#!/usr/bin/env bash
# Runs the `check` step of action.yml, as GitHub would run it in a pull
# request, against scratch repositories: which files it checks, the
# annotations' paths, the exit code and the job summary.
#
#   tests/action/check-step.sh PYTHON_WITH_RUAMEL HINDSIGHT_BINARY
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
py=$1
bin_dir=$(cd "$(dirname "$2")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$py" - "$here/action.yml" "$tmp/check-step.sh" <<'EOF'
import pathlib, sys
from ruamel.yaml import YAML

action = YAML(typ="safe").load(pathlib.Path(sys.argv[1]).read_text())
steps = [s for s in action["runs"]["steps"] if s.get("if") == "inputs.command == 'check'"]
assert len(steps) == 1, "action.yml: expected one check step"
pathlib.Path(sys.argv[2]).write_text(steps[0]["run"])
EOF

failures=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

rca() { # FILE TITLE [SEVERITY]
  mkdir -p "$(dirname "$1")"
  printf -- '---\ntitle: %s\ndate: 2024-05-01\nseverity: %s\n---\n\n## Summary\n\nA queue backed up.\n' \
    "$2" "${3:-P2}" >"$1"
}

# A repository whose archive sits in FOLDER, with one RCA that already
# fails (unknown severity) on the base commit.
scratch() { # NAME FOLDER
  local repo=$tmp/$1
  mkdir -p "$repo/$2"
  git -C "$repo" init --quiet
  git -C "$repo" config user.email ci@example.com
  git -C "$repo" config user.name ci
  printf 'title = "RCAs"\n' >"$repo/$2/hindsight.toml"
  rca "$repo/$2/content/2024-01-01-old.md" "Old outage" P9
  git -C "$repo" add -A
  git -C "$repo" commit --quiet -m base
  echo "$repo"
}

run_step() { # REPO FOLDER BASE_SHA -> sets out, status, summary
  summary=$1.summary
  : >"$summary"
  set +e
  out=$(cd "$1" && ARCHIVE=$2 ARGS="" BASE_SHA=$3 SUMMARY=true BIN=$bin_dir \
    RUNNER_TEMP=$tmp GITHUB_STEP_SUMMARY=$summary bash "$tmp/check-step.sh" 2>&1)
  status=$?
  set -e
}

# 1. A pull request adding a bad RCA: only the new file is annotated.
repo=$(scratch added .)
base=$(git -C "$repo" rev-parse HEAD)
rca "$repo/content/2024-05-01-new.md" "New outage" P7
git -C "$repo" add -A && git -C "$repo" commit --quiet -m new
run_step "$repo" . "$base"
[ "$status" = 1 ] || fail "added: exit $status, expected 1: $out"
grep -q '^::error file=content/2024-05-01-new.md,' <<<"$out" || fail "added: no annotation on the new file: $out"
! grep -q '2024-01-01-old.md' <<<"$out" || fail "added: the unchanged file was checked: $out"
grep -q 'RCA' "$summary" || fail "added: no job summary"

# 2. The same with a changed configuration: every file is checked.
printf 'title = "Postmortems"\n' >"$repo/hindsight.toml"
git -C "$repo" commit --quiet -am config
run_step "$repo" . "$base"
[ "$status" = 1 ] || fail "config: exit $status, expected 1"
grep -q '^::error file=content/2024-01-01-old.md,' <<<"$out" || fail "config: the whole archive was not checked: $out"

# 3. An archive in a sub-folder: annotations name files from the top.
repo=$(scratch nested docs/rca)
base=$(git -C "$repo" rev-parse HEAD)
rca "$repo/docs/rca/content/2024-05-02-nested.md" "Nested outage" P8
git -C "$repo" add -A && git -C "$repo" commit --quiet -m nested
run_step "$repo" docs/rca "$base"
[ "$status" = 1 ] || fail "nested: exit $status, expected 1: $out"
grep -q '^::error file=docs/rca/content/2024-05-02-nested.md,' <<<"$out" || fail "nested: annotation path: $out"
! grep -q '2024-01-01-old.md' <<<"$out" || fail "nested: the unchanged file was checked: $out"

# 4. A good RCA passes; the base RCA's error is not the pull request's.
repo=$(scratch clean .)
base=$(git -C "$repo" rev-parse HEAD)
rca "$repo/content/2024-05-03-fine.md" "Fine outage"
git -C "$repo" add -A && git -C "$repo" commit --quiet -m fine
run_step "$repo" . "$base"
[ "$status" = 0 ] || fail "clean: exit $status, expected 0: $out"

# 5. Outside a pull request (no base), every file is checked.
run_step "$repo" . ""
[ "$status" = 1 ] || fail "push: exit $status, expected 1: $out"

if [ "$failures" -gt 0 ]; then
  echo "action check step: $failures failed" >&2
  exit 1
fi
echo "action check step: 5 passed, 0 failed"
