"""`TypedDict` inputs: one module per distinct input schema, so type checkers check plain dicts and
task-method keyword arguments as precisely as the pydantic outputs.

Written here rather than by datamodel-code-generator's TypedDict mode because the client's input is
not only the schema: top-level binary fields also take bytes, paths and files (`BinaryInput`); the
`stream` key is the client's own keyword (`stream=True`), so it is not an input key; and a key the task
methods take themselves (`model`) needs a keyword-argument twin without it. Post-editing generated code
for each of those would be longer than this walk over a schema that `prepare` has already titled.

Rules: object -> TypedDict named by its title (required keys plain, the others `NotRequired`);
`enum`/`const` -> `Literal`; oneOf/anyOf and type lists -> unions (`null` -> `None`); arrays -> `list`;
an object without properties -> `dict[str, X]`; a schema that allows anything -> `object` (accepts
any value, unlike `Any`, which would switch checking off).
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from generator import naming
from generator.emit.prepare import prepare
from generator.emit.views import ModelView, TypeCode
from generator.ir import Model, Task

# Keys the client owns: `stream` is the `stream=` keyword of run() and the task methods.
CLIENT_KEYS = frozenset({"stream"})
# Keys a task method's own parameters take (`model=` names the model; `self`), so never `**kwargs` keys.
METHOD_KEYWORDS = frozenset({"model", "self"})
_PRIMITIVES = {"string": "str", "integer": "int", "number": "float", "boolean": "bool", "null": "None"}
_LITERAL_VALUE_TYPES = (str, int, bool)
# Keys the class syntax cannot hold, so they get the functional form: names the annotations use (a key
# `str` would shadow the type in the class body) and the names ruff rejects as ambiguous (E741).
_ANNOTATION_NAMES = frozenset(
    {"str", "int", "float", "bool", "list", "dict", "object", "None", "Literal", "NotRequired", "TypedDict"}
    | {"BinaryInput", "l", "O", "I"}
)


@dataclass
class ParamsCode:
    """A generated module's body and the names the client needs from it."""

    root: str  # the alias or class `run()` accepts
    keyword_classes: list[str]  # TypedDicts usable as `**kwargs: Unpack[...]`, one per top-level shape
    names: list[str] = field(default_factory=list)  # every public name, in definition order
    body: str = ""
    uses_binary: bool = False

    @property
    def typing_names(self) -> list[str]:
        return [
            n
            for n in ("Literal", "NotRequired", "TypeAlias", "TypedDict")
            if re.search(rf"\b{n}\b", self.body)
        ]


def _literal(values: list[Any]) -> str | None:
    if not values or not all(type(v) in _LITERAL_VALUE_TYPES or v is None for v in values):
        return None
    literals = [repr(v) for v in values if v is not None]
    parts = [f"Literal[{', '.join(dict.fromkeys(literals))}]"] if literals else []
    if any(v is None for v in values):
        parts.append("None")
    return " | ".join(parts)


def _union(parts: list[str]) -> str:
    unique = list(dict.fromkeys(p for part in parts for p in _split_union(part)))
    if "object" in unique:
        return "object"
    return " | ".join(unique) if unique else "object"


def _split_union(expr: str) -> list[str]:
    depth, start, found = 0, 0, []
    for i, char in enumerate(expr):
        depth += char in "[("
        depth -= char in "])"
        if depth == 0 and expr.startswith(" | ", i):
            found.append(expr[start:i])
            start = i + 3
    found.append(expr[start:])
    return [f for f in found if f]


class _Emitter:
    def __init__(self, schema: dict[str, Any], root_name: str, binary_fields: dict[str, str]) -> None:
        self.root_name = root_name
        defs = schema.get("$defs")
        self.defs: dict[str, Any] = defs if isinstance(defs, dict) else {}
        self.binary_fields = binary_fields  # top-level key -> type it takes besides BinaryInput
        self.blocks: list[str] = []
        self.names: list[str] = []
        self.done: dict[int, str] = {}
        self.uses_binary = False
        self.keyword_classes: list[str] = []
        self.fields_of: dict[str, list[tuple[str, str, str]]] = {}

    def type_of(self, node: Any, *, top: bool = False) -> str:
        if node is True or not isinstance(node, dict) or not node:
            return "object"
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            target = self.defs.get(ref.removeprefix("#/$defs/"))
            return self.type_of(target, top=top) if isinstance(target, dict) else "object"
        if "const" in node:
            return _literal([node["const"]]) or "object"
        if isinstance(node.get("enum"), list):
            literal = _literal(node["enum"])
            if literal:
                return literal
        parts: list[str] = []
        for key in ("oneOf", "anyOf"):
            branches = node.get(key)
            if isinstance(branches, list) and branches:
                parts.append(_union([self.type_of(b, top=top) for b in branches]))
        all_of = node.get("allOf")
        if isinstance(all_of, list) and len(all_of) == 1 and not parts:
            parts.append(self.type_of(all_of[0], top=top))
        if isinstance(node.get("properties"), dict) and not (parts and self._branches_are_objects(node)):
            # Branches that only add `required` lists are constraints the validator checks at run time.
            return self._class(node, top=top)
        if parts:
            return _union(parts)
        declared = node.get("type")
        types = declared if isinstance(declared, list) else [declared] if isinstance(declared, str) else []
        exprs = [self._typed(node, t) for t in types]
        if node.get("nullable") is True:
            exprs.append("None")
        return _union(exprs) if exprs else "object"

    def _branches_are_objects(self, node: dict[str, Any]) -> bool:
        branches = [b for k in ("oneOf", "anyOf") for b in node.get(k) or []]
        return bool(branches) and all(
            isinstance(b, dict) and ("properties" in b or "$ref" in b) for b in branches
        )

    def _typed(self, node: dict[str, Any], json_type: Any) -> str:
        if json_type in _PRIMITIVES:
            return _PRIMITIVES[json_type]
        if json_type == "array":
            items = node.get("items")
            return f"list[{self.type_of(items) if items is not None else 'object'}]"
        if json_type == "object":
            extra = node.get("additionalProperties")
            value = self.type_of(extra) if isinstance(extra, dict) else "object"
            return f"dict[str, {value}]"
        return "object"

    def _class(self, node: dict[str, Any], *, top: bool) -> str:
        known = self.done.get(id(node))
        if known is not None:
            return known
        # `prepare` titles every object it reaches; one only reachable another way is named by content.
        name = naming.typed_dict_class(self.root_name, node)
        self.done[id(node)] = name
        required = {r for r in node.get("required") or [] if isinstance(r, str)}
        fields: list[tuple[str, str, str]] = []  # key, annotation, description
        for key, prop in node["properties"].items():
            if top and key in CLIENT_KEYS:
                continue
            annotation = self.type_of(prop)
            if top and key in self.binary_fields:
                annotation = _union([self.binary_fields[key], annotation, "BinaryInput"])
                self.uses_binary = True
            if key not in required:
                annotation = f"NotRequired[{annotation}]"
            description = prop.get("description") if isinstance(prop, dict) else None
            fields.append((key, annotation, naming_doc(description)))
        doc = naming_doc(node.get("description"))
        if top and any(k in METHOD_KEYWORDS and k in required for k, _, _ in fields):
            # A required key the task method takes as its own keyword: only `run()` can send it.
            self._emit(name, fields, doc, base="TypedDict")
        elif top and any(k in METHOD_KEYWORDS for k, _, _ in fields):
            args = naming.params_args_class(name)
            self._emit(args, [f for f in fields if f[0] not in METHOD_KEYWORDS], doc, base="TypedDict")
            self._emit(name, [f for f in fields if f[0] in METHOD_KEYWORDS], doc, base=args)
            self.keyword_classes.append(args)
        else:
            self._emit(name, fields, doc, base="TypedDict")
            if top:
                self.keyword_classes.append(name)
        return name

    def _emit(self, name: str, fields: list[tuple[str, str, str]], doc: str, *, base: str) -> None:
        if base != "TypedDict" or all(
            k.isidentifier() and not keyword.iskeyword(k) and k not in _ANNOTATION_NAMES for k, _, _ in fields
        ):
            lines = [f"class {name}({base}):"]
            if doc:
                lines.append(f'    """{doc}"""')
            for key, annotation, description in fields:
                lines.append(f"    {key}: {annotation}")
                if description:
                    lines.append(f'    """{description}"""')
            if len(lines) == 1:
                lines.append("    pass")
        else:  # keys that are not identifiers need the functional form (never a subclass: see _class)
            items = "".join(f"        {k!r}: {a},\n" for k, a, _ in fields)
            # The UP013 exemption: pyupgrade would turn identifier keys back into the class syntax.
            lines = [f'{name} = TypedDict(  # noqa: UP013\n    "{name}",\n    {{\n{items}    }},\n)']
        self.blocks.append("\n".join(lines))
        self.names.append(name)
        self.fields_of[name] = fields

    def merge_same_keys(self, root_name: str) -> None:
        """One keyword TypedDict for top-level shapes with the same keys (types joined): as overloads
        they differ only in a value's type, which mypy cannot tell apart across `**kwargs`."""
        groups: dict[tuple[str, ...], list[str]] = {}
        for name in self.keyword_classes:
            groups.setdefault(tuple(sorted(k for k, _, _ in self.fields_of[name])), []).append(name)
        merged_names: list[str] = []
        for keys, names in groups.items():
            if len(names) == 1:
                merged_names.append(names[0])
                continue
            name = naming.params_args_class(root_name)
            fields = []
            for key in keys:
                found = [next(f for f in self.fields_of[n] if f[0] == key) for n in names]
                bare = [
                    a.removeprefix("NotRequired[").removesuffix("]") if a.startswith("NotRequired[") else a
                    for _, a, _ in found
                ]
                annotation = _union(bare)
                if any(a.startswith("NotRequired[") for _, a, _ in found):
                    annotation = f"NotRequired[{annotation}]"
                fields.append((key, annotation, found[0][2]))
            self._emit(name, fields, "", base="TypedDict")
            merged_names.append(name)
        self.keyword_classes = merged_names


def naming_doc(text: Any) -> str:
    if not isinstance(text, str):
        return ""
    return " ".join(text.split()).replace("\\", "\\\\").replace('"""', "'''")


def params_code(model: Model, root_name: str) -> ParamsCode:
    """The TypedDicts of `model`'s input schema, rooted at `root_name`."""
    schema = prepare(model.input.schema, root_name, is_output=False)
    binary = {f: "list[int]" for f in model.input.uint8_array_fields}
    binary.update({f: "str" for f in model.input.base64_fields})
    emitter = _Emitter(schema, root_name, binary)
    expr = emitter.type_of(schema, top=True)
    emitter.merge_same_keys(root_name)
    names = list(emitter.names)
    blocks = list(emitter.blocks)
    if expr != root_name:
        blocks.append(f"{root_name}: TypeAlias = {expr}")
        names.append(root_name)
    return ParamsCode(
        root=root_name,
        keyword_classes=emitter.keyword_classes,
        names=names,
        body="\n\n\n".join(blocks),
        uses_binary=emitter.uses_binary,
    )


@dataclass(frozen=True)
class ParamsModule:
    """One generated TypedDict module, beside the pydantic code of the same input schema."""

    source: TypeCode
    code: ParamsCode

    @property
    def members(self) -> tuple[Model, ...]:
        return self.source.members

    @property
    def import_path(self) -> str:
        return f"workers_ai.types.{self.source.task.module}.{naming.params_module(self.source.module_name)}"

    @property
    def path(self) -> str:
        return self.import_path.replace(".", "/") + ".py"


@dataclass(frozen=True)
class ModelParams:
    """A model's own TypedDict module: the code itself, or (for a schema several models share) the
    shared classes re-exported under the model's names, so adding or removing a sharer renames nothing."""

    model: Model
    params: ParamsModule

    @property
    def import_path(self) -> str:
        return f"workers_ai.types.{self.params.source.task.module}.{naming.params_module(self.model.module)}"

    @property
    def path(self) -> str:
        return self.import_path.replace(".", "/") + ".py"

    @property
    def aliases(self) -> list[tuple[str, str]]:
        """(shared name, the model's name) of every class of a shared module ([] when not shared)."""
        if not self.params.source.shared:
            return []
        shared_root = self.params.code.root
        own_root = naming.params_class(self.model.input_class)
        return [
            (name, naming.join_class(own_root, name[len(shared_root) :])) for name in self.params.code.names
        ]

    @property
    def names(self) -> list[str]:
        return [own for _, own in self.aliases] or list(self.params.code.names)


def model_params(params: ParamsModule) -> list[ModelParams]:
    return [ModelParams(model, params) for model in params.members]


def params_modules(codes: list[TypeCode]) -> list[ParamsModule]:
    """A TypedDict module for each input schema of a task (shared by the models that share it)."""
    return [
        ParamsModule(code, params_code(code.members[0], naming.params_class(code.class_name)))
        for code in codes
        if code.kind == "input"
    ]


def task_overloads(
    task: Task, views: list[ModelView], params: Mapping[str, ParamsModule]
) -> tuple[Task, list[tuple[ModelView, str, bool]], bool]:
    """The task method's overloads, one per (model, keyword TypedDict), each with whether it is a further
    shape of a model already listed; True when there is one signature in all (`@overload` needs two)."""
    pairs = [(v, kw) for v in views if v.id in params for kw in params[v.id].code.keyword_classes]
    count = sum(2 if v.streams else 1 for v, _ in pairs)
    seen: set[str] = set()
    overloads = []
    for view, kw in pairs:
        overloads.append((view, kw, view.id in seen))
        seen.add(view.id)
    return task, overloads, count == 1


def client_imports(params: Mapping[str, ParamsModule]) -> list[tuple[str, list[str]]]:
    """What the client imports (for type checking only) from each TypedDict module."""
    found: dict[str, set[str]] = {}
    for module in params.values():
        found.setdefault(module.import_path, set()).update([module.code.root, *module.code.keyword_classes])
    return [(path, sorted(names)) for path, names in sorted(found.items())]
