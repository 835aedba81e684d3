"""Step 1 on the real catalog and on folders; every rejected file is in tests/hostile (one table)."""

from __future__ import annotations

from pathlib import Path

from generator.diagnostics import Severity
from generator.load import load_schemas
from tests.support.model_files import SCHEMAS, catalog_documents, catalog_model_files, model_doc, write_folder


def test_the_whole_catalog_loads_with_warnings_only() -> None:
    result = load_schemas(SCHEMAS)
    assert result.ok, [str(d) for d in result.diagnostics if d.severity is Severity.ERROR]
    assert [m.path for m in result.models] == catalog_model_files()
    untyped = sorted(name for name, doc in catalog_documents().items() if not doc.get("schema"))
    assert sorted(m.id for m in result.models if not m.has_schema) == untyped
    assert {Path(d.file).name for d in result.diagnostics if d.pointer == "/schema"} == {
        Path(m.display_path).name for m in result.models if not m.has_schema
    }


def test_files_starting_with_underscore_are_not_models(tmp_path: Path) -> None:
    write_folder(tmp_path, {"_provenance.json": {"not": "a model"}, "m.json": model_doc(name="@cf/x/m")})
    result = load_schemas(tmp_path)
    assert result.ok and [m.id for m in result.models] == ["@cf/x/m"]


def test_folder_without_model_files_is_an_error(tmp_path: Path) -> None:
    write_folder(tmp_path, {"_provenance.json": {}})
    (error,) = load_schemas(tmp_path).diagnostics
    assert (error.file, error.severity) == (str(tmp_path), Severity.ERROR)
    assert "no model files" in error.message
