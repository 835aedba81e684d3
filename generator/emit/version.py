"""The version of the generated `workers-ai` distribution, derived from the previous generated package.

Rule (README, "Use it in your application"): the previous output (its MANIFEST.json `version` and the
per-model schemas it shipped in `workers_ai/_schemas/`) is compared with the new catalog by the same
classifier as `python -m generator diff`:
- a breaking change (a removed model, a new required input, a removed output field, ...) or a public
  name of the previous package that the new one loses (`generator.emit.surface`): major + 1;
- otherwise an addition or a compatible change (a new model or task, a new optional input): minor + 1;
- otherwise, when anything else changed (a description, a model file's bytes, the generator): patch + 1;
- nothing changed: the same version, so a rerun writes the same bytes.
A folder without a previous package starts at FIRST_VERSION.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from generator.ir import Catalog

FIRST_VERSION = "1.0.0"
SCHEMAS_FOLDER = "workers_ai/_schemas"


def _read_previous(previous: Path) -> tuple[str, str, dict[str, Any]] | None:
    """(version, what it was made from, {model id: {"input", "output"}}) of a generated folder."""
    try:
        manifest = json.loads((previous / "MANIFEST.json").read_text(encoding="utf-8"))
        version = manifest["version"]
        fingerprint = json.dumps([manifest["generator"], manifest["inputs"]], sort_keys=True)
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


def change_level(
    previous_models: dict[str, Any], catalog: Catalog, anything_changed: bool, names_lost: bool = False
) -> str:
    """ "major", "minor", "patch" or "" (nothing changed), by the rule in this module's docstring."""
    from generator.schemadiff import Level, compare_sides
    from generator.schemadiff.sources import ModelSchemas

    old = {
        name: ModelSchemas(name, name, doc.get("input"), doc.get("output"))
        for name, doc in previous_models.items()
    }
    new = {m.id: ModelSchemas(m.id, m.display_path, m.input.schema, m.output.schema) for m in catalog.models}
    if set(old) - set(new) or names_lost:
        return "major"  # a removed model (compare_sides would pair a lone old model with a lone new one)
    levels = {change.level for change in compare_sides(old, new)}
    if Level.BREAKING in levels:
        return "major"
    if Level.OK in levels:
        return "minor"
    if Level.INFO in levels or anything_changed:
        return "patch"
    return ""


def package_version(previous: Path, catalog: Catalog, fingerprint: str, inputs: Mapping[str, str]) -> str:
    """The version for `catalog`, made by generator `fingerprint` from model files hashed as `inputs`."""
    found = _read_previous(previous)
    if found is None:
        return FIRST_VERSION
    version, old_fingerprint, models = found
    fingerprint = json.dumps([fingerprint, dict(inputs)], sort_keys=True)
    from generator.emit.surface import catalog_surface, lost_names, tree_surface

    names_lost = bool(lost_names(tree_surface(previous), catalog_surface(catalog)))
    return bump(version, change_level(models, catalog, old_fingerprint != fingerprint, names_lost))
