"""The whole pipeline: the committed package is what it makes, runs are deterministic and incremental, the CLI.

Rejected files, collisions and atomic replacement are in tests/hostile; exact output in test_golden.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.diagnostics import DiagnosticError
from generator.pipeline import generate
from tests.support.model_files import CODEGEN_CACHE, GOLDEN_SCHEMAS, REPO, SCHEMAS


def tree_hashes(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args], cwd=REPO, capture_output=True, text=True, timeout=120
    )


def test_the_committed_package_is_what_the_whole_catalog_generates(tmp_path: Path) -> None:
    """The one whole-catalog check in `make test` (`make check` runs it too, with every drift check)."""
    generate(SCHEMAS, tmp_path / "out", cache_dir=CODEGEN_CACHE, previous=REPO / "generated")
    assert tree_hashes(tmp_path / "out") == tree_hashes(REPO / "generated")


def test_same_input_gives_byte_identical_output_cold_and_cached(tmp_path: Path) -> None:
    generate(GOLDEN_SCHEMAS, tmp_path / "cold", cache_dir=None)
    generate(GOLDEN_SCHEMAS, tmp_path / "cached", cache_dir=CODEGEN_CACHE)
    cold = tree_hashes(tmp_path / "cold")
    assert cold == tree_hashes(tmp_path / "cached")
    assert "workers_ai/py.typed" in cold and "MANIFEST.json" in cold


def test_an_unchanged_run_parses_no_schema_and_repeats_the_warnings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, cache = tmp_path / "out", CODEGEN_CACHE  # run stamps are kept per output folder
    warnings = generate(GOLDEN_SCHEMAS, out, cache_dir=cache)
    assert warnings

    def must_not_load(folder: Path) -> object:
        raise AssertionError("an unchanged run read the schemas")

    monkeypatch.setattr("generator.load.load_schemas", must_not_load)
    assert generate(GOLDEN_SCHEMAS, out, cache_dir=cache) == warnings

    # Any edited output file means a real run, which puts it back.
    client = out / "workers_ai" / "client.py"
    original = client.read_bytes()
    client.write_bytes(original + b"# edited\n")
    monkeypatch.undo()
    assert generate(GOLDEN_SCHEMAS, out, cache_dir=cache) == warnings
    assert client.read_bytes() == original


def test_manifest_records_schema_hashes(tmp_path: Path) -> None:
    generate(GOLDEN_SCHEMAS, tmp_path / "out", cache_dir=CODEGEN_CACHE)
    manifest = json.loads((tmp_path / "out" / "MANIFEST.json").read_text())
    expected = {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in GOLDEN_SCHEMAS.glob("*.json")
        if not p.name.startswith("_")
    }
    assert manifest["inputs"] == expected


def test_refuses_to_replace_a_folder_it_did_not_make(tmp_path: Path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("precious")
    with pytest.raises(DiagnosticError, match="refusing to replace"):
        generate(GOLDEN_SCHEMAS, out)
    assert (out / "notes.txt").read_text() == "precious"


def test_cli_generates_an_importable_package_from_any_folder(tmp_path: Path) -> None:
    done = run_cli(
        "--schemas", str(GOLDEN_SCHEMAS), "--out", str(tmp_path / "pkg"), "--cache-dir", str(CODEGEN_CACHE)
    )
    assert done.returncode == 0, done.stderr
    probe = (
        "import workers_ai, json;"
        "from workers_ai import WorkersAI;"
        "from workers_ai.types import AiTextClassificationOutput, AiTextToSpeechOutput;"
        "from workers_ai._registry import MODELS;"
        "print(json.dumps(sorted(MODELS)))"
    )
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "pkg")}
    shown = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60
    )
    assert shown.returncode == 0, shown.stderr
    typed = [json.loads(p.read_text())["name"] for p in GOLDEN_SCHEMAS.glob("[!_]*.json")]
    assert json.loads(shown.stdout) == sorted(name for name in typed if name != "@cf/golden/untyped")


def test_cli_missing_schema_folder_is_a_clear_error(tmp_path: Path) -> None:
    done = run_cli("--schemas", str(tmp_path / "nope"), "--out", str(tmp_path / "out"))
    assert done.returncode == 1
    assert "schema folder does not exist" in done.stderr and "Traceback" not in done.stderr


def test_a_changed_curated_file_is_not_taken_for_no_change(tmp_path: Path) -> None:
    """`_defaults.json` decides output too: editing it must regenerate, even with a stamp from the last run."""
    schemas, out, cache = tmp_path / "schemas", tmp_path / "out", tmp_path / "cache"
    shutil.copytree(GOLDEN_SCHEMAS, schemas)
    generate(schemas, out, cache_dir=cache)
    task = out / "workers_ai" / "tasks" / "text_classification.py"
    assert "(default `@cf/golden/classifier`)" in task.read_text(encoding="utf-8")
    overrides = {"defaults": {"text-classification": "@cf/golden/classifier-mini"}}
    (schemas / "_defaults.json").write_text(json.dumps(overrides), encoding="utf-8")
    generate(schemas, out, cache_dir=cache)
    assert "(default `@cf/golden/classifier-mini`)" in task.read_text(encoding="utf-8")
    assert "_defaults.json" in json.loads((out / "MANIFEST.json").read_text(encoding="utf-8"))["inputs"]
