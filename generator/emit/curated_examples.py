"""Curated example inputs (`schemas/_examples.json`) for the docs pages.

A task's example is used for every model of the task unless the file has one for that model. In the file
`{"$file": NAME}` stands for a local file: the docs print `Path(NAME)`, and validation (by `make check`)
puts a few bytes in its place, the way the client sends a path at a byte-array or base64 field.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.ir import Model

EXAMPLES_FILE = "_examples.json"
_FILE_MARKER = "$file"
_SAMPLE_BYTES = b"RIFF"


@dataclass(frozen=True)
class CuratedExamples:
    tasks: dict[str, Any] = field(default_factory=dict)  # task slug -> example input
    models: dict[str, Any] = field(default_factory=dict)  # model id -> example input

    def for_model(self, model: Model) -> Any | None:
        return self.models.get(model.id, self.tasks.get(model.task_slug))


def read_examples(schemas: Path) -> CuratedExamples:
    """The curated examples beside the model files (none when the file is absent or unreadable: the
    drift check reports an unreadable file)."""
    try:
        document = json.loads((schemas / EXAMPLES_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return CuratedExamples()
    if not isinstance(document, dict):
        return CuratedExamples()
    tasks, models = document.get("tasks"), document.get("models")
    return CuratedExamples(
        tasks if isinstance(tasks, dict) else {}, models if isinstance(models, dict) else {}
    )


def _file_name(value: Any) -> str | None:
    if isinstance(value, dict) and set(value) == {_FILE_MARKER} and isinstance(value[_FILE_MARKER], str):
        return str(value[_FILE_MARKER])
    return None


def is_file(example: Any) -> bool:
    """The example is a whole file (for models that take the raw bytes as the request body)."""
    return _file_name(example) is not None


def uses_files(example: Any) -> bool:
    if _file_name(example) is not None:
        return True
    return isinstance(example, dict) and any(_file_name(v) is not None for v in example.values())


def as_sent(example: Any, model: Model) -> Any:
    """The JSON the client would send for `example` (files at top-level fields become bytes as encoded
    for that field); a file anywhere else stays a marker, which the input schema then rejects."""
    if not isinstance(example, dict):
        return example
    sent = dict(example)
    for key, value in example.items():
        if _file_name(value) is None:
            continue
        if key in model.input.uint8_array_fields:
            sent[key] = list(_SAMPLE_BYTES)
        elif key in model.input.base64_fields:
            sent[key] = "UklGRg=="
    return sent


def python_expr(value: Any) -> str:
    """`value` as Python source, with files as `Path("...")`."""
    name = _file_name(value)
    if name is not None:
        return f"Path({json.dumps(name)})"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k)}: {python_expr(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(python_expr(v) for v in value) + "]"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return repr(value)


def keyword_args(example: Any) -> str:
    """`example` as keyword arguments of a task method ("" when it is not a dict of identifiers)."""
    if _file_name(example) is not None or not isinstance(example, dict):
        return ""
    if not all(str(k).isidentifier() for k in example):
        return ""
    return ", ".join(f"{k}={python_expr(v)}" for k, v in example.items())
