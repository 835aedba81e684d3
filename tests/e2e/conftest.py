"""End-to-end: the committed generated package against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.fault_server import FaultServer
from workers_ai import WorkersAI


@pytest.fixture
def server() -> Iterator[FaultServer]:
    with FaultServer() as running:
        yield running


@pytest.fixture
def client(server: FaultServer) -> Iterator[WorkersAI]:
    with WorkersAI(
        account_id="acc-123", api_token="secret-token-xyz", base_url=server.base_url, max_retries=0
    ) as made:
        yield made
