#!/usr/bin/env python3
"""Runs a Dockerfile's build steps on this machine, without a container engine.

Reads the Dockerfile with BuildKit's own parser (the `dockerfile` package),
then plays each stage into a folder standing for its file system: ARG, ENV
and WORKDIR as Docker sets them, COPY from the build context (minus
.dockerignore) or from an earlier stage, RUN through `sh -c` in the stage's
working folder. What it cannot do, it says: the base images are not pulled
(this machine stands in for them: its Rust toolchain for the Rust image),
and a RUN that installs the base image's packages (`apk`, `apt-get`) is
skipped. RUN steps must therefore name files relative to the working
folder. A cache mount can be pointed at a folder of this machine with
--cache TARGET=DIR, so the steps reuse what an earlier build compiled.

At the end the last stage's entry point is run with --version.

    scripts/docker-build-steps.py [--file Dockerfile] [--build-arg K=V]...
        [--cache /src/target=target] [--keep DIR]
"""

from __future__ import annotations

import argparse
import fnmatch
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import dockerfile

PACKAGE_MANAGERS = ("apk ", "apt-get ", "apt ", "yum ", "dnf ")


def fail(message: str) -> None:
    print(f"docker-build-steps: {message}", file=sys.stderr)
    sys.exit(1)


def substitute(text: str, env: dict[str, str]) -> str:
    """${NAME} and $NAME, as Docker expands them in instructions."""
    out, i = [], 0
    while i < len(text):
        if text[i] == "$" and i + 1 < len(text):
            if text[i + 1] == "{":
                end = text.index("}", i)
                name = text[i + 2 : end]
                out.append(env.get(name, ""))
                i = end + 1
                continue
            j = i + 1
            while j < len(text) and (text[j].isalnum() or text[j] == "_"):
                j += 1
            if j > i + 1:
                out.append(env.get(text[i + 1 : j], ""))
                i = j
                continue
        out.append(text[i])
        i += 1
    return "".join(out)


def ignore_patterns(context: Path) -> list[str]:
    path = context / ".dockerignore"
    if not path.exists():
        return []
    lines = (line.strip() for line in path.read_text().splitlines())
    return [line.strip("/") for line in lines if line and not line.startswith("#")]


def ignored(rel: str, patterns: list[str]) -> bool:
    parts = rel.split("/")
    prefixes = ["/".join(parts[: n + 1]) for n in range(len(parts))]
    return any(fnmatch.fnmatchcase(p, pat) for p in prefixes for pat in patterns)


def copy_into(src: Path, dst: Path, rel: str | None, patterns: list[str]) -> None:
    """Copies a file or a folder's contents, as COPY does; `rel` is the
    source's path in the build context (None for a stage), for .dockerignore."""
    if src.is_dir():
        dst.mkdir(parents=True, exist_ok=True)
        for child in sorted(src.iterdir()):
            child_rel = None if rel is None else f"{rel}/{child.name}".lstrip("/")
            if child_rel is not None and ignored(child_rel, patterns):
                continue
            copy_into(child, dst / child.name, child_rel, patterns)
    else:
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dst)


class Stage:
    def __init__(self, name: str, base: str, root: Path):
        self.name = name
        self.base = base
        self.root = root
        self.workdir = "/"
        self.env: dict[str, str] = {}
        self.args: dict[str, str] = {}
        self.entrypoint: list[str] = []

    def path(self, container_path: str) -> Path:
        absolute = os.path.normpath(os.path.join(self.workdir, container_path))
        return self.root / absolute.lstrip("/")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", default="Dockerfile")
    parser.add_argument("--build-arg", action="append", default=[])
    parser.add_argument("--cache", action="append", default=[], help="TARGET=DIR")
    parser.add_argument("--keep", help="play the stages into this folder and keep it")
    opts = parser.parse_args()

    dockerfile_path = Path(opts.file).resolve()
    context = dockerfile_path.parent
    build_args = dict(arg.split("=", 1) for arg in opts.build_arg)
    caches = dict(c.split("=", 1) for c in opts.cache)
    patterns = ignore_patterns(context)
    work = Path(opts.keep or tempfile.mkdtemp(prefix="docker-build-steps."))
    work.mkdir(parents=True, exist_ok=True)

    global_args: dict[str, str] = {}
    stages: list[Stage] = []
    by_name: dict[str, Stage] = {}
    stage: Stage | None = None

    def say(line: int, message: str) -> None:
        where = stage.name if stage else "global"
        print(f"[{where}] {dockerfile_path.name}:{line}: {message}", flush=True)

    try:
        for cmd in dockerfile.parse_file(str(dockerfile_path)):
            kind, line = cmd.cmd.upper(), cmd.start_line
            scope = dict(global_args) if stage is None else {**stage.args, **stage.env}
            if kind == "ARG":
                for decl in cmd.value:
                    name, _, default = decl.partition("=")
                    value = build_args.get(name, default or global_args.get(name, ""))
                    if stage is None:
                        global_args[name] = substitute(value, scope)
                    else:
                        stage.args[name] = substitute(value, scope)
                continue
            if kind == "FROM":
                words = [substitute(w, global_args) for w in cmd.value]
                base = words[0]
                name = words[2] if len(words) == 3 and words[1].upper() == "AS" else f"stage{len(stages)}"
                root = work / name
                if root.exists():
                    shutil.rmtree(root)
                stage = Stage(name, base, root)
                if base in by_name:
                    shutil.copytree(by_name[base].root, root, symlinks=True)
                    stage.env = dict(by_name[base].env)
                else:
                    root.mkdir(parents=True)
                    say(line, f"FROM {base}: not pulled, this machine stands in for it")
                stages.append(stage)
                by_name[name] = stage
                continue
            if stage is None:
                fail(f"line {line}: {kind} before FROM")
            if kind == "WORKDIR":
                stage.workdir = os.path.normpath(os.path.join(stage.workdir, substitute(cmd.value[0], scope)))
                stage.path(".").mkdir(parents=True, exist_ok=True)
            elif kind == "ENV":
                values = list(cmd.value)
                for key, value in zip(values[::2], values[1::2]):
                    stage.env[key] = substitute(value, scope)
            elif kind == "COPY" or kind == "ADD":
                flags = dict(f.lstrip("-").split("=", 1) for f in cmd.flags if "=" in f)
                *sources, dest = [substitute(v, scope) for v in cmd.value]
                dest_is_dir = dest.endswith("/") or len(sources) > 1
                for source in sources:
                    if "from" in flags:
                        origin = by_name.get(flags["from"])
                        if origin is None:
                            fail(f"line {line}: COPY --from={flags['from']}: no such stage")
                        src, rel = origin.root / source.lstrip("/"), None
                    else:
                        rel = os.path.normpath(source).lstrip("/")
                        src = context / rel
                        if rel != "." and ignored(rel, patterns):
                            fail(f"line {line}: {source} is excluded by .dockerignore")
                    if not src.exists():
                        fail(f"line {line}: COPY {source}: no such file in {'stage ' + flags['from'] if 'from' in flags else 'the build context'}")
                    target = stage.path(dest)
                    if src.is_file() and (dest_is_dir or target.is_dir()):
                        target = target / src.name
                    copy_into(src, target, rel if rel != "." else "", patterns)
                say(line, f"{kind} {' '.join(cmd.value)}")
            elif kind == "RUN":
                script = " ".join(cmd.value) if cmd.json else cmd.value[0]
                if script.lstrip().startswith(PACKAGE_MANAGERS):
                    say(line, f"RUN {script.strip()}: skipped, installs the base image's packages")
                    continue
                for flag in cmd.flags:
                    if flag.startswith("--mount="):
                        mount = dict(p.split("=", 1) for p in flag[len("--mount="):].split(",") if "=" in p)
                        host = caches.get(mount.get("target", ""))
                        if mount.get("type") == "cache" and host:
                            link = stage.path(mount["target"])
                            Path(host).resolve().mkdir(parents=True, exist_ok=True)
                            if link.is_symlink() or link.exists():
                                shutil.rmtree(link) if link.is_dir() and not link.is_symlink() else link.unlink()
                            link.parent.mkdir(parents=True, exist_ok=True)
                            link.symlink_to(Path(host).resolve())
                env = {**os.environ, **stage.args, **stage.env}
                bins = [stage.root / d for d in ("usr/local/bin", "usr/bin", "bin")]
                env["PATH"] = os.pathsep.join([*map(str, bins), os.environ.get("PATH", "")])
                say(line, f"RUN {script.strip()}")
                args = ["sh", "-c", script] if not cmd.json else list(cmd.value)
                result = subprocess.run(args, cwd=stage.path("."), env=env)
                if result.returncode != 0:
                    fail(f"line {line}: RUN exited with {result.returncode}")
            elif kind == "ENTRYPOINT":
                stage.entrypoint = list(cmd.value) if cmd.json else ["sh", "-c", cmd.value[0]]
            elif kind in ("CMD", "LABEL", "USER", "EXPOSE", "VOLUME", "STOPSIGNAL", "HEALTHCHECK", "SHELL"):
                pass
            else:
                fail(f"line {line}: {kind} is not played by this script")

        if not stages:
            fail("no FROM in the Dockerfile")
        final = stages[-1]
        if not final.entrypoint:
            fail(f"the final stage ({final.name}) has no ENTRYPOINT")
        program = final.entrypoint[0]
        binary = final.root / program.lstrip("/") if program.startswith("/") else Path(program)
        if not binary.exists():
            fail(f"the final stage has no {program}")
        check = [str(binary), *final.entrypoint[1:], "--version"]
        print(f"[{final.name}] entry point: {shlex.join([program, *final.entrypoint[1:], '--version'])}", flush=True)
        result = subprocess.run(check, capture_output=True, text=True)
        if result.returncode != 0:
            fail(f"the entry point exited with {result.returncode}: {result.stderr.strip()}")
        print(f"[{final.name}] {result.stdout.strip()}")
        files = sorted(str(p.relative_to(final.root)) for p in final.root.rglob("*") if p.is_file())
        print(f"[{final.name}] files besides the base image: {', '.join(files)}")
    finally:
        if not opts.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
