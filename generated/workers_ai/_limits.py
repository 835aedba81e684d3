# Copied by workers-ai-codegen from generator/runtime/_limits.py: edit it there.
"""Limits that keep a hostile or broken server from exhausting memory, time or the stack.

- `DEFAULT_MAX_RESPONSE_BYTES` (64 MiB): the most a reply may weigh once decoded. gzip and deflate are
  inflated here at most `_INFLATE_STEP` bytes at a time (httpx would inflate each network read whole:
  64 KiB of a "bomb" is 64 MiB), counted as they come, so a small compressed bomb stops at the limit,
  not at its inflated size; other encodings are decoded by httpx and counted per read. Over it: `ResponseTooLargeError`. Clients take `max_response_bytes=`, and so does
  each call; a stream counts the bytes of the whole stream.
- `MAX_SSE_LINE_BYTES` (8 MiB): the longest line of a server-sent event stream, and the most data one
  event may carry.
- `timeout` is a total deadline for each attempt (from sending to the last byte), checked between reads,
  so a body trickled byte by byte cannot stretch a call forever; streams have an idle timeout instead:
  no event (comments such as `: ping` do not count) for that long ends the stream with `APITimeoutError`.
- `MAX_MESSAGE_CHARS`: error texts quote at most this much of anything that came from a server.
"""

from __future__ import annotations

import time
import zlib

import httpx

from .errors import (
    MAX_MESSAGE_CHARS,
    APITimeoutError,
    ConfigurationError,
    MalformedResponseError,
    ResponseTooLargeError,
    shorten,
)

__all__ = [
    "DEFAULT_MAX_RESPONSE_BYTES",
    "MAX_MESSAGE_CHARS",
    "MAX_SSE_LINE_BYTES",
    "aread_body",
    "check_max_response_bytes",
    "deadline_seconds",
    "read_body",
    "shorten",
]

DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024
_INFLATE_STEP = 1024 * 1024
_ZLIB_FORMATS = {"gzip": zlib.MAX_WBITS | 16, "x-gzip": zlib.MAX_WBITS | 16, "deflate": zlib.MAX_WBITS}
MAX_SSE_LINE_BYTES = 8 * 1024 * 1024


def check_max_response_bytes(value: object) -> int:
    if type(value) is not int or value <= 0:
        raise ConfigurationError(f"max_response_bytes must be a positive int, not {shorten(repr(value), 80)}")
    return value


def deadline_seconds(timeout: float | httpx.Timeout | None) -> float | None:
    """The per-attempt deadline (and a stream's idle timeout) that `timeout` means: a number is used as
    is; an `httpx.Timeout` gives its read timeout; None means no deadline."""
    if isinstance(timeout, httpx.Timeout):
        return timeout.read
    return None if timeout is None else float(timeout)


def _too_large(limit: int, model: str | None, response: httpx.Response) -> ResponseTooLargeError:
    return ResponseTooLargeError(
        f"The reply is larger than max_response_bytes={limit} once decoded; not read further",
        model=model,
        response=response,
    )


def _timed_out(seconds: float, model: str | None) -> APITimeoutError:
    return APITimeoutError(f"The reply took longer than the {seconds:g} s timeout", model=model)


class _Budget:
    """What one read may still take: bytes up to `limit`, time up to `seconds` after `started`."""

    __slots__ = ("deadline", "limit", "model", "parts", "response", "seconds", "size")

    def __init__(
        self, response: httpx.Response, limit: int, seconds: float | None, started: float, model: str | None
    ) -> None:
        self.response = response
        self.limit = limit
        self.seconds = seconds
        self.deadline = None if seconds is None else started + seconds
        self.model = model
        self.parts: list[bytes] = []
        self.size = 0

    def take(self, part: bytes) -> None:
        self.size += len(part)
        if self.size > self.limit:
            raise _too_large(self.limit, self.model, self.response)
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise _timed_out(self.seconds or 0.0, self.model)
        self.parts.append(part)


def read_body(
    response: httpx.Response, limit: int, seconds: float | None, started: float, model: str | None
) -> bytes:
    """Read a streamed `response` whole, decoded, within `limit` bytes and `seconds` from `started`;
    the response is closed in every case. The bytes become `response.content` as well."""
    budget = _Budget(response, limit, seconds, started, model)
    inflater = _Inflater.for_response(response, model)
    try:
        if inflater is None:
            for part in response.iter_bytes():
                budget.take(part)
        else:
            for raw in response.iter_raw():
                inflater.feed(raw, budget)
            inflater.finish(budget)
    finally:
        response.close()
    return _keep(response, budget.parts)


async def aread_body(
    response: httpx.Response, limit: int, seconds: float | None, started: float, model: str | None
) -> bytes:
    """Async twin of `read_body`."""
    budget = _Budget(response, limit, seconds, started, model)
    inflater = _Inflater.for_response(response, model)
    try:
        if inflater is None:
            async for part in response.aiter_bytes():
                budget.take(part)
        else:
            async for raw in response.aiter_raw():
                inflater.feed(raw, budget)
            inflater.finish(budget)
    finally:
        await response.aclose()
    return _keep(response, budget.parts)


class _Inflater:
    """gzip or deflate, inflated in steps of at most `_INFLATE_STEP` bytes (see the module text)."""

    def __init__(self, wbits: int, model: str | None, response: httpx.Response) -> None:
        self._wbits = wbits
        self._decoder = zlib.decompressobj(wbits)
        self._started = False
        self._model = model
        self._response = response

    @classmethod
    def for_response(cls, response: httpx.Response, model: str | None) -> _Inflater | None:
        wbits = _ZLIB_FORMATS.get(response.headers.get("content-encoding", "").strip().lower())
        return None if wbits is None else cls(wbits, model, response)

    def feed(self, data: bytes, budget: _Budget) -> None:
        try:
            while data:
                try:
                    piece = self._decoder.decompress(data, _INFLATE_STEP)
                except zlib.error:
                    if self._started or self._wbits != zlib.MAX_WBITS:
                        raise
                    # "deflate" is sent both with and without the zlib header (httpx accepts both).
                    self._wbits = -zlib.MAX_WBITS
                    self._decoder = zlib.decompressobj(self._wbits)
                    continue
                self._started = True
                if piece:
                    budget.take(piece)
                data = self._decoder.unconsumed_tail
        except zlib.error as exc:
            raise MalformedResponseError(
                f"The reply's compressed body is corrupt: {exc}", model=self._model, response=self._response
            ) from None

    def finish(self, budget: _Budget) -> None:
        tail = self._decoder.flush()
        if tail:
            budget.take(tail)


def _keep(response: httpx.Response, parts: list[bytes]) -> bytes:
    content = parts[0] if len(parts) == 1 else b"".join(parts)
    # What `Response.read()` would have stored: everything downstream reads `response.content`.
    response._content = content
    return content
