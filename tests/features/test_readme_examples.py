"""The README's "Structured output" and "Tool calling" examples run as written against the local server."""

from __future__ import annotations

import contextlib
import io

import pytest

from tests.features import replay
from tests.support.docs_examples import readme_example
from tests.support.fault_server import FaultServer


def _run(code: str, server: FaultServer, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("CLOUDFLARE_ACCOUNT_ID", "acc")
    monkeypatch.setenv("CLOUDFLARE_API_TOKEN", "token")
    monkeypatch.setenv("CLOUDFLARE_BASE_URL", server.base_url)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, "README.md", "exec"), {"__name__": "readme_example"})
    return printed.getvalue()


def test_structured_output_example(server: FaultServer, monkeypatch: pytest.MonkeyPatch) -> None:
    model = "@cf/meta/llama-3.1-8b-instruct-fp8"
    invoice = {"vendor": "ACME Corp", "total": 1240.5, "currency": "EUR", "due_date": "2027-01-31"}
    server.enqueue(replay.answer(model, invoice))
    assert _run(readme_example("Structured output"), server, monkeypatch) == "1240.5 json_schema 1\n"
    sent = server.requests[0].json()
    assert sent["response_format"]["type"] == "json_schema" and sent["max_tokens"] == 300


def test_tool_calling_example(server: FaultServer, monkeypatch: pytest.MonkeyPatch) -> None:
    model = "@cf/zai-org/glm-4.7-flash"
    server.enqueue(
        replay.tool_calls(model, ("get_weather", {"city": "Oslo"})),
        replay.answer(model, "No coat needed: 21 °C."),
    )
    printed = _run(readme_example("Tool calling"), server, monkeypatch)
    assert printed.splitlines()[0] == "No coat needed: 21 °C."
    assert printed.splitlines()[1].startswith("get_weather city='Oslo' unit='celsius' {'city': 'Oslo'")
    assert server.requests[1].json()["messages"][-1]["role"] == "tool"
