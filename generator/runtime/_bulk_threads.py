"""The thread engine of the sync `client.map`: worker threads fed by two C-level queues."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .errors import WorkersAIError

__all__ = ["Outcome", "Workers"]

# (input index, input, result or Crash, the row's error)
Outcome = tuple[int, Any, Any, "WorkersAIError | None"]


class Workers:
    """Threads that each make one call at a time: jobs go in and outcomes come out through two C-level
    queues. Cheaper per row than futures with `wait(FIRST_COMPLETED)`, which builds a waiter on every
    pending future at every wait; at thousands of short calls a second that bookkeeping showed up as a
    large share of the run's CPU. Threads start as the window first needs them and are daemons, so an
    interrupted run does not wait for its calls in flight (their results are dropped)."""

    def __init__(self, attempt: Callable[[Any], tuple[Any, WorkersAIError | None]]) -> None:
        import queue  # on first use, like the threads themselves

        self._attempt = attempt
        self._jobs: queue.SimpleQueue[tuple[int, Any] | None] = queue.SimpleQueue()
        self._done: queue.SimpleQueue[Outcome] = queue.SimpleQueue()
        self._threads = 0
        self._empty = queue.Empty

    def submit(self, job: tuple[int, Any], in_flight: int) -> None:
        if in_flight > self._threads:  # every job in flight holds a thread: start one when none is idle
            import threading

            self._threads += 1
            name = f"workers-ai-map_{self._threads}"
            threading.Thread(target=self._work, name=name, daemon=True).start()
        self._jobs.put(job)

    def _work(self) -> None:
        while (job := self._jobs.get()) is not None:
            index, value = job
            try:
                result, error = self._attempt(value)
            except BaseException as exc:  # a bug, not a row's error: re-raised in the iterating thread
                self._done.put((index, value, Crash(exc), None))
                continue
            self._done.put((index, value, result, error))

    def next_finished(self, timeout: float | None) -> Outcome | None:
        """The next finished call, waiting at most `timeout` seconds (None: until one finishes)."""
        try:
            return checked(self._done.get(timeout=timeout))
        except self._empty:
            return None

    def finished_now(self) -> Outcome | None:
        try:
            return checked(self._done.get_nowait())
        except self._empty:
            return None

    def stop(self) -> None:
        """Each thread leaves after its current call; nothing waits for them."""
        for _ in range(self._threads):
            self._jobs.put(None)
        self._threads = 0


class Crash:
    """An exception other than a row's error, raised in a worker thread."""

    __slots__ = ("exception",)

    def __init__(self, exception: BaseException) -> None:
        self.exception = exception


def checked(outcome: Outcome) -> Outcome:
    if type(outcome[2]) is Crash:
        raise outcome[2].exception
    return outcome
