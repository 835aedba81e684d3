"""Input validation of the seed input: the package's validator (as the client builds it) vs jsonschema's
Draft 2020-12 validator, built once and reused. Verdicts are compared on valid and invalid inputs."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from jsonschema import Draft202012Validator

from bench.common import SEED_INPUT, SEED_MODEL, median

VALID: list[Any] = [
    SEED_INPUT,
    {"text": "x"},
    {"text": "ü" * 2000},
    {"text": "emoji 🎉 and\nnewlines"},
    {"text": "hello", "unlisted": 1},
]
INVALID: list[Any] = [
    {},
    {"text": ""},
    {"text": 123},
    {"text": None},
    {"text": ["a"]},
    {"text": True},
    {"txt": "hello"},
    [],
    "text",
    None,
]


@dataclass
class ValidationRuns:
    ours: list[float] = field(default_factory=list)  # seconds per validation, one per round
    reference: list[float] = field(default_factory=list)
    verdict_mismatches: list[str] = field(default_factory=list)
    cases: int = 0


def _per_call(check: Callable[[Any], Any], value: Any, number: int) -> float:
    started = time.perf_counter()
    for _ in range(number):
        check(value)
    return (time.perf_counter() - started) / number


def measure(rounds: int, number: int = 20_000) -> ValidationRuns:
    # Exactly what the client does for a model (`_plan.Plan`): the schema resource, one SchemaValidator.
    from workers_ai._registry import MODELS
    from workers_ai._spec import load_schema_resource
    from workers_ai._validation import SchemaValidator

    schema = load_schema_resource(MODELS[SEED_MODEL].schema_resource)["input"]
    ours = SchemaValidator(schema)
    reference = Draft202012Validator(schema)

    runs = ValidationRuns(cases=len(VALID) + len(INVALID))
    for value in VALID + INVALID:
        ours_valid = not ours.issues(value)
        if ours_valid != reference.is_valid(value):
            runs.verdict_mismatches.append(repr(value)[:80])
    for value in VALID:
        if not reference.is_valid(value):
            runs.verdict_mismatches.append(f"expected valid: {value!r:.80}")
    for value in INVALID:
        if reference.is_valid(value):
            runs.verdict_mismatches.append(f"expected invalid: {value!r:.80}")

    for round_no in range(rounds):
        pair: list[tuple[str, Callable[[Any], Any]]] = [
            ("ours", ours.issues),
            ("reference", reference.is_valid),
        ]
        for name, check in pair if round_no % 2 == 0 else pair[::-1]:
            getattr(runs, name).append(_per_call(check, SEED_INPUT, number))
    return runs


def summary(runs: ValidationRuns) -> tuple[float, float, float]:
    """(ours s/call, reference s/call, speed-up = reference / ours), medians over rounds."""
    ratios = [r / o for o, r in zip(runs.ours, runs.reference, strict=True)]
    return median(runs.ours), median(runs.reference), median(ratios)
