"""How `diff` reads a schema: nullability, declared types, properties, enums, union branches.

Reading rules (documented in the README): `anyOf: [X, {"type": "null"}]`, `type: [X, "null"]` and
OpenAPI `nullable` are "X, nullable"; a schema without `type` but with `properties` (or `items`) is an
object (or array), because the catalog often leaves `type` to the parent and a diff that only adds
`"type": "object"` changes nothing; union branches are matched by `title`, and the rest by position.
"""

from __future__ import annotations

from typing import Any


def _is_null_schema(schema: Any) -> bool:
    return isinstance(schema, dict) and schema.get("type") == "null"


def split_nullable(schema: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """Read `anyOf/oneOf [X, null]`, `type: [X, "null"]` and OpenAPI `nullable` as (X, True)."""
    for key in ("anyOf", "oneOf"):
        branches = schema.get(key)
        if isinstance(branches, list) and len(branches) == 2 and sum(map(_is_null_schema, branches)) == 1:
            (other,) = [b for b in branches if not _is_null_schema(b)]
            if isinstance(other, dict):
                merged = {k: v for k, v in schema.items() if k != key}
                merged.update(other)
                return merged, True
    kind = schema.get("type")
    if isinstance(kind, list) and "null" in kind:
        rest = [t for t in kind if t != "null"]
        copy = dict(schema)
        if rest:
            copy["type"] = rest[0] if len(rest) == 1 else rest
        else:
            copy.pop("type")
        return copy, True
    if schema.get("nullable") is True:
        return {k: v for k, v in schema.items() if k != "nullable"}, True
    return schema, False


def declared_types(schema: dict[str, Any]) -> frozenset[str] | None:
    """The declared JSON types; None means any type."""
    kind = schema.get("type")
    if isinstance(kind, str):
        return frozenset({kind})
    if isinstance(kind, list):
        return frozenset(t for t in kind if isinstance(t, str))
    if "properties" in schema or "additionalProperties" in schema:
        return frozenset({"object"})
    if "items" in schema:
        return frozenset({"array"})
    return None


def covers(types: frozenset[str], kind: str) -> bool:
    return kind in types or (kind == "integer" and "number" in types)


def properties_of(schema: Any) -> dict[str, Any]:
    props = schema.get("properties") if isinstance(schema, dict) else None
    return props if isinstance(props, dict) else {}


def required_of(schema: dict[str, Any]) -> set[str]:
    names = schema.get("required")
    return {n for n in names if isinstance(n, str)} if isinstance(names, list) else set()


def enum_values(schema: dict[str, Any]) -> list[Any] | None:
    if isinstance(schema.get("enum"), list):
        return list(schema["enum"])
    if "const" in schema:
        return [schema["const"]]
    return None


def match_branches(old: list[Any], new: list[Any]) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Pairs (old index, new index) matched by title, then by position; then unmatched old and new."""

    def title(branch: Any) -> str | None:
        value = branch.get("title") if isinstance(branch, dict) else None
        return value if isinstance(value, str) else None

    pairs: list[tuple[int, int]] = []
    new_by_title = {title(b): i for i, b in enumerate(new) if title(b) is not None}
    for i, branch in enumerate(old):
        t = title(branch)
        if t is not None and t in new_by_title:
            pairs.append((i, new_by_title.pop(t)))
    used_old = {i for i, _ in pairs}
    used_new = {j for _, j in pairs}
    for i in range(min(len(old), len(new))):
        if i not in used_old and i not in used_new:
            pairs.append((i, i))
            used_old.add(i)
            used_new.add(i)
    removed = [i for i in range(len(old)) if i not in used_old]
    added = [j for j in range(len(new)) if j not in used_new]
    return sorted(pairs, key=lambda p: p[1]), removed, added
