# Copied by workers-ai-codegen from generator/runtime/_bulk.py: edit it there.
"""`client.map(model, inputs)`: one model over many inputs, with bounded, adaptive concurrency.

Rules (the README's "Bulk inference" section states them for users):
- Results come back in input order by default (`ordered=True`); `ordered=False` yields them as they
  complete. Either way at most `concurrency` calls are in flight and, in input order, at most
  `4 * concurrency` finished items wait for a slow earlier one, so memory does not grow with the input.
- A row never stops the run: each item is a `MapItem` holding the typed result or the typed error
  (`InputValidationError` for a row that does not fit the schema: nothing is sent for it).
- Rate limiting (HTTP 429, Cloudflare code 3040) that outlasts the client's own retries shrinks the number
  of calls in flight by half (never below one), pauses new calls for the server's `Retry-After` (else the
  retry rules' first backoff), and puts the row back in front of the queue, at most `max_requeues` times. Every
  `window` successes in a row the window grows by one again, up to `concurrency` (additive increase,
  multiplicative decrease).
- Code 3036 (the daily allowance is used up) stops the run cleanly: nothing new is sent, the calls in
  flight finish, and `summary.stopped` says why; the rows not attempted are counted, not yielded.

The sync client runs the calls on a thread pool, the async client on tasks of the running loop.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Generator, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from . import _retry
from ._bulk_threads import Workers as _Workers
from .errors import APIError, QuotaExceededError, RateLimitError, WorkersAIError

if TYPE_CHECKING:
    import asyncio

__all__ = [
    "DEFAULT_CONCURRENCY",
    "AdaptiveWindow",
    "AsyncMapRun",
    "MapItem",
    "MapRun",
    "MapSummary",
]

T = TypeVar("T")

DEFAULT_CONCURRENCY = 16
DEFAULT_MAX_REQUEUES = 8
# Finished items that may wait (in ordered mode) behind a slower earlier one, per unit of concurrency.
REORDER_ALLOWANCE = 4
RATE_LIMIT_CODE = 3040

# A finished call as a worker thread reports it: index, input, result, error.


@dataclass(frozen=True)
class MapItem(Generic[T]):
    """The outcome of one input: `result` when `error` is None. `index` is the input's position."""

    index: int
    input: Any
    result: T | None = None
    error: WorkersAIError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass
class MapSummary:
    """What a run did; complete once the iteration has ended (also after an interruption)."""

    succeeded: int = 0
    failed: int = 0
    rate_limited: int = 0
    not_attempted: int = 0
    stopped: str | None = None
    started: float = field(default_factory=time.monotonic)
    finished: float | None = None

    @property
    def done(self) -> int:
        return self.succeeded + self.failed

    @property
    def elapsed(self) -> float:
        return (self.finished if self.finished is not None else time.monotonic()) - self.started

    def __str__(self) -> str:
        rate = self.done / self.elapsed if self.elapsed > 0 else 0.0
        text = (
            f"{self.done} rows in {self.elapsed:.1f} s ({rate:.1f} rows/s): {self.succeeded} succeeded, "
            f"{self.failed} failed, {self.rate_limited} rate-limit pauses"
        )
        if self.stopped:
            text += f"; stopped: {self.stopped}; {self.not_attempted} rows not attempted"
        return text


def _rate_limit_pause(error: WorkersAIError) -> float | None:
    """Seconds to pause for a rate-limited answer, or None when `error` is not rate limiting."""
    if isinstance(error, QuotaExceededError):
        return None
    if not isinstance(error, RateLimitError) and not (
        isinstance(error, APIError) and error.code == RATE_LIMIT_CODE
    ):
        return None
    # The retry rules' reading of `Retry-After`; None there means the server asked for more than the cap.
    delay = _retry.retry_delay(error, 1)
    return _retry.MAX_RETRY_AFTER if delay is None else delay


class AdaptiveWindow:
    """How many calls may be in flight: additive increase, multiplicative decrease (no I/O, no clock)."""

    def __init__(self, limit: int) -> None:
        if limit < 1:
            raise ValueError("concurrency must be >= 1")
        self.limit = limit
        self.size = limit
        self._streak = 0

    def succeeded(self) -> None:
        self._streak += 1
        if self._streak >= self.size and self.size < self.limit:
            self.size += 1
            self._streak = 0

    def rate_limited(self) -> None:
        self.size = max(1, self.size // 2)
        self._streak = 0


class _Scheduler(Generic[T]):
    """The bookkeeping both runners share: queue, window, requeues, ordering and the summary."""

    def __init__(
        self, inputs: Iterable[Any], concurrency: int | None, ordered: bool, max_requeues: int | None
    ) -> None:
        self.window = AdaptiveWindow(DEFAULT_CONCURRENCY if concurrency is None else concurrency)
        self.summary = MapSummary()
        self._source = enumerate(inputs)
        self._exhausted = False
        self._retry_queue: deque[tuple[int, Any]] = deque()
        self._requeues: dict[int, int] = {}
        self._max_requeues = DEFAULT_MAX_REQUEUES if max_requeues is None else max_requeues
        self._ordered = ordered
        self._ready: dict[int, MapItem[T]] = {}
        self._next_index = 0
        self.paused_until = 0.0
        self.in_flight = 0

    def can_dispatch(self, now: float) -> bool:
        if self.summary.stopped is not None or now < self.paused_until:
            return False
        return self.in_flight < self.window.size

    def next_input(self) -> tuple[int, Any] | None:
        """A requeued row first; a fresh one only while the reorder buffer has room."""
        if self._retry_queue:
            return self._retry_queue.popleft()
        if self._exhausted or len(self._ready) >= REORDER_ALLOWANCE * self.window.limit:
            return None
        try:
            return next(self._source)
        except StopIteration:
            self._exhausted = True
            return None

    def jobs_to_start(self) -> Iterator[tuple[int, Any]]:
        """The rows that may be sent now, each counted in flight as it is taken."""
        while self.can_dispatch(time.monotonic()):
            job = self.next_input()
            if job is None:
                return
            self.in_flight += 1
            yield job

    @property
    def drained(self) -> bool:
        if self.summary.stopped is not None:
            return self.in_flight == 0
        return self.in_flight == 0 and not self._retry_queue and self._exhausted

    def finished(self, index: int, input: Any, result: Any, error: WorkersAIError | None) -> list[MapItem[T]]:
        """Record one finished call; return the items now ready to be yielded."""
        self.in_flight -= 1
        if error is not None:
            pause = _rate_limit_pause(error)
            if pause is not None and self._requeues.get(index, 0) < self._max_requeues:
                self._requeues[index] = self._requeues.get(index, 0) + 1
                self.summary.rate_limited += 1
                self.window.rate_limited()
                self.paused_until = max(self.paused_until, time.monotonic() + pause)
                self._retry_queue.appendleft((index, input))
                return []
            if isinstance(error, QuotaExceededError) and self.summary.stopped is None:
                self.summary.stopped = f"the daily allowance is used up (Cloudflare code 3036) at row {index}"
            self.summary.failed += 1
        else:
            self.window.succeeded()
            self.summary.succeeded += 1
        self._requeues.pop(index, None)
        item: MapItem[T] = MapItem(index, input, result, error)
        if not self._ordered:
            return [item]
        self._ready[index] = item
        out = []
        while self._next_index in self._ready:
            out.append(self._ready.pop(self._next_index))
            self._next_index += 1
        return out

    def flush(self) -> list[MapItem[T]]:
        """After a stop: what is left in the reorder buffer, in input order (gaps are not attempted)."""
        out = [self._ready[i] for i in sorted(self._ready)]
        self._ready.clear()
        return out

    def close(self, interrupted: bool) -> None:
        if self.summary.finished is not None:
            return
        self.summary.finished = time.monotonic()
        if interrupted and self.summary.stopped is None:
            self.summary.stopped = "interrupted"
        if self.summary.stopped is not None:
            left = len(self._retry_queue) + self.in_flight
            if not self._exhausted:
                left += sum(1 for _ in self._source)
            self.summary.not_attempted = left


class _Run(Generic[T]):
    """What both runs hold: the call to make per input and the scheduler's state."""

    def __init__(
        self,
        call: Callable[[Any], Any],
        inputs: Iterable[Any],
        *,
        concurrency: int | None = None,
        ordered: bool = True,
        max_requeues: int | None = None,
    ) -> None:
        self._call = call
        self._scheduler: _Scheduler[T] = _Scheduler(inputs, concurrency, ordered, max_requeues)

    @property
    def summary(self) -> MapSummary:
        return self._scheduler.summary


class MapRun(_Run[T]):
    """Iterator over the `MapItem`s of a sync `client.map(...)`; `.summary` tells what happened."""

    def __init__(self, call: Callable[[Any], Any], inputs: Iterable[Any], **options: Any) -> None:
        super().__init__(call, inputs, **options)
        self._iterator = self._run()

    def __iter__(self) -> Iterator[MapItem[T]]:
        return self._iterator

    def __next__(self) -> MapItem[T]:
        return next(self._iterator)

    def close(self) -> None:
        """Stop: nothing new is sent; calls in flight finish in the background, their results dropped."""
        self._iterator.close()

    def _attempt(self, value: Any) -> tuple[Any, WorkersAIError | None]:
        try:
            return self._call(value), None
        except WorkersAIError as error:
            return None, error

    def _run(self) -> Generator[MapItem[T], None, None]:
        scheduler = self._scheduler
        workers = _Workers(self._attempt)
        interrupted = True
        try:
            while True:
                for job in scheduler.jobs_to_start():
                    workers.submit(job, scheduler.in_flight)
                if scheduler.drained:
                    break
                if not scheduler.in_flight:  # only a rate-limit pause keeps us from sending
                    time.sleep(max(0.0, scheduler.paused_until - time.monotonic()))
                    continue
                finished = workers.next_finished(_wake_up(scheduler))
                while finished is not None:
                    index, value, result, error = finished
                    yield from scheduler.finished(index, value, result, error)
                    finished = workers.finished_now()
            yield from scheduler.flush()
            interrupted = False
        finally:
            workers.stop()
            scheduler.close(interrupted)


class AsyncMapRun(_Run[T]):
    """Async iterator over the `MapItem`s of an async `client.map(...)`; `.summary` tells what happened.
    Leaving the `async for` early (break, cancellation) cancels the calls still in flight."""

    def __init__(self, call: Callable[[Any], Any], inputs: Iterable[Any], **options: Any) -> None:
        super().__init__(call, inputs, **options)
        self._iterator = self._run()

    def __aiter__(self) -> AsyncIterator[MapItem[T]]:
        return self._iterator

    async def __anext__(self) -> MapItem[T]:
        return await self._iterator.__anext__()

    async def aclose(self) -> None:
        await self._iterator.aclose()

    async def _attempt(self, value: Any) -> tuple[Any, WorkersAIError | None]:
        try:
            return await self._call(value), None
        except WorkersAIError as error:
            return None, error

    async def _run(self) -> AsyncGenerator[MapItem[T], None]:
        import asyncio

        scheduler = self._scheduler
        pending: dict[asyncio.Task[tuple[Any, WorkersAIError | None]], tuple[int, Any]] = {}
        interrupted = True
        try:
            while True:
                for job in scheduler.jobs_to_start():
                    pending[asyncio.ensure_future(self._attempt(job[1]))] = job
                if scheduler.drained:
                    break
                if not pending:
                    await asyncio.sleep(max(0.0, scheduler.paused_until - time.monotonic()))
                    continue
                done, _ = await asyncio.wait(
                    pending, timeout=_wake_up(scheduler), return_when="FIRST_COMPLETED"
                )
                for task in done:
                    index, value = pending.pop(task)
                    result, error = task.result()
                    for item in scheduler.finished(index, value, result, error):
                        yield item
            for item in scheduler.flush():
                yield item
            interrupted = False
        finally:
            await _cancel_all(pending)
            scheduler.close(interrupted)


def _wake_up(scheduler: _Scheduler[Any]) -> float | None:
    """How long to wait for a call to finish before looking again: until a rate-limit pause ends."""
    remaining = scheduler.paused_until - time.monotonic()
    return remaining if remaining > 0 else None


async def _cancel_all(pending: dict[asyncio.Task[Any], Any]) -> None:
    import asyncio

    for task in pending:
        task.cancel()
    if pending:
        await asyncio.gather(*pending, return_exceptions=True)
