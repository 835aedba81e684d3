# Copied by workers-ai-codegen from generator/runtime/_tool_loop.py: edit it there.
"""The tool methods' I/O: one request (`tool_calls`), or the loop (`run_tools`), sync and async.

Requests and replies are built and read by `_tools.ToolSession`; here only the calls to the client and, in
the loop, to the tools' functions (awaited when they are coroutines, with the async client).
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ._replies import raw_result
from ._tool_calls import ToolCallAssembler
from ._tools import ToolCall, ToolCallReply, ToolLike, ToolLoopResult, ToolSession, definition_error
from .errors import ResponseValidationError

if TYPE_CHECKING:
    from ._base_client import AsyncClient, SyncClient

__all__ = ["run_tools_async", "run_tools_sync", "tool_calls_async", "tool_calls_sync"]


Messages = Sequence[Mapping[str, Any]]
Tools = Sequence[ToolLike]
Options = Mapping[str, Any]


def _loop_session(
    client: SyncClient | AsyncClient,
    model: str,
    messages: Messages,
    tools: Tools,
    max_steps: int,
    options: Options,
) -> ToolSession:
    if not isinstance(max_steps, int) or max_steps < 1:
        raise definition_error(f"max_steps must be an int >= 1, not {max_steps!r}")
    return ToolSession(client, model, messages, tools, options)


def tool_calls_sync(
    client: SyncClient, model: str, messages: Messages, tools: Tools, stream: bool, options: Options
) -> ToolCallReply:
    return _ask_sync(client, ToolSession(client, model, messages, tools, options), stream)


async def tool_calls_async(
    client: AsyncClient, model: str, messages: Messages, tools: Tools, stream: bool, options: Options
) -> ToolCallReply:
    return await _ask_async(client, ToolSession(client, model, messages, tools, options), stream)


def _ask_sync(client: SyncClient, session: ToolSession, stream: bool) -> ToolCallReply:
    if not stream:
        try:
            return session.reply(client._run(session.model, session.request()))
        except ResponseValidationError as exc:
            return session.reply(raw_result(exc))
    assembler = ToolCallAssembler()
    for chunk in client._run(session.model, session.request(stream=True), stream=True):
        assembler.feed(chunk)
    return session.streamed(assembler)


async def _ask_async(client: AsyncClient, session: ToolSession, stream: bool) -> ToolCallReply:
    if not stream:
        try:
            return session.reply(await client._run(session.model, session.request()))
        except ResponseValidationError as exc:
            return session.reply(raw_result(exc))
    assembler = ToolCallAssembler()
    async for chunk in await client._run(session.model, session.request(stream=True), stream=True):
        assembler.feed(chunk)
    return session.streamed(assembler)


def run_tools_sync(
    client: SyncClient, model: str, messages: Messages, tools: Tools, max_steps: int, options: Options
) -> ToolLoopResult:
    session = _loop_session(client, model, messages, tools, max_steps, options)
    done: list[tuple[ToolCall, Any]] = []
    for step in range(1, max_steps + 1):
        reply = _ask_sync(client, session, False)
        if not reply.tool_calls:
            return ToolLoopResult(reply.text, session.messages, done, step, reply.result)
        outputs = [call.run() for call in reply.tool_calls]
        done += zip(reply.tool_calls, outputs, strict=True)
        session.record(step, reply, outputs)
    raise session.limit(max_steps)


async def run_tools_async(
    client: AsyncClient, model: str, messages: Messages, tools: Tools, max_steps: int, options: Options
) -> ToolLoopResult:
    session = _loop_session(client, model, messages, tools, max_steps, options)
    done: list[tuple[ToolCall, Any]] = []
    for step in range(1, max_steps + 1):
        reply = await _ask_async(client, session, False)
        if not reply.tool_calls:
            return ToolLoopResult(reply.text, session.messages, done, step, reply.result)
        outputs = []
        for call in reply.tool_calls:
            output = call.run()
            outputs.append(await output if inspect.isawaitable(output) else output)
        done += zip(reply.tool_calls, outputs, strict=True)
        session.record(step, reply, outputs)
    raise session.limit(max_steps)
