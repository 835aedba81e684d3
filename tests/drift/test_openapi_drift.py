"""Cloudflare's OpenAPI request schemas vs the catalog's input schemas, through the breaking-change
classifier, with the known differences declared next to the OpenAPI document."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from generator.drift import Status
from generator.drift.openapi import KNOWN_FILE, RUN_PREFIX, SPEC_FILE, check_openapi, request_schemas
from generator.load import ModelFile, load_schemas

ROOT = Path(__file__).resolve().parents[2]
OPENAPI = ROOT / "tests" / "fixtures" / "openapi"
DISTILBERT = "@cf/huggingface/distilbert-sst-2-int8"


@pytest.fixture(scope="module")
def catalog() -> dict[str, ModelFile]:
    return {f.id: f for f in load_schemas(ROOT / "schemas").models}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    for name in (SPEC_FILE, KNOWN_FILE):
        shutil.copy(OPENAPI / name, tmp_path / name)
    return tmp_path


def _edit_spec(folder: Path, model: str, schema: dict[str, Any]) -> None:
    path = folder / SPEC_FILE
    spec = json.loads(path.read_text(encoding="utf-8"))
    spec["paths"][RUN_PREFIX + model]["post"]["requestBody"]["content"]["application/json"]["schema"] = schema
    path.write_text(json.dumps(spec), encoding="utf-8")


def test_committed_openapi_has_only_declared_drift(catalog: dict[str, ModelFile]) -> None:
    findings, compared = check_openapi(OPENAPI, catalog)
    assert compared == 17
    assert [f for f in findings if f.status is Status.FAIL] == []
    assert sum(f.status is Status.EXPECTED for f in findings) == 14


def test_raw_body_paths_are_read_as_the_file(catalog: dict[str, ModelFile]) -> None:
    bodies = request_schemas(json.loads((OPENAPI / SPEC_FILE).read_text(encoding="utf-8")))
    assert bodies["@cf/openai/whisper"] == {
        "application/octet-stream": {"format": "binary", "type": "string"}
    }


def test_a_new_disagreement_fails(folder: Path, catalog: dict[str, ModelFile]) -> None:
    # The OpenAPI accepts an integer `text`, the catalog only a string: input the client would refuse.
    _edit_spec(folder, DISTILBERT, {"type": "object", "properties": {"text": {"type": "integer"}}})
    findings, _ = check_openapi(folder, catalog)
    failed = [f for f in findings if f.status is Status.FAIL]
    assert failed and {f.model for f in failed} == {DISTILBERT}
    assert "/schema/input/properties/text/type" in {f.pointer for f in failed}


def test_declared_drift_that_no_longer_reproduces_fails(folder: Path, catalog: dict[str, ModelFile]) -> None:
    known = json.loads((folder / KNOWN_FILE).read_text(encoding="utf-8"))
    known["expected"].append({**known["expected"][0], "model": DISTILBERT})
    (folder / KNOWN_FILE).write_text(json.dumps(known), encoding="utf-8")
    failed = [f for f in check_openapi(folder, catalog)[0] if f.status is Status.FAIL]
    assert len(failed) == 1 and "no longer reproduces" in failed[0].message


def test_undeclared_known_drift_fails(folder: Path, catalog: dict[str, ModelFile]) -> None:
    (folder / KNOWN_FILE).unlink()
    failed = [f for f in check_openapi(folder, catalog)[0] if f.status is Status.FAIL]
    assert len(failed) == 14
