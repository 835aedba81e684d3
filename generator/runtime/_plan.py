"""What a call to one model sends, worked out without I/O.

`Plan` holds everything about one model that does not change between calls (the input validator, the
output type, the content types it answers with), built once per model and shared by every client.
`encode_input` checks one call's input against its plan and encodes it: an input that does not fit
raises `InputValidationError` and nothing is sent. The clients (`_base_client.py`) only add the URL, the
headers and the HTTP call.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from pydantic import BaseModel

from ._binary import RawBody, prepare_input
from ._envelope import Accepts
from ._json_mode import refuse_streamed_json_mode
from ._media import EVENT_STREAM, is_json_media_type
from ._options import CallOptions
from ._redact import RedactedHeaders, RedactedWireHeaders
from ._spec import ModelSpec, import_type, load_schema_resource
from ._streaming import TextGenerationChunk
from ._unions import is_branch_union
from ._validation import SchemaValidator, closed_schema
from .errors import InputValidationError, Issue

__all__ = ["Plan", "WireHeaders", "encode_input", "model_path", "plan_for", "wire_headers"]

# One encoder for every call: `json.dumps(obj, **non_default_options)` builds a new JSONEncoder each time.
# Same output as httpx's `json=` (compact, UTF-8, no NaN), but we keep the bytes to re-send on retry.
_encode_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode

# Reported nesting stops counting here: enough to say "too deep", and the walk stays short.
_DEPTH_REPORTED = 1000


class Plan:
    """Everything about one model that does not change between calls (shared by all clients)."""

    __slots__ = (
        "_strict",
        "accepts",
        "can_stream",
        "chunk",
        "model",
        "output_json",
        "output_type",
        "spec",
        "unwrap",
        "validator",
    )

    def __init__(self, model: str, spec: ModelSpec | None) -> None:
        self.model = model
        self.spec = spec
        self._strict: SchemaValidator | bool | None = False  # False: not compiled yet
        self.output_json: Any = None
        if spec is None:  # unknown or untyped model: no validation, raw results
            self.validator: SchemaValidator | None = None
            self.output_type: type[BaseModel] | None = None
            self.accepts = Accepts(json=True, any_binary=True)
            self.can_stream = True
            self.chunk: Any = _identity
            self.unwrap = False
            return
        schemas = load_schema_resource(spec.schema_resource)
        input_schema = schemas.get("input")
        self.validator = SchemaValidator(input_schema) if isinstance(input_schema, dict) else None
        self.output_json = schemas.get("output_json")
        self.output_type = import_type(spec.output_type) if spec.output_type else None
        self.unwrap = is_branch_union(self.output_type)  # oneOf of objects: return the branch itself
        declares_json = any(is_json_media_type(t) for t in spec.content_types)
        binary = tuple(t for t in spec.content_types if not is_json_media_type(t) and t != EVENT_STREAM)
        self.accepts = Accepts(json=declares_json or self.output_type is not None, binary=binary)
        self.can_stream = EVENT_STREAM in spec.content_types
        self.chunk = TextGenerationChunk.model_validate

    def strict_validator(self) -> SchemaValidator | None:
        if self._strict is False:
            schema = self.output_json
            self._strict = SchemaValidator(closed_schema(schema)) if isinstance(schema, dict | bool) else None
        return self._strict if isinstance(self._strict, SchemaValidator) else None


def _identity(value: Any) -> Any:
    return value


_PLANS: dict[ModelSpec, Plan] = {}


def plan_for(model: str, spec: ModelSpec | None) -> Plan:
    """The plan of a catalog model, made once per process; a new one for an unknown model."""
    plan = _PLANS.get(spec) if spec is not None else None
    if plan is None:
        plan = Plan(model, spec)
        if spec is not None:
            _PLANS[spec] = plan
    return plan


WireHeaders = list[tuple[bytes, bytes]] | dict[str, str]


def wire_headers(headers: dict[str, str]) -> WireHeaders:
    """Headers as the bytes httpx would encode them to, once: with a dozen gateway headers, encoding
    them on every request was most of a gateway call's extra cost. Values that are not ASCII stay text,
    so httpx reports them as it always has. Both forms hide the token in their repr."""
    try:
        return RedactedWireHeaders(
            (name.encode("ascii"), value.encode("ascii")) for name, value in headers.items()
        )
    except UnicodeEncodeError:
        return RedactedHeaders(headers)


def model_path(model: str) -> str:
    # The model id goes into the path as documented (`@cf/meta/...`, slashes kept); anything that would
    # break the URL (spaces, `?`, `#`) is percent-encoded.
    return quote(model, safe="/@:+")


def encode_input(plan: Plan, model: str, input: Any, stream: bool, call: CallOptions) -> tuple[bytes, bool]:
    """The request body for `input` to `model` and whether it is raw bytes (else JSON); raises
    `InputValidationError` for an input the model does not accept."""
    document = prepare_input(plan.spec, input, model)
    if type(document) is RawBody:
        call.refuse_raw_body(model)
        return document.data, True
    is_dict = type(document) is dict
    if is_dict and document.get("stream") is True and not stream:
        # Typed as a plain result, it would come back as a stream: the keyword decides instead.
        raise InputValidationError(
            model,
            [Issue("/stream", "pass stream=True to run() (or use client.stream()), not in the input")],
        )
    if stream:
        if not plan.can_stream:
            raise InputValidationError(model, [Issue("/stream", "this model cannot stream its output")])
        if is_dict:
            refuse_streamed_json_mode(model, document)
        if is_dict and document.get("stream") is not True:
            document = {**document, "stream": True}
    try:
        if plan.validator is not None:
            issues = plan.validator.issues(document)
            if issues:
                raise InputValidationError(model, issues)
        if call.shapes:
            document = call.shape(model, document)
        return _encode_json(document).encode(), False
    except RecursionError:
        raise _too_deep(model, document) from None
    except (TypeError, ValueError) as exc:
        pointer = _pointer(_find_unserialisable(document, []) or [])
        raise InputValidationError(model, [Issue(pointer, f"cannot be sent as JSON: {exc}")]) from None


def _pointer(path: list[str]) -> str:
    return "".join("/" + p.replace("~", "~0").replace("/", "~1") for p in path)


def _too_deep(model: str, document: Any) -> InputValidationError:
    """The error for an input whose nesting broke the interpreter's recursion limit: how deep it goes
    (or that it goes past `_DEPTH_REPORTED`), and a pointer into that branch (walked without recursion)."""
    deepest: list[str] = []
    path: list[str] = []
    stack: list[Any] = [iter([("", document)])]
    while stack and len(path) <= _DEPTH_REPORTED:
        step = next(stack[-1], None)
        if step is None:
            stack.pop()
            if path:
                path.pop()
            continue
        key, value = step
        if isinstance(value, dict | list):
            path.append(key)
            if len(path) > len(deepest):
                deepest = list(path)
            items = value.items() if isinstance(value, dict) else enumerate(value)
            stack.append(((str(k), v) for k, v in items))
    depth = len(deepest)
    amount = f"more than {_DEPTH_REPORTED}" if depth > _DEPTH_REPORTED else str(depth)
    return InputValidationError(
        model, [Issue(_pointer(deepest[1:33]), f"nested {amount} levels deep; too deep to validate and send")]
    )


def _find_unserialisable(value: Any, path: list[str]) -> list[str] | None:
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str | int | float | bool) and key is not None:
                return path
            found = _find_unserialisable(item, [*path, str(key)])
            if found is not None:
                return found
        return None
    if isinstance(value, list | tuple):
        for index, item in enumerate(value):
            found = _find_unserialisable(item, [*path, str(index)])
            if found is not None:
                return found
        return None
    if value is None or isinstance(value, str | int | bool):
        return None
    if isinstance(value, float):
        return None if value == value and value not in (float("inf"), float("-inf")) else path
    return path
