"""Step 1 on the real catalog and on folders; every rejected file is in tests/hostile (one table)."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.diagnostics import Severity
from generator.load import load_schemas, read_model_file
from tests.support.model_files import (
    SCHEMAS,
    SIMPLE_OUTPUT,
    catalog_documents,
    catalog_model_files,
    model_doc,
    write_folder,
    write_model,
)


def test_the_whole_catalog_loads_with_warnings_only() -> None:
    result = load_schemas(SCHEMAS)
    assert result.ok, [str(d) for d in result.diagnostics if d.severity is Severity.ERROR]
    assert [m.path for m in result.models] == catalog_model_files()
    untyped = sorted(name for name, doc in catalog_documents().items() if not doc.get("schema"))
    assert sorted(m.id for m in result.models if not m.has_schema) == untyped
    assert {Path(d.file).name for d in result.diagnostics if d.pointer == "/schema"} == {
        Path(m.display_path).name for m in result.models if not m.has_schema
    }


def test_files_starting_with_underscore_are_not_models(tmp_path: Path) -> None:
    write_folder(tmp_path, {"_provenance.json": {"not": "a model"}, "m.json": model_doc(name="@cf/x/m")})
    result = load_schemas(tmp_path)
    assert result.ok and [m.id for m in result.models] == ["@cf/x/m"]


def test_folder_without_model_files_is_an_error(tmp_path: Path) -> None:
    write_folder(tmp_path, {"_provenance.json": {}})
    (error,) = load_schemas(tmp_path).diagnostics
    assert (error.file, error.severity) == (str(tmp_path), Severity.ERROR)
    assert "no model files" in error.message


@pytest.mark.parametrize(
    ("schema", "pointer", "fragment"),
    [
        ({"enum": []}, "/schema/input/enum", "empty 'enum'"),
        (
            {"type": "string", "pattern": "^\\p{Letter}+$"},
            "/schema/input/pattern",
            "Python's re cannot compile",
        ),
    ],
)
def test_valid_json_schema_that_python_tools_refuse_is_only_a_warning(
    tmp_path: Path, schema: dict[str, object], pointer: str, fragment: str
) -> None:
    path = write_model(tmp_path, "ok.json", model_doc(schema, SIMPLE_OUTPUT, name="@cf/a/b"))
    model, diagnostics = read_model_file(path)
    assert model is not None
    assert [(d.severity, d.pointer) for d in diagnostics if fragment in d.message] == [
        (Severity.WARNING, pointer)
    ]


def _batch_branch(**extra: object) -> dict[str, object]:
    return {"type": "object", "properties": {"requests": {"type": "array"}}, **extra}


def _prompt_or_messages(third: dict[str, object]) -> dict[str, object]:
    return {
        "type": "object",
        "oneOf": [
            {"type": "object", "properties": {"prompt": {"type": "string"}}, "required": ["prompt"]},
            {"type": "object", "properties": {"messages": {"type": "array"}}, "required": ["messages"]},
            third,
        ],
    }


def test_a_oneof_branch_that_matches_every_input_gets_its_only_property_required(tmp_path: Path) -> None:
    path = write_model(tmp_path, "m.json", model_doc(input_schema=_prompt_or_messages(_batch_branch())))
    loaded, diagnostics = read_model_file(path)
    assert loaded is not None and loaded.input_schema is not None
    assert loaded.input_schema["oneOf"][2]["required"] == ["requests"]
    assert [(d.pointer, d.severity) for d in diagnostics] == [("/schema/input/oneOf/2", Severity.WARNING)]


@pytest.mark.parametrize(
    "third",
    [
        _batch_branch(required=[]) | {"additionalProperties": False},  # closed: matches no other input
        _batch_branch() | {"properties": {"requests": {}, "prompt": {}}},  # two properties: no one reading
    ],
    ids=["closed", "two-properties"],
)
def test_other_loose_oneof_branches_are_left_as_written(tmp_path: Path, third: dict[str, object]) -> None:
    path = write_model(tmp_path, "m.json", model_doc(input_schema=_prompt_or_messages(third)))
    loaded, diagnostics = read_model_file(path)
    assert loaded is not None and loaded.input_schema is not None
    assert (
        "required" not in loaded.input_schema["oneOf"][2] or loaded.input_schema["oneOf"][2]["required"] == []
    )
    assert diagnostics == []
