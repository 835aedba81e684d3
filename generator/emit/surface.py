"""The public names of the generated package: what users import, so what must never be renamed.

Two readings of one thing:
- `tree_surface(folder)`: from a generated folder, every public module of `workers_ai.types` (no
  `_`-prefixed part) and the names it exports (`__all__`, or the lazy table of `workers_ai.types`);
- `catalog_surface(catalog)`: the same, predicted from the catalog without running the code generator
  (the class names `prepare` gives; a test checks both readings agree). `python -m generator diff`
  uses it to report a lost or renamed name as breaking.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from pathlib import Path

from generator import naming
from generator.emit.prepare import prepare
from generator.emit.typed_inputs import model_params, params_modules
from generator.emit.typed_outputs import predicted_branch_views
from generator.emit.views import ModelView, all_views
from generator.ir import Catalog

Surface = Mapping[str, frozenset[str]]  # module -> exported names


def _exported(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets
        ):
            names |= {
                e.value
                for e in ast.walk(node.value)
                if isinstance(e, ast.Constant) and isinstance(e.value, str)
            }
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "lazy_exports"
            and len(node.args) == 2
            and isinstance(node.args[1], ast.Dict)
        ):
            names |= {
                k.value for k in node.args[1].keys if isinstance(k, ast.Constant) and isinstance(k.value, str)
            }
    return names


def tree_surface(out: Path) -> Surface:
    root = out / "workers_ai" / "types"
    surface: dict[str, frozenset[str]] = {}
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(out).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if any(part.startswith("_") for part in parts):
            continue
        surface[".".join(parts)] = frozenset(_exported(ast.parse(path.read_text(encoding="utf-8"))))
    return surface


def _class_titles(schema: object) -> set[str]:
    """Every class name `prepare` put into a prepared schema (titles of object schemas, `$defs` keys)."""
    found: set[str] = set()
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("title"), str) and "properties" in node:
                found.add(node["title"])
            defs = node.get("$defs")
            if isinstance(defs, dict):
                found |= {
                    name for name, value in defs.items() if isinstance(value, dict) and "properties" in value
                }
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


def _model_names(view: ModelView) -> set[str]:
    names: set[str] = set()
    for code, root in (
        (view.input_code, view.model.input_class),
        (view.output_code, view.model.output_class),
    ):
        if code is None:
            continue
        names.add(root)
        prepared = prepare(code.schema, code.class_name, is_output=code.kind == "output")
        for title in _class_titles(prepared):
            suffix = title[len(code.class_name) :] if title.startswith(code.class_name) else title
            names.add(naming.join_class(root, suffix))
    return names


def catalog_surface(catalog: Catalog) -> Surface:
    surface: dict[str, frozenset[str]] = {}
    everything: set[str] = set()
    for task, codes, views in predicted_branch_views(all_views(catalog)):
        task_names: set[str] = {task.class_name, task.input_class, task.output_class}
        for own in (own for params in params_modules(codes) for own in model_params(params)):
            task_names.add(naming.params_class(own.model.input_class))
            surface[own.import_path] = frozenset(own.names)
        for view in views:
            if view.root_names:
                surface[view.import_path] = frozenset(_model_names(view))
                task_names |= set(view.root_names)
        surface[f"workers_ai.types.{task.module}"] = frozenset(task_names)
        everything |= task_names
    surface["workers_ai.types"] = frozenset(everything | {"GeneratedModel"})
    return surface


def lost_names(old: Surface, new: Surface) -> list[tuple[str, str]]:
    """(module, name) pairs that `old` exports and `new` does not (a whole module gone: name "")."""
    lost: list[tuple[str, str]] = []
    for module, names in sorted(old.items()):
        if module not in new:
            lost.append((module, ""))
        else:
            lost.extend((module, name) for name in sorted(names - new[module]))
    return lost


def folder_catalog(folder: Path) -> Catalog | None:
    """The catalog of a folder of model files; None when it has errors."""
    from generator.diagnostics import Severity
    from generator.ir import build_catalog
    from generator.load import load_schemas

    loaded = load_schemas(folder)
    catalog, diagnostics = build_catalog(loaded)
    if any(d.severity is Severity.ERROR for d in [*loaded.diagnostics, *diagnostics]):
        return None
    return catalog


def renamed_names(old_folder: Path, new_folder: Path) -> list[tuple[str, str]]:
    """Public (module, name) pairs of models present on both sides that the new schemas lose.

    A removed model's own names are left out (the removal is reported on its own). Empty when a side
    is not a folder of model files that generates.
    """
    if not (old_folder.is_dir() and new_folder.is_dir()):
        return []
    old, new = folder_catalog(old_folder), folder_catalog(new_folder)
    if old is None or new is None:
        return []
    removed = {m.id for m in old.models} - {m.id for m in new.models}
    own = tuple(naming.model_type_prefix(i) for i in removed) + tuple(naming.model_module(i) for i in removed)
    return [
        (module, name)
        for module, name in lost_names(catalog_surface(old), catalog_surface(new))
        if not (name or module.rsplit(".", 1)[-1]).startswith(own)
    ]
