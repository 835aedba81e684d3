"""The README's side-by-side table is derived, current, and every failure in it is the catalog's own.

Refresh the table with `WORKERS_AI_UPDATE_TABLE=1 pytest tests/features/test_capability_matrix.py`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.features.capability_matrix import ASK, END, START, rows, table
from tests.support.fault_server import FaultServer
from workers_ai import WorkersAI, errors
from workers_ai._model_info import ModelInfo

README = Path(__file__).resolve().parents[2] / "README.md"
Rows = list[tuple[ModelInfo, str, str]]


@pytest.fixture(scope="module")
def matrix_server() -> Iterator[FaultServer]:
    with FaultServer() as server:
        yield server


@pytest.fixture(scope="module")
def measured_rows(matrix_server: FaultServer) -> Rows:
    return rows(matrix_server)


def test_readme_table_is_the_measured_one(measured_rows: Rows) -> None:
    measured = table(measured_rows)
    text = README.read_text(encoding="utf-8")
    start, end = text.index(START), text.index(END) + len(END)
    if os.environ.get("WORKERS_AI_UPDATE_TABLE"):
        README.write_text(text[:start] + measured + text[end:], encoding="utf-8")
    assert text[start:end] == measured, "README table is stale: rerun with WORKERS_AI_UPDATE_TABLE=1"


def test_every_failure_is_shared_by_plain_run(measured_rows: Rows, matrix_server: FaultServer) -> None:
    """`parse` / `run_tools` may only fail where `client.run` rejects a plain chat input too (a catalog
    schema the client cannot satisfy), never because of the structured-output or tool code."""
    measured = measured_rows
    failing = [info.id for info, parse, loop in measured if "fails" in parse + loop]
    base_url = matrix_server.base_url
    with WorkersAI(account_id="acc", api_token="tok", base_url=base_url, max_retries=0) as client:
        for model in failing:
            with pytest.raises(errors.InputValidationError):
                client.run(model, {"messages": ASK})
    assert len([1 for info, parse, _ in measured if parse == "works"]) >= 12
    assert len([1 for info, _, loop in measured if loop == "works"]) >= 15
