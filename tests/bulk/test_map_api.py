"""`client.map(...)` over a real local server, sync and async: order, per-row errors, rate limits, quota."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Any

import pytest

from tests.support.model_server import ModelServer
from workers_ai import AsyncWorkersAI, WorkersAI
from workers_ai._bulk import AdaptiveWindow, MapItem, MapSummary
from workers_ai.errors import InputValidationError, MalformedResponseError, QuotaExceededError

MODEL = "@cf/huggingface/distilbert-sst-2-int8"


def run_map(
    mode: str, server: ModelServer, inputs: Iterable[Any], **options: Any
) -> tuple[list[MapItem[Any]], MapSummary]:
    settings: dict[str, Any] = {
        "account_id": "acc",
        "api_token": "tok",
        "base_url": server.base_url,
        "max_retries": 0,
    }
    if mode == "sync":
        with WorkersAI(**settings) as client:
            run = client.map(MODEL, inputs, **options)
            return list(run), run.summary

    async def collect() -> tuple[list[MapItem[Any]], MapSummary]:
        async with AsyncWorkersAI(**settings) as client:
            run = client.map(MODEL, inputs, **options)
            return [item async for item in run], run.summary

    return asyncio.run(collect())


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_every_row_comes_back_in_input_order_with_its_own_result_or_error(mode: str) -> None:
    texts = [f"row {i} good" if i % 3 else f"row {i}" for i in range(120)]
    texts[7] = ""  # minLength 1: rejected before sending
    texts[40] = "row 40 malformed"
    texts[80] = "row 80 rate-limit:2 good"
    with ModelServer() as server:
        items, summary = run_map(mode, server, ({"text": t} for t in texts), concurrency=8)
    assert [item.index for item in items] == list(range(120))
    assert isinstance(items[7].error, InputValidationError)
    assert items[7].error.errors[0][0] == "/text"
    assert isinstance(items[40].error, MalformedResponseError)
    assert items[80].ok and items[80].result is not None and items[80].result[0].label == "POSITIVE"
    assert items[1].result is not None and items[1].result[0].label == "POSITIVE"
    assert items[3].result is not None and items[3].result[0].label == "NEGATIVE"
    assert "" not in server.texts  # the invalid row was never sent
    assert server.texts["row 80 rate-limit:2 good"] == 3  # two 429s, requeued, then answered once
    assert all(server.texts[t] == 1 for t in texts if t and "rate-limit" not in t)
    assert (summary.succeeded, summary.failed, summary.rate_limited) == (118, 2, 2)
    assert summary.stopped is None and server.max_in_flight <= 8


def test_unordered_yields_each_row_once_as_it_completes(mode: str) -> None:
    texts = ["slow good", *[f"quick {i}" for i in range(30)]]
    with ModelServer() as server:
        items, _ = run_map(mode, server, ({"text": t} for t in texts), concurrency=4, ordered=False)
    assert sorted(item.index for item in items) == list(range(31))
    assert items[0].index != 0  # the slow first row did not hold the others back


def test_rate_limits_shrink_the_window_and_every_row_still_succeeds(mode: str) -> None:
    with ModelServer(capacity=(3, 0.01)) as server:
        items, summary = run_map(mode, server, ({"text": f"row {i}"} for i in range(60)), concurrency=12)
    assert all(item.ok for item in items), [str(i.error) for i in items if not i.ok][:3]
    assert summary.rate_limited > 0
    assert server.max_in_flight <= 3


def test_daily_quota_stops_the_run_cleanly_with_a_summary(mode: str) -> None:
    texts = [f"row {i}" for i in range(200)]
    texts[20] = "row 20 quota"
    with ModelServer() as server:
        items, summary = run_map(mode, server, ({"text": t} for t in texts), concurrency=2)
    assert summary.stopped is not None and "3036" in summary.stopped
    assert any(isinstance(item.error, QuotaExceededError) for item in items)
    assert summary.not_attempted > 100
    assert summary.done + summary.not_attempted == 200
    assert server.count < 40  # nothing new was sent once the allowance was gone
    assert "not attempted" in str(summary)


def test_a_row_rate_limited_more_than_max_requeues_times_becomes_an_error(mode: str) -> None:
    with ModelServer() as server:
        items, summary = run_map(mode, server, [{"text": "rate-limit:9"}], max_requeues=2)
    assert not items[0].ok and server.texts["rate-limit:9"] == 3
    assert summary.failed == 1


def test_breaking_off_a_sync_run_stops_sending() -> None:
    with (
        ModelServer() as server,
        WorkersAI(account_id="a", api_token="t", base_url=server.base_url) as client,
    ):
        run = client.map(MODEL, ({"text": f"row {i}"} for i in range(10_000)), concurrency=4)
        for item in run:
            if item.index == 10:
                break
        run.close()  # what garbage collection does to an abandoned run
        sent = server.count
    assert sent < 40
    assert run.summary.stopped == "interrupted"


def test_adaptive_window_halves_on_rate_limits_and_grows_back_one_at_a_time() -> None:
    window = AdaptiveWindow(8)
    window.rate_limited()
    window.rate_limited()
    assert window.size == 2
    for _ in range(2):
        window.succeeded()
    assert window.size == 3
    for _ in range(100):
        window.succeeded()
    assert window.size == 8
    for _ in range(10):
        window.rate_limited()
    assert window.size == 1
    with pytest.raises(ValueError):
        AdaptiveWindow(0)
