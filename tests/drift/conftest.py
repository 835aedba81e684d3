"""Small schema folders and a fake generator for the drift tests (never the real repo files)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.diagnostics import DiagnosticError
from generator.load import load_schemas
from tests.support.model_files import copy_catalog_files

ROOT = Path(__file__).resolve().parents[2]
SMALL_CATALOG = ("distilbert-sst-2-int8.json", "m2m100-1.2b.json", "stable-diffusion-xl-base-1.0.json")


def fake_generate(schemas: Path, out: Path, previous: Path | None = None) -> list[object]:
    """Stands in for generator.pipeline.generate: one module and one docs page per model, with its hash."""
    loaded = load_schemas(schemas)
    if not loaded.ok:
        raise DiagnosticError(loaded.diagnostics)
    for model in loaded.models:
        stem = model.path.stem.replace("-", "_").replace(".", "_")
        module = out / "workers_ai" / "models" / f"{stem}.py"
        module.parent.mkdir(parents=True, exist_ok=True)
        module.write_text(
            f"# generated from {model.path.name} (sha256 {model.sha256[:16]})\nMODEL = {model.id!r}\n"
            f"INPUT_HASH = {hashlib.sha256(repr(model.input_schema).encode()).hexdigest()[:16]!r}\n"
        )
        page = out / "docs" / f"{model.path.stem}.md"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(f"# {model.id}\n\n{model.description}\n")
    return list(loaded.diagnostics)


@pytest.fixture
def small_schemas(tmp_path: Path) -> Path:
    return copy_catalog_files(tmp_path / "schemas", *SMALL_CATALOG, "_provenance.json")


@pytest.fixture
def committed(tmp_path: Path, small_schemas: Path) -> Path:
    """A `generated/` tree as it would be committed: the fake generator's output, plus cache droppings."""
    out = tmp_path / "generated"
    fake_generate(small_schemas, out)
    cache = out / "workers_ai" / "models" / "__pycache__"
    cache.mkdir()
    (cache / "x.cpython-311.pyc").write_bytes(b"\0junk")
    return out


@pytest.fixture
def generate() -> Callable[[Path, Path], list[object]]:
    return fake_generate
