"""Media types, read one way by the client and by the generator (which imports this module as is)."""

from __future__ import annotations

__all__ = ["EVENT_STREAM", "JSON", "OCTET_STREAM", "is_json_media_type", "media_type"]

JSON = "application/json"
EVENT_STREAM = "text/event-stream"
OCTET_STREAM = "application/octet-stream"


def media_type(content_type: str | None) -> str:
    """`Content-Type` without parameters, lower case: "Application/JSON; charset=utf-8" -> "application/json"."""
    return (content_type or "").partition(";")[0].strip().lower()


def is_json_media_type(media: str) -> bool:
    """Whether a media type (as returned by `media_type`) is JSON: application/json or any `+json` type."""
    return media == JSON or media.endswith("+json")
