"""Tool calling over a real local server: definitions, every reply shape, streamed calls, the tool loop."""

from __future__ import annotations

import asyncio
import json
from typing import Any, Final

import pytest
from pydantic import BaseModel, Field

from tests.features import replay
from tests.support.fault_server import FaultServer, Reply
from workers_ai import AsyncWorkersAI, WorkersAI, errors
from workers_ai._tool_calls import ToolCallAssembler, raw_tool_calls
from workers_ai._tools import Tool

LEGACY: Final = "@cf/meta/llama-3.1-8b-instruct-fp8"  # Workers AI replies, {role, content} messages
OPENAI: Final = "@cf/zai-org/glm-4.7-flash"  # chat completions, tool_calls + tool_call_id messages
NO_TOOLS: Final = "@cf/cloudflare/clef"
ASK = [{"role": "user", "content": "Weather in Paris?"}]


def get_weather(city: str, unit: str = "celsius") -> dict[str, Any]:
    """Current weather of a city."""
    return {"city": city, "temperature": 21, "unit": unit}


class Convert(BaseModel):
    """Convert an amount between currencies."""

    amount: float = Field(description="How much")
    currency: str = Field(description="ISO code")


class Other(BaseModel):
    """Another tool's arguments."""


def test_definitions_come_from_pydantic_and_fit_the_model_schema(
    client: WorkersAI, server: FaultServer
) -> None:
    server.enqueue(replay.tool_calls(LEGACY, ("get_weather", {"city": "Paris"})))
    reply = client.tool_calls(LEGACY, ASK, tools=[get_weather, Convert])
    sent = server.requests[0].json()["tools"]
    assert [t["function"]["name"] for t in sent] == ["get_weather", "Convert"]
    weather = sent[0]["function"]
    assert weather["description"] == "Current weather of a city."
    assert weather["parameters"]["required"] == ["city"]
    assert weather["parameters"]["properties"]["unit"] == {
        "default": "celsius",
        "description": "Unit",
        "title": "Unit",
        "type": "string",
    }
    [call] = reply.tool_calls
    assert call.name == "get_weather" and call.arguments.model_dump() == {"city": "Paris", "unit": "celsius"}
    assert call.run() == {"city": "Paris", "temperature": 21, "unit": "celsius"}


def test_a_tool_the_model_schema_rejects_is_not_sent(client: WorkersAI, server: FaultServer) -> None:
    def lookup(ids: list[int] | None = None) -> str:
        """Look records up."""
        return ""

    # The older tools schema wants a `type` on every parameter; `list[int] | None` has only `anyOf`.
    with pytest.raises(errors.ToolDefinitionError) as caught:
        client.tool_calls(LEGACY, ASK, tools=[lookup])
    assert any(i.pointer.startswith("/tools/0") for i in caught.value.errors)
    assert server.count == 0


@pytest.mark.parametrize(
    "tool",
    [
        lambda city: city,  # no annotation
        Tool.from_function(get_weather).invoke,  # no docstring
    ],
)
def test_bad_definitions(client: WorkersAI, tool: Any) -> None:
    with pytest.raises(errors.ToolDefinitionError):
        client.tool_calls(LEGACY, ASK, tools=[tool])


def test_options_cannot_replace_what_the_tool_methods_set(client: WorkersAI, server: FaultServer) -> None:
    with pytest.raises(errors.InputValidationError) as caught:
        client.run_tools(LEGACY, ASK, tools=[get_weather], functions=[], stream=True)
    assert [i.pointer for i in caught.value.errors] == ["/functions", "/stream"]
    assert server.count == 0


def test_models_without_tools_are_refused(client: WorkersAI, server: FaultServer) -> None:
    with pytest.raises(errors.ToolsUnsupportedError):
        client.tool_calls(NO_TOOLS, ASK, tools=[get_weather])  # type: ignore[arg-type]
    with pytest.raises(errors.ToolsUnsupportedError):
        client.run_tools("@cf/unknown/model", ASK, tools=[get_weather])  # type: ignore[arg-type]
    assert server.count == 0


@pytest.mark.parametrize(
    "result",
    [
        {"response": "", "tool_calls": [{"name": "Convert", "arguments": {"amount": 3, "currency": "EUR"}}]},
        {
            "response": "",
            "tool_calls": [{"name": "Convert", "arguments": '{"amount": 3, "currency": "EUR"}'}],
        },
        {
            "choices": [
                {
                    "message": {
                        "content": None,
                        "tool_calls": [
                            {
                                "id": "c9",
                                "type": "function",
                                "function": {
                                    "name": "Convert",
                                    "arguments": '{"amount": 3, "currency": "EUR"}',
                                },
                            }
                        ],
                    }
                }
            ]
        },
        {
            "choices": [
                {
                    "message": {
                        "tool_calls": [
                            {
                                "id": "c9",
                                "type": "custom",
                                "custom": {"name": "Convert", "input": '{"amount": 3, "currency": "EUR"}'},
                            }
                        ]
                    }
                }
            ]
        },
        {
            "output": [
                {
                    "type": "function_call",
                    "call_id": "c9",
                    "name": "Convert",
                    "arguments": '{"amount":3,"currency":"EUR"}',
                }
            ]
        },
        {"response": '```json\n{"name": "Convert", "arguments": {"amount": 3, "currency": "EUR"}}\n```'},
    ],
    ids=["workers-object", "workers-text", "openai", "openai-custom", "responses", "json-in-content"],
)
def test_every_reply_shape_gives_typed_calls(
    client: WorkersAI, server: FaultServer, result: dict[str, Any]
) -> None:
    server.enqueue(Reply.envelope(result))
    [call] = client.tool_calls(LEGACY, ASK, tools=[Convert]).tool_calls
    assert call.arguments_as(Convert) == Convert(amount=3, currency="EUR")
    with pytest.raises(TypeError):
        call.arguments_as(Other)


def test_invented_tool_and_invalid_arguments(client: WorkersAI, server: FaultServer) -> None:
    server.enqueue(replay.tool_calls(OPENAI, ("delete_everything", {})))
    with pytest.raises(errors.UnknownToolError) as unknown:
        client.tool_calls(OPENAI, ASK, tools=[Convert])
    assert unknown.value.name == "delete_everything"
    server.enqueue(replay.tool_calls(OPENAI, ("Convert", {"amount": "lots"})))
    with pytest.raises(errors.ToolArgumentsError) as invalid:
        client.tool_calls(OPENAI, ASK, tools=[Convert])
    assert {i.pointer for i in invalid.value.errors} == {"/amount", "/currency"}
    server.enqueue(
        Reply.envelope({"response": "", "tool_calls": [{"name": "Convert", "arguments": "{amount"}]})
    )
    with pytest.raises(errors.ToolArgumentsError, match="not JSON"):
        client.tool_calls(LEGACY, ASK, tools=[Convert])


@pytest.mark.parametrize("model", [LEGACY, OPENAI])
def test_a_tool_call_split_across_stream_chunks(client: WorkersAI, server: FaultServer, model: str) -> None:
    server.enqueue(
        replay.streamed_tool_call(model, "get_weather", {"city": "Paris", "unit": "kelvin"}, pieces=4)
    )
    reply = client.tool_calls(model, ASK, tools=[get_weather], stream=True)  # type: ignore[arg-type]
    [call] = reply.tool_calls
    assert call.arguments.model_dump() == {"city": "Paris", "unit": "kelvin"}
    assert server.requests[0].json()["stream"] is True


def test_assembler_keeps_parallel_calls_apart() -> None:
    assembler = ToolCallAssembler()
    for index, name in ((0, "a"), (1, "b")):
        delta = {"index": index, "id": f"i{index}", "function": {"name": name, "arguments": '{"x": '}}
        assembler.feed({"choices": [{"delta": {"tool_calls": [delta]}}]})
    for index in (1, 0):
        assembler.feed(
            {
                "choices": [
                    {"delta": {"tool_calls": [{"index": index, "function": {"arguments": f"{index}}}"}}]}}
                ]
            }
        )
    assert assembler.tool_calls() == [
        {"id": "i0", "name": "a", "arguments": '{"x": 0}'},
        {"id": "i1", "name": "b", "arguments": '{"x": 1}'},
    ]
    assert raw_tool_calls({"response": "no tools here"}) == []


def test_tool_loop_in_workers_ai_message_shape(client: WorkersAI, server: FaultServer) -> None:
    server.enqueue(
        replay.tool_calls(LEGACY, ("get_weather", {"city": "Paris"})),
        replay.answer(LEGACY, "It is 21 °C in Paris."),
    )
    done = client.run_tools(LEGACY, ASK, tools=[get_weather], max_steps=3, temperature=0)
    assert done.text == "It is 21 °C in Paris." and done.steps == 2
    assert [call.name for call, _ in done.calls] == ["get_weather"]
    second = server.requests[1].json()
    assert second["temperature"] == 0
    assert second["messages"][1] == {
        "role": "assistant",
        "content": json.dumps([{"name": "get_weather", "arguments": {"city": "Paris", "unit": "celsius"}}]),
    }
    assert second["messages"][2] == {
        "role": "tool",
        "content": json.dumps({"city": "Paris", "temperature": 21, "unit": "celsius"}),
    }
    assert done.messages == second["messages"]


def test_tool_loop_in_openai_message_shape(client: WorkersAI, server: FaultServer) -> None:
    server.enqueue(
        replay.tool_calls(OPENAI, ("get_weather", {"city": "Paris"}), ("get_weather", {"city": "Oslo"})),
        replay.answer(OPENAI, "Paris 21, Oslo 21."),
    )
    done = client.run_tools(OPENAI, ASK, tools=[get_weather])
    assert done.text == "Paris 21, Oslo 21."
    messages = server.requests[1].json()["messages"]
    assert [c["id"] for c in messages[1]["tool_calls"]] == ["call_0", "call_1"]
    assert json.loads(messages[1]["tool_calls"][1]["function"]["arguments"]) == {
        "city": "Oslo",
        "unit": "celsius",
    }
    assert [(m["role"], m["tool_call_id"]) for m in messages[2:]] == [("tool", "call_0"), ("tool", "call_1")]


def test_tool_loop_stops_at_max_steps(client: WorkersAI, server: FaultServer) -> None:
    server.enqueue(*[replay.tool_calls(OPENAI, ("get_weather", {"city": "Paris"})) for _ in range(2)])
    with pytest.raises(errors.ToolStepLimitError) as caught:
        client.run_tools(OPENAI, ASK, tools=[get_weather], max_steps=2)
    assert server.count == 2 and len(caught.value.messages) == 5


def test_model_tool_with_a_function(client: WorkersAI, server: FaultServer) -> None:
    seen: list[Convert] = []

    def convert(arguments: Convert) -> float:
        seen.append(arguments)
        return arguments.amount * 2

    server.enqueue(
        replay.tool_calls(OPENAI, ("Convert", {"amount": 2, "currency": "EUR"})), replay.answer(OPENAI, "4")
    )
    done = client.run_tools(OPENAI, ASK, tools=[Tool.from_model(Convert, convert)])
    assert seen == [Convert(amount=2, currency="EUR")] and done.calls[0][1] == 4.0
    server.enqueue(replay.tool_calls(OPENAI, ("Convert", {"amount": 2, "currency": "EUR"})))
    with pytest.raises(errors.ToolCallError, match="no function"):
        client.run_tools(OPENAI, ASK, tools=[Convert])


def test_async_tool_loop_with_an_async_tool_and_a_stream(
    server: FaultServer, aclient: AsyncWorkersAI
) -> None:
    async def forecast(city: str, days: int) -> str:
        """Forecast for the next days."""
        await asyncio.sleep(0)
        return f"{city}: sunny for {days} days"

    server.enqueue(
        replay.tool_calls(OPENAI, ("forecast", {"city": "Rome", "days": 2})),
        replay.answer(OPENAI, "Sunny."),
        replay.streamed_tool_call(OPENAI, "forecast", {"city": "Rome", "days": 3}),
    )

    async def scenario() -> None:
        async with aclient:
            done = await aclient.run_tools(OPENAI, ASK, tools=[forecast])
            assert done.text == "Sunny." and done.calls[0][1] == "Rome: sunny for 2 days"
            reply = await aclient.tool_calls(OPENAI, ASK, tools=[forecast], stream=True)
            assert reply.tool_calls[0].arguments.model_dump() == {"city": "Rome", "days": 3}
            with pytest.raises(errors.ToolsUnsupportedError):
                await aclient.tool_calls(NO_TOOLS, ASK, tools=[forecast])  # type: ignore[arg-type]

    asyncio.run(scenario())
    assert server.requests[1].json()["messages"][2]["content"] == "Rome: sunny for 2 days"
