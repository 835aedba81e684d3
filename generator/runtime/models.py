"""What each catalog model can do, as data: `info(model)` and `find(...)` over generated `ModelInfo`s.

    from workers_ai import models
    models.info("@cf/meta/llama-3.3-70b-instruct-fp8-fast").function_calling    # True
    [m.id for m in models.find(task="text-generation", accepts_tools=True)]

The facts come from the catalog files the package was generated from (their `properties`: context window,
function calling, reasoning, vision, batch, LoRA, beta, terms, ...) and from each model's input schema
(`response_format`, `guided_json`, `tools`, `stream`); nothing is inferred from model names.
"""

from __future__ import annotations

from dataclasses import fields

from ._model_info import ModelInfo, StructuredOutputMethod, all_model_info

__all__ = ["ModelInfo", "StructuredOutputMethod", "find", "get", "info"]

_FIELDS = frozenset(f.name for f in fields(ModelInfo))


def info(model: str) -> ModelInfo:
    """The capabilities of a catalog model (KeyError naming the model if the catalog has no schema for it)."""
    found = all_model_info().get(model)
    if found is None:
        raise KeyError(f"{model!r} is not a typed model of the catalog this package was generated from")
    return found


def get(model: str) -> ModelInfo | None:
    """Like `info`, but None for a model the catalog does not describe."""
    return all_model_info().get(model)


def find(task: str | None = None, **where: object) -> list[ModelInfo]:
    """Every model of `task` (kebab case, e.g. "text-generation") whose `ModelInfo` fields equal `where`
    (e.g. `function_calling=True`, `structured_output="json_schema"`), sorted by id."""
    unknown = sorted(set(where) - _FIELDS)
    if unknown:
        raise TypeError(
            f"ModelInfo has no field {', '.join(map(repr, unknown))}; fields: {', '.join(sorted(_FIELDS))}"
        )
    return [
        model
        for _, model in sorted(all_model_info().items())
        if (task is None or model.task == task) and all(getattr(model, k) == v for k, v in where.items())
    ]
