"""Fixtures vs schemas: replies against output schemas, inputs against input schemas, expected drift."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

from generator.drift import Finding, Status, check_fixtures
from generator.load import ModelFile, load_schemas

ROOT = Path(__file__).resolve().parents[2]
SEED_PAGE = ROOT / "tests/fixtures/docs-pages/text-classification.md"
DISTILBERT = "@cf/huggingface/distilbert-sst-2-int8"


@pytest.fixture(scope="module")
def catalog() -> dict[str, ModelFile]:
    return {m.id: m for m in load_schemas(ROOT / "schemas").models}


def reply(
    model: str = DISTILBERT, status: int = 200, content_type: str = "application/json", **body: Any
) -> dict[str, Any]:
    fixture: dict[str, Any] = {
        "model": model,
        "description": "test reply",
        "source": "written for this test",
        "status": status,
        "headers": {"content-type": content_type},
        "expect": {},
    }
    fixture.update(body)
    return fixture


def write(root: Path, kind: str, stem: str, case: str, fixture: dict[str, Any]) -> Path:
    path = root / kind / stem / f"{case}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(fixture, indent=2))
    return path


def run(root: Path, catalog: dict[str, ModelFile]) -> list[Finding]:
    findings, _ = check_fixtures(root, catalog)
    return findings


def failures(findings: list[Finding]) -> list[tuple[str, str | None, str]]:
    return [(Path(f.file).name, f.pointer, f.message) for f in findings if f.status is Status.FAIL]


def envelope(result: Any) -> dict[str, Any]:
    return {"result": result, "success": True, "errors": [], "messages": []}


def test_real_fixtures_have_no_unexpected_drift(catalog: dict[str, ModelFile]) -> None:
    findings, count = check_fixtures(ROOT / "tests/fixtures", catalog)
    assert count >= 3
    assert failures(findings) == []


def test_valid_reply_passes(tmp_path: Path, catalog: dict[str, ModelFile]) -> None:
    write(
        tmp_path,
        "replies",
        "distilbert-sst-2-int8",
        "ok",
        reply(body=envelope([{"label": "POSITIVE", "score": 0.9}])),
    )
    assert failures(run(tmp_path, catalog)) == []


def test_every_error_is_reported_with_its_pointer(tmp_path: Path, catalog: dict[str, ModelFile]) -> None:
    result = [{"label": "POSITIVE", "score": "high"}, {"label": 3, "score": 0.1}]
    write(tmp_path, "replies", "distilbert-sst-2-int8", "bad", reply(body=envelope(result)))
    found = failures(run(tmp_path, catalog))
    assert [(name, pointer) for name, pointer, _ in found] == [
        ("bad.json", "/result/0/score"),
        ("bad.json", "/result/1/label"),
    ]
    assert "string is not of type 'number'" in found[0][2]


def test_one_edited_byte_in_a_fixture_fails_naming_it(tmp_path: Path, catalog: dict[str, ModelFile]) -> None:
    path = write(
        tmp_path,
        "replies",
        "distilbert-sst-2-int8",
        "ok",
        reply(body=envelope([{"label": "POSITIVE", "score": 1}])),
    )
    path.write_bytes(path.read_bytes().replace(b'"score": 1', b'"score": "', 1))
    found = failures(run(tmp_path, catalog))
    assert len(found) == 1 and found[0][0] == "ok.json" and "not valid JSON" in found[0][2]


def test_seed_example_as_expected_drift(tmp_path: Path, catalog: dict[str, ModelFile]) -> None:
    """The text-classification docs page's example response: invalid JSON, and its `items` wrapper where the schema has an array."""
    text = SEED_PAGE.read_text()
    start = text.index("```json", text.index("Example Workers AI response")) + len("```json\n")
    body = text[start : text.index("```", start)]
    drift = {
        "reason": "seed docs page example: trailing comma and missing comma; result wrapped in {items}",
        "problems": [
            {"kind": "invalid_json", "pointer": "", "contains": "line 13, column 3"},
            {"kind": "schema", "pointer": "/result", "contains": "'items' alone is a valid result"},
        ],
    }
    write(tmp_path, "replies", "distilbert-sst-2-int8", "seed", reply(body_text=body, expected_drift=drift))
    findings = run(tmp_path, catalog)
    assert failures(findings) == []
    assert sorted(f.pointer or "" for f in findings if f.status is Status.EXPECTED) == ["", "/result"]


def test_expected_drift_that_no_longer_reproduces_fails(
    tmp_path: Path, catalog: dict[str, ModelFile]
) -> None:
    drift = {
        "reason": "score used to be a string",
        "problems": [{"kind": "schema", "pointer": "/result/0/score"}],
    }
    fixed = reply(body=envelope([{"label": "POSITIVE", "score": 0.5}]), expected_drift=drift)
    write(tmp_path, "replies", "distilbert-sst-2-int8", "fixed", fixed)
    found = failures(run(tmp_path, catalog))
    assert len(found) == 1
    assert found[0][1] == "/result/0/score" and "expected drift no longer reproduces" in found[0][2]


def test_expected_drift_failing_differently_fails(tmp_path: Path, catalog: dict[str, ModelFile]) -> None:
    drift = {
        "reason": "score used to be a string",
        "problems": [{"kind": "schema", "pointer": "/result/0/score"}],
    }
    other = reply(body=envelope([{"label": 1, "score": "x"}]), expected_drift=drift)
    write(tmp_path, "replies", "distilbert-sst-2-int8", "other", other)
    findings = run(tmp_path, catalog)
    assert [(p, m) for _, p, m in failures(findings)] == [
        ("/result/0/label", "integer is not of type 'string'")
    ]
    assert [f.pointer for f in findings if f.status is Status.EXPECTED] == ["/result/0/score"]


def test_unknown_model_fails(tmp_path: Path, catalog: dict[str, ModelFile]) -> None:
    write(tmp_path, "replies", "nope", "x", reply(model="@cf/nobody/nope", body=envelope([])))
    found = failures(run(tmp_path, catalog))
    assert found == [("x.json", "/model", "model '@cf/nobody/nope' is not in the schema folder")]


def test_binary_reply_content_type(tmp_path: Path, catalog: dict[str, ModelFile]) -> None:
    png = base64.b64encode(b"\x89PNG\r\n\x1a\n").decode()
    stem = "stable-diffusion-xl-base-1.0"
    model = "@cf/stabilityai/stable-diffusion-xl-base-1.0"
    write(tmp_path, "replies", stem, "png", reply(model=model, content_type="image/png", body_base64=png))
    write(tmp_path, "replies", stem, "jpeg", reply(model=model, content_type="image/jpeg", body_base64=png))
    found = failures(run(tmp_path, catalog))
    assert len(found) == 1 and found[0][0] == "jpeg.json" and "'image/jpeg' is not declared" in found[0][2]


def test_json_variant_of_a_streaming_model(tmp_path: Path, catalog: dict[str, ModelFile]) -> None:
    """oneOf JSON | text/event-stream: a JSON reply is checked against the JSON variant only."""
    stem, model = "llama-3.2-1b-instruct", "@cf/meta/llama-3.2-1b-instruct"
    write(tmp_path, "replies", stem, "ok", reply(model=model, body=envelope({"response": "hi"})))
    write(tmp_path, "replies", stem, "bad", reply(model=model, body=envelope({"response": 3})))
    write(
        tmp_path,
        "replies",
        stem,
        "sse",
        reply(model=model, content_type="text/event-stream", body_text="data: [DONE]\n\n"),
    )
    found = failures(run(tmp_path, catalog))
    assert [(n, p) for n, p, _ in found] == [("bad.json", "/result/response")]


def test_error_replies(tmp_path: Path, catalog: dict[str, ModelFile]) -> None:
    stem = "distilbert-sst-2-int8"
    error = {"result": None, "success": False, "errors": [{"code": 7, "message": "bad"}], "messages": []}
    write(
        tmp_path,
        "replies",
        stem,
        "html-500",
        reply(status=500, content_type="text/html", body_text="<html>oops</html>"),
    )
    write(tmp_path, "replies", stem, "json-400", reply(status=400, body=error))
    write(tmp_path, "replies", stem, "not-envelope", reply(status=400, body={"oops": 1}))
    found = failures(run(tmp_path, catalog))
    assert [(n, p) for n, p, _ in found] == [("not-envelope.json", "")]


def test_fixture_format_is_checked(tmp_path: Path, catalog: dict[str, ModelFile]) -> None:
    both = reply(body=envelope([]), body_text="[]")
    write(tmp_path, "replies", "distilbert-sst-2-int8", "both", both)
    found = failures(run(tmp_path, catalog))
    assert len(found) == 1 and found[0][0] == "both.json" and "not a reply fixture" in found[0][2]


def test_input_fixtures(tmp_path: Path, catalog: dict[str, ModelFile]) -> None:
    stem, model = "m2m100-1.2b", "@cf/meta/m2m100-1.2b"
    ok = {"model": model, "description": "d", "input": {"text": "hi", "target_lang": "fr"}, "valid": True}
    wrongly_valid = {**ok, "valid": False}
    wrongly_invalid = {**ok, "input": {"text": ""}, "valid": True}
    write(tmp_path, "inputs", stem, "ok", ok)
    write(tmp_path, "inputs", stem, "wrongly-valid", wrongly_valid)
    write(tmp_path, "inputs", stem, "wrongly-invalid", wrongly_invalid)
    found = failures(run(tmp_path, catalog))
    assert sorted((n, p) for n, p, _ in found) == [
        ("wrongly-invalid.json", ""),
        ("wrongly-invalid.json", "/text"),
        ("wrongly-valid.json", ""),
    ]


def test_fixture_in_the_wrong_folder(tmp_path: Path, catalog: dict[str, ModelFile]) -> None:
    write(tmp_path, "replies", "resnet-50", "x", reply(body=envelope([])))
    found = failures(run(tmp_path, catalog))
    assert len(found) == 1 and "belongs in a folder named 'distilbert-sst-2-int8'" in found[0][2]
