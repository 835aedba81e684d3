# Copied by workers-ai-codegen from generator/runtime/errors.py: edit it there.
"""Every error the client raises. All of them derive from `WorkersAIError`.

```
WorkersAIError
├── ConfigurationError              missing account id / API token, unusable settings
├── InputValidationError            input rejected before any request was sent
│   ├── StructuredOutputUnsupportedError    `parse` on a model that cannot promise JSON
│   ├── JSONModeStreamingError              JSON mode (json_schema, guided_json) with streaming
│   ├── ToolsUnsupportedError               tools for a model whose input takes none
│   └── ToolDefinitionError                 a tool the model's `tools` schema does not accept
├── StructuredOutputError           `parse` got no valid result (`.raw` text, `.attempts`)
│   ├── JSONModeError                   the API answered "JSON Mode couldn't be met"
│   ├── InvalidJSONError                the answer is not JSON
│   └── OutputValidationError           JSON that does not validate against the response model
├── ToolCallError                   a tool call that cannot be run (`.raw`)
│   ├── UnknownToolError                the model called a tool it was not offered
│   ├── ToolArgumentsError              the arguments do not validate against the tool's parameters
│   └── ToolStepLimitError              `run_tools` reached `max_steps` and the model still calls tools
├── BatchTimeoutError               a batch was still queued or running when `wait(timeout=)` ran out
├── ClientClosedError                the client was used after close() (also a RuntimeError)
├── ResponseValidationError         the result does not match the model's output schema
│   ├── MalformedResponseError      not JSON, truncated, not an envelope, wrong content type, cut stream,
│   │                               nested too deeply to read, NaN/Infinity under strict=True
│   └── ResponseTooLargeError       larger than max_response_bytes once decoded, or an overlong SSE line
├── APIError                        the API answered with an error (HTTP 200 + `success: false` included)
│   └── APIStatusError              ... with an HTTP error status
│       ├── BadRequestError                 400
│       │   ├── ModelNotFoundError              Cloudflare code 5007 / 3042: unknown or invalid model
│       │   ├── LoraNotSupportedError           5005: the model does not take a LoRA adapter
│       │   ├── ServerInputValidationError      5006: the server's own input validation failed
│       │   └── FinetuneError                   3037: a fine-tune request was rejected
│       │       └── FinetuneMissingFilesError       3039: the fine-tune lacks its adapter files
│       ├── AuthenticationError             401
│       ├── PermissionDeniedError           403
│       │   └── ModelAgreementRequiredError     5016: the model's terms were not accepted yet
│       ├── NotFoundError                   404
│       ├── RequestTimeoutError             408 (code 3007: the model timed out; retried)
│       ├── ConflictError                   409
│       ├── UnprocessableEntityError        422
│       ├── RateLimitError                  429 (code 3040: out of capacity; retried)
│       │   └── QuotaExceededError              3036: daily allowance used up; never retried
│       └── InternalServerError             >= 500
└── APIConnectionError              the request did not get an answer (DNS, refused, reset, ...)
    └── APITimeoutError             connect / read / write / pool timeout
```

The class is chosen by the Cloudflare error code first, then by the HTTP status (see `_envelope.py`).
`str(error)` is meant to be enough on its own: status, code, message, model, attempts and a hint.
No error text ever contains the API token: errors are built from the response, never from the request,
and the request an error keeps (`error.response.request`) has its `Authorization` header redacted, so
errors can be pickled and logged safely. Text that came from a server is quoted at most
`MAX_MESSAGE_CHARS` characters long.

`InsecureTransportWarning` (a `UserWarning`) is issued for a plain `http://` base URL to a host that is not
loopback.

One module on purpose, longer than the others: these classes are the public contract, and
`workers_ai.errors.<Name>` is how every traceback, pickle and `except` clause names them, so they are not
spread over modules; the tree above is the table of contents. Beyond their messages there is no logic here:
choosing the class for a reply is `_envelope.py`'s job.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from http import HTTPStatus
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    import httpx

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "BatchTimeoutError",
    "ClientClosedError",
    "CloudflareErrorDetail",
    "ConfigurationError",
    "ConflictError",
    "FinetuneError",
    "FinetuneMissingFilesError",
    "InputValidationError",
    "InsecureTransportWarning",
    "InternalServerError",
    "InvalidJSONError",
    "Issue",
    "JSONModeError",
    "JSONModeStreamingError",
    "LoraNotSupportedError",
    "MalformedResponseError",
    "ModelAgreementRequiredError",
    "ModelNotFoundError",
    "NotFoundError",
    "OutputValidationError",
    "PermissionDeniedError",
    "QuotaExceededError",
    "RateLimitError",
    "RequestTimeoutError",
    "ResponseTooLargeError",
    "ResponseValidationError",
    "ServerInputValidationError",
    "StructuredOutputError",
    "StructuredOutputUnsupportedError",
    "ToolArgumentsError",
    "ToolCallError",
    "ToolDefinitionError",
    "ToolStepLimitError",
    "ToolsUnsupportedError",
    "UnknownToolError",
    "UnprocessableEntityError",
    "WorkersAIError",
]


class WorkersAIError(Exception):
    """Root of every error raised by `workers_ai`."""


class ConfigurationError(WorkersAIError):
    """The client cannot be configured, e.g. no account id or API token was given or found."""


class ClientClosedError(WorkersAIError, RuntimeError):
    """The client was used after `close()` / `aclose()` (or after leaving its `with` block)."""


class InsecureTransportWarning(WorkersAIError, UserWarning):
    """The base URL sends the API token over plain http:// to a host that is not loopback."""


# Error texts quote at most this much of what a server sent (`_limits` re-exports both names).
MAX_MESSAGE_CHARS = 1000


def shorten(text: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    """`text` cut to `limit` characters, saying how much was left out."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... ({len(text) - limit} more characters)"


def _redacted(response: httpx.Response | None) -> httpx.Response | None:
    if response is None:
        return None
    from ._redact import redact_request  # imports httpx: loaded with the first error, not with `errors`

    return redact_request(response)


class Issue(NamedTuple):
    """One validation failure: where (an RFC 6901 JSON pointer, "" for the whole document) and what."""

    pointer: str
    message: str


def _format_issues(issues: list[Issue]) -> str:
    return "\n".join(f"  {issue.pointer or '(root)'}: {issue.message}" for issue in issues)


def _listing(text: str, issues: list[Issue]) -> str:
    """`text`, then the issues one a line (if any)."""
    return text + ("\n" + _format_issues(issues) if issues else "")


class InputValidationError(WorkersAIError):
    """The input was rejected before any request was sent.

    `errors` lists every failure as `(json_pointer, message)` pairs, e.g. `("/text", "'' is too short")`.
    """

    def __init__(self, model: str | None, errors: Sequence[tuple[str, str]]) -> None:
        self.model = model
        self.errors = [Issue(*error) for error in errors]
        super().__init__(model, self.errors)

    def __str__(self) -> str:
        target = f" for {self.model}" if self.model else ""
        count = len(self.errors)
        noun = "problem" if count == 1 else "problems"
        return f"Invalid input{target} ({count} {noun}); no request was sent:\n{_format_issues(self.errors)}"


class ResponseValidationError(WorkersAIError):
    """The API answered, but its result does not match the model's output schema.

    `body` keeps the raw response bytes, `response` the `httpx.Response`, `errors` the failures with their
    JSON pointers (relative to the `result` of the envelope).
    """

    def __init__(
        self,
        message: str,
        *,
        model: str | None = None,
        errors: Sequence[tuple[str, str]] = (),
        response: httpx.Response | None = None,
        body: bytes | None = None,
    ) -> None:
        self.message = message
        self.model = model
        self.errors = [Issue(*error) for error in errors]
        self.response = _redacted(response)
        self.body = body
        super().__init__(message)

    @property
    def status_code(self) -> int | None:
        return self.response.status_code if self.response is not None else None

    def __str__(self) -> str:
        target = f" from {self.model}" if self.model else ""
        text = f"{self.message}{target}"
        if self.errors:
            text += ":\n" + _format_issues(self.errors)
        return text


class MalformedResponseError(ResponseValidationError):
    """The reply could not be read at all: not JSON, truncated, not an envelope, `success: true` without a
    `result`, an unexpected content type (binary where JSON was expected or the reverse), or a stream of
    server-sent events that was cut in the middle of an event."""


class ResponseTooLargeError(ResponseValidationError):
    """The reply (or a stream, or one line of a stream) is larger than `max_response_bytes` once
    decoded; reading stopped there. Not retried."""


@dataclass(frozen=True, slots=True)
class CloudflareErrorDetail:
    """One entry of the envelope's `errors` list."""

    code: int | None
    message: str


class APIError(WorkersAIError):
    """The API answered with an error. HTTP 200 with `success: false` is an `APIError` too."""

    default_hint: str | None = None

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None = None,
        errors: list[CloudflareErrorDetail] | None = None,
        response: httpx.Response | None = None,
        body: bytes | None = None,
        model: str | None = None,
        attempts: int = 1,
        hint: str | None = None,
    ) -> None:
        self.message = message
        self.status_code = status_code
        self.errors = errors or []
        self.response = _redacted(response)
        self.body = body
        self.model = model
        self.attempts = attempts
        self.hint = hint if hint is not None else self.default_hint
        super().__init__(message)

    @property
    def code(self) -> int | None:
        """The first Cloudflare error code of the envelope, if any."""
        for detail in self.errors:
            if detail.code is not None:
                return detail.code
        return None

    def __str__(self) -> str:
        head = "API error"
        if self.status_code is not None:
            try:
                phrase = HTTPStatus(self.status_code).phrase
            except ValueError:
                phrase = ""
            head = f"HTTP {self.status_code} {phrase}".rstrip()
        code = self.code
        if code is not None:
            head += f", Cloudflare error {code}"
        text = f"{head}: {shorten(self.message)}"
        context = []
        if self.model:
            context.append(f"model {self.model}")
        if self.attempts > 1:
            context.append(f"after {self.attempts} attempts")
        if context:
            text += f" ({', '.join(context)})"
        if self.hint:
            text += f"\nHint: {self.hint}"
        return text


class APIStatusError(APIError):
    """The API answered with an HTTP error status (4xx/5xx)."""


class BadRequestError(APIStatusError):
    """HTTP 400."""


class ModelNotFoundError(BadRequestError):
    """Cloudflare code 5007 or 3042: the model id is unknown or invalid."""

    default_hint = (
        "Check the model id (e.g. '@cf/meta/llama-3.1-8b-instruct') against the Workers AI catalog."
    )


class LoraNotSupportedError(BadRequestError):
    """Cloudflare code 5005: the model does not support LoRA adapters."""

    default_hint = "Remove the `lora` input, or use a model that supports LoRA adapters."


_PREFIX = re.compile(r"^\s*(?:AiError|InferenceUpstreamError|Error|Bad input)\s*:\s*", re.IGNORECASE)
_POINTER = re.compile(r"'(/[^']*)'")


def _clean_server_validation(raw: str) -> tuple[str, list[Issue]]:
    """Make the server's validation text readable: drop repeated `AiError: Bad input: Error:` prefixes,
    one clause per line, and pull out the JSON pointers it names."""
    clauses = []
    for part in re.split(r";\s*|\n+", raw):
        text = part.strip()
        while True:
            stripped = _PREFIX.sub("", text, count=1)
            if stripped == text:
                break
            text = stripped
        if text:
            clauses.append(text)
    issues = []
    for clause in clauses:
        match = _POINTER.search(clause)
        issues.append(Issue(match.group(1) if match else "", clause))
    cleaned = "; ".join(clauses) if clauses else raw.strip()
    return cleaned, issues


class ServerInputValidationError(BadRequestError):
    """Cloudflare code 5006: the server's own input validation failed.

    `message` is a cleaned-up version; `raw_message` is the server's text as sent; `validation_errors` are
    the clauses with the JSON pointers the server named.
    """

    default_hint = (
        "The server rejected the input against its current schema; the schema this client was generated "
        "from may be out of date (regenerate it), or the input uses a value the model does not accept."
    )

    def __init__(self, message: str, **kwargs: Any) -> None:
        self.raw_message = message
        # Only the start of an overlong text is parsed: a server echoing a huge input stays readable.
        cleaned, self.validation_errors = _clean_server_validation(message[: 20 * MAX_MESSAGE_CHARS])
        super().__init__(cleaned, **kwargs)

    def __str__(self) -> str:
        text = super().__str__()
        if len(self.validation_errors) > 1:
            text += "\nServer validation errors:\n" + shorten(_format_issues(self.validation_errors))
        return text


class FinetuneError(BadRequestError):
    """A fine-tune request was rejected (Cloudflare code 3037, and the base of the fine-tune errors)."""

    default_hint = "Check the fine-tune id and its base model (client.finetunes.list())."


class FinetuneMissingFilesError(FinetuneError):
    """Cloudflare code 3039: the fine-tune is missing its adapter files."""

    default_hint = (
        "Upload both adapter_config.json and adapter_model.safetensors with client.finetunes.upload(...)."
    )


class AuthenticationError(APIStatusError):
    """HTTP 401."""

    default_hint = "Check the API token (api_token= or CLOUDFLARE_API_TOKEN)."


class PermissionDeniedError(APIStatusError):
    """HTTP 403."""

    default_hint = "The token needs the 'Workers AI' permission on this account; check the account id too."


class ModelAgreementRequiredError(PermissionDeniedError):
    """Cloudflare code 5016: the model's license terms must be accepted before first use."""

    default_hint = (
        "Accept the model's terms once, e.g. by sending {'prompt': 'agree'} to this model as Cloudflare's "
        "docs describe, then call it again."
    )


class NotFoundError(APIStatusError):
    """HTTP 404."""

    default_hint = "Check the account id and the base URL."


class RequestTimeoutError(APIStatusError):
    """HTTP 408 (Cloudflare code 3007: the model timed out). Retried."""


class ConflictError(APIStatusError):
    """HTTP 409. Retried."""


class UnprocessableEntityError(APIStatusError):
    """HTTP 422."""


class RateLimitError(APIStatusError):
    """HTTP 429 (Cloudflare code 3040: out of capacity). Retried."""


class QuotaExceededError(RateLimitError):
    """Cloudflare code 3036: the account's daily allowance is used up. Never retried."""

    default_hint = (
        "The daily free allowance of neurons is used up; this was not retried because retrying will not "
        "help until the allowance resets (00:00 UTC). Upgrade to Workers Paid to keep going."
    )


class InternalServerError(APIStatusError):
    """HTTP >= 500. Retried."""


class BatchTimeoutError(WorkersAIError):
    """`wait(timeout=)` ran out while the batch was still queued or running. The batch goes on: resume it
    later with `client.batch.resume(model, request_id)`."""

    def __init__(self, model: str, request_id: str, timeout: float | None) -> None:
        self.model = model
        self.request_id = request_id
        self.timeout = timeout
        super().__init__(model, request_id, timeout)

    def __str__(self) -> str:
        return (
            f"Batch {self.request_id} for {self.model} is not done after {self.timeout} s; it keeps running: "
            f"resume it with client.batch.resume({self.model!r}, {self.request_id!r})"
        )


class APIConnectionError(WorkersAIError):
    """No usable answer: the connection failed, was refused or reset, or the protocol broke."""

    def __init__(
        self, message: str = "Connection error.", *, model: str | None = None, attempts: int = 1
    ) -> None:
        self.message = message
        self.model = model
        self.attempts = attempts
        super().__init__(message)

    def __str__(self) -> str:
        context = []
        if self.model:
            context.append(f"model {self.model}")
        if self.attempts > 1:
            context.append(f"after {self.attempts} attempts")
        return f"{self.message} ({', '.join(context)})" if context else self.message


class APITimeoutError(APIConnectionError):
    """The request timed out (connect, read, write or waiting for a pooled connection)."""

    def __init__(self, message: str = "Request timed out.", **kwargs: Any) -> None:
        super().__init__(message, **kwargs)


# -- structured output and tool calling ------------------------------------------------------------------


class StructuredOutputUnsupportedError(InputValidationError):
    """`client.parse` on a model whose input has no JSON mode, `guided_json` or function calling."""


class JSONModeStreamingError(InputValidationError):
    """JSON mode (`response_format` json_schema, `guided_json`) cannot be streamed: nothing was sent."""


class ToolsUnsupportedError(InputValidationError):
    """Tools for a model whose input schema takes no `tools`."""


class ToolDefinitionError(InputValidationError):
    """A tool definition the model's `tools` input schema rejects (pointers start at `/tools`)."""


def _snippet(text: str | None, limit: int = 300) -> str:
    if text is None:
        return "(no text)"
    return repr(text) if len(text) <= limit else repr(text[:limit]) + f"... ({len(text)} characters)"


class StructuredOutputError(WorkersAIError):
    """`client.parse` could not get a valid result. `raw` is the model's last answer as text (None when
    the API answered nothing usable), `attempts` how many requests were made."""

    def __init__(
        self, message: str, *, model: str | None = None, raw: str | None = None, attempts: int = 1
    ) -> None:
        self.message = message
        self.model = model
        self.raw = raw
        self.attempts = attempts
        super().__init__(message)

    def __str__(self) -> str:
        context = [f"model {self.model}"] if self.model else []
        context.append(f"{self.attempts} attempt{'s' if self.attempts != 1 else ''}")
        return f"{self.message} ({', '.join(context)}); last answer: {_snippet(self.raw)}"


class JSONModeError(StructuredOutputError):
    """The API answered "JSON Mode couldn't be met": the model did not produce JSON for the schema.
    The API error is the `__cause__`."""


class InvalidJSONError(StructuredOutputError):
    """The answer is not JSON (after removing a Markdown code fence and a leading reasoning block)."""


class OutputValidationError(StructuredOutputError):
    """The answer is JSON but does not validate against the response model; `errors` says where."""

    def __init__(self, message: str, *, errors: Sequence[tuple[str, str]] = (), **kwargs: Any) -> None:
        self.errors = [Issue(*error) for error in errors]
        super().__init__(message, **kwargs)

    def __str__(self) -> str:
        return _listing(super().__str__(), self.errors)


class ToolCallError(WorkersAIError):
    """A tool call from the model that cannot be run. `name` is the tool it named, `raw` its arguments."""

    def __init__(
        self, message: str, *, model: str | None = None, name: str | None = None, raw: Any = None
    ) -> None:
        self.message = message
        self.model = model
        self.name = name
        self.raw = raw
        super().__init__(message)

    def __str__(self) -> str:
        target = f" from {self.model}" if self.model else ""
        return f"{self.message}{target}; tool {self.name!r}, arguments {_snippet(str(self.raw))}"


class UnknownToolError(ToolCallError):
    """The model called a tool that was not offered to it."""


class ToolArgumentsError(ToolCallError):
    """The arguments of a tool call are not JSON or do not validate against the tool's parameters."""

    def __init__(self, message: str, *, errors: Sequence[tuple[str, str]] = (), **kwargs: Any) -> None:
        self.errors = [Issue(*error) for error in errors]
        super().__init__(message, **kwargs)

    def __str__(self) -> str:
        return _listing(super().__str__(), self.errors)


class ToolStepLimitError(ToolCallError):
    """`run_tools` made `max_steps` requests and the model still asked for tools; `messages` holds the
    conversation so far (to continue or inspect it)."""

    def __init__(self, message: str, *, messages: list[dict[str, Any]] | None = None, **kwargs: Any) -> None:
        self.messages = messages or []
        super().__init__(message, **kwargs)
