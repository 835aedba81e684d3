"""The client's contract, on the model of the text-classification docs page, over a real socket."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from e2e_support import async_client

from tests.support.fault_server import FaultServer, Reply
from workers_ai import AsyncWorkersAI, WorkersAI
from workers_ai.errors import APIError, ConfigurationError, InputValidationError, WorkersAIError
from workers_ai.types import AiTextClassification, AiTextClassificationInput, AiTextClassificationOutput

SEED = "@cf/huggingface/distilbert-sst-2-int8"
RESULT = [
    {"label": "NEGATIVE", "score": 0.00012611268903128803},
    {"label": "POSITIVE", "score": 0.9998738765716553},
]


def test_run_posts_to_the_documented_url_with_bearer_token_and_json(
    server: FaultServer, client: WorkersAI
) -> None:
    server.enqueue(Reply.envelope(RESULT))
    out = client.run(SEED, {"text": "This pizza is great!"})
    request = server.requests[0]
    assert request.method == "POST"
    assert request.path == "/client/v4/accounts/acc-123/ai/run/@cf/huggingface/distilbert-sst-2-int8"
    assert request.headers["authorization"] == "Bearer secret-token-xyz"
    assert request.headers["content-type"].startswith("application/json")
    assert json.loads(request.body) == {"text": "This pizza is great!"}
    assert isinstance(out, AiTextClassificationOutput)
    assert len(out) == 2 and out[1].label == "POSITIVE" and [i.label for i in out] == ["NEGATIVE", "POSITIVE"]
    assert out[1].score == pytest.approx(0.99987, rel=1e-4)


def test_task_method_uses_the_default_model_and_accepts_the_input_type(
    server: FaultServer, client: WorkersAI
) -> None:
    server.enqueue(Reply.envelope(RESULT), Reply.envelope(RESULT))
    assert AiTextClassification.default_model == SEED
    out = client.text_classification(text="This pizza is great!")
    assert isinstance(out, AiTextClassificationOutput)
    typed = client.run(SEED, AiTextClassificationInput(text="typed input"))
    assert typed[0].label == "NEGATIVE"
    assert server.requests[0].path.endswith(SEED)
    assert json.loads(server.requests[1].body) == {"text": "typed input"}


@pytest.mark.parametrize(
    ("arguments", "pointer"),
    [({"text": ""}, "/text"), ({"text": 123}, "/text"), ({}, "")],
    ids=["empty", "not-a-string", "missing"],
)
def test_invalid_input_raises_before_any_request(
    server: FaultServer, client: WorkersAI, arguments: dict[str, Any], pointer: str
) -> None:
    with pytest.raises(InputValidationError) as info:
        client.text_classification(**arguments)
    assert pointer in [p for p, _ in info.value.errors]
    with pytest.raises(InputValidationError):
        client.run(SEED, arguments)
    assert server.count == 0


def test_success_false_is_an_api_error_never_none(server: FaultServer, client: WorkersAI) -> None:
    server.enqueue(
        Reply.json(
            {
                "result": None,
                "success": False,
                "errors": [{"code": 7003, "message": "No route"}],
                "messages": [],
            }
        )
    )
    with pytest.raises(APIError) as info:
        client.run(SEED, {"text": "hi"})
    assert info.value.code == 7003 and "No route" in str(info.value)
    assert isinstance(info.value, WorkersAIError)


def test_settings_come_from_the_environment(server: FaultServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLOUDFLARE_ACCOUNT_ID", "env-acc")
    monkeypatch.setenv("CLOUDFLARE_API_TOKEN", "env-token")
    monkeypatch.setenv("CLOUDFLARE_BASE_URL", server.base_url)
    server.enqueue(Reply.envelope(RESULT))
    with WorkersAI() as client:
        client.run(SEED, {"text": "hi"})
    assert server.requests[0].path.startswith("/client/v4/accounts/env-acc/")
    assert server.requests[0].headers["authorization"] == "Bearer env-token"


def test_missing_credentials_are_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CLOUDFLARE_ACCOUNT_ID", raising=False)
    monkeypatch.delenv("CLOUDFLARE_API_TOKEN", raising=False)
    with pytest.raises(ConfigurationError, match="CLOUDFLARE_ACCOUNT_ID"):
        WorkersAI(api_token="t")
    with pytest.raises(ConfigurationError, match="CLOUDFLARE_API_TOKEN"):
        AsyncWorkersAI(account_id="a")


def test_token_never_in_repr(server: FaultServer, client: WorkersAI) -> None:
    assert "secret-token-xyz" not in repr(client)


def test_async_client_same_contract(server: FaultServer) -> None:
    server.enqueue(Reply.envelope(RESULT))

    async def scenario() -> None:
        async with async_client(server) as client:
            out = await client.text_classification(text="This pizza is great!")
            assert isinstance(out, AiTextClassificationOutput) and out[0].label == "NEGATIVE"
            with pytest.raises(InputValidationError):
                await client.run(SEED, {"text": ""})

    asyncio.run(scenario())
    assert server.count == 1


def test_unknown_model_returns_the_raw_result(server: FaultServer, client: WorkersAI) -> None:
    server.enqueue(Reply.envelope({"anything": [1, 2]}))
    assert client.run("@cf/new/model-from-tomorrow", {"x": 1}) == {"anything": [1, 2]}
    assert server.requests[0].path.endswith("/ai/run/@cf/new/model-from-tomorrow")
