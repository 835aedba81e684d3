"""Secrets, error text sizes and the smaller hostile cases, over a real socket (sync and async): pickled
errors, frame locals, closed clients, the route cache, NaN under strict, Retry-After spellings, base URLs."""

from __future__ import annotations

import asyncio
import gc
import pickle
import traceback
import warnings
from types import SimpleNamespace

import httpx
import pytest

from tests.runtime.runtime_pkg import ACCOUNT, DISTILBERT, LLAMA, TOKEN, UNTYPED, Harness
from tests.support.fault_server import FaultServer, RecordedRequest, Reply

HUGE = "x" * 1_000_000


def test_pickled_errors_do_not_carry_the_token(harness: Harness, server: FaultServer) -> None:
    errors = harness.wai.errors
    cases = [
        (Reply.rate_limited(retry_after="9999"), errors.RateLimitError),
        (Reply.failure(401, 10000, "no"), errors.AuthenticationError),
        (Reply.envelope([{"score": "not a number"}]), errors.ResponseValidationError),
        (Reply(headers=[("Content-Type", "application/json")], body=b"{oops"), errors.MalformedResponseError),
    ]
    for reply, cls in cases:
        server.enqueue(reply)
        with pytest.raises(cls) as info:
            harness.run(DISTILBERT, {"text": "x"}, max_retries=0)
        data = pickle.dumps(info.value)
        assert TOKEN.encode() not in data
        copy = pickle.loads(data)
        assert type(copy) is cls and copy.response.request.headers["authorization"] == "[redacted]"
        assert str(copy) == str(info.value)


def _locals_text(error: BaseException) -> str:
    return "".join(traceback.TracebackException.from_exception(error, capture_locals=True).format())


def test_frame_locals_never_show_the_token(harness: Harness, server: FaultServer) -> None:
    errors = harness.wai.errors
    server.enqueue(Reply.rate_limited(retry_after="9999"), Reply(reset=True), Reply(delay=1.0))
    server.enqueue(Reply.sse([{"response": "x"}], done=False, tail=b"data: {", framing="close"))
    texts = []
    for expected in (errors.RateLimitError, errors.APIConnectionError, errors.APITimeoutError):
        with pytest.raises(expected) as info:
            harness.run(DISTILBERT, {"text": "x"}, max_retries=0, timeout=httpx.Timeout(2.0, read=0.3))
        texts.append(_locals_text(info.value))
    with pytest.raises(errors.MalformedResponseError) as info:
        harness.stream(LLAMA, {"prompt": "x"}, max_retries=0)
    texts.append(_locals_text(info.value))
    assert "RedactedWireHeaders(" in texts[0]  # the locals of the request loop were really captured
    for text in texts:
        assert TOKEN not in text


def test_client_vars_do_not_show_the_token(wai: SimpleNamespace) -> None:
    for cls in (wai.WorkersAI, wai.AsyncWorkersAI):
        client = cls(account_id=ACCOUNT, api_token=TOKEN)
        assert TOKEN not in repr(vars(client)) and "[redacted]" in repr(vars(client))


def test_server_messages_are_truncated(harness: Harness, server: FaultServer) -> None:
    errors = harness.wai.errors
    server.enqueue(Reply.failure(400, 1000, HUGE), Reply.failure(400, 5006, f"Bad input: {HUGE}"))
    for cls in (errors.BadRequestError, errors.ServerInputValidationError):
        with pytest.raises(cls) as info:
            harness.run(DISTILBERT, {"text": "x"})
        assert len(str(info.value)) < 3000 and "more characters" in str(info.value)
    server.enqueue(Reply.sse([b'event: error\ndata: {"error": "' + HUGE.encode() + b'"}\n\n']))
    with pytest.raises(errors.APIError) as info:
        harness.stream(LLAMA, {"prompt": "x"})
    assert len(str(info.value)) < 3000


def test_use_after_close_is_a_typed_error(wai: SimpleNamespace, server: FaultServer) -> None:
    client = wai.WorkersAI(account_id=ACCOUNT, api_token=TOKEN, base_url=server.base_url)
    client.close()
    with pytest.raises(wai.errors.ClientClosedError, match="after close"):
        client.run(DISTILBERT, {"text": "x"})

    async def main() -> None:
        aclient = wai.AsyncWorkersAI(account_id=ACCOUNT, api_token=TOKEN, base_url=server.base_url)
        await aclient.aclose()
        with pytest.raises(wai.errors.ClientClosedError):
            await aclient.run(DISTILBERT, {"text": "x"})

    asyncio.run(main())
    assert server.count == 0


def test_route_cache_is_bounded(wai: SimpleNamespace, server: FaultServer) -> None:
    server.default = Reply.envelope({"ok": True})
    try:
        with wai.WorkersAI(account_id=ACCOUNT, api_token=TOKEN, base_url=server.base_url) as client:
            for i in range(600):
                assert client.run(f"@cf/test/model-{i}", {}) == {"ok": True}
            assert len(client._routes) <= 512
            assert client.run("@cf/test/model-0", {}) == {"ok": True}
    finally:
        server.default = FaultServer().default


def test_nan_and_infinity_fail_strict(harness: Harness, server: FaultServer) -> None:
    body = b'{"success": true, "errors": [], "result": [{"label": "a", "score": NaN}]}'
    reply = Reply(headers=[("Content-Type", "application/json")], body=body)
    server.enqueue(reply, reply)
    with pytest.raises(harness.wai.errors.MalformedResponseError, match="NaN"):
        harness.run(DISTILBERT, {"text": "x"}, strict=True)
    lenient = harness.run(DISTILBERT, {"text": "x"})
    assert lenient[0].score != lenient[0].score  # NaN passes only without strict=True


@pytest.mark.parametrize("value", ["1_0", "nan", "inf", "1e3", "-5"])
def test_odd_retry_after_spellings_are_ignored(
    harness: Harness, server: FaultServer, sleeps: list[float], value: str
) -> None:
    server.enqueue(Reply.rate_limited(retry_after=value), Reply.envelope([{"label": "ok"}]))
    assert harness.run(DISTILBERT, {"text": "x"})[0].label == "ok"
    assert len(sleeps) == 1 and sleeps[0] <= 0.5  # the backoff, not what the header seemed to say


def test_capacity_hint_does_not_contradict_itself(harness: Harness, server: FaultServer) -> None:
    server.enqueue(Reply.rate_limited(retry_after="9999"))
    with pytest.raises(harness.wai.errors.RateLimitError) as info:
        harness.run(DISTILBERT, {"text": "x"})
    hint = info.value.hint
    assert "not retried" in hint and "retried with" not in hint and "(retried" not in hint


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/client/v4?x=1#f",
        "https://api.example.com/client/v4#frag",
        "ftp://127.0.0.1/client/v4",
        "file:///etc/passwd",
        "https://user:pass@api.example.com/client/v4",
        "not a url",
    ],
)
def test_unusable_base_urls_are_refused(wai: SimpleNamespace, url: str) -> None:
    for cls in (wai.WorkersAI, wai.AsyncWorkersAI):
        with pytest.raises(wai.errors.ConfigurationError, match="base_url"):
            cls(account_id=ACCOUNT, api_token=TOKEN, base_url=url)


def test_cleartext_http_to_a_remote_host_warns(wai: SimpleNamespace) -> None:
    with pytest.warns(wai.errors.InsecureTransportWarning, match="unencrypted"):
        wai.WorkersAI(account_id=ACCOUNT, api_token=TOKEN, base_url="http://gateway.example.com/v4")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for url in (
            "http://127.0.0.1:8787/v4",
            "http://localhost/v4",
            "http://[::1]:80/v4",
            "https://x.dev/v4",
        ):
            wai.AsyncWorkersAI(account_id=ACCOUNT, api_token=TOKEN, base_url=url)


def test_base_url_is_used_as_given_over_a_socket(harness: Harness, server: FaultServer) -> None:
    server.enqueue(Reply.envelope({"ok": 1}))
    assert harness.run(UNTYPED, {}, base_url=server.base_url + "/") == {"ok": 1}
    assert server.requests[0].path == f"/client/v4/accounts/{ACCOUNT}/ai/run/{UNTYPED}"


def _sse_or_label(request: RecordedRequest) -> Reply:
    if request.path.endswith(LLAMA):
        return Reply.sse([{"response": "a"}, {"response": "b"}])
    return Reply.envelope([{"label": "ok"}])


def test_stream_finalized_by_the_collector_closes_at_the_next_call(
    wai: SimpleNamespace, server: FaultServer
) -> None:
    server.responder = _sse_or_label
    with wai.WorkersAI(account_id=ACCOUNT, api_token=TOKEN, base_url=server.base_url) as client:
        gc.disable()
        try:
            stream = client.stream(LLAMA, {"prompt": "x"})
            assert next(stream).response == "a"
            response = stream.response
            cycle: list[object] = [stream]
            cycle.append(cycle)
            del stream, cycle
            assert not response.is_closed  # only the cycle holds the stream now
            gc.collect()
            # Not closed inside the collector (which may run while httpcore holds its pool lock)...
            assert not response.is_closed and client._orphans.queue
            assert client.run(DISTILBERT, {"text": "x"})[0].label == "ok"
            assert response.is_closed and not client._orphans.queue  # ...but at the next call
        finally:
            gc.enable()


def test_async_stream_finalized_by_the_collector_closes_at_the_next_call(
    wai: SimpleNamespace, server: FaultServer
) -> None:
    server.responder = _sse_or_label

    async def main() -> None:
        async with wai.AsyncWorkersAI(
            account_id=ACCOUNT, api_token=TOKEN, base_url=server.base_url
        ) as client:
            stream = await client.stream(LLAMA, {"prompt": "x"})
            assert (await stream.__anext__()).response == "a"
            response = stream.response
            cycle: list[object] = [stream]
            cycle.append(cycle)
            del stream, cycle
            gc.collect()
            assert (await client.run(DISTILBERT, {"text": "x"}))[0].label == "ok"
            assert response.is_closed and not client._orphans.queue

    gc.disable()
    try:
        asyncio.run(main())
    finally:
        gc.enable()
