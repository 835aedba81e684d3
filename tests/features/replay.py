"""Replies of text-generation models in the shape each model's output schema declares, for the local server.

`chat_style(model)`: "openai" when the model's output schema is an OpenAI chat completion (`choices`) or
undeclared (a bare object, answered by Workers AI in that form), else "workers" (`{response, tool_calls}`).
"""

from __future__ import annotations

import json
from typing import Any

from tests.support.fault_server import Reply
from workers_ai._registry import model_schemas


def chat_style(model: str) -> str:
    output = json.dumps(model_schemas(model)["output_json"])
    return "workers" if '"response"' in output and '"choices"' not in output else "openai"


def answer(model: str, text: Any) -> Reply:
    """A reply whose answer is `text` (a string, or an object as JSON mode returns it)."""
    if chat_style(model) == "workers":
        return Reply.envelope({"response": text, "usage": {"prompt_tokens": 3, "completion_tokens": 5}})
    content = text if isinstance(text, str) else json.dumps(text)
    message = {"role": "assistant", "content": content}
    return Reply.envelope(
        {"id": "c1", "object": "chat.completion", "choices": [{"index": 0, "message": message}]}
    )


def tool_calls(model: str, *calls: tuple[str, dict[str, Any]], text: str | None = None) -> Reply:
    """A reply asking for `calls` ((name, arguments) pairs)."""
    if chat_style(model) == "workers":
        listed = [{"name": name, "arguments": arguments} for name, arguments in calls]
        return Reply.envelope({"response": text or "", "tool_calls": listed})
    listed_openai = [
        {
            "id": f"call_{n}",
            "type": "function",
            "function": {"name": name, "arguments": json.dumps(arguments)},
        }
        for n, (name, arguments) in enumerate(calls)
    ]
    message = {"role": "assistant", "content": text, "tool_calls": listed_openai}
    return Reply.envelope(
        {"id": "c1", "object": "chat.completion", "choices": [{"index": 0, "message": message}]}
    )


def streamed_tool_call(model: str, name: str, arguments: dict[str, Any], pieces: int = 3) -> Reply:
    """One tool call streamed with its arguments text cut into `pieces` chunks."""
    text = json.dumps(arguments)
    step = max(1, len(text) // pieces)
    cuts = [text[i : i + step] for i in range(0, len(text), step)]
    if chat_style(model) == "workers":
        events: list[Any] = [{"response": "", "tool_calls": [{"name": name, "arguments": cuts[0]}]}]
        events += [{"response": "", "tool_calls": [{"arguments": cut}]} for cut in cuts[1:]]
    else:
        first = {
            "index": 0,
            "id": "call_0",
            "type": "function",
            "function": {"name": name, "arguments": cuts[0]},
        }
        events = [{"choices": [{"index": 0, "delta": {"role": "assistant", "tool_calls": [first]}}]}]
        events += [
            {
                "choices": [
                    {"index": 0, "delta": {"tool_calls": [{"index": 0, "function": {"arguments": cut}}]}}
                ]
            }
            for cut in cuts[1:]
        ]
    return Reply.sse(events, chunk_delay=0.0)
