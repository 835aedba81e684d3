"""Fetch the whole catalog: the model list (all pages), then each model's schema.

A model whose `/ai/models/schema` answers an error (or an unreadable reply) does not stop the others: it is
listed in `RemoteCatalog.unreadable` with the reason, so sync keeps its local file and `--check` fails
naming it. Connection failures (after retries) and a failing model list still abort the whole fetch.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.sync.client import CatalogClient, Settings
from generator.sync.documents import model_document
from generator.sync.errors import CatalogResponseError, CatalogStatusError
from generator.sync.plan import SyncPlan, make_plan, read_local


@dataclass
class RemoteCatalog:
    models: dict[str, dict[str, Any]] = field(default_factory=dict)  # name -> catalog model file document
    unreadable: dict[str, str] = field(default_factory=dict)  # name -> why its schema could not be read


def fetch_catalog(client: CatalogClient, per_page: int | None = None) -> RemoteCatalog:
    summaries = client.search_models(per_page) if per_page else client.search_models()
    catalog = RemoteCatalog()
    for summary in summaries:
        name = summary.get("name")
        if not isinstance(name, str) or not name:
            raise CatalogResponseError(f"GET /search: a model has no name (id {summary.get('id')!r})")
        if name in catalog.models or name in catalog.unreadable:
            continue  # the same model on two pages (the list moved while we paged): keep the first
        try:
            schema = client.model_schema(name)
        except (CatalogStatusError, CatalogResponseError) as exc:
            catalog.unreadable[name] = str(exc).splitlines()[0]
            continue
        catalog.models[name] = model_document(summary, schema)
    return catalog


def plan_against_catalog(folder: Path, settings: Settings, per_page: int | None = None) -> SyncPlan:
    """The schema folder compared with the live catalog (what `sync` and `check`'s live step report)."""
    local = read_local(folder)
    with CatalogClient(settings) as client:
        remote = fetch_catalog(client, per_page)
    return make_plan(local, remote.models, remote.unreadable)
