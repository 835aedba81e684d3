"""Fixture: a fake catalog server for one test (see catalog_server.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from catalog_server import Catalog, CatalogServer, start


@pytest.fixture(autouse=True)
def no_retry_waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The catalog client waits like the runtime between retries; the tests record the waits instead."""
    from generator.runtime import _retry

    waits: list[float] = []
    monkeypatch.setattr(_retry, "sleep", waits.append)
    return waits


@pytest.fixture
def catalog_server() -> Iterator[CatalogServer]:
    catalog = Catalog()
    server, thread, base_url = start(catalog)
    try:
        yield CatalogServer(catalog, base_url)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
