"""Fixtures of the REST resource tests: the client mode (sync or async); the server is the shared one."""

from __future__ import annotations

import pytest


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    value: str = request.param
    return value
