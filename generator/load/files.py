"""Read one catalog model file (`name`, `task.name`, `description`, `schema.input/output`)."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.diagnostics import Diagnostic, Severity
from generator.load.checks import check_schema
from generator.schema import clean_text

# A model file is any *.json in the schema folder except these (provenance, caches).
_NOT_MODEL_PREFIX = "_"
# Deeper than this and recursive tools (ours, pydantic's, datamodel-codegen's) risk RecursionError;
# the deepest real catalog schema is 14 levels.
MAX_DEPTH = 64


@dataclass(frozen=True)
class ModelFile:
    """One model file as read from disk, with its schemas checked (and repaired where noted)."""

    path: Path
    display_path: str  # the path as diagnostics show it
    id: str  # the model id, e.g. '@cf/huggingface/distilbert-sst-2-int8' (the file's `name`)
    task_name: str
    task_description: str
    description: str
    input_schema: dict[str, Any] | None
    output_schema: dict[str, Any] | None
    sha256: str
    raw: dict[str, Any] = field(repr=False, compare=False)

    @property
    def has_schema(self) -> bool:
        return self.input_schema is not None and self.output_schema is not None


def is_model_file(path: Path) -> bool:
    return path.suffix == ".json" and not path.name.startswith(_NOT_MODEL_PREFIX)


def _depth(value: Any, limit: int) -> int:
    """Nesting depth of a JSON value, iteratively so hostile input cannot blow the stack."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        if deepest > limit:
            return deepest
        if isinstance(node, dict):
            stack.extend((v, level + 1) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, level + 1) for v in node)
    return deepest


_UNWRITABLE = re.compile(r"[\\\x00-\x1f\x7f]")


def _string_at(doc: dict[str, Any], *keys: str) -> str | None:
    node: Any = doc
    for key in keys:
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node if isinstance(node, str) else None


def read_model_file(path: Path, display_path: str | None = None) -> tuple[ModelFile | None, list[Diagnostic]]:
    shown = display_path or str(path)
    diagnostics: list[Diagnostic] = []

    def error(pointer: str, message: str) -> tuple[None, list[Diagnostic]]:
        diagnostics.append(Diagnostic(shown, pointer, message))
        return None, diagnostics

    try:
        data = path.read_bytes()
    except OSError as exc:
        return error("", f"cannot read file: {exc.strerror or exc}")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return error("", f"not UTF-8 text (byte {exc.start})")
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        return error("", f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}")
    except RecursionError:
        return error("", f"JSON nested too deeply (more than {MAX_DEPTH} levels)")
    if not isinstance(doc, dict):
        return error("", f"a model file must be a JSON object, not {type(doc).__name__}")
    if _depth(doc, MAX_DEPTH) > MAX_DEPTH:
        return error("/schema", f"schema nested too deeply (more than {MAX_DEPTH} levels)")

    name = _string_at(doc, "name")
    task_name = _string_at(doc, "task", "name")
    if not name or not name.strip():
        error("/name", "missing or empty model name (a string such as '@cf/meta/llama-3.1-8b-instruct')")
    if not task_name or not task_name.strip():
        error("/task/name", "missing or empty task name (a string such as 'Text Classification')")
    named: tuple[tuple[str, str | None], ...] = (("/name", name), ("/task/name", task_name))
    for pointer, label in named:
        # Names are written into generated docstrings and string literals as they are.
        if label and (_UNWRITABLE.search(label) or '"""' in label):
            error(
                pointer,
                f'{label[:80]!r} cannot be written into generated code (a backslash, """ or a control character)',
            )
    if name is None or task_name is None or diagnostics:
        return None, diagnostics

    schema = doc.get("schema")
    input_schema: dict[str, Any] | None = None
    output_schema: dict[str, Any] | None = None
    if schema is None or schema == {}:
        # Documented choice: a model without schemas cannot be typed, so it gets no generated types;
        # `client.run()` still calls it and returns the raw result.
        diagnostics.append(
            Diagnostic(
                shown,
                "/schema",
                "model has no schema; skipped (callable untyped via run_untyped())",
                Severity.WARNING,
            )
        )
    elif not isinstance(schema, dict):
        return error(
            "/schema", f"'schema' must be an object with 'input' and 'output', not {type(schema).__name__}"
        )
    else:
        for part in ("input", "output"):
            if part not in schema:
                diagnostics.append(Diagnostic(shown, f"/schema/{part}", f"missing '{part}' schema"))
        if "input" in schema and "output" in schema:
            input_schema, in_diags = check_schema(schema["input"], shown, "/schema/input")
            output_schema, out_diags = check_schema(schema["output"], shown, "/schema/output")
            diagnostics.extend(in_diags + out_diags)
        if any(d.severity is Severity.ERROR for d in diagnostics):
            return None, diagnostics

    task = doc.get("task")
    task_description = task.get("description") if isinstance(task, dict) else None
    description = doc.get("description")
    return (
        ModelFile(
            path=path,
            display_path=shown,
            id=name.strip(),
            task_name=task_name.strip(),
            task_description=clean_text(task_description) if isinstance(task_description, str) else "",
            description=clean_text(description) if isinstance(description, str) else "",
            input_schema=input_schema,
            output_schema=output_schema,
            sha256=hashlib.sha256(data).hexdigest(),
            raw=doc,
        ),
        diagnostics,
    )
