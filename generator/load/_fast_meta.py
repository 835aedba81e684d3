"""The JSON Schema Draft 2020-12 meta-schema as one draft-07 document, compiled by fastjsonschema.

`check_schema` asks this first: jsonschema's Draft202012Validator walks the meta-schema through
`$dynamicRef` (every subschema is re-resolved by URI), ~9 ms per catalog schema; the compiled check is
~0.3 ms. Only a schema it rejects goes to jsonschema, which stays the authority and names every error.

Flattening: the vocabulary meta-schemas' `properties` and `$defs` are merged into one document,
`$dynamicRef: "#meta"` becomes `$ref: "#"` (the whole meta-schema), and a `$ref` with siblings is
wrapped in `allOf` (draft-07 would ignore the siblings). Annotations (`title`, `default`,
`deprecated`, `$comment`) are dropped; `format` is ignored, as jsonschema ignores it without a format
checker.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import fastjsonschema
import jsonschema_specifications  # type: ignore[import-untyped]  # (jsonschema's own dependency; ships no types)
from jsonschema.validators import Draft202012Validator

__all__ = ["meta_schema_accepts"]

_BASE = "https://json-schema.org/draft/2020-12/"
_DROPPED = frozenset(
    {"$schema", "$id", "$vocabulary", "$dynamicAnchor", "title", "$comment", "deprecated", "default"}
)
_SCHEMA_MAPS = frozenset({"properties", "patternProperties", "dependentSchemas"})


def _rewrite(node: Any) -> Any:
    if isinstance(node, list):
        return [_rewrite(item) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in _SCHEMA_MAPS and isinstance(value, dict):
            out[key] = {name: _rewrite(sub) for name, sub in value.items()}
        elif key == "$dynamicRef":
            if value != "#meta":
                raise ValueError(f"unexpected $dynamicRef {value!r}")
            out["$ref"] = "#"
        elif key == "$ref":
            _, _, name = value.partition("#/$defs/")
            if not name:
                raise ValueError(f"unexpected $ref {value!r}")
            out["$ref"] = f"#/definitions/{name}"
        elif key not in _DROPPED and key != "allOf":
            out[key] = _rewrite(value)
    if "$ref" in out and len(out) > 1:
        out = {"allOf": [{"$ref": out.pop("$ref")}], **out}
    return out


def flattened_meta_schema() -> dict[str, Any]:
    meta = Draft202012Validator.META_SCHEMA
    documents = [meta] + [
        jsonschema_specifications.REGISTRY.contents(_BASE + part["$ref"]) for part in meta["allOf"]
    ]
    properties: dict[str, Any] = {}
    definitions: dict[str, Any] = {}
    for document in documents:
        if document.get("type", ["object", "boolean"]) != ["object", "boolean"]:
            raise ValueError("a vocabulary meta-schema changed its type")
        for name, sub in document.get("properties", {}).items():
            if properties.setdefault(name, sub) != sub:
                raise ValueError(f"vocabularies disagree on {name!r}")
        for name, sub in document.get("$defs", {}).items():
            if definitions.setdefault(name, sub) != sub:
                raise ValueError(f"vocabularies disagree on $defs/{name}")
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "type": ["object", "boolean"],
        "properties": {name: _rewrite(sub) for name, sub in properties.items()},
        "definitions": {name: _rewrite(sub) for name, sub in definitions.items()},
    }


@cache
def _compiled() -> Any:
    return fastjsonschema.compile(
        flattened_meta_schema(), use_formats=False, use_default=False, detailed_exceptions=False
    )


def meta_schema_accepts(schema: Any) -> bool:
    """True when the schema is certainly valid JSON Schema 2020-12; False means "ask jsonschema"."""
    try:
        _compiled()(schema)
    except fastjsonschema.JsonSchemaException:
        return False
    except Exception:  # anything unusual (a value fastjsonschema's code chokes on): let jsonschema decide
        return False
    return True
