"""Frozen dataclasses of the intermediate representation."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from generator import naming
from generator.naming import ClassName, Identifier, ModuleName
from generator.schema import EVENT_STREAM, is_json_media_type, media_type


@dataclass(frozen=True)
class OutputVariant:
    """One way the API can answer: a content type and, for JSON, the schema of `result`."""

    content_type: str
    schema: dict[str, Any] = field(compare=False)

    @property
    def is_json(self) -> bool:
        return is_json_media_type(media_type(self.content_type))

    @property
    def is_binary(self) -> bool:
        return not self.is_json and media_type(self.content_type) != EVENT_STREAM


@dataclass(frozen=True)
class OutputSpec:
    schema: dict[str, Any] = field(compare=False)
    variants: tuple[OutputVariant, ...]
    # Schema of the JSON `result` (one JSON variant, or oneOf of several); None for binary-only models.
    json_schema: dict[str, Any] | None = field(compare=False)

    @property
    def content_types(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(v.content_type for v in self.variants))

    @property
    def streams(self) -> bool:
        return EVENT_STREAM in self.content_types

    @property
    def binary_types(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(v.content_type for v in self.variants if v.is_binary))


@dataclass(frozen=True)
class InputSpec:
    schema: dict[str, Any] = field(compare=False)
    # The model takes the raw bytes as the request body (a top-level `format: binary` string).
    raw_body: bool
    # Top-level properties (of the object or any object branch) that are arrays of 0-255 numbers:
    # users may pass bytes / a path / a file, sent as a list of ints.
    uint8_array_fields: tuple[str, ...]
    # Top-level string properties documented as base64: users may pass bytes / a path / a file.
    base64_fields: tuple[str, ...]
    # Has a boolean `stream` property (the output then may be text/event-stream).
    has_stream_flag: bool
    # Top-level property names (union over object branches), for task-method keyword docs.
    properties: tuple[str, ...]


@dataclass(frozen=True)
class Model:
    id: str  # the model id, e.g. '@cf/huggingface/distilbert-sst-2-int8'
    display_path: str  # its model file as diagnostics show it
    file_name: str  # its model file's name, e.g. 'distilbert-sst-2-int8.json'
    sha256: str
    description: str
    task_slug: str
    created_at: str
    type_prefix: ClassName
    module: ModuleName
    input: InputSpec
    output: OutputSpec
    # The catalog's `properties` list as {property_id: value} (context window, function calling, ...).
    properties: dict[str, Any] = field(default_factory=dict, compare=False)
    # The catalog lists `async_queue` among the model's properties: it takes asynchronous batches.
    batchable: bool = False

    @property
    def input_class(self) -> ClassName:
        return naming.input_class(self.type_prefix)

    @property
    def output_class(self) -> ClassName:
        return naming.output_class(self.type_prefix)


@dataclass(frozen=True)
class Task:
    name: str
    slug: str
    description: str
    class_name: ClassName
    module: ModuleName  # workers_ai.tasks.<module>
    method_name: Identifier  # client.<method_name>(...)
    models: tuple[Model, ...]
    default_model: Model

    @property
    def input_class(self) -> ClassName:
        """`AiTextClassificationInput`: the task's alias of its default model's input."""
        return naming.input_class(self.class_name)

    @property
    def output_class(self) -> ClassName:
        return naming.output_class(self.class_name)


@dataclass(frozen=True)
class Catalog:
    tasks: tuple[Task, ...]
    # Models without schemas: callable only untyped; listed so `run()` can say so.
    untyped_models: tuple[str, ...]
    # Their catalog facts all the same: (id, task slug, {property_id: value}), sorted by id.
    untyped_properties: tuple[tuple[str, str, dict[str, Any]], ...] = field(default=(), compare=False)

    @property
    def models(self) -> tuple[Model, ...]:
        return tuple(sorted((m for t in self.tasks for m in t.models), key=lambda m: m.id))
