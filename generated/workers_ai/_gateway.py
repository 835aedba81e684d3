# Copied by workers-ai-codegen from generator/runtime/_gateway.py: edit it there.
"""AI Gateway: typed options, their `cf-aig-*` headers, the URLs a call goes to, and the retry rule.

A call reaches Workers AI one of three ways (an `Endpoint`):

- direct: `POST {base_url}/accounts/{account}/ai/run/{model}` (no gateway);
- through a gateway by URL: `POST {gateway_base_url}/{account}/{gateway}/workers-ai/{model}`;
- unified: `POST {base_url}/accounts/{account}/ai/run` with `{"model": ..., "input": ...}`, the gateway
  named by the `cf-aig-gateway-id` header (Cloudflare's own default gateway when none is named).

The body and the typed result are the same every way. `GatewayOptions` are checked when they are made,
so a bad value raises `InputValidationError` before anything can be sent; their headers are computed once.

Retry rule (client retries x gateway retries never multiply): when the options ask the gateway to retry
upstream (`max_attempts` > 1), the gateway owns retrying. The client then retries only failures where its
request cannot have reached the gateway (the connection could not be opened, or no pooled connection was
free in time); any answer from the gateway, or a connection lost after sending, is final. Without
`max_attempts` the client retries as usual (see `_retry.py`). If retries are configured on the gateway
itself (dashboard defaults), pass `max_attempts` too, or `max_retries=0`, to keep the same guarantee.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import quote

import httpx

from .errors import InputValidationError, Issue, WorkersAIError

if TYPE_CHECKING:
    from ._features import ClientFeatures

__all__ = [
    "DEFAULT_GATEWAY_BASE_URL",
    "Backoff",
    "CustomCost",
    "Endpoint",
    "GatewayOptions",
    "MetadataValue",
    "as_gateway",
    "build_endpoint",
    "check_header_value",
    "client_may_retry",
    "feedback_request",
]

DEFAULT_GATEWAY_BASE_URL = "https://gateway.ai.cloudflare.com/v1"
Backoff = Literal["constant", "linear", "exponential"]
MetadataValue = str | int | float | bool

MIN_CACHE_TTL = 60  # seconds; the gateway's documented range is one minute ...
MAX_CACHE_TTL = 30 * 24 * 3600  # ... to one month
MAX_METADATA_ENTRIES = 5  # the gateway silently drops entries beyond the fifth: refuse them instead
MAX_ATTEMPTS = 5
MAX_RETRY_DELAY_MS = 5000
_BACKOFFS = ("constant", "linear", "exponential")
# Gateway ids are slugs (at most 64 characters); anything else would have to be escaped in the URL.
_GATEWAY_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
# What an HTTP/1.1 header value may hold that httpx can send as ASCII: visible characters, space, tab.
_HEADER_VALUE = re.compile(r"[\t\x20-\x7e]*")


def check_header_value(value: object, pointer: str, issues: list[Issue]) -> str | None:
    """The value as a string if it can travel in a header; otherwise an issue (the value is not quoted:
    it may be a secret)."""
    if not isinstance(value, str):
        issues.append(Issue(pointer, f"must be a string, not {type(value).__name__}"))
        return None
    if not _HEADER_VALUE.fullmatch(value):
        issues.append(Issue(pointer, "must be printable ASCII without line breaks (it is sent as a header)"))
        return None
    return value


def _integer(value: object, pointer: str, low: int, high: int | None, unit: str, issues: list[Issue]) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int):
        issues.append(Issue(pointer, f"must be an integer number of {unit}, not {value!r}"))
    elif value < low or (high is not None and value > high):
        bound = f"between {low} and {high}" if high is not None else f"at least {low}"
        issues.append(Issue(pointer, f"must be {bound} {unit}, not {value}"))


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


@dataclass(frozen=True, slots=True)
class CustomCost:
    """Cost per token the gateway logs for this request instead of its own price (`cf-aig-custom-cost`)."""

    per_token_in: float | None = None
    per_token_out: float | None = None


@dataclass(frozen=True, slots=True)
class GatewayOptions:
    """Routing through AI Gateway, and the per-request gateway settings (each one becomes a header).

    `id`: the gateway (`"my-gateway"`). `cache_ttl`: seconds, 60 to 2,592,000 (one month).
    `skip_cache`, `cache_key`: bypass or key the gateway cache. `collect_log`: override the gateway's
    logging setting. `metadata`: at most 5 entries, values str / int / float / bool. `custom_cost`:
    `CustomCost` or `{"per_token_in": ..., "per_token_out": ...}`. `request_timeout_ms`: the gateway's
    own upstream timeout. `max_attempts` (1-5), `retry_delay_ms` (0-5000), `backoff`: gateway retries
    (see the module docstring for how they combine with the client's). `authorization`: the token of an
    authenticated gateway (`cf-aig-authorization`; never shown in a repr).

    Options given on a call are merged over the client's: fields set on the call win.
    """

    id: str | None = None
    cache_ttl: int | None = None
    skip_cache: bool | None = None
    cache_key: str | None = None
    collect_log: bool | None = None
    metadata: Mapping[str, MetadataValue] | None = None
    custom_cost: CustomCost | Mapping[str, float] | None = None
    request_timeout_ms: int | None = None
    max_attempts: int | None = None
    retry_delay_ms: int | None = None
    backoff: Backoff | None = None
    authorization: str | None = field(default=None, repr=False)
    _headers: Mapping[str, str] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        issues: list[Issue] = []
        headers: dict[str, str] = {}
        if self.id is not None and (not isinstance(self.id, str) or not _GATEWAY_ID.fullmatch(self.id)):
            issues.append(Issue("/gateway/id", "must be 1-64 letters, digits, '-' or '_'"))
        _integer(self.cache_ttl, "/gateway/cache_ttl", MIN_CACHE_TTL, MAX_CACHE_TTL, "seconds", issues)
        _integer(self.request_timeout_ms, "/gateway/request_timeout_ms", 1, None, "milliseconds", issues)
        _integer(self.max_attempts, "/gateway/max_attempts", 1, MAX_ATTEMPTS, "attempts", issues)
        _integer(
            self.retry_delay_ms, "/gateway/retry_delay_ms", 0, MAX_RETRY_DELAY_MS, "milliseconds", issues
        )
        if self.backoff is not None and self.backoff not in _BACKOFFS:
            issues.append(
                Issue("/gateway/backoff", f"must be one of {', '.join(_BACKOFFS)}, not {self.backoff!r}")
            )
        for name in ("skip_cache", "collect_log"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, bool):
                issues.append(Issue(f"/gateway/{name}", f"must be true or false, not {value!r}"))
        cache_key = None
        if self.cache_key is not None:
            cache_key = check_header_value(self.cache_key, "/gateway/cache_key", issues)
            if cache_key == "":
                issues.append(Issue("/gateway/cache_key", "must not be empty"))
        metadata = self._metadata(issues)
        cost = self._cost(issues)
        token = None
        if self.authorization is not None:
            token = check_header_value(self.authorization, "/gateway/authorization", issues)
        if issues:
            raise InputValidationError(None, issues)

        if self.cache_ttl is not None:
            headers["cf-aig-cache-ttl"] = str(self.cache_ttl)
        if self.skip_cache is not None:
            headers["cf-aig-skip-cache"] = "true" if self.skip_cache else "false"
        if cache_key:
            headers["cf-aig-cache-key"] = cache_key
        if self.collect_log is not None:
            headers["cf-aig-collect-log"] = "true" if self.collect_log else "false"
        if metadata is not None:
            headers["cf-aig-metadata"] = metadata
        if cost is not None:
            headers["cf-aig-custom-cost"] = cost
        if self.request_timeout_ms is not None:
            headers["cf-aig-request-timeout"] = str(self.request_timeout_ms)
        if self.max_attempts is not None:
            headers["cf-aig-max-attempts"] = str(self.max_attempts)
        if self.retry_delay_ms is not None:
            headers["cf-aig-retry-delay"] = str(self.retry_delay_ms)
        if self.backoff is not None:
            headers["cf-aig-backoff"] = self.backoff
        if token:
            headers["cf-aig-authorization"] = token if token.startswith("Bearer ") else f"Bearer {token}"
        object.__setattr__(self, "_headers", MappingProxyType(headers))

    def _metadata(self, issues: list[Issue]) -> str | None:
        metadata = self.metadata
        if metadata is None:
            return None
        if not isinstance(metadata, Mapping):
            issues.append(Issue("/gateway/metadata", "must be a mapping of names to values"))
            return None
        before = len(issues)
        if len(metadata) > MAX_METADATA_ENTRIES:
            issues.append(
                Issue(
                    "/gateway/metadata",
                    f"has {len(metadata)} entries; the gateway keeps at most {MAX_METADATA_ENTRIES}",
                )
            )
        for key, value in metadata.items():
            pointer = f"/gateway/metadata/{str(key).replace('~', '~0').replace('/', '~1')}"
            if not isinstance(key, str) or not key:
                issues.append(Issue(pointer, "names must be non-empty strings"))
            elif not (isinstance(value, str | bool) or _number(value)):
                issues.append(
                    Issue(pointer, f"must be a string, number or boolean, not {type(value).__name__}")
                )
        if len(issues) > before:
            return None
        # ASCII-only JSON: every character outside ASCII (and every line break) becomes an escape.
        return json.dumps(dict(metadata), separators=(",", ":"), ensure_ascii=True)

    def _cost(self, issues: list[Issue]) -> str | None:
        cost = self.custom_cost
        if cost is None:
            return None
        if isinstance(cost, CustomCost):
            parts = {"per_token_in": cost.per_token_in, "per_token_out": cost.per_token_out}
        elif isinstance(cost, Mapping) and set(cost) <= {"per_token_in", "per_token_out"}:
            parts = dict(cost)
        else:
            issues.append(
                Issue("/gateway/custom_cost", "must be a CustomCost or {per_token_in, per_token_out}")
            )
            return None
        document = {name: value for name, value in parts.items() if value is not None}
        if not document:
            issues.append(Issue("/gateway/custom_cost", "needs per_token_in or per_token_out"))
        bad = [name for name, value in document.items() if not _number(value) or value < 0]
        for name in bad:
            issues.append(
                Issue(f"/gateway/custom_cost/{name}", f"must be a number >= 0, not {document[name]!r}")
            )
        if bad or not document:
            return None
        return json.dumps(document, separators=(",", ":"))

    @property
    def headers(self) -> Mapping[str, str]:
        """The `cf-aig-*` request headers these options stand for (without the gateway id)."""
        return self._headers

    @property
    def retries_upstream(self) -> bool:
        return self.max_attempts is not None and self.max_attempts > 1

    def merged(self, override: GatewayOptions) -> GatewayOptions:
        """These options with every field that `override` sets replaced by its value."""
        changes = {
            f.name: getattr(override, f.name)
            for f in fields(override)
            if f.init and getattr(override, f.name) is not None
        }
        return replace(self, **changes) if changes else self

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled (inside a client's configuration) as its fields; the headers are derived again.
        given = {f.name: getattr(self, f.name) for f in fields(self) if f.init}
        return (_gateway_from_fields, (_picklable(given),))


def _picklable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {key: _picklable(item) for key, item in value.items()}
    return value


def _gateway_from_fields(given: dict[str, Any]) -> GatewayOptions:
    return GatewayOptions(**given)


def as_gateway(value: str | GatewayOptions | Mapping[str, Any] | None) -> GatewayOptions | None:
    """`"my-gateway"`, a `GatewayOptions` or a mapping of its fields, as `GatewayOptions`."""
    if value is None or isinstance(value, GatewayOptions):
        return value
    if isinstance(value, str):
        return GatewayOptions(id=value)
    if isinstance(value, Mapping):
        unknown = sorted(set(value) - {f.name for f in fields(GatewayOptions) if f.init})
        if unknown:
            raise InputValidationError(
                None, [Issue(f"/gateway/{name}", "is not a gateway option") for name in unknown]
            )
        return GatewayOptions(**value)
    raise InputValidationError(None, [Issue("/gateway", "must be a gateway id, GatewayOptions or a mapping")])


@dataclass(frozen=True, slots=True)
class Endpoint:
    """Where a call goes and the headers that go with it (see the module docstring)."""

    prefix: str
    unified: bool
    gateway: GatewayOptions | None
    headers: Mapping[str, str] = field(repr=False)  # may hold the gateway token

    def url(self, model_path: str) -> httpx.URL:
        return httpx.URL(self.prefix if self.unified else self.prefix + model_path)


def build_endpoint(
    base_url: str, gateway_base_url: str, account_id: str, gateway: GatewayOptions | None, unified: bool
) -> Endpoint:
    account = quote(account_id, safe="")
    headers = dict(gateway.headers) if gateway is not None else {}
    if unified:
        if gateway is not None and gateway.id is not None:
            headers["cf-aig-gateway-id"] = gateway.id
        return Endpoint(f"{base_url}/accounts/{account}/ai/run", True, gateway, MappingProxyType(headers))
    if gateway is None:
        return Endpoint(f"{base_url}/accounts/{account}/ai/run/", False, None, MappingProxyType(headers))
    if gateway.id is None:
        raise InputValidationError(
            None,
            [
                Issue(
                    "/gateway/id",
                    "gateway options need a gateway id (or unified_run=True for the default gateway)",
                )
            ],
        )
    prefix = f"{gateway_base_url}/{account}/{gateway.id}/workers-ai/"
    return Endpoint(prefix, False, gateway, MappingProxyType(headers))


# Failures that happen before any byte of the request can have reached the gateway.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


def client_may_retry(error: WorkersAIError, gateway: GatewayOptions | None) -> bool:
    """The retry rule of the module docstring: False when a client retry would multiply gateway retries."""
    if gateway is None or not gateway.retries_upstream:
        return True
    return isinstance(error.__cause__, _NOT_SENT)


_LOG_ID = re.compile(r"[A-Za-z0-9_-]{1,128}")


def feedback_request(
    client: ClientFeatures, log_id: str, feedback: Literal[1, -1], score: float | None, gateway: str | None
) -> tuple[str, bytes, dict[str, str]]:
    """URL, body and headers of `PATCH /accounts/{account}/ai-gateway/gateways/{gateway}/logs/{log_id}`;
    every argument is checked first (`InputValidationError`, nothing sent)."""
    issues: list[Issue] = []
    gateway_id = (
        gateway if gateway is not None else (client.gateway.id if client.gateway is not None else None)
    )
    if gateway_id is None:
        issues.append(Issue("/gateway", "no gateway: pass gateway= or configure the client with one"))
    elif not isinstance(gateway_id, str) or not _GATEWAY_ID.fullmatch(gateway_id):
        issues.append(Issue("/gateway", "must be 1-64 letters, digits, '-' or '_'"))
    if not isinstance(log_id, str) or not _LOG_ID.fullmatch(log_id):
        issues.append(Issue("/log_id", "must be the cf-aig-log-id of a response (letters, digits, '-', '_')"))
    if isinstance(feedback, bool) or feedback not in (1, -1):
        issues.append(Issue("/feedback", f"must be 1 (good) or -1 (bad), not {feedback!r}"))
    document: dict[str, float] = {"feedback": feedback}
    if score is not None:
        if not _number(score) or not 0 <= score <= 100:
            issues.append(Issue("/score", f"must be a number from 0 to 100, not {score!r}"))
        document["score"] = score
    if issues:
        raise InputValidationError(None, issues)
    account = quote(client.account_id, safe="")
    url = f"{client.base_url}/accounts/{account}/ai-gateway/gateways/{gateway_id}/logs/{log_id}"
    body = json.dumps(document, separators=(",", ":")).encode()
    return url, body, {**client._base_headers, "Content-Type": "application/json"}
