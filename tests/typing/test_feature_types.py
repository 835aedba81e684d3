"""Type checkers accept `parse` / `tool_calls` / `run_tools` on capable models and reject the rest.

`features_client.py` marks each line that must be an error with `# rejected`; mypy (strict, the project's
configuration) and pyright (strict) must report errors on exactly those lines.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from mypy import api

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
SAMPLE = HERE / "features_client.py"


def _rejected_lines() -> set[int]:
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    return {number for number, line in enumerate(lines, 1) if line.rstrip().endswith("# rejected")}


def test_mypy_rejects_exactly_the_marked_calls() -> None:
    stdout, stderr, _ = api.run(
        ["--config-file", str(REPO / "pyproject.toml"), "--cache-dir", str(REPO / ".mypy_cache"), str(SAMPLE)]
    )
    errors = {int(m.group(1)) for m in re.finditer(r"features_client\.py:(\d+): error:", stdout)}
    assert errors == _rejected_lines(), stdout + stderr


def _pyright() -> str | None:
    found = shutil.which("pyright", path=str(Path(sys.executable).parent))
    return found or shutil.which("pyright")


@pytest.mark.skipif(_pyright() is None, reason="pyright is not installed (pip install '.[dev]')")
def test_pyright_rejects_exactly_the_marked_calls(tmp_path: Path) -> None:
    config = {
        "extraPaths": [str(REPO / "generated")],
        "typeCheckingMode": "strict",
        "pythonVersion": "3.11",
        "reportUnusedVariable": False,
    }
    (tmp_path / "pyrightconfig.json").write_text(json.dumps(config), encoding="utf-8")
    command = [
        str(_pyright()),
        "--outputjson",
        "--pythonpath",
        sys.executable,
        "-p",
        str(tmp_path),
        str(SAMPLE),
    ]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    report = json.loads(completed.stdout)
    errors = {
        d["range"]["start"]["line"] + 1 for d in report["generalDiagnostics"] if d["severity"] == "error"
    }
    assert errors == _rejected_lines(), completed.stdout[-4000:]
