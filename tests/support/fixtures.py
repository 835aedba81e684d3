"""Fixtures of every test folder that talks to a scripted `FaultServer` (loaded by tests/conftest.py):
a fresh server per test, and sync and async clients of it with retries off. A folder that needs another
server defines its own `server`: the gateway stand-in, or `shared_fault_server` reset for each test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.fault_server import FaultServer
from workers_ai import AsyncWorkersAI, WorkersAI

ACCOUNT = "acc-123"
TOKEN = "secret-token-xyz"


@pytest.fixture
def server() -> Iterator[FaultServer]:
    with FaultServer() as running:
        yield running


@pytest.fixture(scope="session")
def shared_fault_server() -> Iterator[FaultServer]:
    """One server for the test process, for folders where starting one per test costs more than the
    tests: their `server` fixture calls `reset()` (empty queue, no recorded requests) before each test."""
    with FaultServer() as running:
        yield running


@pytest.fixture
def client(server: FaultServer) -> Iterator[WorkersAI]:
    with WorkersAI(account_id=ACCOUNT, api_token=TOKEN, base_url=server.base_url, max_retries=0) as made:
        yield made


@pytest.fixture
def aclient(server: FaultServer) -> AsyncWorkersAI:
    return AsyncWorkersAI(account_id=ACCOUNT, api_token=TOKEN, base_url=server.base_url, max_retries=0)
