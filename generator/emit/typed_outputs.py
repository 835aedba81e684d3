"""Outputs without wrappers, read from the pydantic code datamodel-code-generator made.

- A oneOf/anyOf output whose branches are all objects is a `RootModel[A | B]`; the client returns the
  branch (`A` or `B`) itself, so the type users see is the union of the branch classes, and those
  classes are re-exported where the task's other types are.
- A text-to-image result that carries the image as base64 JSON (`{"image": "..."}`) gets the bytes
  API of `ImageOutput` (`.image_bytes()`, `.save(path)`) from the runtime mixin `Base64ImageResult`.
"""

from __future__ import annotations

import ast
import dataclasses
import re
from collections.abc import Callable, Mapping
from typing import Any

from generator.emit.prepare import prepare
from generator.emit.type_modules import _public_name
from generator.emit.views import ModelView, TypeCode
from generator.ir import Task

IMAGE_MIXIN = "Base64ImageResult"
_IMAGE_MIXIN_IMPORT = f"from workers_ai._image_result import {IMAGE_MIXIN}\n"


def union_branches(code: str, class_name: str) -> list[str]:
    """The branch classes of `class_name` when it is a RootModel over a union of object classes."""
    tree = ast.parse(code)
    classes = {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}
    root = classes.get(class_name)
    if root is None or len(root.bases) != 1:
        return []
    base = root.bases[0]
    if not (
        isinstance(base, ast.Subscript) and isinstance(base.value, ast.Name) and base.value.id == "RootModel"
    ):
        return []
    names: list[str] = []
    stack: list[ast.expr] = [base.slice]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            stack += [node.right, node.left]
        elif isinstance(node, ast.Name) and node.id in classes and _is_plain_model(classes[node.id]):
            names.append(node.id)
        else:
            return []
    return names if len(names) > 1 else []


def predicted_branches(code: TypeCode) -> list[str]:
    """The branch classes `union_branches` finds, read from the prepared schema alone (no code generator):
    the titles `prepare` gives the object branches of a root oneOf/anyOf."""
    prepared = prepare(code.schema, code.class_name, is_output=True)
    found_defs = prepared.get("$defs")
    defs: dict[str, Any] = found_defs if isinstance(found_defs, dict) else {}
    for key in ("oneOf", "anyOf"):
        branches = prepared.get(key)
        if not isinstance(branches, list) or len(branches) < 2 or "properties" in prepared:
            continue
        titles = []
        for branch in branches:
            ref = branch.get("$ref") if isinstance(branch, dict) else None
            name = ref.rsplit("/", 1)[-1] if isinstance(ref, str) else None
            target = defs.get(name) if name else branch
            title = name or (target.get("title") if isinstance(target, dict) else None)
            if not (isinstance(target, dict) and "properties" in target and isinstance(title, str)):
                return []
            titles.append(title)
        return titles
    return []


def predicted_branch_views(
    views: list[tuple[Task, list[TypeCode], list[ModelView]]],
) -> list[tuple[Task, list[TypeCode], list[ModelView]]]:
    """`unwrap_views` without the generated code (for the public-surface prediction)."""
    return _with_branches(views, predicted_branches)


def _is_plain_model(node: ast.ClassDef) -> bool:
    """An object class (its base a plain name such as `BaseModel`), not a `RootModel[...]`."""
    return bool(node.bases) and all(isinstance(b, ast.Name) for b in node.bases)


def unwrap_views(
    views: list[tuple[Task, list[TypeCode], list[ModelView]]], models_code: Mapping[str, str]
) -> list[tuple[Task, list[TypeCode], list[ModelView]]]:
    """The same views, with each union output typed as the union of its branch classes (by the names the
    model's own module gives them)."""
    return _with_branches(views, lambda code: union_branches(models_code[code.path], code.class_name))


def _with_branches(
    views: list[tuple[Task, list[TypeCode], list[ModelView]]], branches_of: Callable[[TypeCode], list[str]]
) -> list[tuple[Task, list[TypeCode], list[ModelView]]]:
    result = []
    for task, codes, task_views in views:
        changed = []
        for view in task_views:
            code = view.output_code
            branches = branches_of(code) if code else []
            if code and branches:
                names = [
                    _public_name(view.model.output_class, code, b) if code.shared else b for b in branches
                ]
                parts = [p.strip() for p in view.output_expr.split("|")]
                parts = [" | ".join(names) if p == view.model.output_class else p for p in parts]
                view = dataclasses.replace(view, output_expr=" | ".join(parts), branch_names=tuple(names))
            changed.append(view)
        result.append((task, codes, changed))
    return result


def _is_base64_image_output(schema: Any) -> bool:
    props = schema.get("properties") if isinstance(schema, dict) else None
    return (
        isinstance(props, dict)
        and isinstance(props.get("image"), dict)
        and props["image"].get("type") == "string"
    )


def with_image_helpers(
    models_code: Mapping[str, str], views: list[tuple[Task, list[TypeCode], list[ModelView]]]
) -> dict[str, str]:
    """`models_code` where the output class of each base64-image text-to-image model derives the mixin."""
    code = dict(models_code)
    for task, modules, _ in views:
        for module in modules:
            is_image = task.slug == "text-to-image" and _is_base64_image_output(module.schema)
            if is_image and module.kind == "output" and module.path in code:
                code[module.path] = _derive_mixin(code[module.path], module.class_name)
    return code


def _derive_mixin(code: str, class_name: str) -> str:
    pattern = re.compile(rf"^class {re.escape(class_name)}\((\w+)\):", re.MULTILINE)
    if not pattern.search(code):
        return code
    code = pattern.sub(rf"class {class_name}({IMAGE_MIXIN}, \1):", code, count=1)
    # Before the first import after `from __future__`; ruff sorts the imports when the package is written.
    first_import = re.compile(r"^(?!from __future__)(?=from |import )", re.MULTILINE)
    return first_import.sub(_IMAGE_MIXIN_IMPORT, code, count=1)
