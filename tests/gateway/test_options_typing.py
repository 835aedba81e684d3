"""mypy accepts the request options on the typed overloads (keeping the precise output type) and
rejects a wrong option type or an unknown option."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from mypy import api

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]


def test_options_keep_precise_types() -> None:
    limit = sys.getrecursionlimit()
    try:
        stdout, stderr, _ = api.run(
            [
                "--config-file",
                str(REPO / "pyproject.toml"),
                "--cache-dir",
                str(REPO / ".mypy_cache"),
                str(HERE / "reveal_options.py"),
            ]
        )
    finally:
        sys.setrecursionlimit(limit)  # mypy raises it in-process; later tests rely on the default
    revealed = [
        re.sub(r"workers_ai\.[\w.]+\.(\w+)", r"\1", line.split('Revealed type is "', 1)[1].rstrip('"'))
        for line in stdout.splitlines()
        if "Revealed type is" in line
    ]
    assert revealed == [
        "HuggingfaceDistilbertSst2Int8Output",
        "Stream[TextGenerationChunk]",
        "WorkersAI",
        "RawResponse[Any]",
        "Literal['HIT'] | Literal['MISS'] | None",
        "HuggingfaceDistilbertSst2Int8Output",
        "RawResponse[Any]",
    ], stdout + stderr
    source = (HERE / "reveal_options.py").read_text(encoding="utf-8").splitlines()
    flagged = {int(line.split(":")[1]) for line in stdout.splitlines() if ": error:" in line}
    expected = {
        number
        for number, text in enumerate(source, 1)
        if text.endswith(("# error: timeout", "# error: no such option"))
    }
    assert flagged == expected and len(expected) == 2, stdout
