"""Boolean and unsatisfiable subschemas, made typeable for datamodel-code-generator.

JSON Schema allows `true`/`false` as subschemas and `enum: []`; datamodel-code-generator refuses, e.g., an
`allOf` holding `false` ("unsatisfiable"). The generated *types* only need the nearest safe type, because
input validation runs on the untouched schema and stays exact: a `false` branch of a union is dropped, a
`true` branch (anything goes) widens the union to Any, and a schema no value can match (`false` in an
`allOf`, a union of only `false`, an empty `enum`) is typed Any, keeping its description.
"""

from __future__ import annotations

from typing import Any

__all__ = ["typeable"]

_KEPT_WHEN_ANY = ("title", "description", "default")


def _any_of(node: dict[str, Any]) -> dict[str, Any]:
    return {k: node[k] for k in _KEPT_WHEN_ANY if k in node}


def _simplify(node: dict[str, Any]) -> dict[str, Any]:
    parts = node.get("allOf")
    if isinstance(parts, list):
        if any(part is False for part in parts):
            return _any_of(node)
        kept = [part for part in parts if part is not True]
        node = {k: v for k, v in node.items() if k != "allOf"} | ({"allOf": kept} if kept else {})
    for key in ("anyOf", "oneOf"):
        branches = node.get(key)
        if not isinstance(branches, list):
            continue
        if any(branch is True for branch in branches):
            node = {k: v for k, v in node.items() if k != key}
            continue
        kept = [branch for branch in branches if branch is not False]
        if not kept:
            return _any_of(node)
        node = {**node, key: kept}
    if node.get("enum") == []:
        return _any_of(node)
    return node


def typeable(schema: Any) -> Any:
    """A copy of `schema` without boolean subschemas in unions and intersections, and without
    subschemas that no value can match (each becomes Any)."""
    if isinstance(schema, list):
        return [typeable(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    return _simplify({key: typeable(value) for key, value in schema.items()})
