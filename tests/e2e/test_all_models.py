"""Every catalog model over a real socket: example input, fixture-shaped output, content types."""

from __future__ import annotations

import asyncio
import base64
import json
from pathlib import Path
from typing import Any

import pytest
from e2e_support import async_client, result_class

from generator.emit.examples import example_for
from generator.ir import build_catalog
from generator.load import load_schemas
from tests.support.fault_server import FaultServer, Reply
from tests.support.model_files import SCHEMAS
from workers_ai import AudioOutput, ImageOutput, TextGenerationChunk, WorkersAI
from workers_ai._registry import MODELS, model_schemas
from workers_ai.errors import InputValidationError, ResponseValidationError

ALL = sorted(MODELS)
STREAMING = [m for m in ALL if "text/event-stream" in MODELS[m].content_types]
RAW_BODY = [m for m in ALL if MODELS[m].raw_body]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def planned_reply(model: str) -> tuple[Reply, Any]:
    """The answer a real server would give: JSON built from the output schema, else binary."""
    schemas = model_schemas(model)
    if schemas["output_json"] is not None:
        result = example_for(schemas["output_json"], full=True)
        return Reply.envelope(result), result
    content_type = next(ct for ct in MODELS[model].content_types if ct != "application/json")
    return Reply.binary(PNG, content_type), None


def test_the_whole_catalog_is_registered() -> None:
    catalog, _ = build_catalog(load_schemas(SCHEMAS))
    assert [m.id for m in catalog.models] == ALL
    assert [m.id for m in catalog.models if m.output.streams] == STREAMING
    assert [m.id for m in catalog.models if m.input.raw_body] == RAW_BODY


@pytest.mark.parametrize("model", ALL)
def test_every_model_example_input_and_output(model: str, server: FaultServer, client: WorkersAI) -> None:
    example = example_for(model_schemas(model)["input"])
    reply, result = planned_reply(model)
    server.enqueue(reply)
    out = client.run(model, example)
    assert server.count == 1
    sent = server.requests[0]
    if sent.headers["content-type"] == "application/octet-stream":  # the JSON form of a raw-body file
        assert MODELS[model].raw_body and [sent.body] == [bytes(v) for v in example.values()]
    else:
        assert json.loads(sent.body) == example
    if result is not None:
        assert isinstance(out, result_class(model))
        assert out.model_dump(mode="json", exclude_unset=True, by_alias=True) == result
    else:
        assert isinstance(out, ImageOutput | AudioOutput)
        assert out.data == PNG and out.content_type in MODELS[model].content_types


@pytest.mark.parametrize("model", RAW_BODY)
def test_raw_body_models_take_bytes_paths_and_files(
    model: str, server: FaultServer, client: WorkersAI, tmp_path: Path
) -> None:
    audio = bytes(range(256)) * 4
    path = tmp_path / "input.bin"
    path.write_bytes(audio)
    for given in (audio, path):
        server.enqueue(planned_reply(model)[0])
        client.run(model, given)
    with path.open("rb") as handle:
        server.enqueue(planned_reply(model)[0])
        client.run(model, handle)
    assert [r.body for r in server.requests] == [audio] * 3
    assert {r.headers["content-type"] for r in server.requests} == {"application/octet-stream"}


def test_uint8_and_base64_fields_take_bytes(server: FaultServer, client: WorkersAI) -> None:
    server.enqueue(Reply.envelope({"text": "hi"}), Reply.envelope({"text": "hi"}))
    client.run("@cf/openai/whisper", {"audio": b"\x00\x01\xff"})  # only a raw body conforms to the REST API
    client.run("@cf/openai/whisper-large-v3-turbo", {"audio": b"\x00\x01\xff"})
    assert server.requests[0].body == b"\x00\x01\xff"
    assert server.requests[0].headers["content-type"] == "application/octet-stream"
    assert server.requests[1].json() == {"audio": base64.b64encode(b"\x00\x01\xff").decode()}


def test_bytes_for_a_json_only_model_are_refused_before_sending(
    server: FaultServer, client: WorkersAI
) -> None:
    with pytest.raises(InputValidationError):
        client.run("@cf/huggingface/distilbert-sst-2-int8", b"raw bytes")
    assert server.count == 0


def test_binary_outputs_save_to_disk(server: FaultServer, client: WorkersAI, tmp_path: Path) -> None:
    server.enqueue(Reply.binary(PNG, "image/png"), Reply.binary(b"ID3mp3", "audio/mpeg"))
    image = client.text_to_image(model="@cf/stabilityai/stable-diffusion-xl-base-1.0", prompt="a cat")
    assert isinstance(image, ImageOutput) and image.content_type == "image/png"
    image.save(tmp_path / "cat.png")
    assert (tmp_path / "cat.png").read_bytes() == PNG
    speech = client.run("@cf/deepgram/aura-1", {"text": "hello"})
    assert isinstance(speech, AudioOutput) and speech.data == b"ID3mp3"


def test_melotts_answers_json_or_audio(server: FaultServer, client: WorkersAI) -> None:
    server.enqueue(Reply.envelope({"audio": "SUQz"}), Reply.binary(b"ID3", "audio/mpeg"))
    first = client.run("@cf/myshell-ai/melotts", {"prompt": "hi"})
    second = client.run("@cf/myshell-ai/melotts", {"prompt": "hi"})
    assert isinstance(first, result_class("@cf/myshell-ai/melotts")) and isinstance(second, AudioOutput)


SSE = [{"response": "Hel"}, {"response": "lo"}, {"response": "", "usage": {"total_tokens": 3}}]


@pytest.mark.parametrize("model", STREAMING)
def test_every_streaming_model_streams_sync(model: str, server: FaultServer, client: WorkersAI) -> None:
    server.enqueue(Reply.sse(SSE))
    chunks = list(client.run(model, example_for(model_schemas(model)["input"]), stream=True))
    assert [c.response for c in chunks] == ["Hel", "lo", ""]
    assert all(isinstance(c, TextGenerationChunk) for c in chunks)
    assert server.requests[0].json()["stream"] is True


@pytest.mark.parametrize("model", STREAMING)
def test_every_streaming_model_streams_async(model: str, server: FaultServer) -> None:
    server.enqueue(Reply.sse(SSE))

    async def scenario() -> list[Any]:
        async with async_client(server, max_retries=0) as client:
            stream = await client.stream(model, example_for(model_schemas(model)["input"]))
            return [c.response async for c in stream]

    assert asyncio.run(scenario()) == ["Hel", "lo", ""]


def test_stream_request_answered_with_json_yields_one_chunk(server: FaultServer, client: WorkersAI) -> None:
    server.enqueue(Reply.envelope({"response": "all at once"}))
    chunks = list(client.stream("@cf/meta/llama-3.1-8b-instruct-fp8", {"prompt": "hi"}))
    assert [c.response for c in chunks] == ["all at once"]


def test_stream_flag_in_the_input_streams_too(server: FaultServer, client: WorkersAI) -> None:
    server.enqueue(Reply.sse(SSE))
    chunks = list(
        client.text_generation(model="@cf/meta/llama-3.1-8b-instruct-fp8", prompt="hi", stream=True)
    )
    assert len(chunks) == 3


def test_streaming_a_model_that_cannot_stream_is_refused(server: FaultServer, client: WorkersAI) -> None:
    with pytest.raises(InputValidationError):
        client.run("@cf/huggingface/distilbert-sst-2-int8", {"text": "hi"}, stream=True)
    assert server.count == 0


def test_lenient_parsing_keeps_new_fields_and_values_strict_rejects_them(server: FaultServer) -> None:
    result = {
        "shape": [1, 2],
        "data": [[0.1, 0.2]],
        "pooling": "max-pooling-from-the-future",
        "latency_ms": 12,
    }
    model = "@cf/baai/bge-base-en-v1.5"
    server.enqueue(Reply.envelope(result), Reply.envelope(result))
    with WorkersAI(account_id="a", api_token="t", base_url=server.base_url, max_retries=0) as lenient:
        out = lenient.run(model, {"text": "hi"})
    dumped = out.model_dump(mode="json")
    assert dumped["pooling"] == "max-pooling-from-the-future" and dumped["latency_ms"] == 12
    strict = WorkersAI(account_id="a", api_token="t", base_url=server.base_url, max_retries=0, strict=True)
    with strict, pytest.raises(ResponseValidationError) as info:
        strict.run(model, {"text": "hi"})
    assert info.value.body is not None


@pytest.mark.parametrize("strict", [False, True])
def test_unparseable_shape_fails_in_both_modes(server: FaultServer, strict: bool) -> None:
    server.enqueue(Reply.envelope({"label": "POSITIVE"}))  # an object where an array is declared
    client = WorkersAI(account_id="a", api_token="t", base_url=server.base_url, max_retries=0, strict=strict)
    with client, pytest.raises(ResponseValidationError):
        client.run("@cf/huggingface/distilbert-sst-2-int8", {"text": "hi"})
