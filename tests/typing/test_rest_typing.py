"""mypy types `client.batch` per model (only the models that take batches) and the REST resources."""

from __future__ import annotations

from pathlib import Path

from typing_support import reveal

HERE = Path(__file__).resolve().parent


def test_batch_and_rest_resources_are_typed() -> None:
    revealed, errors, output = reveal(HERE / "reveal_rest.py")
    assert revealed == [
        "BatchJob[BaaiBgeSmallEnV1_5Output]",
        "BaaiBgeSmallEnV1_5Output | None",
        "BatchJob[OpenaiGptOss120bOutput]",
        "CatalogModel",
        "MarkdownDocument | MarkdownError",
        "list[Finetune]",
        "AsyncBatchJob[Any]",
        "list[CatalogTask]",
    ], output
    # The one call with a model that takes no batches is a type error.
    assert len(errors) == 1 and "reveal_rest.py:15:" in errors[0] and "call-overload" in errors[0], errors
