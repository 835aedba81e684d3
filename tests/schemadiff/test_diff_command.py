"""`python -m generator diff`: the docs-page schema vs the catalog, folders, bare pairs, JSON output, exit codes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from generator.cli import main

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "tests/fixtures/seed/distilbert-sst-2-int8.seed.json"
CATALOG_DISTILBERT = ROOT / "schemas/distilbert-sst-2-int8.json"


def test_seed_vs_catalog_is_breaking(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["diff", str(SEED), str(CATALOG_DISTILBERT)])
    out = capsys.readouterr().out
    assert code == 1
    assert (
        "BREAKING @cf/huggingface/distilbert-sst-2-int8 /schema/input/properties/text/minLength: minLength 1 added"
        in out
    )
    assert out.count("BREAKING") == 1  # description changes are info, hidden by default


def test_catalog_vs_seed_is_compatible(capsys: pytest.CaptureFixture[str]) -> None:
    """The other way round the input got wider: nothing breaks."""
    assert main(["diff", str(CATALOG_DISTILBERT), str(SEED)]) == 0
    assert (
        "ok @cf/huggingface/distilbert-sst-2-int8 /schema/input/properties/text/minLength"
        in capsys.readouterr().out
    )


def test_json_output_is_stable(capsys: pytest.CaptureFixture[str]) -> None:
    main(["diff", str(SEED), str(CATALOG_DISTILBERT), "--json"])
    first = capsys.readouterr().out
    main(["diff", str(SEED), str(CATALOG_DISTILBERT), "--json"])
    assert capsys.readouterr().out == first
    document = json.loads(first)
    assert document["breaking"] is True
    assert document["counts"] == {"breaking": 1, "ok": 0, "info": 4}
    assert document["changes"][0] == {
        "model": "@cf/huggingface/distilbert-sst-2-int8",
        "pointer": "/schema/input/properties/text/minLength",
        "level": "breaking",
        "kind": "input.bound_narrowed",
        "message": "minLength 1 added (input narrowed)",
    }


def test_bare_pair_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    catalog = json.loads(CATALOG_DISTILBERT.read_text())
    pair = tmp_path / "pair.json"
    pair.write_text(json.dumps(catalog["schema"]))
    assert main(["diff", str(pair), str(CATALOG_DISTILBERT)]) == 0
    assert "0 breaking" in capsys.readouterr().out


def test_folders_report_added_and_removed_models(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir()
    new.mkdir()
    for name in ("distilbert-sst-2-int8.json", "m2m100-1.2b.json"):
        shutil.copy(ROOT / "schemas" / name, old / name)
    shutil.copy(ROOT / "schemas/distilbert-sst-2-int8.json", new / "distilbert-sst-2-int8.json")
    shutil.copy(ROOT / "schemas/resnet-50.json", new / "resnet-50.json")
    (old / "_provenance.json").write_text("not a model file, and not JSON either")
    assert main(["diff", str(old), str(new)]) == 1
    out = capsys.readouterr().out
    assert "BREAKING @cf/meta/m2m100-1.2b : model removed" in out
    assert "ok @cf/microsoft/resnet-50 : new model" in out


@pytest.mark.parametrize(
    ("content", "pointer"),
    [
        (
            '{"name": "x", "task": {"name": "t"}, "schema": {"input": {"type": 3}, "output": {}}}',
            "#/schema/input/type",
        ),
        ("{not json", "invalid JSON at line 1, column 2"),
        ('{"input": {"type": "object"}, "output": {"minLength": -1}}', "#/output/minLength"),
    ],
    ids=["bad-schema", "bad-json", "bad-pair"],
)
def test_unreadable_input_exits_2_naming_file_and_pointer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, pointer: str
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    assert main(["diff", str(bad), str(CATALOG_DISTILBERT)]) == 2
    err = capsys.readouterr().err
    assert str(bad) in err
    assert pointer in err
    assert "Traceback" not in err


def test_missing_path_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", str(tmp_path / "nope"), str(CATALOG_DISTILBERT)]) == 2
    assert "no such file or folder" in capsys.readouterr().err
