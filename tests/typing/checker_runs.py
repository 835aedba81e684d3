"""One mypy run and one pyright (strict) run over every sample file of the typing tests.

Reading the generated client is what costs (seconds per run), so each checker runs once per test process
over all the samples, and each test reads the verdicts for its own file.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pytest
from mypy import api

from tests.support.docs_examples import checked_module, page_examples

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
GOOD = HERE / "good_calls.py"
BAD = HERE / "bad_calls.py"
FEATURES = HERE / "features_client.py"
REVEAL_CLIENT = HERE / "reveal_client.py"
REVEAL_REST = HERE / "reveal_rest.py"
REVEAL_OPTIONS = HERE / "reveal_options.py"


@cache
def docs_calls() -> Path:
    """Every docs page's example, as one checked module (written once per process)."""
    path = Path(tempfile.mkdtemp(prefix="docs-calls-")) / "docs_calls.py"
    path.write_text(checked_module(page_examples()), encoding="utf-8")
    return path.resolve()


@dataclass
class CheckerRun:
    errors: dict[Path, set[int]] = field(default_factory=dict)  # line numbers with an error, per file
    revealed: dict[Path, list[str]] = field(default_factory=dict)  # mypy's reveal_type notes, in order
    output: str = ""

    def errors_in(self, path: Path) -> set[int]:
        return self.errors.get(path.resolve(), set())

    def revealed_in(self, path: Path) -> list[str]:
        return self.revealed.get(path.resolve(), [])


def _short(type_name: str) -> str:
    """`workers_ai.types.x.y.Name` -> `Name`: the tests compare the names users see."""
    return re.sub(r"workers_ai\.[\w.]+\.(\w+)", r"\1", type_name)


@cache
def mypy_run() -> CheckerRun:
    """mypy with the project's configuration (strict, pydantic plugin) and its cache."""
    files = (GOOD, BAD, FEATURES, REVEAL_CLIENT, REVEAL_REST, REVEAL_OPTIONS, docs_calls())
    limit = sys.getrecursionlimit()
    try:
        stdout, stderr, _ = api.run(
            ["--config-file", str(REPO / "pyproject.toml"), "--cache-dir", str(REPO / ".mypy_cache")]
            + [str(f) for f in files]
        )
    finally:
        sys.setrecursionlimit(limit)  # mypy raises it in-process; later tests rely on the default
    assert "error" not in stderr, stderr
    run = CheckerRun(output=stdout + stderr)
    for line in stdout.splitlines():
        match = re.match(r"(.+?):(\d+): (error|note): (.*)", line)
        if not match:
            continue
        path = (REPO / match[1]).resolve()  # relative, or absolute (the docs module in tmp)
        if match[3] == "error":
            run.errors.setdefault(path, set()).add(int(match[2]))
        elif match[4].startswith('Revealed type is "'):
            run.revealed.setdefault(path, []).append(_short(match[4].split('"', 1)[1].rstrip('"')))
    return run


def _pyright() -> str:
    beside = Path(sys.executable).with_name("pyright")
    found = str(beside) if beside.exists() else shutil.which("pyright")
    if found is None:
        pytest.fail("pyright is not installed: `pip install -e '.[dev]'` installs it")
    return found


@cache
def pyright_run() -> CheckerRun:
    """pyright in strict mode (unused variables allowed: the samples bind results to show their types)."""
    files = (GOOD, BAD, FEATURES, docs_calls())
    config = Path(tempfile.mkdtemp(prefix="pyright-")) / "pyrightconfig.json"
    config.write_text(
        json.dumps(
            {
                "extraPaths": [str(REPO / "generated")],
                "pythonVersion": "3.11",
                "typeCheckingMode": "strict",
                "reportUnusedVariable": False,
            }
        ),
        encoding="utf-8",
    )
    done = subprocess.run(
        [_pyright(), "--outputjson", "--pythonpath", sys.executable, "-p", str(config), *map(str, files)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
    )
    run = CheckerRun(output=done.stdout[-4000:] + done.stderr[-2000:])
    for diagnostic in json.loads(done.stdout)["generalDiagnostics"]:
        if diagnostic["severity"] == "error":
            path = Path(diagnostic["file"]).resolve()
            run.errors.setdefault(path, set()).add(diagnostic["range"]["start"]["line"] + 1)
    return run


CHECKERS = {"mypy": mypy_run, "pyright": pyright_run}
