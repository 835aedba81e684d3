"""Per-request options, `with_options`, reject-if-busy and the client x gateway retry rule."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from tests.gateway.gateway_support import ACCOUNT, DISTILBERT, RESNET, TOKEN, UNKNOWN, Harness, sent_headers
from tests.support.gateway_server import GatewayServer, Planned, failure
from workers_ai import AsyncWorkersAI, GatewayOptions, RequestOptions, WorkersAI
from workers_ai.errors import (
    APIConnectionError,
    APITimeoutError,
    InputValidationError,
    InternalServerError,
    RateLimitError,
)

BUSY = Planned(429, failure(3040, "Capacity temporarily exceeded, please try again."))
UNAVAILABLE = Planned(503, failure(7001, "upstream unavailable"))


def test_every_option_reaches_the_wire(harness: Harness, server: GatewayServer) -> None:
    result = harness.call(
        lambda c: c.run(
            UNKNOWN,
            {"prompt": "hi"},
            timeout=7.5,
            max_retries=0,
            extra_headers={"x-trace": "abc", "X-Other": "1"},
            extra_query={"debug": True, "n": 2},
            extra_body={"temperature": 0.2},
            reject_if_busy=True,
            session_affinity="session-123",
        )
    )
    assert result == {"echo": {"prompt": "hi", "temperature": 0.2, "options": {"rejectIfBusy": True}}}
    (request,) = server.requests
    assert request.method == "POST"
    assert request.path == f"/client/v4/accounts/{ACCOUNT}/ai/run/{UNKNOWN}?debug=true&n=2"
    assert sent_headers(request.headers) == {
        "authorization": f"Bearer {TOKEN}",
        "content-type": "application/json",
        "x-session-affinity": "session-123",
        "x-trace": "abc",
        "x-other": "1",
    }
    assert request.body == b'{"prompt":"hi","temperature":0.2,"options":{"rejectIfBusy":true}}'


def test_extra_body_is_merged_after_validation(harness: Harness, server: GatewayServer) -> None:
    # `extra` is not in the model's schema: the input is validated first, then the field is added.
    harness.call(lambda c: c.run(DISTILBERT, {"text": "x"}, extra_body={"extra": [1, 2]}))
    assert server.requests[0].body == b'{"text":"x","extra":[1,2]}'
    with pytest.raises(InputValidationError):  # ... but the input itself is still checked
        harness.call(lambda c: c.run(DISTILBERT, {"text": ""}, extra_body={"extra": 1}))
    assert server.count == 1


def test_task_methods_take_the_same_options(harness: Harness, server: GatewayServer) -> None:
    result = harness.call(
        lambda c: c.text_classification(text="great", gateway="task-gw", timeout=3, session_affinity="s1")
    )
    assert result[0].label == "POSITIVE"
    (request,) = server.requests
    assert request.path == f"/gw/v1/{ACCOUNT}/task-gw/workers-ai/{DISTILBERT}"
    assert request.headers["x-session-affinity"] == "s1"
    assert request.body == b'{"text":"great"}'


BAD_OPTIONS: list[tuple[dict[str, object], str]] = [
    ({"extra_headers": {"x-a": "line\nbreak"}}, "/extra_headers/x-a"),
    ({"extra_headers": {"bad name": "v"}}, "/extra_headers"),
    ({"extra_headers": {"x-a": 1}}, "/extra_headers/x-a"),
    ({"session_affinity": "a\r\nb"}, "/session_affinity"),
    ({"timeout": -1}, "/timeout"),
    ({"timeout": "5"}, "/timeout"),
    ({"max_retries": -1}, "/max_retries"),
    ({"max_retries": True}, "/max_retries"),
    ({"extra_query": {"q": [1]}}, "/extra_query/q"),
    ({"extra_body": {1: 2}}, "/extra_body"),
    ({"reject_if_busy": "yes"}, "/reject_if_busy"),
]


@pytest.mark.parametrize(("options", "pointer"), BAD_OPTIONS)
def test_bad_options_are_refused_before_sending(
    harness: Harness, server: GatewayServer, options: dict[str, object], pointer: str
) -> None:
    with pytest.raises(InputValidationError) as info:
        harness.call(lambda c: c.run(DISTILBERT, {"text": "x"}, **options))
    assert [issue.pointer for issue in info.value.errors] == [pointer]
    assert server.count == 0


def test_unknown_option_is_a_type_error(harness: Harness, server: GatewayServer) -> None:
    with pytest.raises(TypeError, match="colour"):
        harness.call(lambda c: c.run(DISTILBERT, {"text": "x"}, colour="red"))
    assert server.count == 0


def test_raw_body_cannot_take_extra_body(harness: Harness, server: GatewayServer) -> None:
    with pytest.raises(InputValidationError, match="raw binary body"):
        harness.call(lambda c: c.run(RESNET, b"\x89PNG", extra_body={"a": 1}))
    assert server.count == 0


def test_per_call_timeout_applies(harness: Harness, server: GatewayServer) -> None:
    server.plan(Planned(200, {"result": [], "success": True}, delay=0.5))
    with pytest.raises(APITimeoutError):
        harness.call(lambda c: c.run(DISTILBERT, {"text": "x"}, timeout=0.1, max_retries=0))
    assert server.count == 1


def test_reject_if_busy_is_typed_and_retried(
    harness: Harness, server: GatewayServer, sleeps: list[float]
) -> None:
    server.plan(BUSY)
    result = harness.call(lambda c: c.run(DISTILBERT, {"text": "x"}, reject_if_busy=True))
    assert result[0].label == "POSITIVE"
    assert server.count == 2 and len(sleeps) == 1
    assert all(r.json()["options"] == {"rejectIfBusy": True} for r in server.requests)
    server.reset()
    server.plan(BUSY)
    with pytest.raises(RateLimitError) as info:
        harness.call(lambda c: c.run(DISTILBERT, {"text": "x"}, reject_if_busy=True, max_retries=0))
    assert info.value.code == 3040 and info.value.attempts == 1
    assert server.count == 1


@pytest.mark.parametrize(
    ("gateway", "requests"),
    [
        # The gateway retries upstream: its answer is final, one request (never 3 x 3 upstream attempts).
        (GatewayOptions(id="g", max_attempts=3), 1),
        (GatewayOptions(id="g", max_attempts=5), 1),
        # No gateway retries: the client's own max_retries=2 apply.
        (GatewayOptions(id="g", max_attempts=1), 3),
        (GatewayOptions(id="g"), 3),
    ],
)
def test_client_retries_do_not_multiply_gateway_retries(
    harness: Harness, server: GatewayServer, sleeps: list[float], gateway: GatewayOptions, requests: int
) -> None:
    server.plan(UNAVAILABLE, UNAVAILABLE, UNAVAILABLE)
    with pytest.raises(InternalServerError) as info:
        harness.call(lambda c: c.run(DISTILBERT, {"text": "x"}), gateway=gateway)
    assert server.count == requests and info.value.attempts == requests and len(sleeps) == requests - 1
    expected = str(gateway.max_attempts) if gateway.max_attempts is not None else None
    assert server.requests[0].headers.get("cf-aig-max-attempts") == expected


def test_client_still_retries_a_gateway_it_could_not_reach(harness: Harness, sleeps: list[float]) -> None:
    # Nothing listens there: the request never reached any gateway, so retrying cannot multiply anything.
    gateway = GatewayOptions(id="g", max_attempts=5)
    with pytest.raises(APIConnectionError) as info:
        harness.call(
            lambda c: c.run(DISTILBERT, {"text": "x"}),
            gateway=gateway,
            gateway_base_url="http://127.0.0.1:9/v1",
        )
    assert info.value.attempts == 3 and len(sleeps) == 2


def test_with_options_shares_the_pool(server: GatewayServer) -> None:
    with WorkersAI(
        account_id=ACCOUNT, api_token=TOKEN, base_url=server.api_url, gateway_base_url=server.gateway_url
    ) as client:
        routed = client.with_options(gateway="copy-gw", max_retries=0, timeout=9.0)
        assert routed._http is client._http
        assert (routed.max_retries, client.max_retries) == (0, 2)
        routed.run(DISTILBERT, {"text": "x"})
        client.run(DISTILBERT, {"text": "x"})
        routed.close()  # a copy never closes the shared pool
        client.run(DISTILBERT, {"text": "x"})
        unified = routed.with_options(unified_run=True)
        unified.run(DISTILBERT, {"text": "x"})
    paths = [r.path for r in server.requests]
    assert paths == [
        f"/gw/v1/{ACCOUNT}/copy-gw/workers-ai/{DISTILBERT}",
        f"/client/v4/accounts/{ACCOUNT}/ai/run/{DISTILBERT}",
        f"/client/v4/accounts/{ACCOUNT}/ai/run/{DISTILBERT}",
        f"/client/v4/accounts/{ACCOUNT}/ai/run",
    ]
    assert server.requests[3].headers["cf-aig-gateway-id"] == "copy-gw"
    assert client._http.is_closed
    with pytest.raises(InputValidationError):
        client.with_options(timeout=-5)


def test_async_with_options_shares_the_pool(server: GatewayServer) -> None:
    import asyncio

    async def scenario() -> None:
        settings = {"account_id": ACCOUNT, "api_token": TOKEN, "base_url": server.api_url}
        async with AsyncWorkersAI(**settings, gateway_base_url=server.gateway_url) as client:
            copy = client.with_options(max_retries=1, gateway={"id": "a", "cache_ttl": 60})
            assert copy._http is client._http
            await copy.run(DISTILBERT, {"text": "x"})
            await copy.aclose()
            assert not client._http.is_closed
            await client.run(DISTILBERT, {"text": "x"})

    asyncio.run(scenario())
    routed, direct = server.requests
    assert routed.path.endswith(f"/a/workers-ai/{DISTILBERT}") and routed.headers["cf-aig-cache-ttl"] == "60"
    assert direct.path == f"/client/v4/accounts/{ACCOUNT}/ai/run/{DISTILBERT}"


def test_no_catalog_model_has_an_input_named_like_an_option() -> None:
    names = set(RequestOptions.__annotations__)
    for path in Path("schemas").glob("*.json"):
        document = json.loads(path.read_text(encoding="utf-8"))
        found = names & _property_names(document.get("schema", {}).get("input", {}))
        assert not found, f"{path.name}: input fields {found} would be taken as request options"


def _property_names(schema: object) -> set[str]:
    if isinstance(schema, dict):
        names = set(schema.get("properties", {})) if isinstance(schema.get("properties"), dict) else set()
        for value in schema.values():
            names |= _property_names(value)
        return names
    if isinstance(schema, list):
        return set().union(*(_property_names(item) for item in schema)) if schema else set()
    return set()


def test_timeout_object_is_accepted(harness: Harness, server: GatewayServer) -> None:
    harness.call(lambda c: c.run(DISTILBERT, {"text": "x"}, timeout=httpx.Timeout(5.0)))
    assert server.count == 1
