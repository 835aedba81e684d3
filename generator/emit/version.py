"""The version of the generated `workers-ai` distribution, derived from the previous generated package.

Rule (README, "Use it in your application"): the previous output (its MANIFEST.json `version` and the
per-model schemas it shipped in `workers_ai/_schemas/`) is compared with the new catalog by the same
classifier as `python -m generator diff`:
- a breaking change (a removed model, a new required input, a removed output field, ...): major + 1;
- otherwise an addition or a compatible change (a new model or task, a new optional input): minor + 1;
- otherwise, when only descriptions changed or the generator itself changed: patch + 1;
- nothing changed: the same version, so a rerun writes the same bytes.
A folder without a previous package starts at FIRST_VERSION.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from generator.ir import Catalog

FIRST_VERSION = "1.0.0"
SCHEMAS_FOLDER = "workers_ai/_schemas"


def _read_previous(previous: Path) -> tuple[str, str, dict[str, Any]] | None:
    """(version, generator fingerprint, {model id: {"input", "output"}}) of a generated folder."""
    try:
        manifest = json.loads((previous / "MANIFEST.json").read_text(encoding="utf-8"))
        version, fingerprint = manifest["version"], manifest["generator"]
        models: dict[str, Any] = {}
        for path in sorted((previous / SCHEMAS_FOLDER).glob("*.json")):
            document = json.loads(path.read_text(encoding="utf-8"))
            models[document["model"]] = document
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not isinstance(version, str) or len(version.split(".")) != 3:
        return None
    return version, str(fingerprint), models


def bump(version: str, level: str) -> str:
    major, minor, patch = (int(part) for part in version.split("."))
    if level == "major":
        return f"{major + 1}.0.0"
    if level == "minor":
        return f"{major}.{minor + 1}.0"
    if level == "patch":
        return f"{major}.{minor}.{patch + 1}"
    return version


def change_level(previous_models: dict[str, Any], catalog: Catalog, generator_changed: bool) -> str:
    """ "major", "minor", "patch" or "" (nothing changed), by the rule in this module's docstring."""
    from generator.schemadiff import Level, compare_sides
    from generator.schemadiff.sources import ModelSchemas

    old = {
        name: ModelSchemas(name, name, doc.get("input"), doc.get("output"))
        for name, doc in previous_models.items()
    }
    new = {m.id: ModelSchemas(m.id, m.file, m.input.schema, m.output.schema) for m in catalog.models}
    if set(old) - set(new):
        return "major"  # a removed model (compare_sides would pair a lone old model with a lone new one)
    levels = {change.level for change in compare_sides(old, new)}
    if Level.BREAKING in levels:
        return "major"
    if Level.OK in levels:
        return "minor"
    if Level.INFO in levels or generator_changed:
        return "patch"
    return ""


def package_version(previous: Path, catalog: Catalog, fingerprint: str) -> str:
    found = _read_previous(previous)
    if found is None:
        return FIRST_VERSION
    version, old_fingerprint, models = found
    return bump(version, change_level(models, catalog, old_fingerprint != fingerprint))
