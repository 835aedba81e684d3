# Copied by workers-ai-codegen from generator/runtime/_validation.py: edit it there.
"""Validate inputs against the model's JSON Schema and results against its output schema.

Inputs: the JSON Schema itself is the authority (it says `minLength: 1` where a pydantic model might not),
read as Draft 2020-12. Each model's schema is compiled once with jsonschema-rs, a complete 2020-12
implementation in Rust (valid input costs one native call and no Python per keyword); it gives the verdict.
Only a rejected input imports jsonschema, whose errors keep the schema structure needed to explain a failure
readably (`_explain`). Neither ever fetches a remote `$ref`: validation must not touch the network.

Outputs: by default (lenient) the generated pydantic model alone decides; those models allow extra fields
and widen enums, so an API that grew a field still parses. `strict=True` first checks the JSON result
against the output schema with every object closed (`additionalProperties: false`), then runs pydantic.
"""

from __future__ import annotations

import copy
from typing import Any

import jsonschema_rs
from pydantic import BaseModel, ValidationError

from ._explain import explain, json_pointer, native_issues, offline_validator
from .errors import Issue

__all__ = [
    "SchemaValidator",
    "closed_schema",
    "json_pointer",
    "pydantic_issues",
    "validate_output",
]


class SchemaValidator:
    """A JSON Schema compiled once: `issues(value)` is [] when valid, else every failure with its pointer."""

    __slots__ = ("_fast", "_full", "schema")

    def __init__(self, schema: dict[str, Any] | bool) -> None:
        self.schema = schema
        self._full: Any = None
        self._fast: Any
        try:
            # validate_formats=False: `format` is an annotation in Draft 2020-12 (and catalog formats such
            # as "binary" mean nothing to a validator). offline=True: a remote `$ref` is an error, not a fetch.
            self._fast = jsonschema_rs.Draft202012Validator(schema, validate_formats=False, offline=True)
        except Exception:  # a schema jsonschema-rs refuses to compile: jsonschema alone decides
            self._fast = None

    def issues(self, value: Any) -> list[Issue]:
        if self._fast is None:
            return explain(self._explainer(), value)
        try:
            if self._fast.is_valid(value):
                return []
        except ValueError:  # a Python value with no JSON counterpart (bytes, a set): jsonschema decides
            return explain(self._explainer(), value)
        # The verdict is jsonschema-rs's; if jsonschema cannot say why, jsonschema-rs's own words are used.
        return explain(self._explainer(), value) or native_issues(self._fast, value)

    def accepts(self, value: Any) -> bool:
        """The verdict alone (no explanation is built for a rejected value)."""
        if self._fast is not None:
            try:
                return bool(self._fast.is_valid(value))
            except ValueError:
                pass
        return not explain(self._explainer(), value)

    def _explainer(self) -> Any:
        if self._full is None:
            self._full = offline_validator(self.schema)
        return self._full


_COMBINATORS = ("oneOf", "anyOf", "allOf")


def closed_schema(schema: Any) -> Any:
    """A copy where every object schema that lists `properties` and says nothing about
    `additionalProperties` gets `additionalProperties: false` (used by strict output checks).

    An object that also has oneOf/anyOf/allOf is left open, and so are those branches: closing either side
    would reject the keys the other side declares.
    """

    def close(node: Any, open_: bool = False) -> Any:
        if isinstance(node, list):
            return [close(item) for item in node]
        if not isinstance(node, dict):
            return node
        combined = any(key in node for key in _COMBINATORS)
        has_properties = isinstance(node.get("properties"), dict)
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key in _COMBINATORS and isinstance(value, list):
                out[key] = [close(branch, open_=has_properties) for branch in value]
            else:
                out[key] = close(value)
        # `properties` must itself map names to schemas (a property named "properties" is reached by
        # the recursion above, as a value inside that mapping).
        if has_properties and not combined and not open_ and "additionalProperties" not in node:
            out["additionalProperties"] = False
        return out

    return close(copy.deepcopy(schema))


_UNKNOWN: Any = object()
_SCALAR_TAGS = frozenset({"str", "int", "float", "bool", "bytes", "none", "list", "dict", "is-instance"})


def _is_union_tag(item: int | str) -> bool:
    return isinstance(item, str) and ("[" in item or item[:1].isupper() or item in _SCALAR_TAGS)


def _loc_to_pointer(loc: tuple[int | str, ...], data: Any) -> str:
    """Pydantic `loc` -> JSON pointer into `data`, skipping the union-member tags pydantic inserts
    (e.g. `('list[Item]', 0, 'score')` -> `/0/score`) by walking `data` alongside."""
    parts: list[int | str] = []
    current = data
    for item in loc:
        if isinstance(current, dict):
            if item in current:
                current = current[item]
            elif _is_union_tag(item):
                continue
            else:
                current = _UNKNOWN
        elif isinstance(current, list):
            if isinstance(item, int):
                current = current[item] if 0 <= item < len(current) else _UNKNOWN
            elif _is_union_tag(item):
                continue
            else:
                current = _UNKNOWN
        elif current is not _UNKNOWN:
            continue  # a scalar has no members: what follows names a union branch
        parts.append(item)
    return json_pointer(parts)


def pydantic_issues(error: ValidationError, data: Any) -> list[Issue]:
    return [Issue(_loc_to_pointer(tuple(e["loc"]), data), e["msg"]) for e in error.errors()]


def validate_output(
    output_type: type[BaseModel], result: Any, strict: SchemaValidator | None
) -> BaseModel | list[Issue]:
    """Parse `result` into `output_type`; with `strict`, check it against the closed schema first.
    Returns the model, or the list of issues when it does not fit."""
    if strict is not None:
        issues = strict.issues(result)
        if issues:
            return issues
    try:
        return output_type.model_validate(result)
    except ValidationError as exc:
        return pydantic_issues(exc, result)
