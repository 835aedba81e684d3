"""Fixtures for the runtime tests: the throw-away package (see `runtime_pkg.py`), the fault-injection
server, recorded retry waits, and a sync/async harness."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from types import SimpleNamespace

import pytest

from tests.runtime.runtime_pkg import PKG, Harness, build_package
from tests.support.fault_server import FaultServer


@pytest.fixture(scope="session")
def wai(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimpleNamespace]:
    root = tmp_path_factory.mktemp("runtime_pkg")
    build_package(root)
    sys.path.insert(0, str(root))
    try:
        names = ["errors", "_spec", "_validation", "_explain", "_binary", "_retry", "_envelope", "_streaming"]
        modules = {name.lstrip("_"): importlib.import_module(f"{PKG}.{name}") for name in names}
        client = importlib.import_module(f"{PKG}.client")
        yield SimpleNamespace(
            **modules,
            base_client=importlib.import_module(f"{PKG}._base_client"),
            models=importlib.import_module(f"{PKG}.fake_models"),
            WorkersAI=client.WorkersAI,
            AsyncWorkersAI=client.AsyncWorkersAI,
        )
    finally:
        sys.path.remove(str(root))
        for name in [n for n in sys.modules if n == PKG or n.startswith(PKG + ".")]:
            del sys.modules[name]


@pytest.fixture
def server(shared_fault_server: FaultServer) -> FaultServer:
    shared_fault_server.reset()
    return shared_fault_server


@pytest.fixture
def sleeps(wai: SimpleNamespace, monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Retry waits are recorded instead of slept."""
    waited: list[float] = []

    async def async_sleep(seconds: float) -> None:
        waited.append(seconds)

    monkeypatch.setattr(wai.retry, "sleep", waited.append)
    monkeypatch.setattr(wai.retry, "async_sleep", async_sleep)
    return waited


@pytest.fixture(params=["sync", "async"])
def harness(
    request: pytest.FixtureRequest, wai: SimpleNamespace, server: FaultServer, sleeps: list[float]
) -> Harness:
    return Harness(wai, request.param, server)
