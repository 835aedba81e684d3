"""`python -m generator check` end to end on a copy: passes clean, fails naming the edited file."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.cli import main

ROOT = Path(__file__).resolve().parents[2]
# Every catalog model the docs pages name (their expected drift needs them), and the input fixtures' model.
PAGE_MODELS = (
    "bart-large-cnn.json",
    "bge-base-en-v1.5.json",
    "bge-large-en-v1.5.json",
    "bge-small-en-v1.5.json",
    "detr-resnet-50.json",
    "distilbert-sst-2-int8.json",
    "m2m100-1.2b.json",
    "resnet-50.json",
    "stable-diffusion-xl-base-1.0.json",
    "whisper.json",
)


@pytest.fixture
def project(
    tmp_path: Path, generate: Callable[[Path, Path], list[object]], monkeypatch: pytest.MonkeyPatch
) -> Path:
    """A copy of the real schemas, fixtures and docs pages, with a `generated/` tree from the fake generator."""
    monkeypatch.setattr("generator.drift.code.generate_package", generate)
    monkeypatch.delenv("CLOUDFLARE_API_TOKEN", raising=False)
    monkeypatch.delenv("CLOUDFLARE_ACCOUNT_ID", raising=False)
    (tmp_path / "schemas").mkdir()
    for name in PAGE_MODELS:
        shutil.copy(ROOT / "schemas" / name, tmp_path / "schemas" / name)
    generate(tmp_path / "schemas", tmp_path / "generated")
    fixtures = tmp_path / "fixtures"
    shutil.copytree(ROOT / "tests/fixtures/inputs/m2m100-1.2b", fixtures / "inputs/m2m100-1.2b")
    shutil.copytree(ROOT / "tests/fixtures/docs-pages", fixtures / "docs-pages")
    return tmp_path


def check(project: Path, *extra: str) -> int:
    return main(
        [
            "check",
            "--schemas",
            str(project / "schemas"),
            "--generated",
            str(project / "generated"),
            "--fixtures",
            str(project / "fixtures"),
            *extra,
        ]
    )


def test_clean_copy_passes_and_live_is_skipped(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert check(project) == 0
    out = capsys.readouterr().out
    assert "skipped: CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID not set" in out
    assert out.splitlines()[-1].startswith("check OK;")


def test_strict_live_fails_without_credentials(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert check(project, "--strict-live") == 1
    assert "FAIL     live" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("relative", "old", "new"),
    [
        ("schemas/m2m100-1.2b.json", b'"minLength": 1', b'"minLength": 2'),
        ("generated/docs/m2m100-1.2b.md", b"#", b"!"),
        ("fixtures/inputs/m2m100-1.2b/empty-text.json", b'"text": ""', b'"text": "x"'),
        ("fixtures/docs-pages/summarization.md", b'"summary"', b'"summery"'),
    ],
    ids=["schema", "generated", "fixture", "docs-page"],
)
def test_one_edited_byte_fails_naming_the_file(
    project: Path, capsys: pytest.CaptureFixture[str], relative: str, old: bytes, new: bytes
) -> None:
    path = project / relative
    path.write_bytes(path.read_bytes().replace(old, new, 1))
    assert check(project) == 1
    out = capsys.readouterr().out
    failing = [line for line in out.splitlines() if line.startswith("FAIL")]
    assert failing, out
    named = str(path) if relative.startswith(("generated", "fixtures")) else "m2m100"
    assert any(named in line for line in failing), failing
    assert "check FAILED" in out.splitlines()[-1]


def test_real_repo_fixtures_and_docs_pass(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("CLOUDFLARE_API_TOKEN", raising=False)
    assert main(["check", "--skip", "code"]) == 0, capsys.readouterr().out
