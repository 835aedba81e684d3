"""Streaming over a real socket: SSE chunks, [DONE], cut streams, JSON answers, no retry after data."""

from __future__ import annotations

import asyncio
import gc
from types import SimpleNamespace

import pytest

from tests.runtime.runtime_pkg import ACCOUNT, DISTILBERT, LLAMA, TOKEN, UNTYPED, Harness
from tests.support.fault_server import FaultServer, Reply

PROMPT = {"prompt": "Tell me a joke"}
EVENTS = [
    {"response": "Why", "p": "abc"},
    {"response": " did", "p": "abcdef"},
    {"response": "", "usage": {"prompt_tokens": 5, "completion_tokens": 2, "total_tokens": 7}},
]


def text_of(chunks: list[object]) -> str:
    return "".join(chunk.response or "" for chunk in chunks)  # type: ignore[attr-defined]


@pytest.mark.parametrize("how", ["stream_method", "stream_flag", "input_key_and_flag"])
def test_stream_happy_path(harness: Harness, server: FaultServer, how: str) -> None:
    server.enqueue(Reply.sse(EVENTS, chunk_delay=0.01))
    if how == "stream_method":
        chunks = harness.stream(LLAMA, PROMPT)
    elif how == "stream_flag":
        chunks = harness.run(LLAMA, PROMPT, stream=True)
    else:
        chunks = harness.run(LLAMA, {**PROMPT, "stream": True}, stream=True)
    assert [type(c).__name__ for c in chunks] == ["TextGenerationChunk"] * 3
    assert text_of(chunks) == "Why did"
    assert chunks[2].usage.total_tokens == 7
    assert server.count == 1 and server.requests[0].json() == {**PROMPT, "stream": True}


def test_stream_key_in_the_input_alone_is_rejected(harness: Harness, server: FaultServer) -> None:
    # Typed (and documented) as a plain result, such a call must not come back as a stream.
    with pytest.raises(harness.wai.errors.InputValidationError) as caught:
        harness.run(LLAMA, {**PROMPT, "stream": True})
    assert caught.value.errors[0].pointer == "/stream"
    assert "stream=True" in str(caught.value)
    assert server.count == 0


def test_events_split_across_network_chunks_and_crlf(harness: Harness, server: FaultServer) -> None:
    raw = 'data: {"response": "h\u00e9llo"}\r\n\r\n: keep-alive comment\r\n\r\ndata: {"response": " w"}\r\n\r\ndata: [DONE]\r\n\r\n'
    data = raw.encode()
    pieces = [data[i : i + 7] for i in range(0, len(data), 7)]  # splits inside UTF-8 and CRLF
    server.enqueue(Reply(headers=[("Content-Type", "text/event-stream")], chunks=pieces, framing="chunked"))
    assert text_of(harness.stream(LLAMA, PROMPT)) == "h\u00e9llo w"


def test_openai_style_chunks_stay_reachable(harness: Harness, server: FaultServer) -> None:
    server.enqueue(Reply.sse([{"choices": [{"delta": {"content": "hi"}}]}]))
    (chunk,) = harness.stream(LLAMA, PROMPT)
    assert chunk.response is None and chunk.model_extra["choices"][0]["delta"]["content"] == "hi"


def test_stream_ends_cleanly_without_done_after_complete_events(
    harness: Harness, server: FaultServer
) -> None:
    server.enqueue(Reply.sse(EVENTS, done=False))
    assert text_of(harness.stream(LLAMA, PROMPT)) == "Why did"


def test_done_without_trailing_blank_line(harness: Harness, server: FaultServer) -> None:
    server.enqueue(Reply.sse(EVENTS[:1], done=False, tail=b"data: [DONE]\n"))
    assert text_of(harness.stream(LLAMA, PROMPT)) == "Why"


def test_data_after_done_is_ignored(harness: Harness, server: FaultServer) -> None:
    server.enqueue(Reply.sse(EVENTS[:1], tail=b'data: {"response": "late"}\n\n'))
    assert text_of(harness.stream(LLAMA, PROMPT)) == "Why"


@pytest.mark.parametrize(
    ("tail", "framing", "cut"),
    [
        (b'data: {"response": "hal', "close", False),  # body ends mid-line
        (b'data: {"response": "half"}\n', "close", False),  # line complete, event not terminated
        (b'data: {"response": "hal', "chunked", True),  # chunked body cut: connection dropped
    ],
)
def test_stream_cut_mid_event(
    harness: Harness, server: FaultServer, tail: bytes, framing: str, cut: bool
) -> None:
    server.enqueue(Reply.sse(EVENTS[:2], done=False, tail=tail, framing=framing, cut=cut))  # type: ignore[arg-type]
    received: list[object] = []
    with pytest.raises(harness.wai.errors.MalformedResponseError, match="middle of an event"):
        if harness.kind == "sync":
            with harness.wai.WorkersAI(**harness.options()) as client:
                for chunk in client.stream(LLAMA, PROMPT):
                    received.append(chunk)
        else:

            async def main() -> None:
                async with harness.wai.AsyncWorkersAI(**harness.options()) as client:
                    async for chunk in await client.stream(LLAMA, PROMPT):
                        received.append(chunk)

            asyncio.run(main())
    assert text_of(received) == "Why did"
    assert server.count == 1  # a stream that yielded data is never re-sent


def test_stream_connection_dropped_between_events(harness: Harness, server: FaultServer) -> None:
    server.enqueue(Reply.sse(EVENTS[:1], done=False, cut=True), Reply.sse(EVENTS))
    with pytest.raises(harness.wai.errors.APIConnectionError):
        harness.stream(LLAMA, PROMPT)
    assert server.count == 1


def test_json_answer_to_a_stream_request_is_one_chunk(harness: Harness, server: FaultServer) -> None:
    server.enqueue(Reply.envelope({"response": "all at once", "usage": {"total_tokens": 3}}))
    chunks = harness.stream(LLAMA, PROMPT)
    assert len(chunks) == 1 and chunks[0].response == "all at once"
    assert type(chunks[0]).__name__ == "TextGenerationChunk"


def test_error_event_in_stream(harness: Harness, server: FaultServer) -> None:
    server.enqueue(
        Reply.sse(
            EVENTS[:1],
            done=False,
            tail=b'event: error\ndata: {"error": {"code": 3040, "message": "Capacity"}}\n\n',
        )
    )
    with pytest.raises(harness.wai.errors.APIError) as info:
        harness.stream(LLAMA, PROMPT)
    assert info.value.code == 3040 and "Capacity" in str(info.value)
    assert server.count == 1


def test_json_error_member_in_stream(harness: Harness, server: FaultServer) -> None:
    server.enqueue(Reply.sse([{"error": "model crashed"}]))
    with pytest.raises(harness.wai.errors.APIError, match="model crashed"):
        harness.stream(LLAMA, PROMPT)


def test_non_json_event_data(harness: Harness, server: FaultServer) -> None:
    server.enqueue(Reply.sse([b"data: not json\n\n"]))
    with pytest.raises(harness.wai.errors.MalformedResponseError, match="not JSON"):
        harness.stream(LLAMA, PROMPT)


def test_chunk_of_wrong_shape(harness: Harness, server: FaultServer) -> None:
    server.enqueue(Reply.sse([{"response": 42}]))
    with pytest.raises(harness.wai.errors.ResponseValidationError) as info:
        harness.stream(LLAMA, PROMPT)
    assert info.value.errors[0].pointer == "/response"


def test_stream_request_retried_before_any_data(
    harness: Harness, server: FaultServer, sleeps: list[float]
) -> None:
    server.enqueue(Reply.rate_limited(retry_after="0"), Reply(reset=True), Reply.sse(EVENTS))
    assert text_of(harness.stream(LLAMA, PROMPT)) == "Why did"
    assert server.count == 3


def test_stream_asked_of_a_model_that_cannot_stream(harness: Harness, server: FaultServer) -> None:
    with pytest.raises(harness.wai.errors.InputValidationError) as info:
        harness.run(DISTILBERT, {"text": "x"}, stream=True)
    assert info.value.errors[0].pointer == "/stream"
    with pytest.raises(harness.wai.errors.InputValidationError):
        harness.run(DISTILBERT, {"text": "x", "stream": True})
    assert server.count == 0


def test_unknown_model_streams_raw_chunks(harness: Harness, server: FaultServer) -> None:
    server.enqueue(Reply.sse(EVENTS[:2]))
    assert harness.stream(UNTYPED, PROMPT) == EVENTS[:2]


def test_break_closes_the_response(wai: SimpleNamespace, server: FaultServer) -> None:
    server.enqueue(Reply.sse(EVENTS * 20, chunk_delay=0.005), Reply.sse(EVENTS))
    with wai.WorkersAI(account_id=ACCOUNT, api_token=TOKEN, base_url=server.base_url) as client:
        stream = client.stream(LLAMA, PROMPT)
        for _ in stream:
            break
        response = stream.response
        del stream
        gc.collect()
        assert response.is_closed
        with client.stream(LLAMA, PROMPT) as stream2:  # the pool is usable again
            pass
        assert stream2.response is not None


def test_context_manager_closes_early(wai: SimpleNamespace, server: FaultServer) -> None:
    server.enqueue(Reply.sse(EVENTS * 10))
    with wai.WorkersAI(account_id=ACCOUNT, api_token=TOKEN, base_url=server.base_url) as client:
        with client.stream(LLAMA, PROMPT) as stream:
            first = next(stream)
        assert first.response == "Why" and stream.response.is_closed
        with pytest.raises(StopIteration):
            next(stream)


def test_async_stream_close(wai: SimpleNamespace, server: FaultServer) -> None:
    server.enqueue(Reply.sse(EVENTS * 10))

    async def main() -> None:
        async with wai.AsyncWorkersAI(
            account_id=ACCOUNT, api_token=TOKEN, base_url=server.base_url
        ) as client:
            stream = await client.stream(LLAMA, PROMPT)
            async for _ in stream:
                break
            await stream.close()
            assert stream.response.is_closed

    asyncio.run(main())
