"""The compiled meta-schema fast path never accepts what jsonschema (the authority) rejects."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from jsonschema.validators import Draft202012Validator

from generator.load._fast_meta import meta_schema_accepts

REPO = Path(__file__).resolve().parents[2]
META = Draft202012Validator(Draft202012Validator.META_SCHEMA)
SLOW_EXAMPLES = int(os.environ.get("WORKERS_AI_FUZZ_EXAMPLES", "5000"))
KEYWORDS = [
    "type", "properties", "items", "prefixItems", "enum", "const", "minimum", "maximum", "exclusiveMinimum",
    "maxLength", "minLength", "pattern", "format", "required", "oneOf", "anyOf", "allOf", "not", "$ref",
    "additionalProperties", "patternProperties", "minItems", "uniqueItems", "$defs", "dependentRequired",
    "if", "then", "else", "contains", "propertyNames", "unevaluatedProperties", "title", "description",
    "default", "multipleOf", "contentType", "$anchor", "$dynamicRef", "$id", "$schema", "deprecated",
]  # fmt: skip
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 3), st.floats(-2, 2, allow_nan=False), st.sampled_from(
        ["string", "object", "array", "integer", "number", "boolean", "null", "strin", "#", "#/$defs/a", "x", ""]
    )
)  # fmt: skip


def schema_like() -> st.SearchStrategy[Any]:
    return st.recursive(
        scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=3),
            st.dictionaries(st.sampled_from(KEYWORDS), inner, max_size=4),
            st.dictionaries(st.sampled_from(["a", "b", "text"]), inner, max_size=3),
        ),
        max_leaves=12,
    )


def _check_sound(schema: Any) -> None:
    if meta_schema_accepts(schema):
        assert META.is_valid(schema), json.dumps(schema)


@settings(max_examples=300, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
@given(schema_like())
def test_fast_path_is_sound(schema: Any) -> None:
    _check_sound(schema)


@pytest.mark.slow
@settings(max_examples=SLOW_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(schema_like())
def test_fast_path_is_sound_long(schema: Any) -> None:
    _check_sound(schema)


def test_fast_path_accepts_every_catalog_schema() -> None:
    for path in sorted((REPO / "schemas").glob("[!_]*.json")):
        doc = json.loads(path.read_text())
        for part in ("input", "output"):
            schema = (doc.get("schema") or {}).get(part)
            if isinstance(schema, dict) and META.is_valid(schema):
                assert meta_schema_accepts(schema), f"{path.name} {part}"
