# Type-checked by test_checkers.py with mypy; never executed.
from typing import reveal_type

from workers_ai import AsyncWorkersAI, WorkersAI


def sync_calls(client: WorkersAI) -> None:
    job = client.batch.submit("@cf/baai/bge-small-en-v1.5", [{"text": "x"}])
    reveal_type(job)
    reveal_type(job.wait().items[0].result)
    reveal_type(client.batch.resume("@cf/openai/gpt-oss-120b", "id"))
    reveal_type(next(client.models.search(task="Text Generation")))
    reveal_type(client.to_markdown([b"x"])[0])
    reveal_type(client.finetunes.public.list())
    client.batch.submit("@cf/meta/llama-3.2-1b-instruct", [{"prompt": "x"}])  # error: no async_queue


async def async_calls(client: AsyncWorkersAI) -> None:
    job = await client.batch.submit("@cf/deepgram/aura-1", [{"text": "x"}])
    reveal_type(job)
    reveal_type(await client.tasks.list())
