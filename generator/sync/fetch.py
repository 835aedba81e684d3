"""Fetch the whole catalog: the model list (all pages), then each model's schema."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.sync.client import CatalogClient, Settings
from generator.sync.documents import model_document
from generator.sync.errors import CatalogResponseError
from generator.sync.plan import SyncPlan, make_plan, read_local


def fetch_catalog(client: CatalogClient, per_page: int | None = None) -> dict[str, dict[str, Any]]:
    """{model name: catalog model file document}. Any failure raises before anything is written."""
    summaries = client.search_models(per_page) if per_page else client.search_models()
    catalog: dict[str, dict[str, Any]] = {}
    for summary in summaries:
        name = summary.get("name")
        if not isinstance(name, str) or not name:
            raise CatalogResponseError(f"GET /search: a model has no name (id {summary.get('id')!r})")
        if name in catalog:
            continue  # the same model on two pages (the list moved while we paged): keep the first
        catalog[name] = model_document(summary, client.model_schema(name))
    return catalog


def plan_against_catalog(folder: Path, settings: Settings, per_page: int | None = None) -> SyncPlan:
    """The schema folder compared with the live catalog (what `sync` and `check`'s live step report)."""
    local = read_local(folder)
    with CatalogClient(settings) as client:
        return make_plan(local, fetch_catalog(client, per_page))
