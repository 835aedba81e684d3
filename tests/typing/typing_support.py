"""Run mypy (the project's configuration) on a reveal file: the revealed types, short names, and the errors."""

from __future__ import annotations

import re
from pathlib import Path

from mypy import api

REPO = Path(__file__).resolve().parents[2]


def reveal(path: Path) -> tuple[list[str], list[str], str]:
    stdout, stderr, _ = api.run(
        ["--config-file", str(REPO / "pyproject.toml"), "--cache-dir", str(REPO / ".mypy_cache"), str(path)]
    )
    revealed = [
        re.sub(r"workers_ai\.[\w.]+\.(\w+)", r"\1", line.split('Revealed type is "', 1)[1].rstrip('"'))
        for line in stdout.splitlines()
        if "Revealed type is" in line
    ]
    errors = [line for line in stdout.splitlines() if ": error:" in line]
    return revealed, errors, stdout + stderr
