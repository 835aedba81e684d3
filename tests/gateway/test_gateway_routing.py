"""Gateway routing and options over a real socket: method, URL, headers and body byte for byte."""

from __future__ import annotations

import json

import pytest

from tests.gateway.gateway_support import ACCOUNT, DISTILBERT, LLAMA, TOKEN, Harness, sent_headers
from tests.support.gateway_server import GatewayServer, Planned, failure
from workers_ai import CustomCost, GatewayOptions
from workers_ai.errors import InputValidationError, InternalServerError

FULL = GatewayOptions(
    id="my-gw",
    cache_ttl=3600,
    skip_cache=False,
    cache_key="user-42",
    collect_log=True,
    metadata={"team": "ai", "user": 12345, "beta": True, "ratio": 0.5},
    custom_cost=CustomCost(per_token_in=0.000001, per_token_out=0.000002),
    request_timeout_ms=5000,
    max_attempts=3,
    retry_delay_ms=250,
    backoff="exponential",
)
FULL_HEADERS = {
    "authorization": f"Bearer {TOKEN}",
    "content-type": "application/json",
    "cf-aig-cache-ttl": "3600",
    "cf-aig-skip-cache": "false",
    "cf-aig-cache-key": "user-42",
    "cf-aig-collect-log": "true",
    "cf-aig-metadata": '{"team":"ai","user":12345,"beta":true,"ratio":0.5}',
    "cf-aig-custom-cost": '{"per_token_in":1e-06,"per_token_out":2e-06}',
    "cf-aig-request-timeout": "5000",
    "cf-aig-max-attempts": "3",
    "cf-aig-retry-delay": "250",
    "cf-aig-backoff": "exponential",
}


def test_client_gateway_routes_every_call(harness: Harness, server: GatewayServer) -> None:
    result = harness.call(lambda c: c.run(DISTILBERT, {"text": "great"}), gateway=FULL)
    assert result[0].label == "POSITIVE"
    (request,) = server.requests
    assert request.method == "POST"
    assert request.path == f"/gw/v1/{ACCOUNT}/my-gw/workers-ai/{DISTILBERT}"
    assert sent_headers(request.headers) == FULL_HEADERS
    assert request.body == b'{"text":"great"}'


def test_gateway_id_alone_adds_no_header(harness: Harness, server: GatewayServer) -> None:
    harness.call(lambda c: c.run(DISTILBERT, {"text": "great"}), gateway="plain-gw")
    (request,) = server.requests
    assert request.path == f"/gw/v1/{ACCOUNT}/plain-gw/workers-ai/{DISTILBERT}"
    assert sent_headers(request.headers) == {
        "authorization": f"Bearer {TOKEN}",
        "content-type": "application/json",
    }


def test_call_gateway_is_merged_over_the_clients(harness: Harness, server: GatewayServer) -> None:
    harness.call(
        lambda c: c.run(DISTILBERT, {"text": "x"}, gateway={"id": "other", "skip_cache": True}),
        gateway=GatewayOptions(id="first", cache_ttl=120),
    )
    harness.call(
        lambda c: c.run(DISTILBERT, {"text": "x"}, gateway=GatewayOptions(cache_ttl=60)), gateway="first"
    )
    first, second = server.requests
    assert first.path == f"/gw/v1/{ACCOUNT}/other/workers-ai/{DISTILBERT}"
    assert first.headers["cf-aig-cache-ttl"] == "120" and first.headers["cf-aig-skip-cache"] == "true"
    assert second.path == f"/gw/v1/{ACCOUNT}/first/workers-ai/{DISTILBERT}"
    assert second.headers["cf-aig-cache-ttl"] == "60"


def test_call_without_gateway_id_on_a_plain_client_is_refused(
    harness: Harness, server: GatewayServer
) -> None:
    with pytest.raises(InputValidationError, match="gateway id"):
        harness.call(lambda c: c.run(DISTILBERT, {"text": "x"}, gateway={"cache_ttl": 60}))
    assert server.count == 0


BAD_GATEWAY_OPTIONS = [
    ({"metadata": {f"k{i}": i for i in range(6)}}, "/gateway/metadata", "6 entries"),
    ({"cache_ttl": 10}, "/gateway/cache_ttl", "between 60 and 2592000"),
    ({"cache_ttl": 2_592_001}, "/gateway/cache_ttl", "between 60"),
    ({"cache_ttl": True}, "/gateway/cache_ttl", "integer"),
    ({"backoff": "random"}, "/gateway/backoff", "constant, linear, exponential"),
    ({"cache_key": "a\nb"}, "/gateway/cache_key", "line breaks"),
    ({"cache_key": "clé"}, "/gateway/cache_key", "ASCII"),
    ({"max_attempts": 6}, "/gateway/max_attempts", "between 1 and 5"),
    ({"retry_delay_ms": 5001}, "/gateway/retry_delay_ms", "between 0 and 5000"),
    ({"request_timeout_ms": 0}, "/gateway/request_timeout_ms", "at least 1"),
    ({"metadata": {"nested": {"a": 1}}}, "/gateway/metadata/nested", "string, number or boolean"),
    ({"metadata": {"n": float("nan")}}, "/gateway/metadata/n", "string, number or boolean"),
    ({"custom_cost": {"per_token_in": -1}}, "/gateway/custom_cost/per_token_in", ">= 0"),
    ({"custom_cost": {"per_token": 1}}, "/gateway/custom_cost", "per_token_in"),
    ({"skip_cache": "yes"}, "/gateway/skip_cache", "true or false"),
    ({"id": "has space"}, "/gateway/id", "letters, digits"),
    ({"id": "g", "authorization": "tok\r\nX-Evil: 1"}, "/gateway/authorization", "line breaks"),
    ({"id": "g", "colour": "red"}, "/gateway/colour", "not a gateway option"),
]


@pytest.mark.parametrize(("options", "pointer", "message"), BAD_GATEWAY_OPTIONS)
def test_bad_gateway_options_are_refused_before_sending(
    harness: Harness, server: GatewayServer, options: dict[str, object], pointer: str, message: str
) -> None:
    with pytest.raises(InputValidationError) as info:
        harness.call(lambda c: c.run(DISTILBERT, {"text": "x"}, gateway={"id": "g", **options}))
    assert [issue.pointer for issue in info.value.errors] == [pointer]
    assert message in str(info.value)
    assert "tok" not in str(info.value) or "authorization" not in pointer
    with pytest.raises(InputValidationError):
        harness.client(gateway={"id": "g", **options})
    assert server.count == 0


def test_header_values_are_exact_for_every_backoff_and_flag(harness: Harness, server: GatewayServer) -> None:
    for backoff in ("constant", "linear", "exponential"):
        gateway = GatewayOptions(id="g", backoff=backoff, skip_cache=True, collect_log=False, cache_ttl=60)
        harness.call(lambda c, g=gateway: c.run(DISTILBERT, {"text": "x"}, gateway=g))
    assert [r.headers["cf-aig-backoff"] for r in server.requests] == ["constant", "linear", "exponential"]
    assert {r.headers["cf-aig-skip-cache"] for r in server.requests} == {"true"}
    assert {r.headers["cf-aig-collect-log"] for r in server.requests} == {"false"}
    unicode = GatewayOptions(id="g", metadata={"name": "Zoë\nline"})
    assert json.loads(unicode.headers["cf-aig-metadata"]) == {"name": "Zoë\nline"}
    assert unicode.headers["cf-aig-metadata"].isascii()


def test_streaming_through_the_gateway(harness: Harness, server: GatewayServer) -> None:
    _, chunks = harness.call(lambda c: c.stream(LLAMA, {"prompt": "hi"}), gateway="g")
    assert "".join(chunk.response for chunk in chunks) == "Hello from the gateway"
    (request,) = server.requests
    assert request.path == f"/gw/v1/{ACCOUNT}/g/workers-ai/{LLAMA}"
    assert request.body == b'{"prompt":"hi","stream":true}'


def test_unified_run_sends_model_and_input(harness: Harness, server: GatewayServer) -> None:
    result = harness.call(
        lambda c: c.run(DISTILBERT, {"text": "great"}),
        unified_run=True,
        gateway=GatewayOptions(id="g", cache_ttl=90),
    )
    assert result[0].label == "POSITIVE"
    _, chunks = harness.call(lambda c: c.stream(LLAMA, {"prompt": "hi"}), unified_run=True)
    first, second = server.requests
    assert first.method == "POST" and first.path == f"/client/v4/accounts/{ACCOUNT}/ai/run"
    assert sent_headers(first.headers) == {
        "authorization": f"Bearer {TOKEN}",
        "content-type": "application/json",
        "cf-aig-cache-ttl": "90",
        "cf-aig-gateway-id": "g",
    }
    assert first.body == f'{{"model":"{DISTILBERT}","input":{{"text":"great"}}}}'.encode()
    assert "cf-aig-gateway-id" not in second.headers  # the account's default gateway
    assert second.body == f'{{"model":"{LLAMA}","input":{{"prompt":"hi","stream":true}}}}'.encode()
    assert len(chunks) == 3


def test_unified_run_refuses_a_raw_binary_body(harness: Harness, server: GatewayServer) -> None:
    with pytest.raises(InputValidationError, match="raw binary body"):
        harness.call(lambda c: c.run("@cf/microsoft/resnet-50", b"\x89PNG"), unified_run=True)
    assert server.count == 0


def test_gateway_feedback(harness: Harness, server: GatewayServer) -> None:
    harness.call(lambda c: c.gateway_feedback("01JADMCQQQBWH3NXZ5GCRN98DP", 1, score=80), gateway="fb-gw")
    harness.call(lambda c: c.gateway_feedback("01JADMCQQQBWH3NXZ5GCRN98DQ", -1, gateway="other"))
    first, second = server.requests
    assert first.method == "PATCH"
    assert (
        first.path
        == f"/client/v4/accounts/{ACCOUNT}/ai-gateway/gateways/fb-gw/logs/01JADMCQQQBWH3NXZ5GCRN98DP"
    )
    assert sent_headers(first.headers) == {
        "authorization": f"Bearer {TOKEN}",
        "content-type": "application/json",
    }
    assert first.body == b'{"feedback":1,"score":80}'
    assert second.path.endswith("/ai-gateway/gateways/other/logs/01JADMCQQQBWH3NXZ5GCRN98DQ")
    assert second.body == b'{"feedback":-1}'


@pytest.mark.parametrize(
    ("log_id", "feedback", "score", "gateway", "pointer"),
    [
        ("01J", 0, None, "g", "/feedback"),
        ("01J", True, None, "g", "/feedback"),
        ("01J", 2, None, "g", "/feedback"),
        ("01J", 1, 101, "g", "/score"),
        ("../../x", 1, None, "g", "/log_id"),
        ("01J", 1, None, None, "/gateway"),
        ("01J", 1, None, "bad/gw", "/gateway"),
    ],
)
def test_bad_feedback_is_refused_before_sending(
    harness: Harness,
    server: GatewayServer,
    log_id: str,
    feedback: int,
    score: float | None,
    gateway: str | None,
    pointer: str,
) -> None:
    with pytest.raises(InputValidationError) as info:
        harness.call(lambda c: c.gateway_feedback(log_id, feedback, score=score, gateway=gateway))
    assert [issue.pointer for issue in info.value.errors] == [pointer]
    assert server.count == 0


def test_gateway_feedback_errors_are_typed(harness: Harness, server: GatewayServer) -> None:
    server.plan(Planned(500, failure(7000, "log store down")))
    with pytest.raises(InternalServerError, match="log store down"):
        harness.call(lambda c: c.gateway_feedback("01J", 1), gateway="g")
    assert server.count == 1
