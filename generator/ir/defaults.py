"""The default model of each task (what `client.<task>(...)` calls without `model=`).

Rule, in order:
1. `schemas/_defaults.json` names it (`{"defaults": {"<task slug>": "<model id>"}}`): an explicit choice,
   for tasks whose every model the rule skips, or where the oldest eligible model is a poor default.
2. Otherwise the oldest (`created_at`, then id) model that is not
   - a LoRA model or LoRA base model: property `lora: true`, or an id ending in `-lora`;
   - deprecated: a `planned_deprecation_date`/`deprecated` property, a `deprecated` tag, or a
     description that says it is deprecated;
   - beta: property `beta: true` or a `beta` tag.
   Oldest, because a model added later never changes an existing default.
3. A task whose every model is skipped and that the file does not name falls back to its oldest model,
   with a warning asking for an entry in the file.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from generator.diagnostics import Diagnostic, Severity

DEFAULTS_FILE = "_defaults.json"
_TRUE = ("true", True)


def skip_reason(raw: Mapping[str, Any]) -> str | None:
    """Why the rule never picks this catalog entry by itself ("lora" | "deprecated" | "beta"), or None."""
    props = {p.get("property_id"): p.get("value") for p in raw.get("properties") or [] if isinstance(p, dict)}
    tags = {str(t).lower() for t in raw.get("tags") or []}
    name = str(raw.get("name", ""))
    if props.get("lora") in _TRUE or name.endswith("-lora") or "lora" in tags:
        return "lora"
    description = str(raw.get("description", "")).lower()
    if (
        props.get("planned_deprecation_date")
        or props.get("deprecated") in _TRUE
        or "deprecated" in tags
        or "deprecated" in description
    ):
        return "deprecated"
    if props.get("beta") in _TRUE or "beta" in tags:
        return "beta"
    return None


def read_overrides(schemas: Path) -> tuple[dict[str, str], list[Diagnostic]]:
    """The `defaults` mapping of `schemas/_defaults.json` ({} when the file is absent)."""
    path = schemas / DEFAULTS_FILE
    if not path.exists():
        return {}, []
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return {}, [Diagnostic(str(path), "", f"cannot read: {exc}")]
    defaults = document.get("defaults") if isinstance(document, dict) else None
    if not isinstance(defaults, dict) or not all(isinstance(v, str) for v in defaults.values()):
        return {}, [Diagnostic(str(path), "/defaults", "expected an object of task slug -> model id")]
    return {str(k): v for k, v in defaults.items()}, []


def choose(
    slug: str, members: Iterable[tuple[str, str, Mapping[str, Any]]], overrides: Mapping[str, str]
) -> tuple[str, list[Diagnostic]]:
    """The default model id of task `slug` among `members` (id, created_at, raw catalog entry)."""
    ordered = sorted(members, key=lambda m: (m[1] or "9999", m[0]))
    chosen = overrides.get(slug)
    if chosen is not None and any(chosen == model_id for model_id, _, _ in ordered):
        return chosen, []
    notes = []
    if chosen is not None:
        problem = f"default for task {slug!r} names {chosen!r}, which is not a model of that task"
        notes.append(Diagnostic(DEFAULTS_FILE, f"/defaults/{slug}", problem))
    eligible = [m for m in ordered if skip_reason(m[2]) is None]
    if eligible:
        return eligible[0][0], notes
    note = f"every model of task {slug!r} is LoRA, deprecated or beta; name its default in {DEFAULTS_FILE}"
    return ordered[0][0], [*notes, Diagnostic(DEFAULTS_FILE, f"/defaults/{slug}", note, Severity.WARNING)]
