"""A small valid example instance of a schema, for docs and per-model tests.

Written by hand: hypothesis-jsonschema draws random instances (good for fuzzing, used there), but
docs need one short, readable, deterministic value, and it must be valid: every candidate is
checked with jsonschema before it is returned.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from jsonschema.validators import Draft202012Validator

_STRING_CANDIDATES = ("Hello, world!", "data:image/png;base64,iVBORw0KGgo=", "16000", "en", "a")
_ANCHORS = re.compile(r"^\^?(?:\\s\*)?|(?:\\s\*)?\$?$")


def _literal_from_pattern(pattern: str) -> str | None:
    """'^\\s*(clef|clef-flash)\\s*$' -> 'clef': the first literal a simple pattern allows."""
    core = _ANCHORS.sub("", pattern)
    if core.startswith("(") and core.endswith(")"):
        core = core[1:-1].split("|")[0]
    if re.fullmatch(r"[A-Za-z0-9_:/.-]+", core):
        return core
    if core.startswith("data:") or core.lower().startswith("[dd][aa][tt][aa]:"):
        return "data:" + core.split(":", 1)[1].split("/")[0] + "/png;base64,iVBORw0KGgo="
    return None


class NoExample(Exception):
    pass


def _string(schema: dict[str, Any]) -> str:
    min_len = int(schema.get("minLength", 0))
    max_len = schema.get("maxLength")
    validator = Draft202012Validator(
        {k: v for k, v in schema.items() if k in ("pattern", "minLength", "maxLength")}
    )
    literal = _literal_from_pattern(schema["pattern"]) if isinstance(schema.get("pattern"), str) else None
    for candidate in (literal, *_STRING_CANDIDATES) if literal else _STRING_CANDIDATES:
        text = candidate if len(candidate) >= min_len else candidate + "x" * (min_len - len(candidate))
        if max_len is not None:
            text = text[: int(max_len)]
        if validator.is_valid(text):
            return text
    raise NoExample("no example string matches the pattern")


def _number(schema: dict[str, Any], integer: bool) -> int | float:
    low = schema.get("minimum", schema.get("exclusiveMinimum"))
    high = schema.get("maximum", schema.get("exclusiveMaximum"))
    value: float = 1 if low is None or low <= 1 <= (high if high is not None else 1) else low
    if "exclusiveMinimum" in schema and value <= schema["exclusiveMinimum"]:
        value = schema["exclusiveMinimum"] + 1
    if high is not None and value > high:
        value = high
    if "exclusiveMaximum" in schema and value >= schema["exclusiveMaximum"]:
        value = schema["exclusiveMaximum"] - 1
    step = schema.get("multipleOf")
    if step:
        value = (value // step + (1 if value % step else 0)) * step
    return int(value) if integer else value


def _candidates(schema: Any, depth: int, full: bool) -> list[Any]:
    if depth > 40 or not isinstance(schema, dict):
        return [None] if schema is not False else []
    if "const" in schema:
        return [schema["const"]]
    if isinstance(schema.get("enum"), list) and schema["enum"]:
        return list(schema["enum"][:1])
    out: list[Any] = []
    if "default" in schema:
        out.append(copy.deepcopy(schema["default"]))
    for key in ("oneOf", "anyOf"):
        if isinstance(schema.get(key), list):
            base = {k: v for k, v in schema.items() if k not in (key, "default")}
            for branch in schema[key]:
                if isinstance(branch, dict) and branch.get("format") == "binary":
                    continue
                out.extend(
                    _candidates({**base, **branch} if isinstance(branch, dict) else branch, depth + 1, full)
                )
            return out
    types = schema.get("type", "object" if "properties" in schema else None)
    if isinstance(types, list):
        types = next((t for t in types if t != "null"), "null")
    if types == "string":
        out.append(_string(schema))
    elif types in ("number", "integer"):
        out.append(_number(schema, types == "integer"))
    elif types == "boolean":
        out.append(False)
    elif types == "null":
        out.append(None)
    elif types == "array":
        count = max(int(schema.get("minItems", 0)), 1)
        if "maxItems" in schema:
            count = min(count, int(schema["maxItems"]))
        items = _candidates(schema.get("items", {}), depth + 1, full)
        out.append([copy.deepcopy(items[0]) for _ in range(count)] if items else [])
    elif types == "object" or types is None:
        found = schema.get("properties")
        props: dict[str, Any] = found if isinstance(found, dict) else {}
        listed = schema.get("required")
        required = [n for n in listed if isinstance(n, str)] if isinstance(listed, list) else []
        # Fuller first (reads better in docs, and tells overlapping oneOf branches apart), then
        # the required properties alone.
        for names in (list(dict.fromkeys([*required, *props])), required) if full else (required,):
            obj: dict[str, Any] = {}
            for name in names:
                options = _candidates(props.get(name, {}), depth + 1, full)
                if options:
                    obj[name] = options[0]
            extra = schema.get("additionalProperties")
            extra_options = _candidates(extra, depth + 1, full) if isinstance(extra, dict) else [None]
            while len(obj) < int(schema.get("minProperties", 0)) and extra_options:
                obj[f"key{len(obj) + 1}"] = copy.deepcopy(extra_options[0])
            out.append(obj)
    return out


def example_for(schema: dict[str, Any], *, full: bool = False) -> Any:
    """A valid instance of `schema`; NoExample when none of the candidates validates.

    `full` fills every property (for example outputs); otherwise only required ones (inputs).
    """
    validator = Draft202012Validator(schema)
    for candidate in _candidates(schema, 0, full):
        if validator.is_valid(candidate):
            return candidate
    raise NoExample("no candidate instance validates")
