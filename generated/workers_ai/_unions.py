# Copied by workers-ai-codegen from generator/runtime/_unions.py: edit it there.
"""Which output classes the client unwraps: a `RootModel` over a union of object classes (an output
declared oneOf/anyOf of objects) is returned as the matching branch, the type the generated overloads
declare, so users never reach through `.root`."""

from __future__ import annotations

import types
import typing
from typing import Any

from pydantic import BaseModel, RootModel

__all__ = ["is_branch_union"]


def is_branch_union(output_type: Any) -> bool:
    if not (isinstance(output_type, type) and issubclass(output_type, RootModel)):
        return False
    annotation = output_type.model_fields["root"].annotation
    if typing.get_origin(annotation) not in (typing.Union, types.UnionType):
        return False
    branches = typing.get_args(annotation)
    return len(branches) > 1 and all(
        isinstance(b, type) and issubclass(b, BaseModel) and not issubclass(b, RootModel) for b in branches
    )
