# Copied by workers-ai-codegen from generator/runtime/_sse.py: edit it there.
"""Server-sent events: an incremental, linear-time decoder with a line-length limit.

Why our own decoder rather than httpx-sse: it is small, adds no dependency, and we need to know whether
the body ended in the middle of an event (httpx-sse silently drops a partial event, which would turn a
cut stream into a quietly shortened answer). Lines may end in CRLF, LF or CR; bytes are split on line
ends before decoding, so a UTF-8 character split across network chunks is never broken, and invalid
UTF-8 is an error rather than silently replaced.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from ._limits import MAX_SSE_LINE_BYTES

__all__ = ["SSEDecodeError", "SSEDecoder", "ServerSentEvent"]


class ServerSentEvent(NamedTuple):
    event: str
    data: str
    id: str | None


class SSEDecodeError(ValueError):
    """The stream cannot be decoded: invalid UTF-8 (`too_large` False) or a line or event longer than
    the decoder's `max_line` (`too_large` True)."""

    def __init__(self, message: str, *, too_large: bool = False) -> None:
        super().__init__(message)
        self.too_large = too_large


_LINE_END = re.compile(rb"\r\n|\r|\n")


class SSEDecoder:
    """Incremental decoder: `feed(bytes)` returns the events completed so far.

    Linear time: each byte is scanned once (an unfinished line is kept as a list of pieces, joined once
    when its end arrives), and a line or an event's data longer than `max_line` bytes raises
    `SSEDecodeError` instead of growing without bound.
    """

    __slots__ = (
        "_data",
        "_data_size",
        "_event",
        "_id",
        "_in_event",
        "_parts",
        "_size",
        "_skip_lf",
        "max_line",
    )

    def __init__(self, max_line: int = MAX_SSE_LINE_BYTES) -> None:
        self.max_line = max_line
        self._parts: list[bytes] = []
        self._size = 0
        self._skip_lf = False
        self._data: list[str] = []
        self._data_size = 0
        self._event = ""
        self._id: str | None = None
        self._in_event = False

    @property
    def partial(self) -> bool:
        """True when the bytes so far end inside an event (an unfinished line or an undispatched event)."""
        return bool(self._parts) or self._in_event

    def feed(self, chunk: bytes) -> list[ServerSentEvent]:
        if self._skip_lf:  # the previous piece ended in CR: an LF starting this one belongs to it
            self._skip_lf = False
            if chunk[:1] == b"\n":
                chunk = chunk[1:]
        events: list[ServerSentEvent] = []
        start = 0
        for match in _LINE_END.finditer(chunk):
            piece = chunk[start : match.start()]
            if self._parts:
                self._parts.append(piece)
                piece = b"".join(self._parts)
                self._parts, self._size = [], 0
            if len(piece) > self.max_line:
                raise self._too_long()
            event = self._line(self._decode(piece))
            if event is not None:
                events.append(event)
            start = match.end()
        if start and chunk[start - 1 : start] == b"\r":
            self._skip_lf = True
        if start < len(chunk):
            rest = chunk[start:]
            self._size += len(rest)
            if self._size > self.max_line:
                raise self._too_long()
            self._parts.append(rest)
        return events

    def finish(self) -> list[ServerSentEvent]:
        """At the end of the body (kept for callers of the incremental API; lines end as they arrive)."""
        return []

    def _too_long(self) -> SSEDecodeError:
        return SSEDecodeError(
            f"a line or event of the stream is longer than {self.max_line} bytes", too_large=True
        )

    @staticmethod
    def _decode(raw: bytes) -> str:
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise SSEDecodeError(
                f"invalid UTF-8 in the stream ({exc.reason} at byte {exc.start} of a line)"
            ) from None

    def _line(self, line: str) -> ServerSentEvent | None:
        if not line:
            if not self._in_event:
                return None
            event = ServerSentEvent(self._event or "message", "\n".join(self._data), self._id)
            self._data, self._data_size, self._event, self._in_event = [], 0, "", False
            return event if event.data or event.event != "message" else None
        if line.startswith(":"):
            return None
        field, _, value = line.partition(":")
        if value.startswith(" "):
            value = value[1:]
        if field == "data":
            self._data_size += len(value) + 1
            if self._data_size > self.max_line:
                raise self._too_long()
            self._data.append(value)
            self._in_event = True
        elif field == "event":
            self._event = value
            self._in_event = True
        elif field == "id":
            self._id = value
        return None

    def pending_done(self) -> bool:
        """The body ended right after a complete `data: [DONE]` line without the closing blank line."""
        return not self._parts and self._in_event and self._data == ["[DONE]"]
