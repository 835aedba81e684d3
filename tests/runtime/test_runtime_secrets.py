"""The API token never appears in a repr, a log line, or any exception text."""

from __future__ import annotations

import logging
import traceback
from types import SimpleNamespace

import httpx
import pytest

from tests.runtime.runtime_pkg import ACCOUNT, DISTILBERT, LLAMA, TOKEN, Harness
from tests.support.fault_server import FaultServer, Reply

FAULTS = [
    Reply.failure(401, 10000, "Authentication error"),
    Reply.failure(500, None, "boom"),
    Reply.html(502, "<title>Bad gateway</title>"),
    Reply.rate_limited(retry_after="9999"),
    Reply(headers=[("Content-Type", "application/json")], body=b"{oops"),
    Reply.envelope([{"score": "NaN?"}]),
    Reply(reset=True),
    Reply(delay=0.5),
    Reply.failure(400, 5006, f"AiError: Bad input: Error: echo Authorization Bearer {'x' * 5}"),
]


def texts_of(error: BaseException) -> list[str]:
    """Every text an exception chain shows: str, repr, attributes, and the formatted traceback."""
    found = ["".join(traceback.format_exception(error))]
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        found += [str(current), repr(current), repr(vars(current))]
        response = getattr(current, "response", None)
        if isinstance(response, httpx.Response):
            found += [repr(response.request.headers), repr(response.headers), repr(response.request)]
        current = current.__cause__ or current.__context__
    return found


def test_token_is_absent_everywhere(
    harness: Harness, server: FaultServer, caplog: pytest.LogCaptureFixture, sleeps: list[float]
) -> None:
    caplog.set_level(logging.DEBUG)
    for name in ("workers_ai", "httpx", "httpcore", "hpack", "asyncio"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    collected: list[str] = []
    for fault in FAULTS:
        server.enqueue(fault, fault, fault)
        with pytest.raises(harness.wai.errors.WorkersAIError) as info:
            harness.run(DISTILBERT, {"text": "hello"}, timeout=httpx.Timeout(2.0, read=0.2))
        collected += texts_of(info.value)
    server.enqueue(Reply.sse([{"response": "x"}], done=False, tail=b"data: {", framing="close"))
    with pytest.raises(harness.wai.errors.MalformedResponseError) as info:
        harness.stream(LLAMA, {"prompt": "x"})
    collected += texts_of(info.value)
    with pytest.raises(harness.wai.errors.InputValidationError) as info:
        harness.run(DISTILBERT, {"text": ""})
    collected += texts_of(info.value)
    assert server.requests[0].headers["authorization"] == f"Bearer {TOKEN}"  # it was really sent
    assert any("HTTP Request" in record.getMessage() for record in caplog.records)  # httpx did log
    assert any(record.name.startswith("httpcore") for record in caplog.records)
    assert any(record.name == "workers_ai" for record in caplog.records)
    log_text = "\n".join(f"{r.name} {r.getMessage()} {r.args!r}" for r in caplog.records)
    assert TOKEN not in log_text
    for text in collected:
        assert TOKEN not in text
        assert TOKEN[:12] not in text


def test_client_repr_has_no_token(wai: SimpleNamespace) -> None:
    for cls in (wai.WorkersAI, wai.AsyncWorkersAI):
        client = cls(account_id=ACCOUNT, api_token=TOKEN)
        text = repr(client) + str(client)
        assert TOKEN not in text and ACCOUNT in text and "base_url" in text


@pytest.mark.parametrize("bad", [f"{TOKEN}\nX-Evil: 1", f"{TOKEN} extra", "tökén"])
def test_unusable_token_is_rejected_without_echoing_it(wai: SimpleNamespace, bad: str) -> None:
    with pytest.raises(wai.errors.ConfigurationError) as info:
        wai.WorkersAI(account_id=ACCOUNT, api_token=bad)
    assert bad not in str(info.value) and TOKEN not in str(info.value)


def test_surrounding_whitespace_in_token_is_stripped(wai: SimpleNamespace, server: FaultServer) -> None:
    server.enqueue(Reply.envelope([]))
    with wai.WorkersAI(account_id=ACCOUNT, api_token=f"  {TOKEN}\n", base_url=server.base_url) as client:
        client.run(DISTILBERT, {"text": "x"})
    assert server.requests[0].headers["authorization"] == f"Bearer {TOKEN}"


@pytest.mark.parametrize(
    "headers",
    [
        {"X-Bad": "a\nb"},
        {"X-Bad": "t\u00f6ken"},
        {"Bad Name": "x"},
        {"authorization": "x"},
        {"CONTENT-TYPE": ""},
    ],
)
def test_bad_default_header_is_refused_without_leaks(
    wai: SimpleNamespace, server: FaultServer, headers: dict[str, str]
) -> None:
    for cls in (wai.WorkersAI, wai.AsyncWorkersAI):
        with pytest.raises(wai.errors.ConfigurationError, match="default_headers") as info:
            cls(account_id=ACCOUNT, api_token=TOKEN, base_url=server.base_url, default_headers=headers)
        for text in texts_of(info.value):
            assert TOKEN not in text and "a\nb" not in text and "t\u00f6ken" not in text
    assert server.count == 0
