"""Code vs schemas: regenerate, compare byte for byte, name every differing file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from generator.drift import Status, check_code
from generator.drift.code import diff_summary
from generator.pipeline import generate as generate_package

Generate = Callable[[Path, Path], list[object]]


def fails(findings: list) -> list:  # type: ignore[type-arg]
    return [f for f in findings if f.status is Status.FAIL]


def test_in_sync_tree_passes(small_schemas: Path, committed: Path, generate: Generate) -> None:
    assert fails(check_code(small_schemas, committed, generate)) == []


def test_one_byte_in_a_schema_fails_naming_the_file(
    small_schemas: Path, committed: Path, generate: Generate
) -> None:
    schema = small_schemas / "m2m100-1.2b.json"
    schema.write_bytes(schema.read_bytes().replace(b'"minLength": 1', b'"minLength": 2', 1))
    found = fails(check_code(small_schemas, committed, generate))
    assert [f.file for f in found] == [str(committed / "workers_ai/models/m2m100_1_2b.py")]
    assert "m2m100-1.2b.json" in found[0].message  # the diff shows which schema it came from
    assert "-# generated from m2m100-1.2b.json" in found[0].message
    assert "+# generated from m2m100-1.2b.json" in found[0].message


def test_schema_that_no_longer_loads_names_the_schema(
    small_schemas: Path, committed: Path, generate: Generate
) -> None:
    schema = small_schemas / "distilbert-sst-2-int8.json"
    schema.write_bytes(schema.read_bytes().replace(b"{", b"[", 1))
    found = fails(check_code(small_schemas, committed, generate))
    assert found and all(f.file == str(schema) for f in found)
    assert "invalid JSON" in found[0].message


def test_one_byte_in_a_generated_file_fails_naming_the_file(
    small_schemas: Path, committed: Path, generate: Generate
) -> None:
    page = committed / "docs" / "stable-diffusion-xl-base-1.0.md"
    page.write_bytes(page.read_bytes().replace(b"#", b"!", 1))
    found = fails(check_code(small_schemas, committed, generate))
    assert len(found) == 1
    assert found[0].file == str(page)
    assert "-! @cf/stabilityai" in found[0].message and "+# @cf/stabilityai" in found[0].message


def test_missing_and_stale_files(small_schemas: Path, committed: Path, generate: Generate) -> None:
    (committed / "docs" / "m2m100-1.2b.md").unlink()
    (committed / "workers_ai" / "old_module.py").write_text("x = 1\n")
    found = {f.file: f.message for f in fails(check_code(small_schemas, committed, generate))}
    assert found[str(committed / "docs/m2m100-1.2b.md")].startswith("missing")
    assert found[str(committed / "workers_ai/old_module.py")].startswith("stale")
    assert len(found) == 2


def test_diff_summary_is_cut_after_20_lines() -> None:
    old = "".join(f"line {i}\n" for i in range(100)).encode()
    new = "".join(f"LINE {i}\n" for i in range(100)).encode()
    summary = diff_summary(old, new, "f.py").splitlines()
    assert len(summary) == 21
    assert summary[-1].strip().startswith("... (")


def test_with_the_real_pipeline(small_schemas: Path, tmp_path: Path) -> None:
    """Generating twice gives identical trees, so the check passes; one edited byte fails it."""
    first = tmp_path / "first"
    generate_package(small_schemas, first)
    assert fails(check_code(small_schemas, first)) == []
    client = first / "workers_ai" / "client.py"
    client.write_bytes(client.read_bytes().replace(b"WorkersAI", b"WorkersAJ", 1))
    assert [f.file for f in fails(check_code(small_schemas, first))] == [str(client)]
