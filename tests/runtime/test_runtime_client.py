"""The success path over a real socket: URL, headers, body, envelope unwrapping, typed results."""

from __future__ import annotations

import asyncio
import json
from types import SimpleNamespace
from typing import Any

import httpx
import pytest

from tests.runtime.runtime_pkg import ACCOUNT, DISTILBERT, LLAMA, TOKEN, UNTYPED, Harness
from tests.support.fault_server import FaultServer, Reply

RESULT = [{"label": "POSITIVE", "score": 0.99}, {"label": "NEGATIVE", "score": 0.01}]


def test_success_path_sends_documented_request_and_unwraps_envelope(
    harness: Harness, server: FaultServer
) -> None:
    server.enqueue(Reply.envelope(RESULT))
    out = harness.run(DISTILBERT, {"text": "I love it"})
    assert type(out).__name__ == "ClassificationOutput"
    assert len(out) == 2 and out[0].label == "POSITIVE" and out[0].score == 0.99
    assert server.count == 1
    request = server.requests[0]
    assert request.method == "POST"
    assert request.path == f"/client/v4/accounts/{ACCOUNT}/ai/run/{DISTILBERT}"  # slashes and @ kept
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    assert request.headers["content-type"] == "application/json"
    assert request.json() == {"text": "I love it"}


def test_task_method_and_pydantic_input(wai: SimpleNamespace, server: FaultServer) -> None:
    server.enqueue(Reply.envelope(RESULT), Reply.envelope(RESULT))
    with wai.WorkersAI(account_id=ACCOUNT, api_token=TOKEN, base_url=server.base_url) as client:
        assert client.text_classification(text="hi")[1].label == "NEGATIVE"
        assert client.run(DISTILBERT, wai.models.DistilbertInput(text="typed"))[0].label == "POSITIVE"
    assert [r.json() for r in server.requests] == [{"text": "hi"}, {"text": "typed"}]


def test_unicode_input_is_sent_as_utf8_json(harness: Harness, server: FaultServer) -> None:
    server.enqueue(Reply.envelope(RESULT))
    harness.run(DISTILBERT, {"text": "héllo 👋"})
    assert (
        server.requests[0].body
        == json.dumps({"text": "héllo 👋"}, ensure_ascii=False, separators=(",", ":")).encode()
    )


def test_input_mapping_is_not_mutated(harness: Harness, server: FaultServer) -> None:
    server.enqueue(Reply.envelope({"response": "ok"}))
    payload = {"prompt": "hi"}
    harness.run(LLAMA, payload, stream=False)
    assert payload == {"prompt": "hi"}


@pytest.mark.parametrize("model", ["@cf/someone/brand-new-model", UNTYPED])
def test_unknown_and_untyped_models_return_raw_result_without_validation(
    harness: Harness, server: FaultServer, model: str
) -> None:
    server.enqueue(Reply.envelope({"anything": [1, 2]}))
    assert harness.run(model, {"whatever": 1}) == {"anything": [1, 2]}
    assert server.requests[0].path.endswith(f"/ai/run/{model}")


def test_model_id_characters_that_would_break_the_url_are_encoded(
    harness: Harness, server: FaultServer
) -> None:
    server.enqueue(Reply.envelope(1))
    harness.run("@cf/odd/name with?query#frag", {})
    assert server.requests[0].path.endswith("/ai/run/@cf/odd/name%20with%3Fquery%23frag")


def test_default_headers_are_sent(harness: Harness, server: FaultServer) -> None:
    server.enqueue(Reply.envelope(RESULT))
    harness.run(DISTILBERT, {"text": "x"}, default_headers={"X-Trace": "abc"})
    assert server.requests[0].headers["x-trace"] == "abc"


def test_env_configuration(
    wai: SimpleNamespace, server: FaultServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLOUDFLARE_ACCOUNT_ID", "env-acc")
    monkeypatch.setenv("CLOUDFLARE_API_TOKEN", "env-token")
    monkeypatch.setenv("CLOUDFLARE_BASE_URL", server.base_url + "/")
    server.enqueue(Reply.envelope(RESULT))
    with wai.WorkersAI() as client:
        client.run(DISTILBERT, {"text": "x"})
    assert server.requests[0].path.startswith("/client/v4/accounts/env-acc/ai/run/")
    assert server.requests[0].headers["authorization"] == "Bearer env-token"


@pytest.mark.parametrize("missing", ["CLOUDFLARE_ACCOUNT_ID", "CLOUDFLARE_API_TOKEN"])
def test_missing_configuration_is_a_clear_error(
    wai: SimpleNamespace, monkeypatch: pytest.MonkeyPatch, missing: str
) -> None:
    monkeypatch.setenv("CLOUDFLARE_ACCOUNT_ID", "a")
    monkeypatch.setenv("CLOUDFLARE_API_TOKEN", "t")
    monkeypatch.delenv(missing)
    for cls in (wai.WorkersAI, wai.AsyncWorkersAI):
        with pytest.raises(wai.errors.ConfigurationError, match=missing):
            cls()
    assert issubclass(wai.errors.ConfigurationError, wai.errors.WorkersAIError)


def test_default_base_url_and_timeout(wai: SimpleNamespace) -> None:
    client = wai.WorkersAI(account_id="a", api_token="t")
    try:
        assert client.base_url == "https://api.cloudflare.com/client/v4"
        assert client._http.timeout.connect == 10.0 and client._http.timeout.read == 120.0
        assert client.max_retries == 2 and client.strict is False
    finally:
        client.close()


def test_shared_http_client_is_used_and_not_closed(wai: SimpleNamespace, server: FaultServer) -> None:
    server.enqueue(Reply.envelope(RESULT))
    with httpx.Client() as http:
        with wai.WorkersAI(
            account_id="a", api_token="t", base_url=server.base_url, http_client=http
        ) as client:
            client.run(DISTILBERT, {"text": "x"})
        assert not http.is_closed


def test_one_connection_pool_is_reused(wai: SimpleNamespace, server: FaultServer) -> None:
    server.burst(Reply.envelope(RESULT), 3)
    ports: set[int] = set()
    with wai.WorkersAI(account_id="a", api_token="t", base_url=server.base_url) as client:
        for _ in range(3):
            client.run(DISTILBERT, {"text": "x"})
            pool = client._http._transport._pool
            ports.update(id(c) for c in pool.connections)
    assert len(ports) == 1


def test_async_client_concurrent_calls(wai: SimpleNamespace, server: FaultServer) -> None:
    server.burst(Reply.envelope(RESULT), 5)

    async def main() -> Any:
        async with wai.AsyncWorkersAI(account_id="a", api_token="t", base_url=server.base_url) as client:
            return await asyncio.gather(*(client.run(DISTILBERT, {"text": str(i)}) for i in range(5)))

    results = asyncio.run(main())
    assert len(results) == 5 and server.count == 5
