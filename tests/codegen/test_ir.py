"""Step 2 on the real catalog: every typed model lands in exactly one task (the details: test_golden)."""

from __future__ import annotations

import pytest

from generator.ir import Catalog, build_catalog
from generator.ir.defaults import read_overrides
from generator.load import load_schemas
from tests.support.model_files import SCHEMAS, catalog_documents


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    built, diagnostics = build_catalog(load_schemas(SCHEMAS), read_overrides(SCHEMAS)[0])
    assert [d for d in diagnostics if d.severity.value == "error"] == []
    return built


def test_every_typed_model_is_in_the_task_its_file_names(catalog: Catalog) -> None:
    docs = catalog_documents()
    typed = {name: doc["task"]["name"] for name, doc in docs.items() if doc.get("schema")}
    assert {m.id: t.name for t in catalog.tasks for m in t.models} == typed
    assert catalog.untyped_models == tuple(sorted(set(docs) - set(typed)))
