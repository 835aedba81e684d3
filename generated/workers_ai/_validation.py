# Copied by workers-ai-codegen from generator/runtime/_validation.py: edit it there.
"""Validate inputs against the model's JSON Schema and results against its output schema.

Inputs: the JSON Schema itself is the authority (it says `minLength: 1` where a pydantic model might not).
Each model's schema is compiled once with fastjsonschema (fast path: valid input costs one generated
function call); only when that rejects the input is jsonschema's Draft 2020-12 validator imported and run to
collect *every* failure with its JSON pointer. Draft 2020-12 decides: if it finds nothing, the input passes.

Outputs: by default (lenient) the generated pydantic model alone decides; those models allow extra fields
and widen enums, so an API that grew a field still parses. `strict=True` first checks the JSON result
against the output schema with every object closed (`additionalProperties: false`), then runs pydantic.
"""

from __future__ import annotations

import copy
import importlib
from collections.abc import Callable
from typing import Any

import fastjsonschema
from pydantic import BaseModel, ValidationError

from .errors import Issue

__all__ = [
    "SchemaValidator",
    "closed_schema",
    "json_pointer",
    "pydantic_issues",
    "validate_output",
]


def json_pointer(path: Any) -> str:
    """RFC 6901 pointer from a sequence of keys and indexes ("" is the whole document)."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)


class SchemaValidator:
    """A JSON Schema compiled once: `issues(value)` is [] when valid, else every failure with its pointer."""

    __slots__ = ("_fast", "_full", "schema")

    def __init__(self, schema: dict[str, Any]) -> None:
        self.schema = schema
        self._full: Any = None
        self._fast: Callable[[Any], Any] | None
        try:
            # use_default=False: fastjsonschema would otherwise write schema defaults into the caller's
            # dict; the server applies its own defaults. use_formats=False: `format` is an annotation in
            # Draft 2020-12 (and catalog formats such as "binary" mean nothing to a validator).
            # detailed_exceptions=False: the slow path below produces the messages.
            self._fast = fastjsonschema.compile(
                schema, use_default=False, use_formats=False, detailed_exceptions=False
            )
        except Exception:  # a schema fastjsonschema cannot compile: jsonschema alone decides
            self._fast = None

    def issues(self, value: Any) -> list[Issue]:
        if self._fast is not None:
            try:
                self._fast(value)
                return []
            except fastjsonschema.JsonSchemaException:
                pass
            except Exception:  # fastjsonschema chokes on an unusual value: let jsonschema decide
                pass
        return self._collect(value)

    def _collect(self, value: Any) -> list[Issue]:
        # jsonschema is imported lazily (only an invalid input needs it) and through importlib, which also
        # keeps mypy --strict independent of whether its stubs are installed.
        if self._full is None:
            validators = importlib.import_module("jsonschema.validators")
            self._full = validators.Draft202012Validator(self.schema)
        best_match = importlib.import_module("jsonschema.exceptions").best_match

        issues = []
        for error in sorted(self._full.iter_errors(value), key=lambda e: list(map(str, e.absolute_path))):
            if error.context:  # oneOf / anyOf: name the most relevant failure inside the branches
                error = best_match([error])
            issues.append(Issue(json_pointer(error.absolute_path), error.message))
        return issues


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
