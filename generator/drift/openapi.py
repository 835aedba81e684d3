"""The second official source: Cloudflare's OpenAPI request schemas vs the catalog's input schemas.

For every catalog model that has a path `/accounts/{account_id}/ai/run/<model>` in the OpenAPI document,
each request body schema (JSON, or the raw `application/octet-stream` file) is compared with the catalog's
input schema by the breaking-change classifier, the OpenAPI taken as the older version: a breaking change is
input the OpenAPI accepts and the catalog (so the client) refuses. Known differences are declared in
`known-drift.json` next to the document, each with its reason; a new one, or a declared one that no longer
reproduces, fails the check.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from generator.drift.expected import ExpectedProblem, parse_expected, reconcile, to_findings
from generator.drift.findings import Finding, Problem, Status
from generator.load import ModelFile
from generator.runtime._media import OCTET_STREAM, media_type
from generator.schemadiff import Level, classify_schema

CHECK = "openapi"
SPEC_FILE = "workers-ai.openapi.json"
KNOWN_FILE = "known-drift.json"
RUN_PREFIX = "/accounts/{account_id}/ai/run/"
_RAW_FILE = {"type": "string", "format": "binary"}


def request_schemas(spec: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Per model id with a run path: {media type: request body schema}."""
    found: dict[str, dict[str, Any]] = {}
    paths = spec.get("paths")
    for path, operations in paths.items() if isinstance(paths, dict) else ():
        post = operations.get("post") if isinstance(operations, dict) else None
        if not path.startswith(RUN_PREFIX) or not isinstance(post, dict):
            continue
        content = post.get("requestBody", {}).get("content", {})
        found[path.removeprefix(RUN_PREFIX)] = {
            media_type(kind): body.get("schema", _RAW_FILE if media_type(kind) == OCTET_STREAM else {})
            for kind, body in content.items()
            if isinstance(body, dict)
        }
    return found


def model_problems(model: ModelFile, bodies: Mapping[str, Any]) -> list[Problem]:
    problems: list[Problem] = []
    for kind, schema in sorted(bodies.items()):
        for change in classify_schema(model.id, "input", schema, model.input_schema):
            if change.level is Level.BREAKING:
                message = f"{kind} request: {change.message}"
                problems.append(Problem("breaking", change.pointer, message, "openapi-vs-catalog", model.id))
    return problems


def _read_known(path: Path) -> tuple[list[ExpectedProblem], list[Finding]]:
    if not path.exists():
        return [], []
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return [], [Finding(CHECK, Status.FAIL, str(path), f"cannot read known drift: {exc}")]
    entries = document.get("expected") if isinstance(document, dict) else None
    declared, errors = parse_expected(entries, "", "/expected")
    findings = [Finding(CHECK, Status.FAIL, str(path), f"bad entry {e}") for e in errors]
    findings += [
        Finding(
            CHECK, Status.FAIL, str(path), "every entry needs a 'model' and a 'reason'", pointer="/expected"
        )
        for d in declared
        if not d.model or not d.reason
    ][:1]
    return declared, findings


def check_openapi(folder: Path, catalog: Mapping[str, ModelFile]) -> tuple[list[Finding], int]:
    """Findings for the OpenAPI document in `folder`, and how many catalog models it has paths for."""
    spec_path = folder / SPEC_FILE
    if not spec_path.exists():
        return [Finding(CHECK, Status.INFO, str(spec_path), "no OpenAPI document; skipped")], 0
    try:
        spec = json.loads(spec_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return [Finding(CHECK, Status.FAIL, str(spec_path), f"cannot read the OpenAPI document: {exc}")], 0
    declared, findings = _read_known(folder / KNOWN_FILE)
    problems: list[Problem] = []
    compared = 0
    for model_id, bodies in sorted(request_schemas(spec).items()):
        model = catalog.get(model_id)
        if model is None or model.input_schema is None:
            continue
        compared += 1
        problems += model_problems(model, bodies)
    findings += to_findings(CHECK, str(spec_path), reconcile(problems, declared))
    return findings, compared
