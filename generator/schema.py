"""What every stage needs to know about a JSON Schema document, in one place.

- the tree walk (`walk_schemas`) over every subschema, iterative so hostile depth cannot blow the stack;
- JSON types of values (`json_type`);
- the catalog's shapes: unions (`union_of`, `branches`), binary strings (`is_binary_string`);
- the one canonical JSON text of a value (`canonical_json`) and its hash (`json_hash`): equal values,
  whatever their key order, give equal text; names derived from content (a short hash suffix) and
  cache keys both come from it, so it must never change form;
- media types (`JSON`, `EVENT_STREAM`, `OCTET_STREAM`, `media_type`, `is_json_media_type`), re-exported
  from the client's runtime (`generator/runtime/_media.py`), which defines them;
- JSON pointers read back (`pointer_tokens`, `resolves`; `diagnostics.json_pointer` writes them);
- free text as generated code prints it (`clean_text`).

Nothing here imports jsonschema or any pipeline stage: load, ir, emit, drift and schemadiff all import it.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

# Media types are defined once, in the client's runtime, which reads responses by them; the generator
# imports that module as it is.
from generator.runtime._media import EVENT_STREAM, JSON, OCTET_STREAM, is_json_media_type, media_type

__all__ = [
    "EVENT_STREAM",
    "JSON",
    "OCTET_STREAM",
    "SchemaPath",
    "branches",
    "canonical_json",
    "clean_text",
    "is_binary_string",
    "is_json_media_type",
    "json_hash",
    "json_type",
    "media_type",
    "pointer_tokens",
    "resolves",
    "unescape_token",
    "union_of",
    "walk_schemas",
]

SchemaPath = tuple[str | int, ...]

# Subschema-holding keywords whose value is a dict of name -> schema, a list of schemas, or one schema.
_SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
_SCHEMA_LISTS = ("oneOf", "anyOf", "allOf", "prefixItems")
_SCHEMA_SINGLES = ("items", "additionalProperties", "not", "if", "then", "else", "contains", "propertyNames")
_UNION_KEYWORDS = ("oneOf", "anyOf")


def walk_schemas(schema: Any, path: SchemaPath = ()) -> Iterator[tuple[dict[str, Any], SchemaPath]]:
    """Every subschema (dicts only) with its path, parents first; iterative for hostile depth."""
    stack: list[tuple[Any, SchemaPath]] = [(schema, path)]
    while stack:
        node, where = stack.pop()
        if not isinstance(node, dict):
            continue
        yield node, where
        children: list[tuple[Any, SchemaPath]] = []
        for key in _SCHEMA_MAPS:
            value = node.get(key)
            if isinstance(value, dict):
                children.extend((sub, (*where, key, name)) for name, sub in value.items())
        for key in _SCHEMA_LISTS:
            value = node.get(key)
            if isinstance(value, list):
                children.extend((sub, (*where, key, i)) for i, sub in enumerate(value))
        for key in _SCHEMA_SINGLES:
            if key in node:
                children.append((node[key], (*where, key)))
        stack.extend(reversed(children))


def json_type(value: Any) -> str:
    """The JSON Schema type name of a parsed JSON value ('integer' for ints, never 'number')."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if value is None:
        return "null"
    return "array" if isinstance(value, list) else "object"


def union_of(schema: Any) -> tuple[str, list[Any]] | None:
    """The schema's `oneOf` (else `anyOf`) keyword and its branches; None when it is not a union."""
    if isinstance(schema, dict):
        for key in _UNION_KEYWORDS:
            if isinstance(schema.get(key), list):
                return key, list(schema[key])
    return None


def branches(schema: Any) -> list[Any]:
    """The branches of the schema's `oneOf` (else `anyOf`); empty when it is not a union."""
    union = union_of(schema)
    return union[1] if union else []


def is_binary_string(schema: Any) -> bool:
    """`{"type": "string", "format": "binary"}`: raw bytes (a request body, or a binary answer)."""
    return isinstance(schema, dict) and schema.get("type") == "string" and schema.get("format") == "binary"


def canonical_json(value: Any) -> str:
    """The JSON text of `value` with sorted keys: equal values give equal text."""
    return json.dumps(value, sort_keys=True)


def json_hash(value: Any) -> str:
    """sha256 (hex) of `canonical_json(value)`."""
    return hashlib.sha256(canonical_json(value).encode()).hexdigest()


def unescape_token(token: str) -> str:
    """One JSON pointer reference token as the key it names: '~1' is '/', '~0' is '~' (RFC 6901)."""
    return token.replace("~1", "/").replace("~0", "~")


def pointer_tokens(pointer: str) -> tuple[str, ...]:
    """'/properties/a~1b/0' -> ('properties', 'a/b', '0'); '' (the whole document) -> ()."""
    return tuple(unescape_token(token) for token in pointer.split("/")[1:])


# What `follow` returns for tokens that lead nowhere (None is a JSON value, so it cannot say that).
MISSING: Any = object()


def follow(document: Any, tokens: Iterable[str]) -> Any:
    """The part of `document` these reference tokens lead to (list items by index), or MISSING."""
    node = document
    for token in tokens:
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return MISSING
    return node


def resolves(document: Any, tokens: Iterable[str]) -> bool:
    """Whether these reference tokens lead somewhere in `document` (list items by index)."""
    return follow(document, tokens) is not MISSING


# Control characters (C0 but tab and newline, DEL, C1, Unicode line separators): Python counts
# several as whitespace or line breaks, and rejects NUL in source, so in a generated docstring they
# break the module or leave trailing whitespace that lint rejects.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def clean_text(text: str) -> str:
    """Free text (a description) as generated code prints it: no control characters or trailing spaces."""
    return "\n".join(line.rstrip() for line in _CONTROL.sub(" ", text).split("\n")).strip()
