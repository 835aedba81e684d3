# Copied by workers-ai-codegen from generator/runtime/_tool_calls.py: edit it there.
"""Tool calls in replies: found in every reply shape, assembled from streamed chunks, and tool parameters
shaped for the catalog's `tools` schemas.

Every function here returns raw calls `{"id": str | None, "name": str | None, "arguments": Any}` where
`arguments` is an object or the JSON text the model wrote; `_tools.py` validates them into typed calls.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator, Mapping
from typing import Any

from ._replies import json_text, plain, reply_text

__all__ = ["ToolCallAssembler", "raw_tool_calls", "tool_parameters"]

RawCall = dict[str, Any]


def tool_parameters(schema: Mapping[str, Any]) -> dict[str, Any]:
    """A pydantic JSON Schema as a tool's `parameters`.

    The catalog's older `tools` schemas require a `description` on every parameter; one the model class
    does not describe gets its title (pydantic's "City" for `city`), so plain typed functions work.
    """
    parameters = copy.deepcopy(dict(schema))
    parameters.setdefault("type", "object")
    properties = parameters.setdefault("properties", {})
    for name, prop in properties.items():
        if isinstance(prop, dict) and "description" not in prop:
            prop["description"] = str(prop.get("title") or name)
    return parameters


def _normalise(item: Any) -> RawCall | None:
    if not isinstance(item, Mapping):
        return None
    function = item.get("function")
    if isinstance(function, Mapping):  # OpenAI: {"id", "type": "function", "function": {"name", "arguments"}}
        return {"id": item.get("id"), "name": function.get("name"), "arguments": function.get("arguments")}
    custom = item.get("custom")
    if isinstance(
        custom, Mapping
    ):  # OpenAI custom tools: {"id", "type": "custom", "custom": {"name", "input"}}
        return {"id": item.get("id"), "name": custom.get("name"), "arguments": custom.get("input")}
    if item.get("type") == "function_call":  # OpenAI responses: {"call_id", "name", "arguments"}
        return {
            "id": item.get("call_id") or item.get("id"),
            "name": item.get("name"),
            "arguments": item.get("arguments"),
        }
    if "name" in item:  # Workers AI: {"name", "arguments"} (some models say "parameters")
        arguments = item.get("arguments", item.get("parameters"))
        return {"id": item.get("id"), "name": item.get("name"), "arguments": arguments}
    return None


def _declared(result: Mapping[str, Any]) -> Iterator[Any]:
    yield from result.get("tool_calls") or []
    choices = result.get("choices")
    if isinstance(choices, list) and choices and isinstance(choices[0], Mapping):
        message = choices[0].get("message")
        if isinstance(message, Mapping):
            yield from message.get("tool_calls") or []
    for item in result.get("output") or []:
        if isinstance(item, Mapping) and item.get("type") == "function_call":
            yield item


def _in_text(result: Any) -> list[RawCall]:
    """Calls a model wrote as JSON in its answer (`{"name", "arguments"}` or a list of them)."""
    text = reply_text(result)
    if isinstance(text, str):
        try:
            text = json.loads(json_text(text))
        except ValueError:
            return []
    items = text if isinstance(text, list) else [text]
    calls = [_normalise(item) for item in items]
    if not calls or any(c is None or not isinstance(c.get("name"), str) for c in calls):
        return []
    return [c for c in calls if c is not None and ("arguments" in c and c["arguments"] is not None)]


def raw_tool_calls(result: Any) -> list[RawCall]:
    """The tool calls of a reply in any declared shape; else calls written as JSON in the answer text."""
    result = plain(result)
    if not isinstance(result, Mapping):
        return []
    calls = [c for c in (_normalise(item) for item in _declared(result)) if c is not None]
    return calls or _in_text(result)


class ToolCallAssembler:
    """Collects a streamed reply: its text and its tool calls, which may arrive split across chunks.

    OpenAI-style deltas carry an `index` per call and pieces of the `arguments` text; Workers AI's chunks
    carry `tool_calls` items whose `arguments` may be cut too (a piece without a name continues the last
    call). Pieces of text are joined; an object replaces what was there.
    """

    def __init__(self) -> None:
        self._calls: dict[Any, RawCall] = {}
        self._text: list[str] = []

    def feed(self, chunk: Any) -> None:
        data = plain(chunk)
        if not isinstance(data, Mapping):
            return
        pieces: list[Any] = list(data.get("tool_calls") or [])
        delta: Mapping[str, Any] = {}
        choices = data.get("choices")
        if isinstance(choices, list) and choices and isinstance(choices[0], Mapping):
            found = choices[0].get("delta") or choices[0].get("message") or {}
            delta = found if isinstance(found, Mapping) else {}
            pieces += list(delta.get("tool_calls") or [])
        text = data.get("response") if data.get("response") is not None else delta.get("content")
        if isinstance(text, str):
            self._text.append(text)
        for piece in pieces:
            self._add(piece)

    def _add(self, piece: Any) -> None:
        if not isinstance(piece, Mapping):
            return
        found = piece.get("function")
        function: Mapping[str, Any] = found if isinstance(found, Mapping) else {}
        name = piece.get("name") or function.get("name")
        arguments = piece.get("arguments", function.get("arguments"))
        key = piece.get("index")
        if key is None:
            starts_call = name is not None or piece.get("id") is not None or not self._calls
            key = ("call", len(self._calls)) if starts_call else list(self._calls)[-1]
        call = self._calls.setdefault(key, {"id": None, "name": None, "arguments": None})
        call["id"] = piece.get("id") or call["id"]
        call["name"] = call["name"] or name
        if isinstance(arguments, str) and (call["arguments"] is None or isinstance(call["arguments"], str)):
            call["arguments"] = (call["arguments"] or "") + arguments
        elif arguments is not None:
            call["arguments"] = arguments

    @property
    def text(self) -> str:
        return "".join(self._text)

    def tool_calls(self) -> list[RawCall]:
        calls = [dict(c) for c in self._calls.values()]
        return calls or _in_text({"response": self.text})
