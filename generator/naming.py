"""The only place names are made.

Every Python name in the generated package derives from data by one rule here:
- task "Text-to-Image"            -> slug "text-to-image", class "AiTextToImage", method/module "text_to_image"
- model "@cf/meta/llama-3.1-8b"   -> type prefix "MetaLlama3_1_8b", module "meta_llama_3_1_8b"
  (author + name, so two authors' "whisper" never collide and a new model never renames an old one;
  namespaces other than @cf are part of the name: "@hf/thebloke/x" -> "HfThebloke...")
- nested classes                  -> parent class name + Pascal(property), array items singular
  (`messages` -> `...Message`), oneOf/anyOf branches by title or by what tells them apart;
  never counters such as Item1/Item2, which shift when a schema grows.
- class names join their words in PascalCase, with one `_` wherever a word that ends in a digit meets
  a word that starts with one ("llama-3.2-11b" -> "Llama3_2_11b"): version numbers stay readable and
  two different ids ("3.2-11b", "32-11b") never give the same name.
- every model owns its module `workers_ai.types.<task>.<model module>` and the names in it (its
  `<Prefix>Input`/`<Prefix>Output` and their nested classes `<Prefix>Input<Suffix>`); classes that
  several models share are defined once in a private module named after the schema's hash
  (`join_class` and `shared_class_name` below), so adding or removing another model renames nothing.
"""

from __future__ import annotations

import keyword
import re
from typing import Any, NewType

from generator.schema import json_hash

# Typed names (like openapi-python-client's `ClassName` / `PythonIdentifier`): to mypy a plain `str` is not
# one of these, so a name the IR or a template needs can only come from a function of this module.
ClassName = NewType("ClassName", str)  # a class, or a PascalCase piece of one
ModuleName = NewType("ModuleName", str)  # a module of the generated package (one dotted part)
Identifier = NewType("Identifier", str)  # a method, field or parameter

_WORD = re.compile(r"[A-Za-z0-9]+")
_CAMEL_SPLIT = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def words(text: str) -> list[str]:
    """ASCII alphanumeric words of `text`; camelCase is split ('toolCalls' -> tool, Calls)."""
    found: list[str] = []
    for chunk in _WORD.findall(text):
        found.extend(_CAMEL_SPLIT.split(chunk))
    return found


def join_class(*parts: str) -> ClassName:
    """Concatenate class-name parts, with `_` where a digit meets a digit ("Llama3" + "2" -> "Llama3_2")."""
    name = ""
    for part in parts:
        if name and part and name[-1].isdigit() and part[0].isdigit():
            name += "_"
        name += part
    return ClassName(name)


def pascal(text: str) -> ClassName:
    return join_class(*(w[:1].upper() + w[1:] for w in words(text)))


def snake(text: str) -> str:
    return "_".join(w.lower() for w in words(text))


def _safe_identifier(name: str, fallback: str) -> str:
    if not name:
        name = fallback
    if name[0].isdigit():
        name = fallback[:1] + name
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        name += "_"
    return name


def task_slug(task_name: str) -> str:
    return "-".join(w.lower() for w in words(task_name))


def task_class_name(task_name: str) -> ClassName:
    """Workers AI's TypeScript name: 'Text Classification' -> 'AiTextClassification'."""
    return join_class("Ai", pascal(task_name))


def task_module(task_name: str) -> ModuleName:
    return ModuleName(_safe_identifier(snake(task_name), "task"))


def task_method(task_module_name: ModuleName) -> Identifier:
    """`client.<method>(...)`: the task's module name ('text_classification')."""
    return Identifier(task_module_name)


def task_methods_classes(task_module_name: str) -> tuple[ClassName, ClassName]:
    """The sync and async client mixins holding a task's method: TextGenerationMethods, AsyncTextGeneration..."""
    base = join_class(pascal(task_module_name), "Methods")
    return base, join_class("Async", base)


def _model_parts(model_id: str) -> list[str]:
    parts = [p for p in model_id.split("/") if p]
    if parts and parts[0] == "@cf":
        parts = parts[1:]
    return parts


def model_type_prefix(model_id: str) -> ClassName:
    return ClassName(_safe_identifier(pascal(" ".join(_model_parts(model_id))), "Model"))


def model_module(model_id: str) -> ModuleName:
    # Lower-cased first so "indic-1B" gives "indic_1b", not "indic_1_b".
    return ModuleName(_safe_identifier(snake(" ".join(_model_parts(model_id)).lower()), "model"))


def input_class(type_prefix: ClassName) -> ClassName:
    return join_class(type_prefix, "Input")


def output_class(type_prefix: ClassName) -> ClassName:
    return join_class(type_prefix, "Output")


def typed_dict_class(root_name: str, definition: Any) -> ClassName:
    """An object of a TypedDict input: its title (the emitter titles what it reaches from the root), else
    `<root>Def<hash>`."""
    title = definition.get("title") if isinstance(definition, dict) else None
    return ClassName(str(title)) if title else join_class(root_name, "Def", short_hash(definition))


def shared_class_name(task_module: str, kind: str, schema_hash: str) -> ClassName:
    """Root class of a schema several models share: `TextGenerationInput3f9a2c` (task, kind, hash)."""
    return join_class(pascal(task_module), kind.capitalize(), schema_hash[:6].upper())


def shared_module(kind: str, schema_hash: str) -> ModuleName:
    return ModuleName(f"_shared_{kind}_{schema_hash[:6]}")


def field_name(prop: str) -> Identifier:
    return Identifier(_safe_identifier(snake(prop), "field"))


# pydantic warns when a field name starts with one of these (its `protected_namespaces`).
_PROTECTED_PREFIXES = ("model_dump", "model_validate")


# Names ruff rejects as ambiguous (E741): `make lint` runs over the generated package.
_AMBIGUOUS = frozenset({"l", "O", "I"})


def is_protected_field(name: str) -> bool:
    """A field name pydantic warns about, or one the project's lint rejects."""
    return name.startswith(_PROTECTED_PREFIXES) or name in _AMBIGUOUS


def pydantic_field_name(json_name: str, taken: set[str]) -> Identifier:
    """A field name for `json_name` that is a valid identifier, outside pydantic's protected
    namespaces and not in `taken` (the names its module binds and its other fields)."""
    name = field_name(json_name)
    if is_protected_field(name):
        name = Identifier("field_" + name)
    while name in taken or keyword.iskeyword(name):
        name = Identifier(name + "_")
    return name


def singular(word: str) -> str:
    lower = word.lower()
    if lower.endswith("ies") and len(word) > 4:
        return word[:-3] + ("Y" if word[-3].isupper() else "y")
    if lower.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if lower.endswith("s") and not lower.endswith(("ss", "us", "is")) and len(word) > 3:
        return word[:-1]
    return word


def short_hash(value: Any) -> str:
    return json_hash(value)[:6]


def branch_names(branches: list[Any]) -> list[str]:
    """Names for the branches of one oneOf/anyOf, unique among themselves.

    By title; else by the value of a discriminating `const`/one-value `enum` property; else by JSON type where the types differ; else by a required property only that
    branch has, or any property only it has; else by a short content hash (stable: it changes only with the branch itself).
    """

    def type_of(b: Any) -> str:
        if not isinstance(b, dict):
            return ""
        t = b.get("type")
        if isinstance(t, str):
            return t
        return "object" if "properties" in b else ""

    def tag_of(b: Any) -> str:
        """Value of a property fixed by `const` or a one-value `enum` (a discriminator)."""
        props = b.get("properties") if isinstance(b, dict) else None
        if not isinstance(props, dict):
            return ""
        for prop in props.values():
            if isinstance(prop, dict):
                if "const" in prop:
                    return str(prop["const"])
                enum = prop.get("enum")
                if isinstance(enum, list) and len(enum) == 1:
                    return str(enum[0])
        return ""

    def required_of(b: Any) -> list[str]:
        if isinstance(b, dict) and isinstance(b.get("required"), list):
            return [r for r in b["required"] if isinstance(r, str)]
        return []

    names: list[str] = []
    types = [type_of(b) for b in branches]
    tags = [tag_of(b) for b in branches]
    for i, branch in enumerate(branches):
        title = branch.get("title") if isinstance(branch, dict) else None
        name = pascal(title) if isinstance(title, str) else ""
        if not name and tags[i] and tags.count(tags[i]) == 1:
            name = pascal(tags[i])
        if not name and types[i] and types.count(types[i]) == 1:
            name = pascal(types[i])
        if not name:
            others = {r for j, b in enumerate(branches) if j != i for r in required_of(b)}
            own = [r for r in required_of(branch) if r not in others]
            if own:
                name = "With" + pascal(own[0])
        if not name and isinstance(branch, dict) and isinstance(branch.get("properties"), dict):
            other_props = {
                p
                for j, b in enumerate(branches)
                if j != i and isinstance(b, dict)
                for p in b.get("properties") or {}
            }
            own_props = [p for p in branch["properties"] if p not in other_props]
            if own_props:
                name = "With" + pascal(own_props[0])
        if not name:
            name = "Variant" + short_hash(branch)
        names.append(name)
    seen: dict[str, int] = {}
    for name in names:
        seen[name] = seen.get(name, 0) + 1
    return [n if seen[n] == 1 else n + short_hash(b) for n, b in zip(names, branches, strict=True)]


# -- typed inputs (TypedDicts) ------------------------------------------------------------------------
# A schema's TypedDict input is named like its pydantic input class, "Params" for "Input":
# "MetaLlama3_1_8bInstructFp8Input" -> "MetaLlama3_1_8bInstructFp8Params" in module "<module>_params";
# a shared schema's "TextGenerationInput3F9A2C" -> "TextGenerationParams3F9A2C". A top-level class that
# has a key the task methods take themselves (`model`) gets a keyword-argument twin without that key:
# "...ParamsMessages" -> "...ParamsMessagesArgs".


def params_class(input_class_name: str) -> ClassName:
    head, marker, tail = input_class_name.rpartition("Input")
    return join_class(head, "Params", tail) if marker else join_class(input_class_name, "Params")


def params_module(module_name: str) -> ModuleName:
    return ModuleName(f"{module_name}_params")


def params_args_class(class_name: str) -> ClassName:
    return join_class(class_name, "Args")
