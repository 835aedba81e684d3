# Type-checked by test_checkers.py: every call marked `bad` at its end must fail BOTH mypy --strict and
# pyright (strict), and no other line may fail. One case per rule; never executed.
# pyright: strict
from __future__ import annotations

from typing import Final

from workers_ai import AsyncWorkersAI, WorkersAI

LLAMA: Final = "@cf/meta/llama-3.1-8b-instruct-fp8"
SST2: Final = "@cf/huggingface/distilbert-sst-2-int8"
BGE: Final = "@cf/baai/bge-base-en-v1.5"


def sync_calls(client: WorkersAI) -> None:
    client.run(SST2, {"txt": "x"})  # bad: unknown key
    client.run(SST2, {"text": 1})  # bad: wrong value type
    client.run(SST2, {})  # bad: missing required key
    client.run(BGE, {"text": "x", "pooling": "max"})  # bad: enum value not in the schema
    client.run(LLAMA, {"messages": [{"role": "user", "content": 5}]})  # bad: nested wrong type
    client.run(LLAMA, {"messages": [{"role": "user"}]})  # bad: nested missing required key
    client.text_classification(txt="x")  # bad: task keyword typo
    client.text_classification(text=1)  # bad: task keyword wrong type
    client.text_classification()  # bad: task keyword missing
    client.text_embeddings(text="x", pooling="max")  # bad: task keyword enum
    client.run("@cf/meta/llama-3.1-8b-instruct-fp9", {"prompt": "hi"})  # bad: unknown model id
    client.run(SST2, {"text": "x"}, stream=True)  # bad: stream=True on a model that cannot stream
    client.stream(SST2, {"text": "x"})  # bad: stream() on a model that cannot stream
    client.text_classification(text="x", stream=True)  # bad: task method stream on a model that cannot
    client.run(LLAMA, {"prompt": "hi", "stream": True})  # bad: stream is a keyword, not an input key
    client.text_classification(model=LLAMA, text="x")  # bad: model of another task
    print(client.run(SST2, {"text": "x"}).label)  # bad: output attribute that does not exist
    print(client.run(BGE, {"text": "x"}).root)  # bad: oneOf output is the branch itself, no .root
    print(client.run(LLAMA, {"prompt": "hi"}, stream=True).usage)  # bad: a stream has no result fields
    client.map(SST2, [{"txt": "x"}])  # bad: map row with an unknown key
    client.map(SST2, [{"text": "x"}, {"prompt": "hi"}])  # bad: map row of another model
    client.map("@cf/meta/llama-3.1-8b-instruct-fp9", [{"prompt": "hi"}])  # bad: map of an unknown model id
    for item in client.map(SST2, [{"text": "x"}]):
        print(item.result.label if item.result else None)  # bad: map result attribute that does not exist


async def async_calls(client: AsyncWorkersAI) -> None:
    await client.run(SST2, {"txt": "x"})  # bad: unknown key (async)
    client.map(SST2, [{"text": 1}])  # bad: map row with a wrong value type (async)
    async with await client.run(SST2, {"text": "x"}):  # bad: a result is not a context manager
        pass
