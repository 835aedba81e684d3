"""Table-driven: one schema change per row, with the level and pointer the classifier must report."""

from __future__ import annotations

from typing import Any

import pytest

from generator.schemadiff import Level, classify_schema
from tests.support.model_files import obj

B, OK, INFO = Level.BREAKING, Level.OK, Level.INFO
S: dict[str, Any] = {"type": "string"}


# (id, direction, old, new, expected [(level, pointer under /schema/<direction>)])
CASES: list[tuple[str, str, Any, Any, list[tuple[Level, str]]]] = [
    (
        "new required input field",
        "input",
        obj({"a": S}),
        obj({"a": S, "b": S}, ["b"]),
        [(B, "/properties/b")],
    ),
    ("new optional input field", "input", obj({"a": S}), obj({"a": S, "b": S}), [(OK, "/properties/b")]),
    ("removed input property", "input", obj({"a": S, "b": S}), obj({"a": S}), [(B, "/properties/b")]),
    ("input field became required", "input", obj({"a": S}), obj({"a": S}, ["a"]), [(B, "/properties/a")]),
    ("input field became optional", "input", obj({"a": S}, ["a"]), obj({"a": S}), [(OK, "/properties/a")]),
    ("input type narrowed", "input", {"type": ["string", "integer"]}, S, [(B, "/type")]),
    ("input type widened", "input", S, {"type": ["string", "integer"]}, [(OK, "/type")]),
    ("input integer -> number is wider", "input", {"type": "integer"}, {"type": "number"}, [(OK, "/type")]),
    ("input number -> integer is narrower", "input", {"type": "number"}, {"type": "integer"}, [(B, "/type")]),
    ("input type changed", "input", S, {"type": "boolean"}, [(B, "/type")]),
    ("input enum value removed", "input", {"enum": ["a", "b"]}, {"enum": ["a"]}, [(B, "/enum")]),
    ("input enum value added", "input", {"enum": ["a"]}, {"enum": ["a", "b"]}, [(OK, "/enum")]),
    ("input enum introduced", "input", S, {"type": "string", "enum": ["a"]}, [(B, "/enum")]),
    ("input minLength added", "input", S, {"type": "string", "minLength": 1}, [(B, "/minLength")]),
    ("input maxLength lowered", "input", {"maxLength": 10}, {"maxLength": 5}, [(B, "/maxLength")]),
    ("input maxLength raised", "input", {"maxLength": 5}, {"maxLength": 10}, [(OK, "/maxLength")]),
    (
        "input maximum removed",
        "input",
        {"type": "integer", "maximum": 20},
        {"type": "integer"},
        [(OK, "/maximum")],
    ),
    ("input minimum raised", "input", {"minimum": 0}, {"minimum": 1}, [(B, "/minimum")]),
    (
        "input maxItems lowered",
        "input",
        {"type": "array", "maxItems": 100},
        {"type": "array", "maxItems": 10},
        [(B, "/maxItems")],
    ),
    (
        "input minItems lowered",
        "input",
        {"type": "array", "minItems": 2},
        {"type": "array", "minItems": 1},
        [(OK, "/minItems")],
    ),
    ("input pattern added", "input", S, {"type": "string", "pattern": "^a"}, [(B, "/pattern")]),
    ("input pattern changed", "input", {"pattern": "^a"}, {"pattern": "^b"}, [(B, "/pattern")]),
    (
        "input additionalProperties closed",
        "input",
        obj({"a": S}),
        obj({"a": S}, additionalProperties=False),
        [(B, "/additionalProperties")],
    ),
    (
        "input additionalProperties opened",
        "input",
        obj({"a": S}, additionalProperties=False),
        obj({"a": S}),
        [(OK, "/additionalProperties")],
    ),
    ("input nullable removed", "input", {"anyOf": [S, {"type": "null"}]}, S, [(B, "")]),
    ("input nullable added", "input", S, {"type": ["string", "null"]}, [(OK, "")]),
    (
        "input nested item narrowed",
        "input",
        {"type": "array", "items": S},
        {"type": "array", "items": {"type": "string", "maxLength": 3}},
        [(B, "/items/maxLength")],
    ),
    ("removed output field", "output", obj({"a": S, "b": S}), obj({"a": S}), [(B, "/properties/b")]),
    ("new output field", "output", obj({"a": S}), obj({"a": S, "b": S}), [(OK, "/properties/b")]),
    ("output field made optional", "output", obj({"a": S}, ["a"]), obj({"a": S}), [(B, "/properties/a")]),
    ("output field made required", "output", obj({"a": S}), obj({"a": S}, ["a"]), [(OK, "/properties/a")]),
    (
        "output made nullable",
        "output",
        obj({"a": S}),
        obj({"a": {"anyOf": [S, {"type": "null"}]}}),
        [(B, "/properties/a")],
    ),
    (
        "output type changed",
        "output",
        obj({"a": S}),
        obj({"a": {"type": "number"}}),
        [(B, "/properties/a/type")],
    ),
    ("output type widened", "output", S, {"type": ["string", "number"]}, [(B, "/type")]),
    ("output type narrowed", "output", {"type": ["string", "number"]}, S, [(OK, "/type")]),
    ("output enum value added", "output", {"enum": ["a"]}, {"enum": ["a", "b"]}, [(B, "/enum")]),
    ("output enum value removed", "output", {"enum": ["a", "b"]}, {"enum": ["a"]}, [(OK, "/enum")]),
    (
        "output bound loosened",
        "output",
        {"type": "number", "maximum": 1},
        {"type": "number"},
        [(B, "/maximum")],
    ),
    (
        "changed content type",
        "output",
        {"type": "string", "contentType": "image/png"},
        {"type": "string", "contentType": "image/jpeg"},
        [(B, "/contentType")],
    ),
    (
        "output variant added (by title)",
        "output",
        {"oneOf": [{"title": "A", **obj({"x": S})}]},
        {"oneOf": [{"title": "B", **obj({"y": S})}, {"title": "A", **obj({"x": S})}]},
        [(B, "/oneOf/0")],
    ),
    (
        "input variant removed (by title)",
        "input",
        {"oneOf": [{"title": "A", **obj({"x": S})}, {"title": "B", **obj({"y": S})}]},
        {"oneOf": [{"title": "B", **obj({"y": S})}]},
        [(B, "/oneOf/0")],
    ),
    (
        "branches matched by title, not position",
        "input",
        {"oneOf": [{"title": "A", **obj({"x": S})}, {"title": "B", **obj({"y": S})}]},
        {"oneOf": [{"title": "B", **obj({"y": S})}, {"title": "A", **obj({"x": S, "z": S})}]},
        [(OK, "/oneOf/1/properties/z")],
    ),
    (
        "branches matched by index",
        "input",
        {"anyOf": [obj({"x": S}), obj({"y": S})]},
        {"anyOf": [obj({"x": S}), obj({"y": S}, ["y"])]},
        [(B, "/anyOf/1/properties/y")],
    ),
    (
        "input became one variant of a union",
        "input",
        obj({"x": S}, ["x"]),
        {"type": "object", "oneOf": [obj({"x": S}, ["x"]), obj({"batch": {"type": "array"}}, ["batch"])]},
        [(OK, "/oneOf")],
    ),
    (
        "output became one variant of a union",
        "output",
        obj({"x": S}),
        {"oneOf": [obj({"x": S}), obj({"request_id": S})]},
        [(B, "/oneOf")],
    ),
    (
        "description-only change is info",
        "input",
        {"type": "string", "description": "a"},
        {"type": "string", "description": "b"},
        [(INFO, "/description")],
    ),
    (
        "default change is info",
        "input",
        {"type": "integer", "default": 1},
        {"type": "integer", "default": 2},
        [(INFO, "/default")],
    ),
    (
        "adding type object to a properties-only schema changes nothing",
        "input",
        {"properties": {"a": S}},
        obj({"a": S}),
        [],
    ),
    ("identical", "output", obj({"a": S}, ["a"]), obj({"a": S}, ["a"]), []),
]


@pytest.mark.parametrize(
    ("direction", "old", "new", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_classifier(direction: str, old: Any, new: Any, expected: list[tuple[Level, str]]) -> None:
    changes = classify_schema("@cf/test/model", direction, old, new)  # type: ignore[arg-type]
    got = sorted((c.level, c.pointer) for c in changes)
    want = sorted((level, f"/schema/{direction}{pointer}") for level, pointer in expected)
    assert got == want, [str(c) for c in changes]


def test_table_is_big_enough() -> None:
    assert len(CASES) >= 25
