"""Turn an `httpx.Response` into the model's raw result, a `BinaryOutput`, or the right error.

JSON replies come in Cloudflare's envelope `{"result", "success", "errors", "messages"}`. Error replies are
mapped to an `APIError` subclass by Cloudflare error code first, then by HTTP status. Anything that cannot
be read as what the model declares becomes a `MalformedResponseError`, never a `KeyError`, a
`JSONDecodeError` or `None`.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from typing import Any

import httpx

from ._binary import binary_output
from ._media import is_json_media_type, media_type
from .errors import (
    APIError,
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    CloudflareErrorDetail,
    ConflictError,
    FinetuneError,
    FinetuneMissingFilesError,
    InternalServerError,
    LoraNotSupportedError,
    MalformedResponseError,
    ModelAgreementRequiredError,
    ModelNotFoundError,
    NotFoundError,
    PermissionDeniedError,
    QuotaExceededError,
    RateLimitError,
    RequestTimeoutError,
    ServerInputValidationError,
    UnprocessableEntityError,
)

__all__ = [
    "Accepts",
    "api_error",
    "error_details",
    "error_from_response",
    "is_json_media_type",
    "media_type",
    "parse_json",
    "text_snippet",
    "unwrap",
]

_CODE_CLASSES: dict[int, type[APIError]] = {
    3036: QuotaExceededError,
    3037: FinetuneError,
    3039: FinetuneMissingFilesError,
    3042: ModelNotFoundError,
    5005: LoraNotSupportedError,
    5006: ServerInputValidationError,
    5007: ModelNotFoundError,
    5016: ModelAgreementRequiredError,
}
_CODE_HINTS: dict[int, str] = {
    3040: "Workers AI is out of capacity for this model right now; try again later or use another model.",
    3007: "The model timed out on Cloudflare's side (retried); try a shorter input or a lower max_tokens.",
}
_STATUS_CLASSES: dict[int, type[APIError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    408: RequestTimeoutError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}
_BINARY_FAMILIES = ("image/", "audio/", "video/", "application/octet-stream")


@dataclass(frozen=True, slots=True)
class Accepts:
    """What a model may answer: JSON (`json`), these binary media types (`binary`), or for models the
    registry does not know, any binary type (`any_binary`)."""

    json: bool
    binary: tuple[str, ...] = ()
    any_binary: bool = False

    def binary_ok(self, media: str, strict: bool) -> bool:
        if media in self.binary:
            return True
        if self.any_binary:
            return media.startswith(_BINARY_FAMILIES)
        if strict:
            return False
        # Lenient: a new format of the same kind (image/jpeg where image/png was declared) still parses.
        family = media.partition("/")[0] + "/"
        return family != "/" and any(declared.startswith(family) for declared in self.binary)


def text_snippet(body: bytes, limit: int = 200) -> str:
    """A short readable excerpt of a non-JSON body (an HTML error page: its title, or its text)."""
    text = body[:20_000].decode("utf-8", errors="replace")
    title = re.search(r"<title[^>]*>(.*?)</title>", text, re.IGNORECASE | re.DOTALL)
    if title:
        text = title.group(1)
    else:
        text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.IGNORECASE | re.DOTALL)
        text = re.sub(r"<[^>]+>", " ", text)
    text = " ".join(html.unescape(text).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


# `strict=True` refuses NaN and +-Infinity, which Python's json module accepts but JSON does not have.
_STRICT_DECODER = json.JSONDecoder(parse_constant=_reject_constant)


def parse_json(body: bytes, response: httpx.Response, model: str | None, strict: bool = False) -> Any:
    try:
        if strict:
            return _STRICT_DECODER.decode(body.decode("utf-8"))
        return json.loads(body)
    except RecursionError:
        raise MalformedResponseError(
            "The reply is nested too deeply to read (deeper than the interpreter's recursion limit)",
            model=model,
            response=response,
            body=body,
        ) from None
    except ValueError as exc:
        if strict and "is not JSON" in str(exc):
            raise MalformedResponseError(
                f"HTTP {response.status_code} reply with a non-JSON number: {exc}",
                model=model,
                response=response,
                body=body,
            ) from None
        truncated = isinstance(exc, json.JSONDecodeError) and (
            exc.pos >= len(exc.doc.rstrip()) or exc.msg.startswith("Unterminated string")
        )
        what = "truncated JSON" if truncated and body.strip() else "a body that is not valid JSON"
        raise MalformedResponseError(
            f"HTTP {response.status_code} reply with {what}: {text_snippet(body, 80)!r}",
            model=model,
            response=response,
            body=body,
        ) from None


def error_details(value: Any) -> list[CloudflareErrorDetail]:
    if not isinstance(value, list):
        return []
    details = []
    for entry in value:
        if isinstance(entry, dict):
            code = entry.get("code")
            if isinstance(code, str) and code.isdigit():
                code = int(code)
            message = entry.get("message")
            details.append(
                CloudflareErrorDetail(
                    code if isinstance(code, int) and not isinstance(code, bool) else None,
                    message if isinstance(message, str) else json.dumps(entry),
                )
            )
        elif isinstance(entry, str):
            details.append(CloudflareErrorDetail(None, entry))
    return details


def api_error(
    message: str,
    *,
    status_code: int | None,
    errors: list[CloudflareErrorDetail],
    response: httpx.Response | None,
    body: bytes | None,
    model: str | None,
) -> APIError:
    """The error for a reply: class by Cloudflare code first, then by HTTP status."""
    cls: type[APIError] | None = None
    hint = None
    for detail in errors:
        if detail.code is not None:
            cls = cls or _CODE_CLASSES.get(detail.code)
            hint = hint or _CODE_HINTS.get(detail.code)
    if cls is None and status_code is not None:
        cls = _STATUS_CLASSES.get(status_code)
        if cls is None:
            cls = (
                InternalServerError
                if status_code >= 500
                else APIStatusError
                if status_code >= 300
                else APIError
            )
    if cls is None:
        cls = APIError
    return cls(
        message,
        status_code=status_code,
        errors=errors,
        response=response,
        body=body,
        model=model,
        hint=hint,
    )


def _envelope_error(document: Any, response: httpx.Response, body: bytes, model: str | None) -> APIError:
    errors: list[CloudflareErrorDetail] = []
    message = ""
    if isinstance(document, dict):
        errors = error_details(document.get("errors"))
        if not errors:
            for key in ("error", "message"):
                value = document.get(key)
                if isinstance(value, str) and value:
                    message = value
                    break
                if isinstance(value, dict) and isinstance(value.get("message"), str):
                    errors = error_details([value])
                    break
    if errors:
        message = "; ".join(detail.message for detail in errors)
    if not message:
        message = (
            "the API reported success: false without any error details"
            if response.status_code < 300
            else f"no error details in the reply: {text_snippet(body, 120)!r}"
        )
    return api_error(
        message, status_code=response.status_code, errors=errors, response=response, body=body, model=model
    )


def error_from_response(response: httpx.Response, model: str | None) -> APIError:
    """The `APIError` for an HTTP error reply (JSON envelope, other JSON, HTML page or plain text)."""
    body = response.content
    stripped = body.lstrip()
    if stripped[:1] in (b"{", b"["):
        try:
            document = json.loads(body)
        except (ValueError, RecursionError):
            document = None
        if document is not None:
            return _envelope_error(document, response, body, model)
    snippet = text_snippet(body) or "(empty body)"
    media = media_type(response.headers.get("content-type"))
    what = "an HTML error page" if media == "text/html" or stripped[:1] == b"<" else "a non-JSON body"
    return api_error(
        f"{what}: {snippet!r}",
        status_code=response.status_code,
        errors=[],
        response=response,
        body=body,
        model=model,
    )


def unwrap(response: httpx.Response, model: str | None, accepts: Accepts, strict: bool) -> Any:
    """The envelope's `result` (raw JSON, not yet validated) or a `BinaryOutput`; raises for errors."""
    if response.status_code >= 300:
        raise error_from_response(response, model)
    media = media_type(response.headers.get("content-type"))
    body = response.content
    if is_json_media_type(media) or (not media and body.lstrip()[:1] == b"{"):
        document = parse_json(body, response, model, strict)
        if not isinstance(document, dict) or not isinstance(document.get("success"), bool):
            raise MalformedResponseError(
                "The reply is JSON but not a Cloudflare envelope {result, success, errors, messages}",
                model=model,
                response=response,
                body=body,
            )
        if document["success"] is False:
            raise _envelope_error(document, response, body, model)
        if "result" not in document:
            raise MalformedResponseError(
                "The reply says success: true but has no result", model=model, response=response, body=body
            )
        if not accepts.json:
            raise MalformedResponseError(
                f"Expected binary output ({', '.join(accepts.binary)}) but the reply is JSON",
                model=model,
                response=response,
                body=body,
            )
        return document["result"]
    if media and accepts.binary_ok(media, strict):
        return binary_output(body, media)
    expected = ", ".join((("application/json",) if accepts.json else ()) + accepts.binary) or "JSON"
    kind = "binary " if media.startswith(_BINARY_FAMILIES) else ""
    raise MalformedResponseError(
        f"Unexpected {kind}content type {media or '(none)'!r}; expected {expected}",
        model=model,
        response=response,
        body=body,
    )
