"""The runtime tests' throw-away package built around `generator/runtime/*.py`, and a harness that runs
each scenario with the sync or the async client.

The throw-away package is named `workers_ai_under_test` (not `workers_ai`) so it can never be confused
with the real generated package that other tests import from `generated/`; the runtime only uses relative
imports, so its package name does not matter.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import textwrap
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from tests.support.fault_server import FaultServer

PKG = "workers_ai_under_test"
RUNTIME = Path(__file__).resolve().parents[2] / "generator" / "runtime"
TOKEN = "cf-token-SECRET-0123456789abcdef"
ACCOUNT = "acc123"

DISTILBERT = "@cf/huggingface/distilbert-sst-2-int8"
LLAMA = "@cf/meta/llama-3.2-1b-instruct"
RESNET = "@cf/microsoft/resnet-50"
IMG2IMG = "@cf/runwayml/stable-diffusion-v1-5-img2img"
MELOTTS = "@cf/myshell-ai/melotts"
UNTYPED = "@cf/swiss-ai/apertus-v1.5-8b"

_ITEMS = {
    "type": "array",
    "items": {"type": "object", "properties": {"score": {"type": "number"}, "label": {"type": "string"}}},
}
_UINT8 = {"type": "array", "items": {"type": "number"}}
_GENERATION = {
    "type": "object",
    "properties": {
        "response": {"type": "string"},
        "usage": {
            "type": "object",
            "properties": {"prompt_tokens": {"type": "number"}, "completion_tokens": {"type": "number"}},
        },
        "tool_calls": {"type": "array", "items": {"type": "object"}},
    },
}

SCHEMAS: dict[str, dict[str, Any]] = {
    "distilbert.json": {
        "model": DISTILBERT,
        "input": {
            "type": "object",
            "properties": {"text": {"type": "string", "minLength": 1}},
            "required": ["text"],
        },
        "output": {**_ITEMS, "contentType": "application/json"},
        "output_json": _ITEMS,
    },
    "llama.json": {
        "model": LLAMA,
        "input": {
            "type": "object",
            "oneOf": [
                {
                    "title": "Prompt",
                    "properties": {
                        "prompt": {"type": "string", "minLength": 1, "maxLength": 131072},
                        "stream": {"type": "boolean"},
                        "max_tokens": {"type": "integer"},
                    },
                    "required": ["prompt"],
                },
                {
                    "title": "Messages",
                    "properties": {
                        "messages": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {"role": {"type": "string"}, "content": {"type": "string"}},
                                "required": ["role", "content"],
                            },
                        },
                        "stream": {"type": "boolean"},
                    },
                    "required": ["messages"],
                },
            ],
        },
        "output": {"oneOf": [_GENERATION, {"type": "string", "format": "binary"}]},
        "output_json": _GENERATION,
    },
    "resnet.json": {
        "model": RESNET,
        "input": {
            "oneOf": [
                {"type": "string", "format": "binary"},
                {"type": "object", "properties": {"image": _UINT8}, "required": ["image"]},
            ]
        },
        "output": _ITEMS,
        "output_json": _ITEMS,
    },
    "img2img.json": {
        "model": IMG2IMG,
        "input": {
            "type": "object",
            "properties": {
                "prompt": {"type": "string", "minLength": 1},
                "image": _UINT8,
                "mask": _UINT8,
                "image_b64": {"type": "string"},
            },
            "required": ["prompt"],
        },
        "output": {"type": "string", "format": "binary", "contentType": "image/png"},
        "output_json": None,
    },
    "melotts.json": {
        "model": MELOTTS,
        "input": {
            "type": "object",
            "properties": {"prompt": {"type": "string", "minLength": 1}, "lang": {"type": "string"}},
            "required": ["prompt"],
        },
        "output": {"oneOf": [{"type": "object", "properties": {"audio": {"type": "string"}}}]},
        "output_json": {"type": "object", "properties": {"audio": {"type": "string"}}},
    },
}

MODELS_PY = """
from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, RootModel


class Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class ClassificationItem(Open):
    score: float | None = None
    label: str | None = None


class ClassificationOutput(RootModel[list[ClassificationItem]]):
    def __len__(self) -> int:
        return len(self.root)

    def __getitem__(self, index: int) -> ClassificationItem:
        return self.root[index]


class DistilbertInput(BaseModel):
    text: str


class Usage(Open):
    prompt_tokens: float | None = None
    completion_tokens: float | None = None


class GenerationOutput(Open):
    response: str | None = None
    usage: Usage | None = None
    tool_calls: list[dict[str, Any]] | None = None


class SpeechOutput(Open):
    audio: str | None = None
"""

REGISTRY_PY = f'''
from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from {PKG}._spec import ModelSpec

M = "{PKG}.fake_models:"

MODELS: Final[Mapping[str, ModelSpec]] = {{
    "{DISTILBERT}": ModelSpec(
        "{DISTILBERT}", "text-classification", M + "DistilbertInput", M + "ClassificationOutput",
        ("application/json",), False, (), (), "distilbert.json",
    ),
    "{LLAMA}": ModelSpec(
        "{LLAMA}", "text-generation", None, M + "GenerationOutput",
        ("application/json", "text/event-stream"), False, (), (), "llama.json",
    ),
    "{RESNET}": ModelSpec(
        "{RESNET}", "image-classification", None, M + "ClassificationOutput",
        ("application/json",), True, ("image",), (), "resnet.json",
    ),
    "{IMG2IMG}": ModelSpec(
        "{IMG2IMG}", "text-to-image", None, None,
        ("image/png",), False, ("image", "mask"), ("image_b64",), "img2img.json",
    ),
    "{MELOTTS}": ModelSpec(
        "{MELOTTS}", "text-to-speech", None, M + "SpeechOutput",
        ("application/json", "audio/mpeg"), False, (), (), "melotts.json",
    ),
}}
UNTYPED_MODELS: Final[frozenset[str]] = frozenset({{"{UNTYPED}"}})
'''

CLIENT_PY = f'''
from __future__ import annotations

from typing import Any

from {PKG}._base_client import AsyncClient, SyncClient
from {PKG}._registry import MODELS, UNTYPED_MODELS


class WorkersAI(SyncClient):
    _models = MODELS
    _untyped_models = UNTYPED_MODELS

    def run(self, model: str, input: Any, *, stream: bool = False, **options: Any) -> Any:
        return self._run(model, input, stream=stream, **options)

    def stream(self, model: str, input: Any, **options: Any) -> Any:
        return self._stream(model, input, **options)

    def text_classification(self, *, model: str = "{DISTILBERT}", **input: Any) -> Any:
        return self._run(model, input, stream=False)


class AsyncWorkersAI(AsyncClient):
    _models = MODELS
    _untyped_models = UNTYPED_MODELS

    async def run(self, model: str, input: Any, *, stream: bool = False, **options: Any) -> Any:
        return await self._run(model, input, stream=stream, **options)

    async def stream(self, model: str, input: Any, **options: Any) -> Any:
        return await self._stream(model, input, **options)

    async def text_classification(self, *, model: str = "{DISTILBERT}", **input: Any) -> Any:
        return await self._run(model, input, stream=False)
'''


def build_package(root: Path) -> Path:
    """Write the throw-away package under `root` and return its folder."""
    package = root / PKG
    (package / "_schemas").mkdir(parents=True)
    for source in RUNTIME.iterdir():
        if source.suffix == ".py" or source.name == "py.typed":
            shutil.copy(source, package / source.name)
    (package / "__init__.py").write_text('"""Throw-away package for the runtime tests."""\n')
    (package / "fake_models.py").write_text(textwrap.dedent(MODELS_PY))
    (package / "_registry.py").write_text(textwrap.dedent(REGISTRY_PY))
    (package / "client.py").write_text(textwrap.dedent(CLIENT_PY))
    for name, schema in SCHEMAS.items():
        (package / "_schemas" / name).write_text(json.dumps(schema))
    return package


class Harness:
    """Runs one call with the sync client (`kind == "sync"`) or the async client (`"async"`)."""

    def __init__(self, wai: SimpleNamespace, kind: str, server: FaultServer) -> None:
        self.wai = wai
        self.kind = kind
        self.server = server

    def options(self, **overrides: Any) -> dict[str, Any]:
        options: dict[str, Any] = {
            "account_id": ACCOUNT,
            "api_token": TOKEN,
            "base_url": self.server.base_url,
            "timeout": 5.0,
        }
        options.update(overrides)
        return options

    def run(
        self, model: str, input: Any, *, stream: bool = False, call: Any = None, **client_options: Any
    ) -> Any:
        """The result of `client.run(...)` (with the keyword arguments `call`); a stream is drained into a
        list of chunks."""
        call = call or {}
        if self.kind == "sync":
            with self.wai.WorkersAI(**self.options(**client_options)) as client:
                result = client.run(model, input, stream=stream, **call)
                if isinstance(result, self.wai.streaming.Stream):
                    with result:
                        return list(result)
                return result

        async def main() -> Any:
            async with self.wai.AsyncWorkersAI(**self.options(**client_options)) as client:
                result = await client.run(model, input, stream=stream, **call)
                if isinstance(result, self.wai.streaming.AsyncStream):
                    async with result:
                        return [chunk async for chunk in result]
                return result

        return asyncio.run(main())

    def stream(self, model: str, input: Any, **client_options: Any) -> list[Any]:
        if self.kind == "sync":
            with (
                self.wai.WorkersAI(**self.options(**client_options)) as client,
                client.stream(model, input) as s,
            ):
                return list(s)

        async def main() -> list[Any]:
            async with self.wai.AsyncWorkersAI(**self.options(**client_options)) as client:
                stream = await client.stream(model, input)
                async with stream:
                    return [chunk async for chunk in stream]

        return asyncio.run(main())
