"""Neither the API token nor the gateway token appears in a repr or in any error, whatever happens."""

from __future__ import annotations

import traceback

import httpx
import pytest

from tests.gateway.gateway_support import DISTILBERT, GATEWAY_TOKEN, TOKEN, Harness
from tests.support.gateway_server import GatewayServer, Planned, failure
from workers_ai import GatewayOptions
from workers_ai._redact import REDACTED
from workers_ai.errors import InputValidationError, WorkersAIError

FAULTS = [
    Planned(401, failure(10000, "Authentication error")),
    Planned(500, failure(7000, "boom")),
    Planned(200, {"not": "an envelope"}),
]


def texts_of(error: BaseException) -> list[str]:
    """What an error shows: str, repr, attributes, traceback, and the reprs of the request it keeps."""
    found = ["".join(traceback.format_exception(error))]
    current: BaseException | None = error
    while current is not None:
        found += [str(current), repr(current), repr(vars(current))]
        response = getattr(current, "response", None)
        if isinstance(response, httpx.Response):
            found += [repr(response.request.headers), repr(response.headers)]
        current = current.__cause__ or current.__context__
    return found


def kept_requests(error: BaseException) -> list[httpx.Request]:
    """The requests an error keeps (its response's, or the transport error's)."""
    kept: list[httpx.Request] = []
    current: BaseException | None = error
    while current is not None:
        response = getattr(current, "response", None)
        if isinstance(response, httpx.Response):
            kept.append(response.request)
        request = getattr(current, "_request", None)
        if isinstance(request, httpx.Request):
            kept.append(request)
        current = current.__cause__ or current.__context__
    return kept


def test_tokens_are_absent_from_reprs_and_errors(harness: Harness, server: GatewayServer) -> None:
    gateway = GatewayOptions(id="auth-gw", authorization=GATEWAY_TOKEN, cache_ttl=60)
    texts = [repr(gateway), str(gateway), repr(harness.client(gateway=gateway))]
    requests: list[httpx.Request] = []
    for fault in FAULTS:
        server.plan(fault)
        with pytest.raises(WorkersAIError) as info:
            harness.call(lambda c: c.run(DISTILBERT, {"text": "x"}, max_retries=0), gateway=gateway)
        texts += texts_of(info.value)
        requests += kept_requests(info.value)
    unreachable = "http://127.0.0.1:9/v1"
    with pytest.raises(WorkersAIError) as info:
        harness.call(
            lambda c: c.run(DISTILBERT, {"text": "x"}, max_retries=0),
            gateway=gateway,
            gateway_base_url=unreachable,
        )
    texts += texts_of(info.value)
    requests += kept_requests(info.value)
    with pytest.raises(InputValidationError) as bad:
        GatewayOptions(id="g", authorization=GATEWAY_TOKEN + "\n")
    texts += texts_of(bad.value)
    raw = harness.call(lambda c: c.with_raw_response.run(DISTILBERT, {"text": "x"}), gateway=gateway)
    texts += [repr(raw), repr(raw.http_response.request.headers)]
    requests.append(raw.http_response.request)
    # The gateway token did travel, as `cf-aig-authorization: Bearer <token>` ...
    assert {r.headers["cf-aig-authorization"] for r in server.requests} == {f"Bearer {GATEWAY_TOKEN}"}
    # ... but no text shows either token, and no request object kept afterwards still holds the gateway's.
    assert len(requests) >= 4
    assert not [text for text in texts if TOKEN in text or GATEWAY_TOKEN in text]
    assert {request.headers["cf-aig-authorization"] for request in requests} == {REDACTED}
