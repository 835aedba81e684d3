"""Helpers of the end-to-end tests (a uniquely named module: `conftest` names clash across folders)."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

from tests.support.fault_server import FaultServer, Reply
from workers_ai import AsyncWorkersAI

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "replies"


def async_client(server: FaultServer, **options: Any) -> AsyncWorkersAI:
    return AsyncWorkersAI(
        account_id="acc-123", api_token="secret-token-xyz", base_url=server.base_url, **options
    )


def load_fixture(path: Path) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return document


def reply_from_fixture(fixture: dict[str, Any]) -> Reply:
    if "body" in fixture:
        body = json.dumps(fixture["body"]).encode()
    elif "body_text" in fixture:
        body = fixture["body_text"].encode()
    else:
        body = base64.b64decode(fixture["body_base64"])
    return Reply(status=fixture["status"], headers=list(fixture["headers"].items()), body=body)


def reply_fixtures() -> list[Path]:
    return sorted(FIXTURES.glob("*/*.json"))
