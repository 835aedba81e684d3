"""The version rule of the generated distribution (generator/emit/version.py)."""

from __future__ import annotations

import copy
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from generator.emit.version import FIRST_VERSION, bump
from generator.pipeline import generate
from tests.support.model_files import SCHEMAS

FILES = ("distilbert-sst-2-int8.json", "aura-1.json")


def _version(out: Path) -> str:
    found = re.search(r'version = "(.+)"', (out / "pyproject.toml").read_text())
    assert found is not None
    return found[1]


def _schemas(folder: Path, edit: Any = None, extra: str | None = None) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for name in FILES:
        doc = json.loads((SCHEMAS / name).read_text())
        if edit is not None and name == FILES[0]:
            doc = edit(copy.deepcopy(doc))
        (folder / name).write_text(json.dumps(doc))
    if extra:
        shutil.copy(SCHEMAS / extra, folder / extra)
    return folder


def test_bump() -> None:
    assert [bump("1.2.3", level) for level in ("major", "minor", "patch", "")] == [
        "2.0.0",
        "1.3.0",
        "1.2.4",
        "1.2.3",
    ]


@pytest.mark.parametrize(
    ("edit", "extra", "expected"),
    [
        (None, None, "1.0.0"),  # nothing changed: same version, same bytes
        (lambda d: {**d, "description": d["description"] + " More."}, None, "1.0.1"),  # description: patch
        (None, "m2m100-1.2b.json", "1.1.0"),  # a new model: minor
        (
            lambda d: (
                d | {"schema": d["schema"] | {"input": {**d["schema"]["input"], "required": ["text", "x"]}}}
            ),
            None,
            "2.0.0",
        ),
    ],
    ids=["unchanged", "description", "added-model", "new-required-input"],
)
def test_version_follows_the_classifier(tmp_path: Path, edit: Any, extra: str | None, expected: str) -> None:
    out = tmp_path / "out"
    generate(_schemas(tmp_path / "before" / "schemas"), out, cache_dir=tmp_path / "cache")
    assert _version(out) == FIRST_VERSION
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    generate(
        _schemas(tmp_path / "after" / "schemas", edit, extra), out, cache_dir=tmp_path / "cache", force=True
    )
    assert _version(out) == expected
    assert f'__version__ = "{expected}"' in (out / "workers_ai" / "_version.py").read_text()
    if expected == FIRST_VERSION:
        assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
