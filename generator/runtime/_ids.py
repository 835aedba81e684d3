"""The grammar of model ids and account ids, checked before anything is sent.

Both go into the request path, so a `..` segment or a control character would let an id reach another
API route with the caller's token (`../../../../../user/tokens`). Accepted:

- model ids `@cf/<segment>/...` and `@hf/<segment>/...` (at least one segment after the prefix), or a
  fine-tune id: one segment of letters, digits and `._:+-`, starting with a letter or digit;
- segments are non-empty and never `.` or `..`; no control characters anywhere; at most 256 characters.
  Other characters (spaces, `?`, `#`) are allowed and percent-encoded in the URL;
- account ids: one segment of letters, digits, `_` and `-` (Cloudflare's are 32 hex digits).

A bad model id raises `InputValidationError` (pointer "", nothing sent); a bad account id raises
`ConfigurationError` when the client is made.
"""

from __future__ import annotations

import re

from ._limits import shorten

__all__ = ["MAX_MODEL_ID_LENGTH", "account_id_problem", "model_id_problem"]

MAX_MODEL_ID_LENGTH = 256
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_FINETUNE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:+-]*")
_ACCOUNT = re.compile(r"[A-Za-z0-9_-]{1,64}")


def model_id_problem(model: object) -> str | None:
    """Why `model` is not a model id this client will send, or None when it is one."""
    if not isinstance(model, str) or not model:
        return f"model must be a non-empty string, not {shorten(repr(model), 80)}"
    if len(model) > MAX_MODEL_ID_LENGTH:
        return f"model id is longer than {MAX_MODEL_ID_LENGTH} characters: {shorten(repr(model), 80)}"
    if _CONTROL.search(model):
        return f"model id contains control characters: {shorten(repr(model), 80)}"
    if model.startswith(("@cf/", "@hf/")):
        segments = model.split("/")[1:]
        if any(segment in ("", ".", "..") for segment in segments):
            return f"model id has an empty, '.' or '..' segment: {model!r}"
        return None
    if _FINETUNE.fullmatch(model) and model not in (".", ".."):
        return None
    return f"model id must start with '@cf/' or '@hf/' or be a fine-tune id, not {model!r}"


def account_id_problem(account_id: str) -> str | None:
    if _ACCOUNT.fullmatch(account_id):
        return None
    return (
        "account_id must be one path segment of letters, digits, '_' and '-' "
        f"(Cloudflare's are 32 hex digits), not {shorten(repr(account_id), 80)}"
    )
