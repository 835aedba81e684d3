# Copied by workers-ai-codegen from generator/runtime/_per_thread.py: edit it there.
"""An httpx transport that gives each thread its own connection pool.

`workers-ai map` makes thousands of short calls from a few dozen threads through one client. With one
shared pool every request and every response close takes the pool's lock and scans all its connections;
at many short calls a second, that contention cost a sizeable share of the command's CPU. Each thread here
keeps a pool of its own (in practice one keep-alive connection per host), so those steps find an
uncontended lock and a single connection. The pools share one TLS context; `close()` closes them all.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import httpx

__all__ = ["PerThreadTransport"]


class PerThreadTransport(httpx.BaseTransport):
    def __init__(self, build: Callable[[], httpx.BaseTransport]) -> None:
        self._build = build
        self._local = threading.local()
        self._lock = threading.Lock()
        self._pools: list[httpx.BaseTransport] = []
        self._closed = False

    def _pool(self) -> httpx.BaseTransport:
        if self._closed:
            raise RuntimeError("the transport is closed")
        pool: httpx.BaseTransport | None = getattr(self._local, "pool", None)
        if pool is None:
            with self._lock:
                if self._closed:
                    raise RuntimeError("the transport is closed")
                pool = self._build()
                self._pools.append(pool)
            self._local.pool = pool
        return pool

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self._pool().handle_request(request)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            pools, self._pools = self._pools, []
        for pool in pools:
            pool.close()
