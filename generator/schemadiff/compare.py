"""Compare two sets of models: which were added, removed, and how each common model's schemas changed."""

from __future__ import annotations

from generator.schemadiff.changes import Change, Level
from generator.schemadiff.classify import classify_schema
from generator.schemadiff.sources import ModelSchemas


def compare_model(old: ModelSchemas, new: ModelSchemas, name: str | None = None) -> list[Change]:
    model = name or new.name
    old_typed = old.input is not None and old.output is not None
    new_typed = new.input is not None and new.output is not None
    if old_typed and not new_typed:
        return [
            Change(
                model,
                "/schema",
                Level.BREAKING,
                "model.schema_removed",
                "schemas removed (no typed client any more)",
            )
        ]
    if new_typed and not old_typed:
        return [Change(model, "/schema", Level.OK, "model.schema_added", "schemas added")]
    if not new_typed:
        return []
    return classify_schema(model, "input", old.input, new.input) + classify_schema(
        model, "output", old.output, new.output
    )


def compare_sides(old: dict[str, ModelSchemas], new: dict[str, ModelSchemas]) -> list[Change]:
    """Every change, models in name order. Two single models with different names are compared as one."""
    if len(old) == 1 and len(new) == 1 and set(old) != set(new):
        ((_, only_old),) = old.items()
        ((_, only_new),) = new.items()
        return compare_model(only_old, only_new)
    changes: list[Change] = []
    for name in sorted(set(old) | set(new)):
        if name not in new:
            changes.append(
                Change(name, "", Level.BREAKING, "model.removed", f"model removed (was {old[name].file})")
            )
        elif name not in old:
            changes.append(Change(name, "", Level.OK, "model.added", f"new model ({new[name].file})"))
        else:
            changes.extend(compare_model(old[name], new[name]))
    return changes
