"""`make check` with the real pipeline: one edited byte in a schema, a generated file or a fixture fails it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from e2e_support import REPO

from generator.pipeline import generate


def check(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", "check", "--schemas", str(root / "schemas"), "--generated",
         str(root / "generated"), "--fixtures", str(root / "fixtures"), "--skip", "docs", "--skip", "live"],
        capture_output=True, text=True, cwd=REPO, timeout=300,
    )  # fmt: skip


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "schemas").mkdir()
    for name in ("distilbert-sst-2-int8.json", "bge-reranker-base.json"):
        shutil.copy(REPO / "schemas" / name, tmp_path / "schemas" / name)
    shutil.copytree(
        REPO / "tests" / "fixtures" / "replies" / "distilbert-sst-2-int8",
        tmp_path / "fixtures" / "replies" / "distilbert-sst-2-int8",
    )
    generate(tmp_path / "schemas", tmp_path / "generated")
    return tmp_path


def flip_byte(path: Path, old: bytes, new: bytes) -> None:
    data = path.read_bytes()
    assert old in data
    path.write_bytes(data.replace(old, new, 1))


def test_clean_copy_passes(project: Path) -> None:
    done = check(project)
    assert done.returncode == 0, done.stdout + done.stderr


def test_one_byte_in_a_schema(project: Path) -> None:
    flip_byte(project / "schemas" / "distilbert-sst-2-int8.json", b'"minLength": 1', b'"minLength": 2')
    done = check(project)
    assert done.returncode == 1
    assert "MANIFEST.json" in done.stdout and "huggingface_distilbert_sst_2_int8.json" in done.stdout


def test_one_byte_in_a_generated_file(project: Path) -> None:
    flip_byte(project / "generated" / "workers_ai" / "client.py", b"WorkersAI", b"WorkersAJ")
    done = check(project)
    assert done.returncode == 1 and "workers_ai/client.py" in done.stdout


def test_one_byte_in_a_fixture(project: Path) -> None:
    flip_byte(
        project / "fixtures" / "replies" / "distilbert-sst-2-int8" / "success.json",
        b'"label": "NEGATIVE"',
        b'"label": 1234567890',
    )
    done = check(project)
    assert done.returncode == 1 and "replies/distilbert-sst-2-int8/success.json" in done.stdout
