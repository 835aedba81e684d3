"""Fixtures of the gateway tests: one local server for the session, a sync/async harness, and retry
waits recorded instead of slept."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import workers_ai._retry
from tests.gateway.gateway_support import Harness
from tests.support.gateway_server import GatewayServer


@pytest.fixture(scope="session")
def _session_server() -> Iterator[GatewayServer]:
    with GatewayServer() as server:
        yield server


@pytest.fixture
def server(_session_server: GatewayServer) -> GatewayServer:
    _session_server.reset()
    return _session_server


@pytest.fixture(params=["sync", "async"])
def harness(request: pytest.FixtureRequest, server: GatewayServer) -> Harness:
    return Harness(request.param, server)


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    waited: list[float] = []

    async def async_sleep(seconds: float) -> None:
        waited.append(seconds)

    monkeypatch.setattr(workers_ai._retry, "sleep", waited.append)
    monkeypatch.setattr(workers_ai._retry, "async_sleep", async_sleep)
    return waited
