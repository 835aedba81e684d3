"""What a model's docs page prints: the example (curated input through `run()`, the task method and, for
streaming models, `client.stream()`), the types, and the input and output tables of every branch."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from generator import naming
from generator.emit import curated_examples, doc_tables, typed_inputs, typed_outputs
from generator.emit.examples import NoExample, example_for
from generator.emit.views import ModelView
from generator.ir import Model, Task

_OUTPUT_NOTES = {
    "ImageOutput": 'output.save("image.png")  # ImageOutput: .data, .content_type',
    "AudioOutput": 'output.save("speech.mp3")  # AudioOutput: .data, .content_type',
}
_BASE64_IMAGE_NOTE = 'output.save("image.jpg")  # also .image_bytes(); the base64 `image` decoded'


def example_input(model: Model) -> Any:
    """A valid input made from the schema: the fallback where no curated example exists."""
    # A model whose JSON form only wraps its file (`{"image": [...]}`) gets that file in its example even
    # where the catalog does not require it: an empty object is no file to send as the raw body.
    wraps_file = model.input.raw_body and len(model.input.properties) == 1
    try:
        return example_for(model.input.schema, full=wraps_file)
    except NoExample:
        return {}


def page_context(
    task: Task,
    view: ModelView,
    examples: curated_examples.CuratedExamples,
    params: Mapping[str, typed_inputs.ParamsModule],
    models_code: Mapping[str, str],
) -> dict[str, Any]:
    """The variables of `model_doc.md.jinja` (but `sources`) for one model."""
    model = view.model
    note = _OUTPUT_NOTES.get(view.output_expr, "print(output)")
    if view.output_code and typed_outputs.IMAGE_MIXIN in models_code.get(view.output_code.path, ""):
        note = _BASE64_IMAGE_NOTE
    curated = examples.for_model(model)
    example = curated if curated is not None else example_input(model)
    return {
        "model": model,
        "task": task,
        "output_expr": view.output_expr,
        "content_types": ", ".join(f"`{ct}`" for ct in model.output.content_types),
        "uint8_fields": ", ".join(f"`{f}`" for f in model.input.uint8_array_fields),
        "base64_fields": ", ".join(f"`{f}`" for f in model.input.base64_fields),
        "streams": view.streams,
        "example_input": curated_examples.python_expr(example),
        "uses_path": curated_examples.uses_files(example),
        "params_class": naming.params_class(model.input_class),
        "method_args": curated_examples.keyword_args(example)
        if _has_task_method(model, example, params)
        else "",
        "output_note": note,
        "input_tables": doc_tables.tables(model.input.schema),
        "output_tables": doc_tables.tables(model.output.json_schema),
    }


def _has_task_method(model: Model, example: Any, params: Mapping[str, typed_inputs.ParamsModule]) -> bool:
    """The task method can send `example` (a key it takes as its own keyword cannot be)."""
    found = params.get(model.id)
    keys = set(example) if isinstance(example, dict) else set()
    return bool(found and found.code.keyword_classes) and not keys & typed_inputs.METHOD_KEYWORDS
