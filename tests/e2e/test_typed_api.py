"""The calls whose types promise something do it at run time too, sync and async, over a real socket:
`async with` / `async for` / `await` on `stream()`, `"stream": true` inside the input refused, union
outputs returned as the branch itself, base64 images as bytes, `run_untyped()`, the User-Agent."""

from __future__ import annotations

import asyncio
import base64
import warnings
from pathlib import Path
from typing import Any

import pytest
from e2e_support import async_client

from generator.emit.examples import example_for
from tests.support.fault_server import FaultServer, Reply
from workers_ai import TextGenerationChunk, WorkersAI, __version__
from workers_ai._registry import MODELS, model_schemas
from workers_ai.errors import InputValidationError
from workers_ai.types import BaaiBgeBaseEnV1_5OutputAsyncResponse, BaaiBgeBaseEnV1_5OutputWithShape

LLAMA = "@cf/meta/llama-3.1-8b-instruct-fp8"
BGE = "@cf/baai/bge-base-en-v1.5"
FLUX = "@cf/black-forest-labs/flux-1-schnell"
SSE = [{"response": "Hel"}, {"response": "lo"}]
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 16
EMBEDDING = {"shape": [1, 2], "data": [[0.5, 0.25]], "pooling": "mean"}


def _run_async(scenario: Any) -> Any:
    return asyncio.run(scenario)


def test_async_stream_works_with_async_with_async_for_and_await(server: FaultServer) -> None:
    server.enqueue(Reply.sse(SSE), Reply.sse(SSE), Reply.sse(SSE))

    async def scenario() -> list[list[str | None]]:
        seen: list[list[str | None]] = []
        async with async_client(server, max_retries=0) as client:
            async with client.stream(LLAMA, {"prompt": "hi"}) as chunks:
                seen.append([c.response async for c in chunks])
            seen.append([c.response async for c in client.stream(LLAMA, {"prompt": "hi"})])
            awaited = await client.stream(LLAMA, {"prompt": "hi"})
            seen.append([c.response async for c in awaited])
        return seen

    assert _run_async(scenario()) == [["Hel", "lo"]] * 3
    assert server.count == 3 and all(r.json()["stream"] is True for r in server.requests)


def test_async_stream_never_used_sends_nothing(server: FaultServer) -> None:
    async def scenario() -> None:
        async with async_client(server, max_retries=0) as client:
            client.stream(LLAMA, {"prompt": "hi"})

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an un-awaited coroutine would warn
        _run_async(scenario())
    assert server.count == 0


def test_stream_key_inside_the_input_is_refused(server: FaultServer, client: WorkersAI) -> None:
    bad: Any = {"prompt": "hi", "stream": True}
    with pytest.raises(InputValidationError, match=r"/stream: pass stream=True"):
        client.run(LLAMA, bad)

    async def scenario() -> None:
        async with async_client(server, max_retries=0) as async_ai:
            with pytest.raises(InputValidationError, match=r"/stream"):
                await async_ai.run(LLAMA, bad)

    _run_async(scenario())
    assert server.count == 0


def test_union_output_is_the_branch_itself(server: FaultServer, client: WorkersAI) -> None:
    server.enqueue(Reply.envelope(EMBEDDING), Reply.envelope({"request_id": "r-1"}))
    embedded = client.text_embeddings(model=BGE, text="hello")
    assert isinstance(embedded, BaaiBgeBaseEnV1_5OutputWithShape) and embedded.data == [[0.5, 0.25]]
    queued = client.run(BGE, {"text": "hello"})
    assert isinstance(queued, BaaiBgeBaseEnV1_5OutputAsyncResponse) and queued.request_id == "r-1"

    async def scenario() -> Any:
        async with async_client(server, max_retries=0) as async_ai:
            return await async_ai.run(BGE, {"text": ["a", "b"]})

    server.enqueue(Reply.envelope(EMBEDDING))
    assert isinstance(_run_async(scenario()), BaaiBgeBaseEnV1_5OutputWithShape)


def test_base64_image_result_gives_bytes(server: FaultServer, client: WorkersAI, tmp_path: Path) -> None:
    encoded = base64.b64encode(JPEG).decode()
    server.enqueue(Reply.envelope({"image": encoded}), Reply.envelope({"image": encoded}))
    result = client.text_to_image(model=FLUX, prompt="a cat")
    assert result.image_bytes() == JPEG
    assert result.image_output().content_type == "image/jpeg"
    assert result.save(tmp_path / "cat.jpg").read_bytes() == JPEG

    async def scenario() -> bytes:
        async with async_client(server, max_retries=0) as async_ai:
            return (await async_ai.run(FLUX, {"prompt": "a cat"})).image_bytes()

    assert _run_async(scenario()) == JPEG


def test_run_untyped_reaches_models_newer_than_the_package(server: FaultServer, client: WorkersAI) -> None:
    server.enqueue(Reply.envelope({"anything": [1, 2]}), Reply.envelope("plain"))
    assert client.run_untyped("@cf/vendor/next-year-model", {"free": "form"}) == {"anything": [1, 2]}

    async def scenario() -> Any:
        async with async_client(server, max_retries=0) as async_ai:
            return await async_ai.run_untyped("@cf/vendor/next-year-model", {"free": "form"})

    assert _run_async(scenario()) == "plain"
    assert [r.json() for r in server.requests] == [{"free": "form"}] * 2


def test_user_agent_names_the_package_and_version(server: FaultServer, client: WorkersAI) -> None:
    server.enqueue(Reply.envelope([{"label": "POSITIVE", "score": 0.9}]))
    client.text_classification(text="great")

    async def scenario() -> None:
        async with async_client(server, max_retries=0) as async_ai:
            await async_ai.text_classification(text="great")

    server.enqueue(Reply.envelope([{"label": "POSITIVE", "score": 0.9}]))
    _run_async(scenario())
    agents = {r.headers["user-agent"] for r in server.requests}
    assert agents == {f"workers-ai-python/{__version__}"}


def test_stream_chunks_are_typed(server: FaultServer, client: WorkersAI) -> None:
    server.enqueue(Reply.sse(SSE))
    with client.stream(LLAMA, {"messages": [{"role": "user", "content": "hi"}]}) as chunks:
        assert all(isinstance(c, TextGenerationChunk) for c in chunks)


def _chat_models() -> list[str]:
    """Every model whose input has a branch that requires `messages` (prompt/messages unions)."""
    found = []
    for model in sorted(MODELS):
        branches = model_schemas(model)["input"] or {}
        if any("messages" in b.get("required", []) for b in branches.get("oneOf", [branches])):
            found.append(model)
    return found


@pytest.mark.parametrize("model", _chat_models())
def test_every_chat_model_accepts_a_chat(server: FaultServer, client: WorkersAI, model: str) -> None:
    """A plain chat reaches the server for every chat model (a `oneOf` whose batch branch matched every
    input once refused every chat of one model)."""
    server.enqueue(Reply.envelope(example_for(model_schemas(model)["output_json"], full=True)))
    client.run_untyped(model, {"messages": [{"role": "user", "content": "Capital of France?"}]})
    assert len(server.requests) == 1
