# Type-checked by test_checkers.py with mypy; never executed.
from typing import reveal_type

from workers_ai import AsyncWorkersAI, GatewayOptions, WorkersAI


def sync_calls(client: WorkersAI) -> None:
    gateway = GatewayOptions(id="g", cache_ttl=60)
    reveal_type(
        client.run("@cf/huggingface/distilbert-sst-2-int8", {"text": "x"}, timeout=5, gateway=gateway)
    )
    reveal_type(client.stream("@cf/meta/llama-3.1-8b-instruct-fp8", {"prompt": "x"}, session_affinity="s"))
    reveal_type(client.with_options(max_retries=0))
    reveal_type(client.with_raw_response.run("@cf/huggingface/distilbert-sst-2-int8", {"text": "x"}))
    reveal_type(
        client.with_raw_response.run("@cf/huggingface/distilbert-sst-2-int8", {"text": "x"}).cache_status
    )
    client.run("@cf/huggingface/distilbert-sst-2-int8", {"text": "x"}, timeout="soon")  # error: timeout
    client.run("@cf/huggingface/distilbert-sst-2-int8", {"text": "x"}, colour="red")  # error: no such option


async def async_calls(client: AsyncWorkersAI) -> None:
    reveal_type(await client.run("@cf/huggingface/distilbert-sst-2-int8", {"text": "x"}, reject_if_busy=True))
    reveal_type(await client.with_raw_response.run("@cf/huggingface/distilbert-sst-2-int8", {"text": "x"}))
    await client.gateway_feedback("01J", 1, gateway="g")
