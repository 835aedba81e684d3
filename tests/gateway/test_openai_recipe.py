"""The README recipe: the `openai` package (optional extra) against Workers AI's OpenAI-compatible
endpoints, directly and through a gateway, sync and async, streaming included."""

from __future__ import annotations

import asyncio
import json

import openai  # the `openai` extra (part of the dev extra, so the recipe is always tested)
import pytest

from tests.gateway.gateway_support import ACCOUNT, TOKEN
from tests.support.gateway_server import GatewayServer
from workers_ai import AsyncWorkersAI, GatewayOptions, WorkersAI

MODEL = "@cf/meta/llama-3.1-8b-instruct"


def workers_ai(server: GatewayServer) -> WorkersAI:
    return WorkersAI(
        account_id=ACCOUNT,
        api_token=TOKEN,
        base_url=server.api_url,
        gateway=GatewayOptions(id="oa-gw", cache_ttl=300, metadata={"app": "recipe"}),
        gateway_base_url=server.gateway_url,
    )


def test_openai_client_direct_and_through_the_gateway(server: GatewayServer) -> None:
    with workers_ai(server) as client:
        direct = openai.OpenAI(base_url=client.openai_base_url, api_key=TOKEN, max_retries=0)
        routed = openai.OpenAI(
            base_url=client.gateway_openai_base_url,
            api_key=TOKEN,
            default_headers=dict(client.gateway.headers),
            max_retries=0,
        )
        chat = direct.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": "Hi"}])
        assert chat.choices[0].message.content == "Hello from the gateway"
        streamed = routed.chat.completions.create(
            model=MODEL, messages=[{"role": "user", "content": "Hi"}], stream=True
        )
        assert "".join(chunk.choices[0].delta.content or "" for chunk in streamed) == "Hello from the gateway"
        embedding = direct.embeddings.create(model="@cf/baai/bge-m3", input=["a", "b"])
        assert [len(item.embedding) for item in embedding.data] == [3, 3]
        response = routed.responses.create(model=MODEL, input="Hi")
        assert response.output_text == "Hello from the gateway"

    chat_request, stream_request, embed_request, responses_request = server.requests
    assert chat_request.method == "POST"
    assert chat_request.path == f"/client/v4/accounts/{ACCOUNT}/ai/v1/chat/completions"
    assert chat_request.headers["authorization"] == f"Bearer {TOKEN}"
    assert json.loads(chat_request.body) == {"model": MODEL, "messages": [{"role": "user", "content": "Hi"}]}
    assert stream_request.path == f"/gw/v1/{ACCOUNT}/oa-gw/workers-ai/v1/chat/completions"
    assert stream_request.headers["cf-aig-cache-ttl"] == "300"
    assert stream_request.headers["cf-aig-metadata"] == '{"app":"recipe"}'
    assert json.loads(stream_request.body)["stream"] is True
    assert embed_request.path == f"/client/v4/accounts/{ACCOUNT}/ai/v1/embeddings"
    assert json.loads(embed_request.body)["input"] == ["a", "b"]
    assert responses_request.path == f"/gw/v1/{ACCOUNT}/oa-gw/workers-ai/v1/responses"


def test_async_openai_client_streams(server: GatewayServer) -> None:
    async def scenario() -> str:
        async with AsyncWorkersAI(account_id=ACCOUNT, api_token=TOKEN, base_url=server.api_url) as client:
            oa = openai.AsyncOpenAI(base_url=client.openai_base_url, api_key=TOKEN, max_retries=0)
            stream = await oa.chat.completions.create(
                model=MODEL, messages=[{"role": "user", "content": "Hi"}], stream=True
            )
            text = "".join([chunk.choices[0].delta.content or "" async for chunk in stream])
            await oa.close()
            return text

    assert asyncio.run(scenario()) == "Hello from the gateway"
    (request,) = server.requests
    assert request.path == f"/client/v4/accounts/{ACCOUNT}/ai/v1/chat/completions"


def test_gateway_openai_base_url_needs_a_gateway(server: GatewayServer) -> None:
    from workers_ai.errors import ConfigurationError

    with WorkersAI(account_id=ACCOUNT, api_token=TOKEN, base_url=server.api_url) as client:
        assert client.openai_base_url == f"{server.api_url}/accounts/{ACCOUNT}/ai/v1"
        with pytest.raises(ConfigurationError):
            _ = client.gateway_openai_base_url
