"""Error replies over a real socket: status classes, Cloudflare codes, success:false, malformed replies."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from tests.runtime.runtime_pkg import DISTILBERT, IMG2IMG, LLAMA, MELOTTS, Harness
from tests.support.fault_server import FaultServer, Reply

TEXT = {"text": "hello"}


def raised(harness: Harness, model: str = DISTILBERT, input: object = TEXT, **options: Any) -> Any:
    with pytest.raises(harness.wai.errors.WorkersAIError) as info:
        harness.run(model, input, **options)
    return info.value


@pytest.mark.parametrize(
    ("status", "name", "retried"),
    [
        (400, "BadRequestError", False),
        (401, "AuthenticationError", False),
        (403, "PermissionDeniedError", False),
        (404, "NotFoundError", False),
        (408, "RequestTimeoutError", True),
        (409, "ConflictError", True),
        (422, "UnprocessableEntityError", False),
        (429, "RateLimitError", True),
        (500, "InternalServerError", True),
        (502, "InternalServerError", True),
        (503, "InternalServerError", True),
        (418, "APIStatusError", False),
    ],
)
def test_every_status_class(
    harness: Harness, server: FaultServer, status: int, name: str, retried: bool
) -> None:
    server.burst(Reply.failure(status, 1000, f"boom {status}"), 3)
    error = raised(harness)
    errors = harness.wai.errors
    assert type(error).__name__ == name
    assert isinstance(error, errors.APIStatusError) and isinstance(error, errors.APIError)
    assert error.status_code == status
    assert error.errors == [errors.CloudflareErrorDetail(1000, f"boom {status}")]
    assert error.code == 1000
    assert error.response is not None and error.response.status_code == status
    assert error.body is not None and b"boom" in error.body
    assert error.model == DISTILBERT
    expected_attempts = 3 if retried else 1
    assert server.count == expected_attempts and error.attempts == expected_attempts
    text = str(error)
    assert f"HTTP {status}" in text and f"boom {status}" in text and "1000" in text and DISTILBERT in text
    assert ("after 3 attempts" in text) is retried


@pytest.mark.parametrize(
    ("status", "code", "name", "attempts", "hint"),
    [
        (429, 3036, "QuotaExceededError", 1, "not retried"),
        (429, 3040, "RateLimitError", 3, "out of capacity"),
        (408, 3007, "RequestTimeoutError", 3, "timed out"),
        (400, 5007, "ModelNotFoundError", 1, "model id"),
        (400, 3042, "ModelNotFoundError", 1, "model id"),
        (400, 5005, "LoraNotSupportedError", 1, "LoRA"),
        (403, 5016, "ModelAgreementRequiredError", 1, "agree"),
        (400, 5006, "ServerInputValidationError", 1, "schema"),
    ],
)
def test_cloudflare_codes(
    harness: Harness, server: FaultServer, status: int, code: int, name: str, attempts: int, hint: str
) -> None:
    server.burst(Reply.failure(status, code, "server says no"), 3)
    error = raised(harness)
    assert type(error).__name__ == name
    assert error.code == code and error.status_code == status
    assert server.count == attempts and error.attempts == attempts
    assert hint in (error.hint or "")
    assert hint in str(error) and str(code) in str(error)


def test_class_is_chosen_by_code_before_status(harness: Harness, server: FaultServer) -> None:
    errors = harness.wai.errors
    server.enqueue(Reply.failure(500, 5007, "No such model"))  # odd status, but the code decides
    assert type(raised(harness)) is errors.ModelNotFoundError
    server.enqueue(Reply.failure(200, 3036, "quota"))
    error = raised(harness)
    assert type(error) is errors.QuotaExceededError and error.status_code == 200


def test_quota_exceeded_is_a_rate_limit_error_but_never_retried(
    harness: Harness, server: FaultServer
) -> None:
    server.burst(Reply.rate_limited(retry_after="0", code=3036, message="daily free allocation used"), 3)
    error = raised(harness)
    assert isinstance(error, harness.wai.errors.RateLimitError)
    assert server.count == 1
    assert "not retried" in str(error) and "daily free allocation used" in str(error)


def test_server_input_validation_text_is_cleaned_up(harness: Harness, server: FaultServer) -> None:
    raw = (
        "AiError: AiError: Bad input: Error: oneOf at '/' not met, 0 matches; "
        "required properties at '/' are 'prompt'; Type mismatch of '/messages/0/content', 'array' not in 'string'"
    )
    server.enqueue(Reply.failure(400, 5006, raw))
    error = raised(harness)
    assert error.raw_message == raw
    assert not error.message.startswith("AiError")
    assert "required properties at '/' are 'prompt'" in error.message
    pointers = [issue.pointer for issue in error.validation_errors]
    assert "/messages/0/content" in pointers
    assert "/messages/0/content" in str(error)


def test_http_200_with_success_false_is_an_api_error_never_none(
    harness: Harness, server: FaultServer
) -> None:
    errors = harness.wai.errors
    server.enqueue(Reply.failure(200, 7000, "No route for that URI"))
    error = raised(harness)
    assert type(error) is errors.APIError and error.status_code == 200 and error.code == 7000
    assert "No route for that URI" in str(error)
    server.enqueue(Reply.json({"result": None, "success": False, "errors": [], "messages": []}))
    error = raised(harness)
    assert type(error) is errors.APIError and "without any error details" in str(error)


def test_html_error_page_from_5xx(harness: Harness, server: FaultServer) -> None:
    page = (
        "<html><head><title>502 Bad Gateway</title></head><body><h1>cloudflare</h1>"
        + "x" * 5000
        + "</body></html>"
    )
    server.burst(Reply.html(502, page), 3)
    error = raised(harness)
    assert type(error).__name__ == "InternalServerError"
    assert "502 Bad Gateway" in str(error) and len(str(error)) < 600
    assert error.body == page.encode()


def test_non_envelope_json_error_body(harness: Harness, server: FaultServer) -> None:
    server.enqueue(Reply.json({"error": "Unauthorized"}, status=401))
    error = raised(harness)
    assert type(error).__name__ == "AuthenticationError" and "Unauthorized" in str(error)
    assert "API token" in str(error)


@pytest.mark.parametrize(
    ("reply", "fragment"),
    [
        (Reply(headers=[("Content-Type", "application/json")], body=b"<html>oops</html>"), "not valid JSON"),
        (
            Reply(headers=[("Content-Type", "application/json")], body=b'{"result": [{"label": "PO'),
            "truncated JSON",
        ),
        (Reply.json([{"label": "POSITIVE"}]), "not a Cloudflare envelope"),
        (Reply.json({"label": "POSITIVE"}), "not a Cloudflare envelope"),
        (Reply.json({"success": True, "errors": [], "messages": []}), "no result"),
        (Reply.html(200, "<html>hello</html>"), "content type 'text/html'"),
        (Reply.binary(b"\x89PNG....", "image/png"), "binary content type 'image/png'"),
        (Reply(headers=[("Content-Type", "application/json")], body=b""), "not valid JSON"),
        (Reply.sse([{"response": "x"}]), "text/event-stream"),
    ],
)
def test_malformed_replies(harness: Harness, server: FaultServer, reply: Reply, fragment: str) -> None:
    server.enqueue(reply)
    error = raised(harness)
    assert type(error).__name__ == "MalformedResponseError"
    assert isinstance(error, harness.wai.errors.ResponseValidationError)
    assert fragment in str(error)
    assert error.response is not None and error.body is not None
    assert server.count == 1  # never retried: the model may have run already


def test_truncated_json_body_under_connection_close(harness: Harness, server: FaultServer) -> None:
    server.enqueue(
        Reply(headers=[("Content-Type", "application/json")], body=b'{"result": [1, 2', framing="close")
    )
    error = raised(harness)
    assert type(error).__name__ == "MalformedResponseError" and "truncated" in str(error)


def test_json_where_binary_expected(harness: Harness, server: FaultServer) -> None:
    server.enqueue(Reply.envelope({"image": "aGk="}))
    error = raised(harness, IMG2IMG, {"prompt": "cat"})
    assert type(error).__name__ == "MalformedResponseError" and "Expected binary output (image/png)" in str(
        error
    )


def test_binary_of_a_type_not_declared(harness: Harness, server: FaultServer) -> None:
    server.enqueue(Reply.binary(b"ID3...", "audio/mpeg"))
    error = raised(harness, IMG2IMG, {"prompt": "cat"})
    assert type(error).__name__ == "MalformedResponseError" and "audio/mpeg" in str(error)


def test_api_error_in_json_for_a_binary_model_is_still_an_api_error(
    harness: Harness, server: FaultServer
) -> None:
    server.enqueue(Reply.failure(200, 3030, "Unknown internal error"))
    error = raised(harness, MELOTTS, {"prompt": "hi"})
    assert type(error) is harness.wai.errors.APIError and error.code == 3030


def test_streaming_model_error_reply(harness: Harness, server: FaultServer) -> None:
    server.enqueue(Reply.failure(401, 10000, "Authentication error"))
    with pytest.raises(harness.wai.errors.AuthenticationError):
        harness.stream(LLAMA, {"prompt": "hi"})


def test_error_tree(wai: SimpleNamespace) -> None:
    e = wai.errors
    assert issubclass(e.MalformedResponseError, e.ResponseValidationError)
    assert issubclass(e.APITimeoutError, e.APIConnectionError)
    assert issubclass(e.QuotaExceededError, e.RateLimitError)
    for cls in (e.ModelNotFoundError, e.LoraNotSupportedError, e.ServerInputValidationError):
        assert issubclass(cls, e.BadRequestError)
    assert issubclass(e.ModelAgreementRequiredError, e.PermissionDeniedError)
    for name in e.__all__:
        obj = getattr(e, name)
        if isinstance(obj, type) and issubclass(obj, Exception):
            assert issubclass(obj, e.WorkersAIError), name
            assert name in (e.__doc__ or ""), f"{name} missing from the tree in the docstring"
