"""`with_raw_response`: the parsed result together with status, headers, elapsed time and the
Cloudflare / gateway headers as typed fields."""

from __future__ import annotations

import datetime

import pytest

from tests.gateway.gateway_support import ACCOUNT, DISTILBERT, LLAMA, Harness
from tests.support.gateway_server import GatewayServer, Planned, failure
from workers_ai import RawResponse
from workers_ai.errors import BadRequestError


def test_raw_response_of_a_gateway_call(harness: Harness, server: GatewayServer) -> None:
    first = harness.call(lambda c: c.with_raw_response.run(DISTILBERT, {"text": "great"}), gateway="g")
    again = harness.call(lambda c: c.with_raw_response.run(DISTILBERT, {"text": "great"}), gateway="g")
    assert isinstance(first, RawResponse)
    assert first.status_code == 200
    assert first.headers["content-type"] == "application/json"
    assert str(first.url).endswith(f"/gw/v1/{ACCOUNT}/g/workers-ai/{DISTILBERT}")
    assert isinstance(first.elapsed, datetime.timedelta) and first.elapsed.total_seconds() > 0
    assert first.attempts == 1
    assert first.cf_ray == "8f1e2d3c4b5a6978-AMS"
    assert (first.cache_status, again.cache_status) == ("MISS", "HIT")
    assert first.log_id == "01JLOG00000000000000000001"
    assert first.request_id == "req-1" and first.event_id is None
    assert first.parse()[0].label == "POSITIVE"
    assert "RawResponse [200] POST" in repr(first)


def test_raw_response_of_a_direct_call_has_no_gateway_fields(harness: Harness, server: GatewayServer) -> None:
    raw = harness.call(
        lambda c: c.with_raw_response.run(DISTILBERT, {"text": "x"}, extra_headers={"x-a": "1"})
    )
    assert (raw.cache_status, raw.log_id, raw.request_id) == (None, None, None)
    assert raw.cf_ray is not None
    assert server.requests[0].headers["x-a"] == "1"


def test_raw_response_of_a_task_method_and_a_stream(harness: Harness, server: GatewayServer) -> None:
    raw = harness.call(lambda c: c.with_raw_response.text_classification(text="great", gateway="t"))
    assert raw.parse()[0].label == "POSITIVE" and raw.cache_status == "MISS"
    raw, chunks = harness.call(lambda c: c.with_raw_response.stream(LLAMA, {"prompt": "hi"}))
    assert raw.status_code == 200 and raw.headers["content-type"] == "text/event-stream"
    assert [chunk.response for chunk in chunks] == ["Hello", " from", " the gateway"]
    assert server.requests[0].path.endswith(f"/t/workers-ai/{DISTILBERT}")


def test_raw_response_counts_attempts(harness: Harness, server: GatewayServer, sleeps: list[float]) -> None:
    server.plan(Planned(503, failure(7001, "busy")))
    raw = harness.call(lambda c: c.with_raw_response.run(DISTILBERT, {"text": "x"}))
    assert raw.attempts == 2 and server.count == 2


def test_errors_still_raise_with_their_response(harness: Harness, server: GatewayServer) -> None:
    server.plan(Planned(400, failure(5006, "bad input")))
    with pytest.raises(BadRequestError) as info:
        harness.call(lambda c: c.with_raw_response.run(DISTILBERT, {"text": "x"}), gateway="g")
    assert info.value.response is not None
    assert info.value.response.headers["cf-aig-log-id"].startswith("01JLOG")


def test_private_names_are_not_reachable(harness: Harness) -> None:
    with pytest.raises(AttributeError):
        harness.call(lambda c: c.with_raw_response._run)
