"""Checked by tests/typing/test_checkers.py: lines ending in `# rejected` must be type errors, the
others must type-check (mypy --strict and pyright strict)."""

from __future__ import annotations

from pydantic import BaseModel

from workers_ai import AsyncWorkersAI, WorkersAI, models


class City(BaseModel):
    name: str


def get_weather(city: str) -> str:
    """Weather of a city."""
    return city


MESSAGES = [{"role": "user", "content": "Paris?"}]
WINDOW: int | None = models.info("@cf/openai/gpt-oss-120b").context_window
CALLING: list[str] = [m.id for m in models.find(task="text-generation", function_calling=True)]
WRONG_WINDOW: str = models.info("@cf/openai/gpt-oss-120b").context_window  # rejected


def sync_calls(client: WorkersAI) -> None:
    result = client.parse("@cf/meta/llama-3.1-8b-instruct-fp8", MESSAGES, response_model=City)
    city: City = result.parsed
    method: str = result.method
    print(city.name, method, result.raw)
    reply = client.tool_calls("@cf/zai-org/glm-4.7-flash", MESSAGES, tools=[get_weather, City])
    print([call.name for call in reply.tool_calls])
    done = client.run_tools("@cf/meta/llama-3.2-1b-instruct", MESSAGES, tools=[get_weather], max_steps=2)
    print(done.text)
    wrong: int = result.parsed  # rejected
    client.parse("@cf/meta/llama-3.2-1b-instruct", MESSAGES, response_model=City)  # rejected
    client.parse("@cf/huggingface/distilbert-sst-2-int8", MESSAGES, response_model=City)  # rejected
    client.tool_calls("@cf/cloudflare/clef", MESSAGES, tools=[get_weather])  # rejected
    client.run_tools("@cf/cloudflare/clef", MESSAGES, tools=[get_weather])  # rejected
    print(wrong)


async def async_calls(client: AsyncWorkersAI) -> None:
    result = await client.parse("@cf/qwen/qwq-32b", MESSAGES, response_model=City)
    city: City = result.parsed
    print(city)
    await client.parse("@cf/cloudflare/clef", MESSAGES, response_model=City)  # rejected
    await client.run_tools("@cf/meta/llama-guard-3-8b", MESSAGES, tools=[get_weather])  # rejected
