# Copied by workers-ai-codegen from generator/runtime/_redact.py: edit it there.
"""Keeping the API token out of reprs, tracebacks (even with `capture_locals=True`) and pickled errors.

- `RedactedHeaders` / `RedactedWireHeaders`: the client's header dicts (and their encoded form); plain
  containers for httpx, but their repr hides `Authorization`, so `repr(vars(client))` and a frame's locals never show the token.
- `redact_request(response)`: an error keeps the `httpx.Response`; its request is replaced by a copy whose
  `Authorization` header reads `[redacted]`, so pickling or inspecting the error cannot reach the token.
- `drop_tracebacks(exc)`: a transport error from httpx is kept as `__cause__` for its type and text, but
  without the tracebacks of the exception chain: the frames inside httpcore and h11 hold the raw request
  headers as local variables.
"""

from __future__ import annotations

from typing import Any

import httpx

__all__ = [
    "REDACTED",
    "RedactedHeaders",
    "RedactedWireHeaders",
    "Secret",
    "drop_tracebacks",
    "redact_request",
]

REDACTED = "[redacted]"
_SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cf-aig-authorization"})


class RedactedHeaders(dict[str, str]):
    """A header dict whose repr hides secret values (and is pickled as such)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"RedactedHeaders({_shown_items(self)!r})"

    def __reduce__(self) -> Any:
        # A header dict only travels inside a pickled client through its configuration, never by itself.
        return (RedactedHeaders, (_shown_items(self),))


class RedactedWireHeaders(list[tuple[bytes, bytes]]):
    """Headers already encoded for the wire (a plain list for httpx) whose repr hides secret values."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"RedactedWireHeaders({_shown_items(_decoded(self))!r})"

    def __reduce__(self) -> Any:
        return (
            RedactedWireHeaders,
            ([(k.encode(), v.encode()) for k, v in _shown_items(_decoded(self)).items()],),
        )


def _decoded(pairs: list[tuple[bytes, bytes]]) -> dict[str, str]:
    return {k.decode("ascii"): v.decode("ascii") for k, v in pairs}


def _shown_items(headers: dict[str, str]) -> dict[str, str]:
    return {k: (REDACTED if k.lower() in _SECRET_HEADERS else v) for k, v in headers.items()}


def redact_request(response: httpx.Response | None) -> httpx.Response | None:
    """`response`, its request's secret headers replaced (done once; cheap on error paths only)."""
    if response is None:
        return None
    try:
        request = response.request
    except RuntimeError:  # a response built without a request
        return response
    if not any(name.lower() in _SECRET_HEADERS for name in request.headers):
        return response
    headers = [(k, REDACTED if k.lower() in _SECRET_HEADERS else v) for k, v in request.headers.items()]
    copy = httpx.Request(request.method, request.url, headers=headers, extensions=request.extensions)
    response.request = copy
    return response


def drop_tracebacks(exc: BaseException) -> BaseException:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        current.__traceback__ = None
        current = current.__cause__ or current.__context__
    return exc


class Secret:
    """A value (the API token) whose repr never shows it."""

    __slots__ = ("value",)

    def __init__(self, value: str) -> None:
        self.value = value

    def __repr__(self) -> str:
        return f"Secret({REDACTED})"
