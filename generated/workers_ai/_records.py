# Copied by workers-ai-codegen from generator/runtime/_records.py: edit it there.
"""Typed records of the REST endpoints besides `/ai/run` (catalog, fine-tunes, to-markdown), and their
parsing: a reply that does not match is a `ResponseValidationError` naming the endpoint."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from ._validation import pydantic_issues
from .errors import MalformedResponseError, ResponseValidationError

__all__ = ["Record", "parse_record", "parse_records"]


class Record(BaseModel):
    # Forward compatible: fields the API adds later are kept in `model_extra`, not rejected.
    model_config = ConfigDict(extra="allow", frozen=True, populate_by_name=True)


R = TypeVar("R", bound=Record)


def parse_record(record: type[R], document: Any, what: str) -> R:
    try:
        return record.model_validate(document)
    except ValidationError as exc:
        raise ResponseValidationError(
            f"{what}: the reply does not match the documented shape", errors=pydantic_issues(exc, document)
        ) from None


def parse_records(record: type[R], result: Any, what: str) -> list[R]:
    if not isinstance(result, list):
        raise MalformedResponseError(f"{what}: 'result' is not a list")
    return [parse_record(record, item, what) for item in result]
