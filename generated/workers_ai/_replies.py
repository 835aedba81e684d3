# Copied by workers-ai-codegen from generator/runtime/_replies.py: edit it there.
"""Reading text-generation replies in every shape the catalog declares, and the chat request's schema.

Reply shapes (the `result` of the envelope):
- Workers AI's own: `{"response": "..." | {...}, "tool_calls": [{"name", "arguments"}], "usage"}`;
- OpenAI chat completions: `{"choices": [{"message": {"content", "tool_calls": [{"id", "type",
  "function": {"name", "arguments": "<JSON text>"}}]}}]}`;
- OpenAI responses: `{"output": [{"type": "message", "content": [{"type": "output_text", "text"}]},
  {"type": "function_call", "call_id", "name", "arguments"}]}`.

Everything here works on plain JSON values (`plain()` turns the client's pydantic results back into them),
so it does not depend on how the generated output classes are named or shaped.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from ._spec import load_schema_resource
from .errors import MalformedResponseError, ResponseValidationError

if TYPE_CHECKING:
    from ._base_client import _BaseClient

__all__ = [
    "chat_branch",
    "json_text",
    "message_fields",
    "plain",
    "raw_result",
    "reply_text",
    "request_objects",
    "request_property",
    "schema_resource",
]

_FENCE = re.compile(r"```[\w-]*[ \t]*\n?(.*?)\n?[ \t]*```", re.DOTALL)
_THINKING = re.compile(r"^\s*<think>.*?</think>\s*", re.DOTALL)


def plain(value: Any) -> Any:
    """A pydantic result (extras included) as plain JSON values; anything else unchanged."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    return value


def raw_result(error: ResponseValidationError) -> Any:
    """The envelope's `result` of a reply whose result did not fit the declared output types; `error` is
    raised again when the reply is not a readable envelope.

    Structured output and tool calls are read from the raw result: JSON mode answers an object where the
    catalog declares `response` a string, and models send tool arguments as JSON text where the catalog
    declares an object; both are validated against the caller's own models instead.
    """
    try:
        document = json.loads(error.body or b"")
    except ValueError:
        raise error from None
    if (
        isinstance(error, MalformedResponseError)
        or not isinstance(document, dict)
        or "result" not in document
    ):
        raise error
    return document["result"]


def _choice_message(result: Mapping[str, Any]) -> Mapping[str, Any] | None:
    choices = result.get("choices")
    if isinstance(choices, list) and choices and isinstance(choices[0], dict):
        message = choices[0].get("message") or choices[0].get("delta")
        return message if isinstance(message, dict) else None
    return None


def _output_texts(result: Mapping[str, Any]) -> Iterator[str]:
    for item in result.get("output") or []:
        if isinstance(item, dict) and item.get("type") == "message":
            for part in item.get("content") or []:
                if isinstance(part, dict) and isinstance(part.get("text"), str):
                    yield part["text"]


def reply_text(result: Any) -> Any:
    """The answer of a reply: a string, or the JSON value itself when JSON mode returned an object."""
    if isinstance(result, str):
        return result
    if not isinstance(result, dict):
        return None
    if "response" in result and result["response"] is not None:
        return result["response"]
    message = _choice_message(result)
    if message is not None:
        return message.get("content")
    texts = list(_output_texts(result))
    return "".join(texts) if texts else None


def json_text(text: str) -> str:
    """The JSON part of a model's text: without a leading `<think>` block, and the first Markdown code
    fence's content when there is one (models often wrap JSON in prose and a fence)."""
    stripped = _THINKING.sub("", text, count=1).strip()
    fenced = _FENCE.search(stripped)
    return fenced.group(1).strip() if fenced else stripped


def request_objects(schema: Any) -> Iterator[dict[str, Any]]:
    """The object schemas a value may be: the schema and its (nested) union branches.

    Properties of properties are not entered: a batch request's inner `requests` items do not make the
    model accept `tools` at the top level.
    """
    if not isinstance(schema, dict):
        return
    if isinstance(schema.get("properties"), dict):
        yield schema
    for key in ("oneOf", "anyOf", "allOf"):
        for branch in schema.get(key) or []:
            yield from request_objects(branch)


def schema_resource(client: _BaseClient[Any], model: str) -> str | None:
    """The file of the model's schemas in `_schemas/` (None for a model the client has no schema of)."""
    spec = None if model in client._untyped_models else client._models.get(model)
    return spec.schema_resource if spec is not None else None


def chat_branch(schema_resource: str) -> dict[str, Any] | None:
    """The object schema of the model's chat request (the branch of its input with `messages`)."""
    schema = load_schema_resource(schema_resource).get("input")
    return next((obj for obj in request_objects(schema) if "messages" in obj["properties"]), None)


def request_property(schema_resource: str, name: str) -> Any:
    """The schema of a top-level property of the chat request (None if it has none)."""
    branch = chat_branch(schema_resource)
    return branch["properties"].get(name) if branch is not None else None


def message_fields(schema_resource: str) -> dict[str, set[str]]:
    """Per message role, the fields a message may have ("*" = messages whose role is not an enum)."""
    fields: dict[str, set[str]] = {}
    messages = request_property(schema_resource, "messages")
    items = messages.get("items") if isinstance(messages, dict) else None
    for obj in request_objects(items):
        role = obj["properties"].get("role")
        roles = role.get("enum") if isinstance(role, dict) else None
        for name in roles if isinstance(roles, list) else ["*"]:
            fields.setdefault(str(name), set()).update(obj["properties"])
    return fields
