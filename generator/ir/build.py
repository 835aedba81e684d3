"""Build the IR from loaded model files: tasks, models, content types, binary and stream facts."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from generator import naming
from generator.diagnostics import Diagnostic, Severity
from generator.ir import defaults
from generator.ir.model import Catalog, InputSpec, Model, OutputSpec, OutputVariant, Task
from generator.load import LoadResult, ModelFile
from generator.schema import EVENT_STREAM, JSON, OCTET_STREAM, branches, is_binary_string

_UINT8_HINT = re.compile(r"8-bit|0 and 255|0-255|uint8|unsigned 8", re.IGNORECASE)


def _object_schemas(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """The schema itself and its top-level object branches: where input properties live."""
    found = [schema] if isinstance(schema.get("properties"), dict) else []
    found += [b for b in branches(schema) if isinstance(b, dict) and isinstance(b.get("properties"), dict)]
    return found


def _is_uint8_array(prop: Any) -> bool:
    if not isinstance(prop, dict) or prop.get("type") != "array":
        return False
    items = prop.get("items")
    if not isinstance(items, dict) or items.get("type") not in ("number", "integer"):
        return False
    text = f"{prop.get('description', '')} {items.get('description', '')}"
    return bool(_UINT8_HINT.search(text)) or items.get("maximum") == 255


def _is_base64_string(prop: Any) -> bool:
    if not isinstance(prop, dict) or prop.get("type") != "string":
        return False
    return prop.get("format") == "binary" or "base64" in str(prop.get("description", "")).lower()


def build_input(schema: dict[str, Any]) -> InputSpec:
    objects = _object_schemas(schema)
    props: dict[str, None] = {}
    uint8: dict[str, None] = {}
    b64: dict[str, None] = {}
    stream = False
    for obj in objects:
        for name, prop in obj["properties"].items():
            props[name] = None
            if _is_uint8_array(prop):
                uint8[name] = None
            elif _is_base64_string(prop):
                b64[name] = None
            if name == "stream" and isinstance(prop, dict) and prop.get("type") == "boolean":
                stream = True
    raw = is_binary_string(schema) or any(is_binary_string(b) for b in branches(schema))
    return InputSpec(
        schema=schema,
        raw_body=raw,
        uint8_array_fields=tuple(sorted(uint8)),
        base64_fields=tuple(sorted(b64)),
        has_stream_flag=stream,
        properties=tuple(sorted(props)),
    )


def _variant_content_type(schema: Any, streams: bool, inherited: str | None = None) -> str:
    if isinstance(schema, dict) and isinstance(schema.get("contentType"), str):
        return str(schema["contentType"])
    if is_binary_string(schema):
        # Catalog files omit contentType on the streamed variant of some text-generation models;
        # a binary string answer of a model that takes `stream: true` is its SSE stream.
        return EVENT_STREAM if streams else OCTET_STREAM
    return inherited or JSON


def build_output(schema: dict[str, Any], streams: bool) -> OutputSpec:
    """The one reading of an output schema: its content types and the schema of the JSON `result`.

    The client, the registry, the drift checks and the docs all take these from here.
    """
    union = branches(schema)
    typed_branches = [b for b in union if isinstance(b, dict) and ("contentType" in b or is_binary_string(b))]
    root_type = schema.get("contentType") if isinstance(schema.get("contentType"), str) else None
    if union and typed_branches:
        variants = tuple(
            OutputVariant(_variant_content_type(b, streams, root_type), b)
            for b in union
            if isinstance(b, dict)
        )
    else:
        variants = (OutputVariant(_variant_content_type(schema, streams), schema),)
    json_variants = [v.schema for v in variants if v.is_json]
    json_schema: dict[str, Any] | None
    if not json_variants:
        json_schema = None
    elif len(variants) == 1:
        json_schema = schema
    else:
        # The root's other keywords (`type: object`, `description`) still constrain every JSON variant.
        key = "oneOf" if "oneOf" in schema else "anyOf"
        rest = {k: v for k, v in schema.items() if k not in (key, "contentType")}
        json_schema = (
            {**rest, **json_variants[0]} if len(json_variants) == 1 else {**rest, key: json_variants}
        )
    return OutputSpec(schema=schema, variants=variants, json_schema=json_schema)


def build_model(file: ModelFile) -> Model:
    assert file.input_schema is not None and file.output_schema is not None
    spec_in = build_input(file.input_schema)
    created = file.raw.get("created_at")
    return Model(
        id=file.id,
        display_path=file.display_path,
        file_name=file.path.name,
        sha256=file.sha256,
        description=file.description.strip(),
        task_slug=naming.task_slug(file.task_name),
        created_at=created if isinstance(created, str) else "",
        type_prefix=naming.model_type_prefix(file.id),
        module=naming.model_module(file.id),
        input=spec_in,
        output=build_output(file.output_schema, spec_in.has_stream_flag),
        properties=catalog_properties(file.raw.get("properties")),
        batchable=_has_property(file.raw, "async_queue"),
    )


def _has_property(document: Mapping[str, Any], property_id: str) -> bool:
    """Whether the catalog file's `properties` list names `property_id` with a true value."""
    properties = document.get("properties")
    return isinstance(properties, list) and any(
        isinstance(p, dict) and p.get("property_id") == property_id and str(p.get("value")).lower() == "true"
        for p in properties
    )


def catalog_properties(value: Any) -> dict[str, Any]:
    """The catalog's `[{property_id, value}, ...]` list as a dict (malformed entries are skipped)."""
    found: dict[str, Any] = {}
    for entry in value if isinstance(value, list) else []:
        if isinstance(entry, dict) and isinstance(entry.get("property_id"), str):
            found[entry["property_id"]] = entry.get("value")
    return found


def _collisions(models: Iterable[Model], diagnostics: list[Diagnostic]) -> set[str]:
    """Models whose generated names would clash after normalisation: reported, left out."""
    bad: set[str] = set()
    for attr in ("type_prefix", "module"):
        owner: dict[str, Model] = {}
        for model in models:
            key = getattr(model, attr)
            if key in owner:
                other = owner[key]
                diagnostics.append(
                    Diagnostic(
                        model.display_path,
                        "/name",
                        f"model {model.id!r} and {other.id!r} ({other.display_path}) both become {key!r} in Python; rename one",
                    )
                )
                bad.update((model.id, other.id))
            else:
                owner[key] = model
    return bad


def build_catalog(
    loaded: LoadResult, default_overrides: Mapping[str, str] | None = None
) -> tuple[Catalog, list[Diagnostic]]:
    diagnostics: list[Diagnostic] = []
    typed = [f for f in loaded.models if f.has_schema]
    models = [build_model(f) for f in typed]
    bad = _collisions(models, diagnostics)
    models = [m for m in models if m.id not in bad]
    task_names: dict[str, tuple[str, str]] = {}
    raw_by_id = {f.id: f.raw for f in typed}
    for f in typed:
        slug = naming.task_slug(f.task_name)
        task_names.setdefault(slug, (f.task_name, f.task_description))
        if not slug:
            diagnostics.append(
                Diagnostic(f.display_path, "/task/name", f"task name {f.task_name!r} has no letters")
            )
    tasks: list[Task] = []
    for slug, (name, description) in sorted(task_names.items()):
        members = tuple(sorted((m for m in models if m.task_slug == slug), key=lambda m: m.id))
        if not members or not slug:
            continue
        # Default model: by the rule of `generator.ir.defaults` (documented there).
        default_id, notes = defaults.choose(
            slug, [(m.id, m.created_at, raw_by_id[m.id]) for m in members], default_overrides or {}
        )
        diagnostics += notes
        default = next(m for m in members if m.id == default_id)
        tasks.append(
            Task(
                name=name,
                slug=slug,
                description=description.strip(),
                class_name=naming.task_class_name(name),
                module=naming.task_module(name),
                method_name=naming.task_method(naming.task_module(name)),
                models=members,
                default_model=default,
            )
        )
    untyped = tuple(sorted(f.id for f in loaded.models if not f.has_schema))
    for m in models:
        if m.output.binary_types and OCTET_STREAM in m.output.binary_types:
            diagnostics.append(
                Diagnostic(
                    m.display_path,
                    "/schema/output",
                    "binary output without contentType; treated as application/octet-stream",
                    Severity.WARNING,
                )
            )
    untyped_properties = tuple(
        (f.id, naming.task_slug(f.task_name), catalog_properties(f.raw.get("properties")))
        for f in sorted(loaded.models, key=lambda f: f.id)
        if not f.has_schema
    )
    catalog = Catalog(tasks=tuple(tasks), untyped_models=untyped, untyped_properties=untyped_properties)
    return catalog, diagnostics
