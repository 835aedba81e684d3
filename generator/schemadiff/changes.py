"""What the classifier reports: one `Change` per difference, with how much it matters to client users."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Level(enum.StrEnum):
    """How a change affects code written against the generated client.

    BREAKING: code that worked before can fail (a request is rejected, a response no longer parses).
    OK: compatible (new optional input, new output field, widened input).
    INFO: documentation only (description, title, examples, default); hidden from text output unless asked.
    """

    BREAKING = "breaking"
    OK = "ok"
    INFO = "info"


@dataclass(frozen=True)
class Change:
    model: str
    pointer: str  # RFC 6901, relative to the catalog model file (`/schema/input/properties/text`)
    level: Level
    kind: str  # stable machine name, e.g. "input.property_removed"
    message: str

    def to_json(self) -> dict[str, str]:
        return {
            "model": self.model,
            "pointer": self.pointer,
            "level": self.level.value,
            "kind": self.kind,
            "message": self.message,
        }

    def __str__(self) -> str:
        prefix = "BREAKING" if self.level is Level.BREAKING else self.level.value
        return f"{prefix} {self.model} {self.pointer}: {self.message}"
