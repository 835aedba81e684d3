"""Hypothesis strategies for Workers AI catalog model files, each schema drawn with its own witnesses.

Every schema node is drawn together with a strategy of values valid for it (`Node`), built by the same
construction (a bound is placed around a drawn value, a oneOf's branches are kept mutually exclusive),
so a test can both ask the generator for an example and feed it instances it did not choose.

The shapes follow the catalog: objects with properties of every type, nested objects and arrays, enums,
min/max and length constraints, patterns, oneOf/anyOf (nullable written `anyOf: [X, {type: null}]`),
required lists, defaults, descriptions with odd characters, `contentType` on outputs and top-level
`format: binary` branches. `model_files(invalid=True)` also plants one invalid piece and records the
JSON pointer where it sits, so the test can demand a diagnostic at exactly that place.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from generator.diagnostics import json_pointer
from generator.schema import is_binary_string, walk_schemas

# Property names the generator must survive: keywords, soft keywords, BaseModel attributes, names
# the generated module imports, names that collide after normalisation, non-ASCII, emoji, empty.
ODD_NAMES = (
    "class", "from", "def", "None", "True", "type", "match", "case", "_", "__x", "_private",
    "a-b", "a_b", "aB", "fooBar", "foo_bar", "FooBar", "a b", "a.b", "1st", "$ref", "x/y", "~", "",
    "model_config", "model_dump", "model_validate", "model_fields", "model_extra", "schema", "json",
    "copy", "dict", "fields", "validate", "construct", "self", "Field", "Annotated", "BaseModel",
    "ConfigDict", "Literal", "Any", "RootModel", "int", "str", "list", "float", "bool", "annotations",
    "héllo", "名前", "🎉", "naïve café",
)  # fmt: skip
TASK_NAMES = (
    "Text Generation",
    "Text-to-Image",
    "Text Classification",
    "Automatic Speech Recognition",
    "Ünïcode ✨ Task",
)
ODD_TEXT = st.lists(
    st.text(st.characters(codec="utf-8"), max_size=4)
    | st.sampled_from(['"""', "\\", "'''", "{{ x }}", "{% if %}", "\n", "\r\n", "\x00", "*/", "# x", "`"]),
    max_size=4,
).map("".join)
_IDENT = st.from_regex(r"[a-z][a-z0-9_]{0,6}", fullmatch=True).filter(lambda s: not s.startswith("variant_"))
PROPERTY_NAMES = _IDENT | st.sampled_from(ODD_NAMES)
# (pattern, instances): ECMA-compatible patterns and strings that match them.
PATTERNS: tuple[tuple[str, st.SearchStrategy[str]], ...] = (
    ("^[a-z]+$", st.from_regex(r"[a-z]{1,6}", fullmatch=True)),
    ("^[0-9]{3}-[0-9]{2}$", st.from_regex(r"[0-9]{3}-[0-9]{2}", fullmatch=True)),
    ("^(alpha|beta)$", st.sampled_from(["alpha", "beta"])),
    ("^\\s*(clef|clef-flash)\\s*$", st.sampled_from(["clef", "clef-flash", " clef "])),
    ("^data:image/", st.just("data:image/png;base64,iVBORw0KGgo=")),
    ("[0-9]", st.from_regex(r"[a-z]{0,3}[0-9][a-z]{0,3}", fullmatch=True)),
    (
        "^[A-Z][a-z]*( [A-Z][a-z]*)*$",
        st.from_regex(r"[A-Z][a-z]{0,4}( [A-Z][a-z]{0,4}){0,2}", fullmatch=True),
    ),
)
JSON_LEAVES = st.none() | st.booleans() | st.integers(-(2**31), 2**31) | st.text(max_size=5)
ANY_JSON = st.recursive(
    JSON_LEAVES,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=6,
)


@dataclass(frozen=True)
class Node:
    schema: dict[str, Any]
    values: st.SearchStrategy[Any]
    category: str  # what kind of JSON value it holds, to keep oneOf branches exclusive


def _describe(draw: st.DrawFn, schema: dict[str, Any]) -> dict[str, Any]:
    if draw(st.integers(0, 3)) == 0:
        schema["description"] = draw(ODD_TEXT)
    return schema


@st.composite
def strings(draw: st.DrawFn) -> Node:
    kind = draw(st.sampled_from(["plain", "bounded", "pattern", "format", "enum"]))
    if kind == "plain":
        return Node({"type": "string"}, st.text(max_size=8), "string")
    if kind == "bounded":
        low = draw(st.integers(0, 3))
        high = low + draw(st.integers(0, 6))
        return Node(
            {"type": "string", "minLength": low, "maxLength": high},
            st.text(min_size=low, max_size=high),
            "string",
        )
    if kind == "pattern":
        pattern, instances = draw(st.sampled_from(PATTERNS))
        return Node({"type": "string", "pattern": pattern}, instances, "string")
    if kind == "format":
        fmt = draw(st.sampled_from(["date-time", "uri", "email", "uuid", "ipv4", "binary", "data-url"]))
        # `format` is an annotation in Draft 2020-12: any string is valid.
        return Node({"type": "string", "format": fmt}, st.text(max_size=8), "string")
    values = draw(
        st.lists(st.text(max_size=6) | st.sampled_from(ODD_NAMES), min_size=1, max_size=6, unique=True)
    )
    schema: dict[str, Any] = {"enum": values}
    if draw(st.booleans()):
        schema = {"type": "string", **schema}
    return Node(schema, st.sampled_from(values), "string")


@st.composite
def integers(draw: st.DrawFn) -> Node:
    step = draw(st.sampled_from([None, None, 2, 3, 7]))
    anchor = draw(st.integers(-1000, 1000)) * (step or 1)
    schema: dict[str, Any] = {"type": "integer"}
    low, high = (
        anchor - draw(st.integers(0, 50)) * (step or 1),
        anchor + draw(st.integers(0, 50)) * (step or 1),
    )
    bounds = draw(st.sampled_from(["none", "closed", "exclusive", "low"]))
    if bounds == "closed":
        schema |= {"minimum": low, "maximum": high}
    elif bounds == "exclusive":
        schema |= {"exclusiveMinimum": low - 1, "exclusiveMaximum": high + 1}
    elif bounds == "low":
        schema |= {"minimum": low}
    if step:
        schema["multipleOf"] = step
    lo = schema.get("minimum", schema.get("exclusiveMinimum", -(10**6)) + 1)
    hi = schema.get("maximum", schema.get("exclusiveMaximum", 10**6) - 1)
    values = st.integers(lo, hi)
    if step:
        values = st.integers(math.ceil(lo / step), math.floor(hi / step)).map(lambda k: k * step)
    return Node(schema, values, "integer")


@st.composite
def numbers(draw: st.DrawFn) -> Node:
    anchor = draw(st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False))
    schema: dict[str, Any] = {"type": "number"}
    bounds = draw(st.sampled_from(["none", "closed", "exclusive", "unit"]))
    lo, hi = -1e9, 1e9
    if bounds == "closed":
        lo, hi = anchor - draw(st.integers(0, 100)), anchor + draw(st.integers(0, 100))
        schema |= {"minimum": lo, "maximum": hi}
    elif bounds == "exclusive":
        lo, hi = anchor - draw(st.integers(1, 100)), anchor + draw(st.integers(1, 100))
        schema |= {"exclusiveMinimum": lo, "exclusiveMaximum": hi}
    elif bounds == "unit":  # the catalog's temperature/top_p style
        lo, hi = 0, draw(st.sampled_from([1, 2, 5]))
        schema |= {"minimum": lo, "maximum": hi}
    exclusive = bounds == "exclusive"
    values = st.floats(lo, hi, exclude_min=exclusive, exclude_max=exclusive, allow_nan=False)
    first, last = math.ceil(lo) + exclusive, math.floor(hi) - exclusive
    if first <= last:  # close bounds may leave no integer in between
        values |= st.integers(first, last).filter(lambda v: lo < v < hi if exclusive else True)
    return Node(schema, values, "number")


@st.composite
def leaves(draw: st.DrawFn) -> Node:
    kind = draw(st.sampled_from(["string", "string", "integer", "number", "boolean", "untyped"]))
    if kind == "string":
        node = draw(strings())
    elif kind == "integer":
        node = draw(integers())
    elif kind == "number":
        node = draw(numbers())
    elif kind == "boolean":
        node = Node({"type": "boolean"}, st.booleans(), "boolean")
    else:
        node = Node({}, ANY_JSON, "any")
    if node.category != "any" and draw(st.integers(0, 3)) == 0:
        node.schema["default"] = draw(node.values)
    _describe(draw, node.schema)
    return node


@st.composite
def objects(draw: st.DrawFn, depth: int, must_have: str | None = None) -> Node:
    names = draw(st.lists(PROPERTY_NAMES, max_size=5, unique=True))
    children = {name: draw(nodes(depth + 1)) for name in names}
    if must_have is not None:
        children[must_have] = draw(leaves())
    required = [n for n in children if n == must_have or draw(st.booleans())]
    schema: dict[str, Any] = {"type": "object", "properties": {n: c.schema for n, c in children.items()}}
    if must_have is None and draw(st.booleans()) and draw(st.booleans()):
        del schema["type"]  # catalog objects sometimes omit `type` (not in a oneOf: arrays would match)
    if required:
        schema["required"] = required
    closed = must_have is not None or draw(st.integers(0, 3)) == 0
    if closed:
        schema["additionalProperties"] = False
    if draw(st.integers(0, 4)) == 0:
        schema["title"] = draw(ODD_TEXT)
    _describe(draw, schema)
    values = st.fixed_dictionaries(
        {n: children[n].values for n in required},
        optional={n: c.values for n, c in children.items() if n not in required},
    )
    return Node(schema, values, "object")


@st.composite
def arrays(draw: st.DrawFn, depth: int) -> Node:
    item = draw(nodes(depth + 1))
    low = draw(st.integers(0, 2))
    high = low + draw(st.integers(0, 3))
    schema: dict[str, Any] = {"type": "array", "items": item.schema}
    if low:
        schema["minItems"] = low
    if draw(st.booleans()):
        schema["maxItems"] = high
    return Node(_describe(draw, schema), st.lists(item.values, min_size=low, max_size=high), "array")


@st.composite
def one_of(draw: st.DrawFn, depth: int) -> Node:
    """Branches of pairwise different JSON kinds, objects told apart by a required closed key."""
    kinds = draw(
        st.lists(st.sampled_from(["string", "boolean", "array", "object", "object"]), min_size=2, max_size=3)
    )
    branches: list[Node] = []
    for i, kind in enumerate(kinds):
        if kind == "object":
            branches.append(draw(objects(depth + 1, must_have=f"variant_{i}")))
        elif kind in {b.category for b in branches}:
            continue
        elif kind == "string":
            branches.append(draw(strings()))
        elif kind == "boolean":
            branches.append(Node({"type": "boolean"}, st.booleans(), "boolean"))
        else:
            branches.append(draw(arrays(depth + 1)))
    schema = {"oneOf": [b.schema for b in branches]}
    return Node(_describe(draw, schema), st.one_of([b.values for b in branches]), "oneOf")


@st.composite
def any_of(draw: st.DrawFn, depth: int) -> Node:
    if draw(st.booleans()):  # nullable, the catalog's way
        inner = draw(nodes(depth + 1))
        return Node({"anyOf": [inner.schema, {"type": "null"}]}, st.none() | inner.values, "nullable")
    branches = draw(st.lists(nodes(depth + 1), min_size=2, max_size=3))
    return Node({"anyOf": [b.schema for b in branches]}, st.one_of([b.values for b in branches]), "anyOf")


def nodes(depth: int = 0) -> st.SearchStrategy[Node]:
    if depth >= 3:
        return leaves()
    return st.one_of(leaves(), leaves(), objects(depth), arrays(depth), one_of(depth), any_of(depth))


# --- whole model files -------------------------------------------------------------------------


@dataclass(frozen=True)
class ModelCase:
    doc: dict[str, Any]
    input_values: st.SearchStrategy[Any] | None  # None: raw-body input only
    output_values: st.SearchStrategy[Any] | None  # None: no JSON output
    invalid_pointer: str | None  # where an invalid piece was planted


BINARY = {"type": "string", "format": "binary"}


@st.composite
def inputs(draw: st.DrawFn) -> tuple[dict[str, Any], st.SearchStrategy[Any] | None]:
    kind = draw(st.sampled_from(["object", "object", "prompt-or-messages", "object-or-binary", "binary"]))
    if kind == "binary":
        return dict(BINARY), None
    if kind == "prompt-or-messages":
        a, b = draw(objects(1, must_have="variant_0")), draw(objects(1, must_have="variant_1"))
        return {"type": "object", "oneOf": [a.schema, b.schema]}, a.values | b.values
    node = draw(objects(0))
    if kind == "object-or-binary":
        return {"oneOf": [node.schema, dict(BINARY)]}, node.values
    return node.schema, node.values


def _only_binary(schema: dict[str, Any]) -> bool:
    """A binary string, or a oneOf/anyOf whose every branch is one."""
    branches = schema.get("oneOf") or schema.get("anyOf")
    if isinstance(branches, list) and branches:
        return all(is_binary_string(b) for b in branches)
    return is_binary_string(schema)


@st.composite
def outputs(draw: st.DrawFn) -> tuple[dict[str, Any], st.SearchStrategy[Any] | None]:
    kind = draw(st.sampled_from(["json", "json", "json-or-stream", "binary", "any-node"]))
    if kind == "binary":
        content_type = draw(
            st.sampled_from(["image/png", "image/jpeg", "audio/mpeg", "application/octet-stream"])
        )
        return {**BINARY, "contentType": content_type}, None
    node = draw(nodes(1)) if kind == "any-node" else draw(objects(1))
    schema = dict(node.schema)
    if _only_binary(schema):  # a binary string answer is raw bytes (the catalog's reading): no JSON type
        return schema, None
    if kind != "any-node" and draw(st.booleans()):
        schema["contentType"] = "application/json"
    if kind == "json-or-stream":
        stream = {**BINARY, "contentType": "text/event-stream"}
        return {"oneOf": [{**schema, "contentType": "application/json"}, stream]}, node.values
    return schema, node.values


# An invalid piece, and the key under the planted node that a diagnostic must point at (or below).
INVALID_PIECES: tuple[tuple[dict[str, Any], str], ...] = (
    ({"type": "strin"}, "type"),
    ({"minLength": -1}, "minLength"),
    ({"pattern": "(["}, "pattern"),
    ({"$ref": "https://example.com/schema.json"}, "$ref"),
    ({"required": "prompt"}, "required"),
    ({"properties": []}, "properties"),
    ({"properties": {"x": 5}}, "properties"),
    ({"maximum": float("nan")}, "maximum"),
    ({"items": "string"}, "items"),
    ({"oneOf": []}, "oneOf"),
)


def _plant(draw: st.DrawFn, doc: dict[str, Any]) -> str:
    part = draw(st.sampled_from(["input", "output"]))
    schema = doc["schema"][part]
    places = list(walk_schemas(schema))
    node, where = places[draw(st.integers(0, len(places) - 1))]
    piece, key = draw(st.sampled_from(INVALID_PIECES))
    node.update(copy.deepcopy(piece))
    return json_pointer(("schema", part, *where, key))


@st.composite
def model_files(
    draw: st.DrawFn, invalid: bool = True, name: str | None = None, task: str | None = None
) -> ModelCase:
    schema_in, input_values = draw(inputs())
    schema_out, output_values = draw(outputs())
    doc: dict[str, Any] = {
        "id": draw(st.uuids()).hex,
        "name": name or "@cf/fuzz/" + draw(st.from_regex(r"[a-z][a-z0-9.-]{0,10}", fullmatch=True)),
        "description": draw(ODD_TEXT),
        "task": {"name": task or draw(st.sampled_from(TASK_NAMES)), "description": draw(ODD_TEXT)},
        "schema": {"input": schema_in, "output": schema_out},
    }
    pointer = None
    if invalid and draw(st.integers(0, 5)) == 5:  # not 0: hypothesis favours small draws
        file_level = draw(st.integers(0, 4))
        if file_level == 0:
            del doc["schema"]["output"]
            pointer = "/schema/output"
        elif file_level == 1:
            doc["task"]["name"] = draw(st.sampled_from(["", "   ", 7, None]))
            pointer = "/task/name"
        else:
            pointer = _plant(draw, doc)
    return ModelCase(doc, input_values, output_values, pointer)
