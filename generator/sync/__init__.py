"""Schemas vs the live catalog: fetch it over the REST API, compare, and (without --check) update.

Settings.from_env()          CLOUDFLARE_ACCOUNT_ID / CLOUDFLARE_API_TOKEN / CLOUDFLARE_BASE_URL
CatalogClient                the client runtime's catalog code (generator/runtime/_catalog.py)
fetch_catalog(client)        -> RemoteCatalog (models: {name: model file document}, unreadable: {name: why})
make_plan(read_local(folder), models, unreadable) -> SyncPlan (added / removed / changed / metadata-only /
                               unreadable)
plan_against_catalog(folder, settings)   the two above in one call
replace_model_files(folder, plan.files)  atomic: all or nothing
"""

from generator.sync.apply import replace_model_files
from generator.sync.client import DEFAULT_BASE_URL, CatalogClient, Settings
from generator.sync.errors import (
    CatalogConnectionError,
    CatalogError,
    CatalogResponseError,
    CatalogStatusError,
    MissingSettingError,
    SchemaFolderError,
    SyncError,
)
from generator.sync.fetch import RemoteCatalog, fetch_catalog, plan_against_catalog
from generator.sync.plan import ChangedModel, LocalModel, SyncPlan, make_plan, read_local
from generator.sync.report import plan_lines

__all__ = [
    "DEFAULT_BASE_URL",
    "CatalogClient",
    "CatalogConnectionError",
    "CatalogError",
    "CatalogResponseError",
    "CatalogStatusError",
    "ChangedModel",
    "LocalModel",
    "MissingSettingError",
    "RemoteCatalog",
    "SchemaFolderError",
    "Settings",
    "SyncError",
    "SyncPlan",
    "fetch_catalog",
    "make_plan",
    "plan_against_catalog",
    "plan_lines",
    "read_local",
    "replace_model_files",
]
