"""All names come from one module, by one rule; no counters."""

from __future__ import annotations

import pytest

from generator import naming


@pytest.mark.parametrize(
    ("task", "slug", "cls", "module"),
    [
        ("Text Classification", "text-classification", "AiTextClassification", "text_classification"),
        ("Text-to-Image", "text-to-image", "AiTextToImage", "text_to_image"),
        (
            "Automatic Speech Recognition",
            "automatic-speech-recognition",
            "AiAutomaticSpeechRecognition",
            "automatic_speech_recognition",
        ),
        ("Image-to-Text", "image-to-text", "AiImageToText", "image_to_text"),
    ],
)
def test_task_names(task: str, slug: str, cls: str, module: str) -> None:
    assert (naming.task_slug(task), naming.task_class_name(task), naming.task_module(task)) == (
        slug,
        cls,
        module,
    )


@pytest.mark.parametrize(
    ("model", "prefix", "module"),
    [
        (
            "@cf/huggingface/distilbert-sst-2-int8",
            "HuggingfaceDistilbertSst2Int8",
            "huggingface_distilbert_sst_2_int8",
        ),
        ("@cf/meta/llama-3.2-1b-instruct", "MetaLlama3_2_1bInstruct", "meta_llama_3_2_1b_instruct"),
        ("@cf/meta/llama-3.2-11b-vision", "MetaLlama3_2_11bVision", "meta_llama_3_2_11b_vision"),
        ("@cf/meta/llama-32-11b-vision", "MetaLlama32_11bVision", "meta_llama_32_11b_vision"),
        ("@cf/moondream/moondream3-1.9B-A2B", "MoondreamMoondream3_1_9BA2B", "moondream_moondream3_1_9b_a2b"),
        ("@hf/thebloke/neural-chat", "HfTheblokeNeuralChat", "hf_thebloke_neural_chat"),
        (
            "@cf/ai4bharat/indictrans2-en-indic-1B",
            "Ai4bharatIndictrans2EnIndic1B",
            "ai4bharat_indictrans2_en_indic_1b",
        ),
        ("@cf/01-ai/class", "M01AiClass", "m01_ai_class"),
        ("@cf/x/import", "XImport", "x_import"),
    ],
)
def test_model_names(model: str, prefix: str, module: str) -> None:
    assert naming.model_type_prefix(model) == prefix
    assert naming.model_module(model) == module
    assert module.isidentifier() and prefix.isidentifier()


def test_keyword_module_names_get_an_underscore() -> None:
    assert naming.task_module("Class") == "class_"


@pytest.mark.parametrize(
    ("word", "single"),
    [
        ("messages", "message"),
        ("ToolCalls", "ToolCall"),
        ("Entries", "Entry"),
        ("Boxes", "Box"),
        ("status", "status"),
        ("data", "data"),
    ],
)
def test_singular(word: str, single: str) -> None:
    assert naming.singular(word) == single


def test_branch_names_prefer_title_then_discriminator_then_type_then_required() -> None:
    assert naming.branch_names([{"title": "Prompt"}, {"title": "Messages"}]) == ["Prompt", "Messages"]
    tagged = [
        {"type": "object", "properties": {"type": {"enum": ["text"]}}},
        {"type": "object", "properties": {"type": {"const": "json_schema"}}},
    ]
    assert naming.branch_names(tagged) == ["Text", "JsonSchema"]
    assert naming.branch_names([{"type": "string"}, {"type": "array"}]) == ["String", "Array"]
    by_required = [
        {"type": "object", "properties": {"a": {}}, "required": ["a"]},
        {"type": "object", "properties": {"b": {}}, "required": ["b"]},
    ]
    assert naming.branch_names(by_required) == ["WithA", "WithB"]


def test_branch_names_fall_back_to_a_content_hash_that_does_not_shift() -> None:
    a = {"type": "object", "properties": {"x": {"type": "string"}}}
    b = {"type": "object", "properties": {"x": {"type": "integer"}}}
    first = naming.branch_names([a, b])
    assert first[0].startswith("Variant") and first[0] != first[1]
    # Adding a branch in front does not rename the others (a counter would).
    c = {"type": "object", "properties": {"x": {"type": "boolean"}}}
    assert naming.branch_names([c, a, b])[1:] == first
