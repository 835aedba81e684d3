"""Writes are atomic: a killed or failing run leaves the previous output byte-identical.

The generator runs as a subprocess (`python -m generator`), killed with SIGKILL. To kill it reliably
after the new tree is complete but before the swap, the child process is started through a wrapper
that makes its swap wait (`PAUSED_SWAP`).
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.model_files import CODEGEN_CACHE, REPO, copy_catalog_files

SMALL = ("distilbert-sst-2-int8.json", "m2m100-1.2b.json", "stable-diffusion-xl-base-1.0.json")
# `python -m generator` whose swap waits: BEFORE seconds before its first rename (of the staging tree or
# of the previous tree), BETWEEN seconds after the previous tree was renamed away.
PAUSED_SWAP = """
import os, sys, time
from generator.cli import main
BEFORE, BETWEEN = {before}, {between}
real_replace = os.replace
def replace_with_pauses(src, dst):
    moves_old_away = os.path.basename(dst).endswith(".old")
    if ".tmp-" in os.path.basename(src) or moves_old_away:
        time.sleep(BEFORE)
    real_replace(src, dst)
    if moves_old_away:
        time.sleep(BETWEEN)
os.replace = replace_with_pauses
sys.exit(main())
"""


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def start(
    schemas: Path, out: Path, *, pause_before_swap: float = 0, pause_in_swap: float = 0
) -> subprocess.Popen[str]:
    paused = PAUSED_SWAP.format(before=pause_before_swap, between=pause_in_swap)
    entry = ["-c", paused] if pause_before_swap or pause_in_swap else ["-m", "generator"]
    cache = ["--cache-dir", str(CODEGEN_CACHE)]
    return subprocess.Popen(
        [sys.executable, *entry, "--schemas", str(schemas), "--out", str(out), *cache, "-q"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def run(schemas: Path, out: Path) -> subprocess.CompletedProcess[str]:
    proc = start(schemas, out)
    stdout, stderr = proc.communicate(timeout=120)
    return subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)


@pytest.fixture
def workspace(tmp_path: Path) -> tuple[Path, Path, dict[str, bytes]]:
    """A schema folder, its generated output, and the bytes of that output."""
    schemas = copy_catalog_files(tmp_path / "schemas", *SMALL)
    out = tmp_path / "generated"
    done = run(schemas, out)
    assert done.returncode == 0, done.stderr
    return schemas, out, snapshot(out)


def change_a_schema(schemas: Path) -> None:
    path = schemas / "distilbert-sst-2-int8.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["schema"]["input"]["properties"]["new_flag"] = {"type": "boolean", "description": "added"}
    path.write_text(json.dumps(doc, indent=1), encoding="utf-8")


def test_kill_before_swap_leaves_previous_output_intact(
    workspace: tuple[Path, Path, dict[str, bytes]],
) -> None:
    schemas, out, before = workspace
    change_a_schema(schemas)
    proc = start(schemas, out, pause_before_swap=60)
    staging = out.parent / f".{out.name}.tmp-{proc.pid}"
    deadline = time.monotonic() + 60
    while not (staging / "MANIFEST.json").exists():  # the new tree is complete: the run is paused
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the run never reached the swap"
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    assert snapshot(out) == before  # byte-identical, nothing added or removed
    assert staging.exists()  # the killed run's half of the work is still lying around...

    done = run(schemas, out)  # ...and the next run succeeds and clears it away
    assert done.returncode == 0, done.stderr
    after = snapshot(out)
    assert (
        after != before
        and b"new_flag" in after["workers_ai/types/text_classification/huggingface_distilbert_sst_2_int8.py"]
    )
    assert sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}")) == []


@pytest.mark.parametrize("delay", [0.2, 0.5, 0.8])
def test_kill_at_any_time_leaves_old_or_new_output(
    workspace: tuple[Path, Path, dict[str, bytes]], delay: float
) -> None:
    """Killed at an arbitrary moment, the output is either the old tree or the new one, never a mix."""
    schemas, out, before = workspace
    change_a_schema(schemas)
    proc = start(schemas, out)
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    old = out.parent / f".{out.name}.old"
    # Killed between the two renames, the previous tree waits in .<name>.old for the next run.
    state = snapshot(out) if out.exists() else snapshot(old)
    done = run(schemas, out)
    assert done.returncode == 0, done.stderr
    after = snapshot(out)
    assert state in (before, after)


def test_failing_run_leaves_previous_output_intact(workspace: tuple[Path, Path, dict[str, bytes]]) -> None:
    schemas, out, before = workspace
    (schemas / "broken.json").write_text(
        '{"name": "@cf/x/broken", "task": {"name": "T"}, "schema": {"input": 1, "output": {}}}'
    )
    done = run(schemas, out)
    assert done.returncode == 1
    assert f"{schemas / 'broken.json'}#/schema/input: error: " in done.stderr
    assert "Traceback" not in done.stderr
    assert snapshot(out) == before
    assert sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}")) == []
