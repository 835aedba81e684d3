"""`python -m generator sync` against a local catalog server: pagination, planted drift, atomicity."""

from __future__ import annotations

import copy
import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from catalog_server import ACCOUNT, TOKEN, CatalogServer

from generator.cli import main

ROOT = Path(__file__).resolve().parents[2]
LOCAL = (
    "bart-large-cnn.json",
    "distilbert-sst-2-int8.json",
    "m2m100-1.2b.json",
    "resnet-50.json",
    "apertus-v1.5-8b.json",
)


def folder_hashes(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture
def schemas(tmp_path: Path) -> Path:
    folder = tmp_path / "schemas"
    folder.mkdir()
    for name in (*LOCAL, "_provenance.json"):
        shutil.copy(ROOT / "schemas" / name, folder / name)
    return folder


def load(name: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((ROOT / "schemas" / name).read_text(encoding="utf-8"))
    return document


@pytest.fixture
def planted(catalog_server: CatalogServer, monkeypatch: pytest.MonkeyPatch) -> CatalogServer:
    """Remote = local, except: resnet-50 removed, m2m100 gains a required input, a new model added."""
    monkeypatch.setenv("CLOUDFLARE_ACCOUNT_ID", ACCOUNT)
    monkeypatch.setenv("CLOUDFLARE_API_TOKEN", TOKEN)
    monkeypatch.setenv("CLOUDFLARE_BASE_URL", catalog_server.base_url)
    m2m = load("m2m100-1.2b.json")
    m2m["schema"]["input"]["properties"]["formality"] = {"type": "string", "enum": ["formal", "informal"]}
    m2m["schema"]["input"]["required"].append("formality")
    new = copy.deepcopy(load("whisper.json"))
    new["name"] = "@cf/test/brand-new-model"
    catalog_server.catalog.models = [
        load("bart-large-cnn.json"),
        load("distilbert-sst-2-int8.json"),
        m2m,
        new,
        load("apertus-v1.5-8b.json"),
    ]
    return catalog_server


def sync(schemas: Path, *extra: str) -> int:
    return main(["sync", "--schemas", str(schemas), "--per-page", "2", *extra])


def test_check_reports_exactly_the_planted_differences(
    schemas: Path, planted: CatalogServer, capsys: pytest.CaptureFixture[str]
) -> None:
    before = folder_hashes(schemas)
    assert sync(schemas, "--check") == 1
    out = capsys.readouterr().out.splitlines()
    assert out == [
        f"added    @cf/test/brand-new-model (new file {schemas}/brand-new-model.json)",
        f"removed  @cf/microsoft/resnet-50 ({schemas}/resnet-50.json): breaking for its users",
        f"changed  @cf/meta/m2m100-1.2b ({schemas}/m2m100-1.2b.json): 1 breaking, 0 compatible",
        "    BREAKING @cf/meta/m2m100-1.2b /schema/input/properties/formality: new required input field",
        "sync: 1 added, 1 removed, 1 changed (2 breaking changes), 0 metadata-only",
    ]
    assert folder_hashes(schemas) == before
    # Pagination: 5 models at 2 per page -> pages 1, 2, 3 (the short page ends the walk).
    assert [r for r in planted.catalog.requests if r.startswith("search:")] == [
        "search:1",
        "search:2",
        "search:3",
    ]


def test_sync_applies_the_catalog(
    schemas: Path, planted: CatalogServer, capsys: pytest.CaptureFixture[str]
) -> None:
    before = folder_hashes(schemas)
    assert sync(schemas) == 0
    after = folder_hashes(schemas)
    assert sorted(after) == sorted(
        [
            "_provenance.json",
            "apertus-v1.5-8b.json",
            "bart-large-cnn.json",
            "brand-new-model.json",
            "distilbert-sst-2-int8.json",
            "m2m100-1.2b.json",
        ]
    )
    for unchanged in (
        "_provenance.json",
        "apertus-v1.5-8b.json",
        "bart-large-cnn.json",
        "distilbert-sst-2-int8.json",
    ):
        assert after[unchanged] == before[unchanged], unchanged
    assert (
        "formality" in json.loads((schemas / "m2m100-1.2b.json").read_text())["schema"]["input"]["required"]
    )
    new = json.loads((schemas / "brand-new-model.json").read_text())
    assert new["name"] == "@cf/test/brand-new-model" and "output" in new["schema"]
    assert not list(schemas.parent.glob(".schemas.*"))  # no staging or backup folders left behind
    capsys.readouterr()
    assert sync(schemas, "--check") == 0  # and now it is in sync


def test_unchanged_catalog_is_a_byte_identical_no_op(
    schemas: Path,
    catalog_server: CatalogServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("CLOUDFLARE_ACCOUNT_ID", ACCOUNT)
    monkeypatch.setenv("CLOUDFLARE_API_TOKEN", TOKEN)
    catalog_server.catalog.models = [load(name) for name in LOCAL]
    before = folder_hashes(schemas)
    assert sync(schemas, "--base-url", catalog_server.base_url) == 0
    assert "nothing written" in capsys.readouterr().out
    assert folder_hashes(schemas) == before


def test_5xx_in_the_middle_of_the_page_walk_leaves_schemas_untouched(
    schemas: Path, planted: CatalogServer, capsys: pytest.CaptureFixture[str]
) -> None:
    planted.catalog.fail["search:2"] = 99  # persistent
    before = folder_hashes(schemas)
    assert sync(schemas) == 2
    err = capsys.readouterr().err
    assert "HTTP 500" in err and "page=2" in err and "internal error" in err
    assert TOKEN not in err
    assert folder_hashes(schemas) == before
    assert planted.catalog.requests.count("search:2") == 3  # first try + 2 retries, then abort
    assert not list(schemas.parent.glob(".schemas.*"))


def test_transient_5xx_is_retried(
    schemas: Path, planted: CatalogServer, capsys: pytest.CaptureFixture[str]
) -> None:
    planted.catalog.fail["schema:@cf/meta/m2m100-1.2b"] = 1
    assert sync(schemas, "--check") == 1
    assert "changed  @cf/meta/m2m100-1.2b" in capsys.readouterr().out


def test_bad_token_is_a_typed_error_without_the_token(
    schemas: Path, planted: CatalogServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CLOUDFLARE_API_TOKEN", "wrong-token-value")
    assert sync(schemas, "--check") == 2
    err = capsys.readouterr().err
    assert "HTTP 401" in err and "Authentication error" in err and "CatalogStatusError" in err
    assert "wrong-token-value" not in err


def test_missing_settings(
    schemas: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("CLOUDFLARE_ACCOUNT_ID", raising=False)
    monkeypatch.delenv("CLOUDFLARE_API_TOKEN", raising=False)
    assert sync(schemas, "--check") == 2
    assert "set CLOUDFLARE_ACCOUNT_ID and CLOUDFLARE_API_TOKEN" in capsys.readouterr().err


def test_unreachable_server(
    schemas: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CLOUDFLARE_ACCOUNT_ID", ACCOUNT)
    monkeypatch.setenv("CLOUDFLARE_API_TOKEN", TOKEN)
    before = folder_hashes(schemas)
    assert sync(schemas, "--base-url", "http://127.0.0.1:9/client/v4") == 2
    assert "CatalogConnectionError" in capsys.readouterr().err
    assert folder_hashes(schemas) == before


def test_check_command_live_step(
    schemas: Path, planted: CatalogServer, capsys: pytest.CaptureFixture[str]
) -> None:
    from generator.drift import Status, check_live

    findings = check_live(schemas)
    failed = sorted((Path(f.file).name, f.model, f.pointer) for f in findings if f.status is Status.FAIL)
    assert failed == [
        ("brand-new-model.json", "@cf/test/brand-new-model", None),
        ("m2m100-1.2b.json", "@cf/meta/m2m100-1.2b", "/schema/input/properties/formality"),
        ("resnet-50.json", "@cf/microsoft/resnet-50", None),
    ]


def test_result_info_ends_the_page_walk(
    schemas: Path, planted: CatalogServer, capsys: pytest.CaptureFixture[str]
) -> None:
    """4 models at 2 per page: total_count says the walk is done after page 2, no empty page 3 is asked."""
    planted.catalog.models = planted.catalog.models[:4]
    sync(schemas, "--check")
    assert [r for r in planted.catalog.requests if r.startswith("search:")] == ["search:1", "search:2"]


def test_a_model_whose_schema_fails_is_reported_and_kept(
    schemas: Path, planted: CatalogServer, capsys: pytest.CaptureFixture[str]
) -> None:
    """One broken `/ai/models/schema` reply does not abort the sync: the model is named, its file kept."""
    planted.catalog.fail["schema:@cf/facebook/bart-large-cnn"] = 99  # persistent 500
    before = folder_hashes(schemas)
    assert sync(schemas, "--check") == 1
    out = capsys.readouterr().out
    assert (
        f"failed   @cf/facebook/bart-large-cnn (kept {schemas}/bart-large-cnn.json): its schema could not be "
        "read: HTTP 500 Internal Server Error: internal error" in out
    )
    assert "removed  @cf/facebook/bart-large-cnn" not in out
    assert out.splitlines()[-1].endswith(", 1 unreadable")
    assert folder_hashes(schemas) == before
    # Without --check the rest is applied, the unreadable model's file is left as it was, and the exit
    # code says the sync is incomplete.
    assert sync(schemas) == 1
    assert "1 model(s) could not be read" in capsys.readouterr().err
    after = folder_hashes(schemas)
    assert after["bart-large-cnn.json"] == before["bart-large-cnn.json"]
    assert "brand-new-model.json" in after and "resnet-50.json" not in after


def test_check_command_names_the_unreadable_model(
    schemas: Path, planted: CatalogServer, capsys: pytest.CaptureFixture[str]
) -> None:
    from generator.drift import Status, check_live

    planted.catalog.models[0]["name"] = "@cf/test/schema-gone"  # listed, but /schema keeps failing
    planted.catalog.fail["schema:@cf/test/schema-gone"] = 99
    findings = check_live(schemas)
    unreadable = [f for f in findings if f.model == "@cf/test/schema-gone"]
    assert [f.status for f in unreadable] == [Status.FAIL]
    assert "could not be read" in unreadable[0].message and "HTTP 500" in unreadable[0].message
