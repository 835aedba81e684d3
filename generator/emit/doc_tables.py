"""Field tables of a schema for the per-model Markdown pages."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Row:
    name: str
    type: str
    required: str
    default: str
    description: str


@dataclass(frozen=True)
class Table:
    title: str
    rows: tuple[Row, ...]


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def type_text(schema: Any) -> str:
    if not isinstance(schema, dict):
        return "any"
    if "const" in schema:
        return f"`{json.dumps(schema['const'])}`"
    if isinstance(schema.get("enum"), list):
        return " \\| ".join(f"`{json.dumps(v)}`" for v in schema["enum"][:12]) + (
            " ..." if len(schema["enum"]) > 12 else ""
        )
    for key in ("oneOf", "anyOf"):
        if isinstance(schema.get(key), list):
            return " or ".join(dict.fromkeys(type_text(b) for b in schema[key]))
    kind = schema.get("type")
    if isinstance(kind, list):
        return " or ".join(kind)
    if kind == "array":
        return f"array of {type_text(schema.get('items'))}"
    if kind == "string" and schema.get("format") == "binary":
        return "binary"
    if kind is None:
        return "object" if "properties" in schema else "any"
    return str(kind)


def _object_tables(schema: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    found: list[tuple[str, dict[str, Any]]] = []
    items = schema.get("items")
    if schema.get("type") == "array" and isinstance(items, dict):
        return [(f"Each item{' / ' + t if t else ''}", s) for t, s in _object_tables(items)]
    if isinstance(schema.get("properties"), dict):
        found.append(("", schema))
    for key in ("oneOf", "anyOf"):
        branches = schema.get(key)
        if isinstance(branches, list):
            for index, branch in enumerate(branches):
                if not isinstance(branch, dict):
                    continue
                title = str(branch.get("title") or f"Variant {index + 1}")
                if isinstance(branch.get("properties"), dict):
                    found.append((f"{title}", branch))
                else:
                    found.extend((f"{title} / {t}" if t else title, s) for t, s in _object_tables(branch))
    return found


def tables(schema: dict[str, Any] | None) -> list[Table]:
    if schema is None:
        return []
    result: list[Table] = []
    for title, obj in _object_tables(schema):
        required = set(obj.get("required") or [])
        rows = []
        for name, prop in obj["properties"].items():
            prop = prop if isinstance(prop, dict) else {}
            default = f"`{json.dumps(prop['default'])}`" if "default" in prop else ""
            rows.append(
                Row(
                    name=_cell(name),
                    type=_cell(type_text(prop)),
                    required="yes" if name in required else "",
                    default=_cell(default),
                    description=_cell(str(prop.get("description", ""))),
                )
            )
        result.append(Table(title, tuple(rows)))
    if not result:
        result.append(
            Table(
                "",
                (
                    Row(
                        "(whole value)",
                        _cell(type_text(schema)),
                        "yes",
                        "",
                        _cell(str(schema.get("description", ""))),
                    ),
                ),
            )
        )
    return result
