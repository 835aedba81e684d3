# Copied by workers-ai-codegen from generator/runtime/_release.py: edit it there.
"""Giving a streamed response's connection back to the pool, never from inside the garbage collector.

A stream that is dropped (`break` out of the loop, then the stream goes out of scope) is closed on the
spot by reference counting. When the cyclic garbage collector finalizes one instead, it may be running
inside httpcore while this very thread holds the pool's (non-reentrant) lock; closing there would
deadlock. So during a collection the response is put on its client's `orphans` queue, which the client
empties (closing each response) at the start of its next call and in `close()`.
"""

from __future__ import annotations

import gc
from collections import deque
from typing import Any

import httpx

__all__ = ["Orphans", "aclose_orphans", "close_orphans", "collecting", "release"]

Orphans = deque[httpx.Response]

_state = {"collecting": False}


def _on_gc(phase: str, info: dict[str, Any]) -> None:
    _state["collecting"] = phase == "start"


gc.callbacks.append(_on_gc)


def collecting() -> bool:
    """True while the cyclic garbage collector is running (in whichever thread)."""
    return _state["collecting"]


def release(response: httpx.Response, orphans: Orphans | None) -> None:
    """Close `response` now, or hand it to `orphans` when that is not safe (see the module docstring)."""
    if response.is_closed:
        return
    if orphans is not None and _state["collecting"]:
        orphans.append(response)
    else:
        response.close()


def close_orphans(orphans: Orphans) -> None:
    while orphans:
        orphans.popleft().close()


async def aclose_orphans(orphans: Orphans) -> None:
    while orphans:
        await orphans.popleft().aclose()
