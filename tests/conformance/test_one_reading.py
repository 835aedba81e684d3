"""One reading of outputs: for every catalog model, the fixture drift check and the generated client accept
and reject the same replies (schema-derived valid results, invalid ones, recorded fixtures, binary bodies).

Both take the model's content types and the JSON part of its output from the IR; a disagreement means one
of them reads the output schema on its own again.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.drift.fixtures import reply_problems
from generator.drift.validation import json_result_schema, output_reading, validate_result
from generator.emit.examples import NoExample, example_for
from generator.emit.prepare import output_validation_schema
from generator.ir.build import build_model
from generator.load import ModelFile, load_schemas
from generator.runtime._validation import closed_schema
from tests.support.fault_server import FaultServer, Reply
from workers_ai import WorkersAI
from workers_ai.errors import MalformedResponseError, ResponseValidationError

ROOT = Path(__file__).resolve().parents[2]
_INVALID_RESULTS: list[Any] = ["just a string", 12345, None, [], {"unexpected": True}]
_PNG = b"\x89PNG\r\n\x1a\n" + bytes(32)


def _catalog() -> dict[str, ModelFile]:
    return {f.id: f for f in load_schemas(ROOT / "schemas").models if f.has_schema}


CATALOG = _catalog()


def _replies(file: ModelFile, strict: bool) -> Iterator[tuple[str, str, Any]]:
    """(label, content type, JSON result or binary body) for one model.

    A new binary format of a declared kind (image/webp where image/png is declared) is accepted by the
    lenient client on purpose and flagged by the drift check, so it is part of the strict comparison only.
    """
    output = build_model(file).output
    if output.json_schema is not None:
        schemas = [output.json_schema, *(v.schema for v in output.variants if v.is_json)]
        for index, schema in enumerate(schemas):
            try:
                yield f"example-{index}", "application/json", example_for(output_validation_schema(schema))
            except NoExample:  # e.g. a `false` branch: nothing valid to send
                continue
    for index, result in enumerate(_INVALID_RESULTS):
        yield f"invalid-{index}", "application/json", result
    for binary in output.binary_types:
        yield f"binary {binary}", binary, _PNG
    yield "undeclared binary", "font/x-undeclared", _PNG
    if strict:
        yield "undeclared binary of a declared kind", "image/x-undeclared", _PNG
    for path in sorted((ROOT / "tests" / "fixtures" / "replies" / file.path.stem).glob("*.json")):
        fixture = json.loads(path.read_text(encoding="utf-8"))
        body = fixture.get("body")
        if fixture.get("status") == 200 and isinstance(body, dict) and body.get("success") is True:
            yield f"fixture {path.stem}", "application/json", body.get("result")


def _drift_accepts(file: ModelFile, content_type: str, result: Any, strict: bool = False) -> bool:
    """The fixture check's verdict; `strict` adds the docs check's closed reading of JSON results."""
    fixture: dict[str, Any] = {"status": 200, "headers": {"content-type": content_type}}
    if strict and content_type == "application/json" and file.output_schema is not None:
        schema = json_result_schema(output_reading(file.output_schema, file.input_schema))
        if schema is not None and validate_result(result, closed_schema(schema)):
            return False
    if content_type == "application/json":
        fixture["body"] = {"result": result, "success": True, "errors": [], "messages": []}
    else:
        fixture["body_base64"] = ""
    return not reply_problems(fixture, file)


def _client_accepts(
    client: WorkersAI, server: FaultServer, file: ModelFile, content_type: str, result: Any
) -> bool:
    if content_type == "application/json":
        server.enqueue(Reply.envelope(result))
    else:
        server.enqueue(Reply.binary(result, content_type))
    try:
        client.run(file.id, example_for(file.input_schema or {}))
    except (ResponseValidationError, MalformedResponseError):
        return False
    return True


@pytest.fixture(scope="module")
def server() -> Iterator[FaultServer]:
    with FaultServer() as running:
        yield running


@pytest.mark.parametrize("strict", [False, True], ids=["lenient", "strict"])
def test_drift_check_and_client_agree_on_every_model(server: FaultServer, strict: bool) -> None:
    disagreements: list[str] = []
    verdicts: dict[bool, int] = {True: 0, False: 0}
    with WorkersAI(
        account_id="acc", api_token="t", base_url=server.base_url, max_retries=0, strict=strict
    ) as client:
        for file in CATALOG.values():
            for label, content_type, result in _replies(file, strict):
                drift = _drift_accepts(file, content_type, result, strict)
                ours = _client_accepts(client, server, file, content_type, result)
                verdicts[ours] += 1
                if drift != ours:
                    disagreements.append(f"{file.id} {label}: drift {drift}, client {ours}")
    assert not disagreements, "\n".join(disagreements)
    assert verdicts[True] > 100 and verdicts[False] > 100  # both verdicts are exercised


def test_a_plain_string_is_not_a_lora_chat_result() -> None:
    file = CATALOG["@cf/mistral/mistral-7b-instruct-v0.2-lora"]
    assert not _drift_accepts(file, "application/json", "just a string")
