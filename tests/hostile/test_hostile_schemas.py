"""Hostile model files, table-driven: each is either rejected with an exact diagnostic (file, JSON
pointer, message) or generates code that imports, keeps every property reachable under a valid
Python name whose alias gives the JSON name back, and passes mypy --strict.
"""

from __future__ import annotations

import json
import keyword
import shutil
from pathlib import Path
from typing import Any

import pytest

from generator.diagnostics import DiagnosticError, Severity
from generator.emit.examples import example_for
from tests.fuzz.harness import (
    check_model_file,
    generate_folder,
    mypy_strict,
    round_trip,
    ruff_check,
    run_python,
)
from tests.support.model_files import CODEGEN_CACHE, deep_text, model_doc, obj, write_folder

pytestmark = pytest.mark.filterwarnings("error")


# --- rejected: (file text, pointer, message fragment) ---------------------------------------------

REJECTED: dict[str, tuple[str, str, str]] = {
    "invalid-json": ("{not json", "", "invalid JSON at line 1, column 2"),
    "not-utf8": ("\udcff", "", "not UTF-8 text"),
    "not-an-object": ("[1, 2, 3]", "", "a model file must be a JSON object, not list"),
    "deep-500": (deep_text(500), "", "JSON nested too deeply"),
    "deep-40": (deep_text(40), "/schema", "schema nested too deeply (more than 64 levels)"),
    "missing-output": (
        json.dumps({"name": "@cf/a/b", "task": {"name": "T"}, "schema": {"input": {"type": "object"}}}),
        "/schema/output",
        "missing 'output' schema",
    ),
    "schema-not-object": (
        json.dumps({"name": "@cf/a/b", "task": {"name": "T"}, "schema": [1]}),
        "/schema",
        "'schema' must be an object",
    ),
    "input-not-object": (
        json.dumps(model_doc(5)),
        "/schema/input",
        "a schema must be a JSON object, not integer",
    ),
    "missing-name": (
        json.dumps({"task": {"name": "T"}, "schema": {}}),
        "/name",
        "missing or empty model name",
    ),
    "empty-name": (json.dumps(model_doc(name=" ")), "/name", "missing or empty model name"),
    "output-not-object": (
        json.dumps(model_doc(obj(), [1])),
        "/schema/output",
        "a schema must be a JSON object, not array",
    ),
    "task-name-not-string": (
        json.dumps(model_doc(obj(), task=7)),
        "/task/name",
        "missing or empty task name",
    ),
    "unknown-type": (
        json.dumps(model_doc(obj({"x": {"type": "uuid"}}))),
        "/schema/input/properties/x/type",
        "not valid JSON Schema",
    ),
    "remote-ref": (
        json.dumps(model_doc(obj({"x": {"$ref": "https://example.com/s.json"}}))),
        "/schema/input/properties/x/$ref",
        "remote $ref 'https://example.com/s.json' is not supported",
    ),
    "dangling-ref": (
        json.dumps(model_doc(obj({"x": {"$ref": "#/$defs/Nope"}}))),
        "/schema/input/properties/x/$ref",
        "$ref '#/$defs/Nope' points at nothing in this schema",
    ),
    "invalid-pattern": (
        json.dumps(model_doc(obj({"x": {"type": "string", "pattern": "(["}}))),
        "/schema/input/properties/x/pattern",
        "invalid regular expression",
    ),
    "nan-bound": (
        json.dumps(model_doc(obj({"x": {"type": "number", "maximum": float("nan")}}))),
        "/schema/input/properties/x/maximum",
        "bound is NaN",
    ),
    "required-not-list": (
        json.dumps(model_doc({"type": "object", "required": "x"}, {"type": "object"})),
        "/schema/input/required",
        "not valid JSON Schema",
    ),
    "output-property-not-schema": (
        json.dumps(model_doc(obj(), obj({"x": 5}))),
        "/schema/output/properties/x",
        "not valid JSON Schema",
    ),
}


@pytest.mark.parametrize("case", sorted(REJECTED))
def test_rejected_with_file_and_pointer(case: str, tmp_path: Path) -> None:
    text, pointer, fragment = REJECTED[case]
    path = tmp_path / f"{case}.json"
    path.write_bytes(text.encode("utf-8", "surrogateescape"))
    outcome = check_model_file(path, display=f"schemas/{case}.json")
    assert outcome.rejected
    matching = [d for d in outcome.errors if d.pointer == pointer and fragment in d.message]
    assert matching, [str(d) for d in outcome.errors]
    shown = f"schemas/{case}.json#{pointer}" if pointer else f"schemas/{case}.json"
    assert str(matching[0]).startswith(f"{shown}: error: ")


def test_pipeline_reports_every_bad_file_and_writes_nothing(tmp_path: Path) -> None:
    schemas = tmp_path / "schemas"
    schemas.mkdir()
    for case in ("invalid-json", "remote-ref", "invalid-pattern"):
        (schemas / f"{case}.json").write_text(REJECTED[case][0], encoding="utf-8")
    with pytest.raises(DiagnosticError) as caught:
        generate_folder(schemas, tmp_path / "out")
    reported = {
        (Path(d.file).name, d.pointer) for d in caught.value.diagnostics if d.severity is Severity.ERROR
    }
    assert reported == {
        ("invalid-json.json", ""),
        ("remote-ref.json", "/schema/input/properties/x/$ref"),
        ("invalid-pattern.json", "/schema/input/properties/x/pattern"),
    }
    assert not (tmp_path / "out").exists()


# --- folder-level collisions ------------------------------------------------------------------


# case -> (model files, every error: (file, pointer, message with {folder} for the schema folder))
FOLDER_REJECTED: dict[str, tuple[dict[str, Any], list[tuple[str, str, str]]]] = {
    "same-model-name": (
        {"a.json": model_doc(obj(), name="@cf/x/same"), "b.json": model_doc(obj(), name="@cf/x/same")},
        [("b.json", "/name", "model name '@cf/x/same' is also defined in {folder}/a.json")],
    ),
    "names-alike-in-python": (
        {"a.json": model_doc(obj(), name="@cf/x/foo-bar"), "b.json": model_doc(obj(), name="@cf/x/foo.bar")},
        [
            (
                "b.json",
                "/name",
                f"model '@cf/x/foo.bar' and '@cf/x/foo-bar' ({{folder}}/a.json) both become {name!r} in Python;"
                " rename one",
            )
            for name in ("XFooBar", "x_foo_bar")  # its type prefix and its module
        ],
    ),
    "task-name-without-letters": (
        {"a.json": model_doc(obj(), task="🎉 - !!")},
        [("a.json", "/task/name", "task name '🎉 - !!' has no letters")],
    ),
}


@pytest.mark.parametrize("case", sorted(FOLDER_REJECTED))
def test_folder_rejected_with_file_and_pointer(case: str, tmp_path: Path) -> None:
    docs, expected = FOLDER_REJECTED[case]
    schemas = write_folder(tmp_path / "schemas", docs)
    with pytest.raises(DiagnosticError) as caught:
        generate_folder(schemas, tmp_path / "out")
    errors = [
        (Path(d.file).name, d.pointer, d.message)
        for d in caught.value.diagnostics
        if d.severity is Severity.ERROR
    ]
    assert errors == [(file, pointer, message.format(folder=schemas)) for file, pointer, message in expected]
    assert not (tmp_path / "out").exists()


def test_task_name_of_digits_only_gets_a_valid_module_name(tmp_path: Path) -> None:
    schemas = write_folder(tmp_path / "schemas", {"a.json": model_doc(obj(), task="123 - 456")})
    generate_folder(schemas, tmp_path / "out")
    assert (tmp_path / "out" / "workers_ai" / "tasks" / "t123_456.py").is_file()


# --- accepted: generated code must be right --------------------------------------------------------

HOSTILE_NAMES = (
    "class", "from", "def", "None", "True", "match", "type", "a-b", "a_b", "fooBar", "foo_bar", "model_config",
    "model_dump", "model_validate", "model_fields", "schema", "json", "copy", "dict", "Field", "Annotated",
    "BaseModel", "int", "str", "l", "héllo", "名前", "🎉", "", " ", "1st", "_private", "__dunder__",
)  # fmt: skip

ACCEPTED: dict[str, tuple[dict[str, Any], Any]] = {
    # name -> (model file, an input instance that must round-trip unchanged)
    "hostile-names": (
        model_doc(
            obj({n: {"type": "string"} for n in HOSTILE_NAMES}, list(HOSTILE_NAMES)),
            obj({n: {"type": "integer"} for n in HOSTILE_NAMES}),
            name="@cf/hostile/names",
        ),
        {n: f"value {i}" for i, n in enumerate(HOSTILE_NAMES)},
    ),
    "huge-enum": (
        model_doc(
            obj({"e": {"type": "string", "enum": [f"v{i}" for i in range(10_000)]}}, ["e"]),
            name="@cf/hostile/huge-enum",
        ),
        {"e": "v9999"},
    ),
    "ref-to-itself": (
        model_doc(obj({"name": {"type": "string"}, "child": {"$ref": "#"}}), name="@cf/hostile/self-ref"),
        {"name": "a", "child": {"name": "b", "child": {}}},
    ),
    "defs-cycle": (
        model_doc(
            {
                "$defs": {
                    "A": obj({"b": {"$ref": "#/$defs/B"}, "x": {"type": "integer"}}),
                    "B": obj({"a": {"$ref": "#/$defs/A"}}),
                },
                **obj({"a": {"$ref": "#/$defs/A"}}),
            },
            name="@cf/hostile/defs-cycle",
        ),
        {"a": {"x": 1, "b": {"a": {"x": 2}}}},
    ),
    "odd-enum-values": (
        model_doc(
            obj({"e": {"type": "string", "enum": ['"""', "\\", "a'b", "", "new\nline", "🎉", "None"]}}),
            name="@cf/hostile/odd-enum",
        ),
        {"e": "new\nline"},
    ),
    # The item type of the input list is too long for one line: the formatter splits `__iter__`'s
    # signature, and its `type: ignore[override]` must stay on the `def` line.
    "long-item-type": (
        model_doc(
            {"type": "array", "items": {"type": "string", "enum": [f"{i}" * 40 for i in range(4)]}},
            name="@cf/hostile/long-item-type",
        ),
        ["1" * 40, "3" * 40],
    ),
    "deep-30": (
        json.loads(deep_text(30).replace("@cf/hostile/deep", "@cf/hostile/deep30")),
        {"a": {"a": {"a": {}}}},
    ),
}


@pytest.mark.parametrize("case", sorted(ACCEPTED))
def test_accepted_round_trips(case: str, tmp_path: Path) -> None:
    doc, instance = ACCEPTED[case]
    path = tmp_path / f"{case}.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    outcome = check_model_file(path, display=f"schemas/{case}.json")
    assert not outcome.rejected, [str(d) for d in outcome.diagnostics]
    assert outcome.input_class is not None and outcome.input_schema is not None
    assert round_trip(outcome.input_class, outcome.input_schema, instance) == instance
    example = example_for(outcome.input_schema)
    assert round_trip(outcome.input_class, outcome.input_schema, example) == example


def test_hostile_names_are_reachable_under_valid_python_names(tmp_path: Path) -> None:
    doc, instance = ACCEPTED["hostile-names"]
    path = tmp_path / "names.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    outcome = check_model_file(path)
    cls = outcome.input_class
    assert cls is not None
    by_alias = {name if info.alias is None else info.alias: name for name, info in cls.model_fields.items()}
    assert set(by_alias) == set(HOSTILE_NAMES)  # every JSON name is a field, none lost to a collision
    parsed = cls.model_validate(instance)
    for json_name, attr in by_alias.items():
        assert attr.isidentifier() and not keyword.iskeyword(attr), attr
        assert not attr.startswith(("model_dump", "model_validate", "_")), attr
        assert getattr(parsed, attr) == instance[json_name]
    # Chosen names, pinned: a change here renames a user-visible attribute.
    assert (
        by_alias["class"] == "class_"
        and by_alias["None"] == "None_"
        and by_alias["model_config"] == "model_config_"
    )
    assert by_alias["model_dump"] == "field_model_dump" and by_alias["Annotated"] == "annotated"
    assert (
        by_alias["a-b"] != by_alias["a_b"]
        and by_alias["fooBar"] == "fooBar"
        and by_alias["foo_bar"] == "foo_bar"
    )
    assert by_alias["l"] == "field_l" and by_alias["héllo"] == "héllo"
    # Builtin type names are renamed whether or not the module uses that type (stable names).
    assert by_alias["str"] == "str_" and by_alias["int"] == "int_" and by_alias["type"] == "type"
    assert parsed.model_dump(by_alias=True) == instance


def test_accepted_files_generate_a_package_that_imports_and_typechecks(tmp_path: Path) -> None:
    """All accepted hostile files in ONE folder: full pipeline, lint, import, mypy --strict."""
    schemas = tmp_path / "schemas"
    schemas.mkdir()
    for case, (doc, _) in ACCEPTED.items():
        (schemas / f"{case}.json").write_text(json.dumps(doc), encoding="utf-8")
    out = tmp_path / "out"
    generate_folder(schemas, out, CODEGEN_CACHE)
    usage = [
        "from typing import Any",
        "from workers_ai import WorkersAI",
        "from workers_ai.types.text_generation import *",
        "",
    ]
    usage.append("def call(client: WorkersAI, names: HostileNamesInput, e: HostileHugeEnumInput) -> None:")
    usage.append("    client.run('@cf/hostile/names', names)")
    usage.append("    client.run('@cf/hostile/huge-enum', e)")
    usage.append("    x: str = names.class_ + names.annotated + names.field_model_dump + names.field_l")
    (out / "usage.py").write_text("\n".join(usage) + "\n", encoding="utf-8")
    assert ruff_check(out, "workers_ai").returncode == 0
    names_instance = json.dumps(ACCEPTED["hostile-names"][1])
    imported = run_python(
        "import json\n"
        "from workers_ai.types.text_generation import HostileNamesInput\n"
        f"data = json.loads({names_instance!r})\n"
        "assert HostileNamesInput.model_validate(data).model_dump(by_alias=True, mode='json') == data\n"
        "import usage\n",
        out,
    )
    assert imported.returncode == 0, imported.stderr[-3000:]
    checked = mypy_strict(out, "workers_ai", "usage.py")
    assert checked.returncode == 0, checked.stdout[-5000:]
    shutil.rmtree(out)
