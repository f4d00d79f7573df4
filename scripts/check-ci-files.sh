#!/usr/bin/env bash
# Checks the files this repository ships for other people's CI, as far as
# they can be checked without GitHub, GitLab or a container engine:
#
# - the release workflow and the action against their JSON schemas, and the
#   CI recipes in the README (GitHub workflow, GitLab CI) against theirs
#   (check-jsonschema's vendored schemas: offline);
# - scripts/install.sh and the action's bash steps with shellcheck, and
#   the action's check step run against scratch repositories
#   (tests/action/check-step.sh, with target/debug/hindsight);
# - the Dockerfile's build steps, played on this machine
#   (scripts/docker-build-steps.py), reusing target/ as its cargo cache.
#
# Its Python tools go into a virtualenv under target/ (PyPI, once).
# scripts/install.sh has its own test: tests/it/install.rs.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=target/ci-tools
tools=(check-jsonschema==0.39.0 dockerfile==3.4.0)
if ! "$venv/bin/python" -c 'import check_jsonschema, dockerfile' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "${tools[@]}"
fi
py=$venv/bin/python
schema() { "$venv/bin/check-jsonschema" --builtin-schema "$@"; }

echo "== schemas"
schema vendor.github-workflows .github/workflows/*.yml
schema vendor.github-actions action.yml
recipes=$venv/recipes
rm -rf "$recipes"
"$py" - "$recipes" <<'EOF'
# Writes each YAML block of the README's CI recipes to a file named by the
# schema it must follow.
import pathlib, re, sys
from ruamel.yaml import YAML

out = pathlib.Path(sys.argv[1])
out.mkdir(parents=True)
text = pathlib.Path("README.md").read_text()
counts = {"github": 0, "gitlab": 0}
for n, block in enumerate(re.findall(r"^```ya?ml\n(.*?)^```", text, re.M | re.S)):
    doc = YAML(typ="safe").load(block)
    if not isinstance(doc, dict):
        continue
    if "jobs" in doc and "on" in doc:
        kind = "github"
    elif "default" in doc or any(isinstance(v, dict) and "script" in v for v in doc.values()):
        kind = "gitlab"
    else:
        continue
    counts[kind] += 1
    (out / f"{kind}-{n}.yml").write_text(block)
if not all(counts.values()):
    sys.exit(f"README: expected GitHub and GitLab recipes, found {counts}")
print(f"README recipes: {counts['github']} GitHub, {counts['gitlab']} GitLab")
EOF
schema vendor.github-workflows "$recipes"/github-*.yml
schema vendor.gitlab-ci "$recipes"/gitlab-*.yml

echo "== shellcheck"
if command -v shellcheck >/dev/null; then
  shellcheck scripts/install.sh scripts/check-ci-files.sh tests/action/check-step.sh
  # The action's steps, as bash scripts.
  steps=$venv/action-steps
  rm -rf "$steps"
  "$py" - "$steps" <<'EOF'
import pathlib, sys
from ruamel.yaml import YAML

out = pathlib.Path(sys.argv[1])
out.mkdir(parents=True)
action = YAML(typ="safe").load(pathlib.Path("action.yml").read_text())
for n, step in enumerate(action["runs"]["steps"]):
    if "run" in step:
        assert step.get("shell") == "bash", f"step {n} of action.yml: shell must be bash"
        assert "${{" not in step["run"], f"step {n} of action.yml: pass inputs through env, not ${{{{ }}}}"
        # The step's inputs arrive as environment variables (SC2153).
        header = "#!/usr/bin/env bash\n# shellcheck disable=SC2153\n"
        (out / f"step-{n}.sh").write_text(header + step["run"])
EOF
  shellcheck --shell=bash "$steps"/*.sh
else
  echo "shellcheck not installed: skipped (apt-get install shellcheck)"
fi

echo "== the action's check step"
[ -x target/debug/hindsight ] || cargo build --quiet
tests/action/check-step.sh "$py" target/debug/hindsight

echo "== Dockerfile build steps"
# The dev profile and target/ as the cargo cache: .ci/run has compiled
# its dependencies already, so this plays every step in seconds.
"$py" scripts/docker-build-steps.py --build-arg PROFILE=dev --cache /src/target=target
