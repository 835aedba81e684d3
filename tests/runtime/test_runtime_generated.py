"""End to end with the real generated package (`generated/workers_ai`): the runtime as the generator ships
it, the real registry, schemas and pydantic types, over a real socket, sync and async."""

from __future__ import annotations

import asyncio
import base64
import importlib
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.support.fault_server import FaultServer, Reply

TOKEN = "generated-e2e-TOKEN-abcdef0123"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)


@pytest.fixture(scope="module")
def workers_ai() -> ModuleType:
    try:
        return importlib.import_module("workers_ai")
    except ImportError:  # pragma: no cover - before the first `make generate`
        pytest.skip("generated/workers_ai is missing: run `make generate`")


@pytest.fixture
def fast_retries(workers_ai: ModuleType, monkeypatch: pytest.MonkeyPatch) -> list[float]:
    retry = importlib.import_module("workers_ai._retry")
    waited: list[float] = []

    async def async_sleep(seconds: float) -> None:
        waited.append(seconds)

    monkeypatch.setattr(retry, "sleep", waited.append)
    monkeypatch.setattr(retry, "async_sleep", async_sleep)
    return waited


@pytest.fixture
def server() -> Iterator[FaultServer]:
    with FaultServer() as fault_server:
        yield fault_server


class Caller:
    def __init__(self, workers_ai: ModuleType, server: FaultServer, kind: str) -> None:
        self.wai, self.server, self.kind = workers_ai, server, kind

    def __call__(self, method: str, *args: Any, **kwargs: Any) -> Any:
        options = {"account_id": "acc", "api_token": TOKEN, "base_url": self.server.base_url}
        strict = kwargs.pop("_strict", False)
        if self.kind == "sync":
            with self.wai.WorkersAI(**options, strict=strict) as client:
                result = getattr(client, method)(*args, **kwargs)
                return list(result) if isinstance(result, self.wai.Stream) else result

        async def main() -> Any:
            async with self.wai.AsyncWorkersAI(**options, strict=strict) as client:
                result = await getattr(client, method)(*args, **kwargs)
                if isinstance(result, self.wai.AsyncStream):
                    return [chunk async for chunk in result]
                return result

        return asyncio.run(main())


@pytest.fixture(params=["sync", "async"])
def call(
    request: pytest.FixtureRequest, workers_ai: ModuleType, server: FaultServer, fast_retries: list[float]
) -> Caller:
    return Caller(workers_ai, server, request.param)


def test_seed_call_and_task_method(call: Caller, server: FaultServer) -> None:
    result = [{"label": "NEGATIVE", "score": 0.01}, {"label": "POSITIVE", "score": 0.99}]
    server.enqueue(Reply.envelope(result), Reply.envelope(result))
    out = call("run", "@cf/huggingface/distilbert-sst-2-int8", {"text": "I love this"})
    assert type(out).__name__ == "HuggingfaceDistilbertSst2Int8Output"
    assert out[1].label == "POSITIVE" and len(out) == 2
    assert call("text_classification", text="hello")[0].score == 0.01
    assert server.requests[0].path == "/client/v4/accounts/acc/ai/run/@cf/huggingface/distilbert-sst-2-int8"
    assert [r.json() for r in server.requests] == [{"text": "I love this"}, {"text": "hello"}]


@pytest.mark.parametrize("bad", [{"text": ""}, {"text": 123}, {}])
def test_seed_invalid_input_sends_nothing(call: Caller, server: FaultServer, bad: dict[str, Any]) -> None:
    with pytest.raises(call.wai.errors.InputValidationError):
        call("run", "@cf/huggingface/distilbert-sst-2-int8", bad)
    assert server.count == 0


def test_success_false_and_retry(call: Caller, server: FaultServer) -> None:
    server.enqueue(Reply.rate_limited(retry_after="0"), Reply.failure(200, 5007, "No such model"))
    with pytest.raises(call.wai.errors.ModelNotFoundError):
        call("run", "@cf/huggingface/distilbert-sst-2-int8", {"text": "x"})
    assert server.count == 2


def test_text_generation_stream(call: Caller, server: FaultServer) -> None:
    server.enqueue(Reply.sse([{"response": "Hel"}, {"response": "lo"}]))
    chunks = call("stream", "@cf/meta/llama-3.2-1b-instruct", {"prompt": "hi"})
    assert "".join(c.response for c in chunks) == "Hello"
    assert server.requests[0].json() == {"prompt": "hi", "stream": True}


def test_text_generation_json(call: Caller, server: FaultServer) -> None:
    server.enqueue(Reply.envelope({"response": "Hello", "usage": {"prompt_tokens": 1}}))
    out = call("run", "@cf/meta/llama-3.2-1b-instruct", {"messages": [{"role": "user", "content": "hi"}]})
    assert out.response == "Hello"


def test_text_to_image_with_uint8_and_base64_fields(call: Caller, server: FaultServer) -> None:
    server.enqueue(Reply.binary(PNG, "image/png"))
    image = call(
        "run",
        "@cf/runwayml/stable-diffusion-v1-5-img2img",
        {"prompt": "cat", "image": b"\x01\x02", "image_b64": b"hi"},
    )
    assert isinstance(image, call.wai.ImageOutput) and image.data == PNG
    sent = server.requests[0].json()
    assert sent["image"] == [1, 2] and base64.b64decode(sent["image_b64"]) == b"hi"


def test_raw_body_image_classification(call: Caller, server: FaultServer, tmp_path: Path) -> None:
    path = tmp_path / "cat.png"
    path.write_bytes(PNG)
    server.enqueue(Reply.envelope([{"label": "cat", "score": 0.5}]))
    assert call("run", "@cf/microsoft/resnet-50", path)[0].label == "cat"
    assert server.requests[0].body == PNG
    assert server.requests[0].headers["content-type"] == "application/octet-stream"


def test_text_to_speech_audio(call: Caller, server: FaultServer) -> None:
    server.enqueue(Reply.binary(b"ID3audio", "audio/mpeg"))
    audio = call("run", "@cf/deepgram/aura-1", {"text": "hello"})
    assert isinstance(audio, call.wai.AudioOutput) and audio.content_type == "audio/mpeg"


def test_untyped_catalog_model(call: Caller, server: FaultServer) -> None:
    server.enqueue(Reply.envelope({"response": "raw"}))
    assert call("run", "@cf/swiss-ai/apertus-v1.5-8b", {"prompt": "x"}) == {"response": "raw"}


def test_strict_vs_lenient(call: Caller, server: FaultServer) -> None:
    result = [{"label": "POSITIVE", "score": 0.9, "added_later": True}]
    server.enqueue(Reply.envelope(result), Reply.envelope(result))
    assert call("run", "@cf/huggingface/distilbert-sst-2-int8", {"text": "x"})[0].model_extra == {
        "added_later": True
    }
    with pytest.raises(call.wai.errors.ResponseValidationError) as info:
        call("run", "@cf/huggingface/distilbert-sst-2-int8", {"text": "x"}, _strict=True)
    assert info.value.errors[0].pointer == "/0"


def test_per_call_max_response_bytes_through_the_generated_client(workers_ai: ModuleType) -> None:
    llama = "@cf/meta/llama-3.2-1b-instruct"
    big = Reply.envelope({"response": "x" * 5000})
    with FaultServer() as server:
        server.enqueue(
            big, big, big, Reply.sse([{"response": "y" * 3000}]), Reply.sse([{"response": "z" * 3000}])
        )
        options: dict[str, Any] = {"account_id": "acc", "api_token": TOKEN, "base_url": server.base_url}
        with workers_ai.WorkersAI(**options) as client:
            assert client.run(llama, {"prompt": "hi"}).response == "x" * 5000
            with pytest.raises(workers_ai.errors.ResponseTooLargeError):
                client.run(llama, {"prompt": "hi"}, max_response_bytes=1000)
            with (
                pytest.raises(workers_ai.errors.ResponseTooLargeError),
                client.stream(llama, {"prompt": "hi"}, max_response_bytes=1000) as stream,
            ):
                list(stream)

        async def main() -> None:
            async with workers_ai.AsyncWorkersAI(**options) as client:
                with pytest.raises(workers_ai.errors.ResponseTooLargeError):
                    await client.run(llama, {"prompt": "hi"}, max_response_bytes=1000)
                stream = await client.stream(llama, {"prompt": "hi"}, max_response_bytes=1000)
                with pytest.raises(workers_ai.errors.ResponseTooLargeError):
                    async with stream:
                        [chunk async for chunk in stream]

        asyncio.run(main())
