"""One mypy run and one pyright (strict) run over every sample file of the typing tests.

Reading the generated client is what costs (seconds per run), so each checker runs once per test process
over all the samples, and each test reads the verdicts for its own file. Both run from a folder outside
the repository, where the README's and the docs pages' examples are written: `workers_ai` resolves through
the development install (`make generate`: an editable install and a `.pth` for `generated/`), as it does
for a user's project, and not through a search path of ours.
"""

from __future__ import annotations

import ast
import atexit
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pytest

from tests.support.docs_examples import PYTHON_BLOCK, README, checked_module, page_examples

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
GOOD = HERE / "good_calls.py"
BAD = HERE / "bad_calls.py"
FEATURES = HERE / "features_client.py"
REVEAL_CLIENT = HERE / "reveal_client.py"
REVEAL_REST = HERE / "reveal_rest.py"
REVEAL_OPTIONS = HERE / "reveal_options.py"


@cache
def outside() -> Path:
    """A folder outside the repository (once per process, removed at its exit), where the checkers run."""
    folder = Path(tempfile.mkdtemp(prefix="typing-outside-")).resolve()
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


@cache
def docs_calls() -> Path:
    """Every docs page's example, as one checked module."""
    path = outside() / "docs_calls.py"
    path.write_text(checked_module(page_examples()), encoding="utf-8")
    return path


def _installed(block: str) -> bool:
    """Whether every module the example imports is installed (Ray is an optional extra, not in dev)."""
    modules = {
        name.split(".")[0]
        for node in ast.walk(ast.parse(block))
        for name in (
            [a.name for a in node.names]
            if isinstance(node, ast.Import)
            else [node.module or ""]
            if isinstance(node, ast.ImportFrom)
            else []
        )
    }
    return all(importlib.util.find_spec(m) is not None for m in modules if m)


@cache
def readme_examples() -> tuple[Path, ...]:
    """The README's Python examples whose imports are installed, one module each."""
    blocks = PYTHON_BLOCK.findall(README.read_text(encoding="utf-8"))
    paths = []
    for index, block in enumerate(b for b in blocks if _installed(b)):
        path = outside() / f"readme_example_{index}.py"
        path.write_text(block, encoding="utf-8")
        paths.append(path)
    return tuple(paths)


def _environment() -> dict[str, str]:
    # As in an activated virtual environment: the tools find its interpreter on PATH, and no search path
    # of ours leads them to `generated/`.
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.pop("MYPYPATH", None)
    env.pop("PYTHONPATH", None)
    return env


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
    """mypy with the project's configuration (strict, pydantic plugin) and its cache, warm after
    `make typecheck`. Its `mypy_path` is relative to the working directory: outside, it finds nothing."""
    files = (
        GOOD,
        BAD,
        FEATURES,
        REVEAL_CLIENT,
        REVEAL_REST,
        REVEAL_OPTIONS,
        docs_calls(),
        *readme_examples(),
    )
    command = [sys.executable, "-m", "mypy", "--config-file", str(REPO / "pyproject.toml")]
    command += ["--cache-dir", str(REPO / ".mypy_cache"), *map(str, files)]
    done = subprocess.run(
        command, capture_output=True, text=True, cwd=outside(), env=_environment(), timeout=300
    )
    assert "error" not in done.stderr, done.stderr
    run = CheckerRun(output=done.stdout + done.stderr)
    for line in done.stdout.splitlines():
        match = re.match(r"(.+?):(\d+): (error|note): (.*)", line)
        if not match:
            continue
        path = (outside() / match[1]).resolve()  # relative to the folder, or absolute (the samples)
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
    files = (GOOD, BAD, FEATURES, docs_calls(), *readme_examples())
    config = outside() / "pyrightconfig.json"
    config.write_text(
        json.dumps(
            {
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
        cwd=outside(),
        env=_environment(),
        timeout=300,
    )
    run = CheckerRun(output=done.stdout[-4000:] + done.stderr[-2000:])
    for diagnostic in json.loads(done.stdout)["generalDiagnostics"]:
        if diagnostic["severity"] == "error":
            path = Path(diagnostic["file"]).resolve()
            run.errors.setdefault(path, set()).add(diagnostic["range"]["start"]["line"] + 1)
    return run


CHECKERS = {"mypy": mypy_run, "pyright": pyright_run}
