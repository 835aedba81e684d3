"""Docs pages vs schemas: each page's example response and schemas against its own and the catalog's.

Per page, sub-checks (the `check` of each problem):
- example-json        the example response is valid JSON (line/column are the page's)
- example-vs-page     the example (its envelope `result`, if any) validates against the page's output schema
- example-vs-catalog  ... and against the current catalog output schema of each model the page lists
- schemas-vs-catalog  the page's schemas vs the catalog's, classified by `generator.schemadiff`; only
                      breaking differences are drift, compatible ones are counted as info
- page-schema         the page's schema blocks are valid JSON

Examples are checked with objects closed (undeclared keys are drift: `summary` where the schema says
`description`). After invalid JSON the example is repaired leniently to report its other defects too.
Known findings are declared in `<pages>/expected-drift.json`; see `generator.drift.expected`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from generator.drift.expected import ExpectedProblem, parse_expected, reconcile, to_findings
from generator.drift.findings import Finding, Problem, Status
from generator.drift.lenient import lenient_loads
from generator.drift.pages import CodeBlock, DocsPage, parse_page
from generator.drift.validation import (
    describe_json_error,
    json_result_schema,
    output_reading,
    validate_result,
)
from generator.load import ModelFile

# Examples may only use declared fields: checked with the strict client's own closed reading.
from generator.runtime._validation import closed_schema
from generator.schemadiff import Level, classify_schema

CHECK = "docs"
EXPECTED_FILE = "expected-drift.json"
_NOT_PAGES = {"PROVENANCE.md", "README.md"}
_ENVELOPE_KEYS = {"result", "success", "errors", "messages", "result_info"}


def _load_block(block: CodeBlock, check: str, what: str) -> tuple[Any, list[Problem], bool]:
    """(value or None, problems, repaired leniently?)"""
    try:
        return json.loads(block.text), [], False
    except json.JSONDecodeError as exc:
        problem = Problem(
            "invalid_json",
            "",
            f"{what} is not valid JSON: {describe_json_error(exc, block.first_line)}",
            check,
        )
        return lenient_loads(block.text), [problem], True


def _unwrap(example: Any) -> tuple[Any, tuple[str, ...]]:
    """An API envelope's `result` (pointers then start at /result); otherwise the example itself."""
    if isinstance(example, dict) and "result" in example and set(example) <= _ENVELOPE_KEYS:
        return example["result"], ("result",)
    return example, ()


def _against(
    example: Any, prefix: tuple[str, ...], output: Any, input: Any, check: str, model: str | None
) -> list[Problem]:
    schema = json_result_schema(output_reading(output, input)) if isinstance(output, dict) else None
    if schema is None:
        return []
    return [
        Problem(p.kind, p.pointer, p.message, check, model)
        for p in validate_result(example, closed_schema(schema), prefix)
    ]


def page_problems(page: DocsPage, catalog: Mapping[str, ModelFile]) -> tuple[list[Problem], list[Finding]]:
    """Every problem on one page, plus INFO findings (models not in the catalog, compatible changes)."""
    shown = str(page.path)
    problems: list[Problem] = []
    info: list[Finding] = []
    schemas: dict[str, Any] = {}
    for part, block in (("input", page.input_schema), ("output", page.output_schema)):
        if block is None:
            info.append(Finding(CHECK, Status.INFO, shown, f"page has no {part} schema block"))
            continue
        value, found, _ = _load_block(block, "page-schema", f"{part} schema (line {block.first_line})")
        problems.extend(found)
        if not found:
            schemas[part] = value
    example: Any = None
    prefix: tuple[str, ...] = ()
    repaired = False
    if page.example is None:
        info.append(Finding(CHECK, Status.INFO, shown, "page shows no JSON example response"))
    else:
        value, found, repaired = _load_block(
            page.example, "example-json", f"example response (line {page.example.first_line})"
        )
        problems.extend(found)
        if value is not None:
            example, prefix = _unwrap(value)
    example_problems: list[Problem] = []
    if page.example is not None and (example is not None or not repaired):
        example_problems += _against(
            example, prefix, schemas.get("output"), schemas.get("input"), "example-vs-page", None
        )
    for model_id in page.model_ids:
        model = catalog.get(model_id)
        if model is None or model.input_schema is None or model.output_schema is None:
            info.append(
                Finding(
                    CHECK,
                    Status.INFO,
                    shown,
                    "model not in the schema folder (or has no schema); page checked on its own",
                    model_id,
                )
            )
            continue
        if page.example is not None and (example is not None or not repaired):
            example_problems += _against(
                example, prefix, model.output_schema, model.input_schema, "example-vs-catalog", model_id
            )
        compatible = 0
        for direction in ("input", "output"):
            if direction not in schemas:
                continue
            current = model.input_schema if direction == "input" else model.output_schema
            for change in classify_schema(model_id, direction, schemas[direction], current):
                if change.level is Level.BREAKING:
                    problems.append(
                        Problem("breaking", change.pointer, change.message, "schemas-vs-catalog", model_id)
                    )
                elif change.level is Level.OK:
                    compatible += 1
        if compatible:
            info.append(
                Finding(
                    CHECK,
                    Status.INFO,
                    shown,
                    f"{compatible} compatible schema differences vs the catalog (see `diff`)",
                    model_id,
                )
            )
    if repaired:
        example_problems = [
            Problem(
                p.kind, p.pointer, f"{p.message} (in the example as repaired leniently)", p.check, p.model
            )
            for p in example_problems
        ]
    return problems + example_problems, info


def _read_expected(folder: Path) -> tuple[dict[str, list[ExpectedProblem]], list[Finding]]:
    path = folder / EXPECTED_FILE
    shown = str(path)
    if not path.exists():
        return {}, []
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return {}, [Finding(CHECK, Status.FAIL, shown, f"cannot read expected drift: {exc}")]
    entries = document.get("expected") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        return {}, [
            Finding(
                CHECK,
                Status.FAIL,
                shown,
                "expected drift must be an object with an 'expected' list",
                pointer="/expected",
            )
        ]
    by_file: dict[str, list[ExpectedProblem]] = {}
    findings: list[Finding] = []
    for i, entry in enumerate(entries):
        file = entry.get("file") if isinstance(entry, dict) else None
        if not isinstance(file, str) or not isinstance(entry.get("reason"), str):
            findings.append(
                Finding(
                    CHECK,
                    Status.FAIL,
                    shown,
                    "entry needs string 'file' and 'reason'",
                    pointer=f"/expected/{i}",
                )
            )
            continue
        declared, errors = parse_expected([entry], entry["reason"], f"/expected/{i}")
        findings += [Finding(CHECK, Status.FAIL, shown, f"bad entry {e}") for e in errors]
        by_file.setdefault(file, []).extend(declared)
    return by_file, findings


def check_docs(folder: Path, catalog: Mapping[str, ModelFile]) -> tuple[list[Finding], int]:
    """Findings for every docs page in `folder`, and how many pages were checked."""
    expected, findings = _read_expected(folder)
    pages = sorted(p for p in folder.glob("*.md") if p.name not in _NOT_PAGES)
    for path in pages:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            findings.append(Finding(CHECK, Status.FAIL, str(path), f"cannot read page: {exc}"))
            continue
        problems, info = page_problems(parse_page(path, text), catalog)
        findings += info
        findings += to_findings(CHECK, str(path), reconcile(problems, expected.pop(path.name, [])))
    for name, declared in sorted(expected.items()):
        shown = str(folder / EXPECTED_FILE)
        findings += [
            Finding(CHECK, Status.FAIL, shown, f"expected drift for missing page {name!r}: {d.describe()}")
            for d in declared
        ]
    return findings, len(pages)
