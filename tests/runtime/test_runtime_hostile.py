"""A hostile server or caller over a real socket (sync and async): ids that would leave the run path,
nesting, oversized and compressed bodies, endless SSE lines, trickled bodies and keep-alive-only streams."""

from __future__ import annotations

import gzip
import json
import time
import zlib
from types import SimpleNamespace

import pytest

from tests.runtime.runtime_pkg import ACCOUNT, DISTILBERT, LLAMA, TOKEN, UNTYPED, Harness
from tests.support.fault_server import FaultServer, Reply, gzip_bomb

MiB = 1 << 20
ESCAPING_MODELS = [
    "../../../other/ai/run/x",
    "../../../../../user/tokens",
    "@cf/../../../../user/tokens",
    "@cf/meta/./llama",
    "@cf/meta//llama",
    "@cf/meta/llama/..",
    "@cf/meta/llama\n",
    "@cf/meta/\x00llama",
    "@cf/",
    "@xx/meta/llama",
    "a/b",
    "..",
    "",
    "@cf/" + "a" * 300,
]


@pytest.mark.parametrize("model", ESCAPING_MODELS)
def test_model_ids_outside_the_grammar_are_never_sent(
    harness: Harness, server: FaultServer, model: str
) -> None:
    with pytest.raises(harness.wai.errors.InputValidationError) as info:
        harness.run(model, {"name": "evil"})
    assert server.count == 0
    assert info.value.errors[0].pointer == "" and "model" in info.value.errors[0].message
    assert len(str(info.value)) < 400


@pytest.mark.parametrize("model", [["x"], {"a": 1}, None, 3])
def test_model_that_is_not_a_string_is_a_typed_error(
    harness: Harness, server: FaultServer, model: object
) -> None:
    with pytest.raises(harness.wai.errors.InputValidationError):
        harness.run(model, {})  # type: ignore[arg-type]
    assert server.count == 0


def test_fine_tune_ids_and_odd_characters_are_sent_encoded(harness: Harness, server: FaultServer) -> None:
    server.enqueue(Reply.envelope({"ok": 1}), Reply.envelope({"ok": 2}))
    assert harness.run("0d9ac2b8-6e1f-4c3a-9b7e-5d2f1a0c4e8b", {}) == {"ok": 1}
    assert harness.run("@hf/org/model:v1", {}) == {"ok": 2}
    paths = [request.path for request in server.requests]
    assert paths[0].endswith(f"/accounts/{ACCOUNT}/ai/run/0d9ac2b8-6e1f-4c3a-9b7e-5d2f1a0c4e8b")
    assert paths[1].endswith("/ai/run/@hf/org/model:v1")


@pytest.mark.parametrize("account", ["..", ".", "a/b", "acc\n", "acc%2F..", "a b", "x" * 65])
def test_account_ids_are_one_segment(wai: SimpleNamespace, account: str) -> None:
    for cls in (wai.WorkersAI, wai.AsyncWorkersAI):
        with pytest.raises(wai.errors.ConfigurationError, match="account_id"):
            cls(account_id=account, api_token=TOKEN)


# -- nesting ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("model", [DISTILBERT, UNTYPED])
def test_reply_nested_100000_deep_is_malformed(harness: Harness, server: FaultServer, model: str) -> None:
    server.enqueue(Reply.nested(100_000))
    with pytest.raises(harness.wai.errors.MalformedResponseError, match="nested too deeply"):
        harness.run(model, {"text": "x"})


def test_reply_nested_deeper_than_validation_can_go(harness: Harness, server: FaultServer) -> None:
    # Shallow enough for the JSON parser, too deep for validating the typed output (a list of objects).
    server.enqueue(Reply.nested(950))
    with pytest.raises(harness.wai.errors.ResponseValidationError):
        harness.run(DISTILBERT, {"text": "x"})


def test_stream_event_nested_100000_deep_is_malformed(harness: Harness, server: FaultServer) -> None:
    deep = b"data: " + b"[" * 100_000 + b"]" * 100_000 + b"\n\n"
    server.enqueue(Reply.sse([{"response": "ok"}, deep]))
    with pytest.raises(harness.wai.errors.MalformedResponseError, match="nested too deeply"):
        harness.stream(LLAMA, {"prompt": "x"})


@pytest.mark.parametrize(("model", "key"), [(UNTYPED, "prompt"), (LLAMA, "extra")])
def test_input_nested_100000_deep_is_refused_with_a_pointer(
    harness: Harness, server: FaultServer, model: str, key: str
) -> None:
    deep: list[object] = []
    for _ in range(100_000):
        deep = [deep]
    with pytest.raises(harness.wai.errors.InputValidationError) as info:
        harness.run(model, {"prompt": "x", key: deep})
    assert server.count == 0
    (issue,) = info.value.errors
    assert issue.pointer.startswith(f"/{key}/0/0/0") and "nested more than 1000 levels deep" in issue.message


# -- sizes -----------------------------------------------------------------------------------------------


def test_body_over_max_response_bytes(harness: Harness, server: FaultServer) -> None:
    big = Reply.envelope({"data": "x" * (2 * MiB)})
    server.enqueue(big, big, Reply.envelope({"data": "small"}))
    errors = harness.wai.errors
    with pytest.raises(errors.ResponseTooLargeError, match="max_response_bytes=1048576"):
        harness.run(UNTYPED, {}, max_response_bytes=MiB)
    with pytest.raises(errors.ResponseTooLargeError):
        harness.run(UNTYPED, {}, call={"max_response_bytes": MiB})
    assert harness.run(UNTYPED, {}, max_response_bytes=MiB) == {"data": "small"}
    assert server.count == 3  # never retried
    with pytest.raises(errors.ConfigurationError):
        harness.run(UNTYPED, {}, max_response_bytes=0)


def test_decompression_bomb_stops_at_the_limit(harness: Harness, server: FaultServer) -> None:
    server.enqueue(Reply.gzipped(gzip_bomb(256 * MiB)))
    started = time.monotonic()
    with pytest.raises(harness.wai.errors.ResponseTooLargeError):
        harness.run(UNTYPED, {}, max_response_bytes=4 * MiB)
    assert time.monotonic() - started < 5


def test_endless_sse_line_hits_the_line_limit(harness: Harness, server: FaultServer) -> None:
    piece = b"a" * (64 * 1024)
    chunks = [b"data: "] + [piece] * 150  # 9.4 MiB without a line break
    server.enqueue(Reply(headers=[("Content-Type", "text/event-stream")], chunks=chunks, framing="chunked"))
    with pytest.raises(harness.wai.errors.ResponseTooLargeError, match="longer than"):
        harness.stream(LLAMA, {"prompt": "x"})


def test_whole_stream_counts_against_max_response_bytes(harness: Harness, server: FaultServer) -> None:
    server.enqueue(Reply.sse([{"response": "x" * 1000}] * 200))
    with pytest.raises(harness.wai.errors.ResponseTooLargeError, match="stream is larger"):
        harness.stream(LLAMA, {"prompt": "x"}, max_response_bytes=100_000)


def test_invalid_utf8_in_an_event_is_malformed(harness: Harness, server: FaultServer) -> None:
    server.enqueue(Reply.sse([b'data: {"response": "caf\xe9"}\n\n']))
    with pytest.raises(harness.wai.errors.MalformedResponseError, match="invalid UTF-8"):
        harness.stream(LLAMA, {"prompt": "x"})


def test_sse_decoder_is_linear_in_a_long_line(wai: SimpleNamespace) -> None:
    decoder = wai.streaming.SSEDecoder()
    started = time.monotonic()
    decoder.feed(b"data: ")
    piece = b"b" * 1024
    for _ in range(7 * 1024):  # 7 MiB in 1 KiB pieces: quadratic re-scanning would take minutes
        assert decoder.feed(piece) == []
    (event,) = decoder.feed(b"\n\n")
    assert len(event.data) == 7 * MiB and time.monotonic() - started < 3


# -- deadlines -------------------------------------------------------------------------------------------


def test_trickled_body_hits_the_total_deadline(harness: Harness, server: FaultServer) -> None:
    body = b'{"success": true, "errors": [], "result": {"x": 1}}'
    server.enqueue(Reply.trickle(body, every=0.1))  # ~5 s in all, each read well within the timeout
    started = time.monotonic()
    with pytest.raises(harness.wai.errors.APITimeoutError, match="1 s timeout"):
        harness.run(UNTYPED, {}, timeout=1.0, max_retries=0)
    assert time.monotonic() - started < 3


def test_stream_of_keepalive_comments_hits_the_idle_timeout(harness: Harness, server: FaultServer) -> None:
    pings = [b'data: {"response": "a"}\n\n'] + [b": ping\n\n"] * 40 + [b'data: {"response": "b"}\n\n']
    server.enqueue(Reply(headers=[("Content-Type", "text/event-stream")], chunks=pings, chunk_delay=0.1))
    started = time.monotonic()
    with pytest.raises(harness.wai.errors.APITimeoutError, match="No event"):
        harness.stream(LLAMA, {"prompt": "x"}, timeout=1.0)
    assert time.monotonic() - started < 3


def test_deadline_is_per_attempt_and_retried(harness: Harness, server: FaultServer) -> None:
    body = b'{"success": true, "errors": [], "result": 7}'
    server.enqueue(Reply.trickle(body, every=0.05), Reply.envelope(8))
    assert harness.run(UNTYPED, {}, timeout=0.5, max_retries=1) == 8
    assert server.count == 2


@pytest.mark.parametrize("encoding", ["gzip", "deflate-zlib", "deflate-raw"])
def test_compressed_bodies_are_inflated_in_steps(
    harness: Harness, server: FaultServer, encoding: str
) -> None:
    payload = json.dumps({"success": True, "errors": [], "result": {"text": "é" * 300_000}}).encode()
    if encoding == "gzip":
        data = gzip.compress(payload)
    else:
        compressor = zlib.compressobj(6, zlib.DEFLATED, zlib.MAX_WBITS if encoding == "deflate-zlib" else -15)
        data = compressor.compress(payload) + compressor.flush()
    name = encoding.partition("-")[0]
    reply = Reply(headers=[("Content-Type", "application/json"), ("Content-Encoding", name)], body=data)
    server.enqueue(reply, reply)
    assert harness.run(UNTYPED, {}) == {"text": "é" * 300_000}
    with pytest.raises(harness.wai.errors.ResponseTooLargeError):
        harness.run(UNTYPED, {}, max_response_bytes=len(payload) - 1)


def test_corrupt_gzip_body_is_malformed(harness: Harness, server: FaultServer) -> None:
    data = bytearray(gzip.compress(b'{"success": true, "errors": [], "result": 1}' * 100))
    data[20:40] = bytes(20)
    server.enqueue(Reply.gzipped(bytes(data)))
    with pytest.raises(harness.wai.errors.MalformedResponseError):
        harness.run(UNTYPED, {}, max_retries=0)
