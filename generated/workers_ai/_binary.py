# Copied by workers-ai-codegen from generator/runtime/_binary.py: edit it there.
"""Bytes in and bytes out: binary outputs (images, audio) and encoding binary inputs as the schema says.

Inputs: users pass `bytes`, a path (`os.PathLike`, never a plain `str`: a `str` is always text) or a binary
file object. Where it goes decides the encoding:
- as the whole input of a model whose input may be the raw file (`ModelSpec.raw_body`): POSTed as
  `application/octet-stream`;
- at a top-level property that is an array of 0..255 (`uint8_array_fields`): a list of ints;
- at a top-level string property that carries base64 (`base64_fields`): base64 text.
Files and paths are read fully, once, so a retried request re-sends the very same bytes.
"""

from __future__ import annotations

import base64
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any, TypeAlias

from pydantic import BaseModel

from ._spec import ModelSpec
from ._validation import json_pointer
from .errors import InputValidationError, Issue

__all__ = [
    "AudioOutput",
    "BinaryInput",
    "BinaryOutput",
    "ImageOutput",
    "RawBody",
    "binary_output",
    "is_binary",
    "prepare_input",
    "read_binary",
]

BinaryInput: TypeAlias = bytes | bytearray | memoryview | os.PathLike[str] | IO[bytes]
"""What may stand for binary data in an input. A plain `str` is never taken for a path."""


class BinaryOutput:
    """A binary result (`.data`) and the media type it came with (`.content_type`)."""

    __slots__ = ("content_type", "data")

    def __init__(self, data: bytes, content_type: str) -> None:
        self.data = data
        self.content_type = content_type

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the bytes to `path` atomically (a temporary file in the same folder, then a rename)."""
        target = Path(path)
        fd, temp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(self.data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp_name, target)
        except BaseException:
            Path(temp_name).unlink(missing_ok=True)
            raise
        return target

    def __len__(self) -> int:
        return len(self.data)

    def __bytes__(self) -> bytes:
        return self.data

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, BinaryOutput):
            return NotImplemented
        return self.data == other.data and self.content_type == other.content_type

    def __hash__(self) -> int:
        return hash((self.data, self.content_type))

    def __repr__(self) -> str:
        return f"{type(self).__name__}(content_type={self.content_type!r}, size={len(self.data)})"


class ImageOutput(BinaryOutput):
    """An image result (`image/png`, `image/jpeg`, ...)."""

    __slots__ = ()


class AudioOutput(BinaryOutput):
    """An audio result (`audio/mpeg`, ...)."""

    __slots__ = ()


def binary_output(data: bytes, content_type: str) -> BinaryOutput:
    """The `BinaryOutput` subclass that fits the media type."""
    if content_type.startswith("image/"):
        return ImageOutput(data, content_type)
    if content_type.startswith("audio/"):
        return AudioOutput(data, content_type)
    return BinaryOutput(data, content_type)


class RawBody:
    """Marks an input that is sent as-is with `application/octet-stream`."""

    __slots__ = ("data",)

    def __init__(self, data: bytes) -> None:
        self.data = data


def is_binary(value: object) -> bool:
    if isinstance(value, bytes | bytearray | memoryview | os.PathLike):
        return True
    return hasattr(value, "read") and not isinstance(value, str)


def read_binary(value: Any) -> bytes:
    """All the bytes of a bytes-like object, a path or a binary file object (read fully, once)."""
    if isinstance(value, bytes):
        return value
    if isinstance(value, bytearray | memoryview):
        return bytes(value)
    if isinstance(value, os.PathLike):
        return Path(value).read_bytes()
    data = value.read()
    if isinstance(data, str):
        raise TypeError("the file is open in text mode; open it with 'rb'")
    if not isinstance(data, bytes | bytearray | memoryview):
        raise TypeError(f"read() returned {type(data).__name__}, not bytes")
    return bytes(data)


def _read(value: Any, model: str, pointer: str) -> bytes:
    try:
        return read_binary(value)
    except (OSError, TypeError, ValueError) as exc:
        raise InputValidationError(model, [Issue(pointer, f"cannot read binary data: {exc}")]) from None


def prepare_input(spec: ModelSpec | None, value: Any, model: str) -> Any:
    """The JSON document to send for `value`, or a `RawBody` for raw binary input.

    Dicts without binary fields pass through untouched (no copy: this is the hot path). Never mutates the
    caller's objects.
    """
    if isinstance(value, dict):
        document: Any = value
    elif isinstance(value, BaseModel):
        document = value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    elif isinstance(value, Mapping):
        document = dict(value)
    elif is_binary(value):
        if spec is None or spec.raw_body:
            return RawBody(_read(value, model, ""))
        hint = ""
        fields = spec.uint8_array_fields + spec.base64_fields
        if fields:
            hint = f"; pass it as a field instead, e.g. {{{fields[0]!r}: data}}"
        raise InputValidationError(model, [Issue("", f"this model does not take raw binary input{hint}")])
    elif isinstance(value, str) and spec is not None and spec.raw_body:
        # The schema's top-level string means "the raw file" (format: binary); a str is text, never a path.
        message = "a str is text, not binary data: pass bytes, a pathlib.Path or a file opened with 'rb'"
        raise InputValidationError(model, [Issue("", message)])
    else:
        return value
    if spec is not None and spec.raw_body and isinstance(document, dict) and len(document) == 1:
        raw = _wrapped_raw_body(spec, document, model)
        if raw is not None:
            return raw
    if spec is not None and isinstance(document, dict) and (spec.uint8_array_fields or spec.base64_fields):
        document = _encode_fields(spec, document, model)
    return document


def _wrapped_raw_body(spec: ModelSpec, document: dict[str, Any], model: str) -> RawBody | None:
    """The catalog's JSON form of a file (`{"audio": [...]}`, `{"image": b"..."}`) for a model that takes the
    file as its raw body: the REST API accepts only `application/octet-stream` there, so it is sent raw."""
    ((name, field),) = document.items()
    if name not in spec.uint8_array_fields:
        return None
    if is_binary(field):
        return RawBody(_read(field, model, json_pointer([name])))
    if not isinstance(field, list):
        return None  # not a file at all: validation names the problem
    for index, item in enumerate(field):
        if type(item) is not int or not 0 <= item <= 255:
            message = f"{item!r:.40} is not a byte (an integer from 0 to 255)"
            raise InputValidationError(model, [Issue(json_pointer([name, index]), message)])
    return RawBody(bytes(field))


def _encode_fields(spec: ModelSpec, document: dict[str, Any], model: str) -> dict[str, Any]:
    copied = False
    for name in spec.uint8_array_fields:
        field = document.get(name)
        if field is not None and is_binary(field):
            if not copied:
                document, copied = dict(document), True
            document[name] = list(_read(field, model, json_pointer([name])))
    for name in spec.base64_fields:
        field = document.get(name)
        if field is not None and is_binary(field):
            if not copied:
                document, copied = dict(document), True
            document[name] = base64.b64encode(_read(field, model, json_pointer([name]))).decode("ascii")
    return document
