# Copied by workers-ai-codegen from generator/runtime/_fork.py: edit it there.
"""Clients across processes: a fresh connection pool in a forked child, and pickling.

Fork: pre-fork servers (gunicorn, uwsgi, celery) often use a module-level client in the parent and then
in each child. The parent's pooled connections are sockets the children would share, so two children
could read each other's answers. `os.register_at_fork` gives every live client that owns its pool a new,
empty pool in the child (the inherited one is dropped unused: its lock may have been held by another
thread at the moment of the fork). A client built on your own `http_client=` is left alone: that pool is
yours to replace after a fork.

Pickling (process pools, Ray): a client pickles as its configuration (account id, API token, base URL,
timeout, retries, limits, headers, gateway) and is rebuilt, with a new pool, where it is unpickled. The token
travels inside the pickle, as it must for the copy to work; treat such pickles as secrets. A client built
on your own `http_client=` cannot be pickled (TypeError): its pool cannot travel.
"""

from __future__ import annotations

import functools
import os
import ssl
import weakref
from typing import Any, Protocol

import httpx

__all__ = ["UnbuiltPool", "rebuild", "shared_tls_context", "track"]


class _Forkable(Protocol):
    def _after_fork(self) -> None: ...


_clients: weakref.WeakSet[Any] = weakref.WeakSet()


def track(client: _Forkable) -> None:
    """Give `client` a new pool in every child forked from this process from now on."""
    _clients.add(client)


def _reset_in_child() -> None:
    for client in list(_clients):
        client._after_fork()


os.register_at_fork(after_in_child=_reset_in_child)


class UnbuiltPool:
    """Stands in for a client's `_http` in a forked child until first used: making an httpx client costs
    ~50-100 ms (its TLS context), which a child that never calls should not pay. The first attribute
    looked up builds the pool, stores it on the owner and answers from it."""

    __slots__ = ("_build", "_owner", "_pool")

    def __init__(self, owner: Any, build: Any) -> None:
        self._owner = owner
        self._build = build
        self._pool: Any = None

    def __getattr__(self, name: str) -> Any:
        if self._pool is None:  # a caller may hold this stand-in for several look-ups: build once
            self._pool = self._build()
            self._owner._http = self._pool
        return getattr(self._pool, name)


@functools.cache
def shared_tls_context() -> ssl.SSLContext:
    """One TLS context (httpx's defaults: certifi, SSL_CERT_FILE/SSL_CERT_DIR) for every pool this process
    makes: loading the CA bundle is most of what a new httpx client costs, and a forked child inherits the
    loaded context."""
    return httpx.create_ssl_context()


def rebuild(cls: type[Any], config: dict[str, Any]) -> Any:
    """Unpickling: a new client of `cls` made from the pickled configuration."""
    return cls(**config)
