"""Helpers of the REST resource tests: one scenario runs with the sync or the async client, over a real
socket (`FaultServer`), and multipart bodies are read back part by part."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from email.message import Message
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any

from tests.support.fault_server import FaultServer, RecordedRequest
from tests.support.fixtures import ACCOUNT, TOKEN
from workers_ai import AsyncWorkersAI, WorkersAI

PREFIX = f"/client/v4/accounts/{ACCOUNT}"

Client = WorkersAI | AsyncWorkersAI


def make_client(mode: str, server: FaultServer, max_retries: int = 0) -> Client:
    cls = WorkersAI if mode == "sync" else AsyncWorkersAI
    return cls(account_id=ACCOUNT, api_token=TOKEN, base_url=server.base_url, max_retries=max_retries)


async def resolve(value: Any) -> Any:
    """The value, awaited if the async client returned an awaitable."""
    return await value if inspect.isawaitable(value) else value


async def collect(iterable: Iterator[Any] | AsyncIterator[Any]) -> list[Any]:
    if isinstance(iterable, AsyncIterator):
        return [item async for item in iterable]
    return list(iterable)


def run(mode: str, server: FaultServer, scenario: Callable[[Client], Awaitable[None]]) -> None:
    """Run `scenario` with a fresh client of `mode`, closing it afterwards."""

    async def main() -> None:
        client = make_client(mode, server)
        try:
            await scenario(client)
        finally:
            if isinstance(client, AsyncWorkersAI):
                await client.aclose()
            else:
                client.close()

    asyncio.run(main())


@dataclass(frozen=True)
class Part:
    name: str
    filename: str | None
    content_type: str
    data: bytes


def multipart_parts(request: RecordedRequest) -> list[Part]:
    """The parts of a multipart/form-data request, in order (parsed by the stdlib email parser)."""
    content_type = request.headers["content-type"]
    assert content_type.startswith("multipart/form-data; boundary="), content_type
    message: Message = BytesParser(policy=HTTP).parsebytes(
        b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + request.body
    )
    parts = []
    for part in message.iter_parts():
        payload = part.get_payload(decode=True)
        assert isinstance(payload, bytes)
        parts.append(
            Part(
                name=str(part.get_param("name", header="content-disposition")),
                filename=part.get_filename(),
                content_type=part.get_content_type(),
                data=payload,
            )
        )
    return parts
