"""Fine-tunes (LoRA adapters): create one, upload its adapter files, list your own and the public ones.

    tune = client.finetunes.create("@cf/mistral/mistral-7b-instruct-v0.2-lora", "my-adapter")
    client.finetunes.upload(tune, "path/to/adapter")   # adapter_config.json + adapter_model.safetensors
    client.run("@cf/mistral/mistral-7b-instruct-v0.2-lora", {"prompt": "...", "lora": tune.id})

The adapter folder is checked before anything is uploaded (Workers AI "Fine-tunes / LoRA adapters"): both
files present under exactly those names, `adapter_config.json` a JSON object whose `model_type` is one of
`ADAPTER_MODEL_TYPES`, and each file smaller than `MAX_ADAPTER_BYTES`. Each file is one multipart POST to
`/ai/finetunes/{id}/finetune-assets` with the form fields `file_name` and `file`.
"""

from __future__ import annotations

import builtins
import json
from pathlib import Path
from typing import Any

from ._records import Record, parse_record, parse_records
from ._rest import AsyncRest, FilePart, QueryParams, SyncRest
from .errors import InputValidationError, Issue

__all__ = [
    "ADAPTER_FILES",
    "ADAPTER_MODEL_TYPES",
    "MAX_ADAPTER_BYTES",
    "AsyncFinetunes",
    "Finetune",
    "FinetuneAsset",
    "Finetunes",
]

ADAPTER_CONFIG = "adapter_config.json"
ADAPTER_WEIGHTS = "adapter_model.safetensors"
ADAPTER_FILES = (ADAPTER_CONFIG, ADAPTER_WEIGHTS)
ADAPTER_MODEL_TYPES = frozenset({"mistral", "gemma", "llama"})
MAX_ADAPTER_BYTES = 500_000_000


class Finetune(Record):
    """A fine-tune of your account (or a public one)."""

    id: str
    name: str
    model: str
    description: str | None = None
    public: bool = False
    created_at: str | None = None
    modified_at: str | None = None


class FinetuneAsset(Record):
    """One uploaded adapter file."""

    id: str
    file_name: str
    finetune_id: str | None = None
    bucket_name: str | None = None
    created_at: str | None = None
    modified_at: str | None = None


FinetuneList = builtins.list[Finetune]


def _create_body(model: str, name: str, description: str | None, public: bool) -> dict[str, Any]:
    issues = [
        Issue(f"/{key}", f"must be a non-empty string, not {value!r}")
        for key, value in (("model", model), ("name", name))
        if not isinstance(value, str) or not value.strip()
    ]
    if description is not None and not isinstance(description, str):
        issues.append(Issue("/description", f"must be a string, not {description!r}"))
    if not isinstance(public, bool):
        issues.append(Issue("/public", f"must be a bool, not {public!r}"))
    if issues:
        raise InputValidationError("finetunes.create", issues)
    body: dict[str, Any] = {"model": model, "name": name, "public": public}
    if description is not None:
        body["description"] = description
    return body


def _finetune_id(finetune: Finetune | str) -> str:
    value = finetune.id if isinstance(finetune, Finetune) else finetune
    if not isinstance(value, str) or not value.strip() or "/" in value:
        raise InputValidationError("finetunes.upload", [Issue("/finetune", f"not a fine-tune id: {value!r}")])
    return value


def adapter_parts(folder: str | Path) -> list[FilePart]:
    """The two adapter files of `folder`, checked; raises `InputValidationError` listing every problem."""
    path = Path(folder)
    if not path.is_dir():
        raise InputValidationError("finetunes.upload", [Issue("", f"{path} is not a folder")])
    names = {entry.name for entry in path.iterdir()}
    issues: list[Issue] = []
    for required in ADAPTER_FILES:
        if required not in names:
            near = sorted(n for n in names if n.lower() == required.lower())
            hint = f" (found {near[0]!r}: the name must match exactly)" if near else ""
            issues.append(Issue(f"/{required}", f"missing in {path}{hint}"))
            continue
        size = (path / required).stat().st_size
        if size >= MAX_ADAPTER_BYTES:
            issues.append(
                Issue(f"/{required}", f"{size:,} bytes; adapter files must be under {MAX_ADAPTER_BYTES:,}")
            )
        elif size == 0:
            issues.append(Issue(f"/{required}", "is empty"))
    if ADAPTER_CONFIG in names:
        issues.extend(_config_issues(path / ADAPTER_CONFIG))
    if issues:
        raise InputValidationError("finetunes.upload", issues)
    return [
        FilePart("file", ADAPTER_CONFIG, path / ADAPTER_CONFIG, "application/json"),
        FilePart("file", ADAPTER_WEIGHTS, path / ADAPTER_WEIGHTS),
    ]


def _config_issues(config: Path) -> list[Issue]:
    pointer = f"/{ADAPTER_CONFIG}"
    try:
        document = json.loads(config.read_bytes()[:MAX_ADAPTER_BYTES])
    except ValueError as exc:
        return [Issue(pointer, f"is not valid JSON ({exc})")]
    if not isinstance(document, dict):
        return [Issue(pointer, "must be a JSON object")]
    model_type = document.get("model_type")
    if model_type not in ADAPTER_MODEL_TYPES:
        allowed = ", ".join(sorted(ADAPTER_MODEL_TYPES))
        return [
            Issue(
                f"{pointer}/model_type", f"must be one of {allowed} (add it to the file), not {model_type!r}"
            )
        ]
    return []


def _public_params(
    limit: int | None, offset: int | None, order_by: str | None
) -> dict[str, str | int | bool]:
    query = QueryParams("finetunes.public.list")
    for name, value in (("limit", limit), ("offset", offset)):
        valid = isinstance(value, int) and not isinstance(value, bool) and value >= 0
        query.add(name, value, valid, "an int >= 0")
    valid = isinstance(order_by, str) and order_by != ""
    query.add("order_by", order_by, valid, "a non-empty column name", key="orderBy")
    return query.checked()


def _asset_path(finetune_id: str) -> str:
    return f"/ai/finetunes/{finetune_id}/finetune-assets"


class PublicFinetunes:
    def __init__(self, rest: SyncRest) -> None:
        self._rest = rest

    def list(
        self, limit: int | None = None, offset: int | None = None, order_by: str | None = None
    ) -> FinetuneList:
        """Public fine-tunes (`GET /ai/finetunes/public`, paged by `limit` / `offset`)."""
        reply = self._rest.request(
            "GET", "/ai/finetunes/public", params=_public_params(limit, offset, order_by)
        )
        return parse_records(Finetune, reply.result, "GET /ai/finetunes/public")


class AsyncPublicFinetunes:
    def __init__(self, rest: AsyncRest) -> None:
        self._rest = rest

    async def list(
        self, limit: int | None = None, offset: int | None = None, order_by: str | None = None
    ) -> FinetuneList:
        reply = await self._rest.request(
            "GET", "/ai/finetunes/public", params=_public_params(limit, offset, order_by)
        )
        return parse_records(Finetune, reply.result, "GET /ai/finetunes/public")


class Finetunes:
    """`client.finetunes`."""

    def __init__(self, rest: SyncRest) -> None:
        self._rest = rest
        self.public = PublicFinetunes(rest)

    def create(self, model: str, name: str, description: str | None = None, public: bool = False) -> Finetune:
        reply = self._rest.request(
            "POST", "/ai/finetunes", json_body=_create_body(model, name, description, public)
        )
        return parse_record(Finetune, reply.result, "POST /ai/finetunes")

    def list(self) -> FinetuneList:
        return parse_records(Finetune, self._rest.request("GET", "/ai/finetunes").result, "GET /ai/finetunes")

    def upload(self, finetune: Finetune | str, folder: str | Path) -> builtins.list[FinetuneAsset]:
        """Upload the adapter files of `folder` (checked first; nothing is sent if a check fails)."""
        finetune_id = _finetune_id(finetune)
        assets = []
        for part in adapter_parts(folder):
            reply = self._rest.request(
                "POST", _asset_path(finetune_id), files=[part], data={"file_name": part.filename}
            )
            assets.append(parse_record(FinetuneAsset, reply.result, f"POST {_asset_path(finetune_id)}"))
        return assets


class AsyncFinetunes:
    """`client.finetunes` (async)."""

    def __init__(self, rest: AsyncRest) -> None:
        self._rest = rest
        self.public = AsyncPublicFinetunes(rest)

    async def create(
        self, model: str, name: str, description: str | None = None, public: bool = False
    ) -> Finetune:
        body = _create_body(model, name, description, public)
        reply = await self._rest.request("POST", "/ai/finetunes", json_body=body)
        return parse_record(Finetune, reply.result, "POST /ai/finetunes")

    async def list(self) -> FinetuneList:
        reply = await self._rest.request("GET", "/ai/finetunes")
        return parse_records(Finetune, reply.result, "GET /ai/finetunes")

    async def upload(self, finetune: Finetune | str, folder: str | Path) -> builtins.list[FinetuneAsset]:
        finetune_id = _finetune_id(finetune)
        assets = []
        for part in adapter_parts(folder):
            reply = await self._rest.request(
                "POST", _asset_path(finetune_id), files=[part], data={"file_name": part.filename}
            )
            assets.append(parse_record(FinetuneAsset, reply.result, f"POST {_asset_path(finetune_id)}"))
        return assets
