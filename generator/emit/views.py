"""What the templates print, computed from the IR: type modules, type expressions, overload sets.

Templates hold no logic beyond loops; every decision about a name or a type is made here. The layout
of `workers_ai.types` follows the rule in `generator.naming`: each model owns the module
`types/<task>/<model>.py` and its names; a schema that several models of a task share is generated
once, into a private `types/<task>/_shared_<kind>_<hash>.py`, and each model's module subclasses its
root class (so the model's own name is the one type checkers and reprs show) and re-exports its nested
classes under the model's names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator import naming
from generator.ir import Catalog, Model, Task
from generator.schema import json_hash

KINDS = ("input", "output")


def _binary_class(content_type: str) -> str:
    if content_type.startswith("image/"):
        return "ImageOutput"
    if content_type.startswith("audio/"):
        return "AudioOutput"
    return "BinaryOutput"


@dataclass(frozen=True)
class TypeCode:
    """One datamodel-code-generator run: the classes of one schema, rooted at `class_name`."""

    task: Task
    kind: str  # "input" | "output"
    class_name: str
    schema: dict[str, Any]
    members: tuple[Model, ...]  # the models whose schema this is
    module_name: str  # the module the code goes into

    @property
    def shared(self) -> bool:
        return len(self.members) > 1

    @property
    def path(self) -> str:
        """Key of the code: the module, plus the kind (a model's module holds its input and output)."""
        return f"workers_ai/types/{self.task.module}/{self.module_name}.py#{self.kind}"

    @property
    def file(self) -> str:
        return min(self.members, key=lambda m: m.display_path).display_path


@dataclass(frozen=True)
class ModelView:
    model: Model
    task: Task
    input_code: TypeCode | None
    output_code: TypeCode | None
    output_expr: str  # return type of a non-streamed run()
    input_expr: str  # accepted input of run()
    streams: bool
    branch_names: tuple[str, ...] = ()  # a union output's branch classes, returned in its place

    @property
    def id(self) -> str:
        return self.model.id

    @property
    def import_path(self) -> str:
        return f"workers_ai.types.{self.task.module}.{self.model.module}"

    @property
    def path(self) -> str:
        return f"workers_ai/types/{self.task.module}/{self.model.module}.py"

    @property
    def root_names(self) -> list[str]:
        """The model's top-level public type names."""
        return [
            name
            for code, name in (
                (self.input_code, self.model.input_class),
                (self.output_code, self.model.output_class),
            )
            if code is not None
        ] + list(self.branch_names)


def type_codes(task: Task) -> list[TypeCode]:
    """Every schema of a task once: models with an identical input (or output) schema share its code."""
    found: list[TypeCode] = []
    for kind in KINDS:
        groups: dict[str, list[Model]] = {}
        schemas: dict[str, dict[str, Any]] = {}
        for model in task.models:
            schema = model.input.schema if kind == "input" else model.output.json_schema
            if schema is None:
                continue
            key = json_hash(schema)
            groups.setdefault(key, []).append(model)
            schemas[key] = schema
        for key, members in groups.items():
            if len(members) == 1:
                model = members[0]
                name = model.input_class if kind == "input" else model.output_class
                found.append(TypeCode(task, kind, name, schemas[key], (model,), model.module))
            else:
                found.append(
                    TypeCode(
                        task,
                        kind,
                        naming.shared_class_name(task.module, kind, key),
                        schemas[key],
                        tuple(members),
                        naming.shared_module(kind, key),
                    )
                )
    return sorted(found, key=lambda t: t.path)


def model_views(task: Task, codes: list[TypeCode]) -> list[ModelView]:
    views = []
    for model in task.models:
        input_code = next((t for t in codes if t.kind == "input" and model in t.members), None)
        output_code = next((t for t in codes if t.kind == "output" and model in t.members), None)
        outputs: list[str] = []
        if output_code is not None:
            outputs.append(model.output_class)
        outputs += list(dict.fromkeys(_binary_class(ct) for ct in model.output.binary_types))
        # The TypedDict of the input (a plain dict, checked key by key) or the pydantic Input.
        input_parts: list[str] = (
            [naming.params_class(input_code.class_name), model.input_class] if input_code else []
        )
        if model.input.raw_body:
            input_parts.append("BinaryInput")
        views.append(
            ModelView(
                model=model,
                task=task,
                input_code=input_code,
                output_code=output_code,
                output_expr=" | ".join(outputs) if outputs else "Any",
                input_expr=" | ".join(input_parts),
                streams=model.output.streams,
            )
        )
    return views


def default_view(task: Task, views: list[ModelView]) -> ModelView:
    return next(v for v in views if v.model is task.default_model)


def binary_names_used(views: list[ModelView]) -> list[str]:
    names = {part.strip() for v in views for part in v.output_expr.split("|")}
    return sorted(n for n in names if n in ("ImageOutput", "AudioOutput", "BinaryOutput"))


def all_views(catalog: Catalog) -> list[tuple[Task, list[TypeCode], list[ModelView]]]:
    result = []
    for task in catalog.tasks:
        codes = type_codes(task)
        result.append((task, codes, model_views(task, codes)))
    return result
