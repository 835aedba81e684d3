"""The sync engine's parts: worker threads, the per-thread transport of the CLI, the batched journal."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.model_server import ModelServer
from workers_ai._bulk import MapRun
from workers_ai._bulk_files import Journal
from workers_ai._per_thread import PerThreadTransport
from workers_ai.errors import APIError


def test_a_bug_in_a_worker_thread_is_raised_in_the_iterating_thread() -> None:
    def call(value: int) -> int:
        if value == 5:
            raise KeyError("not a row's error")
        return value * 2

    run: MapRun[int] = MapRun(call, range(20), concurrency=3)
    with pytest.raises(KeyError, match="not a row's error"):
        list(run)
    assert run.summary.stopped == "interrupted"


def test_workers_never_exceed_the_window_and_row_errors_stay_items() -> None:
    lock = threading.Lock()
    running = peak = 0
    gate = threading.Event()

    def call(value: int) -> int:
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
        gate.wait(0.002)
        with lock:
            running -= 1
        if value % 7 == 0:
            raise APIError("row failed", status_code=500)
        return value

    items = list(MapRun(call, range(200), concurrency=4))
    assert [item.index for item in items] == list(range(200))
    assert peak <= 4
    assert [item.index for item in items if not item.ok] == list(range(0, 200, 7))
    assert [item.result for item in items if item.ok] == [v for v in range(200) if v % 7]


def test_each_thread_gets_its_own_pool_and_close_closes_them_all() -> None:
    built: list[httpx.HTTPTransport] = []

    def build() -> httpx.BaseTransport:
        transport = httpx.HTTPTransport()
        built.append(transport)
        return transport

    transport = PerThreadTransport(build)
    with ModelServer() as server, httpx.Client(transport=transport) as http:
        url = f"{server.base_url}/accounts/a/ai/run/@cf/huggingface/distilbert-sst-2-int8"

        def post() -> None:
            for _ in range(3):
                assert http.post(url, json={"text": "good"}).json()["success"] is True

        threads = [threading.Thread(target=post) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        post()
    assert len(built) == 4  # three threads and this one, each pool reused for its three calls
    with pytest.raises(RuntimeError):
        transport.handle_request(httpx.Request("POST", url))


def test_batched_journal_writes_whole_lines_and_close_flushes(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    journal = Journal(path)
    journal.FLUSH_SECONDS = 3600.0  # only size or close may flush here
    records: list[dict[str, Any]] = [{"id": i, "ok": True, "result": "x" * 100} for i in range(50)]
    for record in records:
        journal.add(record)
    assert path.read_bytes().count(b"\n") == 1  # the first add is due at once; the rest wait
    journal.close()
    assert [json.loads(line) for line in path.read_text().splitlines()] == records
