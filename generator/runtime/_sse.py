"""Server-sent events: an incremental, linear-time decoder with a line-length limit.

Why our own decoder rather than httpx-sse: it is small, adds no dependency, and we need to know whether
the body ended in the middle of an event (httpx-sse silently drops a partial event, which would turn a
cut stream into a quietly shortened answer). Lines may end in CRLF, LF or CR; bytes are split on line
ends before decoding, so a UTF-8 character split across network chunks is never broken, and invalid
UTF-8 is an error rather than silently replaced. A byte order mark at the start of the stream is skipped.

Two speeds, one result. Nearly every event a model streams is one `data: ` line and a blank line, so
`read()` cuts whole runs of such events out of a network chunk with `bytes.split` (done in C) and hands
back each one's data as undecoded bytes, which a JSON parser reads directly. Everything else (comments,
`event:`/`id:`/`retry:` fields, several data lines, CR line ends, an event cut across network chunks,
a chunk longer than the line limit) goes through the line-by-line decoder, which follows the SSE rules
in full; the fast cut only ever hands it whole events, so both agree on every byte.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from ._limits import MAX_SSE_LINE_BYTES

__all__ = ["SSEDecodeError", "SSEDecoder", "ServerSentEvent", "decode_utf8"]


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


def decode_utf8(raw: bytes) -> str:
    """`raw` as text; invalid UTF-8 raises `SSEDecodeError` (never replaced)."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SSEDecodeError(
            f"invalid UTF-8 in the stream ({exc.reason} at byte {exc.start} of a line)"
        ) from None


_LINE_END = re.compile(rb"\r\n|\r|\n")
_BOM = b"\xef\xbb\xbf"
# Splitting the run of complete events on this leaves exactly the data of each plain event.
_NEXT_DATA = b"\n\ndata: "


class SSEDecoder:
    """Incremental decoder: `feed(bytes)` returns the events completed so far; `read(bytes)` the same,
    except that a plain event (one `data: ` line, nothing else) comes as its data's undecoded bytes.

    Linear time: each byte is scanned a bounded number of times (an unfinished line is kept as a list of
    pieces, joined once when its end arrives), and a line or an event's data longer than `max_line`
    bytes raises `SSEDecodeError` instead of growing without bound.
    """

    __slots__ = (
        "_data",
        "_data_size",
        "_event",
        "_head",
        "_id",
        "_in_event",
        "_parts",
        "_size",
        "_skip_lf",
        "_started",
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
        self._started = False  # past the place where a byte order mark may be
        self._head = b""  # the first bytes while they could still be the start of a byte order mark

    @property
    def partial(self) -> bool:
        """True when the bytes so far end inside an event (an unfinished line or an undispatched event)."""
        return bool(self._parts) or self._in_event or bool(self._head)

    def feed(self, chunk: bytes) -> list[ServerSentEvent]:
        """The events `chunk` completes."""
        return self._read(chunk, True)  # type: ignore[return-value]

    def read(self, chunk: bytes) -> list[bytes | ServerSentEvent]:
        """The events `chunk` completes, in order; a plain `data: ` event as the bytes of its data (not
        yet checked to be UTF-8: the caller decodes it, or hands it to a parser that checks)."""
        return self._read(chunk, False)

    def _read(self, chunk: bytes, decode: bool) -> list[bytes | ServerSentEvent]:
        if not self._started:
            chunk = self._skip_bom(chunk)
        if b"\r" in chunk or len(chunk) > self.max_line:
            return self._lines(chunk)  # type: ignore[return-value]
        events: list[bytes | ServerSentEvent] = []
        if self._parts or self._in_event or self._skip_lf:
            # Finish the event begun in an earlier chunk line by line; the rest starts on an event's edge.
            end = chunk.find(b"\n\n")
            if end < 0:
                return self._lines(chunk)  # type: ignore[return-value]
            events += self._lines(chunk[: end + 2])
            chunk = chunk[end + 2 :]
        cut = chunk.rfind(b"\n\n")
        if cut < 0:
            events += self._lines(chunk)
            return events
        pieces = chunk[:cut].split(_NEXT_DATA)
        first = pieces[0]
        if first.startswith(b"data: "):
            pieces[0] = first[6:]
        else:  # not a plain event: the first piece is whole events (or blank lines) as they came
            events += self._lines(first + b"\n\n")
            pieces[0] = b""
        if chunk.count(b"\n", 0, cut) == 2 * len(pieces) - 2 and b"" not in pieces:
            # Only plain events: no line end but the separators', no event with empty data.
            events += [self._plain(piece) for piece in pieces] if decode else pieces
        else:
            for piece in pieces:
                if b"\n" not in piece:
                    if piece:  # an event with empty data is not dispatched
                        events.append(self._plain(piece) if decode else piece)
                else:  # a data line followed by more lines of the same event, or by other events
                    events += self._lines(b"data: " + piece + b"\n\n")
        if cut + 2 < len(chunk):
            events += self._lines(chunk[cut + 2 :])
        return events

    def _plain(self, data: bytes) -> ServerSentEvent:
        return ServerSentEvent("message", decode_utf8(data), self._id)

    def _skip_bom(self, chunk: bytes) -> bytes:
        chunk = self._head + chunk
        if len(chunk) < len(_BOM) and _BOM.startswith(chunk):
            self._head = chunk
            return b""
        self._started, self._head = True, b""
        return chunk[len(_BOM) :] if chunk.startswith(_BOM) else chunk

    def finish(self) -> list[ServerSentEvent]:
        """At the end of the body (kept for callers of the incremental API; lines end as they arrive)."""
        return []

    def _too_long(self) -> SSEDecodeError:
        return SSEDecodeError(
            f"a line or event of the stream is longer than {self.max_line} bytes", too_large=True
        )

    def _lines(self, chunk: bytes) -> list[ServerSentEvent]:
        """The general decoder: `chunk` line by line, following every rule of the format."""
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
            event = self._line(decode_utf8(piece))
            if event is not None:
                events.append(event)
            start = match.end()
        if chunk[-1:] == b"\r":  # the next piece may start with this line end's LF
            self._skip_lf = True
        if start < len(chunk):
            rest = chunk[start:]
            self._size += len(rest)
            if self._size > self.max_line:
                raise self._too_long()
            self._parts.append(rest)
        return events

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
