"""The README's usage example runs as written against a local server."""

from __future__ import annotations

import contextlib
import io

import pytest

from tests.support.docs_examples import readme_example
from tests.support.fault_server import FaultServer, Reply

RESULT = [
    {"label": "POSITIVE", "score": 0.9998738765716553},
    {"label": "NEGATIVE", "score": 0.00012611268903128803},
]


def test_readme_usage_example(server: FaultServer, monkeypatch: pytest.MonkeyPatch) -> None:
    code = readme_example("Usage")
    monkeypatch.setenv("CLOUDFLARE_ACCOUNT_ID", "acc")
    monkeypatch.setenv("CLOUDFLARE_API_TOKEN", "token")
    monkeypatch.setenv("CLOUDFLARE_BASE_URL", server.base_url)
    server.enqueue(Reply.envelope(RESULT), Reply.envelope(RESULT))
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, "README.md", "exec"), {})
    assert printed.getvalue() == "POSITIVE 0.9998738765716553\n"
    assert server.count == 2
    assert all(r.path.endswith("/ai/run/@cf/huggingface/distilbert-sst-2-int8") for r in server.requests)
