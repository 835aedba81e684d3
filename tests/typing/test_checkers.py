"""mypy --strict and pyright (strict) agree with the package's types.

- `good_calls.py` passes both with the exact types it asserts; each call in `bad_calls.py` marked
  `# bad: <rule>` fails both (no other line does); every docs page's example passes both, with the type its
  `reveal_type` comment names.
- `features_client.py`: `parse` / `tool_calls` / `run_tools` are accepted on capable models only (lines
  ending in `# rejected` are errors for both checkers, no other line is).
- the README's Python examples pass both.
- mypy reveals the exact output type of `run()` from the model id (`reveal_client.py`), of the request
  options (`reveal_options.py`), and of `client.batch` and the REST resources (`reveal_rest.py`).

Each checker runs once over all these samples (`checker_runs.py`), from a folder outside the repository
with `workers_ai` found through the development install only; `make test` keeps the tests of one file in
one process (`--dist loadfile`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

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
    readme_examples,
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


@RUNS
def test_readme_examples_pass(run: Callable[[], CheckerRun]) -> None:
    assert len(readme_examples()) >= 2, "README.md has Python examples"
    assert {path.name: run().errors_in(path) for path in readme_examples() if run().errors_in(path)} == {}, (
        run().output
    )


def _rejected_lines() -> set[int]:
    lines = FEATURES.read_text(encoding="utf-8").splitlines()
    return {number for number, line in enumerate(lines, 1) if line.rstrip().endswith("# rejected")}


@RUNS
def test_checkers_reject_exactly_the_marked_calls(run: Callable[[], CheckerRun]) -> None:
    assert run().errors_in(FEATURES) == _rejected_lines(), run().output


REVEALED = {
    REVEAL_CLIENT: [
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
    ],
    REVEAL_OPTIONS: [
        "HuggingfaceDistilbertSst2Int8Output",
        "Stream[TextGenerationChunk]",
        "WorkersAI",
        "RawResponse[Any]",
        "Literal['HIT'] | Literal['MISS'] | None",
        "HuggingfaceDistilbertSst2Int8Output",
        "RawResponse[Any]",
    ],
    REVEAL_REST: [
        "BatchJob[BaaiBgeSmallEnV1_5Output]",
        "BaaiBgeSmallEnV1_5Output | None",
        "BatchJob[OpenaiGptOss120bOutput]",
        "CatalogModel",
        "MarkdownDocument | MarkdownError",
        "list[Finetune]",
        "AsyncBatchJob[Any]",
        "list[CatalogTask]",
    ],
}
# Lines that must be errors end in `# error: <why>`: a wrong option type or name, `client.batch` on a model
# that takes no batches.
EXPECTED_ERRORS = {REVEAL_CLIENT: 0, REVEAL_OPTIONS: 2, REVEAL_REST: 1}


@pytest.mark.parametrize("sample", REVEALED, ids=lambda path: path.stem)
def test_mypy_reveals_the_exact_types(sample: Path) -> None:
    run = mypy_run()
    assert run.revealed_in(sample) == REVEALED[sample], run.output
    lines = sample.read_text(encoding="utf-8").splitlines()
    marked = {number for number, text in enumerate(lines, 1) if "  # error: " in text}
    assert run.errors_in(sample) == marked and len(marked) == EXPECTED_ERRORS[sample], run.output
