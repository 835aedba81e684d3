"""Per-request options: `client.run(..., timeout=5, gateway="g", extra_headers={...})`.

Every call method takes the keywords of `RequestOptions`; `client.with_options(...)` makes a configured
copy instead. A call without options uses the client's prepared `CallOptions` as they are (no work per
call); with options, they are checked and resolved once per call, before anything is sent: a bad value
raises `InputValidationError` (or `TypeError` for an unknown keyword) and no request goes out.

- `timeout`, `max_retries`: for this call only (same meaning as on the client).
- `extra_headers`: added to (and overriding) the request headers.
- `extra_query`: query parameters added to the URL.
- `extra_body`: top-level fields merged into the model's input object AFTER validation: they are sent
  as given, not checked against the model's schema (that is what they are for: fields the catalog does
  not declare yet). The unified endpoint wraps the merged input as `{"model": ..., "input": ...}`.
- `gateway`: a gateway id, `GatewayOptions` or a mapping of its fields, merged over the client's.
- `reject_if_busy=True`: `"options": {"rejectIfBusy": true}` in the body, so Workers AI answers 429 with
  code 3040 at once instead of queueing; that error is retried like any 3040 (see `_retry.py`), pass
  `max_retries=0` to see it at once.
- `max_response_bytes`: the most this reply may weigh once decoded (see `_limits.py`).
- `session_affinity`: the `x-session-affinity` header, which routes the requests of one session to the
  same model instance so its prompt cache can be reused.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypedDict

import httpx

from ._gateway import Endpoint, GatewayOptions, as_gateway, build_endpoint, check_header_value
from ._limits import check_max_response_bytes
from ._redact import REDACTED
from .errors import InputValidationError, Issue

if TYPE_CHECKING:
    from ._features import ClientFeatures

__all__ = ["OPTION_NAMES", "CallOptions", "RequestOptions", "resolve_options", "split_options"]


class RequestOptions(TypedDict, total=False):
    """Keywords every call method accepts (see the module docstring)."""

    timeout: float | httpx.Timeout | None
    max_retries: int
    extra_headers: Mapping[str, str]
    extra_query: Mapping[str, str | int | float | bool]
    extra_body: Mapping[str, Any]
    gateway: str | GatewayOptions | Mapping[str, Any] | None
    reject_if_busy: bool
    session_affinity: str
    max_response_bytes: int


OPTION_NAMES = frozenset(RequestOptions.__annotations__)
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")  # an HTTP header name
_NO_HEADERS: Mapping[str, str] = MappingProxyType({})
_SECRET_HEADER = "cf-aig-authorization"


class CallOptions:
    """Everything a call needs beyond the input, resolved before sending.

    `send`: keyword arguments for `httpx.Client.build_request` (`timeout`, `params`); `headers`: added to
    the client's headers; `body`: fields merged into the input; `raw`: return a `RawResponse`;
    `limit`: the most the reply may weigh; `scrub`: the request carries a gateway token that must not stay readable on the request object.
    """

    __slots__ = ("body", "endpoint", "headers", "limit", "max_retries", "raw", "scrub", "send", "shapes")

    def __init__(
        self,
        endpoint: Endpoint,
        max_retries: int,
        send: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] = _NO_HEADERS,
        body: Mapping[str, Any] | None = None,
        raw: bool = False,
        *,
        limit: int,
    ) -> None:
        self.endpoint = endpoint
        self.limit = limit
        self.max_retries = max_retries
        self.send: Mapping[str, Any] = send or {}
        self.headers = headers
        self.body = body
        self.raw = raw
        self.shapes = body is not None or endpoint.unified
        self.scrub = _SECRET_HEADER in endpoint.headers or _SECRET_HEADER in {k.lower() for k in headers}

    def with_raw(self) -> CallOptions:
        return CallOptions(
            self.endpoint, self.max_retries, self.send, self.headers, self.body, raw=True, limit=self.limit
        )

    def shape(self, model: str, document: Any) -> Any:
        """The request body's document: extra fields merged in, then the unified envelope if needed."""
        if self.body is not None:
            if type(document) is not dict:
                raise InputValidationError(
                    model, [Issue("", "extra_body and reject_if_busy need an input that is a JSON object")]
                )
            merged = {**document, **self.body}
            extra_options = self.body.get("options")
            if isinstance(extra_options, Mapping) and isinstance(document.get("options"), Mapping):
                merged["options"] = {**document["options"], **extra_options}
            document = merged
        if self.endpoint.unified:
            document = {"model": model, "input": document}
        return document

    def refuse_raw_body(self, model: str) -> None:
        if self.shapes:
            raise InputValidationError(
                model,
                [
                    Issue(
                        "",
                        "a raw binary body cannot take extra_body / reject_if_busy or go to the unified endpoint",
                    )
                ],
            )

    def sent(self, request: httpx.Request) -> None:
        """Hide the gateway token on a request that has been sent: responses and errors keep the request,
        and httpx masks only `Authorization` in reprs."""
        if self.scrub and _SECRET_HEADER in request.headers:
            request.headers[_SECRET_HEADER] = REDACTED


def split_options(input: dict[str, Any]) -> dict[str, Any]:
    """Take the request options out of a task method's keyword arguments (no catalog model has an input
    field with one of these names; a test keeps it so)."""
    names = OPTION_NAMES.intersection(input)
    return {name: input.pop(name) for name in names} if names else {}


def _check_timeout(value: Any, issues: list[Issue]) -> None:
    if value is None or isinstance(value, httpx.Timeout):
        return
    if isinstance(value, bool) or not isinstance(value, int | float) or not value >= 0:
        issues.append(Issue("/timeout", f"must be seconds >= 0, an httpx.Timeout or None, not {value!r}"))


def _headers(extra: Any, issues: list[Issue]) -> dict[str, str]:
    if not isinstance(extra, Mapping):
        issues.append(Issue("/extra_headers", "must be a mapping of header names to strings"))
        return {}
    checked: dict[str, str] = {}
    for name, value in extra.items():
        if not isinstance(name, str) or not _TOKEN.fullmatch(name):
            issues.append(Issue("/extra_headers", f"{name!r} is not a valid header name"))
            continue
        text = check_header_value(value, f"/extra_headers/{name}", issues)
        if text is not None:
            checked[name] = text
    return checked


def _query(extra: Any, issues: list[Issue]) -> dict[str, str]:
    if not isinstance(extra, Mapping):
        issues.append(Issue("/extra_query", "must be a mapping of names to values"))
        return {}
    params: dict[str, str] = {}
    for name, value in extra.items():
        if not isinstance(name, str) or not name:
            issues.append(Issue("/extra_query", f"{name!r} is not a parameter name"))
        elif isinstance(value, bool):
            params[name] = "true" if value else "false"
        elif isinstance(value, str | int | float):
            params[name] = str(value)
        else:
            issues.append(
                Issue(
                    f"/extra_query/{name}", f"must be a string, number or boolean, not {type(value).__name__}"
                )
            )
    return params


_ENDPOINT_CACHE_SIZE = 64


def _endpoint_for(client: ClientFeatures, current: Endpoint, value: Any) -> Endpoint:
    """The endpoint of `current` with a call's gateway options merged in. For a `GatewayOptions` object
    (immutable) the result is cached on the client, so reusing one object costs no validation per call."""
    cache = client._endpoints
    if isinstance(value, GatewayOptions):
        cached = cache.get(id(value))
        if cached is not None and cached[0] is value:
            return cached[1]
    override = as_gateway(value)
    assert override is not None
    gateway = current.gateway.merged(override) if current.gateway is not None else override
    endpoint = build_endpoint(
        client.base_url, client.gateway_base_url, client.account_id, gateway, current.unified
    )
    if isinstance(value, GatewayOptions):
        if len(cache) >= _ENDPOINT_CACHE_SIZE:
            cache.clear()
        cache[id(value)] = (value, endpoint)  # keeps `value` alive, so its id cannot be reused meanwhile
    return endpoint


def resolve_options(client: ClientFeatures, base: CallOptions, options: Mapping[str, Any]) -> CallOptions:
    """`base` (the client's call options) updated by one call's keywords; raises before anything is sent."""
    unknown = sorted(set(options) - OPTION_NAMES)
    if unknown:
        raise TypeError(f"unexpected keyword argument(s): {', '.join(unknown)}")
    issues: list[Issue] = []
    send = dict(base.send)
    headers = dict(base.headers)
    body: dict[str, Any] | None = dict(base.body) if base.body is not None else None
    max_retries = base.max_retries
    endpoint = base.endpoint

    if "timeout" in options:
        _check_timeout(options["timeout"], issues)
        send["timeout"] = options["timeout"]
    if "max_retries" in options:
        value = options["max_retries"]
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            issues.append(Issue("/max_retries", f"must be an integer >= 0, not {value!r}"))
        else:
            max_retries = value
    if options.get("gateway") is not None:
        endpoint = _endpoint_for(client, endpoint, options["gateway"])
        headers.update(endpoint.headers)
    if options.get("session_affinity") is not None:
        affinity = check_header_value(options["session_affinity"], "/session_affinity", issues)
        if affinity is not None:
            headers["x-session-affinity"] = affinity
    if "extra_headers" in options:
        headers.update(_headers(options["extra_headers"], issues))
    if "extra_query" in options:
        send["params"] = {**send.get("params", {}), **_query(options["extra_query"], issues)}
    if "extra_body" in options:
        extra = options["extra_body"]
        if not isinstance(extra, Mapping) or not all(isinstance(k, str) for k in extra):
            issues.append(Issue("/extra_body", "must be a mapping with string keys"))
        else:
            body = {**(body or {}), **extra}
    busy = options.get("reject_if_busy")
    if busy is not None:
        if not isinstance(busy, bool):
            issues.append(Issue("/reject_if_busy", f"must be true or false, not {busy!r}"))
        elif busy:
            body = body or {}
            existing = body.get("options")
            body["options"] = {**(existing if isinstance(existing, Mapping) else {}), "rejectIfBusy": True}
    if issues:
        raise InputValidationError(None, issues)
    limit = base.limit
    if "max_response_bytes" in options:
        limit = check_max_response_bytes(
            options["max_response_bytes"]
        )  # ConfigurationError, as on the client
    return CallOptions(endpoint, max_retries, send, MappingProxyType(headers), body, base.raw, limit=limit)
