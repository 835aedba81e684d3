"""mypy types `client.batch` per model (only the models that take batches) and the REST resources."""

from __future__ import annotations

import re
from pathlib import Path

from mypy import api

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]


def test_batch_and_rest_resources_are_typed() -> None:
    stdout, stderr, _ = api.run(
        [
            "--config-file",
            str(REPO / "pyproject.toml"),
            "--cache-dir",
            str(REPO / ".mypy_cache"),
            str(HERE / "reveal_rest.py"),
        ]
    )
    revealed = [
        re.sub(r"workers_ai\.[\w.]+\.(\w+)", r"\1", line.split('Revealed type is "', 1)[1].rstrip('"'))
        for line in stdout.splitlines()
        if "Revealed type is" in line
    ]
    assert revealed == [
        "BatchJob[BaaiBgeBaseEnV15Output]",
        "BaaiBgeBaseEnV15Output | None",
        "BatchJob[OpenaiGptOss120bOutput]",
        "CatalogModel",
        "MarkdownDocument | MarkdownError",
        "list[Finetune]",
        "AsyncBatchJob[Any]",
        "list[CatalogTask]",
    ], stdout + stderr
    errors = [line for line in stdout.splitlines() if ": error:" in line]
    assert len(errors) == 1 and "reveal_rest.py:15:" in errors[0] and "call-overload" in errors[0], errors
