"""`SyncClient` and `AsyncClient`: configuration, the request loop with retries, and result parsing.

The generated `WorkersAI` / `AsyncWorkersAI` subclasses add only typed overloads and task methods; they
set the registry as class attributes (`_models`, `_untyped_models`) and call `_run` / `_stream`.

Hot path (benchmarked against a bare `httpx.Client.post` + `json.loads`): everything that depends only on
the model (validators, pydantic classes, accepted content types, the URL) is resolved once and cached, so a
call costs one dict lookup, one compiled-validator call, one `json` encode, the HTTP request and one
pydantic validation.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar
from urllib.parse import quote

import httpx
from pydantic import BaseModel, ValidationError

from . import _retry
from ._binary import BinaryOutput, RawBody, prepare_input
from ._envelope import Accepts, error_from_response, is_json_media_type, media_type, unwrap
from ._spec import ModelSpec, import_type, load_schema_resource
from ._streaming import AsyncStream, Stream, TextGenerationChunk
from ._unions import is_branch_union
from ._user_agent import USER_AGENT
from ._validation import SchemaValidator, closed_schema, pydantic_issues, validate_output
from .errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    ConfigurationError,
    InputValidationError,
    Issue,
    MalformedResponseError,
    ResponseValidationError,
    WorkersAIError,
)

if TYPE_CHECKING:
    from ._bulk import AsyncMapRun, MapRun

__all__ = ["DEFAULT_BASE_URL", "DEFAULT_MAX_RETRIES", "DEFAULT_TIMEOUT", "AsyncClient", "SyncClient"]

DEFAULT_BASE_URL = "https://api.cloudflare.com/client/v4"
DEFAULT_TIMEOUT = httpx.Timeout(120.0, connect=10.0)
DEFAULT_MAX_RETRIES = 2
EVENT_STREAM = "text/event-stream"


logger = logging.getLogger("workers_ai")

# One encoder for every call: `json.dumps(obj, **non_default_options)` builds a new JSONEncoder each time.
# Same output as httpx's `json=` (compact, UTF-8, no NaN), but we keep the bytes to re-send on retry.
_encode_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode


class _Plan:
    """Everything about one model that does not change between calls (shared by all clients)."""

    __slots__ = (
        "_strict",
        "accepts",
        "can_stream",
        "chunk",
        "model",
        "output_json",
        "output_type",
        "spec",
        "unwrap",
        "validator",
    )

    def __init__(self, model: str, spec: ModelSpec | None) -> None:
        self.model = model
        self.spec = spec
        self._strict: SchemaValidator | bool | None = False  # False: not compiled yet
        self.output_json: Any = None
        if spec is None:  # unknown or untyped model: no validation, raw results
            self.validator: SchemaValidator | None = None
            self.output_type: type[BaseModel] | None = None
            self.accepts = Accepts(json=True, any_binary=True)
            self.can_stream = True
            self.chunk: Any = _identity
            self.unwrap = False
            return
        schemas = load_schema_resource(spec.schema_resource)
        input_schema = schemas.get("input")
        self.validator = SchemaValidator(input_schema) if isinstance(input_schema, dict) else None
        self.output_json = schemas.get("output_json")
        self.output_type = import_type(spec.output_type) if spec.output_type else None
        self.unwrap = is_branch_union(self.output_type)  # oneOf of objects: return the branch itself
        declares_json = any(is_json_media_type(t) for t in spec.content_types)
        binary = tuple(t for t in spec.content_types if not is_json_media_type(t) and t != EVENT_STREAM)
        self.accepts = Accepts(json=declares_json or self.output_type is not None, binary=binary)
        self.can_stream = EVENT_STREAM in spec.content_types
        self.chunk = TextGenerationChunk.model_validate

    def strict_validator(self) -> SchemaValidator | None:
        if self._strict is False:
            schema = self.output_json
            self._strict = SchemaValidator(closed_schema(schema)) if isinstance(schema, dict | bool) else None
        return self._strict if isinstance(self._strict, SchemaValidator) else None


def _identity(value: Any) -> Any:
    return value


_PLANS: dict[ModelSpec, _Plan] = {}
_JSON_ONLY = Accepts(json=True)


def _find_unserialisable(value: Any, path: list[str]) -> list[str] | None:
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str | int | float | bool) and key is not None:
                return path
            found = _find_unserialisable(item, [*path, str(key)])
            if found is not None:
                return found
        return None
    if isinstance(value, list | tuple):
        for index, item in enumerate(value):
            found = _find_unserialisable(item, [*path, str(index)])
            if found is not None:
                return found
        return None
    if value is None or isinstance(value, str | int | bool):
        return None
    if isinstance(value, float):
        return None if value == value and value not in (float("inf"), float("-inf")) else path
    return path


class _BaseClient:
    """Configuration and everything the sync and async clients share (no I/O here)."""

    _models: ClassVar[Mapping[str, ModelSpec]] = {}
    _untyped_models: ClassVar[frozenset[str]] = frozenset()

    def __init__(
        self,
        *,
        account_id: str | None = None,
        api_token: str | None = None,
        base_url: str | httpx.URL | None = None,
        max_retries: int = DEFAULT_MAX_RETRIES,
        strict: bool = False,
        default_headers: Mapping[str, str] | None = None,
    ) -> None:
        account_id = account_id or os.environ.get("CLOUDFLARE_ACCOUNT_ID") or None
        if not account_id:
            raise ConfigurationError(
                "No Cloudflare account id: pass account_id= or set CLOUDFLARE_ACCOUNT_ID."
            )
        token = (api_token or os.environ.get("CLOUDFLARE_API_TOKEN") or "").strip()
        if not token:
            raise ConfigurationError("No Cloudflare API token: pass api_token= or set CLOUDFLARE_API_TOKEN.")
        if not token.isascii() or not token.isprintable() or " " in token:
            # Never echo the token: an illegal header value would otherwise surface in an httpx error.
            raise ConfigurationError(
                "The API token contains whitespace or non-ASCII characters; check api_token= / CLOUDFLARE_API_TOKEN."
            )
        if max_retries < 0:
            raise ConfigurationError("max_retries must be >= 0.")
        self.account_id = account_id
        self.base_url = str(base_url or os.environ.get("CLOUDFLARE_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")
        self.max_retries = max_retries
        self.strict = strict
        self._run_prefix = f"{self.base_url}/accounts/{quote(account_id, safe='')}/ai/run/"
        headers = {"User-Agent": USER_AGENT, **{str(k): str(v) for k, v in (default_headers or {}).items()}}
        headers["Authorization"] = f"Bearer {token}"
        self._json_headers = {**headers, "Content-Type": "application/json"}
        self._raw_headers = {**headers, "Content-Type": "application/octet-stream"}
        self._routes: dict[str, tuple[_Plan, httpx.URL]] = {}

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(account_id={self.account_id!r}, base_url={self.base_url!r}, "
            f"max_retries={self.max_retries}, strict={self.strict})"
        )

    # -- preparing a call ------------------------------------------------------------------------------

    def _route(self, model: str) -> tuple[_Plan, httpx.URL]:
        route = self._routes.get(model)
        if route is None:
            if not isinstance(model, str) or not model:
                raise InputValidationError(
                    None, [Issue("", f"model must be a non-empty string, not {model!r}")]
                )
            spec = None if model in self._untyped_models else self._models.get(model)
            plan = _PLANS.get(spec) if spec is not None else None
            if plan is None:
                plan = _Plan(model, spec)
                if spec is not None:
                    _PLANS[spec] = plan
            # The model id goes into the path as documented (`@cf/meta/...`, slashes kept); anything that
            # would break the URL (spaces, `?`, `#`) is percent-encoded.
            route = (plan, httpx.URL(self._run_prefix + quote(model, safe="/@:+")))
            self._routes[model] = route
        return route

    def _prepare(
        self, model: str, input: Any, stream: bool
    ) -> tuple[_Plan, httpx.URL, bytes, dict[str, str], bool]:
        plan, url = self._route(model)
        document = prepare_input(plan.spec, input, model)
        if type(document) is RawBody:
            return plan, url, document.data, self._raw_headers, stream
        is_dict = type(document) is dict
        if is_dict and document.get("stream") is True and not stream:
            # Typed as a plain result, it would come back as a stream: the keyword decides instead.
            raise InputValidationError(
                model,
                [Issue("/stream", "pass stream=True to run() (or use client.stream()), not in the input")],
            )
        if stream:
            if not plan.can_stream:
                raise InputValidationError(model, [Issue("/stream", "this model cannot stream its output")])
            if is_dict and document.get("stream") is not True:
                document = {**document, "stream": True}
        if plan.validator is not None:
            issues = plan.validator.issues(document)
            if issues:
                raise InputValidationError(model, issues)
        try:
            body = _encode_json(document).encode()
        except (TypeError, ValueError) as exc:
            where = _find_unserialisable(document, [])
            pointer = "".join("/" + p.replace("~", "~0").replace("/", "~1") for p in where or [])
            raise InputValidationError(model, [Issue(pointer, f"cannot be sent as JSON: {exc}")]) from None
        return plan, url, body, self._json_headers, stream

    # -- reading a reply -------------------------------------------------------------------------------

    def _parse(self, plan: _Plan, response: httpx.Response) -> Any:
        result = unwrap(response, plan.model, plan.accepts, self.strict)
        output_type = plan.output_type
        if output_type is None or isinstance(result, BinaryOutput):
            return result
        parsed = validate_output(output_type, result, plan.strict_validator() if self.strict else None)
        if type(parsed) is list:
            raise ResponseValidationError(
                "The result does not match the output schema",
                model=plan.model,
                errors=parsed,
                response=response,
                body=response.content,
            )
        if plan.unwrap:  # a RootModel over object branches (see _unions): the branch is the result
            union: Any = parsed
            return union.root
        return parsed

    def _single_chunk(self, plan: _Plan, response: httpx.Response) -> list[Any]:
        """A JSON answer to a streaming request becomes a stream of that one result."""
        result = unwrap(response, plan.model, _JSON_ONLY, self.strict)
        try:
            return [plan.chunk(result)]
        except ValidationError as exc:
            raise ResponseValidationError(
                "The result does not match the stream chunk schema",
                model=plan.model,
                errors=pydantic_issues(exc, result),
                response=response,
                body=response.content,
            ) from None

    @staticmethod
    def _is_event_stream(response: httpx.Response) -> bool:
        return response.status_code < 300 and media_type(response.headers.get("content-type")) == EVENT_STREAM

    def _transport_error(self, exc: httpx.HTTPError, model: str) -> WorkersAIError:
        name = exc.__class__.__name__
        if isinstance(exc, httpx.TimeoutException):
            return APITimeoutError(f"Request timed out ({name})", model=model)
        if isinstance(exc, httpx.DecodingError):
            return MalformedResponseError(f"The reply could not be decoded ({name})", model=model)
        if isinstance(exc, httpx.LocalProtocolError):
            # Raised for illegal request headers; its text could quote a header value, so it is not kept.
            return APIConnectionError(
                f"The request could not be sent ({name}); check default_headers", model=model
            )
        return APIConnectionError(f"Connection error ({name}: {exc})", model=model)

    def _should_retry(self, error: WorkersAIError, attempt: int) -> float | None:
        """Seconds to wait before the next attempt, or None to give up (then `error.attempts` is set)."""
        if attempt <= self.max_retries and _retry.is_retryable(error):
            delay = _retry.retry_delay(error, attempt)
            if delay is not None:
                logger.debug(
                    "Retrying %s in %.2f s after attempt %d of %d: %s",
                    getattr(error, "model", None),
                    delay,
                    attempt,
                    self.max_retries + 1,
                    error.__class__.__name__,
                )
                return delay
        if isinstance(error, APIError | APIConnectionError):  # the errors that report their attempts
            error.attempts = attempt
        return None


_C = TypeVar("_C", bound="SyncClient")
_A = TypeVar("_A", bound="AsyncClient")


class SyncClient(_BaseClient):
    """Blocking client. One `httpx.Client` (one connection pool) per instance unless `http_client` is given
    (then it is shared, not closed by `close()`, and its own timeout and limits apply instead of `timeout`).

    `timeout`: seconds for every phase, or an `httpx.Timeout` (default: connect 10 s, read/write/pool
    120 s); expiry raises `APITimeoutError` (retried like any connection error). `max_retries`: extra
    attempts after the first (default 2; see `_retry.py` for what is retried). `strict=True` rejects results
    with anything the output schema does not declare.
    """

    def __init__(
        self,
        *,
        account_id: str | None = None,
        api_token: str | None = None,
        base_url: str | httpx.URL | None = None,
        timeout: float | httpx.Timeout | None = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        strict: bool = False,
        http_client: httpx.Client | None = None,
        default_headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(
            account_id=account_id,
            api_token=api_token,
            base_url=base_url,
            max_retries=max_retries,
            strict=strict,
            default_headers=default_headers,
        )
        self.timeout = timeout
        self._owns_http = http_client is None
        self._http = http_client if http_client is not None else httpx.Client(timeout=timeout)

    def _run(self, model: str, input: Any, *, stream: bool = False) -> Any:
        """Call `model` with `input`.

        Known models: the input is encoded and validated (InputValidationError, nothing sent, when it does
        not fit), the result parsed into the model's pydantic output type (or a `BinaryOutput`); with
        `stream=True` or `{"stream": True}` in the input, a `Stream` of `TextGenerationChunk`.
        Unknown models (and catalog models without a schema): no validation; the raw JSON `result`
        (`Any`), a `BinaryOutput`, or a `Stream` of raw JSON chunks.
        """
        plan, url, body, headers, stream = self._prepare(model, input, stream)
        http = self._http
        attempt = 0
        while True:
            attempt += 1
            try:
                if not stream:
                    return self._parse(plan, http.post(url, content=body, headers=headers))
                response = http.send(
                    http.build_request("POST", url, content=body, headers=headers), stream=True
                )
                return self._open_stream(plan, response)
            except httpx.HTTPError as exc:
                error: WorkersAIError = self._transport_error(exc, model)
                error.__cause__ = exc
            except WorkersAIError as exc:
                error = exc
            delay = self._should_retry(error, attempt)
            if delay is None:
                raise error
            _retry.sleep(delay)

    def _open_stream(self, plan: _Plan, response: httpx.Response) -> Stream[Any]:
        if self._is_event_stream(response):
            return Stream(response, plan.chunk, model=plan.model)
        try:
            response.read()
        finally:
            response.close()
        if response.status_code >= 300:
            raise error_from_response(response, plan.model)
        return Stream(response, plan.chunk, model=plan.model, items=self._single_chunk(plan, response))

    def _stream(self, model: str, input: Any) -> Stream[Any]:
        result: Stream[Any] = self._run(model, input, stream=True)
        return result

    def run_untyped(self, model: str, input: Any, *, stream: bool = False) -> Any:
        """Run any model id, typed `Any`: for models newer than this package. An id the package knows is
        still validated and parsed as by `run()`; any other is sent as given and returns the raw
        `result` (JSON value), a `BinaryOutput`, or a `Stream` of raw chunks."""
        return self._run(model, input, stream=stream)

    def map(
        self,
        model: str,
        inputs: Iterable[Any],
        *,
        concurrency: int | None = None,
        ordered: bool = True,
        max_requeues: int | None = None,
    ) -> MapRun[Any]:
        """Run `model` over `inputs` with at most `concurrency` calls in flight (rules in `_bulk.py`).

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
        if self._owns_http:
            self._http.close()

    def __enter__(self: _C) -> _C:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class AsyncClient(_BaseClient):
    """Async client. One `httpx.AsyncClient` (one connection pool) per instance unless `http_client` is
    given (then it is shared, not closed by `aclose()`, and its own timeout applies). Options as for
    `SyncClient`."""

    def __init__(
        self,
        *,
        account_id: str | None = None,
        api_token: str | None = None,
        base_url: str | httpx.URL | None = None,
        timeout: float | httpx.Timeout | None = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        strict: bool = False,
        http_client: httpx.AsyncClient | None = None,
        default_headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(
            account_id=account_id,
            api_token=api_token,
            base_url=base_url,
            max_retries=max_retries,
            strict=strict,
            default_headers=default_headers,
        )
        self.timeout = timeout
        self._owns_http = http_client is None
        self._http = http_client if http_client is not None else httpx.AsyncClient(timeout=timeout)

    async def _run(self, model: str, input: Any, *, stream: bool = False) -> Any:
        """Async twin of `SyncClient._run` (returns an `AsyncStream` when streaming)."""
        plan, url, body, headers, stream = self._prepare(model, input, stream)
        http = self._http
        attempt = 0
        while True:
            attempt += 1
            try:
                if not stream:
                    return self._parse(plan, await http.post(url, content=body, headers=headers))
                request = http.build_request("POST", url, content=body, headers=headers)
                return await self._open_stream(plan, await http.send(request, stream=True))
            except httpx.HTTPError as exc:
                error: WorkersAIError = self._transport_error(exc, model)
                error.__cause__ = exc
            except WorkersAIError as exc:
                error = exc
            delay = self._should_retry(error, attempt)
            if delay is None:
                raise error
            await _retry.async_sleep(delay)

    async def _open_stream(self, plan: _Plan, response: httpx.Response) -> AsyncStream[Any]:
        if self._is_event_stream(response):
            return AsyncStream(response, plan.chunk, model=plan.model)
        try:
            await response.aread()
        finally:
            await response.aclose()
        if response.status_code >= 300:
            raise error_from_response(response, plan.model)
        return AsyncStream(response, plan.chunk, model=plan.model, items=self._single_chunk(plan, response))

    async def _stream(self, model: str, input: Any) -> AsyncStream[Any]:
        result: AsyncStream[Any] = await self._run(model, input, stream=True)
        return result

    async def run_untyped(self, model: str, input: Any, *, stream: bool = False) -> Any:
        """Async twin of `SyncClient.run_untyped` (models newer than this package; typed `Any`)."""
        return await self._run(model, input, stream=stream)

    def map(
        self,
        model: str,
        inputs: Iterable[Any],
        *,
        concurrency: int | None = None,
        ordered: bool = True,
        max_requeues: int | None = None,
    ) -> AsyncMapRun[Any]:
        """Async twin of `SyncClient.map`: `async for item in client.map(...)`."""
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
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self: _A) -> _A:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()
