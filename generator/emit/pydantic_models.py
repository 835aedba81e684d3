"""Pydantic v2 models from a prepared schema, by datamodel-code-generator called in-process.

Import is deferred to the first call: datamodel-code-generator is the slowest import of the
generator, and a warm run that hits the cache for every schema never needs it.
"""

from __future__ import annotations

import json
import re
from typing import Any

from generator.diagnostics import Diagnostic, DiagnosticError

_HEADER_LINE = re.compile(r"\A(#[^\n]*\n)+")
# RootModel sequences iterate over their items, as pydantic's docs show for RootModel; BaseModel
# declares `__iter__` as iterating (field, value) pairs, so the override is deliberate.
_ROOT_ITER = re.compile(r"^(    def __iter__\(self\) -> Iterator\[[^\n]*\]:)$", re.MULTILINE)


class ModelGenerationError(Exception):
    pass


def generate_models(
    schema: dict[str, Any], class_name: str, *, is_output: bool, file: str, pointer: str
) -> str:
    """Source of a module defining `class_name` (and its nested classes); no header."""
    from datamodel_code_generator import LiteralType, PythonVersion, generate
    from datamodel_code_generator.enums import DataModelType, InputFileType

    try:
        code = generate(
            json.dumps(schema, sort_keys=False),
            input_file_type=InputFileType.JsonSchema,
            output_model_type=DataModelType.PydanticV2BaseModel,
            target_python_version=PythonVersion.PY_311,
            class_name=class_name,
            use_title_as_name=True,
            use_annotated=True,
            use_field_description=True,
            use_schema_description=True,
            use_union_operator=True,
            use_standard_collections=True,
            use_root_model_sequence_interface=True,
            enum_field_as_literal=LiteralType.All,
            # Outputs keep what the API adds (reachable via `model_extra`); inputs follow the
            # schema, which allows extra keys unless it says `additionalProperties: false`.
            extra_fields="allow",
            disable_timestamp=True,
            formatters=[],
            capitalise_enum_members=False,
            snake_case_field=False,
            collapse_root_models=True,
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
    code = _ROOT_ITER.sub(r"\1  # type: ignore[override]", code)
    return _HEADER_LINE.sub("", code, count=1).lstrip("\n")
