"""Steps 3-4 end to end: determinism, atomic replacement, the CLI contract."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from codegen_helpers import REPO, SCHEMAS, SIMPLE_INPUT, SIMPLE_OUTPUT, model_doc, write_model

from generator.diagnostics import DiagnosticError
from generator.pipeline import generate


def tree_hashes(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def run_cli(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


@pytest.fixture(scope="module")
def small_schemas(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("schemas")
    for name in ("distilbert-sst-2-int8.json", "llama-3.2-1b-instruct.json", "aura-1.json", "whisper.json"):
        (folder / name).write_bytes((SCHEMAS / name).read_bytes())
    return folder


def test_same_input_gives_byte_identical_output_cold_and_cached(small_schemas: Path, tmp_path: Path) -> None:
    generate(small_schemas, tmp_path / "a", cache_dir=None)
    generate(small_schemas, tmp_path / "b", cache_dir=tmp_path / "cache")
    generate(small_schemas, tmp_path / "c", cache_dir=tmp_path / "cache", force=True)  # from the cache
    a = tree_hashes(tmp_path / "a")
    assert a == tree_hashes(tmp_path / "b") == tree_hashes(tmp_path / "c")
    assert "workers_ai/py.typed" in a and "MANIFEST.json" in a


def test_committed_package_is_what_the_generator_makes(tmp_path: Path) -> None:
    generate(SCHEMAS, tmp_path / "out", cache_dir=REPO / ".generator-cache", previous=REPO / "generated")
    assert tree_hashes(tmp_path / "out") == tree_hashes(REPO / "generated")


def test_a_failing_run_leaves_the_previous_output_untouched(small_schemas: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    generate(small_schemas, out)
    before = tree_hashes(out)
    broken = tmp_path / "broken"
    broken.mkdir()
    for path in small_schemas.iterdir():
        (broken / path.name).write_bytes(path.read_bytes())
    (broken / "aura-1.json").write_text(
        '{"name": "@cf/deepgram/aura-1", "task": {"name": "Text-to-Speech"}, "schema": {"input": 7'
    )
    with pytest.raises(DiagnosticError) as info:
        generate(broken, out, force=True)
    assert "aura-1.json" in str(info.value)
    assert tree_hashes(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken", "out"], "no staging folder left behind"


def test_refuses_to_replace_a_folder_it_did_not_make(small_schemas: Path, tmp_path: Path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("precious")
    with pytest.raises(DiagnosticError, match="refusing to replace"):
        generate(small_schemas, out)
    assert (out / "notes.txt").read_text() == "precious"


def test_cli_generates_an_importable_package_from_any_folder(small_schemas: Path, tmp_path: Path) -> None:
    done = run_cli("--schemas", str(small_schemas), "--out", str(tmp_path / "pkg"), "--no-cache")
    assert done.returncode == 0, done.stderr
    probe = (
        "import workers_ai, json;"
        "from workers_ai import WorkersAI;"
        "from workers_ai.types import AiTextClassificationOutput, AiTextToSpeechOutput;"
        "from workers_ai._registry import MODELS;"
        "print(json.dumps([sorted(MODELS), AiTextClassificationOutput.__name__, AiTextToSpeechOutput.__name__]))"
    )
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "pkg")}
    shown = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60
    )
    assert shown.returncode == 0, shown.stderr
    models, classification, speech = json.loads(shown.stdout)
    assert models == [
        "@cf/deepgram/aura-1",
        "@cf/huggingface/distilbert-sst-2-int8",
        "@cf/meta/llama-3.2-1b-instruct",
        "@cf/openai/whisper",
    ]
    assert (classification, speech) == ("HuggingfaceDistilbertSst2Int8Output", "AudioOutput")


def test_cli_bad_schema_exits_non_zero_naming_file_and_pointer(tmp_path: Path) -> None:
    bad = {"type": "object", "properties": {"n": {"type": "integer", "minimum": "zero"}}}
    write_model(
        tmp_path / "schemas", "bad.json", model_doc("@cf/x/bad", "Text Classification", bad, SIMPLE_OUTPUT)
    )
    done = run_cli("--schemas", str(tmp_path / "schemas"), "--out", str(tmp_path / "out"))
    assert done.returncode == 1
    assert "bad.json#/schema/input/properties/n/minimum: error: not valid JSON Schema" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()


def test_cli_missing_schema_folder_is_a_clear_error(tmp_path: Path) -> None:
    done = run_cli("--schemas", str(tmp_path / "nope"), "--out", str(tmp_path / "out"))
    assert (
        done.returncode == 1
        and "schema folder does not exist" in done.stderr
        and "Traceback" not in done.stderr
    )


def test_model_names_colliding_after_normalisation_are_rejected(tmp_path: Path) -> None:
    folder = tmp_path / "schemas"
    write_model(
        folder, "a.json", model_doc("@cf/x/foo-bar", "Text Classification", SIMPLE_INPUT, SIMPLE_OUTPUT)
    )
    write_model(
        folder, "b.json", model_doc("@cf/x/foo_bar", "Text Classification", SIMPLE_INPUT, SIMPLE_OUTPUT)
    )
    with pytest.raises(DiagnosticError, match="both become 'XFooBar'"):
        generate(folder, tmp_path / "out")


def test_manifest_records_schema_hashes(small_schemas: Path, tmp_path: Path) -> None:
    generate(small_schemas, tmp_path / "out")
    manifest = json.loads((tmp_path / "out" / "MANIFEST.json").read_text())
    expected = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in small_schemas.iterdir()}
    assert manifest["inputs"] == expected
