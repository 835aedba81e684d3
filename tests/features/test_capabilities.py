"""Capabilities as data: every catalog file's properties and input features, typed, reachable by id."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from workers_ai import models

SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"


def _catalog() -> list[dict[str, Any]]:
    files = sorted(p for p in SCHEMAS.glob("*.json") if not p.name.startswith("_"))
    return [json.loads(p.read_text(encoding="utf-8")) for p in files]


def _property(document: dict[str, Any], name: str) -> Any:
    return next((p["value"] for p in document.get("properties", []) if p["property_id"] == name), None)


@pytest.mark.parametrize("document", _catalog(), ids=lambda d: d["name"])
def test_each_catalog_file_is_described(document: dict[str, Any]) -> None:
    info = models.info(document["name"])
    assert info.function_calling == (_property(document, "function_calling") == "true")
    assert info.batch == (_property(document, "async_queue") == "true")
    assert info.lora == (_property(document, "lora") == "true")
    assert info.beta == (_property(document, "beta") == "true")
    assert info.vision == (_property(document, "vision") == "true")
    assert info.reasoning == (_property(document, "reasoning") == "true")
    assert info.terms == _property(document, "terms")
    window = _property(document, "context_window")
    assert info.context_window == (int(window) if window else None)
    request = json.dumps(document.get("schema", {}).get("input", {}))
    assert info.accepts_tools <= ('"tools"' in request)
    assert info.accepts_guided_json == ('"guided_json"' in request)


def test_counts_match_the_catalog() -> None:
    # The catalog: 11 models take `response_format`, 16 take `tools`, 9 are marked function_calling.
    assert len([m for m in models.find() if m.accepts_json_schema or m.accepts_json_object]) == 11
    assert len(models.find(accepts_tools=True)) == 16
    assert len(models.find(function_calling=True)) == 9


def test_method_choice_follows_the_data() -> None:
    assert models.info("@cf/zai-org/glm-4.7-flash").structured_output == "json_schema"
    assert models.info("@cf/zai-org/glm-4.7-flash").json_schema_named
    assert not models.info("@cf/meta/llama-3.1-8b-instruct-fp8").json_schema_named
    assert models.info("@cf/qwen/qwq-32b").structured_output == "guided_json"
    assert models.info("@cf/meta/llama-guard-3-8b").structured_output == "json_object"
    assert models.info("@cf/meta/llama-3.2-1b-instruct").structured_output is None
    untyped = models.info("@cf/swiss-ai/apertus-v1.5-8b")  # in the catalog without schemas
    assert untyped.function_calling and untyped.context_window == 262_144 and not untyped.accepts_tools


def test_lookups() -> None:
    with pytest.raises(KeyError, match="not-a-model"):
        models.info("@cf/not-a-model")
    assert models.get("@cf/not-a-model") is None
    found = models.find(task="text-generation", function_calling=True, reasoning=True)
    assert [m.id for m in found] == sorted(m.id for m in found) and found
    assert all(m.task == "text-generation" and m.reasoning for m in found)
    with pytest.raises(TypeError, match="no field 'colour'"):
        models.find(colour="blue")


def test_model_pages_show_capabilities() -> None:
    page = (SCHEMAS.parent / "generated" / "docs" / "text-generation" / "glm-4.7-flash.md").read_text()
    assert "- Context window: 131,072 tokens" in page
    assert "- Structured output: `client.parse(...)` via `json_schema`" in page
