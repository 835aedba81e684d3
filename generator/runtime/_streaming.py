"""Server-sent events: a small decoder, typed chunks, and `Stream` / `AsyncStream` over a response.

Why our own decoder rather than httpx-sse: it is ~60 lines, adds no dependency, and we need to know
whether the body ended in the middle of an event (httpx-sse silently drops a partial event, which would
turn a cut stream into a quietly shortened answer). Lines may end in CRLF, LF or CR; bytes are split on
line ends before decoding, so a UTF-8 character split across network chunks is never broken.

A stream ends cleanly at `data: [DONE]` (or at the end of the body after complete events). A body that
ends inside an event raises `MalformedResponseError`; `event: error` or a JSON chunk with an `error` member
raises `APIError`. The response is closed at the end, on error, on `close()`, on leaving a `with` block, and
when an abandoned iterator is garbage-collected (e.g. after `break`). A stream is never retried once it has
been returned to the caller, so data already yielded is never re-sent or duplicated.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable, Iterator
from types import TracebackType
from typing import Any, Generic, NamedTuple, TypeVar

import httpx
from pydantic import BaseModel, ConfigDict, ValidationError

from ._envelope import api_error, error_details
from ._validation import pydantic_issues
from .errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    MalformedResponseError,
    ResponseValidationError,
)

__all__ = [
    "AsyncStream",
    "SSEDecoder",
    "ServerSentEvent",
    "Stream",
    "StreamUsage",
    "TextGenerationChunk",
]

T = TypeVar("T")


class ServerSentEvent(NamedTuple):
    event: str
    data: str
    id: str | None


class SSEDecoder:
    """Incremental decoder: `feed(bytes)` returns the events completed so far."""

    __slots__ = ("_buffer", "_data", "_event", "_id", "_in_event")

    def __init__(self) -> None:
        self._buffer = b""
        self._data: list[str] = []
        self._event = ""
        self._id: str | None = None
        self._in_event = False

    @property
    def partial(self) -> bool:
        """True when the bytes so far end inside an event (an unfinished line or an undispatched event)."""
        return bool(self._buffer) or self._in_event

    def feed(self, chunk: bytes) -> list[ServerSentEvent]:
        buffer = self._buffer + chunk
        events: list[ServerSentEvent] = []
        start = 0
        length = len(buffer)
        while start < length:
            lf = buffer.find(b"\n", start)
            cr = buffer.find(b"\r", start, lf if lf >= 0 else length)
            if cr >= 0:
                if cr + 1 == length:
                    break  # a CR at the end: wait to see whether an LF follows
                end, nxt = cr, cr + 2 if buffer[cr + 1] == 0x0A else cr + 1
            elif lf >= 0:
                end, nxt = lf, lf + 1
            else:
                break
            event = self._line(buffer[start:end].decode("utf-8", errors="replace"))
            if event is not None:
                events.append(event)
            start = nxt
        self._buffer = buffer[start:]
        return events

    def finish(self) -> list[ServerSentEvent]:
        """At the end of the body: a trailing CR ends its line; returns nothing else."""
        if self._buffer.endswith(b"\r"):
            return self.feed(b"\n")
        return []

    def _line(self, line: str) -> ServerSentEvent | None:
        if not line:
            if not self._in_event:
                return None
            event = ServerSentEvent(self._event or "message", "\n".join(self._data), self._id)
            self._data, self._event, self._in_event = [], "", False
            return event if event.data or event.event != "message" else None
        if line.startswith(":"):
            return None
        field, _, value = line.partition(":")
        if value.startswith(" "):
            value = value[1:]
        if field == "data":
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
        return not self._buffer and self._in_event and self._data == ["[DONE]"]


class StreamUsage(BaseModel):
    # defer_build: the validator is built on the first streamed chunk, not at `import workers_ai.client`.
    model_config = ConfigDict(extra="allow", defer_build=True)

    prompt_tokens: float | None = None
    completion_tokens: float | None = None
    total_tokens: float | None = None


class TextGenerationChunk(BaseModel):
    """One streamed piece of a text generation. Extra members (e.g. OpenAI-style `choices`) are kept and
    reachable through `model_extra`."""

    # defer_build: the validator is built on the first streamed chunk, not at `import workers_ai.client`.
    model_config = ConfigDict(extra="allow", defer_build=True)

    response: str | None = None
    p: str | None = None
    usage: StreamUsage | None = None
    tool_calls: list[Any] | None = None


_DONE: Any = object()
_SKIP: Any = object()


class _Events(Generic[T]):
    """What `Stream` and `AsyncStream` share: turning one event into a value, `_DONE` or `_SKIP`."""

    response: httpx.Response | None
    model: str | None

    def __init__(self, response: httpx.Response | None, parse: Callable[[Any], T], model: str | None) -> None:
        self.response = response
        self.model = model
        self._parse = parse

    def _malformed(self, message: str, body: bytes | None = None) -> MalformedResponseError:
        return MalformedResponseError(message, model=self.model, response=self.response, body=body)

    def _error(self, payload: Any, raw: str) -> APIError:
        message, errors = raw, []
        if isinstance(payload, dict):
            inner = payload.get("error", payload)
            if isinstance(inner, dict):
                errors = error_details([inner])
                message = errors[0].message if errors else raw
            elif isinstance(inner, str):
                message = inner
            errors = errors or error_details(payload.get("errors"))
        status = self.response.status_code if self.response is not None else None
        return api_error(
            f"error event in the stream: {message}",
            status_code=status,
            errors=errors,
            response=self.response,
            body=raw.encode(),
            model=self.model,
        )

    def _handle(self, event: ServerSentEvent) -> Any:
        data = event.data
        if event.event == "error":
            try:
                payload = json.loads(data)
            except ValueError:
                payload = None
            raise self._error(payload, data)
        if data == "[DONE]":
            return _DONE
        if not data.strip():
            return _SKIP
        try:
            payload = json.loads(data)
        except ValueError:
            raise self._malformed(
                f"A stream event's data is not JSON: {data[:80]!r}", data.encode()
            ) from None
        if isinstance(payload, dict) and payload.get("error"):
            raise self._error(payload, data)
        try:
            return self._parse(payload)
        except ValidationError as exc:
            raise ResponseValidationError(
                "A stream chunk does not match the chunk schema",
                model=self.model,
                errors=pydantic_issues(exc, payload),
                response=self.response,
                body=data.encode(),
            ) from None

    def _transport_error(self, exc: httpx.HTTPError, decoder: SSEDecoder) -> Exception:
        if isinstance(exc, httpx.TimeoutException):
            return APITimeoutError(f"Timed out while reading the stream: {exc}", model=self.model)
        if decoder.partial:
            return self._malformed(f"The stream was cut in the middle of an event ({exc.__class__.__name__})")
        return APIConnectionError(
            f"The stream's connection broke: {exc.__class__.__name__}", model=self.model
        )

    def _ended(self, decoder: SSEDecoder) -> Exception | None:
        if decoder.pending_done():
            return None
        if decoder.partial:
            return self._malformed("The stream ended in the middle of an event")
        return None


class Stream(_Events[T]):
    """Iterator over the typed chunks of a streamed response; also a context manager.

    `for chunk in client.stream(...)` ends at `[DONE]`. Use `with` (or `close()`) to release the
    connection early.
    """

    def __init__(
        self,
        response: httpx.Response | None,
        parse: Callable[[Any], T],
        *,
        model: str | None = None,
        items: list[T] | None = None,
    ) -> None:
        super().__init__(response, parse, model)
        self._iterator: Iterator[T] = iter(items) if items is not None else self._iterate()

    def _iterate(self) -> Iterator[T]:
        response = self.response
        assert response is not None
        decoder = SSEDecoder()
        try:
            try:
                for chunk in response.iter_bytes():
                    for event in decoder.feed(chunk):
                        item = self._handle(event)
                        if item is _DONE:
                            return
                        if item is not _SKIP:
                            yield item
                for event in decoder.finish():
                    item = self._handle(event)
                    if item is _DONE:
                        return
                    if item is not _SKIP:
                        yield item
            except httpx.HTTPError as exc:
                raise self._transport_error(exc, decoder) from exc
            error = self._ended(decoder)
            if error is not None:
                raise error
        finally:
            response.close()

    def __iter__(self) -> Iterator[T]:
        return self

    def __next__(self) -> T:
        return next(self._iterator)

    def close(self) -> None:
        close = getattr(self._iterator, "close", None)
        if close is not None:
            close()
        if self.response is not None:
            self.response.close()

    def __enter__(self) -> Stream[T]:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Stream(model={self.model!r})"


class AsyncStream(_Events[T]):
    """Async iterator over the typed chunks of a streamed response; also an async context manager."""

    def __init__(
        self,
        response: httpx.Response | None,
        parse: Callable[[Any], T],
        *,
        model: str | None = None,
        items: list[T] | None = None,
    ) -> None:
        super().__init__(response, parse, model)
        self._items = items
        self._iterator: AsyncIterator[T] = self._iterate()

    async def _iterate(self) -> AsyncIterator[T]:
        if self._items is not None:
            for item in self._items:
                yield item
            return
        response = self.response
        assert response is not None
        decoder = SSEDecoder()
        try:
            try:
                async for chunk in response.aiter_bytes():
                    for event in decoder.feed(chunk):
                        item = self._handle(event)
                        if item is _DONE:
                            return
                        if item is not _SKIP:
                            yield item
                for event in decoder.finish():
                    item = self._handle(event)
                    if item is _DONE:
                        return
                    if item is not _SKIP:
                        yield item
            except httpx.HTTPError as exc:
                raise self._transport_error(exc, decoder) from exc
            error = self._ended(decoder)
            if error is not None:
                raise error
        finally:
            await response.aclose()

    def __aiter__(self) -> AsyncIterator[T]:
        return self

    async def __anext__(self) -> T:
        return await self._iterator.__anext__()

    async def close(self) -> None:
        aclose = getattr(self._iterator, "aclose", None)
        if aclose is not None:
            await aclose()
        if self.response is not None:
            await self.response.aclose()

    async def __aenter__(self) -> AsyncStream[T]:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    def __repr__(self) -> str:
        return f"AsyncStream(model={self.model!r})"
