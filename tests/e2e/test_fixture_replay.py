"""Every reply fixture replayed over a real socket, sync and async, checked against its `expect`."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from e2e_support import async_client, load_fixture, reply_fixtures, reply_from_fixture, result_class

import workers_ai.errors as errors
from generator.emit.examples import example_for
from tests.support.fault_server import FaultServer
from workers_ai import WorkersAI
from workers_ai._registry import model_schemas


def _input_for(model: str) -> Any:
    return example_for(model_schemas(model)["input"])


def _check_result(fixture: dict[str, Any], value: Any, chunks: list[Any] | None) -> None:
    expect = fixture["expect"]
    model = fixture["model"]
    if expect["outcome"] == "result":
        assert isinstance(value, result_class(model))
        if "length" in expect:
            assert len(value) == expect["length"]
        if "first_label" in expect:
            assert value[0].label == expect["first_label"]
        assert value.model_dump(mode="json", exclude_unset=True, by_alias=True) == fixture["body"]["result"]
    elif expect["outcome"] == "binary":
        assert type(value).__name__ == expect["class"]
        assert value.content_type == fixture["headers"]["content-type"]
        assert len(value.data) > 0
    elif expect["outcome"] == "stream":
        assert chunks is not None
        assert len(chunks) == expect["chunks"]
        assert "".join(c.response or "" for c in chunks) == expect["text"]


IDS = [f"{p.parent.name}/{p.stem}" for p in reply_fixtures()]


@pytest.mark.parametrize("path", reply_fixtures(), ids=IDS)
def test_replay_sync(path: Path, server: FaultServer, client: WorkersAI) -> None:
    fixture = load_fixture(path)
    server.enqueue(reply_from_fixture(fixture))
    stream = fixture["expect"]["outcome"] == "stream"
    if fixture["expect"]["outcome"] == "error":
        error_class = getattr(errors, fixture["expect"]["error"])
        with pytest.raises(error_class) as info:
            client.run(fixture["model"], _input_for(fixture["model"]))
        if "code" in fixture["expect"]:
            assert info.value.code == fixture["expect"]["code"]
        assert "secret-token-xyz" not in str(info.value) and "secret-token-xyz" not in repr(info.value)
    elif stream:
        with client.run(fixture["model"], _input_for(fixture["model"]), stream=True) as chunks:
            _check_result(fixture, None, list(chunks))
    else:
        _check_result(fixture, client.run(fixture["model"], _input_for(fixture["model"])), None)
    assert server.count == 1


@pytest.mark.parametrize("path", reply_fixtures(), ids=IDS)
def test_replay_async(path: Path, server: FaultServer) -> None:
    fixture = load_fixture(path)
    server.enqueue(reply_from_fixture(fixture))
    outcome = fixture["expect"]["outcome"]

    async def scenario() -> None:
        async with async_client(server, max_retries=0) as client:
            if outcome == "error":
                with pytest.raises(getattr(errors, fixture["expect"]["error"])):
                    await client.run(fixture["model"], _input_for(fixture["model"]))
            elif outcome == "stream":
                stream = await client.run(fixture["model"], _input_for(fixture["model"]), stream=True)
                _check_result(fixture, None, [chunk async for chunk in stream])
            else:
                _check_result(fixture, await client.run(fixture["model"], _input_for(fixture["model"])), None)

    asyncio.run(scenario())
    assert server.count == 1
