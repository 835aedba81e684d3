"""Read one side of a `diff`: a folder of model files, one model file, or a bare {"input", "output"} pair.

Every side becomes {model name: ModelSchemas}. Unreadable input raises `DiagnosticError` whose diagnostics
name the file and the JSON pointer, so the command can exit 2 with a clear message instead of a traceback.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.diagnostics import Diagnostic, DiagnosticError, Severity
from generator.load import check_schema, is_model_file, read_model_file


@dataclass(frozen=True)
class ModelSchemas:
    name: str
    file: str
    input: dict[str, Any] | None  # None: the model has no schema
    output: dict[str, Any] | None


def _read_pair(path: Path, doc: dict[str, Any]) -> ModelSchemas:
    shown = str(path)
    schemas: dict[str, dict[str, Any] | None] = {}
    problems: list[Diagnostic] = []
    for part in ("input", "output"):
        checked, found = check_schema(doc[part], shown, f"/{part}")
        problems.extend(d for d in found if d.severity is Severity.ERROR)
        schemas[part] = checked
    if problems:
        raise DiagnosticError(problems)
    name = doc["name"] if isinstance(doc.get("name"), str) else path.stem
    return ModelSchemas(name, shown, schemas["input"], schemas["output"])


def read_model(path: Path) -> ModelSchemas:
    """One file: a catalog model file, or a bare {"input": ..., "output": ...} pair (named after the file)."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        doc = None  # read_model_file below words the error precisely
    if isinstance(doc, dict) and "input" in doc and "output" in doc and "schema" not in doc:
        return _read_pair(path, doc)
    model, diagnostics = read_model_file(path)
    errors = [d for d in diagnostics if d.severity is Severity.ERROR]
    if model is None or errors:
        raise DiagnosticError(errors or [Diagnostic(str(path), "", "not a model file")])
    return ModelSchemas(model.id, model.display_path, model.input_schema, model.output_schema)


def read_side(path: Path) -> dict[str, ModelSchemas]:
    """All models of one side, by model name."""
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.is_file() and is_model_file(p))
    elif path.is_file():
        files = [path]
    else:
        raise DiagnosticError([Diagnostic(str(path), "", "no such file or folder")])
    models: dict[str, ModelSchemas] = {}
    errors: list[Diagnostic] = []
    for file in files:
        try:
            model = read_model(file)
        except DiagnosticError as exc:
            errors.extend(exc.diagnostics)
            continue
        if model.name in models:
            errors.append(
                Diagnostic(
                    model.file, "/name", f"model {model.name!r} also defined in {models[model.name].file}"
                )
            )
            continue
        models[model.name] = model
    if errors:
        raise DiagnosticError(errors)
    return models
