"""Declared expected drift, and reconciling it with the problems a check actually found.

A document with expected drift must fail exactly as declared: every declared problem is found (same
kind and pointer, message containing `contains`), and nothing else is found. Anything else is a failure,
including "expected drift no longer reproduces" when the document got fixed (so the marker is removed).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from generator.drift.findings import Finding, Problem, Status


@dataclass(frozen=True)
class ExpectedProblem:
    kind: str
    pointer: str
    reason: str
    contains: str | None = None
    check: str | None = None  # None matches any sub-check
    model: str | None = None  # None matches any model

    def matches(self, problem: Problem) -> bool:
        return (
            self.kind == problem.kind
            and self.pointer == problem.pointer
            and (self.contains is None or self.contains in problem.message)
            and (self.check is None or self.check == problem.check)
            and (self.model is None or self.model == problem.model)
        )

    def describe(self) -> str:
        where = f"{self.check} " if self.check else ""
        text = f" containing {self.contains!r}" if self.contains else ""
        return f"{where}{self.kind} at {self.pointer or '(root)'}{text}"


@dataclass(frozen=True)
class Reconciled:
    expected: list[tuple[Problem, ExpectedProblem]]  # found and declared
    unexpected: list[Problem]  # found, not declared
    missing: list[ExpectedProblem]  # declared, not found: the drift no longer reproduces


def reconcile(problems: Sequence[Problem], declared: Sequence[ExpectedProblem]) -> Reconciled:
    expected: list[tuple[Problem, ExpectedProblem]] = []
    unexpected: list[Problem] = []
    for problem in problems:
        match = next((d for d in declared if d.matches(problem)), None)
        if match is None:
            unexpected.append(problem)
        else:
            expected.append((problem, match))
    missing = [d for d in declared if not any(d.matches(p) for p in problems)]
    return Reconciled(expected, unexpected, missing)


def parse_expected(entries: Any, reason: str, where: str) -> tuple[list[ExpectedProblem], list[str]]:
    """Read a list of {"kind", "pointer", "contains"?, "check"?, "model"?, "reason"?}; errors name the entry."""
    declared: list[ExpectedProblem] = []
    errors: list[str] = []
    if not isinstance(entries, list):
        return [], [f"{where}: must be a list"]
    for i, entry in enumerate(entries):
        here = f"{where}/{i}"
        if (
            not isinstance(entry, dict)
            or not isinstance(entry.get("kind"), str)
            or not isinstance(entry.get("pointer"), str)
        ):
            errors.append(f"{here}: needs string 'kind' and 'pointer'")
            continue
        optional = {k: entry.get(k) for k in ("contains", "check", "model", "reason")}
        if any(v is not None and not isinstance(v, str) for v in optional.values()):
            errors.append(f"{here}: 'contains', 'check', 'model' and 'reason' must be strings")
            continue
        declared.append(
            ExpectedProblem(
                kind=entry["kind"],
                pointer=entry["pointer"],
                reason=optional["reason"] or reason,
                contains=optional["contains"],
                check=optional["check"],
                model=optional["model"],
            )
        )
    return declared, errors


def to_findings(check: str, file: str, result: Reconciled, model: str | None = None) -> list[Finding]:
    findings: list[Finding] = []
    for problem, declared in result.expected:
        where = f"{problem.check}: " if problem.check else ""
        findings.append(
            Finding(
                check,
                Status.EXPECTED,
                file,
                f"{where}{problem.message}",
                problem.model or model,
                problem.pointer,
                declared.reason,
            )
        )
    for problem in result.unexpected:
        where = f"{problem.check}: " if problem.check else ""
        findings.append(
            Finding(
                check, Status.FAIL, file, f"{where}{problem.message}", problem.model or model, problem.pointer
            )
        )
    for declared in result.missing:
        findings.append(
            Finding(
                check,
                Status.FAIL,
                file,
                f"expected drift no longer reproduces: {declared.describe()} (declared because: {declared.reason})",
                declared.model or model,
                declared.pointer,
            )
        )
    return findings
