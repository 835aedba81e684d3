"""Why a sync can fail. Messages never contain the API token.

SyncError
 +-- MissingSettingError     CLOUDFLARE_ACCOUNT_ID / CLOUDFLARE_API_TOKEN not set
 +-- CatalogError            the catalog API could not be read
 |    +-- CatalogConnectionError   network failure or timeout (after retries)
 |    +-- CatalogStatusError       non-2xx status (5xx and 429 after retries); has .status_code
 |    +-- CatalogResponseError     2xx, but not the envelope / shape the API documents
 +-- SchemaFolderError       the local schema folder cannot be read or written
"""

from __future__ import annotations


class SyncError(Exception):
    pass


class MissingSettingError(SyncError):
    pass


class CatalogError(SyncError):
    pass


class CatalogConnectionError(CatalogError):
    pass


class CatalogStatusError(CatalogError):
    def __init__(self, message: str, status_code: int) -> None:
        super().__init__(message)
        self.status_code = status_code


class CatalogResponseError(CatalogError):
    pass


class SchemaFolderError(SyncError):
    pass
