"""One attempt's outcome, judged without I/O: the result a reply holds, or what a failure means.

`parse_result` reads a finished reply into the model's output type (or a `BinaryOutput`), `single_chunk`
a JSON answer to a streaming request; `transport_error` words an httpx failure, and `retry_delay` decides
whether to try again (rules in `_retry.py`).
The sync and async request loops (`_base_client.py`) share all of it and differ only in their I/O.
"""

from __future__ import annotations

import logging
from typing import Any

import httpx
from pydantic import ValidationError

from . import _retry
from ._binary import BinaryOutput
from ._envelope import Accepts, error_from_response, media_type, unwrap
from ._gateway import client_may_retry
from ._media import EVENT_STREAM
from ._options import CallOptions
from ._plan import Plan
from ._redact import drop_tracebacks
from ._validation import pydantic_issues, validate_output
from .errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    MalformedResponseError,
    ResponseValidationError,
    WorkersAIError,
)

__all__ = [
    "is_event_stream",
    "parse_result",
    "retry_delay",
    "single_chunk",
    "transport_error",
]

logger = logging.getLogger("workers_ai")

_JSON_ONLY = Accepts(json=True)


def parse_result(plan: Plan, response: httpx.Response, strict: bool) -> Any:
    """The result of a read reply, validated against the model's output type (raises the error the reply
    describes, or `ResponseValidationError` when the result does not fit)."""
    result = unwrap(response, plan.model, plan.accepts, strict)
    output_type = plan.output_type
    if output_type is None or isinstance(result, BinaryOutput):
        return result
    try:
        parsed = validate_output(output_type, result, plan.strict_validator() if strict else None)
    except RecursionError:
        raise MalformedResponseError(
            "The result is nested too deeply to validate", model=plan.model, response=response
        ) from None
    if type(parsed) is list:
        raise ResponseValidationError(
            "The result does not match the output schema",
            model=plan.model,
            errors=parsed,
            response=response,
            body=response.content,
        )
    if plan.unwrap:  # a RootModel over object branches (see _unions): the branch is the result
        union: Any = parsed
        return union.root
    return parsed


def single_chunk(plan: Plan, response: httpx.Response, strict: bool) -> list[Any]:
    """A read, non-SSE answer to a streaming request: an error, or the one chunk of its result."""
    if response.status_code >= 300:
        raise error_from_response(response, plan.model)
    result = unwrap(response, plan.model, _JSON_ONLY, strict)
    try:
        return [plan.chunk(result)]
    except ValidationError as exc:
        raise ResponseValidationError(
            "The result does not match the stream chunk schema",
            model=plan.model,
            errors=pydantic_issues(exc, result),
            response=response,
            body=response.content,
        ) from None


def is_event_stream(response: httpx.Response) -> bool:
    return response.status_code < 300 and media_type(response.headers.get("content-type")) == EVENT_STREAM


def transport_error(exc: httpx.HTTPError, model: str | None) -> WorkersAIError:
    """The error an httpx failure stands for (its text never quotes a request header)."""
    drop_tracebacks(exc)  # httpcore's frames hold the raw request headers (the token) as locals
    name = exc.__class__.__name__
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(f"Request timed out ({name})", model=model)
    if isinstance(exc, httpx.DecodingError):
        return MalformedResponseError(f"The reply could not be decoded ({name})", model=model)
    if isinstance(exc, httpx.LocalProtocolError):
        # Raised for illegal request headers; its text could quote a header value, so it is not kept.
        return APIConnectionError(
            f"The request could not be sent ({name}); check default_headers", model=model
        )
    return APIConnectionError(f"Connection error ({name}: {exc})", model=model)


def retry_delay(error: WorkersAIError, attempt: int, call: CallOptions) -> float | None:
    """Seconds to wait before the next attempt, or None to give up (then `error.attempts` is set)."""
    gateway = call.endpoint.gateway
    if attempt <= call.max_retries and _retry.is_retryable(error) and client_may_retry(error, gateway):
        delay = _retry.retry_delay(error, attempt)
        if delay is not None:
            logger.debug(
                "Retrying %s in %.2f s after attempt %d of %d: %s",
                getattr(error, "model", None),
                delay,
                attempt,
                call.max_retries + 1,
                error.__class__.__name__,
            )
            return delay
    if isinstance(error, APIError | APIConnectionError):  # the errors that report their attempts
        error.attempts = attempt
    return None
