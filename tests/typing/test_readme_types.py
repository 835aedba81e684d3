"""The README's Python examples type-check with mypy --strict and pyright, from a folder outside the
repository with no configuration: the development install (`make generate`) is visible to both."""

from __future__ import annotations

import ast
import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


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


@pytest.fixture(scope="module")
def examples(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("readme-examples")
    blocks = re.findall(r"```python\n(.*?)```", (REPO / "README.md").read_text(encoding="utf-8"), re.DOTALL)
    checked = [block for block in blocks if _installed(block)]
    assert len(checked) >= 2, "README.md has Python examples"
    for index, block in enumerate(checked):
        (folder / f"example_{index}.py").write_text(block, encoding="utf-8")
    # pyright looks for a configuration upwards from here: an empty one means its defaults.
    (folder / "pyrightconfig.json").write_text("{}\n", encoding="utf-8")
    return folder


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    # As in an activated virtual environment: the tools find its interpreter on PATH.
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.pop("MYPYPATH", None)
    env.pop("PYTHONPATH", None)
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def test_mypy_strict_sees_the_development_install(examples: Path) -> None:
    # Its own cache (other options than the project's): warm after the first run.
    cache = REPO / ".mypy_cache" / "readme-examples"
    done = _run([sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(cache), "."], examples)
    assert done.returncode == 0, done.stdout + done.stderr


def test_pyright_sees_the_development_install(examples: Path) -> None:
    done = _run([str(BIN / "pyright"), "."], examples)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 errors" in done.stdout
