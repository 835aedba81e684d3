"""Helpers of the end-to-end tests (a uniquely named module: `conftest` names clash across folders)."""

from __future__ import annotations

import base64
import importlib
import json
from pathlib import Path
from typing import Any

from tests.support.fault_server import FaultServer, Reply
from tests.support.fixtures import ACCOUNT, TOKEN
from workers_ai import AsyncWorkersAI
from workers_ai._registry import MODELS
from workers_ai._unions import is_branch_union

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "replies"


def async_client(server: FaultServer, **options: Any) -> AsyncWorkersAI:
    return AsyncWorkersAI(account_id=ACCOUNT, api_token=TOKEN, base_url=server.base_url, **options)


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


def result_class(model: str) -> Any:
    """What `run()` returns for `model`'s JSON result: its output class, or for a union output the
    union of the branch classes (the client returns the branch itself), usable with `isinstance`."""
    module, _, name = (MODELS[model].output_type or "").partition(":")
    cls: Any = getattr(importlib.import_module(module), name)
    return cls.model_fields["root"].annotation if is_branch_union(cls) else cls
