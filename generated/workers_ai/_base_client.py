# Copied by workers-ai-codegen from generator/runtime/_base_client.py: edit it there.
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
import time
from collections.abc import Iterable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, cast
from urllib.parse import quote

import httpx
from pydantic import BaseModel, ValidationError

from . import _fork, _retry
from ._binary import BinaryOutput, RawBody, prepare_input
from ._envelope import Accepts, error_from_response, is_json_media_type, media_type, unwrap
from ._features import AsyncFeatures, ClientFeatures, SyncFeatures
from ._gateway import (
    DEFAULT_GATEWAY_BASE_URL,
    Endpoint,
    GatewayOptions,
    as_gateway,
    build_endpoint,
    client_may_retry,
)
from ._headers import check_default_headers
from ._ids import account_id_problem, model_id_problem
from ._json_mode import refuse_streamed_json_mode
from ._limits import (
    DEFAULT_MAX_RESPONSE_BYTES,
    aread_body,
    check_max_response_bytes,
    deadline_seconds,
    read_body,
)
from ._options import CallOptions
from ._redact import RedactedHeaders, RedactedWireHeaders, Secret, drop_tracebacks
from ._release import Orphans
from ._resources import AsyncResources, SyncResources
from ._response import RawResponse
from ._spec import ModelSpec, import_type, load_schema_resource
from ._streaming import AsyncStream, Stream, TextGenerationChunk
from ._unions import is_branch_union
from ._urls import check_base_url
from ._user_agent import USER_AGENT
from ._validation import SchemaValidator, closed_schema, pydantic_issues, validate_output
from .errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    ClientClosedError,
    ConfigurationError,
    InputValidationError,
    Issue,
    MalformedResponseError,
    ResponseValidationError,
    WorkersAIError,
)

if TYPE_CHECKING:
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


_WireHeaders = list[tuple[bytes, bytes]] | dict[str, str]


def _wire_headers(headers: dict[str, str]) -> _WireHeaders:
    """Headers as the bytes httpx would encode them to, once: with a dozen gateway headers, encoding
    them on every request was most of a gateway call's extra cost. Values that are not ASCII stay text,
    so httpx reports them as it always has. Both forms hide the token in their repr."""
    try:
        return RedactedWireHeaders(
            (name.encode("ascii"), value.encode("ascii")) for name, value in headers.items()
        )
    except UnicodeEncodeError:
        return RedactedHeaders(headers)


def _model_path(model: str) -> str:
    # The model id goes into the path as documented (`@cf/meta/...`, slashes kept); anything that would
    # break the URL (spaces, `?`, `#`) is percent-encoded.
    return quote(model, safe="/@:+")


_PLANS: dict[ModelSpec, _Plan] = {}
_JSON_ONLY = Accepts(json=True)
# Routes are cached per client; unknown model ids are unbounded in number, so the cache is too (oldest out).
_MAX_ROUTES = 512


# Reported nesting stops counting here: enough to say "too deep", and the walk stays short.
_DEPTH_REPORTED = 1000


def _too_deep(model: str, document: Any) -> InputValidationError:
    """The error for an input whose nesting broke the interpreter's recursion limit: how deep it goes
    (or that it goes past `_DEPTH_REPORTED`), and a pointer into that branch (walked without recursion)."""
    deepest: list[str] = []
    path: list[str] = []
    stack: list[Any] = [iter([("", document)])]
    while stack and len(path) <= _DEPTH_REPORTED:
        step = next(stack[-1], None)
        if step is None:
            stack.pop()
            if path:
                path.pop()
            continue
        key, value = step
        if isinstance(value, dict | list):
            path.append(key)
            if len(path) > len(deepest):
                deepest = list(path)
            items = value.items() if isinstance(value, dict) else enumerate(value)
            stack.append(((str(k), v) for k, v in items))
    depth = len(deepest)
    amount = f"more than {_DEPTH_REPORTED}" if depth > _DEPTH_REPORTED else str(depth)
    pointer = "".join("/" + p.replace("~", "~0").replace("/", "~1") for p in deepest[1:33])
    return InputValidationError(
        model, [Issue(pointer, f"nested {amount} levels deep; too deep to validate and send")]
    )


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


class _BaseClient(ClientFeatures):
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
        gateway: str | GatewayOptions | Mapping[str, Any] | None = None,
        gateway_base_url: str | httpx.URL | None = None,
        unified_run: bool = False,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
    ) -> None:
        # The token is held in a `Secret` and the argument cleared at once, so that no frame local of
        # this constructor shows it in a traceback printed with its locals.
        secret, api_token = Secret((api_token or os.environ.get("CLOUDFLARE_API_TOKEN") or "").strip()), None
        account_id = account_id or os.environ.get("CLOUDFLARE_ACCOUNT_ID") or None
        if not account_id:
            raise ConfigurationError(
                "No Cloudflare account id: pass account_id= or set CLOUDFLARE_ACCOUNT_ID."
            )
        problem = account_id_problem(account_id)
        if problem:
            raise ConfigurationError(problem)
        if not secret.value:
            raise ConfigurationError("No Cloudflare API token: pass api_token= or set CLOUDFLARE_API_TOKEN.")
        if not secret.value.isascii() or not secret.value.isprintable() or " " in secret.value:
            # Never echo the token: an illegal header value would otherwise surface in an httpx error.
            raise ConfigurationError(
                "The API token contains whitespace or non-ASCII characters; check api_token= / CLOUDFLARE_API_TOKEN."
            )
        if max_retries < 0:
            raise ConfigurationError("max_retries must be >= 0.")
        self.account_id = account_id
        self.base_url = check_base_url(
            str(base_url or os.environ.get("CLOUDFLARE_BASE_URL") or DEFAULT_BASE_URL)
        )
        self.max_retries = max_retries
        self.strict = strict
        self.max_response_bytes = check_max_response_bytes(max_response_bytes)
        self._token = secret
        self._default_headers = check_default_headers(default_headers)
        self.gateway_base_url = str(gateway_base_url or DEFAULT_GATEWAY_BASE_URL).rstrip("/")
        headers = {"User-Agent": USER_AGENT, **self._default_headers}
        headers["Authorization"] = f"Bearer {secret.value}"
        self._base_headers = RedactedHeaders(headers)
        # Responses of streams dropped during a garbage collection, closed at the next call.
        self._orphans = Orphans()
        self._configure(as_gateway(gateway), unified_run, {})
        _fork.track(self)

    def _configure(self, gateway: GatewayOptions | None, unified_run: bool, send: Mapping[str, Any]) -> None:
        """Everything that depends on where calls go (see `_gateway.py`), prepared once, not per call."""
        self.gateway = gateway
        self.unified_run = unified_run
        self._endpoint: Endpoint = build_endpoint(
            self.base_url, self.gateway_base_url, self.account_id, gateway, unified_run
        )
        headers = {**self._base_headers, **self._endpoint.headers}
        self._json_headers = RedactedHeaders({**headers, "Content-Type": "application/json"})
        self._raw_headers = RedactedHeaders({**headers, "Content-Type": "application/octet-stream"})
        self._json_wire = _wire_headers(self._json_headers)
        self._raw_wire = _wire_headers(self._raw_headers)
        self._routes: dict[str, tuple[_Plan, httpx.URL]] = {}
        self._endpoints: dict[int, tuple[GatewayOptions, Endpoint]] = {}  # per-call gateways (`_options.py`)
        self._call = CallOptions(self._endpoint, self.max_retries, send, limit=self.max_response_bytes)

    def _config(self) -> dict[str, Any]:
        """The keyword arguments that rebuild this client (pickling); the sync/async clients add theirs."""
        return {
            "account_id": self.account_id,
            "api_token": self._token.value,
            "base_url": self.base_url,
            "max_retries": self.max_retries,
            "strict": self.strict,
            "default_headers": self._default_headers,
            "max_response_bytes": self.max_response_bytes,
            "gateway": self.gateway,
            "gateway_base_url": self.gateway_base_url,
            "unified_run": self.unified_run,
        }

    def __reduce__(self) -> tuple[Any, ...]:
        if getattr(self, "_user_http", False):
            raise TypeError(
                f"{type(self).__name__} built on your own http_client= cannot be pickled (a connection "
                "pool cannot travel); pickle a client that makes its own pool"
            )
        return (_fork.rebuild, (type(self), self._config()))

    def __copy__(self) -> Any:
        # `with_options()` copies share the pool; without this, `copy.copy` would go through
        # `__reduce__` and build a new client.
        clone = object.__new__(type(self))
        clone.__dict__.update(self.__dict__)
        return clone

    def _after_fork(self) -> None:
        """In a forked child: drop the parent's pool unused (see `_fork.py`)."""
        self._orphans.clear()

    def _sse_options(self, limit: int, deadline: float | None) -> dict[str, Any]:
        """How a stream of this client reads: size limit, idle timeout, where dropped responses go."""
        return {"max_bytes": limit, "idle": deadline, "orphans": self._orphans}

    def _call_deadline(self, call: CallOptions) -> float | None:
        """The deadline of one call: its own `timeout=` if it has one, else the client's."""
        if "timeout" in call.send:
            return deadline_seconds(call.send["timeout"])
        return getattr(self, "_deadline", None)

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(account_id={self.account_id!r}, base_url={self.base_url!r}, "
            f"max_retries={self.max_retries}, strict={self.strict})"
        )

    # -- preparing a call ------------------------------------------------------------------------------

    def _route(self, model: str) -> tuple[_Plan, httpx.URL]:
        try:
            route = self._routes.get(model)
        except TypeError:  # an unhashable "model" (a list, a dict): reported just below
            route = None
        if route is None:
            problem = model_id_problem(model)
            if problem:
                raise InputValidationError(None, [Issue("", problem)])
            spec = None if model in self._untyped_models else self._models.get(model)
            plan = _PLANS.get(spec) if spec is not None else None
            if plan is None:
                plan = _Plan(model, spec)
                if spec is not None:
                    _PLANS[spec] = plan
            route = (plan, self._endpoint.url(_model_path(model)))
            if len(self._routes) >= _MAX_ROUTES:
                del self._routes[next(iter(self._routes))]
            self._routes[model] = route
        return route

    def _prepare(
        self, model: str, input: Any, stream: bool, call: CallOptions
    ) -> tuple[_Plan, httpx.URL, bytes, _WireHeaders, bool]:
        plan, url = self._route(model)
        if call.endpoint is not self._endpoint:
            url = call.endpoint.url(_model_path(model))
        document = prepare_input(plan.spec, input, model)
        if type(document) is RawBody:
            call.refuse_raw_body(model)
            headers = _wire_headers({**self._raw_headers, **call.headers}) if call.headers else self._raw_wire
            return plan, url, document.data, headers, stream
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
            if is_dict:
                refuse_streamed_json_mode(model, document)
            if is_dict and document.get("stream") is not True:
                document = {**document, "stream": True}
        try:
            if plan.validator is not None:
                issues = plan.validator.issues(document)
                if issues:
                    raise InputValidationError(model, issues)
            if call.shapes:
                document = call.shape(model, document)
            body = _encode_json(document).encode()
        except RecursionError:
            raise _too_deep(model, document) from None
        except (TypeError, ValueError) as exc:
            where = _find_unserialisable(document, [])
            pointer = "".join("/" + p.replace("~", "~0").replace("/", "~1") for p in where or [])
            raise InputValidationError(model, [Issue(pointer, f"cannot be sent as JSON: {exc}")]) from None
        headers = _wire_headers({**self._json_headers, **call.headers}) if call.headers else self._json_wire
        return plan, url, body, headers, stream

    # -- reading a reply -------------------------------------------------------------------------------

    def _parse(self, plan: _Plan, response: httpx.Response) -> Any:
        result = unwrap(response, plan.model, plan.accepts, self.strict)
        output_type = plan.output_type
        if output_type is None or isinstance(result, BinaryOutput):
            return result
        try:
            parsed = validate_output(output_type, result, plan.strict_validator() if self.strict else None)
        except RecursionError:
            raise MalformedResponseError(
                "The result is nested too deeply to validate", model=plan.model, response=response
            ) from None
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

    def _transport_error(self, exc: httpx.HTTPError, model: str | None) -> WorkersAIError:
        drop_tracebacks(exc)  # httpcore's frames hold the raw request headers (the token) as locals
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

    def _should_retry(self, error: WorkersAIError, attempt: int, call: CallOptions) -> float | None:
        """Seconds to wait before the next attempt, or None to give up (then `error.attempts` is set)."""
        gateway = call.endpoint.gateway
        if attempt <= call.max_retries and _retry.is_retryable(error) and client_may_retry(error, gateway):
            delay = _retry.retry_delay(error, attempt)
            if delay is not None:
                logger.debug(
                    "Retrying %s in %.2f s after attempt %d of %d: %s",
                    getattr(error, "model", None),
                    delay,
                    attempt,
                    call.max_retries + 1,
                    error.__class__.__name__,
                )
                return delay
        if isinstance(error, APIError | APIConnectionError):  # the errors that report their attempts
            error.attempts = attempt
        return None


_C = TypeVar("_C", bound="SyncClient")
_A = TypeVar("_A", bound="AsyncClient")


class SyncClient(SyncResources, SyncFeatures, _BaseClient):
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
        gateway: str | GatewayOptions | Mapping[str, Any] | None = None,
        gateway_base_url: str | httpx.URL | None = None,
        unified_run: bool = False,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
    ) -> None:
        super().__init__(
            account_id=account_id,
            api_token=api_token,
            base_url=base_url,
            max_retries=max_retries,
            strict=strict,
            default_headers=default_headers,
            gateway=gateway,
            gateway_base_url=gateway_base_url,
            unified_run=unified_run,
            max_response_bytes=max_response_bytes,
        )
        self.timeout = timeout
        self._deadline = deadline_seconds(timeout)
        self._owns_http = http_client is None
        self._user_http = http_client is not None
        self._http = http_client if http_client is not None else self._new_pool()

    def _new_pool(self) -> httpx.Client:
        return httpx.Client(timeout=self.timeout, verify=_fork.shared_tls_context())

    def _config(self) -> dict[str, Any]:
        return {**super()._config(), "timeout": self.timeout}

    def _after_fork(self) -> None:
        super()._after_fork()
        if self._owns_http and not self._http.is_closed:
            self._http = cast(httpx.Client, _fork.UnbuiltPool(self, self._new_pool))

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
        plan, url, body, headers, stream = self._prepare(model, input, stream, call)
        limit, deadline = call.limit, self._call_deadline(call)
        if self._orphans.queue:
            self._orphans.close_all()
        http = self._http
        attempt = 0
        while True:
            attempt += 1
            try:
                started = time.monotonic()
                request = http.build_request("POST", url, content=body, headers=headers, **call.send)
                try:
                    response = http.send(request, stream=True)
                finally:
                    call.sent(request)
                if stream and self._is_event_stream(response):
                    result: Any = Stream(
                        response, plan.chunk, model=plan.model, **self._sse_options(limit, deadline)
                    )
                else:
                    read_body(response, limit, deadline, started, model)
                    result = self._json_stream(plan, response) if stream else self._parse(plan, response)
                if call.raw:
                    return RawResponse(response, result, attempt, time.monotonic() - started)
                return result
            except httpx.HTTPError as exc:
                error: WorkersAIError = self._transport_error(exc, model)
                error.__cause__ = exc
            except WorkersAIError as exc:
                error = exc
            except RuntimeError:
                if http.is_closed:
                    raise ClientClosedError(f"{type(self).__name__} was used after close()") from None
                raise
            delay = self._should_retry(error, attempt, call)
            if delay is None:
                raise error
            _retry.sleep(delay)

    def _json_stream(self, plan: _Plan, response: httpx.Response) -> Stream[Any]:
        """A read, non-SSE answer to a streaming request: an error, or a stream of its one result."""
        if response.status_code >= 300:
            raise error_from_response(response, plan.model)
        return Stream(response, plan.chunk, model=plan.model, items=self._single_chunk(plan, response))

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


class AsyncClient(AsyncResources, AsyncFeatures, _BaseClient):
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
        gateway: str | GatewayOptions | Mapping[str, Any] | None = None,
        gateway_base_url: str | httpx.URL | None = None,
        unified_run: bool = False,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
    ) -> None:
        super().__init__(
            account_id=account_id,
            api_token=api_token,
            base_url=base_url,
            max_retries=max_retries,
            strict=strict,
            default_headers=default_headers,
            gateway=gateway,
            gateway_base_url=gateway_base_url,
            unified_run=unified_run,
            max_response_bytes=max_response_bytes,
        )
        self.timeout = timeout
        self._deadline = deadline_seconds(timeout)
        self._owns_http = http_client is None
        self._user_http = http_client is not None
        self._http = http_client if http_client is not None else self._new_pool()

    def _new_pool(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(timeout=self.timeout, verify=_fork.shared_tls_context())

    def _config(self) -> dict[str, Any]:
        return {**super()._config(), "timeout": self.timeout}

    def _after_fork(self) -> None:
        super()._after_fork()
        if self._owns_http and not self._http.is_closed:
            self._http = cast(httpx.AsyncClient, _fork.UnbuiltPool(self, self._new_pool))

    async def _run(self, model: str, input: Any, *, stream: bool = False, **options: Any) -> Any:
        """Async twin of `SyncClient._run` (returns an `AsyncStream` when streaming)."""
        call = self._call_options(options)
        plan, url, body, headers, stream = self._prepare(model, input, stream, call)
        limit, deadline = call.limit, self._call_deadline(call)
        if self._orphans.queue:
            await self._orphans.aclose_all()
        http = self._http
        attempt = 0
        while True:
            attempt += 1
            try:
                started = time.monotonic()
                request = http.build_request("POST", url, content=body, headers=headers, **call.send)
                try:
                    response = await http.send(request, stream=True)
                finally:
                    call.sent(request)
                if stream and self._is_event_stream(response):
                    result: Any = AsyncStream(
                        response, plan.chunk, model=plan.model, **self._sse_options(limit, deadline)
                    )
                else:
                    await aread_body(response, limit, deadline, started, model)
                    result = self._json_stream(plan, response) if stream else self._parse(plan, response)
                if call.raw:
                    return RawResponse(response, result, attempt, time.monotonic() - started)
                return result
            except httpx.HTTPError as exc:
                error: WorkersAIError = self._transport_error(exc, model)
                error.__cause__ = exc
            except WorkersAIError as exc:
                error = exc
            except RuntimeError:
                if http.is_closed:
                    raise ClientClosedError(f"{type(self).__name__} was used after aclose()") from None
                raise
            delay = self._should_retry(error, attempt, call)
            if delay is None:
                raise error
            await _retry.async_sleep(delay)

    def _json_stream(self, plan: _Plan, response: httpx.Response) -> AsyncStream[Any]:
        """A read, non-SSE answer to a streaming request: an error, or a stream of its one result."""
        if response.status_code >= 300:
            raise error_from_response(response, plan.model)
        return AsyncStream(response, plan.chunk, model=plan.model, items=self._single_chunk(plan, response))

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
