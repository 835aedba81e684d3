"""Fixtures of the structured-output and tool-calling tests: a local server and clients talking to it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.fault_server import FaultServer
from workers_ai import AsyncWorkersAI, WorkersAI


@pytest.fixture
def server() -> Iterator[FaultServer]:
    with FaultServer() as running:
        yield running


@pytest.fixture
def client(server: FaultServer) -> Iterator[WorkersAI]:
    with WorkersAI(
        account_id="acc", api_token="secret-token", base_url=server.base_url, max_retries=0
    ) as made:
        yield made


@pytest.fixture
def aclient(server: FaultServer) -> AsyncWorkersAI:
    return AsyncWorkersAI(account_id="acc", api_token="secret-token", base_url=server.base_url, max_retries=0)
