"""Read a whole schema folder: every model file, in a stable order, duplicates reported."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.diagnostics import Diagnostic, Severity
from generator.load.files import ModelFile, is_model_file, read_model_file


@dataclass(frozen=True)
class LoadResult:
    models: tuple[ModelFile, ...]
    diagnostics: tuple[Diagnostic, ...]

    @property
    def ok(self) -> bool:
        return not any(d.severity is Severity.ERROR for d in self.diagnostics)


def load_schemas(folder: Path) -> LoadResult:
    diagnostics: list[Diagnostic] = []
    if not folder.is_dir():
        return LoadResult((), (Diagnostic(str(folder), "", "schema folder does not exist"),))
    paths = sorted(p for p in folder.iterdir() if p.is_file() and is_model_file(p))
    if not paths:
        diagnostics.append(Diagnostic(str(folder), "", "no model files (*.json) in the schema folder"))
    models: list[ModelFile] = []
    first_file_of: dict[str, str] = {}
    for path in paths:
        model, found = read_model_file(path, display_path=str(path))
        diagnostics.extend(found)
        if model is None:
            continue
        if model.id in first_file_of:
            diagnostics.append(
                Diagnostic(
                    model.display_path,
                    "/name",
                    f"model name {model.id!r} is also defined in {first_file_of[model.id]}",
                )
            )
            continue
        first_file_of[model.id] = model.display_path
        models.append(model)
    return LoadResult(tuple(models), tuple(diagnostics))
