# Copied by workers-ai-codegen from generator/runtime/_headers.py: edit it there.
"""Checking `default_headers` once, when a client is made.

httpx would otherwise fail on the first request with a raw `UnicodeEncodeError` (a non-ASCII value) or
send a header split by a line break. Names must be HTTP tokens; values printable ASCII (inner spaces and tabs allowed).
`Authorization` and `Content-Type` are the client's own (token, and the body it sends): setting them
here is refused rather than sent twice. A bad header raises `ConfigurationError`; its value is never
echoed (it may be a secret).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from ._limits import shorten
from .errors import ConfigurationError

__all__ = ["check_default_headers"]

_OWN = frozenset({"authorization", "content-type"})
_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
# Printable ASCII; inner spaces and tabs, but none at either end (h11 refuses those on the wire).
_VALUE = re.compile(r"(?:[\x21-\x7e](?:[\t\x20-\x7e]*[\x21-\x7e])?)?")


def check_default_headers(headers: Mapping[str, str] | None) -> dict[str, str]:
    checked: dict[str, str] = {}
    for name, value in (headers or {}).items():
        if not isinstance(name, str) or not _NAME.fullmatch(name):
            raise ConfigurationError(f"default_headers: {shorten(repr(name), 80)} is not a valid header name")
        if name.lower() in _OWN:
            raise ConfigurationError(f"default_headers: {name!r} is set by the client itself")
        if not isinstance(value, str) or not _VALUE.fullmatch(value):
            raise ConfigurationError(
                f"default_headers: the value of {name!r} must be printable ASCII text (not shown here)"
            )
        checked[name] = value
    return checked
