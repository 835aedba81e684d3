"""REST conformance: every catalog model that has a path in Cloudflare's OpenAPI, called by the generated
client (its docs example, and binary input where the model takes a file), against Stoplight Prism's mock
server on 127.0.0.1. Prism reports each way a request breaks the OpenAPI in its `sl-violations` header.

Prism is installed by `make prism` (npm, into the git-ignored `.tools/prism`); marked `prism`, so `make test`
leaves it out and `make check` installs Prism and runs it (a missing Prism is a failure, never a skip).
"""

from __future__ import annotations

import contextlib
import json
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from generator.emit.model_docs import example_input
from generator.ir.build import build_model
from generator.load import ModelFile, load_schemas
from workers_ai import WorkersAI
from workers_ai.errors import WorkersAIError

pytestmark = pytest.mark.prism

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "tests" / "fixtures" / "openapi" / "workers-ai.openapi.json"
PRISM = ROOT / ".tools" / "prism" / "node_modules" / ".bin" / "prism"
RUN_PREFIX = "/accounts/{account_id}/ai/run/"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(64))


def _openapi_models() -> set[str]:
    paths = json.loads(SPEC.read_text(encoding="utf-8"))["paths"]
    return {path.removeprefix(RUN_PREFIX) for path in paths if path.startswith(RUN_PREFIX)}


def _catalog_models_with_a_path() -> list[ModelFile]:
    listed = _openapi_models()
    files = load_schemas(ROOT / "schemas").models
    return sorted((f for f in files if f.has_schema and f.id in listed), key=lambda f: f.id)


def _requests(file: ModelFile) -> Iterator[tuple[str, Any]]:
    model = build_model(file)
    yield "docs example", example_input(model)
    if model.input.raw_body:
        yield "bytes", PNG
    for field in model.input.uint8_array_fields + model.input.base64_fields:
        example = example_input(model)
        yield f"bytes in {field!r}", {**(example if isinstance(example, dict) else {}), field: PNG}


def _request_violations(header: str) -> list[str]:
    """The request's violations in an `sl-violations` header. Prism also judges its own mock response,
    which breaks the OpenAPI wherever the document gives `success` the string default "true"."""
    found = json.loads(header) if header else []
    return [
        f"{'/'.join(map(str, v.get('location', [])))}: {v.get('message')}"
        for v in found
        if v.get("location", [None])[0] == "request"
    ]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def prism() -> Iterator[str]:
    if not PRISM.exists():
        pytest.fail("Prism is not installed: run `make prism` (needs npm)")
    port = _free_port()
    process = subprocess.Popen(
        [str(PRISM), "mock", "-h", "127.0.0.1", "-p", str(port), str(SPEC)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    output = process.stdout.read().decode(errors="replace") if process.stdout else ""
                    pytest.fail(f"prism mock did not start:\n{output[-2000:]}")
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_every_model_with_an_openapi_path_conforms(prism: str) -> None:
    files = _catalog_models_with_a_path()
    assert len(files) >= 17
    violations: list[str] = []
    seen: list[str] = []

    def record(response: httpx.Response) -> None:
        seen.append(response.headers.get("sl-violations", ""))

    sent = 0
    with WorkersAI(
        account_id="023e105f4ecef8ad9ca31a8372d0c353",
        api_token="prism-token",
        base_url=prism,
        max_retries=0,
        http_client=httpx.Client(event_hooks={"response": [record]}),
    ) as client:
        for file in files:
            for label, value in _requests(file):
                seen.clear()
                # Prism's mock result is untyped (`result: {}`); only the request is judged here.
                with contextlib.suppress(WorkersAIError):
                    client.run(file.id, value)
                assert seen, f"{file.id} ({label}): no request reached Prism"
                sent += 1
                violations += [f"{file.id} ({label}): {v}" for v in _request_violations(seen[0])]
    assert sent >= 21
    assert not violations, "\n".join(violations)
