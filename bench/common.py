"""Paths, the seed model, subprocess environment and small statistics shared by every bench module."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
GENERATED = ROOT / "generated"
SCHEMAS = ROOT / "schemas"
PYTHON = sys.executable

SEED_MODEL = "@cf/huggingface/distilbert-sst-2-int8"
SEED_INPUT: dict[str, Any] = {"text": "I love the new update, it is fantastic!"}
SEED_RESULT: list[dict[str, Any]] = [
    {"label": "NEGATIVE", "score": 0.00012408883776515722},
    {"label": "POSITIVE", "score": 0.9998759031295776},
]
ENVELOPE = json.dumps({"result": SEED_RESULT, "success": True, "errors": [], "messages": []}).encode()
ACCOUNT_ID = "bench-account"
API_TOKEN = "bench-token-not-a-secret"

# Bytecode is cached (outside the tree) for every child: a user's installed packages have .pyc files, and
# PYTHONDONTWRITEBYTECODE (set in some shells) would otherwise charge `import workers_ai` for compiling.
_PYCACHE = Path(tempfile.gettempdir()) / "workers-ai-bench-pycache"


def child_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONSTARTUP")}
    env["PYTHONPATH"] = os.pathsep.join([str(GENERATED), str(ROOT)])
    env["PYTHONPYCACHEPREFIX"] = str(_PYCACHE)
    env.update(extra)
    return env


def run_python(
    args: Sequence[str], *, cwd: Path = ROOT, check: bool = True
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PYTHON, *args], cwd=cwd, env=child_env(), capture_output=True, text=True, check=check
    )


def timed_python(args: Sequence[str], *, cwd: Path = ROOT) -> float:
    """Wall time in seconds of one child interpreter (raises when it fails)."""
    started = time.perf_counter()
    done = run_python(args, cwd=cwd, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({done.returncode}): {done.stderr.strip()[-2000:]}")
    return elapsed


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def rotated(items: Sequence[str], round_no: int) -> list[str]:
    """Round-robin order, so no contender always runs first (or right after the slowest)."""
    shift = round_no % len(items)
    return [*items[shift:], *items[:shift]]
