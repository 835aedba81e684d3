"""Fixtures vs schemas: recorded replies against output schemas, recorded inputs against input schemas.

Layout (see README, "Fixtures"):
    <fixtures>/replies/<model-file-stem>/<case>.json   one HTTP reply, with optional "expected_drift"
    <fixtures>/inputs/<model-file-stem>/<case>.json    one request input, "valid": true/false

Pointers in reply problems are into the reply body (`/result/0/score`); in input problems, into the input.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from jsonschema.exceptions import ValidationError
from jsonschema.validators import Draft202012Validator

from generator.diagnostics import json_pointer
from generator.drift.expected import parse_expected, reconcile, to_findings
from generator.drift.findings import Finding, Problem, Status
from generator.drift.lenient import lenient_loads
from generator.drift.validation import (
    describe_json_error,
    is_json_content_type,
    json_result_schema,
    output_reading,
    validate,
    validate_result,
)
from generator.load import ModelFile
from generator.runtime._media import media_type

CHECK = "fixtures"
_EXPECTED_DRIFT = {
    "type": "object",
    "required": ["reason", "problems"],
    "properties": {
        "reason": {"type": "string", "minLength": 1},
        "problems": {"type": "array", "minItems": 1},
    },
}
REPLY_FORMAT: dict[str, Any] = {
    "type": "object",
    "required": ["model", "description", "source", "status", "headers"],
    "properties": {
        "model": {"type": "string"},
        "description": {"type": "string"},
        "source": {"type": "string"},
        "status": {"type": "integer", "minimum": 100, "maximum": 599},
        "headers": {"type": "object", "additionalProperties": {"type": "string"}},
        "body_text": {"type": "string"},
        "body_base64": {"type": "string"},
        "expect": {"type": "object"},
        "expected_drift": _EXPECTED_DRIFT,
    },
    # Exactly one body representation.
    "oneOf": [{"required": ["body"]}, {"required": ["body_text"]}, {"required": ["body_base64"]}],
}
INPUT_FORMAT: dict[str, Any] = {
    "type": "object",
    "required": ["model", "input", "valid", "description"],
    "properties": {
        "model": {"type": "string"},
        "valid": {"type": "boolean"},
        "description": {"type": "string"},
        "expected_drift": _EXPECTED_DRIFT,
    },
}
_MISSING = object()


def _read_json(path: Path) -> tuple[Any, str | None]:
    try:
        return json.loads(path.read_text(encoding="utf-8")), None
    except OSError as exc:
        return None, f"cannot read fixture: {exc.strerror or exc}"
    except UnicodeDecodeError as exc:
        return None, f"fixture is not UTF-8 (byte {exc.start})"
    except json.JSONDecodeError as exc:
        return None, f"fixture file is not valid JSON: {describe_json_error(exc)}"
    except RecursionError:
        return None, "fixture file is nested too deeply"


def _body(fixture: dict[str, Any]) -> tuple[Any, list[Problem], bool]:
    """The parsed JSON body (or _MISSING), problems reading it, and whether it was repaired leniently."""
    if "body" in fixture:
        return fixture["body"], [], False
    if "body_text" in fixture:
        text = fixture["body_text"]
    else:
        try:
            text = base64.b64decode(fixture["body_base64"], validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError) as exc:
            return (
                _MISSING,
                [Problem("invalid_json", "", f"body_base64 does not decode to UTF-8 text: {exc}")],
                False,
            )
    try:
        return json.loads(text), [], False
    except json.JSONDecodeError as exc:
        problem = Problem("invalid_json", "", f"body is not valid JSON: {describe_json_error(exc)}")
        repaired = lenient_loads(text)
        return (_MISSING if repaired is None else repaired), [problem], repaired is not None


def _envelope_problems(body: Any) -> list[Problem]:
    if not isinstance(body, dict) or not isinstance(body.get("success"), bool):
        return [
            Problem("envelope", "", "JSON reply is not a Workers AI envelope (object with boolean 'success')")
        ]
    if body["success"] is False and not isinstance(body.get("errors"), list):
        return [Problem("envelope", "/errors", "a failed reply must carry an 'errors' list")]
    return []


def reply_problems(fixture: dict[str, Any], model: ModelFile) -> list[Problem]:
    headers = {str(k).lower(): str(v) for k, v in fixture["headers"].items()}
    content_type = headers.get("content-type")
    success_status = 200 <= fixture["status"] < 300
    output = model.output_schema
    reading = output_reading(output, model.input_schema) if output is not None else None
    declared = {media_type(t) for t in reading.content_types} if reading is not None else None
    if not is_json_content_type(content_type):
        if success_status and declared is not None and media_type(content_type) not in declared:
            return [
                Problem(
                    "content_type",
                    "",
                    f"content type {content_type!r} is not declared by the output schema {sorted(declared)}",
                )
            ]
        return []  # an error page in HTML, or a binary body: nothing more to check
    body, problems, repaired = _body(fixture)
    if body is _MISSING:
        return problems
    found = _envelope_problems(body)
    if success_status and not found and body["success"] is True:
        json_schema = json_result_schema(reading) if reading is not None else None
        if reading is not None and json_schema is None:
            found.append(
                Problem(
                    "content_type",
                    "",
                    f"JSON reply, but the output schema declares only {sorted(declared or ())}",
                )
            )
        elif "result" not in body:
            found.append(Problem("envelope", "/result", "successful reply has no 'result'"))
        elif json_schema is not None:
            found.extend(validate_result(body["result"], json_schema, ("result",)))
    if repaired:
        found = [
            Problem(p.kind, p.pointer, f"{p.message} (in the body as repaired leniently)") for p in found
        ]
    return problems + found


def input_problems(fixture: dict[str, Any], model: ModelFile) -> list[Problem]:
    if model.input_schema is None:
        return []
    problems = validate(fixture["input"], model.input_schema)
    if fixture["valid"]:
        return problems
    if problems:
        return []
    return [
        Problem(
            "unexpectedly_valid",
            "",
            'declared invalid ("valid": false) but it validates against the input schema',
        )
    ]


def _format_message(error: ValidationError) -> str:
    if error.validator == "oneOf" and not error.absolute_path:
        return "needs exactly one of 'body', 'body_text', 'body_base64'"
    message, shown = str(error.message), repr(error.instance)
    return message.replace(shown, "the value") if len(shown) > 60 else message


def _check_file(path: Path, kind: str, models: Mapping[str, ModelFile]) -> list[Finding]:
    shown = str(path)
    fixture, error = _read_json(path)
    if error is not None:
        return [Finding(CHECK, Status.FAIL, shown, error)]
    fmt = REPLY_FORMAT if kind == "replies" else INPUT_FORMAT
    format_errors = sorted(
        Draft202012Validator(fmt).iter_errors(fixture), key=lambda e: list(map(str, e.absolute_path))
    )
    if format_errors:
        label = "reply" if kind == "replies" else "input"
        return [
            Finding(
                CHECK,
                Status.FAIL,
                shown,
                f"not a {label} fixture: {_format_message(e)}",
                pointer=json_pointer(e.absolute_path),
            )
            for e in format_errors
        ]
    name = fixture["model"]
    model = models.get(name)
    if model is None:
        return [
            Finding(CHECK, Status.FAIL, shown, f"model {name!r} is not in the schema folder", name, "/model")
        ]
    findings: list[Finding] = []
    if path.parent.name != model.path.stem:
        findings.append(
            Finding(
                CHECK,
                Status.FAIL,
                shown,
                f"fixture for {name!r} belongs in a folder named {model.path.stem!r}",
                name,
                "/model",
            )
        )
    if model.output_schema is None:
        findings.append(
            Finding(
                CHECK, Status.INFO, shown, "model has no schema; only the fixture format was checked", name
            )
        )
    problems = reply_problems(fixture, model) if kind == "replies" else input_problems(fixture, model)
    drift = fixture.get("expected_drift", {})
    declared, errors = parse_expected(
        drift.get("problems", []), drift.get("reason", ""), "/expected_drift/problems"
    )
    findings += [Finding(CHECK, Status.FAIL, shown, f"bad expected_drift entry {e}", name) for e in errors]
    findings += to_findings(CHECK, shown, reconcile(problems, declared), name)
    return findings


def check_fixtures(fixtures: Path, models: Mapping[str, ModelFile]) -> tuple[list[Finding], int]:
    """Findings for every reply and input fixture, and how many fixture files were checked."""
    findings: list[Finding] = []
    count = 0
    for kind in ("replies", "inputs"):
        for path in sorted((fixtures / kind).glob("*/*.json")):
            count += 1
            findings.extend(_check_file(path, kind, models))
    return findings, count
