# Copied by workers-ai-codegen from generator/runtime/_response.py: edit it there.
"""Results together with their HTTP response: `client.with_raw_response.run(...)`.

    raw = client.with_raw_response.run("@cf/huggingface/distilbert-sst-2-int8", {"text": "great"})
    raw.status_code, raw.headers, raw.elapsed, raw.cf_ray, raw.cache_status, raw.log_id
    result = raw.parse()  # exactly what `client.run(...)` returns

Same call, same validation, retries and errors as without `with_raw_response` (an error response still
raises, and the error keeps its `response`); the result is parsed before the wrapper is returned, so
`parse()` costs nothing. For a stream, `parse()` returns the `Stream` and `elapsed` is the time to the
response headers.
"""

from __future__ import annotations

import datetime
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar, cast

import httpx

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from ._features import AsyncFeatures, SyncFeatures
    from ._options import RequestOptions

__all__ = ["AsyncRawResponseClient", "CacheStatus", "RawResponse", "RawResponseClient"]

T = TypeVar("T")
CacheStatus = Literal["HIT", "MISS"]


class RawResponse(Generic[T]):
    """A parsed result and the HTTP response it came from.

    `status_code`, `headers`, `url`, `elapsed` (a `timedelta`), `attempts` (how many requests the client
    made), `http_response` (the `httpx.Response`), and the Cloudflare headers as typed fields: `cf_ray`,
    `cache_status` (`"HIT"` / `"MISS"` when the gateway cache was consulted), `log_id` (the gateway log
    entry, for `gateway_feedback`), `request_id`, `event_id` (None when absent).
    """

    __slots__ = ("_elapsed", "_result", "attempts", "http_response")

    def __init__(self, response: httpx.Response, result: T, attempts: int, elapsed: float) -> None:
        self.http_response = response
        self._result = result
        self.attempts = attempts
        self._elapsed = elapsed

    def parse(self) -> T:
        return self._result

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def url(self) -> httpx.URL:
        return self.http_response.url

    @property
    def elapsed(self) -> datetime.timedelta:
        """Time from sending the (last) request to the complete response (to the headers for a stream)."""
        return datetime.timedelta(seconds=self._elapsed)

    def _header(self, name: str) -> str | None:
        value: str | None = self.http_response.headers.get(name)
        return value

    @property
    def cf_ray(self) -> str | None:
        return self._header("cf-ray")

    @property
    def cache_status(self) -> CacheStatus | None:
        """`"HIT"` or `"MISS"`; None when the gateway cache was not consulted (or said something else:
        the header itself stays in `headers`)."""
        value = (self._header("cf-aig-cache-status") or "").upper()
        return "HIT" if value == "HIT" else "MISS" if value == "MISS" else None

    @property
    def log_id(self) -> str | None:
        return self._header("cf-aig-log-id")

    @property
    def request_id(self) -> str | None:
        return self._header("cf-aig-request-id")

    @property
    def event_id(self) -> str | None:
        return self._header("cf-aig-event-id")

    def __repr__(self) -> str:
        return f"<RawResponse [{self.status_code}] {self.http_response.request.method} {self.url}>"


class RawResponseClient:
    """`client.with_raw_response`: the client's call methods, returning `RawResponse` objects.

    `run` and `stream` are declared here; task methods (`with_raw_response.text_classification(...)`)
    are looked up on the client."""

    def __init__(self, client: SyncFeatures) -> None:
        self._client = client

    def run(
        self, model: str, input: Any, *, stream: bool = False, **options: Unpack[RequestOptions]
    ) -> RawResponse[Any]:
        return cast(RawResponse[Any], self._client._run(model, input, stream=stream, **options))

    def stream(self, model: str, input: Any, **options: Unpack[RequestOptions]) -> RawResponse[Any]:
        return cast(RawResponse[Any], self._client._run(model, input, stream=True, **options))

    def __getattr__(self, name: str) -> Callable[..., RawResponse[Any]]:
        method = getattr(self._client, name)
        if name.startswith("_") or not callable(method):
            raise AttributeError(name)
        return cast(Callable[..., RawResponse[Any]], method)


class AsyncRawResponseClient:
    """Async twin of `RawResponseClient`."""

    def __init__(self, client: AsyncFeatures) -> None:
        self._client = client

    async def run(
        self, model: str, input: Any, *, stream: bool = False, **options: Unpack[RequestOptions]
    ) -> RawResponse[Any]:
        return cast(RawResponse[Any], await self._client._run(model, input, stream=stream, **options))

    async def stream(self, model: str, input: Any, **options: Unpack[RequestOptions]) -> RawResponse[Any]:
        return cast(RawResponse[Any], await self._client._run(model, input, stream=True, **options))

    def __getattr__(self, name: str) -> Callable[..., Awaitable[RawResponse[Any]]]:
        method = getattr(self._client, name)
        if name.startswith("_") or not callable(method):
            raise AttributeError(name)
        return cast(Callable[..., Awaitable[RawResponse[Any]]], method)
