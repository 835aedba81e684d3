"""Check one input or output schema against the JSON Schema meta-schema, and repair known defects.

Catalog defects with exactly one sensible reading are repaired with a warning (never silently);
everything else the meta-schema or our own rules reject is an error. Each diagnostic names the
JSON pointer inside the model file.

Repairs (documented in the README, section "Defective schemas"):
- `properties.required` holding a list of names that are all properties of that object: it is the
  object's misplaced `required` list (flux-2-dev); it is moved there.
- `enum` without `type` whose values all share one JSON type: that type is added (llama-guard-3-8b).
- a `oneOf` object branch with no `required`, one property of its own and no `additionalProperties: false`,
  beside branches that all require keys: it matches every input of the other branches, so `oneOf` would
  reject them all; its property is read as required (the "Async Batch" branch of llama-3.3-70b, `requests`).
"""

from __future__ import annotations

import copy
import re
from typing import Any
from urllib.parse import unquote

import jsonschema_rs
from jsonschema.validators import Draft202012Validator

from generator.diagnostics import Diagnostic, Severity, json_pointer
from generator.load._fast_meta import meta_schema_accepts
from generator.schema import MISSING, follow, json_type, pointer_tokens, unescape_token, walk_schemas

_META_VALIDATOR = Draft202012Validator(Draft202012Validator.META_SCHEMA)


def _catch_all_branch(branches: list[Any]) -> tuple[int, str] | None:
    """The one `oneOf` branch (index, property) that accepts every input of its siblings, if any."""
    if len(branches) < 2 or not all(isinstance(b, dict) for b in branches):
        return None
    loose = [
        i
        for i, b in enumerate(branches)
        if not b.get("required")
        and b.get("additionalProperties", True) is not False
        and isinstance(b.get("properties"), dict)
        and len(b["properties"]) == 1
    ]
    if len(loose) != 1:
        return None
    (index,) = loose
    (name,) = branches[index]["properties"]
    others = [b for i, b in enumerate(branches) if i != index]
    if all(b.get("required") and name not in b.get("properties", {}) for b in others):
        return index, name
    return None


def _repair(schema: dict[str, Any], file: str, base: tuple[str, ...]) -> list[Diagnostic]:
    diagnostics: list[Diagnostic] = []
    for node, where in list(walk_schemas(schema)):
        branches = node.get("oneOf")
        if isinstance(branches, list) and (catch_all := _catch_all_branch(branches)) is not None:
            index, name = catch_all
            branches[index]["required"] = [name]
            diagnostics.append(
                Diagnostic(
                    file,
                    json_pointer((*base, *where, "oneOf", index)),
                    f"'oneOf' branch without 'required' matches every input of the other branches (so "
                    f"'oneOf' rejects them all); its only property {name!r} read as required",
                    Severity.WARNING,
                )
            )
        props = node.get("properties")
        if isinstance(props, dict) and isinstance(props.get("required"), list):
            names = props["required"]
            pointer = json_pointer((*base, *where, "properties", "required"))
            if names and all(isinstance(n, str) and n in props and n != "required" for n in names):
                del props["required"]
                merged = list(node.get("required", []))
                merged += [n for n in names if n not in merged]
                node["required"] = merged
                diagnostics.append(
                    Diagnostic(
                        file,
                        pointer,
                        f"'required' list placed inside 'properties'; read as the object's required {names}",
                        Severity.WARNING,
                    )
                )
        if "enum" in node and "type" not in node and isinstance(node["enum"], list) and node["enum"]:
            types = {json_type(v) for v in node["enum"]}
            if types <= {"integer", "number"} and len(types) == 2:
                types = {"number"}
            pointer = json_pointer((*base, *where, "enum"))
            if len(types) == 1:
                (only,) = types
                node["type"] = only
                diagnostics.append(
                    Diagnostic(
                        file,
                        pointer,
                        f"'enum' without 'type'; type {only!r} inferred from its values",
                        Severity.WARNING,
                    )
                )
            else:
                diagnostics.append(
                    Diagnostic(
                        file,
                        pointer,
                        f"'enum' mixes types {sorted(types)}; kept as a union",
                        Severity.WARNING,
                    )
                )
    return diagnostics


def _target(schema: dict[str, Any], ref: str) -> Any:
    """The part of `schema` a local `$ref` ('#', '#/$defs/X') names, or MISSING (anchors are not
    supported)."""
    if ref == "#":
        return schema
    if not ref.startswith("#/"):
        return MISSING
    # A URI fragment: percent-decoded first, then read as a JSON pointer.
    return follow(schema, (unescape_token(unquote(t)) for t in ref[2:].split("/")))


def _resolves(schema: dict[str, Any], ref: str) -> bool:
    return _target(schema, ref) is not MISSING


def _ref_cycle(schema: dict[str, Any], ref: str) -> list[str] | None:
    """The refs of a `$ref` chain that comes back to itself without ever reaching a schema of its own
    (A -> B -> A): every validator and generator would recurse forever on it."""
    chain: list[str] = []
    current: Any = ref
    while isinstance(current, str) and current.startswith("#"):
        if current in chain:
            return [*chain[chain.index(current) :], current]
        chain.append(current)
        node = _target(schema, current)
        current = node.get("$ref") if isinstance(node, dict) else None
    return None


def _own_rules(schema: dict[str, Any], file: str, base: tuple[str, ...]) -> list[Diagnostic]:
    diagnostics: list[Diagnostic] = []
    for node, where in walk_schemas(schema):
        ref = node.get("$ref")
        if isinstance(ref, str) and not ref.startswith("#"):
            diagnostics.append(
                Diagnostic(
                    file,
                    json_pointer((*base, *where, "$ref")),
                    f"remote $ref {ref!r} is not supported (no network)",
                )
            )
        elif isinstance(ref, str) and not _resolves(schema, ref):
            diagnostics.append(
                Diagnostic(
                    file,
                    json_pointer((*base, *where, "$ref")),
                    f"$ref {ref!r} points at nothing in this schema",
                )
            )
        elif isinstance(ref, str) and (cycle := _ref_cycle(schema, ref)):
            diagnostics.append(
                Diagnostic(file, json_pointer((*base, *where, "$ref")), f"$ref cycle: {' -> '.join(cycle)}")
            )
        if node.get("enum") == []:
            # Valid JSON Schema: the type falls back to the nearest safe one, validation rejects every value.
            message = "empty 'enum': no value can ever be valid (input validation rejects every value)"
            diagnostics.append(
                Diagnostic(file, json_pointer((*base, *where, "enum")), message, Severity.WARNING)
            )
        pattern = node.get("pattern")
        if isinstance(pattern, str):
            diagnostics += _pattern_diagnostics(file, json_pointer((*base, *where, "pattern")), pattern)
        for key in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
            value = node.get(key)
            if isinstance(value, float) and value != value:  # NaN bounds make every comparison false
                diagnostics.append(Diagnostic(file, json_pointer((*base, *where, key)), "bound is NaN"))
    return diagnostics


def check_schema(schema: Any, file: str, base_pointer: str) -> tuple[dict[str, Any] | None, list[Diagnostic]]:
    """Return the (repaired copy of the) schema, or None when it has errors, plus diagnostics."""
    base = pointer_tokens(base_pointer)
    if not isinstance(schema, dict):
        kind = json_type(schema)
        return None, [Diagnostic(file, base_pointer, f"a schema must be a JSON object, not {kind}")]
    repaired = copy.deepcopy(schema)
    diagnostics = _repair(repaired, file, base)
    # Fast path (fastjsonschema, ~30x faster on the catalog); jsonschema decides and names the errors.
    meta_errors = (
        []
        if meta_schema_accepts(repaired)
        else sorted(_META_VALIDATOR.iter_errors(repaired), key=lambda e: list(map(str, e.absolute_path)))
    )
    for err in meta_errors:
        diagnostics.append(
            Diagnostic(
                file, json_pointer((*base, *err.absolute_path)), f"not valid JSON Schema: {err.message}"
            )
        )
    diagnostics.extend(_own_rules(repaired, file, base))
    if any(d.severity is Severity.ERROR for d in diagnostics):
        return None, diagnostics
    return repaired, diagnostics


def _pattern_diagnostics(file: str, pointer: str, pattern: str) -> list[Diagnostic]:
    """A `pattern` is an ECMA-262 regular expression: an error only when the client's validator
    (jsonschema-rs) cannot compile it either; Python-only gaps (`\\p{L}`) are a warning."""
    try:
        re.compile(pattern)
        return []
    except re.error as exc:
        python_error = str(exc)
    try:
        jsonschema_rs.Draft202012Validator({"pattern": pattern})
    except Exception:
        return [Diagnostic(file, pointer, f"invalid regular expression: {python_error}")]
    message = f"regular expression Python's re cannot compile ({python_error}); the validator checks it"
    return [Diagnostic(file, pointer, message, Severity.WARNING)]
