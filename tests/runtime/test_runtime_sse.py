"""The SSE decoder against a whole-text reference decoder, whatever the cuts between network chunks, and
`Stream` / `AsyncStream` over a real socket on streams that mix plain `data:` events (the decoder's fast
cut) with everything else the format allows."""

from __future__ import annotations

import asyncio
import json
import re
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given, settings, strategies as st

from tests.runtime.runtime_pkg import LLAMA, Harness
from tests.support.fault_server import FaultServer, Reply

BOM = b"\xef\xbb\xbf"
Event = tuple[str, str, str | None]


def reference(stream: bytes) -> tuple[list[Event], bool]:
    """The events of a whole stream and whether it ends inside one, decoded line by line from the full
    text: the rules the incremental decoder follows (an event needs data or a type to be dispatched)."""
    text = (stream[len(BOM) :] if stream.startswith(BOM) else stream).decode()
    *lines, unfinished = re.split(r"\r\n|\r|\n", text)
    events: list[Event] = []
    data: list[str] = []
    kind, last_id, in_event = "", None, False
    for line in lines:
        if not line:
            text_of_data, name = "\n".join(data), kind or "message"
            if in_event and (text_of_data or name != "message"):
                events.append((name, text_of_data, last_id))
            data, kind, in_event = [], "", False
            continue
        name, _, value = line.partition(":")
        value = value[1:] if value.startswith(" ") else value
        if line.startswith(":"):
            continue
        if name == "data":
            data.append(value)
            in_event = True
        elif name == "event":
            kind, in_event = value, True
        elif name == "id":
            last_id = value
    return events, bool(unfinished) or in_event


def incremental(wai: SimpleNamespace, pieces: list[bytes], *, read: bool) -> tuple[list[Event], bool]:
    """The decoder fed `pieces` one by one. With `read`, plain events come back as the bytes of their
    data, without the last event id (compare with `without_ids`)."""
    decoder = wai.streaming.SSEDecoder()
    events: list[Event] = []
    for piece in pieces:
        for event in decoder.read(piece) if read else decoder.feed(piece):
            if isinstance(event, bytes):
                events.append(("message", event.decode(), None))
            else:
                events.append((event.event, event.data, None if read else event.id))
    return events, decoder.partial


def without_ids(decoded: tuple[list[Event], bool]) -> tuple[list[Event], bool]:
    return [(kind, data, None) for kind, data, _ in decoded[0]], decoded[1]


def cut(stream: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({min(point, len(stream)) for point in cuts})
    return [stream[a:b] for a, b in zip([0, *points], [*points, len(stream)], strict=True)]


ATOMS = [
    b'data: {"response": "tok"}\n\n',
    b"data: plain\n\n",
    b"data: ",
    b"data:",
    b"data",
    b"data: \n\n",
    b"event: error",
    b"id: 7",
    b": ping",
    b"retry: 10",
    b"Data: case matters",
    b"\n",
    b"\n\n",
    b"\r\n",
    b"\r",
    b"x",
    b" ",
    "d\u00e9j\u00e0 \u2603".encode(),
]


@settings(max_examples=300, deadline=None)
@given(
    atoms=st.lists(st.sampled_from(ATOMS), max_size=30),
    bom=st.booleans(),
    cuts=st.lists(st.integers(min_value=0, max_value=400), max_size=6),
)
def test_decoder_agrees_with_the_reference_wherever_the_stream_is_cut(
    wai: SimpleNamespace, atoms: list[bytes], bom: bool, cuts: list[int]
) -> None:
    stream = (BOM if bom else b"") + b"".join(atoms)
    expected = reference(stream)
    pieces = cut(stream, cuts)
    assert incremental(wai, pieces, read=False) == expected
    assert incremental(wai, pieces, read=True) == without_ids(expected)


MIXED = (
    "\ufeff: stream opened\n\n"
    'data: {"response": "a"}\n\n'
    'data: {"response": "b"}\n\n'
    "event: note\nid: 1\ndata: first line\ndata: second line\n\n"
    'data: {"response": "d\u00e9j\u00e0"}\r\n\r\n'
    "retry: 1000\n\n"
    'data: {"response": "c"}\r\rdata: {"response": "e"}\n\n'
    "data: [DONE]\n\n"
).encode()


@pytest.mark.parametrize("read", [False, True])
def test_every_single_cut_and_byte_by_byte(wai: SimpleNamespace, read: bool) -> None:
    expected = reference(MIXED)
    assert len(expected[0]) == 7 and not expected[1]
    if read:
        expected = without_ids(expected)
    for point in range(len(MIXED) + 1):
        assert incremental(wai, cut(MIXED, [point]), read=read) == expected, point
    assert incremental(wai, [bytes([byte]) for byte in MIXED], read=read) == expected


def test_a_run_of_plain_events_comes_as_their_data_bytes(wai: SimpleNamespace) -> None:
    decoder = wai.streaming.SSEDecoder()
    assert decoder.read(b'data: {"a": 1}\n\ndata: z\n\ndata: half') == [b'{"a": 1}', b"z"]
    assert decoder.partial
    assert decoder.read(b"\n\ndata: w\n\n") == [wai.streaming.ServerSentEvent("message", "half", None), b"w"]
    mixed = decoder.read(b"data: 1\n\n: ping\n\nevent: x\ndata: y\n\ndata: 2\n\n")
    as_events = [
        wai.streaming.ServerSentEvent("message", e.decode(), None) if type(e) is bytes else e for e in mixed
    ]
    assert [(e.event, e.data) for e in as_events] == [("message", "1"), ("x", "y"), ("message", "2")]


def test_a_byte_order_mark_is_skipped_only_at_the_start(wai: SimpleNamespace) -> None:
    for point in range(len(BOM) + 1):
        pieces = cut(BOM + b"data: x\n\n" + BOM + b"data: y\n\n", [point])
        assert incremental(wai, pieces, read=True) == ([("message", "x", None)], False)
    assert incremental(wai, [BOM[:2]], read=True) == ([], True)  # the body ended inside the mark


def test_a_cr_inside_a_chunk_does_not_swallow_the_next_chunks_lf(wai: SimpleNamespace) -> None:
    pieces = [b"data: a\r\rdata: b", b"\n\n"]
    assert incremental(wai, pieces, read=False) == ([("message", "a", None), ("message", "b", None)], False)


@pytest.mark.parametrize("piece", [1, 50, 300])
@pytest.mark.parametrize("end", [b"\n\n", b"\r\n\r\n"])
def test_a_line_longer_than_the_limit_is_refused_however_it_arrives(
    wai: SimpleNamespace, piece: int, end: bytes
) -> None:
    stream = b"data: ok\n\n" + b"data: " + b"x" * 100 + end + b"data: ok\n\n"
    decoder = wai.streaming.SSEDecoder(max_line=64)
    with pytest.raises(wai.streaming.SSEDecodeError) as info:
        for start in range(0, len(stream), piece):
            decoder.read(stream[start : start + piece])
    assert info.value.too_large


# -- over a socket ----------------------------------------------------------------------------------------


def events_reply(body: bytes, piece: int, delay: float = 0.0) -> Reply:
    """`body` sent `piece` bytes at a time; a `delay` before each piece makes it arrive in its own read."""
    pieces = [body[i : i + piece] for i in range(0, len(body), piece)]
    return Reply(
        headers=[("Content-Type", "text/event-stream")], chunks=pieces, chunk_delay=delay, framing="chunked"
    )


def collect(harness: Harness, model: str) -> tuple[list[Any], Exception | None]:
    """The chunks a stream yields before it ends, and the error it ends with (if any)."""
    received: list[Any] = []
    try:
        if harness.kind == "sync":
            with harness.wai.WorkersAI(**harness.options()) as client:
                for chunk in client.stream(model, {"prompt": "x"}):
                    received.append(chunk)
        else:

            async def main() -> None:
                async with harness.wai.AsyncWorkersAI(**harness.options()) as client:
                    async for chunk in await client.stream(model, {"prompt": "x"}):
                        received.append(chunk)

            asyncio.run(main())
    except harness.wai.errors.WorkersAIError as exc:
        return received, exc
    return received, None


def texts(chunks: list[Any]) -> list[str]:
    return [chunk.response for chunk in chunks]


def plain(text: str) -> bytes:
    return b"data: " + json.dumps({"response": text}).encode() + b"\n\n"


LONG = (
    b"".join(plain(f"t{i}") for i in range(1500))
    + b": keep-alive\n\n"
    + b'data: {"response":\ndata: "two lines"}\n\n'
    + b'event: message\r\ndata: {"response": "crlf"}\r\n\r\n'
    + b"".join(plain(f"u{i}") for i in range(1500))
    + b"data: [DONE]\n\n"
    + plain("after the end")
)
LONG_TEXTS = [f"t{i}" for i in range(1500)] + ["two lines", "crlf"] + [f"u{i}" for i in range(1500)]


@pytest.mark.parametrize("piece", [997, 65536])
def test_long_mixed_stream_in_odd_pieces(harness: Harness, server: FaultServer, piece: int) -> None:
    server.enqueue(events_reply(LONG, piece))
    received, error = collect(harness, LLAMA)
    assert error is None and texts(received) == LONG_TEXTS
    assert type(received[0]).__name__ == "TextGenerationChunk"


SOCKET_MIXED = (
    BOM
    + b": opened\n\n"
    + plain("a")
    + b'event: message\nid: 1\ndata: {"response":\ndata: "two"}\n\n'
    + 'data: {"response": "d\u00e9j\u00e0"}\r\n\r\n'.encode()
    + b"retry: 5\n\n"
    + b'data: {"response": "c"}\r\rdata: {"response": "e"}\n\n'
    + b"data: [DONE]\n\n"
)


@pytest.mark.parametrize(("piece", "delay"), [(1, 0.0005), (5, 0.0)])
def test_every_kind_of_event_in_tiny_pieces(
    harness: Harness, server: FaultServer, piece: int, delay: float
) -> None:
    server.enqueue(events_reply(SOCKET_MIXED, piece, delay))
    received, error = collect(harness, LLAMA)
    assert error is None and texts(received) == ["a", "two", "d\u00e9j\u00e0", "c", "e"]


def test_error_event_mid_chunk_after_plain_events(harness: Harness, server: FaultServer) -> None:
    body = (
        plain("a") + plain("b") + b'event: error\ndata: {"error": {"code": 3040, "message": "Capacity"}}\n\n'
    )
    server.enqueue(events_reply(body + plain("never"), 65536))
    received, error = collect(harness, LLAMA)
    assert texts(received) == ["a", "b"]
    assert isinstance(error, harness.wai.errors.APIError) and error.code == 3040


@pytest.mark.parametrize("key", ['"error"', '"\\u0065rror"'])
def test_error_member_among_plain_events(harness: Harness, server: FaultServer, key: str) -> None:
    body = plain("a") + b"data: {" + key.encode() + b': "model crashed"}\n\n' + plain("never")
    server.enqueue(events_reply(body, 65536))
    received, error = collect(harness, LLAMA)
    assert texts(received) == ["a"]
    assert isinstance(error, harness.wai.errors.APIError) and "model crashed" in str(error)


def test_invalid_utf8_in_a_plain_event_after_good_ones(harness: Harness, server: FaultServer) -> None:
    server.enqueue(events_reply(plain("a") + b'data: {"response": "caf\xe9"}\n\n', 65536))
    received, error = collect(harness, LLAMA)
    assert texts(received) == ["a"]
    assert isinstance(error, harness.wai.errors.MalformedResponseError) and "invalid UTF-8" in str(error)


def test_byte_order_mark_and_done_without_blank_line(harness: Harness, server: FaultServer) -> None:
    server.enqueue(events_reply(BOM + plain("a") + b"data: [DONE]\n", 2))
    received, error = collect(harness, LLAMA)
    assert error is None and texts(received) == ["a"]


def test_escaped_text_among_plain_events(harness: Harness, server: FaultServer) -> None:
    body = (
        plain("a") + b'data: {"response": "caf\\u00e9 \\ud83d\\ude00"}\n\n' + b'data: {"response": "b"}\n\n'
    )
    server.enqueue(events_reply(body + b"data: [DONE]\n\n", 65536))
    received, error = collect(harness, LLAMA)
    assert error is None and texts(received) == ["a", "caf\u00e9 \U0001f600", "b"]
