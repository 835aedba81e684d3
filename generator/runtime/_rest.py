"""Account-scoped REST calls outside `/ai/run` (catalog, fine-tunes, to-markdown, batch polling).

`SyncRest` / `AsyncRest` send one request with the client's retry rule (`_retry.py`: connection errors,
408/409/429/5xx, codes 3040/3007; the same waits) and read Cloudflare's envelope: `Reply(result, info)`
where `info` is the envelope's `result_info` (pagination), or the `APIError` the reply describes.

This module needs only httpx and the other runtime modules, never the generated package: the generator's
`sync` command and live drift check import it as `generator.runtime._rest` to read the catalog even when
the generated client is stale or broken.

Multipart bodies are described by `FilePart`s whose content is bytes or a path; a path is opened again for
each attempt, so a retried upload re-sends the whole file without holding it in memory.
"""

from __future__ import annotations

import contextlib
import itertools
import json
from collections.abc import Coroutine, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar
from urllib.parse import quote

import httpx

from . import _retry
from ._envelope import Accepts, unwrap
from ._redact import RedactedHeaders, drop_tracebacks
from .errors import APIConnectionError, APIError, APITimeoutError, InputValidationError, Issue, WorkersAIError

__all__ = [
    "AsyncRest",
    "FilePart",
    "QueryParams",
    "Reply",
    "SyncRest",
    "account_url",
    "encode_json",
    "read_envelope",
]

_JSON = Accepts(json=True)
Params = Mapping[str, str | int | float | bool]
HttpT = TypeVar("HttpT", httpx.Client, httpx.AsyncClient)
ReplyT = TypeVar("ReplyT", "Reply", "Coroutine[Any, Any, Reply]")


class QueryParams:
    """Optional query parameters checked one by one: every failure is collected, and `checked()` raises
    them together (as `InputValidationError` for `what`) or returns the parameters to send."""

    def __init__(self, what: str) -> None:
        self._what = what
        self._params: dict[str, str | int | bool] = {}
        self._issues: list[Issue] = []

    def add(self, name: str, value: Any, valid: bool, rule: str, key: str | None = None) -> None:
        """Send `value` as `key` (default `name`) when it is `valid`; skip None; else report that it
        "must be `rule`"."""
        if value is None:
            return
        if valid:
            self._params[key or name] = value
        else:
            self._issues.append(Issue(f"/{name}", f"must be {rule}, not {value!r}"))

    def checked(self) -> dict[str, str | int | bool]:
        if self._issues:
            raise InputValidationError(self._what, self._issues)
        return self._params


class Reply:
    """A successful envelope: its `result`, and `info`, its `result_info` (None when absent)."""

    __slots__ = ("_response", "result")

    def __init__(self, result: Any, response: httpx.Response) -> None:
        self.result = result
        self._response = response

    @property
    def info(self) -> Any:
        # Read again on demand: only paged searches need it, and `unwrap` keeps just the result.
        document = json.loads(self._response.content)
        return document.get("result_info") if isinstance(document, dict) else None


@dataclass(frozen=True)
class FilePart:
    """One file of a multipart body: form field, file name, content (bytes or a path), media type."""

    field: str
    filename: str
    content: bytes | Path
    content_type: str = "application/octet-stream"

    @property
    def size(self) -> int:
        return len(self.content) if isinstance(self.content, bytes) else self.content.stat().st_size


def account_url(base_url: str, account_id: str) -> str:
    return f"{base_url.rstrip('/')}/accounts/{quote(account_id, safe='')}"


def encode_json(document: Any) -> bytes:
    """Compact UTF-8 JSON, as the client sends it (no NaN)."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()


@contextlib.contextmanager
def _attached(parts: Sequence[FilePart], args: dict[str, Any]) -> Iterator[None]:
    """`parts` as the multipart files of one attempt's `args`: a path is opened for the attempt and closed
    after it, so a retry re-sends the whole file."""
    if not parts:
        yield
        return
    with contextlib.ExitStack() as opened:
        args["files"] = [
            (
                part.field,
                (
                    part.filename,
                    part.content
                    if isinstance(part.content, bytes)
                    else opened.enter_context(part.content.open("rb")),
                    part.content_type,
                ),
            )
            for part in parts
        ]
        yield


def _transport_error(exc: httpx.HTTPError, what: str, model: str | None) -> WorkersAIError:
    drop_tracebacks(exc)  # httpcore's frames hold the request headers
    name = type(exc).__name__
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(f"{what}: timed out ({name})", model=model)
    if isinstance(exc, httpx.LocalProtocolError):  # its text could quote a header value: not kept
        return APIConnectionError(f"{what}: the request could not be sent ({name})", model=model)
    return APIConnectionError(f"{what}: connection error ({name}: {exc})", model=model)


def read_envelope(response: httpx.Response, label: str) -> Reply:
    """The envelope's result, or the error the reply describes (the same reading as `run`'s); `label`
    names the model or, for the other endpoints, the request in errors."""
    return Reply(unwrap(response, label, _JSON, strict=False), response)


def _describe(method: str, path: str, params: Params | None) -> str:
    """How errors name the request, e.g. "GET /ai/models/search?page=2&per_page=100"."""
    query = "&".join(f"{k}={_param(v)}" for k, v in (params or {}).items())
    return f"{method} {path}?{query}" if query else f"{method} {path}"


def _param(value: str | int | float | bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class _Rest(Generic[HttpT, ReplyT]):
    """One request's arguments, its retries and its errors, without I/O; `SyncRest` / `AsyncRest` only send
    (`HttpT` is the httpx client class, `ReplyT` a `Reply` or the coroutine of one)."""

    def __init__(self, http: HttpT, account_url: str, headers: Mapping[str, str], max_retries: int) -> None:
        self._http: HttpT = http
        self.account_url = account_url.rstrip("/")
        # Redacted: the token never shows in a repr or a frame's locals.
        self._headers = RedactedHeaders({k: v for k, v in headers.items() if k.lower() != "content-type"})
        self._json_headers = RedactedHeaders({**self._headers, "Content-Type": "application/json"})
        self.max_retries = max_retries

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Params | None = None,
        json_body: Any = None,
        files: Sequence[FilePart] = (),
        data: Mapping[str, str] | None = None,
        model: str | None = None,
    ) -> ReplyT:
        """`method` on `<account url><path>`; `json_body` (a JSON value, or bytes already encoded), or
        `files` (+ `data` form fields) as multipart. Errors name `model` when given (batch calls), else
        the request ("GET /ai/models/search?page=2&per_page=100")."""
        what = _describe(method, path, params)
        return self._send(method, self._args(path, params, json_body, data), files, what, model)

    def _send(
        self, method: str, args: dict[str, Any], files: Sequence[FilePart], what: str, model: str | None
    ) -> ReplyT:
        raise NotImplementedError  # the I/O: `SyncRest` / `AsyncRest`

    def _args(
        self, path: str, params: Params | None, body: Any, data: Mapping[str, str] | None
    ) -> dict[str, Any]:
        args: dict[str, Any] = {"url": self.account_url + path}
        if params:
            args["params"] = {k: _param(v) for k, v in params.items()}
        if body is not None:
            args["content"] = body if isinstance(body, bytes) else encode_json(body)
            args["headers"] = self._json_headers
        else:
            args["headers"] = self._headers
            if data is not None:
                args["data"] = dict(data)
        return args

    def __reduce__(self) -> Any:
        raise TypeError("a REST session is not picklable (it holds the API token); pickle the client instead")

    def _failed(self, exc: Exception, attempt: int, what: str, model: str | None) -> float:
        """Seconds to wait before the next attempt after `exc`; raises the request's error when it gives up."""
        closed = None
        if isinstance(exc, RuntimeError) and self._http.is_closed:
            closed = "the client was used after close()"
        error = _retry.attempt_error(exc, lambda failure: _transport_error(failure, what, model), closed)
        if attempt <= self.max_retries and _retry.is_retryable(error):
            delay = _retry.retry_delay(error, attempt)
            if delay is not None:
                return delay
        if isinstance(error, APIError | APIConnectionError):
            error.attempts = attempt
        raise error


class SyncRest(_Rest[httpx.Client, Reply]):
    def _send(
        self, method: str, args: dict[str, Any], files: Sequence[FilePart], what: str, model: str | None
    ) -> Reply:
        for attempt in itertools.count(1):
            try:
                with _attached(files, args):
                    return read_envelope(self._http.request(method, **args), model or what)
            except _retry.ATTEMPT_ERRORS as exc:
                delay = self._failed(exc, attempt, what, model)
            _retry.sleep(delay)
        raise AssertionError("unreachable")


class AsyncRest(_Rest[httpx.AsyncClient, Coroutine[Any, Any, Reply]]):
    async def _send(
        self, method: str, args: dict[str, Any], files: Sequence[FilePart], what: str, model: str | None
    ) -> Reply:
        for attempt in itertools.count(1):
            try:
                with _attached(files, args):
                    return read_envelope(await self._http.request(method, **args), model or what)
            except _retry.ATTEMPT_ERRORS as exc:
                delay = self._failed(exc, attempt, what, model)
            await _retry.async_sleep(delay)
        raise AssertionError("unreachable")
