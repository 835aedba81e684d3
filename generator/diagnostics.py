"""Problems found in input data, each naming its file and the JSON pointer inside it.

Problems are collected, not raised one by one, so a run reports every bad schema at once
(the approach openapi-python-client takes); `DiagnosticError` carries them out of the pipeline.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"


def json_pointer(parts: Iterable[str | int]) -> str:
    """RFC 6901 pointer for a path of keys and indexes ('' is the whole document)."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


@dataclass(frozen=True, order=True)
class Diagnostic:
    file: str
    pointer: str
    message: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        where = f"{self.file}#{self.pointer}" if self.pointer else self.file
        return f"{where}: {self.severity.value}: {self.message}"


class DiagnosticError(Exception):
    """Raised when a step cannot go on; carries every diagnostic collected so far."""

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics = tuple(diagnostics)
        errors = [d for d in self.diagnostics if d.severity is Severity.ERROR]
        super().__init__("\n".join(str(d) for d in errors or self.diagnostics))
