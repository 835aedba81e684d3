# Copied by workers-ai-codegen from generator/runtime/_release.py: edit it there.
"""Giving a streamed response's connection back to the pool, never from inside the garbage collector.

A stream that is dropped (`break` out of the loop, then the stream goes out of scope) is closed on the
spot by reference counting. When the cyclic garbage collector finalizes one instead, it may be running
inside httpcore while this very thread holds the pool's (non-reentrant) lock; closing there would
deadlock. So each client keeps an `Orphans` record:

- while a stream is being read, its response and httpx byte iterator are held there, so they stay
  reachable and the collector never finalizes httpcore's own generators (whose clean-up takes the lock);
- a stream finalized during a collection puts its response on the queue instead of closing it; the
  client closes queued responses at the start of its next call and in `close()` / `aclose()`.
"""

from __future__ import annotations

import gc
from collections import deque
from typing import Any

import httpx

__all__ = ["Orphans", "collecting", "release"]

_state = {"collecting": False}


def _on_gc(phase: str, info: dict[str, Any]) -> None:
    _state["collecting"] = phase == "start"


gc.callbacks.append(_on_gc)


def collecting() -> bool:
    """True while the cyclic garbage collector is running (in whichever thread)."""
    return _state["collecting"]


class Orphans:
    """One client's streams being read, and the responses waiting to be closed (see the module text)."""

    __slots__ = ("_held", "queue")

    def __init__(self) -> None:
        self._held: dict[int, tuple[httpx.Response, object]] = {}
        # Public so that the hot path checks it without a call: `if orphans.queue: orphans.close_all()`.
        self.queue: deque[httpx.Response] = deque()

    def hold(self, response: httpx.Response, chunks: object) -> None:
        self._held[id(response)] = (response, chunks)

    def defer(self, response: httpx.Response) -> None:
        """Close `response` at the client's next call (an async stream dropped outside a coroutine)."""
        if not response.is_closed:
            self.queue.append(response)

    def forget(self, response: httpx.Response) -> None:
        self._held.pop(id(response), None)

    def close_all(self) -> None:
        while self.queue:
            response = self.queue.popleft()
            response.close()
            self.forget(response)

    async def aclose_all(self) -> None:
        while self.queue:
            response = self.queue.popleft()
            await response.aclose()
            self.forget(response)

    def clear(self) -> None:
        """In a forked child: the parent's responses belong to a pool this process never touches."""
        self.queue.clear()
        self._held.clear()


def release(response: httpx.Response, orphans: Orphans | None) -> None:
    """Close a sync stream's `response` now, or queue it when that is not safe (see the module text)."""
    if orphans is not None and _state["collecting"] and not response.is_closed:
        orphans.defer(response)
        return
    response.close()
    if orphans is not None:
        orphans.forget(response)
