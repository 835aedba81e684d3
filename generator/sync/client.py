"""A small client for the two catalog endpoints sync needs, on httpx directly.

It does not use the generated `workers_ai` package on purpose: sync must work when the generated client
is stale or broken, which is exactly when it is needed.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from generator.sync.errors import (
    CatalogConnectionError,
    CatalogResponseError,
    CatalogStatusError,
    MissingSettingError,
)

DEFAULT_BASE_URL = "https://api.cloudflare.com/client/v4"
PER_PAGE = 100
MAX_PAGES = 1000  # a server that never says "done" must not loop forever
_RETRY_STATUSES = {429, 500, 502, 503, 504}


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
    def __init__(
        self,
        settings: Settings,
        *,
        retries: int = 2,
        backoff: float = 0.2,
        timeout: float = 30.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._retries = retries
        self._backoff = backoff
        self._http = httpx.Client(
            base_url=f"{settings.base_url}/accounts/{settings.account_id}/ai/models",
            headers={"Authorization": f"Bearer {settings.api_token}", "Accept": "application/json"},
            timeout=timeout,
            transport=transport,
        )

    def __enter__(self) -> CatalogClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self._http.close()

    def _get(self, path: str, params: dict[str, str | int]) -> Any:
        """GET with retries on connection errors, 429 and 5xx; returns the envelope's `result` (and info)."""
        what = f"GET {path}?" + "&".join(f"{k}={v}" for k, v in params.items())
        for attempt in range(self._retries + 1):
            last = attempt == self._retries
            try:
                response = self._http.get(path, params=params)
            except httpx.TimeoutException as exc:
                if last:
                    raise CatalogConnectionError(f"{what}: timed out ({type(exc).__name__})") from None
            except httpx.TransportError as exc:
                if last:
                    raise CatalogConnectionError(
                        f"{what}: connection failed ({type(exc).__name__})"
                    ) from None
            else:
                if response.status_code in _RETRY_STATUSES and not last:
                    pass
                elif not response.is_success:
                    raise CatalogStatusError(
                        f"{what}: HTTP {response.status_code}{_error_text(response)}", response.status_code
                    )
                else:
                    return _envelope(response, what)
            time.sleep(self._backoff * (2**attempt))
        raise AssertionError("unreachable")  # pragma: no cover

    def search_models(self, per_page: int = PER_PAGE) -> list[dict[str, Any]]:
        """Every model of the account's catalog, walking the pages until the server says it is done."""
        models: list[dict[str, Any]] = []
        for page in range(1, MAX_PAGES + 1):
            result, info = self._get("/search", {"page": page, "per_page": per_page})
            if not isinstance(result, list) or not all(isinstance(m, dict) for m in result):
                raise CatalogResponseError(f"GET /search page {page}: 'result' is not a list of models")
            models.extend(result)
            if len(result) < per_page or _last_page(info, page, len(models)):
                return models
        raise CatalogResponseError(f"GET /search: still not done after {MAX_PAGES} pages")

    def model_schema(self, name: str) -> dict[str, Any]:
        result, _ = self._get("/schema", {"model": name})
        if not isinstance(result, dict):
            raise CatalogResponseError(f"GET /schema?model={name}: 'result' is not an object")
        return result


def _last_page(info: Any, page: int, seen: int) -> bool:
    if not isinstance(info, dict):
        return False
    total_pages, total_count = info.get("total_pages"), info.get("total_count")
    if isinstance(total_pages, int) and page >= total_pages:
        return True
    return isinstance(total_count, int) and seen >= total_count


def _error_text(response: httpx.Response) -> str:
    """The API's own error messages, if the body is an envelope; never request headers."""
    try:
        body = response.json()
    except ValueError:
        return ""
    errors = body.get("errors") if isinstance(body, dict) else None
    messages = [
        str(e["message"]) for e in errors or [] if isinstance(e, dict) and isinstance(e.get("message"), str)
    ]
    return f": {'; '.join(messages)[:300]}" if messages else ""


def _envelope(response: httpx.Response, what: str) -> tuple[Any, Any]:
    try:
        body = response.json()
    except ValueError:
        raise CatalogResponseError(f"{what}: response is not JSON") from None
    if not isinstance(body, dict) or body.get("success") is not True or "result" not in body:
        raise CatalogResponseError(
            f"{what}: not a successful envelope {{success: true, result: ...}}{_error_text(response)}"
        )
    return body["result"], body.get("result_info")
