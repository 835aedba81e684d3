"""mypy --strict and pyright (strict) agree with the package's types.

- `good_calls.py` passes both with the exact types it asserts; each call in `bad_calls.py` marked
  `# bad: <rule>` fails both (no other line does); every docs page's example passes both, with the type its
  `reveal_type` comment names.
- `features_client.py`: `parse` / `tool_calls` / `run_tools` are accepted on capable models only (lines
  ending in `# rejected` are errors for both checkers, no other line is).
- mypy reveals the exact output type of `run()` from the model id (`reveal_client.py`), of the request
  options (`reveal_options.py`), and of `client.batch` and the REST resources (`reveal_rest.py`).

Each checker runs once over all these samples (`checker_runs.py`); `make test` keeps the tests of one file
in one process (`--dist loadfile`)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from checker_runs import (
    BAD,
    CHECKERS,
    FEATURES,
    GOOD,
    REPO,
    REVEAL_CLIENT,
    REVEAL_OPTIONS,
    REVEAL_REST,
    CheckerRun,
    docs_calls,
    mypy_run,
)

from tests.support.docs_examples import page_examples

RUNS = pytest.mark.parametrize("run", CHECKERS.values(), ids=list(CHECKERS))


def _marked_lines() -> dict[int, str]:
    lines = BAD.read_text(encoding="utf-8").splitlines()
    return {n: line.split("  # bad:", 1)[1].strip() for n, line in enumerate(lines, 1) if "  # bad:" in line}


def test_bad_calls_cover_each_rule_once() -> None:
    rules = list(_marked_lines().values())
    assert len(rules) >= 12
    assert len(set(rules)) == len(rules), "one case per rule"


@RUNS
def test_good_calls_pass(run: Callable[[], CheckerRun]) -> None:
    assert run().errors_in(GOOD) == set(), run().output


@RUNS
def test_each_bad_call_fails(run: Callable[[], CheckerRun]) -> None:
    errors = run().errors_in(BAD)
    marked = _marked_lines()
    missed = {n: rule for n, rule in marked.items() if n not in errors}
    unexpected = sorted(errors - set(marked))
    assert missed == {}, "accepted bad calls"
    assert unexpected == [], "errors on lines not marked bad"


@RUNS
def test_docs_examples_pass(run: Callable[[], CheckerRun]) -> None:
    assert len(page_examples()) == len(list((REPO / "generated" / "docs").glob("*/*.md")))
    lines = docs_calls().read_text(encoding="utf-8").splitlines()
    assert [lines[n - 1] for n in sorted(run().errors_in(docs_calls()))] == []


def _rejected_lines() -> set[int]:
    lines = FEATURES.read_text(encoding="utf-8").splitlines()
    return {number for number, line in enumerate(lines, 1) if line.rstrip().endswith("# rejected")}


@RUNS
def test_checkers_reject_exactly_the_marked_calls(run: Callable[[], CheckerRun]) -> None:
    assert run().errors_in(FEATURES) == _rejected_lines(), run().output


def test_reveal_type_is_precise() -> None:
    run = mypy_run()
    revealed, errors, output = run.revealed_in(REVEAL_CLIENT), run.errors_in(REVEAL_CLIENT), run.output
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
    assert errors == set(), output


def test_options_keep_precise_types() -> None:
    run = mypy_run()
    revealed, stdout = run.revealed_in(REVEAL_OPTIONS), run.output
    assert revealed == [
        "HuggingfaceDistilbertSst2Int8Output",
        "Stream[TextGenerationChunk]",
        "WorkersAI",
        "RawResponse[Any]",
        "Literal['HIT'] | Literal['MISS'] | None",
        "HuggingfaceDistilbertSst2Int8Output",
        "RawResponse[Any]",
    ], stdout
    source = REVEAL_OPTIONS.read_text(encoding="utf-8").splitlines()
    flagged = run.errors_in(REVEAL_OPTIONS)
    expected = {
        number
        for number, text in enumerate(source, 1)
        if text.endswith(("# error: timeout", "# error: no such option"))
    }
    assert flagged == expected and len(expected) == 2, stdout


def test_batch_and_rest_resources_are_typed() -> None:
    run = mypy_run()
    revealed, errors, output = run.revealed_in(REVEAL_REST), run.errors_in(REVEAL_REST), run.output
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
    flagged = [line for line in output.splitlines() if "reveal_rest.py:15: error:" in line]
    assert errors == {15} and len(flagged) == 1 and "call-overload" in flagged[0], output
