"""Unit tests of the runtime's small pieces (no socket): SSE decoding, retry timing, envelope helpers."""

from __future__ import annotations

import email.utils
import time
from types import SimpleNamespace

import httpx
import pytest


def decode(wai: SimpleNamespace, *pieces: bytes) -> tuple[list[tuple[str, str]], bool]:
    decoder = wai.streaming.SSEDecoder()
    events = []
    for piece in pieces:
        events += decoder.feed(piece)
    events += decoder.finish()
    return [(e.event, e.data) for e in events], decoder.partial


def test_sse_basic_fields_and_multiline_data(wai: SimpleNamespace) -> None:
    events, partial = decode(
        wai, b"event: update\nid: 7\ndata: a\ndata: b\n\n: comment\nretry: 10\n\ndata:no-space\n\n"
    )
    assert events == [("update", "a\nb"), ("message", "no-space")] and not partial


@pytest.mark.parametrize("sep", [b"\n", b"\r\n", b"\r"])
def test_sse_line_endings_split_anywhere(wai: SimpleNamespace, sep: bytes) -> None:
    raw = b"data: one" + sep + sep + "data: d\u00e9j\u00e0".encode() + sep + sep
    for cut in range(len(raw) + 1):
        events, partial = decode(wai, raw[:cut], raw[cut:])
        assert events == [("message", "one"), ("message", "d\u00e9j\u00e0")], cut
        assert not partial


def test_sse_partial_detection(wai: SimpleNamespace) -> None:
    assert decode(wai, b'data: {"a"')[1] is True
    assert decode(wai, b"data: x\n")[1] is True  # event not terminated by a blank line
    assert decode(wai, b"data: x\n\n")[1] is False
    assert decode(wai, b": only a comment\n")[1] is False


def test_retry_delay_from_headers(wai: SimpleNamespace, monkeypatch: pytest.MonkeyPatch) -> None:
    retry = wai.retry

    def error_with(headers: dict[str, str], status: int = 429) -> object:
        response = httpx.Response(status, headers=headers)
        return wai.errors.RateLimitError("x", status_code=status, response=response)

    assert retry.retry_delay(error_with({"retry-after": "3"}), 1) == 3.0
    assert retry.retry_delay(error_with({"retry-after-ms": "250"}), 1) == 0.25
    future = email.utils.formatdate(time.time() + 10, usegmt=True)
    assert 8 <= retry.retry_delay(error_with({"retry-after": future}), 1) <= 10.5
    assert retry.retry_delay(error_with({"retry-after": "61"}), 1) is None
    monkeypatch.setattr(retry, "MAX_RETRY_AFTER", 100.0)
    assert retry.retry_delay(error_with({"retry-after": "61"}), 1) == 61.0
    monkeypatch.setattr(retry.random, "random", lambda: 0.0)
    assert [retry.retry_delay(error_with({}), n) for n in range(1, 7)] == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]


def test_is_retryable(wai: SimpleNamespace) -> None:
    e = wai.errors
    detail = e.CloudflareErrorDetail
    assert wai.retry.is_retryable(e.APITimeoutError())
    assert wai.retry.is_retryable(e.APIConnectionError())
    assert not wai.retry.is_retryable(e.MalformedResponseError("x"))
    assert not wai.retry.is_retryable(e.InputValidationError(None, []))
    assert wai.retry.is_retryable(e.APIError("x", status_code=200, errors=[detail(3040, "cap")]))
    assert not wai.retry.is_retryable(e.RateLimitError("x", status_code=429, errors=[detail(3036, "quota")]))
    assert not wai.retry.is_retryable(e.APIError("x", status_code=None))


def test_text_snippet(wai: SimpleNamespace) -> None:
    snippet = wai.envelope.text_snippet
    assert snippet(b"<html><title> 502 &amp; Bad </title><body>x</body></html>") == "502 & Bad"
    assert snippet(b"<p>Hello <b>there</b></p><script>var token='x'</script>") == "Hello there"
    assert len(snippet(b"a" * 1000)) == 200


def test_error_str_is_helpful_on_its_own(wai: SimpleNamespace) -> None:
    e = wai.errors
    error = e.RateLimitError(
        "Capacity temporarily exceeded",
        status_code=429,
        errors=[e.CloudflareErrorDetail(3040, "Capacity temporarily exceeded")],
        model="@cf/meta/llama-3.1-8b-instruct",
        attempts=3,
        hint="Try later.",
    )
    assert str(error) == (
        "HTTP 429 Too Many Requests, Cloudflare error 3040: Capacity temporarily exceeded "
        "(model @cf/meta/llama-3.1-8b-instruct, after 3 attempts)\nHint: Try later."
    )
    assert error.code == 3040


def test_input_validation_error_str(wai: SimpleNamespace) -> None:
    error = wai.errors.InputValidationError(
        "@cf/x/y", [wai.errors.Issue("/text", "too short"), ("", "missing")]
    )
    assert str(error) == (
        "Invalid input for @cf/x/y (2 problems); no request was sent:\n  /text: too short\n  (root): missing"
    )


def test_server_validation_cleanup(wai: SimpleNamespace) -> None:
    error = wai.errors.ServerInputValidationError(
        "AiError: AiError: Bad input: Error: Type mismatch of '/text', 'number' not in 'string'",
        status_code=400,
    )
    assert error.message == "Type mismatch of '/text', 'number' not in 'string'"
    assert [tuple(i) for i in error.validation_errors] == [("/text", error.message)]
    assert error.raw_message.startswith("AiError: AiError")


def test_binary_output_equality_and_kinds(wai: SimpleNamespace) -> None:
    b = wai.binary
    assert type(b.binary_output(b"x", "image/webp")) is b.ImageOutput
    assert type(b.binary_output(b"x", "audio/wav")) is b.AudioOutput
    assert type(b.binary_output(b"x", "application/octet-stream")) is b.BinaryOutput
    assert b.ImageOutput(b"x", "image/png") == b.ImageOutput(b"x", "image/png")
    assert b.ImageOutput(b"x", "image/png") != b.ImageOutput(b"y", "image/png")


def test_schema_resource_missing_is_a_clear_error(wai: SimpleNamespace) -> None:
    with pytest.raises(wai.errors.WorkersAIError, match="regenerate or reinstall"):
        wai.spec.load_schema_resource("does-not-exist.json")


def test_import_type_is_cached(wai: SimpleNamespace) -> None:
    ref = f"{wai.models.__name__}:ClassificationOutput"
    assert wai.spec.import_type(ref) is wai.models.ClassificationOutput
    assert wai.spec.import_type.cache_info().hits >= 0
    with pytest.raises(wai.errors.WorkersAIError):
        wai.spec.import_type("no_colon_here")


def test_all_modules_declare_all(wai: SimpleNamespace) -> None:
    for name in ("errors", "spec", "validation", "binary", "retry", "envelope", "streaming", "base_client"):
        module = getattr(wai, name)
        for exported in module.__all__:
            assert hasattr(module, exported), f"{module.__name__}.{exported}"
