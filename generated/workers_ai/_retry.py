# Copied by workers-ai-codegen from generator/runtime/_retry.py: edit it there.
"""When to retry a failed request, and how long to wait first.

Retried: connection errors and timeouts, HTTP 408, 409, 429 and >= 500, and the Cloudflare codes 3040 (out
of capacity) and 3007 (model timeout) whatever the status. Never retried: 400, 401, 403, 404, 422, any other
4xx, code 3036 (daily allowance used up: retrying cannot help) and the other codes with a lasting
meaning (3042, 5005, 5006, 5007, 5016), malformed or invalid responses (the model
may have run and billed already), and a stream that has yielded data.

The wait honours `retry-after-ms`, then `Retry-After` (plain decimal seconds or an HTTP date; anything
else, such as `1_0` or `nan`, is ignored), when it is at most
`MAX_RETRY_AFTER`; a server asking for a longer wait is not retried (the error says how long it asked for).
Otherwise exponential backoff: `INITIAL_BACKOFF * 2**n`, capped at `MAX_BACKOFF`, with up to 25% jitter
taken off. Every request body is bytes, so any request can be re-sent whole.

Tests (and impatient users) may monkeypatch `sleep` / `async_sleep` or the constants.
"""

from __future__ import annotations

import email.utils
import random
import re
import time
from collections.abc import Callable, Mapping

import httpx

from .errors import APIConnectionError, APIError, ClientClosedError, WorkersAIError

__all__ = [
    "ATTEMPT_ERRORS",
    "INITIAL_BACKOFF",
    "MAX_BACKOFF",
    "MAX_RETRY_AFTER",
    "NON_RETRYABLE_CODES",
    "RETRYABLE_CODES",
    "RETRYABLE_STATUSES",
    "async_sleep",
    "attempt_error",
    "is_retryable",
    "retry_delay",
    "sleep",
]

INITIAL_BACKOFF = 0.5
MAX_BACKOFF = 8.0
MAX_RETRY_AFTER = 60.0
RETRYABLE_STATUSES = frozenset({408, 409, 429})
RETRYABLE_CODES = frozenset({3040, 3007})
# Codes whose meaning does not change on a second try, whatever the HTTP status says.
NON_RETRYABLE_CODES = frozenset({3036, 3042, 5005, 5006, 5007, 5016})


def sleep(seconds: float) -> None:
    time.sleep(seconds)


async def async_sleep(seconds: float) -> None:
    # Imported here, not at the top: asyncio costs ~16 ms and ~1.1 MiB at `from workers_ai import
    # WorkersAI`, which sync-only users never need (an AsyncClient has long imported it by now).
    import asyncio

    await asyncio.sleep(seconds)


def is_retryable(error: WorkersAIError) -> bool:
    if isinstance(error, APIConnectionError):
        return True
    if not isinstance(error, APIError):
        return False
    codes = {detail.code for detail in error.errors}
    if codes & NON_RETRYABLE_CODES:
        return False
    if codes & RETRYABLE_CODES:
        return True
    status = error.status_code
    return status is not None and (status in RETRYABLE_STATUSES or status >= 500)


# Plain decimal numbers only: `float()` would also read "1_0" as 10, "nan", "inf" and " 5 ".
_SECONDS = re.compile(r"[0-9]{1,9}(?:\.[0-9]{1,6})?")


def _server_delay(headers: Mapping[str, str]) -> float | None:
    value = headers.get("retry-after-ms")
    if value is not None and _SECONDS.fullmatch(value.strip()):
        return float(value) / 1000.0
    value = headers.get("retry-after")
    if value is None:
        return None
    if _SECONDS.fullmatch(value.strip()):
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when.timestamp() - time.time())


def retry_delay(error: WorkersAIError, attempt: int) -> float | None:
    """Seconds to wait before attempt `attempt + 1`, or None when the server asked for more than
    `MAX_RETRY_AFTER` (then `error.hint` says so)."""
    response = getattr(error, "response", None)
    if response is not None:
        asked = _server_delay(response.headers)
        if asked is not None and asked >= 0:
            if asked <= MAX_RETRY_AFTER:
                return asked
            if isinstance(error, APIError):
                note = f"The server asked to retry after {asked:.0f} s, more than the {MAX_RETRY_AFTER:.0f} s cap; not retried."
                error.hint = f"{error.hint} {note}" if error.hint else note
            return None
    backoff = min(INITIAL_BACKOFF * 2.0 ** (attempt - 1), MAX_BACKOFF)
    return backoff * (1.0 - 0.25 * random.random())


# What a request loop catches from one attempt and hands to `attempt_error` (anything else propagates).
ATTEMPT_ERRORS = (httpx.HTTPError, WorkersAIError, RuntimeError)


def attempt_error(
    exc: Exception, transport_error: Callable[[httpx.HTTPError], WorkersAIError], closed: str | None
) -> WorkersAIError:
    """The error a failed attempt stands for, for every request loop: a Workers AI error as it is, an
    httpx error as `transport_error` words it (the httpx error its cause). `closed`: the text of the
    `ClientClosedError` that a `RuntimeError` means when the connection pool was closed (None: it was
    not). Any other exception is raised again as it is."""
    if isinstance(exc, WorkersAIError):
        return exc
    if isinstance(exc, httpx.HTTPError):
        error = transport_error(exc)
        error.__cause__ = exc
        return error
    if closed is not None and isinstance(exc, RuntimeError):
        raise ClientClosedError(closed) from None
    raise exc
