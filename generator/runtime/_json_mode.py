"""JSON mode cannot be streamed: refuse such an input before anything is sent.

JSON mode is a schema the output is held to (`response_format` of type `json_schema`, or `guided_json`);
`{"type": "json_object"}` only asks for JSON, and passes through as given, streamed or not.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .errors import Issue, JSONModeStreamingError

__all__ = ["refuse_streamed_json_mode"]


def refuse_streamed_json_mode(model: str, document: Mapping[str, Any]) -> None:
    """Raise `JSONModeStreamingError` when a streamed input asks for JSON mode (the API cannot stream it)."""
    response_format = document.get("response_format")
    kind = response_format.get("type") if isinstance(response_format, Mapping) else None
    if kind == "json_schema" or document.get("guided_json") is not None:
        where = "/response_format" if kind == "json_schema" else "/guided_json"
        raise JSONModeStreamingError(
            model, [Issue(where, "JSON mode cannot be streamed: drop stream=True, or use client.parse()")]
        )
