"""The hand-curated data beside the model files still fits the catalog.

- `_defaults.json`: readable; every entry names a task and one of that task's models; every task whose
  models the default rule all skips (LoRA, deprecated, beta) has an entry.
- `_examples.json`: every model with a schema has an example (its own or its task's), and that example,
  as the client would send it, is valid against the model's input schema.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from jsonschema.validators import validator_for

from generator.diagnostics import Severity
from generator.drift.findings import Finding, Status
from generator.emit.curated_examples import EXAMPLES_FILE, as_sent, is_file, read_examples
from generator.ir import Catalog, build_catalog
from generator.ir.defaults import DEFAULTS_FILE, read_overrides
from generator.load import LoadResult


def check_curated(schemas: Path, loaded: LoadResult) -> tuple[list[Finding], int]:
    """Findings for both files, and how many examples were validated. A folder without one of the files
    (a test catalog) is not checked for it: the default rule and generated examples stand alone."""
    findings: list[Finding] = []
    if (schemas / DEFAULTS_FILE).exists():
        findings += _defaults(schemas, loaded)
    else:
        findings.append(Finding("curated", Status.INFO, str(schemas / DEFAULTS_FILE), "absent: not checked"))
    if not (schemas / EXAMPLES_FILE).exists():
        findings.append(Finding("curated", Status.INFO, str(schemas / EXAMPLES_FILE), "absent: not checked"))
        return findings, 0
    catalog, _ = build_catalog(loaded, read_overrides(schemas)[0])
    found, count = _examples(schemas, catalog)
    return findings + found, count


def _defaults(schemas: Path, loaded: LoadResult) -> list[Finding]:
    overrides, problems = read_overrides(schemas)
    findings = [Finding("curated", Status.FAIL, d.file, d.message, pointer=d.pointer) for d in problems]
    catalog, diagnostics = build_catalog(loaded, overrides)
    for d in diagnostics:
        if d.file == DEFAULTS_FILE:
            status = Status.FAIL if d.severity in (Severity.ERROR, Severity.WARNING) else Status.INFO
            findings.append(
                Finding("curated", status, str(schemas / DEFAULTS_FILE), d.message, pointer=d.pointer)
            )
    return findings + _unknown_tasks(schemas, catalog, overrides)


def _unknown_tasks(schemas: Path, catalog: Catalog, overrides: Mapping[str, str]) -> list[Finding]:
    slugs = {t.slug for t in catalog.tasks}
    return [
        Finding(
            "curated",
            Status.FAIL,
            str(schemas / DEFAULTS_FILE),
            f"no task {slug!r} in the catalog",
            pointer=f"/defaults/{slug}",
        )
        for slug in sorted(set(overrides) - slugs)
    ]


def _examples(schemas: Path, catalog: Catalog) -> tuple[list[Finding], int]:
    path = str(schemas / EXAMPLES_FILE)
    examples = read_examples(schemas)
    findings: list[Finding] = []
    count = 0
    known = {m.id for t in catalog.tasks for m in t.models}
    for model_id in sorted(set(examples.models) - known):
        findings.append(
            Finding(
                "curated",
                Status.FAIL,
                path,
                "example for a model not in the catalog",
                model=model_id,
                pointer=f"/models/{model_id}",
            )
        )
    for task in catalog.tasks:
        for model in task.models:
            example = examples.for_model(model)
            pointer = f"/models/{model.id}" if model.id in examples.models else f"/tasks/{task.slug}"
            if example is None:
                findings.append(
                    Finding("curated", Status.FAIL, path, "no example input", model=model.id, pointer=pointer)
                )
                continue
            count += 1
            if model.input.raw_body and is_file(example):
                continue  # the whole input is a file, sent as the request body
            schema = model.input.schema
            validator = validator_for(schema)(schema)
            for error in sorted(validator.iter_errors(as_sent(example, model)), key=str):
                where = "".join(f"/{p}" for p in error.absolute_path)
                findings.append(
                    Finding(
                        "curated",
                        Status.FAIL,
                        path,
                        f"{where or '(root)'}: {error.message[:300]}",
                        model=model.id,
                        pointer=pointer,
                    )
                )
    return findings, count
