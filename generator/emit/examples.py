"""A small valid example instance of a schema, for docs and per-model tests.

Written by hand: hypothesis-jsonschema draws random instances (good for fuzzing, used there), but
docs need one short, readable, deterministic value, and it must be valid: every candidate is
checked with jsonschema before it is returned.
"""

from __future__ import annotations

import copy
import importlib
import math
import re
from typing import Any

from generator.runtime._validation import SchemaValidator

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
    validator = _validator({k: v for k, v in schema.items() if k in ("pattern", "minLength", "maxLength")})
    pattern = schema.get("pattern") if isinstance(schema.get("pattern"), str) else None
    literal = _literal_from_pattern(pattern) if pattern else None
    for candidate in (literal, *_STRING_CANDIDATES) if literal else _STRING_CANDIDATES:
        text = candidate if len(candidate) >= min_len else candidate + "x" * (min_len - len(candidate))
        if max_len is not None:
            text = text[: int(max_len)]
        if validator.accepts(text):
            return text
    # Then the shortest strings the pattern itself spells out (as short as allowed, or grown to minLength).
    for text in _regex_instances(pattern, min_len) if pattern else ():
        if validator.accepts(text):
            return text
    raise NoExample("no example string matches the pattern")


def _number(schema: dict[str, Any], integer: bool) -> int | float:
    validator = _validator(
        {
            k: v
            for k, v in schema.items()
            if k in ("type", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")
        }
    )
    for value in _number_candidates(schema):
        if integer and value != int(value):
            continue
        result = int(value) if integer else value
        if validator.accepts(result):
            return result
    raise NoExample("no number satisfies the bounds")


def _number_candidates(schema: dict[str, Any]) -> list[float]:
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
    # The first candidate above is the readable one; the rest cover what it misses (a narrow or
    # exclusive range, a step that does not fit the bounds).
    found: list[float] = [value, 1, 0]
    lows = _numbers(schema, "minimum", "exclusiveMinimum")
    highs = _numbers(schema, "maximum", "exclusiveMaximum")
    found += lows + highs + [b + 1 for b in lows] + [b - 1 for b in highs]
    if lows and highs:
        found.append((max(lows) + min(highs)) / 2)
    steps = _numbers(schema, "multipleOf")
    if steps and steps[0] > 0:
        found += [f(b / steps[0]) * steps[0] for b in list(found) for f in (math.ceil, math.floor)]
    return found


def _numbers(schema: dict[str, Any], *keys: str) -> list[float]:
    """The finite numeric values of `keys` in `schema`."""
    values = [schema.get(key) for key in keys]
    return [v for v in values if isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)]


# --- shortest instances of a regular expression (Python's `re` reads JSON Schema patterns) ---------

_CHAR_POOL = "aA0 _-.x"


def _category_matches(category: Any, char: str) -> bool:
    name = str(category)
    tests = {
        "CATEGORY_DIGIT": char.isdigit(),
        "CATEGORY_WORD": char.isalnum() or char == "_",
        "CATEGORY_SPACE": char.isspace(),
    }
    for key, result in tests.items():
        if name == key:
            return result
        if name == key.replace("CATEGORY_", "CATEGORY_NOT_"):
            return not result
    return False


def _in_class(items: list[tuple[Any, Any]], char: str) -> bool:
    negate = False
    hit = False
    for op, arg in items:
        name = str(op)
        if name == "NEGATE":
            negate = True
        elif name == "LITERAL":
            hit = hit or ord(char) == arg
        elif name == "RANGE":
            hit = hit or arg[0] <= ord(char) <= arg[1]
        elif name == "CATEGORY":
            hit = hit or _category_matches(arg, char)
    return hit != negate


def _class_char(items: list[tuple[Any, Any]]) -> str | None:
    pool = [chr(arg) for op, arg in items if str(op) == "LITERAL"]
    pool += [chr(arg[0]) for op, arg in items if str(op) == "RANGE"]
    return next((c for c in [*pool, *_CHAR_POOL] if _in_class(items, c)), None)


def _spell(items: Any, grow: int) -> str | None:
    """A string the parsed pattern matches: each repeat taken at least `grow` times when it may."""
    out: list[str] = []
    for op, arg in items:
        name = str(op)
        if name == "LITERAL":
            out.append(chr(arg))
        elif name == "NOT_LITERAL":
            out.append("a" if chr(arg) != "a" else "b")
        elif name == "ANY":
            out.append("a")
        elif name == "IN":
            char = _class_char(arg)
            if char is None:
                return None
            out.append(char)
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, high, sub = arg
            part = _spell(sub, grow)
            if part is None:
                return None
            out.append(part * min(max(low, grow), high))
        elif name in ("SUBPATTERN", "ATOMIC_GROUP"):
            part = _spell(arg[-1], grow)
            if part is None:
                return None
            out.append(part)
        elif name == "BRANCH":
            part = next((p for p in (_spell(b, grow) for b in arg[1]) if p is not None), None)
            if part is None:
                return None
            out.append(part)
        elif name not in ("AT", "ASSERT", "ASSERT_NOT"):
            return None  # back-references, conditionals: give up, the caller validates anyway
    return "".join(out)


def _regex_instances(pattern: str, min_len: int) -> list[str]:
    parser: Any = importlib.import_module("re._parser")
    try:
        tree = parser.parse(pattern)
    except (re.error, RecursionError, OverflowError):
        return []
    found = [_spell(tree, grow) for grow in (0, 1, max(min_len, 1))]
    return [text for text in dict.fromkeys(found) if text is not None]


def _options(schema: Any, depth: int, full: bool) -> list[Any]:
    """Candidates of a part that may have none (a union branch, a property): [] instead of raising."""
    try:
        return _candidates(schema, depth, full)
    except NoExample:
        return []


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
                    _options({**base, **branch} if isinstance(branch, dict) else branch, depth + 1, full)
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
                options = _options(props.get(name, {}), depth + 1, full)
                if options:
                    obj[name] = options[0]
            if any(name not in obj for name in required):
                continue  # a required property without an example: no instance of this shape
            extra = schema.get("additionalProperties")
            extra_options = _candidates(extra, depth + 1, full) if isinstance(extra, dict) else [None]
            while len(obj) < int(schema.get("minProperties", 0)) and extra_options:
                obj[f"key{len(obj) + 1}"] = copy.deepcopy(extra_options[0])
            out.append(obj)
    return out


def _validator(schema: Any) -> SchemaValidator:
    """The client's own validator: an example is valid exactly when the client would send it."""
    return SchemaValidator(schema)


def example_for(schema: dict[str, Any], *, full: bool = False) -> Any:
    """A valid instance of `schema`; NoExample when none of the candidates validates.

    `full` fills every property (for example outputs); otherwise only required ones (inputs).
    """
    validator = _validator(schema)
    for candidate in _candidates(schema, 0, full):
        if validator.accepts(candidate):
            return candidate
    raise NoExample("no candidate instance validates")
