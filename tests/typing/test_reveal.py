"""mypy infers the exact output type of `run()` from the model id."""

from __future__ import annotations

from pathlib import Path

from typing_support import reveal

HERE = Path(__file__).resolve().parent


def test_reveal_type_is_precise() -> None:
    revealed, errors, output = reveal(HERE / "reveal_client.py")
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
    ], output
    assert errors == [], errors
