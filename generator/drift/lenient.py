"""Best-effort reading of almost-JSON from docs pages, to see what a broken example would have meant.

Invalid JSON is always reported as such first; this repair only lets the check go on and report the
example's *other* defects (e.g. the text-classification page's `items` wrapper hides behind its missing
comma). The repairs are the slips docs pages really make: `...` ellipses in arrays, trailing commas, a missing comma at a line
break, and unclosed brackets at the end.
"""

from __future__ import annotations

import json
import re
from typing import Any

_ELLIPSIS = re.compile(r",\s*\.\.\.(?=\s*[\]}])|\.\.\.\s*,?")
_TRAILING_COMMA = re.compile(r",(\s*[\]}])")
# A value ends a line and the next line starts a new key or value: a comma was forgotten.
_MISSING_COMMA = re.compile(r'([}\]"]|\d|true|false|null)(\s*\n\s*)(["{\[])')
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


def _close_brackets(text: str) -> str:
    stack: list[str] = []
    for char in _STRING.sub('""', text):
        if char in "[{":
            stack.append("]" if char == "[" else "}")
        elif char in "]}" and stack and stack[-1] == char:
            stack.pop()
    return text + "".join(reversed(stack))


def lenient_loads(text: str) -> Any | None:
    """The repaired document, or None if even the repairs do not give valid JSON."""
    repaired = _ELLIPSIS.sub("", text)
    repaired = _TRAILING_COMMA.sub(r"\1", repaired)
    repaired = _MISSING_COMMA.sub(r"\1,\2\3", repaired)
    repaired = _close_brackets(repaired)
    try:
        return json.loads(repaired)
    except (json.JSONDecodeError, RecursionError):
        return None
