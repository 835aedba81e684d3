"""Every docs page's example runs as written against a local server answering like the API (the README
example is run by test_readme.py). Type-checking the same examples is in tests/typing/test_checkers.py."""

from __future__ import annotations

import base64
import re
from pathlib import Path
from typing import Any

import pytest

from generator.emit.examples import example_for
from tests.support.docs_examples import PageExample, page_examples
from tests.support.fault_server import FaultServer, Reply
from workers_ai._registry import MODELS, model_schemas

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
EXAMPLES = page_examples()
_CALL = re.compile(r"\bclient\.(\w+)\(")


def _reply(model: str, method: str) -> Reply:
    if method == "stream":
        return Reply.sse([{"response": "Paris"}, {"response": ".", "usage": {"total_tokens": 9}}])
    output_json = model_schemas(model)["output_json"]
    if output_json is None:
        content_type = next(ct for ct in MODELS[model].content_types if ct != "application/json")
        return Reply.binary(PNG, content_type)
    result: Any = example_for(output_json, full=True)
    if isinstance(result, dict) and isinstance(result.get("image"), str):
        result["image"] = base64.b64encode(PNG).decode()  # a base64 image result holds a real image
    return Reply.envelope(result)


def test_every_docs_page_has_an_example() -> None:
    assert len(EXAMPLES) == len(MODELS)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.model)
def test_docs_example_runs(
    example: PageExample, server: FaultServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _CALL.findall(example.code)
    assert calls and calls[0] == "run"
    for method in calls:
        server.enqueue(_reply(example.model, method))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CLOUDFLARE_ACCOUNT_ID", "acc-123")
    monkeypatch.setenv("CLOUDFLARE_API_TOKEN", "secret-token-xyz")
    monkeypatch.setenv("CLOUDFLARE_BASE_URL", server.base_url)
    for name in ("speech.mp3", "cat.jpg", "street.jpg"):
        (tmp_path / name).write_bytes(b"ID3" + bytes(range(32)))
    exec(compile(example.code, str(example.page), "exec"), {"__name__": "docs_example"})
    assert server.count == len(calls)
    assert all(r.path.endswith("/ai/run/" + example.model) for r in server.requests)
