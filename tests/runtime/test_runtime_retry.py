"""The retry matrix with exact attempt counts, Retry-After handling, timeouts and connection faults."""

from __future__ import annotations

import asyncio
import email.utils
import time
from types import SimpleNamespace
from typing import Any

import httpx
import pytest

from tests.runtime.runtime_pkg import ACCOUNT, DISTILBERT, TOKEN, Harness
from tests.support.fault_server import FaultServer, Reply, unresponsive_address

TEXT = {"text": "hello"}
OK = Reply.envelope([{"label": "POSITIVE", "score": 0.9}])


def raised(harness: Harness, **options: Any) -> Any:
    with pytest.raises(harness.wai.errors.WorkersAIError) as info:
        harness.run(DISTILBERT, TEXT, **options)
    return info.value


@pytest.mark.parametrize("status", [408, 409, 429, 500, 502, 503, 504])
@pytest.mark.parametrize("failures", [1, 2])
def test_retryable_statuses_then_success(
    harness: Harness, server: FaultServer, sleeps: list[float], status: int, failures: int
) -> None:
    server.burst(Reply.failure(status, None, "transient"), failures).enqueue(OK)
    assert harness.run(DISTILBERT, TEXT)[0].label == "POSITIVE"
    assert server.count == failures + 1
    assert len(sleeps) == failures
    assert server.requests[0].body == server.requests[-1].body


@pytest.mark.parametrize("max_retries", [0, 1, 2, 4])
def test_attempts_are_max_retries_plus_one(
    harness: Harness, server: FaultServer, sleeps: list[float], max_retries: int
) -> None:
    server.burst(Reply.failure(503, None, "overloaded"), 10)
    error = raised(harness, max_retries=max_retries)
    assert server.count == max_retries + 1 and error.attempts == max_retries + 1
    assert len(sleeps) == max_retries
    if max_retries:
        assert f"after {max_retries + 1} attempts" in str(error)


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422])
def test_never_retried_statuses(
    harness: Harness, server: FaultServer, sleeps: list[float], status: int
) -> None:
    server.burst(Reply.failure(status, None, "no"), 3)
    error = raised(harness)
    assert server.count == 1 and error.attempts == 1 and sleeps == []
    assert "attempts" not in str(error)


def test_burst_of_5xx_exhausts_retries(harness: Harness, server: FaultServer, sleeps: list[float]) -> None:
    server.burst(Reply.html(502, "<title>Bad gateway</title>"), 5).enqueue(OK)
    error = raised(harness, max_retries=3)
    assert type(error).__name__ == "InternalServerError"
    assert server.count == 4 and server.pending == 2


def test_exponential_backoff_with_jitter(
    harness: Harness, server: FaultServer, sleeps: list[float], monkeypatch: pytest.MonkeyPatch
) -> None:
    server.burst(Reply.failure(500, None, "x"), 6)
    raised(harness, max_retries=5)
    assert len(sleeps) == 5
    for attempt, delay in enumerate(sleeps, start=1):
        ceiling = min(0.5 * 2 ** (attempt - 1), 8.0)
        assert 0.75 * ceiling <= delay <= ceiling
    monkeypatch.setattr(harness.wai.retry, "INITIAL_BACKOFF", 0.001)
    sleeps.clear()
    server.burst(Reply.failure(500, None, "x"), 2).enqueue(OK)
    harness.run(DISTILBERT, TEXT)
    assert all(delay <= 0.002 for delay in sleeps)


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"retry_after": "2"}, 2.0),
        ({"retry_after": "0.25"}, 0.25),
        ({"retry_after_ms": "1500"}, 1.5),
        ({"retry_after_ms": "300", "retry_after": "9"}, 0.3),  # ms wins
        ({"retry_after": "soon"}, None),  # unreadable: backoff
    ],
)
def test_retry_after_headers(
    harness: Harness,
    server: FaultServer,
    sleeps: list[float],
    headers: dict[str, Any],
    expected: float | None,
) -> None:
    server.enqueue(Reply.rate_limited(**headers), OK)
    harness.run(DISTILBERT, TEXT)
    assert server.count == 2 and len(sleeps) == 1
    if expected is None:
        assert 0.375 <= sleeps[0] <= 0.5
    else:
        assert sleeps[0] == pytest.approx(expected)


def test_retry_after_http_date(harness: Harness, server: FaultServer, sleeps: list[float]) -> None:
    when = email.utils.formatdate(time.time() + 30, usegmt=True)
    server.enqueue(Reply.rate_limited(retry_after=when), OK)
    harness.run(DISTILBERT, TEXT)
    assert 27 <= sleeps[0] <= 30.5
    past = email.utils.formatdate(time.time() - 30, usegmt=True)
    sleeps.clear()
    server.enqueue(Reply.rate_limited(retry_after=past), OK)
    harness.run(DISTILBERT, TEXT)
    assert sleeps == [0.0]


def test_retry_after_beyond_cap_is_not_retried(
    harness: Harness, server: FaultServer, sleeps: list[float]
) -> None:
    server.enqueue(Reply.rate_limited(retry_after="3600"), OK)
    error = raised(harness)
    assert server.count == 1 and sleeps == []
    assert "3600 s" in str(error) and "not retried" in str(error)


def test_retry_after_on_503(harness: Harness, server: FaultServer, sleeps: list[float]) -> None:
    server.enqueue(Reply.failure(503, None, "busy", headers=[("Retry-After", "1")]), OK)
    harness.run(DISTILBERT, TEXT)
    assert sleeps == [1.0]


def test_real_sleep_is_used_by_default(
    wai: SimpleNamespace, server: FaultServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(wai.retry, "INITIAL_BACKOFF", 0.05)
    server.enqueue(Reply.failure(500, None, "x"), OK)
    started = time.perf_counter()
    with wai.WorkersAI(account_id=ACCOUNT, api_token=TOKEN, base_url=server.base_url) as client:
        client.run(DISTILBERT, TEXT)
    assert time.perf_counter() - started >= 0.0375


def test_read_timeout(harness: Harness, server: FaultServer, sleeps: list[float]) -> None:
    server.burst(Reply(delay=1.0), 2)
    error = raised(harness, timeout=httpx.Timeout(5.0, read=0.2), max_retries=1)
    assert type(error).__name__ == "APITimeoutError"
    assert isinstance(error, harness.wai.errors.APIConnectionError)
    assert server.count == 2 and error.attempts == 2 and "after 2 attempts" in str(error)
    assert isinstance(error.__cause__, httpx.ReadTimeout)


def test_timeout_then_success(harness: Harness, server: FaultServer, sleeps: list[float]) -> None:
    server.enqueue(Reply(delay=1.0), OK)
    assert harness.run(DISTILBERT, TEXT, timeout=0.2)[0].label == "POSITIVE"
    assert server.count == 2


def test_slow_body_chunks_time_out(harness: Harness, server: FaultServer) -> None:
    body = b'{"result": [], "success": true, "errors": [], "messages": []}'
    server.enqueue(
        Reply(
            headers=[("Content-Type", "application/json")],
            chunks=[body[:10], body[10:]],
            chunk_delay=0.6,
            framing="chunked",
        )
    )
    error = raised(harness, timeout=httpx.Timeout(5.0, read=0.3), max_retries=0)
    assert type(error).__name__ == "APITimeoutError"


def test_connect_timeout(harness: Harness, sleeps: list[float]) -> None:
    with unresponsive_address() as (host, port):
        started = time.perf_counter()
        error = raised(
            harness,
            base_url=f"http://{host}:{port}/client/v4",
            timeout=httpx.Timeout(5.0, connect=0.2),
            max_retries=1,
        )
    assert type(error).__name__ == "APITimeoutError" and error.attempts == 2
    assert isinstance(error.__cause__, httpx.ConnectTimeout)
    assert time.perf_counter() - started < 3


def test_connection_refused(harness: Harness, sleeps: list[float]) -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    error = raised(harness, base_url=f"http://127.0.0.1:{port}", max_retries=2)
    assert type(error).__name__ == "APIConnectionError" and error.attempts == 3 and len(sleeps) == 2


@pytest.mark.parametrize("fault", [Reply(reset=True), Reply(hang_up=True)])
def test_connection_reset_or_hang_up_is_retried(
    harness: Harness, server: FaultServer, sleeps: list[float], fault: Reply
) -> None:
    server.enqueue(fault, fault, OK)
    assert harness.run(DISTILBERT, TEXT)[0].label == "POSITIVE"
    assert server.count == 3 and len(sleeps) == 2


def test_connection_reset_every_time(harness: Harness, server: FaultServer, sleeps: list[float]) -> None:
    server.burst(Reply(reset=True), 3)
    error = raised(harness)
    assert type(error).__name__ == "APIConnectionError" and error.attempts == 3 and server.count == 3


def test_truncated_body_with_content_length_is_a_connection_error_and_retried(
    harness: Harness, server: FaultServer, sleeps: list[float]
) -> None:
    body = b'{"result": [{"label": "POSITIVE"}], "success": true, "errors": [], "messages": []}'
    server.enqueue(Reply(headers=[("Content-Type", "application/json")], body=body, truncate_to=20), OK)
    assert harness.run(DISTILBERT, TEXT)[0].label == "POSITIVE"
    assert server.count == 2


def test_code_3040_and_3007_retried_even_with_other_status(
    harness: Harness, server: FaultServer, sleeps: list[float]
) -> None:
    server.enqueue(Reply.failure(400, 3040, "capacity"), Reply.failure(200, 3007, "timeout"), OK)
    harness.run(DISTILBERT, TEXT)
    assert server.count == 3


def test_success_false_with_retryable_code_in_http_200_then_gives_up(
    harness: Harness, server: FaultServer, sleeps: list[float]
) -> None:
    server.burst(Reply.failure(200, 3040, "capacity"), 3)
    error = raised(harness)
    assert error.attempts == 3 and type(error) is harness.wai.errors.APIError
    assert "out of capacity" in str(error)


def test_async_retry_does_not_block_the_loop(
    wai: SimpleNamespace, server: FaultServer, sleeps: list[float]
) -> None:
    server.enqueue(Reply.failure(500, None, "x"), OK)

    async def main() -> object:
        async with wai.AsyncWorkersAI(
            account_id=ACCOUNT, api_token=TOKEN, base_url=server.base_url
        ) as client:
            return await client.run(DISTILBERT, TEXT)

    assert asyncio.run(main()) is not None and len(sleeps) == 1
