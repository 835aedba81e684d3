# Copied by workers-ai-codegen from generator/runtime/_stream_reader.py: edit it there.
"""`StreamReader`: the events of a streamed response, as `_sse.SSEDecoder` cuts them, turned into values.

The rules (see `_streaming.py`): `[DONE]` ends the stream; `event: error` or a JSON chunk with an `error`
member is an `APIError`; data that is not JSON, not UTF-8 or not a chunk is a `MalformedResponseError` or
a `ResponseValidationError`; the size limit and the idle timeout are checked once per network read.
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any, Generic, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from ._envelope import api_error, error_details
from ._limits import shorten
from ._redact import drop_tracebacks
from ._release import Orphans, release
from ._sse import ServerSentEvent, SSEDecodeError, SSEDecoder, decode_utf8
from ._validation import pydantic_issues
from .errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    MalformedResponseError,
    ResponseTooLargeError,
    ResponseValidationError,
)

__all__ = ["StreamReader"]

T = TypeVar("T")

_DONE: Any = object()
_SKIP: Any = object()


def _carries_error(chunk: Any) -> bool:
    """A validated chunk whose extra members hold a non-empty `error` (as `{"error": ...}` would)."""
    extra = chunk.__pydantic_extra__
    return bool(extra and extra.get("error"))


class StreamReader(Generic[T]):
    """Turns a response's events into values. The stream objects own a reader, never the reverse, so a
    dropped stream is freed (and its connection released) by reference counting, not left to the cyclic
    garbage collector."""

    def __init__(
        self,
        response: httpx.Response | None,
        parse: Callable[[Any], T],
        model: str | None,
        max_bytes: int,
        idle: float | None,
        orphans: Orphans | None,
    ) -> None:
        self.response = response
        self.model = model
        self._parse = parse
        # Typed chunks: pydantic parses and validates the event's JSON bytes in one pass, several times
        # faster than `json.loads` then `model_validate`; the model's own validator is called directly,
        # without `model_validate_json`'s per-call Python layer (`model_rebuild` builds a deferred one
        # first, and does nothing once built). Only for a model that keeps extra members, where an
        # `error` member stays visible (`_carries_error`). Anything the validator rejects takes the
        # general path, which words the error.
        self._validate: Callable[[str | bytes], T] | None = None
        owner = getattr(parse, "__self__", None)
        if (
            isinstance(owner, type)
            and issubclass(owner, BaseModel)
            and owner.model_config.get("extra") == "allow"
        ):
            owner.model_rebuild()
            self._validate = owner.__pydantic_validator__.validate_json
        self.done = False  # `[DONE]` was read
        self._max_bytes = max_bytes
        self._idle = idle
        self.orphans = orphans

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
            f"error event in the stream: {shorten(message)}",
            status_code=status,
            errors=errors,
            response=self.response,
            body=raw.encode(),
            model=self.model,
        )

    def _handle(self, event: bytes | ServerSentEvent) -> Any:
        """One event's value, `_DONE` or `_SKIP`, by the general rules; raises for an error event or data
        that is not a chunk."""
        if type(event) is bytes:
            try:
                kind, data = "message", decode_utf8(event)
            except SSEDecodeError as exc:
                raise self._decode_error(exc) from None
        else:
            kind, data = event.event, event.data  # type: ignore[union-attr]
        if kind == "error":
            try:
                payload = json.loads(data)
            except (ValueError, RecursionError):
                payload = None
            raise self._error(payload, data)
        if data == "[DONE]":
            return _DONE
        if not data.strip():
            return _SKIP
        validate = self._validate
        if validate is not None and '"error"' not in data:
            try:
                value = validate(data)
            except ValidationError:
                pass
            else:
                if "\\u" not in data or not _carries_error(value):
                    return value
        try:
            payload = json.loads(data)
        except RecursionError:
            raise self._malformed("A stream event is nested too deeply to read", data.encode()) from None
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
        except RecursionError:
            raise self._malformed("A stream chunk is nested too deeply to read", data.encode()) from None

    def _transport_error(self, exc: httpx.HTTPError, decoder: SSEDecoder) -> Exception:
        if isinstance(exc, httpx.TimeoutException):
            return APITimeoutError(f"Timed out while reading the stream: {exc}", model=self.model)
        if decoder.partial:
            return self._malformed(f"The stream was cut in the middle of an event ({exc.__class__.__name__})")
        return APIConnectionError(
            f"The stream's connection broke: {exc.__class__.__name__}", model=self.model
        )

    def _decode_error(self, exc: SSEDecodeError) -> Exception:
        if exc.too_large:
            return ResponseTooLargeError(str(exc), model=self.model, response=self.response)
        return self._malformed(str(exc))

    def _start(self, response: httpx.Response, chunks: object) -> tuple[SSEDecoder, list[float]]:
        """A fresh decoder and the state `_events` keeps; `chunks` is held for the orphan sweep."""
        if self.orphans is not None:
            self.orphans.hold(response, chunks)
        return SSEDecoder(), [0.0, time.monotonic()]

    def _ended(self, decoder: SSEDecoder) -> None:
        """At the end of the body: raise if it ended inside an event."""
        if decoder.partial and not decoder.pending_done():
            raise self._malformed("The stream ended in the middle of an event")

    def _events(self, chunk: bytes, decoder: SSEDecoder, state: list[float]) -> list[bytes | ServerSentEvent]:
        """The events `chunk` completes; enforces the size limit and the idle timeout (once per network
        chunk, not per event). `state` is [bytes so far, time of the last event]."""
        state[0] += len(chunk)
        if state[0] > self._max_bytes:
            raise ResponseTooLargeError(
                f"The stream is larger than max_response_bytes={self._max_bytes}; not read further",
                model=self.model,
                response=self.response,
            )
        try:
            events = decoder.read(chunk)
        except SSEDecodeError as exc:
            raise self._decode_error(exc) from None
        now = time.monotonic()
        if events:
            state[1] = now
        elif self._idle is not None and now - state[1] > self._idle:
            raise APITimeoutError(
                f"No event in the stream for {self._idle:g} s (comments and keep-alives do not count)",
                model=self.model,
            )
        return events

    def _values(self, chunk: bytes, decoder: SSEDecoder, state: list[float]) -> Iterator[T]:
        """The values of the events `chunk` completes, in order; sets `done` at `[DONE]`.

        The hot loop: a plain event's bytes go straight to the chunk validator. An error member would
        pass it as an extra field, so `"error"` is looked for once in the whole network chunk rather than
        in each event; a chunk that has it goes event by event through `_handle`. A key can also spell
        `error` with `\\u` escapes: in a chunk with any, each validated value's extra members are
        checked. `[DONE]` and whatever else the validator rejects go to `_handle`, which words the
        error."""
        events = self._events(chunk, decoder, state)
        validate = self._validate if b'"error"' not in chunk else None
        escaped = b"\\u" in chunk
        for event in events:
            if validate is not None and type(event) is bytes:
                try:
                    value = validate(event)
                except ValidationError:
                    pass
                else:
                    if not (escaped and _carries_error(value)):
                        yield value
                        continue
            value = self._handle(event)
            if value is _DONE:
                self.done = True
                return
            if value is not _SKIP:
                yield value

    def iterate(self) -> Iterator[T]:
        response = self.response
        assert response is not None
        chunks = response.iter_bytes()
        decoder, state = self._start(response, chunks)
        try:
            try:
                for chunk in chunks:
                    yield from self._values(chunk, decoder, state)
                    if self.done:
                        return
            except httpx.HTTPError as exc:
                raise self._transport_error(exc, decoder) from drop_tracebacks(exc)
            self._ended(decoder)
        finally:
            release(response, self.orphans)

    async def aiterate(self) -> AsyncIterator[T]:
        response = self.response
        assert response is not None
        chunks = response.aiter_bytes()
        decoder, state = self._start(response, chunks)
        try:
            try:
                async for chunk in chunks:
                    for value in self._values(chunk, decoder, state):
                        yield value
                    if self.done:
                        return
            except httpx.HTTPError as exc:
                raise self._transport_error(exc, decoder) from drop_tracebacks(exc)
            self._ended(decoder)
        finally:
            await response.aclose()
            if self.orphans is not None:
                self.orphans.forget(response)
