"""What the templates print, computed from the IR: type expressions, imports, overload sets.

Templates hold no logic beyond loops; every decision about a name or a type is made here.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from generator import naming
from generator.ir import Catalog, Model, Task


def _binary_class(content_type: str) -> str:
    if content_type.startswith("image/"):
        return "ImageOutput"
    if content_type.startswith("audio/"):
        return "AudioOutput"
    return "BinaryOutput"


def schema_hash(schema: Any) -> str:
    return hashlib.sha256(json.dumps(schema, sort_keys=True).encode()).hexdigest()


@dataclass(frozen=True)
class TypeModule:
    """One generated pydantic module: a distinct schema, shared by every model that has it."""

    task: Task
    kind: str  # "input" | "output"
    canonical: Model
    members: tuple[Model, ...]
    schema: dict[str, Any]

    @property
    def class_name(self) -> str:
        return self.canonical.input_class if self.kind == "input" else self.canonical.output_class

    @property
    def module_name(self) -> str:
        return f"{self.canonical.module}_{self.kind}"

    @property
    def import_path(self) -> str:
        return f"workers_ai.models.{self.task.module}.{self.module_name}"

    @property
    def path(self) -> str:
        return f"workers_ai/models/{self.task.module}/{self.module_name}.py"


@dataclass(frozen=True)
class ModelView:
    model: Model
    input_module: TypeModule | None
    output_module: TypeModule | None
    output_expr: str  # return type of a non-streamed run()
    input_expr: str  # accepted input of run()
    streams: bool

    @property
    def id(self) -> str:
        return self.model.id


def type_modules(task: Task) -> list[TypeModule]:
    """Group a task's models by identical schema (input and output separately)."""
    found: list[TypeModule] = []
    for kind in ("input", "output"):
        groups: dict[str, list[Model]] = {}
        schemas: dict[str, dict[str, Any]] = {}
        for model in task.models:
            schema = model.input.schema if kind == "input" else model.output.json_schema
            if schema is None:
                continue
            key = schema_hash(schema)
            groups.setdefault(key, []).append(model)
            schemas[key] = schema
        for key, members in groups.items():
            # The class is named after the task's default model when it is a member (so the
            # seed model's types carry its name), else after the member with the smallest id.
            canonical = (
                task.default_model if task.default_model in members else min(members, key=lambda m: m.id)
            )
            found.append(TypeModule(task, kind, canonical, tuple(members), schemas[key]))
    return sorted(found, key=lambda t: (t.kind, t.module_name))


def model_views(task: Task, modules: list[TypeModule]) -> list[ModelView]:
    views = []
    for model in task.models:
        input_module = next((t for t in modules if t.kind == "input" and model in t.members), None)
        output_module = next((t for t in modules if t.kind == "output" and model in t.members), None)
        outputs: list[str] = []
        if output_module is not None:
            outputs.append(model.output_class)
        outputs += list(dict.fromkeys(_binary_class(ct) for ct in model.output.binary_types))
        # The TypedDict of the input (a plain dict, checked key by key) or the pydantic Input.
        input_parts = [naming.params_class(input_module.canonical.type_prefix)] if input_module else []
        input_parts.append(model.input_class)
        if model.input.raw_body:
            input_parts.append("BinaryInput")
        views.append(
            ModelView(
                model=model,
                input_module=input_module,
                output_module=output_module,
                output_expr=" | ".join(outputs) if outputs else "Any",
                input_expr=" | ".join(input_parts),
                streams=model.output.streams,
            )
        )
    return views


def task_output_alias(task: Task, views: list[ModelView]) -> str:
    default = next(v for v in views if v.model is task.default_model)
    return default.output_expr


def binary_names_used(views: list[ModelView]) -> list[str]:
    names = {part.strip() for v in views for part in v.output_expr.split("|")}
    return sorted(n for n in names if n in ("ImageOutput", "AudioOutput", "BinaryOutput"))


def all_views(catalog: Catalog) -> list[tuple[Task, list[TypeModule], list[ModelView]]]:
    result = []
    for task in catalog.tasks:
        modules = type_modules(task)
        result.append((task, modules, model_views(task, modules)))
    return result
