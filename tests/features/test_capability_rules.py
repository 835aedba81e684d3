"""The generator's structured-output rule, on request schemas made for each case."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from generator.emit.capabilities import capabilities
from generator.ir import Model
from generator.ir.build import build_input, build_output

MESSAGES = {"type": "array", "items": {"type": "object"}}
TOOLS = {"type": "array", "items": {"type": "object"}}
NAMED = {
    "type": "object",
    "properties": {
        "type": {"type": "string", "enum": ["json_schema"]},
        "json_schema": {
            "type": "object",
            "properties": {"name": {"type": "string"}, "schema": {"type": "object"}},
        },
    },
}


def _model(properties: dict[str, Any], catalog: dict[str, Any] | None = None, batch: bool = False) -> Model:
    chat = {"type": "object", "properties": {"messages": MESSAGES, **properties}, "required": ["messages"]}
    requests = {"type": "object", "properties": {"requests": {"type": "array", "items": copy.deepcopy(chat)}}}
    schema = {"oneOf": [chat, requests]} if batch else chat
    return Model(
        id="@cf/test/model",
        display_path="schemas/model.json",
        file_name="model.json",
        sha256="0" * 64,
        description="",
        task_slug="text-generation",
        created_at="",
        type_prefix="TestModel",
        module="test_model",
        input=build_input(schema),
        output=build_output({"type": "object", "properties": {"response": {"type": "string"}}}, False),
        properties=catalog or {},
    )


@pytest.mark.parametrize(
    ("properties", "catalog", "method"),
    [
        ({"response_format": NAMED, "guided_json": {}}, {}, "json_schema"),
        ({"guided_json": {"type": "object"}, "tools": TOOLS}, {"function_calling": "true"}, "guided_json"),
        ({"tools": TOOLS}, {"function_calling": "true"}, "tool_call"),
        ({"tools": TOOLS}, {}, None),  # takes tools, but the catalog does not say it is trained for calls
        (
            {"response_format": {"type": "object", "properties": {"type": {"type": "string"}}}},
            {},
            "json_object",
        ),
        ({}, {"function_calling": "true"}, None),
    ],
)
def test_method_rule(properties: dict[str, Any], catalog: dict[str, Any], method: str | None) -> None:
    assert capabilities(_model(properties, catalog)).structured_output == method


def test_named_json_schema_and_typed_properties() -> None:
    caps = capabilities(
        _model({"response_format": NAMED}, {"context_window": "8192", "lora": "true", "beta": "x"})
    )
    assert caps.json_schema_named and not caps.accepts_json_object
    assert (caps.context_window, caps.lora, caps.beta) == (8192, True, False)
    assert capabilities(_model({}, {"context_window": "lots"})).context_window is None


def test_batch_requests_do_not_count_as_top_level_features() -> None:
    with_tools_inside = _model({"tools": TOOLS}, batch=True)
    assert capabilities(with_tools_inside).accepts_tools  # the chat branch itself takes tools
    requests_only = _model({}, batch=True)
    requests_only.input.schema["oneOf"][1]["properties"]["requests"]["items"]["properties"]["tools"] = TOOLS
    assert not capabilities(requests_only).accepts_tools
