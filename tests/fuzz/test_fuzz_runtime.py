"""Property-based fuzzing of the generated client over a real socket: model ids, default headers,
nesting and sizes. Whatever is drawn, the client either answers correctly or raises a typed
`WorkersAIError`, never sends a request outside the run path, and never shows the token."""

from __future__ import annotations

import gzip
import json
import os
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from tests.support.fault_server import FaultServer, Reply
from workers_ai import WorkersAI
from workers_ai.errors import (
    ConfigurationError,
    InputValidationError,
    ResponseTooLargeError,
    ResponseValidationError,
)

TOKEN = "fuzz-token-SECRET-42"
ACCOUNT = "acc"
CI_EXAMPLES = 150
SLOW_EXAMPLES = int(os.environ.get("WORKERS_AI_FUZZ_EXAMPLES", "5000"))
_COMMON: dict[str, Any] = {
    "deadline": None,
    "database": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
}


@pytest.fixture(scope="module")
def server() -> Iterator[FaultServer]:
    with FaultServer(default=Reply.envelope({"ok": 1})) as fault_server:
        yield fault_server


def client_for(server: FaultServer, **options: Any) -> WorkersAI:
    return WorkersAI(account_id=ACCOUNT, api_token=TOKEN, base_url=server.base_url, max_retries=0, **options)


SEGMENTS = st.sampled_from(
    [
        "@cf",
        "@hf",
        "..",
        ".",
        "",
        "meta",
        "llama-3",
        "a b",
        "x?y",
        "#f",
        "%2e%2e",
        "\x00",
        "\n",
        "é",
        "\\",
        ";",
    ]
)
MODEL_IDS = st.one_of(st.text(max_size=40), st.lists(SEGMENTS, min_size=1, max_size=6).map("/".join))


def _model_id(server: FaultServer, model: str) -> None:
    before = server.count
    with client_for(server) as client:
        try:
            assert client.run(model, {}) == {"ok": 1}
        except InputValidationError as exc:
            assert server.count == before and TOKEN not in str(exc)
            return
    path = server.requests[-1].path
    prefix = f"/client/v4/accounts/{ACCOUNT}/ai/run/"
    assert path.startswith(prefix) and unquote(path) == prefix + model
    assert not {".", ".."} & set(path.split("/")) and not {".", ".."} & set(unquote(path).split("/"))


HEADER_NAMES = st.one_of(
    st.sampled_from(["X-Trace", "cf-aig-metadata", "Bad Name", "x\n", ""]), st.text(max_size=12)
)
HEADER_VALUES = st.one_of(st.text(max_size=30), st.sampled_from(["ok", "a\r\nX-Evil: 1", "t\u00f6ken", "\t"]))


def _headers(server: FaultServer, name: str, value: str) -> None:
    try:
        client = client_for(server, default_headers={name: value})
    except ConfigurationError as exc:
        assert TOKEN not in str(exc)
        return
    with client:
        assert client.run("@cf/fuzz/m", {}) == {"ok": 1}
    assert server.requests[-1].headers[name.lower()] == value


def _nesting(server: FaultServer, depth: int, kind: str) -> None:
    opening, closing = ("[", "]") if kind == "list" else ('{"a":', "}")
    inner = opening * depth + ("" if kind == "list" else "1") + closing * depth
    body = ('{"success": true, "errors": [], "result": ' + inner + "}").encode()
    server.enqueue(Reply(headers=[("Content-Type", "application/json")], body=body))
    with client_for(server) as client:
        try:
            result = client.run("@cf/huggingface/distilbert-sst-2-int8", {"text": "x"})
        except ResponseValidationError:
            return
    assert depth <= 1 and kind == "list" and list(result) == []


def _sizes(server: FaultServer, size: int, limit: int, compressed: bool) -> None:
    payload = json.dumps({"success": True, "errors": [], "result": "x" * size}).encode()
    reply = (
        Reply.gzipped(gzip.compress(payload))
        if compressed
        else Reply(headers=[("Content-Type", "application/json")], body=payload)
    )
    server.enqueue(reply)
    with client_for(server, max_response_bytes=limit) as client:
        try:
            assert client.run("@cf/fuzz/m", {}) == "x" * size
            assert len(payload) <= limit
        except ResponseTooLargeError:
            assert len(payload) > limit


@settings(max_examples=CI_EXAMPLES, derandomize=True, **_COMMON)
@given(model=MODEL_IDS)
def test_model_ids(server: FaultServer, model: str) -> None:
    _model_id(server, model)


@settings(max_examples=CI_EXAMPLES, derandomize=True, **_COMMON)
@given(name=HEADER_NAMES, value=HEADER_VALUES)
def test_default_headers(server: FaultServer, name: str, value: str) -> None:
    _headers(server, name, value)


@settings(max_examples=40, derandomize=True, **_COMMON)
@given(depth=st.integers(0, 100_000), kind=st.sampled_from(["list", "object"]))
def test_nesting(server: FaultServer, depth: int, kind: str) -> None:
    _nesting(server, depth, kind)


@settings(max_examples=60, derandomize=True, **_COMMON)
@given(size=st.integers(0, 300_000), limit=st.integers(1, 300_000), compressed=st.booleans())
def test_sizes(server: FaultServer, size: int, limit: int, compressed: bool) -> None:
    _sizes(server, size, limit, compressed)


@pytest.mark.slow
@settings(max_examples=SLOW_EXAMPLES, **_COMMON)
@given(model=MODEL_IDS, name=HEADER_NAMES, value=HEADER_VALUES)
def test_ids_and_headers_long(server: FaultServer, model: str, name: str, value: str) -> None:
    _model_id(server, model)
    _headers(server, name, value)


@pytest.mark.slow
@settings(max_examples=max(SLOW_EXAMPLES // 10, 50), **_COMMON)
@given(
    depth=st.integers(0, 200_000),
    kind=st.sampled_from(["list", "object"]),
    size=st.integers(0, 2_000_000),
    limit=st.integers(1, 2_000_000),
    compressed=st.booleans(),
)
def test_nesting_and_sizes_long(
    server: FaultServer, depth: int, kind: str, size: int, limit: int, compressed: bool
) -> None:
    _nesting(server, depth, kind)
    _sizes(server, size, limit, compressed)
