"""`AsyncStreamContext`: what the async client's `stream()` returns, usable in all three ways people write.

    async with client.stream(model, input) as chunks: ...   # closes the stream on exit
    async for chunk in client.stream(model, input): ...     # closes it when the loop ends or breaks out
    chunks = await client.stream(model, input)               # the `AsyncStream` itself

The request starts on first use, not when `stream()` is called: an object that is never awaited or
entered sends nothing and leaves no un-awaited coroutine behind.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Generator
from types import TracebackType
from typing import Generic, TypeVar

from ._streaming import AsyncStream

__all__ = ["AsyncStreamContext"]

T = TypeVar("T")


class AsyncStreamContext(Generic[T]):
    """An `AsyncStream` to come: awaitable, an async context manager and async-iterable."""

    __slots__ = ("_open", "_stream")

    def __init__(self, open_stream: Callable[[], Awaitable[AsyncStream[T]]]) -> None:
        self._open = open_stream
        self._stream: AsyncStream[T] | None = None

    async def _get(self) -> AsyncStream[T]:
        if self._stream is None:
            self._stream = await self._open()
        return self._stream

    def __await__(self) -> Generator[object, None, AsyncStream[T]]:
        return self._get().__await__()

    async def __aenter__(self) -> AsyncStream[T]:
        return await self._get()

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._stream is not None:
            await self._stream.close()

    async def __aiter__(self) -> AsyncIterator[T]:
        stream = await self._get()
        try:
            async for chunk in stream:
                yield chunk
        finally:
            await stream.close()

    def __repr__(self) -> str:
        return f"<AsyncStreamContext {'open' if self._stream is not None else 'not started'}>"
