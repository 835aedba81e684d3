"""Helpers of the gateway tests: one harness that runs a scenario with the sync or the async client."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx

from tests.support.gateway_server import GatewayServer
from workers_ai import AsyncStream, AsyncWorkersAI, RawResponse, Stream, WorkersAI

ACCOUNT = "acc"
TOKEN = "cf-api-token-SECRET-0123456789"
GATEWAY_TOKEN = "cf-aig-token-SECRET-9876543210"
DISTILBERT = "@cf/huggingface/distilbert-sst-2-int8"
LLAMA = "@cf/meta/llama-3.2-1b-instruct"
RESNET = "@cf/microsoft/resnet-50"
UNKNOWN = "@cf/example/not-in-catalog"

# Building an SSL context loads the CA bundle (~0.1 s): every test client shares this one (the local
# servers speak plain HTTP anyway).
SSL_CONTEXT = httpx.create_ssl_context()

# Exactly what httpx itself adds to every request, next to the client's own headers.
TRANSPORT_HEADERS = {"accept", "accept-encoding", "connection", "content-length", "host", "user-agent"}


class Harness:
    """`harness.call(lambda client: client.run(...))`: builds the sync or async client against the
    server, runs the function (awaiting it for the async client) and closes the client. Streams are
    read to the end inside, so the caller gets a list of chunks."""

    def __init__(self, mode: str, server: GatewayServer) -> None:
        self.mode = mode
        self.server = server

    def settings(self, **options: Any) -> dict[str, Any]:
        return {
            "account_id": ACCOUNT,
            "api_token": TOKEN,
            "base_url": self.server.api_url,
            "gateway_base_url": self.server.gateway_url,
            "max_retries": 2,
            **options,
        }

    def client(self, **options: Any) -> WorkersAI | AsyncWorkersAI:
        if self.mode == "sync":
            return WorkersAI(**self.settings(**options), http_client=httpx.Client(verify=SSL_CONTEXT))
        return AsyncWorkersAI(**self.settings(**options), http_client=httpx.AsyncClient(verify=SSL_CONTEXT))

    def call(self, action: Callable[[Any], Any], **options: Any) -> Any:
        if self.mode == "sync":
            with (
                httpx.Client(verify=SSL_CONTEXT) as http,
                WorkersAI(**self.settings(**options), http_client=http) as client,
            ):
                return _drain(action(client))

        async def scenario() -> Any:
            async with (
                httpx.AsyncClient(verify=SSL_CONTEXT) as http,
                AsyncWorkersAI(**self.settings(**options), http_client=http) as client,
            ):
                return await _adrain(await action(client))

        return asyncio.run(scenario())


def _drain(result: Any) -> Any:
    stream = result.parse() if isinstance(result, RawResponse) else result
    if isinstance(stream, Stream):
        return result, list(stream)
    return result


async def _adrain(result: Any) -> Any:
    stream = result.parse() if isinstance(result, RawResponse) else result
    if isinstance(stream, AsyncStream):
        return result, [chunk async for chunk in stream]
    return result


def sent_headers(headers: dict[str, str]) -> dict[str, str]:
    """The headers the client chose (the transport's own ones left out)."""
    return {k: v for k, v in headers.items() if k not in TRANSPORT_HEADERS}
