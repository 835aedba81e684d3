"""Step 1: reading and checking model files; every problem names file and JSON pointer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from codegen_helpers import SCHEMAS, SIMPLE_INPUT, SIMPLE_OUTPUT, model_doc, write_model

from generator.diagnostics import Severity
from generator.load import load_schemas, read_model_file


def _messages(folder: Path) -> list[str]:
    return [str(d) for d in load_schemas(folder).diagnostics]


def test_real_catalog_loads_with_exactly_the_known_defects_reported() -> None:
    result = load_schemas(SCHEMAS)
    assert result.ok
    assert len(result.models) == 60
    assert sorted((Path(d.file).name, d.pointer, d.severity) for d in result.diagnostics) == [
        ("apertus-v1.5-8b.json", "/schema", Severity.WARNING),
        ("eurollm-9b-it.json", "/schema", Severity.WARNING),
        ("flux-2-dev.json", "/schema/input/properties/required", Severity.WARNING),
        (
            "llama-guard-3-8b.json",
            "/schema/input/properties/messages/items/properties/role/enum",
            Severity.WARNING,
        ),
    ]


def test_misplaced_required_list_is_moved_to_the_object() -> None:
    model, _ = read_model_file(SCHEMAS / "flux-2-dev.json")
    assert model is not None and model.input_schema is not None
    assert "required" not in model.input_schema["properties"]
    assert model.input_schema["required"] == ["multipart"]


def test_enum_without_type_gets_the_type_of_its_values() -> None:
    model, _ = read_model_file(SCHEMAS / "llama-guard-3-8b.json")
    assert model is not None and model.input_schema is not None
    role = model.input_schema["properties"]["messages"]["items"]["properties"]["role"]
    assert role == {**role, "type": "string", "enum": ["user", "assistant"]}


def test_model_without_schema_is_kept_untyped() -> None:
    model, diagnostics = read_model_file(SCHEMAS / "apertus-v1.5-8b.json")
    assert model is not None and not model.has_schema
    assert [d.severity for d in diagnostics] == [Severity.WARNING]


@pytest.mark.parametrize(
    ("content", "pointer", "fragment"),
    [
        ('{"name": "x", ', "", "invalid JSON at line 1, column 15"),
        ("[1, 2]", "", "must be a JSON object, not list"),
        (model_doc("", "T", SIMPLE_INPUT, SIMPLE_OUTPUT), "/name", "missing or empty model name"),
        ({"name": "@cf/a/b", "schema": {}}, "/task/name", "missing or empty task name"),
        (
            model_doc(
                "@cf/a/b", "T", {"type": "object", "properties": {"x": {"type": "strin"}}}, SIMPLE_OUTPUT
            ),
            "/schema/input/properties/x/type",
            "not valid JSON Schema",
        ),
        (model_doc("@cf/a/b", "T", SIMPLE_INPUT, [1]), "/schema/output", "must be a JSON object, not array"),
        (
            model_doc("@cf/a/b", "T", {"$ref": "https://example.com/s.json"}, SIMPLE_OUTPUT),
            "/schema/input/$ref",
            "remote $ref",
        ),
        (
            model_doc("@cf/a/b", "T", {"type": "string", "pattern": "(unclosed"}, SIMPLE_OUTPUT),
            "/schema/input/pattern",
            "invalid regular expression",
        ),
        (
            {"name": "@cf/a/b", "task": {"name": "T"}, "schema": {"input": SIMPLE_INPUT}},
            "/schema/output",
            "missing",
        ),
    ],
)
def test_bad_files_are_reported_with_file_and_pointer(
    tmp_path: Path, content: object, pointer: str, fragment: str
) -> None:
    path = write_model(tmp_path, "bad.json", content)
    model, diagnostics = read_model_file(path)
    errors = [d for d in diagnostics if d.severity is Severity.ERROR]
    assert model is None
    assert any(d.pointer == pointer and fragment in d.message and d.file == str(path) for d in errors), errors


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
    path = write_model(tmp_path, "ok.json", model_doc("@cf/a/b", "T", schema, SIMPLE_OUTPUT))
    model, diagnostics = read_model_file(path)
    assert model is not None
    assert [(d.severity, d.pointer) for d in diagnostics if fragment in d.message] == [
        (Severity.WARNING, pointer)
    ]


def test_duplicate_model_names_across_files_name_both_files(tmp_path: Path) -> None:
    write_model(tmp_path, "a.json", model_doc("@cf/x/same", "T", SIMPLE_INPUT, SIMPLE_OUTPUT))
    write_model(tmp_path, "b.json", model_doc("@cf/x/same", "T", SIMPLE_INPUT, SIMPLE_OUTPUT))
    messages = _messages(tmp_path)
    assert len(messages) == 1
    assert "b.json#/name" in messages[0] and "a.json" in messages[0]


def test_files_starting_with_underscore_are_not_models(tmp_path: Path) -> None:
    write_model(tmp_path, "_provenance.json", {"not": "a model"})
    write_model(tmp_path, "m.json", model_doc("@cf/x/m", "T", SIMPLE_INPUT, SIMPLE_OUTPUT))
    result = load_schemas(tmp_path)
    assert result.ok and [m.name for m in result.models] == ["@cf/x/m"]


def test_deep_nesting_is_rejected_without_recursion_error(tmp_path: Path) -> None:
    # Written as text: json.dumps itself cannot nest this deep.
    deep = '{"type": "object", "properties": {"x": ' * 500 + '{"type": "string"}' + "}}" * 500
    text = json.dumps(model_doc("@cf/x/deep", "T", "DEEP", SIMPLE_OUTPUT)).replace('"DEEP"', deep)
    path = write_model(tmp_path, "deep.json", text)
    model, diagnostics = read_model_file(path)
    assert model is None
    assert "nested too deeply" in diagnostics[0].message
