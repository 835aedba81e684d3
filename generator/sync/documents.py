"""Catalog model files as sync writes them: the same keys, key order and layout as the committed ones.

A model whose content did not change keeps its file byte for byte (the catalog files vary: tabs or 4
spaces, `0.00000251` or `2.51e-06`, with or without a trailing newline). A changed file is written as
`json.dumps(doc, indent=4, ensure_ascii=False)`, like most of them, in its old key order and keeping its
own trailing-newline convention; new files follow the folder's.
"""

from __future__ import annotations

import json
import re
from typing import Any

# Usual key order of the catalog files; other keys the search API returns (e.g. `deprecated`) follow them.
MODEL_KEYS = ("id", "source", "name", "description", "task", "created_at", "tags", "properties")


def model_document(summary: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """A catalog model file from one `/models/search` item and its `/models/schema` result."""
    document = {key: summary[key] for key in MODEL_KEYS if key in summary}
    document.update({key: value for key, value in summary.items() if key not in document and key != "schema"})
    if "input" in schema and "output" in schema:
        document["schema"] = {"input": schema["input"], "output": schema["output"]}
    return document


def ordered_like(document: dict[str, Any], template: dict[str, Any]) -> dict[str, Any]:
    """`document` with its keys in the order `template` has them (new keys last), so re-synced files
    keep their layout and an unchanged model stays byte-identical."""
    ordered: dict[str, Any] = {}
    for key in [*[k for k in template if k in document], *[k for k in document if k not in template]]:
        value, old = document[key], template.get(key)
        ordered[key] = (
            ordered_like(value, old) if isinstance(value, dict) and isinstance(old, dict) else value
        )
    return ordered


def schema_of(document: dict[str, Any]) -> dict[str, Any]:
    """The `schema` object, with a missing one and `{}` read alike (models without schema)."""
    schema = document.get("schema")
    return schema if isinstance(schema, dict) else {}


def serialize(document: dict[str, Any], trailing_newline: bool) -> str:
    return json.dumps(document, indent=4, ensure_ascii=False) + ("\n" if trailing_newline else "")


def file_name_candidates(model_name: str) -> list[str]:
    """File names for a new model, most wanted first: `<last segment>.json`, then `<author>-<last>.json`."""
    parts = [
        re.sub(r"[^A-Za-z0-9._-]+", "-", p) for p in model_name.split("/") if p and p not in ("@cf", "@hf")
    ]
    parts = [p.lstrip("._-") or "model" for p in parts] or ["model"]
    candidates = [f"{parts[-1]}.json"]
    if len(parts) >= 2:
        candidates.append(f"{parts[-2]}-{parts[-1]}.json")
    candidates.append("-".join(parts) + ".json")
    return candidates
