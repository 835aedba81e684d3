"""The catalog client of `sync` and the live drift check: the client runtime's own catalog code.

`generator/runtime/_catalog.py` (copied into the package as `workers_ai._catalog`) is imported here
straight from the generator's source tree, not from the generated `workers_ai` package: sync must work
when the generated client is stale or broken, which is exactly when it is needed. Its errors are
translated into the `CatalogError`s sync reports.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx

from generator.runtime._catalog import PER_PAGE, Models
from generator.runtime._rest import SyncRest, account_url
from generator.runtime.errors import APIConnectionError, APIStatusError, WorkersAIError
from generator.sync.errors import (
    CatalogConnectionError,
    CatalogError,
    CatalogResponseError,
    CatalogStatusError,
    MissingSettingError,
)

DEFAULT_BASE_URL = "https://api.cloudflare.com/client/v4"


@dataclass(frozen=True)
class Settings:
    account_id: str
    api_token: str
    base_url: str = DEFAULT_BASE_URL

    def __repr__(self) -> str:  # keep the token out of tracebacks and logs
        return f"Settings(account_id={self.account_id!r}, api_token='***', base_url={self.base_url!r})"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, base_url: str | None = None) -> Settings:
        source = os.environ if env is None else env
        missing = [k for k in ("CLOUDFLARE_ACCOUNT_ID", "CLOUDFLARE_API_TOKEN") if not source.get(k)]
        if missing:
            raise MissingSettingError(f"set {' and '.join(missing)} to read the live catalog")
        return cls(
            account_id=source["CLOUDFLARE_ACCOUNT_ID"],
            api_token=source["CLOUDFLARE_API_TOKEN"],
            base_url=(base_url or source.get("CLOUDFLARE_BASE_URL") or DEFAULT_BASE_URL).rstrip("/"),
        )


class CatalogClient:
    """`search_models()` and `model_schema(name)` over the runtime's `Models`, with its retry rule
    (`retries` extra attempts on connection errors, 429 and 5xx)."""

    def __init__(
        self,
        settings: Settings,
        *,
        retries: int = 2,
        timeout: float = 30.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._http = httpx.Client(timeout=timeout, transport=transport)
        headers = {"Authorization": f"Bearer {settings.api_token}", "Accept": "application/json"}
        rest = SyncRest(self._http, account_url(settings.base_url, settings.account_id), headers, retries)
        self._models = Models(rest)

    def __enter__(self) -> CatalogClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self._http.close()

    def search_models(self, per_page: int = PER_PAGE) -> list[dict[str, Any]]:
        """Every model of the account's catalog, walking the pages until the server says it is done."""
        with catalog_errors():
            return list(self._models.search_documents(per_page=per_page))

    def model_schema(self, name: str) -> dict[str, Any]:
        with catalog_errors():
            return self._models.schema_document(name)


@contextmanager
def catalog_errors() -> Iterator[None]:
    """The runtime's errors as `CatalogError`s (their text never holds the token)."""
    try:
        yield
    except APIStatusError as exc:
        raise CatalogStatusError(str(exc), exc.status_code or 0) from None
    except APIConnectionError as exc:
        raise CatalogConnectionError(str(exc)) from None
    except WorkersAIError as exc:
        error: CatalogError = CatalogResponseError(str(exc))
        raise error from None
