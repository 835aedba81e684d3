"""A client's configuration: the settings checked once at construction, the endpoint and headers they
make (prepared once, not per call), and how a client pickles, copies and survives a fork (`_fork.py`).

`ClientConfig` is the base of `_base_client._BaseClient`; it does no I/O and knows nothing of calls.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, ClassVar, Generic, TypeVar, cast

import httpx

from . import _fork
from ._features import ClientFeatures
from ._gateway import DEFAULT_GATEWAY_BASE_URL, Endpoint, GatewayOptions, as_gateway, build_endpoint
from ._headers import check_default_headers
from ._ids import account_id_problem
from ._limits import DEFAULT_MAX_RESPONSE_BYTES, check_max_response_bytes, deadline_seconds
from ._options import CallOptions
from ._plan import Plan, wire_headers
from ._redact import RedactedHeaders, Secret
from ._release import Orphans
from ._spec import ModelSpec
from ._streaming import AsyncStream, Stream
from ._urls import check_base_url
from ._user_agent import USER_AGENT
from .errors import ConfigurationError

__all__ = ["DEFAULT_BASE_URL", "DEFAULT_MAX_RETRIES", "DEFAULT_TIMEOUT", "ClientConfig", "PoolT"]

DEFAULT_BASE_URL = "https://api.cloudflare.com/client/v4"
DEFAULT_TIMEOUT = httpx.Timeout(120.0, connect=10.0)
DEFAULT_MAX_RETRIES = 2

PoolT = TypeVar("PoolT", httpx.Client, httpx.AsyncClient)


class ClientConfig(ClientFeatures, Generic[PoolT]):
    """A client's settings, checked once; `PoolT` is the httpx client class of its connection pool."""

    _models: ClassVar[Mapping[str, ModelSpec]] = {}
    _untyped_models: ClassVar[frozenset[str]] = frozenset()
    _pool_class: ClassVar[type[httpx.Client] | type[httpx.AsyncClient]]
    _stream_class: ClassVar[type[Stream[Any]] | type[AsyncStream[Any]]]
    _close_method: ClassVar[str]  # named by the error for a call after closing
    _http: PoolT

    def __init__(
        self,
        *,
        account_id: str | None = None,
        api_token: str | None = None,
        base_url: str | httpx.URL | None = None,
        timeout: float | httpx.Timeout | None = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        strict: bool = False,
        http_client: PoolT | None = None,
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
        self.timeout = timeout
        self._deadline = deadline_seconds(timeout)
        self._owns_http = http_client is None
        self._user_http = http_client is not None
        self._http = http_client if http_client is not None else self._new_pool()
        _fork.track(self)

    def _new_pool(self) -> PoolT:
        return cast(PoolT, self._pool_class(timeout=self.timeout, verify=_fork.shared_tls_context()))

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
        self._json_wire = wire_headers(self._json_headers)
        self._raw_wire = wire_headers(self._raw_headers)
        self._routes: dict[str, tuple[Plan, httpx.URL]] = {}
        self._endpoints: dict[int, tuple[GatewayOptions, Endpoint]] = {}  # per-call gateways (`_options.py`)
        self._call = CallOptions(self._endpoint, self.max_retries, send, limit=self.max_response_bytes)

    def _config(self) -> dict[str, Any]:
        """The keyword arguments that rebuild this client (pickling)."""
        return {
            "account_id": self.account_id,
            "api_token": self._token.value,
            "base_url": self.base_url,
            "timeout": self.timeout,
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
        if self._owns_http and not self._http.is_closed:
            self._http = cast(PoolT, _fork.UnbuiltPool(self, self._new_pool))

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(account_id={self.account_id!r}, base_url={self.base_url!r}, "
            f"max_retries={self.max_retries}, strict={self.strict})"
        )
