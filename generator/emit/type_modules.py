"""The pieces of a type module, from datamodel-code-generator's output (see views.py for the layout).

A model's module joins up to two generated codes (its input and its output), each either defined in
place or, when shared, subclassed and re-exported from the private shared module. The imports of the
joined codes are hoisted to the top (ruff then merges and sorts them).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from generator import naming
from generator.emit.views import ModelView, TypeCode


@dataclass(frozen=True)
class SplitCode:
    imports: tuple[str, ...]
    body: str
    classes: tuple[str, ...]  # top-level class names, in order


def split_code(code: str) -> SplitCode:
    tree = ast.parse(code)
    lines = code.splitlines(keepends=True)
    imports: list[str] = []
    body_start = len(lines)
    for node in tree.body:
        if isinstance(node, ast.ImportFrom | ast.Import):
            if not (isinstance(node, ast.ImportFrom) and node.module == "__future__"):
                imports.append("".join(lines[node.lineno - 1 : node.end_lineno]).strip())
        else:
            body_start = min(body_start, node.lineno - 1)
    classes = tuple(n.name for n in tree.body if isinstance(n, ast.ClassDef))
    return SplitCode(tuple(imports), "".join(lines[body_start:]).strip() + "\n", classes)


@dataclass
class ModuleParts:
    """What `model_types.py.jinja` prints: imports, generated bodies, subclasses of shared roots."""

    imports: list[str] = field(default_factory=list)
    bodies: list[str] = field(default_factory=list)
    subclasses: list[tuple[str, str, str]] = field(default_factory=list)  # (name, base, docstring)
    exports: list[str] = field(default_factory=list)


def _public_name(model_root: str, shared: TypeCode, name: str) -> str:
    """The model's name for a class of shared code: the shared root's prefix becomes the model's."""
    suffix = name[len(shared.class_name) :] if name.startswith(shared.class_name) else name
    return naming.join_class(model_root, suffix)


def model_module_parts(view: ModelView, codes: dict[str, str]) -> ModuleParts:
    parts = ModuleParts()
    for code, root in (
        (view.input_code, view.model.input_class),
        (view.output_code, view.model.output_class),
    ):
        if code is None:
            continue
        split = split_code(codes[code.path])
        if not code.shared:
            parts.imports += split.imports
            parts.bodies.append(split.body)
            parts.exports += split.classes
            continue
        module = f"workers_ai.types.{code.task.module}.{code.module_name}"
        names = [f"{code.class_name}"]
        for name in split.classes:
            if name != code.class_name:
                public = _public_name(root, code, name)
                names.append(f"{name} as {public}")
                parts.exports.append(public)
        parts.imports.append(f"from {module} import {', '.join(names)}")
        kind = "Input" if code.kind == "input" else "Output"
        parts.subclasses.append((root, code.class_name, f"{kind} of `{view.id}`."))
        parts.exports.append(root)
    parts.imports = list(dict.fromkeys(parts.imports))
    return parts


def shared_module_parts(code: TypeCode, codes: dict[str, str]) -> ModuleParts:
    split = split_code(codes[code.path])
    return ModuleParts(list(split.imports), [split.body], [], list(split.classes))
