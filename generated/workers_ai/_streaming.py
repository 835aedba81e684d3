# Copied by workers-ai-codegen from generator/runtime/_streaming.py: edit it there.
"""Server-sent events: typed chunks, and `Stream` / `AsyncStream` over a response.

The decoder is in `_sse.py` (re-exported here); turning its events into values, with every check below,
in `_stream_reader.py`.

A stream ends cleanly at `data: [DONE]` (or at the end of the body after complete events). A body that
ends inside an event raises `MalformedResponseError`; `event: error` or a JSON chunk with an `error` member
raises `APIError`; invalid UTF-8 inside an event raises `MalformedResponseError` (never silently replaced).
A line or an event longer than `MAX_SSE_LINE_BYTES`, or a whole stream over `max_response_bytes`, raises
`ResponseTooLargeError`; no event for the idle timeout (comments such as `: ping` do not count) raises
`APITimeoutError`. The response is closed at the end, on error, on `close()`, on leaving a `with` block,
and when the stream is dropped (see `_release.py` for the garbage collector's case). A stream is never
retried once it has been returned to the caller, so data already yielded is never re-sent or duplicated.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from types import TracebackType
from typing import Any, Generic, TypeVar

import httpx
from pydantic import BaseModel, ConfigDict

from ._limits import DEFAULT_MAX_RESPONSE_BYTES
from ._release import Orphans, release
from ._sse import ServerSentEvent, SSEDecodeError, SSEDecoder
from ._stream_reader import StreamReader

__all__ = [
    "AsyncStream",
    "SSEDecodeError",
    "SSEDecoder",
    "ServerSentEvent",
    "Stream",
    "StreamUsage",
    "TextGenerationChunk",
]

T = TypeVar("T")


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


async def _replay(items: list[T]) -> AsyncIterator[T]:
    for item in items:
        yield item


class _Streamed(Generic[T]):
    """What `Stream` and `AsyncStream` share: the response, the model, and a reader (the streams own the
    reader, never the reverse; see `StreamReader`)."""

    def __init__(
        self,
        response: httpx.Response | None,
        parse: Callable[[Any], T],
        *,
        model: str | None = None,
        items: list[T] | None = None,
        max_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        idle: float | None = None,
        orphans: Orphans | None = None,
    ) -> None:
        self.response = response
        self.model = model
        self._orphans = orphans
        self._begin(StreamReader(response, parse, model, max_bytes, idle, orphans), items)

    def _begin(self, reader: StreamReader[T], items: list[T] | None) -> None:
        raise NotImplementedError


class Stream(_Streamed[T]):
    """Iterator over the typed chunks of a streamed response; also a context manager.

    `for chunk in client.stream(...)` ends at `[DONE]`. Use `with` (or `close()`) to release the
    connection early; a stream that is simply dropped releases it too (at once, or at the client's next
    call when the garbage collector is the one dropping it).
    """

    _iterator: Iterator[T]

    def _begin(self, reader: StreamReader[T], items: list[T] | None) -> None:
        self._iterator = iter(items) if items is not None else reader.iterate()

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

    def __del__(self) -> None:
        response = getattr(self, "response", None)
        if response is not None:
            release(response, getattr(self, "_orphans", None))

    def __enter__(self) -> Stream[T]:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Stream(model={self.model!r})"


class AsyncStream(_Streamed[T]):
    """Async iterator over the typed chunks of a streamed response; also an async context manager.

    A dropped stream cannot be closed on the spot (closing is a coroutine): its connection goes back to
    the pool at the client's next call or `aclose()`."""

    _iterator: AsyncIterator[T]

    def _begin(self, reader: StreamReader[T], items: list[T] | None) -> None:
        self._iterator = _replay(items) if items is not None else reader.aiterate()

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

    def __del__(self) -> None:
        response = getattr(self, "response", None)
        orphans = getattr(self, "_orphans", None)
        if response is not None and orphans is not None:
            orphans.defer(response)

    async def __aenter__(self) -> AsyncStream[T]:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    def __repr__(self) -> str:
        return f"AsyncStream(model={self.model!r})"
