"""The golden catalog (tests/fixtures/golden/schemas): exact output, and what load and ir make of it.

Its model files are hand-written so that each feature the generator supports appears at least once:
a default model and a newer one sharing its classes, prompt/messages input unions with `$defs`, a JSON
or event-stream output (declared, and inferred from a `stream` flag), a raw-body input, uint8-array and
base64 fields, binary image/audio/octet-stream outputs, a JSON output union, the two repaired catalog
defects, a model without schemas and a file that is not a model.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.diagnostics import Severity
from generator.drift.code import compare_trees
from generator.ir import Catalog, Model, build_catalog
from generator.load import load_schemas
from generator.schema import EVENT_STREAM, JSON, OCTET_STREAM
from tests.support.golden import GOLDEN_EXPECTED, RUNTIME, generate_golden
from tests.support.model_files import GOLDEN_SCHEMAS


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes]]:
    out = tmp_path_factory.mktemp("golden") / "generated"
    return out, generate_golden(out)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    built, _ = build_catalog(load_schemas(GOLDEN_SCHEMAS))
    return built


def model(catalog: Catalog, model_id: str) -> Model:
    return next(m for m in catalog.models if m.id == "@cf/golden/" + model_id)


def test_output_is_the_expected_tree_byte_for_byte(generated: tuple[Path, dict[str, bytes]]) -> None:
    out, _ = generated
    differences = [f"{f.file}: {f.message}" for f in compare_trees(GOLDEN_EXPECTED, out)]
    assert differences == [], (
        "the generated code changed; if that is intended, run `.venv/bin/python -m tests.support.golden`"
        " and review the diff\n" + "\n".join(differences)
    )


def test_runtime_modules_are_copied_verbatim(generated: tuple[Path, dict[str, bytes]]) -> None:
    _, copies = generated
    sources = {p.name: p.read_bytes() for p in RUNTIME.iterdir() if p.is_file()}
    assert sorted(copies) == sorted(sources)
    for name, source in sources.items():
        header = f"# Copied by workers-ai-codegen from generator/runtime/{name}: edit it there.\n".encode()
        assert copies[name] == (header + source if name.endswith(".py") else source), name


def test_load_reports_exactly_the_known_defects() -> None:
    loaded = load_schemas(GOLDEN_SCHEMAS)
    assert loaded.ok
    assert sorted(m.path.name for m in loaded.models) == sorted(
        p.name for p in GOLDEN_SCHEMAS.glob("*.json") if not p.name.startswith("_")
    )
    assert sorted((Path(d.file).name, d.pointer, d.severity) for d in loaded.diagnostics) == [
        (
            "chat.json",
            "/schema/input/oneOf/1/properties/messages/items/properties/role/enum",
            Severity.WARNING,
        ),
        ("painter.json", "/schema/input/properties/required", Severity.WARNING),
        ("speaker.json", "/schema/input/properties/voice/enum", Severity.WARNING),
        ("untyped.json", "/schema", Severity.WARNING),
    ]


def test_misplaced_required_list_is_moved_to_its_object() -> None:
    painter = next(m for m in load_schemas(GOLDEN_SCHEMAS).models if m.path.name == "painter.json")
    assert painter.input_schema is not None
    assert "required" not in painter.input_schema["properties"]
    assert painter.input_schema["required"] == ["prompt"]


def test_enum_without_type_gets_the_type_of_its_values() -> None:
    speaker = next(m for m in load_schemas(GOLDEN_SCHEMAS).models if m.path.name == "speaker.json")
    assert speaker.input_schema is not None
    assert speaker.input_schema["properties"]["voice"] == {"type": "string", "enum": ["alto", "tenor"]}


def test_tasks_their_models_and_defaults(catalog: Catalog) -> None:
    tasks = {
        t.name: (t.class_name, t.method_name, [m.id for m in t.models], t.default_model.id)
        for t in catalog.tasks
    }
    assert tasks["Text Classification"] == (
        "AiTextClassification",
        "text_classification",
        ["@cf/golden/classifier", "@cf/golden/classifier-mini"],
        "@cf/golden/classifier",  # the oldest
    )
    assert sorted(tasks) == [
        "Automatic Speech Recognition",
        "Object Detection",
        "Text Classification",
        "Text Embeddings",
        "Text Generation",
        "Text-to-Image",
        "Text-to-Speech",
    ]
    assert catalog.untyped_models == ("@cf/golden/untyped",)


def test_content_types(catalog: Catalog) -> None:
    content_types = {m.id.removeprefix("@cf/golden/"): m.output.content_types for m in catalog.models}
    assert content_types == {
        "chat": (JSON, EVENT_STREAM),
        "chat-lite": (JSON, EVENT_STREAM),  # an untyped binary branch of a model that takes `stream`
        "classifier": (JSON,),
        "classifier-mini": (JSON,),
        "detector": (OCTET_STREAM,),
        "embedder": (JSON,),
        "listener": (JSON,),
        "painter": ("image/png",),
        "speaker": (JSON, "audio/mpeg"),
    }
    assert model(catalog, "chat").output.streams and not model(catalog, "speaker").output.streams
    assert model(catalog, "painter").output.json_schema is None


def test_binary_inputs(catalog: Catalog) -> None:
    assert [m.id for m in catalog.models if m.input.raw_body] == ["@cf/golden/listener"]
    assert model(catalog, "listener").input.uint8_array_fields == ("audio",)
    assert model(catalog, "detector").input.uint8_array_fields == ("image",)  # by `maximum: 255`
    assert model(catalog, "painter").input.uint8_array_fields == ("image",)  # by its description
    assert model(catalog, "painter").input.base64_fields == ("mask_b64",)


def test_json_output_union_keeps_every_json_variant(catalog: Catalog) -> None:
    output = model(catalog, "embedder").output
    assert output.json_schema is not None and len(output.json_schema["oneOf"]) == 2
