# Copied by workers-ai-codegen from generator/runtime/_features.py: edit it there.
"""What a client offers besides calling models: configured copies (`with_options`), the
OpenAI-compatible base URLs, results with their HTTP response (`with_raw_response`) and gateway log
feedback (`gateway_feedback`).

Mixed into `SyncClient` / `AsyncClient` (`_base_client.py`), which hold the state declared here.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar
from urllib.parse import quote

import httpx

from ._envelope import Accepts, unwrap
from ._gateway import Endpoint, GatewayOptions, as_gateway, feedback_request
from ._options import CallOptions, resolve_options, split_options
from ._response import AsyncRawResponseClient, RawResponseClient
from .errors import ConfigurationError, WorkersAIError

__all__ = ["AsyncFeatures", "ClientFeatures", "SyncFeatures"]

_Client = TypeVar("_Client", bound="ClientFeatures")  # `typing.Self` is not in Python 3.10

_JSON_ONLY = Accepts(json=True)


class ClientFeatures:
    """The part shared by the sync and async clients (no I/O)."""

    account_id: str
    base_url: str
    gateway_base_url: str
    max_retries: int
    strict: bool
    timeout: float | httpx.Timeout | None
    gateway: GatewayOptions | None
    unified_run: bool
    _owns_http: bool
    _base_headers: dict[str, str]
    _call: CallOptions
    _endpoints: dict[int, tuple[GatewayOptions, Endpoint]]

    if TYPE_CHECKING:

        def _configure(
            self, gateway: GatewayOptions | None, unified_run: bool, send: Mapping[str, Any]
        ) -> None: ...

    def _call_options(self, options: Mapping[str, Any]) -> CallOptions:
        return resolve_options(self, self._call, options) if options else self._call

    def with_options(
        self: _Client,
        *,
        timeout: float | httpx.Timeout | Literal[False] | None = False,
        max_retries: int | None = None,
        gateway: str | GatewayOptions | Mapping[str, Any] | None = None,
        unified_run: bool | None = None,
        strict: bool | None = None,
    ) -> _Client:
        """A copy of this client with other settings that shares its connection pool (closing the copy
        leaves the pool open). `gateway` is merged over this client's gateway options."""
        checked = {"timeout": timeout} if timeout is not False else {}
        if max_retries is not None:
            checked["max_retries"] = max_retries
        resolved = resolve_options(self, self._call, checked)  # the same checks as on a call
        clone = copy.copy(self)
        clone._owns_http = False
        if timeout is not False:
            clone.timeout = timeout
        clone.max_retries = resolved.max_retries
        if strict is not None:
            clone.strict = strict
        merged = self.gateway
        override = as_gateway(gateway)
        if override is not None:
            merged = merged.merged(override) if merged is not None else override
        clone._configure(merged, self.unified_run if unified_run is None else unified_run, resolved.send)
        return clone

    @property
    def openai_base_url(self) -> str:
        """Base URL of Workers AI's OpenAI-compatible endpoints (`/chat/completions`, `/embeddings`,
        `/responses`), for `openai.OpenAI(base_url=..., api_key=<token>)`."""
        return f"{self.base_url}/accounts/{quote(self.account_id, safe='')}/ai/v1"

    @property
    def gateway_openai_base_url(self) -> str:
        """The same endpoints through this client's gateway; send `client.gateway.headers` along as the
        OpenAI client's `default_headers` to keep the gateway options."""
        if self.gateway is None or self.gateway.id is None:
            raise ConfigurationError("No gateway id: pass gateway= to the client or to with_options().")
        return f"{self.gateway_base_url}/{quote(self.account_id, safe='')}/{self.gateway.id}/workers-ai/v1"

    def _raw_copy(self: _Client) -> _Client:
        clone = copy.copy(self)
        clone._call = self._call.with_raw()
        return clone


class SyncFeatures(ClientFeatures):
    _http: httpx.Client

    if TYPE_CHECKING:

        def _run(self, model: str, input: Any, *, stream: bool = False, **options: Any) -> Any: ...

        def _transport_error(self, exc: httpx.HTTPError, model: str | None) -> WorkersAIError: ...

    def _task(self, model: str, input: dict[str, Any], stream: bool) -> Any:
        """A task method's call: its keyword arguments are the input, less the request options."""
        return self._run(model, input, stream=stream, **split_options(input))

    @property
    def with_raw_response(self) -> RawResponseClient:
        """The call methods, returning the result with its HTTP response (`_response.py`)."""
        return RawResponseClient(self._raw_copy())

    def gateway_feedback(
        self, log_id: str, feedback: Literal[1, -1], *, score: float | None = None, gateway: str | None = None
    ) -> None:
        """Rate a logged gateway request (`RawResponse.log_id`): 1 good, -1 bad, optional score 0-100.
        `gateway` defaults to the client's. Sent once (not retried); errors as for `run`."""
        url, body, headers = feedback_request(self, log_id, feedback, score, gateway)
        try:
            response = self._http.patch(url, content=body, headers=headers)
        except httpx.HTTPError as exc:
            raise self._transport_error(exc, None) from exc
        unwrap(response, None, _JSON_ONLY, False)


class AsyncFeatures(ClientFeatures):
    _http: httpx.AsyncClient

    if TYPE_CHECKING:

        async def _run(self, model: str, input: Any, *, stream: bool = False, **options: Any) -> Any: ...

        def _transport_error(self, exc: httpx.HTTPError, model: str | None) -> WorkersAIError: ...

    async def _task(self, model: str, input: dict[str, Any], stream: bool) -> Any:
        """A task method's call: its keyword arguments are the input, less the request options."""
        return await self._run(model, input, stream=stream, **split_options(input))

    @property
    def with_raw_response(self) -> AsyncRawResponseClient:
        """The call methods, returning the result with its HTTP response (`_response.py`)."""
        return AsyncRawResponseClient(self._raw_copy())

    async def gateway_feedback(
        self, log_id: str, feedback: Literal[1, -1], *, score: float | None = None, gateway: str | None = None
    ) -> None:
        """Async twin of `SyncFeatures.gateway_feedback`."""
        url, body, headers = feedback_request(self, log_id, feedback, score, gateway)
        try:
            response = await self._http.patch(url, content=body, headers=headers)
        except httpx.HTTPError as exc:
            raise self._transport_error(exc, None) from exc
        unwrap(response, None, _JSON_ONLY, False)
