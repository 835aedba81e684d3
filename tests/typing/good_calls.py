# Type-checked by test_checkers.py with mypy --strict and pyright (strict); never executed.
# Every call here must pass both checkers, with the exact types `assert_type` names (never Any).
# pyright: strict
from __future__ import annotations

from pathlib import Path
from typing import Any, Final, assert_type

from workers_ai import (
    AsyncMapRun,
    AsyncStream,
    AsyncStreamContext,
    AsyncWorkersAI,
    ImageOutput,
    MapItem,
    MapRun,
    Stream,
    TextGenerationChunk,
    WorkersAI,
)
from workers_ai.errors import WorkersAIError
from workers_ai.types import (
    BaaiBgeBaseEnV1_5OutputAsyncResponse,
    BaaiBgeBaseEnV1_5OutputWithShape,
    BlackForestLabsFlux1SchnellOutput,
    HuggingfaceDistilbertSst2Int8Input,
    HuggingfaceDistilbertSst2Int8Output,
    HuggingfaceDistilbertSst2Int8Params,
    MetaLlama3_1_8bInstructFp8Output,
    OpenaiWhisperOutput,
)

LLAMA: Final = "@cf/meta/llama-3.1-8b-instruct-fp8"
SST2: Final = "@cf/huggingface/distilbert-sst-2-int8"
BGE: Final = "@cf/baai/bge-base-en-v1.5"


def sync_calls(client: WorkersAI, flag: bool) -> None:
    out = client.run(SST2, {"text": "This pizza is great!"})
    assert_type(out, HuggingfaceDistilbertSst2Int8Output)
    assert_type(
        client.run(SST2, HuggingfaceDistilbertSst2Int8Input(text="x")), HuggingfaceDistilbertSst2Int8Output
    )
    params: HuggingfaceDistilbertSst2Int8Params = {"text": "x"}
    assert_type(client.run(SST2, params), HuggingfaceDistilbertSst2Int8Output)
    assert_type(client.text_classification(text="x"), HuggingfaceDistilbertSst2Int8Output)
    chat = client.run(LLAMA, {"messages": [{"role": "user", "content": "hi"}], "max_tokens": 64})
    assert_type(chat, MetaLlama3_1_8bInstructFp8Output)
    assert_type(client.run(LLAMA, {"prompt": "hi"}, stream=True), Stream[TextGenerationChunk])
    either = client.run(LLAMA, {"prompt": "hi"}, stream=flag)
    assert_type(either, MetaLlama3_1_8bInstructFp8Output | Stream[TextGenerationChunk])
    with client.stream(LLAMA, {"prompt": "hi"}) as chunks:
        for chunk in chunks:
            assert_type(chunk.response, str | None)
    by_keyword = client.text_generation(model=LLAMA, messages=[{"role": "user", "content": "hi"}])
    assert_type(by_keyword, MetaLlama3_1_8bInstructFp8Output)
    assert_type(client.text_generation(model=LLAMA, prompt="hi", stream=True), Stream[TextGenerationChunk])
    embedded = client.text_embeddings(model=BGE, text=["a", "b"], pooling="cls")
    assert_type(embedded, BaaiBgeBaseEnV1_5OutputWithShape | BaaiBgeBaseEnV1_5OutputAsyncResponse)
    if isinstance(embedded, BaaiBgeBaseEnV1_5OutputWithShape):
        assert_type(embedded.data, list[list[float]] | None)
    assert_type(flux_bytes(client), bytes)
    assert_type(client.run("@cf/openai/whisper", Path("speech.mp3")), OpenaiWhisperOutput)
    assert_type(client.run("@cf/stabilityai/stable-diffusion-xl-base-1.0", {"prompt": "a cat"}), ImageOutput)
    flux = client.run("@cf/black-forest-labs/flux-1-schnell", {"prompt": "a cat"})
    assert_type(flux, BlackForestLabsFlux1SchnellOutput)
    assert_type(flux.save("cat.jpg"), Path)
    assert_type(client.run_untyped("@cf/vendor/model-from-next-year", {"anything": 1}), Any)
    rows: list[HuggingfaceDistilbertSst2Int8Params | HuggingfaceDistilbertSst2Int8Input] = [{"text": "a"}]
    rows.append(HuggingfaceDistilbertSst2Int8Input(text="b"))
    sentiments = client.map(SST2, rows, concurrency=4, ordered=False)
    assert_type(sentiments, MapRun[HuggingfaceDistilbertSst2Int8Output])
    for item in sentiments:
        assert_type(item, MapItem[HuggingfaceDistilbertSst2Int8Output])
        assert_type(item.result, HuggingfaceDistilbertSst2Int8Output | None)
        assert_type(item.error, WorkersAIError | None)
    embeddings = client.map(BGE, ({"text": t} for t in ("a", "b")))
    assert_type(embeddings, MapRun[BaaiBgeBaseEnV1_5OutputWithShape | BaaiBgeBaseEnV1_5OutputAsyncResponse])
    assert_type(client.map("@cf/openai/whisper", [Path("a.mp3"), b"RIFF"]), MapRun[OpenaiWhisperOutput])
    assert_type(client.map_untyped("@cf/vendor/model-from-next-year", [{"anything": 1}]), MapRun[Any])


def flux_bytes(client: WorkersAI) -> bytes:
    return client.text_to_image(model="@cf/black-forest-labs/flux-1-schnell", prompt="a cat").image_bytes()


async def async_calls(client: AsyncWorkersAI) -> None:
    assert_type(await client.run(SST2, {"text": "x"}), HuggingfaceDistilbertSst2Int8Output)
    assert_type(await client.text_classification(text="x"), HuggingfaceDistilbertSst2Int8Output)
    async with client.stream(LLAMA, {"prompt": "hi"}) as chunks:
        assert_type(chunks, AsyncStream[TextGenerationChunk])
        async for chunk in chunks:
            assert_type(chunk, TextGenerationChunk)
    async for piece in client.stream(LLAMA, {"messages": [{"role": "user", "content": "hi"}]}):
        assert_type(piece, TextGenerationChunk)
    assert_type(await client.stream(LLAMA, {"prompt": "hi"}), AsyncStream[TextGenerationChunk])
    assert_type(client.stream(LLAMA, {"prompt": "hi"}), AsyncStreamContext[TextGenerationChunk])
    sentiments = client.map(SST2, [{"text": "a"}])
    assert_type(sentiments, AsyncMapRun[HuggingfaceDistilbertSst2Int8Output])
    async for item in sentiments:
        assert_type(item.result, HuggingfaceDistilbertSst2Int8Output | None)
    assert_type(client.map_untyped("@cf/vendor/model-from-next-year", [1, 2]), AsyncMapRun[Any])
