"""What the generated registry says about each model, and lazy, cached access to what it points at.

The registry (`_registry.py`, generated) only holds strings, so importing `workers_ai` stays cheap: a
model's pydantic classes are imported and its JSON Schemas read the first time the model is used.
"""

from __future__ import annotations

import importlib
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from .errors import WorkersAIError

__all__ = ["SCHEMA_DIR", "ModelSpec", "import_type", "load_schema_resource"]

SCHEMA_DIR = "_schemas"
_PACKAGE = __name__.rpartition(".")[0]


@dataclass(frozen=True, slots=True)
class ModelSpec:
    """Everything the runtime needs to call one model; written by the generator into `_registry.py`."""

    id: str
    """The model id as the API documents it, e.g. "@cf/huggingface/distilbert-sst-2-int8"."""
    task: str
    """The task in kebab case, e.g. "text-classification"."""
    input_type: str | None
    """"module:Class" of the input's pydantic model (a RootModel when the input is a oneOf)."""
    output_type: str | None
    """"module:Class" of the pydantic model of the JSON `result`; None when the model only answers binary."""
    content_types: tuple[str, ...]
    """Media types the output may come as, e.g. ("application/json", "text/event-stream")."""
    raw_body: bool
    """The input may be the raw bytes of a file, POSTed as application/octet-stream."""
    uint8_array_fields: tuple[str, ...]
    """Top-level input properties that are arrays of 0..255: bytes, paths and files become list[int]."""
    base64_fields: tuple[str, ...]
    """Top-level input string properties that carry base64: bytes, paths and files become base64 text."""
    schema_resource: str
    """File name in `workers_ai/_schemas/` holding {"model", "input", "output", "output_json"}."""


@cache
def import_type(reference: str) -> Any:
    """Import "package.module:Qualified.Name" once and return the object."""
    module_name, _, attribute = reference.partition(":")
    if not attribute:
        raise WorkersAIError(f"Bad type reference {reference!r}: expected 'module:Class'.")
    obj: Any = importlib.import_module(module_name)
    for part in attribute.split("."):
        obj = getattr(obj, part)
    return obj


@cache
def load_schema_resource(name: str) -> dict[str, Any]:
    """Read and parse `workers_ai/_schemas/<name>` once. Callers must not mutate the result."""
    try:
        text = resources.files(_PACKAGE).joinpath(SCHEMA_DIR).joinpath(name).read_text(encoding="utf-8")
        document = json.loads(text)
    except (OSError, ValueError) as exc:
        raise WorkersAIError(
            f"Schema resource {SCHEMA_DIR}/{name} of the workers_ai package is missing or unreadable "
            f"({exc.__class__.__name__}); regenerate or reinstall the package."
        ) from exc
    if not isinstance(document, dict):
        raise WorkersAIError(f"Schema resource {SCHEMA_DIR}/{name} is not a JSON object.")
    return document
