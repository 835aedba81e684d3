"""Each model's capabilities as data: catalog `properties` typed, plus what its input schema accepts.

The client's structured output (`client.parse`) and tool calling read these facts instead of guessing from
model names. The structured-output method of a model is decided here, once, from the data:

1. `json_schema`: the input's `response_format` accepts `{"type": "json_schema", ...}`;
2. `guided_json`: the input has `guided_json` (a JSON Schema the decoder is constrained to);
3. `tool_call`: the model is marked `function_calling` and takes `tools`: one forced tool whose
   parameters are the wanted schema, its arguments are the result;
4. `json_object`: `response_format` takes only `{"type": "json_object"}`: JSON mode, with the schema
   in a system message;
5. none: the model has no way to promise JSON; `client.parse` refuses it (and type checkers do too).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

from generator.ir import Catalog, Model

# The runtime's own `ModelInfo` is built here and printed: one definition of the fields.
from generator.runtime._model_info import ModelInfo, StructuredOutputMethod
from generator.runtime._replies import request_objects


def fields_of(caps: ModelInfo) -> list[tuple[str, Any]]:
    """(name, value) of every field, in declaration order: what the template prints."""
    return [(f.name, getattr(caps, f.name)) for f in dataclasses.fields(caps)]


def _flag(properties: dict[str, Any], name: str) -> bool:
    return str(properties.get(name, "")).strip().lower() == "true"


def _number(properties: dict[str, Any], name: str) -> int | None:
    value = properties.get(name)
    try:
        return int(str(value).strip()) if value is not None else None
    except ValueError:
        return None


def _text(properties: dict[str, Any], name: str) -> str | None:
    value = properties.get(name)
    return value.strip() or None if isinstance(value, str) else None


def _subschemas(schema: Any) -> Iterator[dict[str, Any]]:
    if isinstance(schema, dict):
        yield schema
        for value in schema.values():
            yield from _subschemas(value)
    elif isinstance(schema, list):
        for item in schema:
            yield from _subschemas(item)


def _top_level(model: Model, name: str) -> list[Any]:
    return [
        obj["properties"][name] for obj in request_objects(model.input.schema) if name in obj["properties"]
    ]


def _response_format(model: Model) -> tuple[bool, bool, bool]:
    """(accepts json_schema, json_schema takes {name, schema}, accepts json_object)."""
    json_schema = named = json_object = False
    for schema in _top_level(model, "response_format"):
        for node in _subschemas(schema):
            kind = (
                node.get("properties", {}).get("type") if isinstance(node.get("properties"), dict) else None
            )
            if not isinstance(kind, dict):
                continue
            allowed = kind.get("enum")
            if allowed is None and kind.get("type") == "string":
                json_object = True  # a free-form `type` string documented as "json_object"
            if isinstance(allowed, list):
                json_object = json_object or "json_object" in allowed
                if "json_schema" in allowed:
                    json_schema = True
                    inner = node["properties"].get("json_schema")
                    named = named or (isinstance(inner, dict) and "schema" in (inner.get("properties") or {}))
    return json_schema, named, json_object


def capabilities(model: Model) -> ModelInfo:
    accepts_json_schema, named, accepts_json_object = _response_format(model)
    stream = _top_level(model, "stream")
    return _from_facts(
        model.id,
        model.task_slug,
        model.properties,
        accepts_json_schema=accepts_json_schema,
        json_schema_named=named,
        accepts_json_object=accepts_json_object,
        accepts_guided_json=bool(_top_level(model, "guided_json")),
        accepts_tools=bool(_top_level(model, "tools")),
        accepts_stream=any(isinstance(s, dict) and s.get("type") == "boolean" for s in stream),
    )


def untyped_capabilities(model_id: str, task: str, props: dict[str, Any]) -> ModelInfo:
    """A catalog model without schemas: its properties, and no input feature the client could use."""
    return _from_facts(
        model_id,
        task,
        props,
        accepts_json_schema=False,
        json_schema_named=False,
        accepts_json_object=False,
        accepts_guided_json=False,
        accepts_tools=False,
        accepts_stream=False,
    )


def _from_facts(
    model_id: str,
    task: str,
    props: dict[str, Any],
    *,
    accepts_json_schema: bool,
    json_schema_named: bool,
    accepts_json_object: bool,
    accepts_guided_json: bool,
    accepts_tools: bool,
    accepts_stream: bool,
) -> ModelInfo:
    function_calling = _flag(props, "function_calling")
    method: StructuredOutputMethod | None
    if accepts_json_schema:
        method = "json_schema"
    elif accepts_guided_json:
        method = "guided_json"
    elif function_calling and accepts_tools:
        method = "tool_call"
    elif accepts_json_object:
        method = "json_object"
    else:
        method = None
    return ModelInfo(
        id=model_id,
        task=task,
        context_window=_number(props, "context_window"),
        max_input_tokens=_number(props, "max_input_tokens"),
        function_calling=function_calling,
        reasoning=_flag(props, "reasoning"),
        vision=_flag(props, "vision"),
        batch=_flag(props, "async_queue"),
        lora=_flag(props, "lora"),
        beta=_flag(props, "beta"),
        partner=_flag(props, "partner"),
        realtime=_flag(props, "realtime"),
        terms=_text(props, "terms"),
        info_url=_text(props, "info"),
        accepts_json_schema=accepts_json_schema,
        json_schema_named=json_schema_named,
        accepts_json_object=accepts_json_object,
        accepts_guided_json=accepts_guided_json,
        accepts_tools=accepts_tools,
        accepts_stream=accepts_stream,
        structured_output=method,
    )


def capability_list(catalog: Catalog) -> list[ModelInfo]:
    """Every catalog model's capabilities (those without schemas too), sorted by id."""
    found = [capabilities(m) for m in catalog.models]
    found += [untyped_capabilities(*entry) for entry in catalog.untyped_properties]
    return sorted(found, key=lambda c: c.id)


def doc_lines(caps: ModelInfo) -> list[str]:
    """Bullet lines for the model's doc page (empty facts are left out)."""
    lines = []
    flags = [
        name.replace("_", " ")
        for name in (
            "function_calling",
            "reasoning",
            "vision",
            "batch",
            "lora",
            "beta",
            "partner",
            "realtime",
        )
        if getattr(caps, name)
    ]
    if caps.context_window:
        lines.append(f"Context window: {caps.context_window:,} tokens")
    if flags:
        lines.append("Catalog properties: " + ", ".join(flags))
    if caps.structured_output:
        lines.append(f"Structured output: `client.parse(...)` via `{caps.structured_output}`")
    if caps.accepts_tools:
        lines.append("Tool calling: `tools=` accepted (`client.tool_calls(...)`, `client.run_tools(...)`)")
    if caps.terms:
        lines.append(f"Terms: <{caps.terms}>")
    return lines
