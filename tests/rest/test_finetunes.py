"""`client.finetunes`: create, list, public list, and the adapter upload checked part by part."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from rest_support import PREFIX, Client, multipart_parts, resolve, run

from tests.support.fault_server import FaultServer, Reply
from workers_ai._finetunes import MAX_ADAPTER_BYTES
from workers_ai.errors import (
    FinetuneError,
    FinetuneMissingFilesError,
    InputValidationError,
    LoraNotSupportedError,
)

MISTRAL = "@cf/mistral/mistral-7b-instruct-v0.2-lora"
TUNE = {
    "id": "ft-1",
    "name": "pirate",
    "model": MISTRAL,
    "description": "talks like a pirate",
    "public": False,
    "created_at": "2026-12-01T10:00:00Z",
    "modified_at": "2026-12-01T10:00:00Z",
}
CONFIG = {"model_type": "mistral", "r": 8, "lora_alpha": 16}
WEIGHTS = b"\x00safetensors\xff" * 64


def asset(name: str) -> Reply:
    return Reply.envelope(
        {"id": f"asset-{name}", "file_name": name, "finetune_id": "ft-1", "bucket_name": "b"}
    )


@pytest.fixture
def adapter(tmp_path: Path) -> Path:
    folder = tmp_path / "adapter"
    folder.mkdir()
    (folder / "adapter_config.json").write_text(json.dumps(CONFIG))
    (folder / "adapter_model.safetensors").write_bytes(WEIGHTS)
    (folder / "README.md").write_text("not uploaded")
    return folder


def test_create_upload_list(mode: str, server: FaultServer, adapter: Path) -> None:
    server.enqueue(
        Reply.envelope(TUNE),
        asset("adapter_config.json"),
        asset("adapter_model.safetensors"),
        Reply.envelope([TUNE]),
        Reply.envelope([{**TUNE, "id": "ft-public", "public": True}]),
    )

    async def scenario(client: Client) -> None:
        tune = await resolve(client.finetunes.create(MISTRAL, "pirate", "talks like a pirate"))
        assert (tune.id, tune.model, tune.public) == ("ft-1", MISTRAL, False)
        assets = await resolve(client.finetunes.upload(tune, adapter))
        assert [a.file_name for a in assets] == ["adapter_config.json", "adapter_model.safetensors"]
        assert [t.id for t in await resolve(client.finetunes.list())] == ["ft-1"]
        public = await resolve(client.finetunes.public.list(limit=10, offset=20, order_by="created_at"))
        assert [(t.id, t.public) for t in public] == [("ft-public", True)]

    run(mode, server, scenario)
    create, config, weights, listing, public = server.requests
    assert (create.method, create.path) == ("POST", f"{PREFIX}/ai/finetunes")
    assert create.json() == {
        "model": MISTRAL,
        "name": "pirate",
        "public": False,
        "description": "talks like a pirate",
    }
    for request, name, data, content_type in (
        (config, "adapter_config.json", json.dumps(CONFIG).encode(), "application/json"),
        (weights, "adapter_model.safetensors", WEIGHTS, "application/octet-stream"),
    ):
        assert (request.method, request.path) == ("POST", f"{PREFIX}/ai/finetunes/ft-1/finetune-assets")
        parts = multipart_parts(request)
        assert [(p.name, p.filename) for p in parts] == [("file_name", None), ("file", name)]
        assert parts[0].data == name.encode()
        assert parts[1].data == data and parts[1].content_type == content_type
    assert (listing.method, listing.path) == ("GET", f"{PREFIX}/ai/finetunes")
    assert urlparse(public.path).path == f"{PREFIX}/ai/finetunes/public"
    assert parse_qs(urlparse(public.path).query) == {
        "limit": ["10"],
        "offset": ["20"],
        "orderBy": ["created_at"],
    }


@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        (lambda f: (f / "adapter_model.safetensors").unlink(), "/adapter_model.safetensors: missing"),
        (
            lambda f: (f / "adapter_config.json").rename(f / "Adapter_Config.json"),
            "the name must match exactly",
        ),
        (
            lambda f: (f / "adapter_config.json").write_text('{"model_type": "qwen"}'),
            "/adapter_config.json/model_type: must be one of gemma, llama, mistral",
        ),
        (lambda f: (f / "adapter_config.json").write_text("{not json"), "is not valid JSON"),
        (
            lambda f: (f / "adapter_model.safetensors").open("wb").truncate(MAX_ADAPTER_BYTES),
            "adapter files must be under 500,000,000",
        ),
    ],
)
def test_bad_adapter_folders_upload_nothing(
    mode: str, server: FaultServer, adapter: Path, damage: object, expected: str
) -> None:
    assert callable(damage)
    damage(adapter)

    async def scenario(client: Client) -> None:
        with pytest.raises(InputValidationError) as caught:
            await resolve(client.finetunes.upload("ft-1", adapter))
        assert expected in str(caught.value)

    run(mode, server, scenario)
    assert server.count == 0


def test_bad_arguments_send_nothing(mode: str, server: FaultServer, tmp_path: Path) -> None:
    async def scenario(client: Client) -> None:
        with pytest.raises(InputValidationError, match="/name"):
            await resolve(client.finetunes.create(MISTRAL, ""))
        with pytest.raises(InputValidationError, match="/public"):
            await resolve(client.finetunes.create(MISTRAL, "x", public="yes"))  # type: ignore[arg-type]
        with pytest.raises(InputValidationError, match="/limit"):
            await resolve(client.finetunes.public.list(limit=-1))
        with pytest.raises(InputValidationError, match="not a folder"):
            await resolve(client.finetunes.upload("ft-1", tmp_path / "nowhere"))
        with pytest.raises(InputValidationError, match="not a fine-tune id"):
            await resolve(client.finetunes.upload("../x", tmp_path))

    run(mode, server, scenario)
    assert server.count == 0


def test_finetune_error_codes_are_typed(mode: str, server: FaultServer) -> None:
    server.enqueue(
        Reply.failure(400, 3039, "Finetune is missing required files (model.safetensors and config.json)"),
        Reply.failure(400, 3037, "Finetune rejected"),
        Reply.failure(405, 5005, "The model does not support LoRa inference"),
    )

    async def scenario(client: Client) -> None:
        with pytest.raises(FinetuneMissingFilesError, match=r"adapter_model\.safetensors"):
            await resolve(client.finetunes.list())
        with pytest.raises(FinetuneError) as caught:
            await resolve(client.finetunes.list())
        assert caught.value.code == 3037
        # `lora=` is part of the typed input of the models that take it; a model without LoRA support says
        # so with code 5005.
        with pytest.raises(LoraNotSupportedError):
            await resolve(client.run("@cf/meta/llama-3.2-1b-instruct", {"prompt": "hi", "lora": "ft-1"}))

    run(mode, server, scenario)
    assert server.requests[2].json() == {"prompt": "hi", "lora": "ft-1"}
