"""Breaking-change report: classify the differences between two versions of Workers AI model schemas.

read_side(path)            folder / model file / bare {input, output} pair -> {name: ModelSchemas}
compare_sides(old, new)    -> [Change]  (model added/removed + classify_schema per model)
classify_schema(...)       one input or output schema, old vs new
render_text / render_json
"""

from generator.schemadiff.changes import Change, Level
from generator.schemadiff.classify import classify_schema
from generator.schemadiff.compare import compare_model, compare_sides
from generator.schemadiff.reading import match_branches, split_nullable
from generator.schemadiff.render import counts, render_json, render_text
from generator.schemadiff.sources import ModelSchemas, read_model, read_side

__all__ = [
    "Change",
    "Level",
    "ModelSchemas",
    "classify_schema",
    "compare_model",
    "compare_sides",
    "counts",
    "match_branches",
    "read_model",
    "read_side",
    "render_json",
    "render_text",
    "split_nullable",
]
