# Copied by workers-ai-codegen from generator/runtime/_base_client.py: edit it there.
"""`SyncClient` and `AsyncClient`: the request loop with retries, sync and async.

Everything but the I/O is shared and lives elsewhere: the settings in `_client_config.py`, the request
of a call in `_plan.py`, the reading of its reply and the verdict on a failed attempt in `_outcome.py` and
`_retry.py`. The two loops differ only in awaiting the send, the read and the sleep.

The generated `WorkersAI` / `AsyncWorkersAI` subclasses add only typed overloads and task methods; they
set the registry as class attributes (`_models`, `_untyped_models`) and call `_run` / `_stream`.

Hot path (benchmarked against a bare `httpx.Client.post` + `json.loads`): everything that depends only on
the model (validators, pydantic classes, accepted content types, the URL) is resolved once and cached, so a
call costs one dict lookup, one compiled-validator call, one `json` encode, the HTTP request and one
pydantic validation.
"""

from __future__ import annotations

import itertools
import time
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

import httpx

from . import _retry
from ._client_config import DEFAULT_BASE_URL, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT, ClientConfig, PoolT
from ._features import AsyncFeatures, SyncFeatures
from ._ids import model_id_problem
from ._limits import DEFAULT_MAX_RESPONSE_BYTES, aread_body, deadline_seconds, read_body
from ._options import CallOptions
from ._outcome import is_event_stream, parse_result, retry_delay, single_chunk, transport_error
from ._plan import Plan, WireHeaders, encode_input, model_path, plan_for, wire_headers
from ._resources import AsyncResources, SyncResources
from ._response import RawResponse
from ._streaming import AsyncStream, Stream
from .errors import InputValidationError, Issue

if TYPE_CHECKING:
    from collections.abc import Iterable

    from typing_extensions import Unpack

    from ._bulk import AsyncMapRun, MapRun
    from ._options import RequestOptions

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_MAX_RESPONSE_BYTES",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "AsyncClient",
    "SyncClient",
]

# Routes are cached per client; unknown model ids are unbounded in number, so the cache is too (oldest out).
_MAX_ROUTES = 512


class _BaseClient(ClientConfig[PoolT]):
    """Everything the sync and async clients share: one call prepared and its reply judged, no I/O."""

    def _sse_options(self, limit: int, deadline: float | None) -> dict[str, Any]:
        """How a stream of this client reads: size limit, idle timeout, where dropped responses go."""
        return {"max_bytes": limit, "idle": deadline, "orphans": self._orphans}

    def _call_deadline(self, call: CallOptions) -> float | None:
        """The deadline of one call: its own `timeout=` if it has one, else the client's."""
        if "timeout" in call.send:
            return deadline_seconds(call.send["timeout"])
        return getattr(self, "_deadline", None)

    def _route(self, model: str) -> tuple[Plan, httpx.URL]:
        try:
            route = self._routes.get(model)
        except TypeError:  # an unhashable "model" (a list, a dict): reported just below
            route = None
        if route is None:
            problem = model_id_problem(model)
            if problem:
                raise InputValidationError(None, [Issue("", problem)])
            spec = None if model in self._untyped_models else self._models.get(model)
            route = (plan_for(model, spec), self._endpoint.url(model_path(model)))
            if len(self._routes) >= _MAX_ROUTES:
                del self._routes[next(iter(self._routes))]
            self._routes[model] = route
        return route

    def _prepare(
        self, model: str, input: Any, stream: bool, call: CallOptions
    ) -> tuple[Plan, httpx.URL, bytes, WireHeaders]:
        """The plan, URL, body and headers of one call (`InputValidationError` before anything is sent)."""
        plan, url = self._route(model)
        if call.endpoint is not self._endpoint:
            url = call.endpoint.url(model_path(model))
        body, raw = encode_input(plan, model, input, stream, call)
        base, wire = (self._raw_headers, self._raw_wire) if raw else (self._json_headers, self._json_wire)
        return plan, url, body, wire_headers({**base, **call.headers}) if call.headers else wire

    def _open_stream(self, plan: Plan, response: httpx.Response, limit: int, deadline: float | None) -> Any:
        """The `Stream` / `AsyncStream` of server-sent events of a streaming reply."""
        return self._stream_class(
            response, plan.chunk, model=plan.model, **self._sse_options(limit, deadline)
        )

    def _json_stream(self, plan: Plan, response: httpx.Response) -> Any:
        """A read, non-SSE answer to a streaming request: an error, or a stream of its one result."""
        return self._stream_class(
            response, plan.chunk, model=plan.model, items=self._single_chunk(plan, response)
        )

    def _parse(self, plan: Plan, response: httpx.Response) -> Any:
        return parse_result(plan, response, self.strict)

    def _single_chunk(self, plan: Plan, response: httpx.Response) -> list[Any]:
        return single_chunk(plan, response, self.strict)

    _transport_error = staticmethod(transport_error)

    def _failed(self, exc: Exception, http: PoolT, model: str, attempt: int, call: CallOptions) -> float:
        """Seconds to wait before the next attempt after `exc`; raises the call's error when it gives up."""
        closed = None
        if isinstance(exc, RuntimeError) and http.is_closed:
            closed = f"{type(self).__name__} was used after {self._close_method}()"
        error = _retry.attempt_error(exc, lambda failure: transport_error(failure, model), closed)
        delay = retry_delay(error, attempt, call)
        if delay is None:
            raise error
        return delay


_C = TypeVar("_C", bound="SyncClient")
_A = TypeVar("_A", bound="AsyncClient")


class SyncClient(SyncResources, SyncFeatures, _BaseClient[httpx.Client]):
    """Blocking client. One `httpx.Client` (one connection pool) per instance unless `http_client` is given
    (then it is shared, not closed by `close()`, and its own timeout and limits apply instead of `timeout`).

    `timeout`: seconds for every phase, or an `httpx.Timeout` (default: connect 10 s, read/write/pool
    120 s); it is also a total deadline for each attempt (an `httpx.Timeout`: its read value), and the
    idle timeout of a stream (see `_limits.py`); expiry raises `APITimeoutError` (retried like any
    connection error). `max_retries`: extra attempts after the first (default 2; see `_retry.py` for what
    is retried). `strict=True` rejects results with anything the output schema does not declare, and
    NaN/Infinity. `max_response_bytes`: the most a reply may weigh once decoded (default 64 MiB; also per
    call). Forking and pickling: see `_fork.py`.
    """

    _pool_class = httpx.Client
    _stream_class = Stream
    _close_method = "close"

    def _run(self, model: str, input: Any, *, stream: bool = False, **options: Any) -> Any:
        """Call `model` with `input`.

        Known models: the input is encoded and validated (InputValidationError, nothing sent, when it does
        not fit), the result parsed into the model's pydantic output type (or a `BinaryOutput`); with
        `stream=True` or `{"stream": True}` in the input, a `Stream` of `TextGenerationChunk`.
        Unknown models (and catalog models without a schema): no validation; the raw JSON `result`
        (`Any`), a `BinaryOutput`, or a `Stream` of raw JSON chunks.
        `options`: per-request options (`_options.py`).
        """
        call = self._call_options(options)
        plan, url, body, headers = self._prepare(model, input, stream, call)
        limit, deadline = call.limit, self._call_deadline(call)
        http = self._http
        if self._orphans.queue:
            self._orphans.close_all()
        for attempt in itertools.count(1):
            started = time.monotonic()
            try:
                request = http.build_request("POST", url, content=body, headers=headers, **call.send)
                try:
                    response = http.send(request, stream=True)
                finally:
                    call.sent(request)
                if stream and is_event_stream(response):
                    result: Any = self._open_stream(plan, response, limit, deadline)
                else:
                    read_body(response, limit, deadline, started, model)
                    result = self._json_stream(plan, response) if stream else self._parse(plan, response)
                return (
                    RawResponse(response, result, attempt, time.monotonic() - started) if call.raw else result
                )
            except _retry.ATTEMPT_ERRORS as exc:
                delay = self._failed(exc, http, model, attempt, call)
            _retry.sleep(delay)

    def _stream(self, model: str, input: Any, **options: Any) -> Stream[Any]:
        result: Stream[Any] = self._run(model, input, stream=True, **options)
        return result

    def run_untyped(
        self, model: str, input: Any, *, stream: bool = False, **options: Unpack[RequestOptions]
    ) -> Any:
        """Run any model id, typed `Any`: for models newer than this package. An id the package knows is
        still validated and parsed as by `run()`; any other is sent as given and returns the raw
        `result` (JSON value), a `BinaryOutput`, or a `Stream` of raw chunks. `options`: as for `run()`."""
        return self._run(model, input, stream=stream, **options)

    def map_untyped(
        self,
        model: str,
        inputs: Iterable[Any],
        *,
        concurrency: int | None = None,
        ordered: bool = True,
        max_requeues: int | None = None,
    ) -> MapRun[Any]:
        """Run `model` over `inputs` with at most `concurrency` calls in flight (rules in `_bulk.py`);
        typed `Any`, for any model id (the generated `map()` is typed per catalog model and calls this).

        Yields a `MapItem` per input (`.result` or `.error`, never raising for one row), in input order
        unless `ordered=False`; `.summary` of the returned run tells what happened. `concurrency` defaults
        to `_bulk.DEFAULT_CONCURRENCY` (16), `max_requeues` (per rate-limited row) to 8."""
        from ._bulk import MapRun  # on first use: it is not on the import path of a plain `run()`

        run = self._run
        return MapRun(
            lambda value: run(model, value),
            inputs,
            concurrency=concurrency,
            ordered=ordered,
            max_requeues=max_requeues,
        )

    def close(self) -> None:
        self._orphans.close_all()
        if self._owns_http:
            self._http.close()

    def __enter__(self: _C) -> _C:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class AsyncClient(AsyncResources, AsyncFeatures, _BaseClient[httpx.AsyncClient]):
    """Async client. One `httpx.AsyncClient` (one connection pool) per instance unless `http_client` is
    given (then it is shared, not closed by `aclose()`, and its own timeout applies). Options as for
    `SyncClient`."""

    _pool_class = httpx.AsyncClient
    _stream_class = AsyncStream
    _close_method = "aclose"

    async def _run(self, model: str, input: Any, *, stream: bool = False, **options: Any) -> Any:
        """Async twin of `SyncClient._run` (returns an `AsyncStream` when streaming)."""
        call = self._call_options(options)
        plan, url, body, headers = self._prepare(model, input, stream, call)
        limit, deadline = call.limit, self._call_deadline(call)
        http = self._http
        if self._orphans.queue:
            await self._orphans.aclose_all()
        for attempt in itertools.count(1):
            started = time.monotonic()
            try:
                request = http.build_request("POST", url, content=body, headers=headers, **call.send)
                try:
                    response = await http.send(request, stream=True)
                finally:
                    call.sent(request)
                if stream and is_event_stream(response):
                    result: Any = self._open_stream(plan, response, limit, deadline)
                else:
                    await aread_body(response, limit, deadline, started, model)
                    result = self._json_stream(plan, response) if stream else self._parse(plan, response)
                return (
                    RawResponse(response, result, attempt, time.monotonic() - started) if call.raw else result
                )
            except _retry.ATTEMPT_ERRORS as exc:
                delay = self._failed(exc, http, model, attempt, call)
            await _retry.async_sleep(delay)

    async def _stream(self, model: str, input: Any, **options: Any) -> AsyncStream[Any]:
        result: AsyncStream[Any] = await self._run(model, input, stream=True, **options)
        return result

    async def run_untyped(
        self, model: str, input: Any, *, stream: bool = False, **options: Unpack[RequestOptions]
    ) -> Any:
        """Async twin of `SyncClient.run_untyped` (models newer than this package; typed `Any`)."""
        return await self._run(model, input, stream=stream, **options)

    def map_untyped(
        self,
        model: str,
        inputs: Iterable[Any],
        *,
        concurrency: int | None = None,
        ordered: bool = True,
        max_requeues: int | None = None,
    ) -> AsyncMapRun[Any]:
        """Async twin of `SyncClient.map_untyped`: `async for item in client.map_untyped(...)`."""
        from ._bulk import AsyncMapRun

        run = self._run
        return AsyncMapRun(
            lambda value: run(model, value),
            inputs,
            concurrency=concurrency,
            ordered=ordered,
            max_requeues=max_requeues,
        )

    async def aclose(self) -> None:
        await self._orphans.aclose_all()
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self: _A) -> _A:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()
