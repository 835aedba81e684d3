"""Boolean and unsatisfiable subschemas get the nearest safe type; the generator reports every model's
code-generation error of a run at once."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

import generator.emit.pydantic_models as pydantic_models
from generator.diagnostics import Diagnostic, DiagnosticError
from generator.emit.satisfiable import typeable
from generator.pipeline import generate

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("schema", "typed"),
    [
        ({"allOf": [True, {"type": "integer"}]}, {"allOf": [{"type": "integer"}]}),
        ({"allOf": [{"type": "integer"}, False], "description": "d"}, {"description": "d"}),
        ({"anyOf": [False, {"type": "string"}]}, {"anyOf": [{"type": "string"}]}),
        ({"oneOf": [True, {"type": "string"}], "title": "T"}, {"title": "T"}),
        ({"oneOf": [False, False]}, {}),
        ({"enum": [], "default": 1}, {"default": 1}),
        (
            {"type": "object", "properties": {"a": {"anyOf": [False, {"type": "null"}]}}},
            {"type": "object", "properties": {"a": {"anyOf": [{"type": "null"}]}}},
        ),
        ({"properties": {"a": False}, "items": True}, {"properties": {"a": False}, "items": True}),
    ],
)
def test_typeable(schema: dict[str, Any], typed: dict[str, Any]) -> None:
    assert typeable(schema) == typed


def test_every_code_generation_error_is_reported_in_one_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    schemas = tmp_path / "schemas"
    schemas.mkdir()
    for name in ("distilbert-sst-2-int8.json", "m2m100-1.2b.json", "bart-large-cnn.json"):
        shutil.copy(ROOT / "schemas" / name, schemas / name)
    real = pydantic_models.generate_models

    def refuse_inputs(
        schema: dict[str, Any], class_name: str, *, is_output: bool, file: str, pointer: str
    ) -> str:
        if not is_output:
            raise DiagnosticError([Diagnostic(file, pointer, f"refused {class_name}")])
        return real(schema, class_name, is_output=is_output, file=file, pointer=pointer)

    monkeypatch.setattr(pydantic_models, "generate_models", refuse_inputs)
    monkeypatch.setenv("GENERATOR_JOBS", "1")
    with pytest.raises(DiagnosticError) as info:
        generate(schemas, tmp_path / "out", cache_dir=tmp_path / "cache")
    refused = sorted(d.file for d in info.value.diagnostics)
    assert len(refused) == 3 and all(name.endswith(".json") for name in refused)
