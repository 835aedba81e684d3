"""`GeneratedModel`: the base class of every generated pydantic type.

Lenient by design: a field or key the schema does not list still parses and is kept in `model_extra`,
so a response with a field added by the API after this package was generated is not an error. The
client's `strict=True` checks results against the model's JSON Schema instead, and inputs are always
checked against it before anything is sent.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

__all__ = ["GeneratedModel"]


class GeneratedModel(BaseModel):
    """A generated input or output type (fields not in the schema are kept in `model_extra`)."""

    model_config = ConfigDict(extra="allow")
