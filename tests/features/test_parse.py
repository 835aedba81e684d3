"""`client.parse` over a real local server: each method's request, every answer shape, retries, errors."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from typing import Any, Final

import pytest
from pydantic import BaseModel, Field

from tests.features import replay
from tests.support.fault_server import FaultServer, Reply
from workers_ai import AsyncWorkersAI, WorkersAI, _structured, errors
from workers_ai._model_info import model_info

LLAMA: Final = "@cf/meta/llama-3.1-8b-instruct-fp8"  # response_format json_schema, Workers AI replies
GLM: Final = "@cf/zai-org/glm-4.7-flash"  # OpenAI-style response_format {name, schema}, chat completions
QWQ: Final = "@cf/qwen/qwq-32b"  # guided_json only
GUARD: Final = "@cf/meta/llama-guard-3-8b"  # response_format json_object only
MISTRAL: Final = "@cf/mistralai/mistral-small-3.1-24b-instruct"  # function calling + tools (+ guided_json)
PLAIN: Final = "@cf/meta/llama-3.2-1b-instruct"  # no JSON feature at all
ASK = [{"role": "user", "content": "Tell me about Paris."}]


class City(BaseModel):
    """A city and its country."""

    name: str = Field(description="The city's name")
    country: str = Field(description="The country it is in")
    population: int = Field(ge=0, description="Inhabitants")


PARIS = {"name": "Paris", "country": "France", "population": 2_100_000}


def test_json_schema_method_sends_the_schema_and_reads_an_object_answer(
    client: WorkersAI, server: FaultServer
) -> None:
    server.enqueue(replay.answer(LLAMA, PARIS))  # JSON mode: `response` is the object itself
    result = client.parse(LLAMA, ASK, response_model=City, max_tokens=200)
    assert result.parsed == City(**PARIS)
    assert result.method == "json_schema" and result.attempts == 1
    assert json.loads(result.raw) == PARIS
    sent = server.requests[0].json()
    assert sent["response_format"] == {"type": "json_schema", "json_schema": City.model_json_schema()}
    assert sent["messages"] == ASK and sent["max_tokens"] == 200


def test_named_json_schema_and_a_fenced_answer(client: WorkersAI, server: FaultServer) -> None:
    server.enqueue(replay.answer(GLM, "Here it is:\n```json\n" + json.dumps(PARIS) + "\n```"))
    result = client.parse(GLM, ASK, response_model=City)
    assert result.parsed.population == 2_100_000
    assert result.raw.startswith("Here it is")
    sent = server.requests[0].json()["response_format"]
    assert sent == {
        "type": "json_schema",
        "json_schema": {"name": "City", "schema": City.model_json_schema()},
    }


def test_fence_alone_and_thinking_block_are_removed(client: WorkersAI, server: FaultServer) -> None:
    server.enqueue(replay.answer(LLAMA, "<think>France...</think>\n```\n" + json.dumps(PARIS) + "\n```"))
    assert client.parse(LLAMA, ASK, response_model=City).parsed.name == "Paris"


def test_guided_json_method(client: WorkersAI, server: FaultServer) -> None:
    server.enqueue(replay.answer(QWQ, json.dumps(PARIS)))
    result = client.parse(QWQ, ASK, response_model=City)
    assert result.method == "guided_json"
    sent = server.requests[0].json()
    assert sent["guided_json"] == City.model_json_schema() and "response_format" not in sent


def test_json_object_method_puts_the_schema_in_a_system_message(
    client: WorkersAI, server: FaultServer
) -> None:
    server.enqueue(replay.answer(GUARD, PARIS))
    result = client.parse(GUARD, ASK, response_model=City)
    assert result.method == "json_object"
    sent = server.requests[0].json()
    assert sent["response_format"] == {"type": "json_object"}
    # This model's messages take no system role: the schema goes ahead of the user's message.
    [message] = sent["messages"]
    assert message["role"] == "user" and '"population"' in message["content"]
    assert message["content"].endswith(ASK[0]["content"])


def test_tool_call_method_reads_the_forced_call(
    client: WorkersAI, server: FaultServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No catalog model needs this fallback today (function-calling models all take a JSON mode); it is
    # exercised on a function-calling model with the other methods hidden.
    info = model_info(MISTRAL)
    assert info is not None and info.function_calling and info.accepts_tools
    hidden = dataclasses.replace(info, structured_output="tool_call")
    monkeypatch.setattr(_structured, "model_info", lambda model: hidden)
    server.enqueue(replay.tool_calls(MISTRAL, ("City", PARIS)))
    result = client.parse(MISTRAL, ASK, response_model=City)
    assert result.method == "tool_call" and result.parsed == City(**PARIS)
    sent = server.requests[0].json()
    assert [t["function"]["name"] for t in sent["tools"]] == ["City"]
    assert (
        sent["tools"][0]["function"]["parameters"]["properties"]["name"]["description"] == "The city's name"
    )


def test_invalid_json_then_valid_json_on_the_retry(client: WorkersAI, server: FaultServer) -> None:
    server.enqueue(replay.answer(GLM, '{"name": "Paris", "country": '), replay.answer(GLM, json.dumps(PARIS)))
    result = client.parse(GLM, ASK, response_model=City, max_attempts=3)
    assert result.parsed.name == "Paris" and result.attempts == 2
    second = server.requests[1].json()["messages"]
    assert second[:1] == ASK
    assert second[1] == {"role": "assistant", "content": '{"name": "Paris", "country": '}
    assert second[2]["role"] == "user" and "not JSON" in second[2]["content"]


def test_validation_error_is_fed_back_then_raised_with_the_raw_text(
    client: WorkersAI, server: FaultServer
) -> None:
    bad = {**PARIS, "population": -1}
    server.enqueue(replay.answer(LLAMA, bad), replay.answer(LLAMA, bad))
    with pytest.raises(errors.OutputValidationError) as caught:
        client.parse(LLAMA, ASK, response_model=City, max_attempts=2)
    assert caught.value.attempts == 2 and json.loads(caught.value.raw or "") == bad
    assert [i.pointer for i in caught.value.errors] == ["/population"]
    assert "/population" in server.requests[1].json()["messages"][2]["content"]
    assert isinstance(caught.value, errors.StructuredOutputError) and "-1" in str(caught.value)


def test_invalid_json_without_retries_raises_at_once(client: WorkersAI, server: FaultServer) -> None:
    server.enqueue(replay.answer(GLM, "Paris is in France."))
    with pytest.raises(errors.InvalidJSONError) as caught:
        client.parse(GLM, ASK, response_model=City)
    assert caught.value.raw == "Paris is in France." and server.count == 1


def test_json_mode_could_not_be_met(client: WorkersAI, server: FaultServer) -> None:
    failure = Reply.failure(400, 5025, "AiError: JSON Mode couldn't be met")
    server.enqueue(failure, failure)
    with pytest.raises(errors.JSONModeError) as caught:
        client.parse(LLAMA, ASK, response_model=City, max_attempts=2)
    assert caught.value.attempts == 2 and server.count == 2
    assert isinstance(caught.value.__cause__, errors.APIError)


def test_other_api_errors_are_not_retried(client: WorkersAI, server: FaultServer) -> None:
    server.enqueue(Reply.failure(401, 10000, "Authentication error"))
    with pytest.raises(errors.AuthenticationError):
        client.parse(LLAMA, ASK, response_model=City, max_attempts=3)
    assert server.count == 1


@pytest.mark.parametrize(
    ("model", "options", "error"),
    [
        (PLAIN, {}, errors.StructuredOutputUnsupportedError),
        ("@cf/not/in-catalog", {}, errors.StructuredOutputUnsupportedError),
        (LLAMA, {"stream": True}, errors.JSONModeStreamingError),
        (LLAMA, {"response_format": {"type": "json_object"}}, errors.InputValidationError),
        (LLAMA, {"max_attempts": 0}, errors.InputValidationError),
    ],
)
def test_refused_before_sending(
    client: WorkersAI, server: FaultServer, model: str, options: dict[str, Any], error: type[Exception]
) -> None:
    with pytest.raises(error):
        client.parse(model, ASK, response_model=City, **options)  # type: ignore[arg-type]
    assert server.count == 0


def test_streaming_json_mode_through_run_is_refused_and_json_object_passes(
    client: WorkersAI, server: FaultServer
) -> None:
    with pytest.raises(errors.JSONModeStreamingError) as caught:
        client.run(
            LLAMA,
            {"messages": ASK, "response_format": {"type": "json_schema", "json_schema": {}}},
            stream=True,
        )
    assert caught.value.errors[0].pointer == "/response_format"
    with pytest.raises(errors.JSONModeStreamingError) as caught:
        client.run(QWQ, {"messages": ASK, "guided_json": {}}, stream=True)
    assert caught.value.errors[0].pointer == "/guided_json"
    assert server.count == 0
    server.enqueue(replay.answer(LLAMA, "{}"), Reply.sse([{"response": "{}"}]))
    client.run(LLAMA, {"messages": ASK, "response_format": {"type": "json_object"}})
    chunks = list(
        client.run(LLAMA, {"messages": ASK, "response_format": {"type": "json_object"}}, stream=True)
    )
    assert [c.response for c in chunks] == ["{}"]
    assert [r.json()["response_format"] for r in server.requests] == [{"type": "json_object"}] * 2


def test_async_parse_with_retry(server: FaultServer, aclient: AsyncWorkersAI) -> None:
    server.enqueue(replay.answer(GLM, "```json\n{bad\n```"), replay.answer(GLM, json.dumps(PARIS)))

    async def scenario() -> None:
        async with aclient:
            result = await aclient.parse(GLM, ASK, response_model=City, max_attempts=2)
            assert result.parsed == City(**PARIS) and result.attempts == 2 and result.method == "json_schema"
            server.enqueue(replay.answer(GLM, "nope"))
            with pytest.raises(errors.InvalidJSONError):
                await aclient.parse(GLM, ASK, response_model=City)
            with pytest.raises(errors.StructuredOutputUnsupportedError):
                await aclient.parse(PLAIN, ASK, response_model=City)  # type: ignore[arg-type]

    asyncio.run(scenario())
    assert server.count == 3
