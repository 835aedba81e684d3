"""Docs pages: the known defects are found precisely and declared as expected drift."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest

from generator.drift import Finding, Status, check_docs
from generator.drift.pages import parse_page
from generator.load import ModelFile, load_schemas

ROOT = Path(__file__).resolve().parents[2]
PAGES = ROOT / "tests/fixtures/docs-pages"


@pytest.fixture(scope="module")
def catalog() -> dict[str, ModelFile]:
    return {m.id: m for m in load_schemas(ROOT / "schemas").models}


@pytest.fixture(scope="module")
def findings(catalog: dict[str, ModelFile]) -> list[Finding]:
    found, count = check_docs(PAGES, catalog)
    assert count == len([p for p in PAGES.glob("*.md") if p.name != "PROVENANCE.md"])
    return found


def expected(findings: list[Finding], page: str) -> list[tuple[str | None, str | None, str]]:
    return [
        (f.model, f.pointer, f.message)
        for f in findings
        if f.status is Status.EXPECTED and Path(f.file).name == page
    ]


def test_pages_are_the_copies_their_provenance_records() -> None:
    """Each copied file's sha256 is the one PROVENANCE.md recorded when it was copied, and every file is listed."""
    provenance = (PAGES / "PROVENANCE.md").read_text(encoding="utf-8")
    recorded = dict(re.findall(r"^\| `([^`]+)` \| .+ \| `([0-9a-f]{64})` \|$", provenance, re.MULTILINE))
    copies = sorted(p.name for p in PAGES.iterdir() if p.name not in ("PROVENANCE.md", "expected-drift.json"))
    assert sorted(recorded) == copies
    for name, digest in recorded.items():
        assert hashlib.sha256((PAGES / name).read_bytes()).hexdigest() == digest, name


def test_no_unexpected_drift(findings: list[Finding]) -> None:
    assert [str(f) for f in findings if f.status is Status.FAIL] == []


def test_translation_invalid_json_with_line_and_column(findings: list[Finding]) -> None:
    found = expected(findings, "translation.md")
    assert (
        None,
        "",
        "example-json: example response (line 116) is not valid JSON: invalid JSON at line 123, column 1: Expecting ',' delimiter",
    ) in found


def test_text_embeddings_invalid_json(findings: list[Finding]) -> None:
    messages = [m for _, p, m in expected(findings, "text-embeddings.md") if m.startswith("example-json")]
    assert messages == [
        "example-json: example response (line 129) is not valid JSON: invalid JSON at line 136, column 72: Expecting value"
    ]


def test_image_classification_wrapper(findings: list[Finding]) -> None:
    found = expected(findings, "image-classification.md")
    wrapped = [(model, pointer) for model, pointer, m in found if "'response' alone is a valid result" in m]
    assert wrapped == [(None, ""), ("@cf/microsoft/resnet-50", "")]
    assert any("['inputs', 'response']" in m for _, _, m in found)


def test_image_to_text_summary_vs_description(findings: list[Finding]) -> None:
    found = expected(findings, "image-to-text.md")
    assert found == [
        (
            None,
            "/summary",
            "example-vs-page: property 'summary' is not in the schema (declared: ['description'])",
        )
    ]


def test_seed_invalid_json_and_items_wrapper(findings: list[Finding]) -> None:
    found = expected(findings, "text-classification.md")
    pointers = {(model, pointer, m.split(":")[0]) for model, pointer, m in found}
    assert pointers == {
        (None, "", "example-json"),
        (None, "/result", "example-vs-page"),
        ("@cf/huggingface/distilbert-sst-2-int8", "/result", "example-vs-catalog"),
        (
            "@cf/huggingface/distilbert-sst-2-int8",
            "/schema/input/properties/text/minLength",
            "schemas-vs-catalog",
        ),
    }
    assert any("line 115, column 3" in m for _, _, m in found)
    assert any("'items' alone is a valid result" in m for _, _, m in found)


def test_page_parsing() -> None:
    page = parse_page(PAGES / "object-detection.md", (PAGES / "object-detection.md").read_text())
    assert page.model_ids == ("@cf/facebook/detr-resnet-50", "@cf/meta/detr-resnet-50")
    assert page.example is not None and page.example.text.startswith("[")
    assert page.input_schema is not None and '"oneOf"' in page.input_schema.text
    no_example = parse_page(PAGES / "text-to-image.md", (PAGES / "text-to-image.md").read_text())
    assert no_example.example is None  # binary response; the next json block is the Input schema


def copy_pages(tmp_path: Path) -> Path:
    folder = tmp_path / "docs-pages"
    shutil.copytree(PAGES, folder)
    return folder


def test_undeclared_drift_fails(tmp_path: Path, catalog: dict[str, ModelFile]) -> None:
    folder = copy_pages(tmp_path)
    path = folder / "expected-drift.json"
    document = json.loads(path.read_text())
    document["expected"] = [e for e in document["expected"] if e["file"] != "image-to-text.md"]
    path.write_text(json.dumps(document))
    found, _ = check_docs(folder, catalog)
    failed = [(Path(f.file).name, f.pointer) for f in found if f.status is Status.FAIL]
    assert failed == [("image-to-text.md", "/summary")]


def test_fixed_page_makes_expected_drift_fail(tmp_path: Path, catalog: dict[str, ModelFile]) -> None:
    folder = copy_pages(tmp_path)
    page = folder / "image-to-text.md"
    page.write_text(page.read_text().replace('"summary": "a grumpy cat"', '"description": "a grumpy cat"'))
    found, _ = check_docs(folder, catalog)
    failed = [f for f in found if f.status is Status.FAIL]
    assert len(failed) == 1
    assert Path(failed[0].file).name == "image-to-text.md" and failed[0].pointer == "/summary"
    assert "expected drift no longer reproduces" in failed[0].message


def test_catalog_change_shows_on_pages(tmp_path: Path, catalog: dict[str, ModelFile]) -> None:
    """A schema edit that breaks the page's example is new drift, named with file, model and pointer."""
    folder = tmp_path / "schemas"
    folder.mkdir()
    model = json.loads((ROOT / "schemas/bart-large-cnn.json").read_text())
    model["schema"]["output"]["properties"]["summary"]["type"] = "integer"
    (folder / "bart-large-cnn.json").write_text(json.dumps(model))
    changed = {**catalog, **{m.id: m for m in load_schemas(folder).models}}
    found, _ = check_docs(PAGES, changed)
    failed = {(Path(f.file).name, f.model, f.pointer) for f in found if f.status is Status.FAIL}
    assert ("summarization.md", "@cf/facebook/bart-large-cnn", "/summary") in failed
    assert (
        "summarization.md",
        "@cf/facebook/bart-large-cnn",
        "/schema/output/properties/summary/type",
    ) in failed
