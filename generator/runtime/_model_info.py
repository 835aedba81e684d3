"""`ModelInfo`: one model's catalog properties and input features, typed (data in `_capabilities.py`)."""

from __future__ import annotations

import functools
import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

__all__ = ["ModelInfo", "StructuredOutputMethod", "all_model_info", "model_info"]

_PACKAGE = __name__.rpartition(".")[0]

StructuredOutputMethod = Literal["json_schema", "guided_json", "tool_call", "json_object"]
"""How `client.parse` asks a model for JSON (the order of preference; see `ModelInfo.structured_output`)."""


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """What the catalog says a model can do. Read with `workers_ai.models.info("@cf/...")`."""

    id: str
    """The model id, e.g. "@cf/meta/llama-3.1-8b-instruct-fp8"."""
    task: str
    """The task in kebab case, e.g. "text-generation"."""
    context_window: int | None
    """Tokens of context (catalog property `context_window`), if the catalog gives it."""
    max_input_tokens: int | None
    """Longest input in tokens (embedding models; catalog property `max_input_tokens`)."""
    function_calling: bool
    """The catalog marks the model as trained for function calling."""
    reasoning: bool
    """A reasoning model (it may think before answering)."""
    vision: bool
    """Takes images in its messages."""
    batch: bool
    """Takes batched requests through the asynchronous queue (catalog property `async_queue`)."""
    lora: bool
    """Takes a fine-tuned LoRA adapter (`lora` input)."""
    beta: bool
    """A beta model."""
    partner: bool
    """Served by a partner of Cloudflare (billed and governed by the partner's terms)."""
    realtime: bool
    """Also offered over a realtime (websocket) connection."""
    terms: str | None
    """Address of the model's licence or terms of use."""
    info_url: str | None
    """Address of more information about the model."""
    accepts_json_schema: bool
    """The input takes `response_format: {"type": "json_schema", ...}`."""
    json_schema_named: bool
    """That `json_schema` is OpenAI's `{"name", "schema", "strict"}` object rather than the bare schema."""
    accepts_json_object: bool
    """The input takes `response_format: {"type": "json_object"}`."""
    accepts_guided_json: bool
    """The input takes `guided_json` (a JSON Schema the output is constrained to)."""
    accepts_tools: bool
    """The input takes `tools`: `client.tool_calls` and `client.run_tools` work with it."""
    accepts_stream: bool
    """The input takes `stream: true` (server-sent events)."""
    structured_output: StructuredOutputMethod | None
    """The method `client.parse` uses (None: the model cannot promise JSON, `parse` refuses it)."""


@functools.cache
def all_model_info() -> Mapping[str, ModelInfo]:
    """Every catalog model's `ModelInfo`, by id (the generated `_capabilities` module, loaded on first use)."""
    module = importlib.import_module(f"{_PACKAGE}._capabilities")
    table: Mapping[str, ModelInfo] = module.CAPABILITIES
    return table


def model_info(model: str) -> ModelInfo | None:
    return all_model_info().get(model)
