"""Prepare a schema for datamodel-code-generator.

- Every object schema (and every object branch of a oneOf/anyOf) gets a `title` that is its class
  name, made by `generator.naming` from the parent's name: datamodel-code-generator then names
  classes after titles instead of inventing `Item1`/`Model2` counters.
- `contentType` (not JSON Schema; carried in the IR) is removed.
- Descriptions (docstrings in the generated code) lose control characters and become one line.
- A boolean `additionalProperties` is removed: every generated class keeps unknown keys (the shared
  base class says so once); inputs are checked against the untouched schema before sending, and
  `strict=True` checks outputs the same way.
- A top-level `format: binary` branch of an input is dropped from the typed model: raw bytes
  are sent by the client as the request body and never pass through pydantic.
- `format` is dropped everywhere: in Draft 2020-12 it is an annotation, so any string is valid
  (the client's JSON Schema validator does not assert it either), while datamodel-code-generator
  would turn `date-time`/`email`/`uuid`/... into types that reject such strings (`EmailStr` even
  needs a package we do not ship). `format: binary` strings inside JSON travel as base64 text.
- In outputs, `enum` is removed so a value the catalog does not list yet still parses; the
  strict mode of the client checks enums against the untouched schema.
"""

from __future__ import annotations

import copy
from typing import Any

from generator import naming
from generator.emit.satisfiable import typeable
from generator.schema import canonical_json, clean_text, is_binary_string, walk_schemas

_OBJECT_MARKERS = ("properties",)


def _is_object(schema: Any) -> bool:
    return isinstance(schema, dict) and any(k in schema for k in _OBJECT_MARKERS)


def _assign_titles(schema: dict[str, Any], root_name: str) -> None:
    """Title every class-making subschema with a name derived from its parent's name.

    An object schema that appears again, identical, elsewhere in the same schema (the catalog's
    chat models repeat every option object under their Prompt, Messages and batch variants) becomes
    one class: it moves to `$defs` under the name of its first occurrence and every occurrence
    refers to it. Fewer classes, less memory per imported model, one type for one shape.
    """
    used: set[str] = set()
    first_seen: dict[str, tuple[dict[str, Any], str]] = {}  # content -> (first node, its class name)
    repeats: list[tuple[dict[str, Any], str]] = []

    def claim(node: dict[str, Any], name: str) -> str:
        if name in used:  # two property names that normalise alike ('a_b' and 'aB')
            name = naming.join_class(name, naming.short_hash(node))
        used.add(name)
        node["title"] = name
        return name

    stack: list[tuple[Any, str]] = [(schema, root_name)]
    root = True
    while stack:
        node, name = stack.pop()
        if not isinstance(node, dict):
            continue
        if not root and _is_object(node):
            content = canonical_json(node)
            if content in first_seen:
                repeats.append((node, first_seen[content][1]))
                continue
            name = claim(node, name)
            first_seen[content] = (node, name)
        elif root:
            name = claim(node, name)
        else:
            node.pop("title", None)
        root = False
        children: list[tuple[Any, str]] = []
        props = node.get("properties")
        if isinstance(props, dict):
            for prop_name, prop in props.items():
                children.append((prop, naming.join_class(name, naming.pascal(prop_name) or "Field")))
        items = node.get("items")
        if isinstance(items, dict):
            base = name
            children.append(
                (items, naming.singular(base) if base != root_name else naming.join_class(base, "Item"))
            )
        additional = node.get("additionalProperties")
        if isinstance(additional, dict):
            children.append((additional, naming.join_class(name, "Value")))
        for key in ("oneOf", "anyOf"):
            branches = node.get(key)
            if isinstance(branches, list):
                real = [b for b in branches if not (isinstance(b, dict) and b.get("type") == "null")]
                if len(real) == 1:  # `X | None`: the class is the property's own
                    children.append((real[0], name))
                    continue
                for branch, suffix in zip(real, naming.branch_names(real), strict=True):
                    # An untitled branch that only wraps another union is not a class: its own
                    # branches are named straight after the parent (`...InputPrompt`).
                    wrapper = (
                        isinstance(branch, dict)
                        and not _is_object(branch)
                        and "title" not in branch
                        and any(k in branch for k in ("oneOf", "anyOf"))
                    )
                    children.append((branch, name if wrapper else naming.join_class(name, suffix)))
        all_of = node.get("allOf")
        if isinstance(all_of, list):
            children.extend(
                (part, name) for part in all_of if isinstance(part, dict) and not _is_object(part)
            )
        stack.extend(reversed(children))
    _share_repeats(schema, first_seen, repeats)


def _share_repeats(
    schema: dict[str, Any],
    first_seen: dict[str, tuple[dict[str, Any], str]],
    repeats: list[tuple[dict[str, Any], str]],
) -> None:
    if not repeats:
        return
    shared = {name for _, name in repeats}
    defs = schema.setdefault("$defs", {})
    if not isinstance(defs, dict) or shared & set(defs):
        return  # an author's own $defs with a clashing name: leave the repeats as separate classes
    # Shallow copies share their children, so a shared class nested in another one is replaced by
    # its reference in both places when its own node is turned into a reference below.
    for node, name in first_seen.values():
        if name in shared:
            defs[name] = dict(node)
    for node, name in [*((n, m) for n, m in first_seen.values() if m in shared), *repeats]:
        node.clear()
        node["$ref"] = f"#/$defs/{name}"


# Constraints on a primitive member of a union make datamodel-code-generator emit a RootModel
# class per member (named `Text1`, `Text2`, ...) and force users to wrap plain values. The JSON
# Schema validator enforces these constraints on every input before sending, so the pydantic
# types drop them there and stay plain (`str | list[str]`).
_PRIMITIVE_ONLY_KEYWORDS = (
    "minLength", "maxLength", "pattern", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
    "multipleOf", "minItems", "maxItems", "uniqueItems", "description", "title", "default", "examples", "format",
)  # fmt: skip


def _plain_union_members(schema: dict[str, Any]) -> None:
    for node, _ in walk_schemas(schema):
        for key in ("oneOf", "anyOf"):
            branches = node.get(key)
            if not isinstance(branches, list):
                continue
            stack = [b for b in branches if isinstance(b, dict) and not _is_object(b)]
            while stack:
                member = stack.pop()
                for keyword in _PRIMITIVE_ONLY_KEYWORDS:
                    member.pop(keyword, None)
                items = member.get("items")
                if isinstance(items, dict) and not _is_object(items):
                    stack.append(items)


def prepare(schema: dict[str, Any], class_name: str, *, is_output: bool) -> dict[str, Any]:
    prepared: dict[str, Any] = typeable(schema)
    for key in ("oneOf", "anyOf"):
        branches = prepared.get(key)
        if not is_output and isinstance(branches, list):
            kept = [b for b in branches if not is_binary_string(b)]
            if len(kept) == 1 and isinstance(kept[0], dict):
                del prepared[key]
                merged = {**prepared, **kept[0]}
                prepared.clear()
                prepared.update(merged)
            elif kept != branches:
                prepared[key] = kept
    for node, _ in walk_schemas(prepared):
        if isinstance(node.get("description"), str):
            node["description"] = " ".join(clean_text(node["description"]).split())
        if isinstance(node.get("additionalProperties"), bool):
            del node["additionalProperties"]
        if isinstance(node.get("contentType"), str):
            del node["contentType"]
        if "format" in node:
            del node["format"]
        if is_output and "enum" in node:
            del node["enum"]
        node.pop("$id", None)
    prepared.pop("$schema", None)
    _plain_union_members(prepared)
    _assign_titles(prepared, class_name)
    return prepared


def output_validation_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """The JSON `result` schema as the client and drift checks validate it.

    Catalog output unions are written as `oneOf`, but their branches overlap (no `required`,
    no `additionalProperties: false`: bge's embedding and async-response objects both accept
    any object), so taken literally no real response could ever be valid. Outputs therefore
    read `oneOf` as `anyOf`: at least one branch must match. Inputs keep `oneOf` as written.
    """
    relaxed = copy.deepcopy(schema)
    for node, _ in walk_schemas(relaxed):
        if "oneOf" in node and "anyOf" not in node:
            node["anyOf"] = node.pop("oneOf")
    return relaxed
