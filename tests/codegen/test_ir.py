"""Step 2: the IR built from the real catalog: tasks, defaults, content types, binary facts."""

from __future__ import annotations

from collections import Counter

import pytest
from codegen_helpers import SCHEMAS

from generator.ir import Catalog, Model, build_catalog
from generator.ir.defaults import read_overrides
from generator.ir.model import EVENT_STREAM, JSON
from generator.load import load_schemas


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    built, diagnostics = build_catalog(load_schemas(SCHEMAS), read_overrides(SCHEMAS)[0])
    assert diagnostics == []
    return built


def model(catalog: Catalog, model_id: str) -> Model:
    return next(m for m in catalog.models if m.id == model_id)


def test_twelve_task_types_with_the_catalog_counts(catalog: Catalog) -> None:
    counts = {t.name: len(t.models) for t in catalog.tasks}
    # 22 text-generation files, two of which have no schema (typed as untyped models).
    assert counts == {
        "Automatic Speech Recognition": 5,
        "Image Classification": 1,
        "Image-to-Text": 2,
        "Object Detection": 1,
        "Summarization": 1,
        "Text Classification": 2,
        "Text Embeddings": 8,
        "Text Generation": 20,
        "Text-to-Image": 11,
        "Text-to-Speech": 4,
        "Translation": 2,
        "Voice Activity Detection": 1,
    }
    assert catalog.untyped_models == ("@cf/swiss-ai/apertus-v1.5-8b", "@cf/utter-project/eurollm-9b-it")


def test_task_names_follow_the_typescript_names(catalog: Catalog) -> None:
    classification = next(t for t in catalog.tasks if t.slug == "text-classification")
    assert classification.class_name == "AiTextClassification"
    assert classification.method_name == "text_classification"
    assert classification.default_model.id == "@cf/huggingface/distilbert-sst-2-int8"


def test_content_types_are_carried_into_the_ir(catalog: Catalog) -> None:
    by_type = Counter(ct for m in catalog.models for ct in m.output.content_types)
    assert by_type == {JSON: 49, EVENT_STREAM: 16, "image/png": 5, "image/jpeg": 1, "audio/mpeg": 4}
    # 13 declare text/event-stream; 3 leave the binary stream branch untyped but take `stream`.
    assert model(catalog, "@cf/deepseek-ai/deepseek-r1-distill-qwen-32b").output.streams
    assert model(catalog, "@cf/myshell-ai/melotts").output.content_types == (JSON, "audio/mpeg")
    assert model(catalog, "@cf/lykon/dreamshaper-8-lcm").output.json_schema is None


def test_binary_inputs(catalog: Catalog) -> None:
    raw = sorted(m.id for m in catalog.models if m.input.raw_body)
    assert raw == [
        "@cf/facebook/detr-resnet-50",
        "@cf/llava-hf/llava-1.5-7b-hf",
        "@cf/microsoft/resnet-50",
        "@cf/openai/whisper",
        "@cf/openai/whisper-tiny-en",
    ]
    assert model(catalog, "@cf/openai/whisper").input.uint8_array_fields == ("audio",)
    assert model(catalog, "@cf/openai/whisper-large-v3-turbo").input.base64_fields == ("audio",)
    assert model(catalog, "@cf/lykon/dreamshaper-8-lcm").input.uint8_array_fields == ("image", "mask")


def test_embedding_output_union_keeps_both_json_variants(catalog: Catalog) -> None:
    output = model(catalog, "@cf/baai/bge-base-en-v1.5").output
    assert output.content_types == (JSON,)
    assert output.json_schema is not None and len(output.json_schema["oneOf"]) == 2
