"""Pydantic v2 models from a prepared schema, by datamodel-code-generator called in-process.

Import is deferred to the first call: datamodel-code-generator is the slowest import of the
generator, and a warm run that hits the cache for every schema never needs it.
"""

from __future__ import annotations

import ast
import json
import keyword
import re
from typing import Any

from generator import naming
from generator.diagnostics import Diagnostic, DiagnosticError

_HEADER_LINE = re.compile(r"\A(#[^\n]*\n)+")
# Every class derives from the runtime's `GeneratedModel`, which carries the shared configuration.
BASE_CLASS = "workers_ai._generated_model.GeneratedModel"
_NAMELESS_CLASS = re.compile(r"^class \(", re.MULTILINE)
# Titles only steer class names (see prepare.py); in the code they would be noise.
_TITLE_ONLY = "Field()"
_TITLE_ARGUMENT = re.compile(
    r"(?:title='(?:[^'\\]|\\.)*', |, title='(?:[^'\\]|\\.)*'|(?<=Field\()title='(?:[^'\\]|\\.)*')"
)
# RootModel sequences iterate over their items, as pydantic's docs show for RootModel; BaseModel
# declares `__iter__` as iterating (field, value) pairs, so the override is deliberate. The checkers
# report it on the `def` line, so the ignore comment goes there, in a signature already split: a long
# item type (a Literal of long values) makes the formatter split a one-line signature, which would carry
# an end-of-line comment to its last line.
_ROOT_ITER = re.compile(r"^    def __iter__\(self\) -> (Iterator\[[^\n]*\]):$", re.MULTILINE)
_ROOT_ITER_IGNORED = "    def __iter__(  # type: ignore[override]\n        self,\n    ) -> \\1:"


_ANNOTATION_TYPES = frozenset(
    {
        "str",
        "int",
        "float",
        "bool",
        "bytes",
        "list",
        "dict",
        "set",
        "frozenset",
        "tuple",
        "object",
        "Any",
        "None",
    }
)


def generate_models(
    schema: dict[str, Any], class_name: str, *, is_output: bool, file: str, pointer: str
) -> str:
    """Source of a module defining `class_name` (and its nested classes); no header."""
    code = _codegen(schema, class_name, {}, file, pointer)
    # datamodel-code-generator renames fields that hit keywords, BaseModel attributes and the types
    # it imports, but not every name the module binds (a field `Annotated` breaks every annotation
    # after it), nor names in pydantic's protected namespaces (`model_dump_` warns on import): those
    # get a field name from `naming.pydantic_field_name` through its `aliases` option (the JSON name
    # stays the alias, so `model_dump(by_alias=True)` gives it back).
    renames = _unsafe_fields(code)
    if renames:
        code = _codegen(schema, class_name, renames, file, pointer)
    return code


def _unsafe_fields(code: str) -> dict[str, str]:
    """JSON name -> safe field name, for every field whose Python name shadows or warns."""
    tree = ast.parse(code)
    # Both the bound name and the imported one: datamodel-code-generator may import `Field as
    # Field_aliased` for a field `Field`, and yet write `Field(...)` in a RootModel's annotation.
    # `from __future__ import annotations` binds a name nothing reads: a field `annotations` is fine.
    imported = [
        alias
        for node in tree.body
        if isinstance(node, ast.Import) or (isinstance(node, ast.ImportFrom) and node.module != "__future__")
        for alias in node.names
    ]
    bound = {alias.name.split(".")[0] for alias in imported} | {
        alias.asname for alias in imported if alias.asname
    }
    # A field `str` shadows the type `str` in the annotations after it in the class body (mypy:
    # "not valid as a type"). The types an annotation may name are renamed always, whether this
    # module reads them or not, so a field's name does not change when another field is added;
    # any other name the module reads is the safety net.
    bound |= _ANNOTATION_TYPES
    bound |= {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    fields: dict[str, str] = {}  # field name -> JSON name
    for cls in (n for n in tree.body if isinstance(n, ast.ClassDef)):
        for stmt in cls.body:
            if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                fields[stmt.target.id] = _json_name(stmt) or stmt.target.id
    taken = bound | set(fields)
    renames: dict[str, str] = {}
    for field, json_name in fields.items():
        if field in bound or naming.is_protected_field(field):
            renames[json_name] = naming.pydantic_field_name(json_name, taken)
            taken.add(renames[json_name])
    return renames


def _json_name(stmt: ast.AnnAssign) -> str | None:
    """The `alias=` of the field's `Field(...)`, wherever the annotation or default holds it."""
    for node in ast.walk(stmt):
        if isinstance(node, ast.Call):
            for keyword in node.keywords:
                if keyword.arg == "alias" and isinstance(keyword.value, ast.Constant):
                    return str(keyword.value.value)
    return None


def _codegen(
    schema: dict[str, Any],
    class_name: str,
    aliases: dict[str, str],
    file: str,
    pointer: str,
    *,
    own_names: bool = True,
) -> str:
    from datamodel_code_generator import LiteralType, PythonVersion, generate
    from datamodel_code_generator.enums import DataModelType, InputFileType

    try:
        code = generate(
            json.dumps(schema, sort_keys=False),
            input_file_type=InputFileType.JsonSchema,
            output_model_type=DataModelType.PydanticV2BaseModel,
            target_python_version=PythonVersion.PY_310,
            base_class=BASE_CLASS,
            use_single_line_docstring=True,
            class_name=class_name,
            use_title_as_name=True,
            use_annotated=True,
            use_field_description=True,
            use_schema_description=True,
            use_union_operator=True,
            use_standard_collections=True,
            use_root_model_sequence_interface=True,
            enum_field_as_literal=LiteralType.All,
            disable_timestamp=True,
            formatters=[],
            capitalise_enum_members=False,
            snake_case_field=False,
            collapse_root_models=True,
            aliases=aliases or None,
            custom_class_name_generator=_class_name if own_names else None,
        )
    except RecursionError:
        raise DiagnosticError(
            [Diagnostic(file, pointer, "schema too deeply nested for code generation")]
        ) from None
    except Exception as exc:  # datamodel-code-generator raises many types; all mean "cannot model this"
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise DiagnosticError([Diagnostic(file, pointer, f"cannot generate types: {message}")]) from None
    if not isinstance(code, str):
        raise DiagnosticError(
            [Diagnostic(file, pointer, "cannot generate types: unexpected multi-module output")]
        )
    if own_names and _NAMELESS_CLASS.search(code):
        # datamodel-code-generator singularises a name it derives from a field ('s' -> ''), and only its
        # own naming then recovers; such a module keeps its default names (no `_` between digits).
        return _codegen(schema, class_name, aliases, file, pointer, own_names=False)
    code = _ROOT_ITER.sub(_ROOT_ITER_IGNORED, _drop_titles(code))
    return str(_HEADER_LINE.sub("", code, count=1).lstrip("\n"))


def _class_name(title: str) -> str:
    """Class names made by `generator.naming` (prepare.py puts them in titles) are kept as they are.

    datamodel-code-generator's own rule would drop the `_` between version digits.
    """
    if title[:1].isupper() and title.isidentifier() and not keyword.iskeyword(title):
        return title
    # A name datamodel-code-generator derives itself (a field's, for a class `prepare` did not title).
    return naming.pascal(title) or "Model"


def _drop_titles(code: str) -> str:
    """Remove `title=` from every `Field(...)`, and `Annotated[T, Field()]` left empty becomes `T`."""
    code = _TITLE_ARGUMENT.sub("", code)
    marker = ", " + _TITLE_ONLY + "]"
    while (end := code.find(marker)) != -1:
        depth, start = 0, end - 1
        while start >= 0:  # back to the `[` that opens this `Annotated[`
            char = code[start]
            if char in ")]":
                depth += 1
            elif char in "([":
                if depth == 0:
                    break
                depth -= 1
            start -= 1
        opener = start - len("Annotated")
        if opener < 0 or code[opener:start] != "Annotated":
            break  # not the shape datamodel-code-generator writes: leave it
        code = code[:opener] + code[start + 1 : end] + code[end + len(marker) :]
    return code
