"""mypy --strict and pyright (strict) agree with the package's types: `good_calls.py` passes both with
the exact types it asserts, and each call in `bad_calls.py` marked `# bad: <rule>` fails both (no other line
does); every docs page's example passes both, with the type its `reveal_type` comment names. Each checker
runs once per module over all the files (the slow part is reading the client)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from mypy import api

from tests.support.docs_examples import checked_module, page_examples

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
GOOD = HERE / "good_calls.py"
BAD = HERE / "bad_calls.py"


def _pyright() -> str:
    beside = Path(sys.executable).with_name("pyright")
    found = str(beside) if beside.exists() else shutil.which("pyright")
    if found is None:
        pytest.fail("pyright is not installed: `pip install -e '.[dev]'` installs it")
    return found


@pytest.fixture(scope="module")
def docs_calls(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("docs") / "docs_calls.py"
    path.write_text(checked_module(page_examples()), encoding="utf-8")
    return path.resolve()


@pytest.fixture(scope="module")
def files(docs_calls: Path) -> tuple[Path, ...]:
    return (GOOD, BAD, docs_calls)


@pytest.fixture(scope="module")
def mypy_errors(files: tuple[Path, ...]) -> dict[Path, set[int]]:
    stdout, stderr, _ = api.run(
        ["--config-file", str(REPO / "pyproject.toml"), "--cache-dir", str(REPO / ".mypy_cache")]
        + [str(f) for f in files]
    )
    errors: dict[Path, set[int]] = {f: set() for f in files}
    for line in stdout.splitlines():
        match = re.match(r"(.+?):(\d+): error:", line)
        if match:
            errors[(REPO / match[1]).resolve()].add(int(match[2]))  # relative, or absolute (tmp)
    assert "error" not in stderr, stderr
    return errors


@pytest.fixture(scope="module")
def pyright_errors(tmp_path_factory: pytest.TempPathFactory, files: tuple[Path, ...]) -> dict[Path, set[int]]:
    config = tmp_path_factory.mktemp("pyright") / "pyrightconfig.json"
    config.write_text(
        json.dumps(
            {"extraPaths": [str(REPO / "generated")], "pythonVersion": "3.11", "typeCheckingMode": "strict"}
        )
    )
    done = subprocess.run(
        [_pyright(), "--outputjson", "--pythonpath", sys.executable, "-p", str(config), *map(str, files)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=240,
    )
    report = json.loads(done.stdout)
    errors: dict[Path, set[int]] = {f: set() for f in files}
    for diagnostic in report["generalDiagnostics"]:
        if diagnostic["severity"] == "error":
            errors[Path(diagnostic["file"]).resolve()].add(diagnostic["range"]["start"]["line"] + 1)
    return errors


def _marked_lines() -> dict[int, str]:
    lines = BAD.read_text(encoding="utf-8").splitlines()
    return {n: line.split("  # bad:", 1)[1].strip() for n, line in enumerate(lines, 1) if "  # bad:" in line}


def test_bad_calls_cover_each_rule_once() -> None:
    rules = list(_marked_lines().values())
    assert len(rules) >= 12
    assert len(set(rules)) == len(rules), "one case per rule"


@pytest.mark.parametrize("checker", ["mypy_errors", "pyright_errors"])
def test_good_calls_pass(checker: str, request: pytest.FixtureRequest) -> None:
    errors: dict[Path, set[int]] = request.getfixturevalue(checker)
    assert errors[GOOD] == set()


@pytest.mark.parametrize("checker", ["mypy_errors", "pyright_errors"])
def test_each_bad_call_fails(checker: str, request: pytest.FixtureRequest) -> None:
    errors: dict[Path, set[int]] = request.getfixturevalue(checker)
    marked = _marked_lines()
    missed = {n: rule for n, rule in marked.items() if n not in errors[BAD]}
    unexpected = sorted(errors[BAD] - set(marked))
    assert missed == {}, f"{checker}: accepted bad calls"
    assert unexpected == [], f"{checker}: errors on lines not marked bad"


@pytest.mark.parametrize("checker", ["mypy_errors", "pyright_errors"])
def test_docs_examples_pass(checker: str, request: pytest.FixtureRequest, docs_calls: Path) -> None:
    errors: dict[Path, set[int]] = request.getfixturevalue(checker)
    assert len(page_examples()) == len(list((REPO / "generated" / "docs").glob("*/*.md")))
    lines = docs_calls.read_text(encoding="utf-8").splitlines()
    assert [lines[n - 1] for n in sorted(errors[docs_calls])] == []
