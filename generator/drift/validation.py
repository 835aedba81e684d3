"""Validate JSON documents against catalog schemas, collecting every error with its JSON pointer.

The catalog's `contentType` keyword is not JSON Schema. Draft 2020-12 ignores unknown keywords, so it
never affects validation; we only read it to choose which output variants describe a JSON body and which
content types a binary reply may have.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

from jsonschema.exceptions import ValidationError
from jsonschema.validators import Draft202012Validator

from generator.diagnostics import json_pointer
from generator.drift.findings import Problem
from generator.emit.prepare import output_validation_schema
from generator.schema import JSON, is_json_media_type, json_type, media_type, union_of, walk_schemas


def declared_content_types(schema: dict[str, Any]) -> set[str]:
    """Content types the output schema declares (root and each oneOf/anyOf variant); JSON if none."""
    found = {media_type(schema["contentType"])} if isinstance(schema.get("contentType"), str) else set()
    variants = union_of(schema)
    for branch in variants[1] if variants else []:
        if isinstance(branch, dict) and isinstance(branch.get("contentType"), str):
            found.add(media_type(branch["contentType"]))
    return found or {JSON}


def json_output_schema(schema: dict[str, Any]) -> dict[str, Any] | None:
    """The part of an output schema that describes a JSON body; None if the output is binary only.

    A variant without its own `contentType` inherits the root's (JSON when neither says). Unions
    are read as the client reads them (`oneOf` as `anyOf`, see `output_validation_schema`), so a
    fixture passes exactly when the client would accept it in strict mode.
    """
    json_part = _json_part(schema)
    return output_validation_schema(json_part) if json_part is not None else None


def _json_part(schema: dict[str, Any]) -> dict[str, Any] | None:
    root_type = schema.get("contentType")
    if isinstance(root_type, str) and not is_json_media_type(root_type) and union_of(schema) is None:
        return None
    variants = union_of(schema)
    if variants is None:
        return schema
    key, branches = variants
    inherited = root_type if isinstance(root_type, str) else JSON
    kept = [
        b for b in branches if not isinstance(b, dict) or is_json_media_type(b.get("contentType", inherited))
    ]
    if not kept:
        return None
    rest = {k: v for k, v in schema.items() if k != key}
    if len(kept) == 1 and isinstance(kept[0], dict):
        return {**rest, **kept[0]}
    return {**rest, key: kept}


def closed_objects(schema: dict[str, Any]) -> dict[str, Any]:
    """A copy where objects that list `properties` reject other keys (for checking docs examples).

    JSON Schema allows unknown keys by default, which would let `{"summary": ...}` pass a schema that
    declares `description`; a documented example should only use declared fields. Objects combined with
    oneOf/anyOf/allOf are left open, since closing them would reject the other branches' keys.
    """
    closed = copy.deepcopy(schema)
    for node, _ in walk_schemas(closed):
        combined = any(k in node for k in ("oneOf", "anyOf", "allOf"))
        if isinstance(node.get("properties"), dict) and "additionalProperties" not in node and not combined:
            node["additionalProperties"] = False
    return closed


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
