"""Step 4: format the rendered files and swap them into the output folder atomically.

The new tree is built and formatted in a sibling temporary folder; only a complete, formatted
tree replaces the old one (two renames; a run killed between them is repaired by the next run,
which finds the previous tree in `.<name>.old`). Runs racing for the same folder take turns for
the swap and its repair (an exclusive `flock` on the parent folder), so neither sees the other's
half-done swap. A failing run leaves the previous output untouched. `MANIFEST.json` records every
file's hash and the schema hashes it came from, and marks the folder as ours: an existing non-empty
folder without it is never replaced. Staging folders left by a killed run (`.<name>.tmp-<pid>` of a
pid no longer running) are removed by the next run, even one that finds the output up to date and
writes nothing.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import hashlib
import importlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

from generator.diagnostics import Diagnostic, DiagnosticError

MANIFEST = "MANIFEST.json"
# The same settings as [tool.ruff] in pyproject.toml, passed explicitly so the output does not
# depend on which config file happens to sit above the output folder.
_RUFF_SETTINGS = [
    "--isolated",
    "--no-cache",  # a .ruff_cache inside the staging tree would become part of the output
    "--line-length=110",
    "--target-version=py310",  # the generated client supports Python 3.10 and later
    "--config=lint.isort.known-first-party=['workers_ai', 'generator']",
    "--config=lint.isort.combine-as-imports=true",
]
_RUFF_FIX_RULES = [
    "--select=I,F401,UP,RUF022,RUF036,RUF100",
    "--fix",
    "--unsafe-fixes",
    "--exit-zero",
    "--quiet",
]


@functools.cache
def _ruff_command() -> tuple[str, ...]:
    # The pinned ruff's own binary: `python -m ruff` would start an interpreter only to exec it (~30 ms a
    # call). Imported through importlib: the ruff package has no type information.
    try:
        find_ruff_bin = importlib.import_module("ruff.__main__").find_ruff_bin
        return (os.fsdecode(find_ruff_bin()),)
    except (ImportError, AttributeError, FileNotFoundError):
        return (sys.executable, "-m", "ruff")


def _ruff(args: list[str], cwd: Path) -> None:
    done = subprocess.run([*_ruff_command(), *args], cwd=cwd, capture_output=True, text=True)
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()[:5]
        raise DiagnosticError(
            [Diagnostic(str(cwd), "", "ruff failed on generated code: " + " | ".join(detail))]
        )


def format_tree(root: Path) -> None:
    if not any(root.rglob("*.py")):
        return
    _ruff(["check", *_RUFF_SETTINGS, *_RUFF_FIX_RULES, "."], root)
    # Not --quiet: on a syntax error that would hide the only line naming the file and position.
    _ruff(["format", *_RUFF_SETTINGS, "."], root)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_manifest(out: Path) -> dict[str, object] | None:
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def tree_matches_manifest(out: Path, manifest: Mapping[str, object]) -> bool:
    files = manifest.get("files")
    if not isinstance(files, dict):
        return False
    on_disk = {
        p.relative_to(out).as_posix()
        for p in out.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.name != MANIFEST
    }
    if on_disk != set(files):
        return False
    return all(_sha((out / name).read_bytes()) == digest for name, digest in files.items())


def _remove_stale_staging(out: Path) -> None:
    for folder in out.parent.glob(f".{out.name}.tmp-*"):
        pid = folder.name.rsplit("-", 1)[-1]
        if not pid.isdigit():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:  # that run is gone: its half-built tree is garbage
            shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            pass  # alive (or not ours to probe): leave it


@contextlib.contextmanager
def _swap_lock(out: Path) -> Iterator[None]:
    """Exclusive use of `out`'s parent folder for a swap or its repair (released when the process dies,
    so a killed run never leaves it held; no lock file is left behind)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(out.parent, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def recover_interrupted_swap(out: Path) -> None:
    """Put back the previous tree if a run was killed between the two renames of the swap, and remove
    the staging folders of runs that are gone."""
    with _swap_lock(out):
        old = out.parent / f".{out.name}.old"
        if not out.exists() and old.exists():
            os.replace(old, out)
        elif old.exists():
            shutil.rmtree(old, ignore_errors=True)
    _remove_stale_staging(out)


def write_tree(
    files: Mapping[str, str], out: Path, inputs: Mapping[str, str], fingerprint: str, version: str = ""
) -> None:
    out = out.resolve()
    recover_interrupted_swap(out)
    if out.exists() and any(out.iterdir()) and read_manifest(out) is None:
        raise DiagnosticError(
            [
                Diagnostic(
                    str(out), "", f"output folder is not empty and has no {MANIFEST}: refusing to replace it"
                )
            ]
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = out.parent / f".{out.name}.tmp-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        for rel, text in files.items():
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8", newline="\n")
        format_tree(staging)
        hashes = {
            p.relative_to(staging).as_posix(): _sha(p.read_bytes())
            for p in sorted(staging.rglob("*"))
            if p.is_file() and "__pycache__" not in p.parts
        }
        manifest = {
            "generator": fingerprint,
            "version": version,
            "inputs": dict(sorted(inputs.items())),
            "files": hashes,
        }
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
        for cache_dir in staging.rglob("__pycache__"):
            shutil.rmtree(cache_dir, ignore_errors=True)
        old = out.parent / f".{out.name}.old"
        with _swap_lock(out):
            if out.exists():
                os.replace(out, old)
            os.replace(staging, out)
            shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
