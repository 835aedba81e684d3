"""Compare the local schema folder with the fetched catalog: what would be added, removed or changed.

"Changed" means the schema differs (classified by `generator.schemadiff`). A model whose schema is the
same but whose metadata (description, price properties, ...) moved is reported as metadata-only: it is
not drift for the generated client, but `sync` still rewrites its file.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.load import is_model_file
from generator.schemadiff import Change, Level, ModelSchemas, compare_model
from generator.sync.documents import file_name_candidates, ordered_like, schema_of, serialize
from generator.sync.errors import SchemaFolderError


@dataclass(frozen=True)
class LocalModel:
    name: str
    path: Path
    text: str
    document: dict[str, Any]


@dataclass(frozen=True)
class ChangedModel:
    local: LocalModel
    document: dict[str, Any]
    changes: list[Change]


@dataclass
class SyncPlan:
    added: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # (file name, document)
    removed: list[LocalModel] = field(default_factory=list)
    changed: list[ChangedModel] = field(default_factory=list)
    metadata_only: list[LocalModel] = field(default_factory=list)
    # Listed by the catalog, but its schema could not be read: (name, local file or None, why).
    unreadable: list[tuple[str, LocalModel | None, str]] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)  # the model files of the new folder

    @property
    def has_drift(self) -> bool:
        return bool(self.added or self.removed or self.changed or self.unreadable)

    @property
    def breaking_count(self) -> int:
        """Breaking schema changes, plus one per removed model: its users' calls stop working."""
        return len(self.removed) + sum(c.level is Level.BREAKING for m in self.changed for c in m.changes)


def read_local(folder: Path) -> dict[str, LocalModel]:
    if not folder.is_dir():
        raise SchemaFolderError(f"{folder}: schema folder does not exist")
    models: dict[str, LocalModel] = {}
    for path in sorted(p for p in folder.iterdir() if p.is_file() and is_model_file(p)):
        try:
            text = path.read_text(encoding="utf-8")
            document = json.loads(text)
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise SchemaFolderError(
                f"{path}: cannot read model file ({exc}); fix or remove it before syncing"
            ) from None
        name = document.get("name") if isinstance(document, dict) else None
        if not isinstance(name, str):
            raise SchemaFolderError(f"{path}#/name: model file has no model name")
        if name in models:
            raise SchemaFolderError(f"{path}#/name: model {name!r} is also defined in {models[name].path}")
        models[name] = LocalModel(name, path, text, document)
    return models


def _schemas(name: str, file: str, document: dict[str, Any]) -> ModelSchemas:
    schema = schema_of(document)
    return ModelSchemas(name, file, schema.get("input"), schema.get("output"))


def make_plan(
    local: dict[str, LocalModel],
    remote: dict[str, dict[str, Any]],
    unreadable: Mapping[str, str] | None = None,
) -> SyncPlan:
    """`unreadable`: models the catalog lists whose schema could not be fetched; a local file of theirs
    is kept as it is (neither changed nor removed)."""
    plan = SyncPlan()
    for name, reason in sorted((unreadable or {}).items()):
        current = local.get(name)
        plan.unreadable.append((name, current, reason))
        if current is not None:
            plan.files[current.path.name] = current.text
    # New files follow the folder's newline convention (the catalog files have none).
    newline = any(m.text.endswith("\n") for m in local.values())
    taken = {m.path.name for m in local.values()}
    for name in sorted(remote):
        document = remote[name]
        current = local.get(name)
        if current is None:
            file_name = next((c for c in file_name_candidates(name) if c not in taken), None)
            if file_name is None:
                raise SchemaFolderError(
                    f"no free file name for new model {name!r} (tried {file_name_candidates(name)})"
                )
            taken.add(file_name)
            plan.added.append((file_name, document))
            plan.files[file_name] = serialize(document, newline)
            continue
        if document == current.document:
            # Same content: keep the file's bytes (the catalog files differ in indentation and number style).
            plan.files[current.path.name] = current.text
            continue
        document = ordered_like(document, current.document)
        plan.files[current.path.name] = serialize(document, current.text.endswith("\n"))
        if schema_of(current.document) != schema_of(document):
            file = str(current.path)
            changes = compare_model(_schemas(name, file, current.document), _schemas(name, file, document))
            plan.changed.append(ChangedModel(current, document, changes))
        else:
            plan.metadata_only.append(current)
    plan.removed = [
        m for name, m in sorted(local.items()) if name not in remote and name not in (unreadable or {})
    ]
    return plan
