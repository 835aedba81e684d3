"""mypy infers the exact output type of `run()` from the model id (issue 4)."""

from __future__ import annotations

import re
from pathlib import Path

from mypy import api

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
PREFIX = "workers_ai."


def test_reveal_type_is_precise() -> None:
    stdout, stderr, _ = api.run(
        [
            "--config-file",
            str(REPO / "pyproject.toml"),
            "--cache-dir",
            str(REPO / ".mypy_cache"),
            str(HERE / "reveal_client.py"),
        ]
    )
    revealed = [
        re.sub(r"workers_ai\.[\w.]+\.(\w+)", r"\1", line.split('Revealed type is "', 1)[1].rstrip('"'))
        for line in stdout.splitlines()
        if "Revealed type is" in line
    ]
    assert revealed == [
        "HuggingfaceDistilbertSst2Int8Output",
        "HuggingfaceDistilbertSst2Int8Output",
        "BaaiBgeRerankerBaseOutput",
        "MetaLlama3_1_8bInstructFp8Output",
        "Stream[TextGenerationChunk]",
        "MetaLlama3_1_8bInstructFp8Output | Stream[TextGenerationChunk]",
        "Stream[TextGenerationChunk]",
        "ImageOutput",
        "MyshellAiMelottsOutput | AudioOutput",
        "OpenaiWhisperOutput",
        "Any",
        "HuggingfaceDistilbertSst2Int8Output",
        "AsyncStream[TextGenerationChunk]",
    ], stdout + stderr
    errors = [line for line in stdout.splitlines() if ": error:" in line]
    assert errors == [], errors
