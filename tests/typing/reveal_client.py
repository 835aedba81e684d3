# Type-checked by test_checkers.py with mypy; never executed.
from pathlib import Path
from typing import Any, reveal_type

from workers_ai import AsyncWorkersAI, WorkersAI


def sync_calls(client: WorkersAI, flag: bool, some_model: str) -> None:
    reveal_type(client.run("@cf/huggingface/distilbert-sst-2-int8", {"text": "x"}))
    reveal_type(client.text_classification(text="x"))
    reveal_type(client.text_classification(model="@cf/baai/bge-reranker-base", query="q", contexts=[]))
    reveal_type(client.run("@cf/meta/llama-3.1-8b-instruct-fp8", {"prompt": "x"}))
    reveal_type(client.run("@cf/meta/llama-3.1-8b-instruct-fp8", {"prompt": "x"}, stream=True))
    reveal_type(client.run("@cf/meta/llama-3.1-8b-instruct-fp8", {"prompt": "x"}, stream=flag))
    reveal_type(client.stream("@cf/meta/llama-3.1-8b-instruct-fp8", {"prompt": "x"}))
    reveal_type(client.run("@cf/stabilityai/stable-diffusion-xl-base-1.0", {"prompt": "x"}))
    reveal_type(client.run("@cf/myshell-ai/melotts", {"prompt": "x"}))
    reveal_type(client.run("@cf/openai/whisper", Path("a.mp3")))
    reveal_type(client.run_untyped(some_model, {"anything": 1}))


async def async_calls(client: AsyncWorkersAI) -> Any:
    reveal_type(await client.run("@cf/huggingface/distilbert-sst-2-int8", {"text": "x"}))
    reveal_type(await client.run("@cf/meta/llama-3.1-8b-instruct-fp8", {"prompt": "x"}, stream=True))
