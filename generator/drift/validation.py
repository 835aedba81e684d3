"""Validate JSON documents against catalog schemas, collecting every error with its JSON pointer.

The catalog's `contentType` keyword is not JSON Schema. Draft 2020-12 ignores unknown keywords, so it
never affects validation. Which output variants describe a JSON body and which content types a reply may
have is the IR's decision (`output_reading`), the same one the client is generated from.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from jsonschema.exceptions import ValidationError
from jsonschema.validators import Draft202012Validator

from generator.diagnostics import json_pointer
from generator.drift.findings import Problem
from generator.emit.prepare import output_validation_schema
from generator.ir.build import build_input, build_output
from generator.ir.model import OutputSpec
from generator.schema import is_json_media_type, json_type, media_type


def output_reading(output: dict[str, Any], input_schema: Any) -> OutputSpec:
    """The IR's reading of an output schema (content types, JSON part), exactly as the client gets it.

    Whether the model streams (its input has a boolean `stream`) decides what an untyped binary variant is.
    """
    streams = isinstance(input_schema, dict) and build_input(input_schema).has_stream_flag
    return build_output(output, streams)


def json_result_schema(spec: OutputSpec) -> dict[str, Any] | None:
    """The schema a JSON `result` is validated against: the IR's JSON part, unions read as the client
    reads them (`oneOf` as `anyOf`, see `output_validation_schema`); None if the output is binary only."""
    return output_validation_schema(spec.json_schema) if spec.json_schema is not None else None


def is_json_content_type(content_type: str | None) -> bool:
    return is_json_media_type(media_type(content_type))


def _problems_of(error: ValidationError, prefix: tuple[str | int, ...]) -> Iterator[Problem]:
    path = (*prefix, *error.absolute_path)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
        for key in sorted(k for k in error.instance if k not in allowed):
            declared = f" (declared: {sorted(allowed)})" if allowed else ""
            yield Problem(
                "unknown_property",
                json_pointer((*path, key)),
                f"property {key!r} is not in the schema{declared}",
            )
        return
    yield Problem("schema", json_pointer(path), _short_message(error))


def _short_message(error: ValidationError) -> str:
    """jsonschema repeats the whole failing value in its message; keep lines readable for big values."""
    if error.validator == "type":
        return f"{json_type(error.instance)} is not of type {error.validator_value!r}"
    message = error.message
    shown = repr(error.instance)
    if len(shown) > 60 and shown in message:
        message = message.replace(shown, f"the {json_type(error.instance)}")
    return message if len(message) <= 200 else f"{message[:90]} ... {message[-90:]}"


def validate(instance: Any, schema: dict[str, Any], prefix: tuple[str | int, ...] = ()) -> list[Problem]:
    """Every validation error (not only the first), each at its JSON pointer, in document order."""
    errors = Draft202012Validator(schema).iter_errors(instance)
    problems = [p for e in errors for p in _problems_of(e, prefix)]
    return sorted(problems, key=lambda p: (p.pointer, p.kind, p.message))


def validate_result(
    instance: Any, schema: dict[str, Any], prefix: tuple[str | int, ...] = ()
) -> list[Problem]:
    """`validate`, plus a hint on the root error when the result is wrapped in an extra object.

    Turns "object is not of type 'array'" into "... 'response' alone is a valid result", which is the
    actual defect in pages like image-classification (`{inputs, response}`) and the seed (`{items}`).
    """
    problems = validate(instance, schema, prefix)
    if not isinstance(instance, dict) or not problems:
        return problems
    validator = Draft202012Validator(schema)
    inner = [key for key in sorted(instance) if validator.is_valid(instance[key])]
    if not inner:
        return problems
    hint = f"; the result is wrapped in an object with keys {sorted(instance)}: " + ", ".join(
        f"{key!r} alone is a valid result" for key in inner
    )
    # The hint goes on the error about the whole result, or else on the unknown wrapper key itself.
    root = json_pointer(prefix)
    targets = (
        {root} if any(p.pointer == root for p in problems) else {json_pointer((*prefix, k)) for k in inner}
    )
    return [Problem(p.kind, p.pointer, p.message + hint) if p.pointer in targets else p for p in problems]


def describe_json_error(exc: json.JSONDecodeError, first_line: int = 1) -> str:
    """`line/column` of a JSON error, shifted to the line of the file the JSON text starts on."""
    return f"invalid JSON at line {exc.lineno + first_line - 1}, column {exc.colno}: {exc.msg}"
