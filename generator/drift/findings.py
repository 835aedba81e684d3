"""What the drift checks report.

A `Problem` is one way a document disagrees with a schema (kind + JSON pointer + message). Problems are
reconciled with the expected drift declared for that document; what remains becomes a `Finding`:
FAIL (unexpected drift, or expected drift that no longer reproduces), EXPECTED (known drift, still there)
or INFO (context: skipped checks, compatible schema changes).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Status(enum.StrEnum):
    FAIL = "FAIL"
    EXPECTED = "expected"
    INFO = "info"


@dataclass(frozen=True)
class Problem:
    kind: str  # invalid_json | schema | content_type | envelope | wrapper | unknown_property | breaking | ...
    pointer: str  # RFC 6901, into the document named by `check` (a reply body, an input, a schema)
    message: str
    check: str = ""  # sub-check that found it, e.g. "example-vs-catalog"; "" when a file has one check
    model: str | None = None


@dataclass(frozen=True)
class Finding:
    check: str  # code | fixtures | docs | live
    status: Status
    file: str
    message: str
    model: str | None = None
    pointer: str | None = None
    reason: str | None = None  # why drift is expected; printed with --verbose

    def render(self, verbose: bool = False) -> str:
        where = self.file if self.pointer is None else f"{self.file}#{self.pointer or '(root)'}"
        model = f" [{self.model}]" if self.model else ""
        why = f" (expected drift: {self.reason})" if verbose and self.reason else ""
        return f"{self.status.value:8} {self.check:8} {where}{model}: {self.message}{why}"

    def __str__(self) -> str:
        return self.render()
