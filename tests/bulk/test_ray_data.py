"""`WorkersAIMapper` in a real local Ray instance (2 CPUs) against a real local server.

Marked `ray`: starting Ray takes ~10-20 s, so `make test` leaves it out and `make test-ray` (run by
`make check`) runs it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.model_server import ModelServer
from workers_ai.ray_data import WorkersAIMapper

pytestmark = pytest.mark.ray

MODEL = "@cf/huggingface/distilbert-sst-2-int8"
TOKEN = "ray-secret-token"


@pytest.fixture(scope="module")
def local_ray() -> Iterator[Any]:
    import ray  # the `ray` extra, installed by `make test-ray`

    server_env = {"CLOUDFLARE_ACCOUNT_ID": "acc", "CLOUDFLARE_API_TOKEN": TOKEN}
    ray.init(
        num_cpus=2,
        include_dashboard=False,
        log_to_driver=False,
        runtime_env={"env_vars": server_env},
    )
    try:
        yield ray
    finally:
        ray.shutdown()


def test_map_batches_scores_every_row_with_per_row_errors(local_ray: Any) -> None:
    ray = local_ray
    texts = [f"review {i} good" if i % 2 else f"review {i}" for i in range(200)]
    texts[17] = ""  # invalid: stays a row with an error, the job goes on
    with ModelServer() as server:
        dataset = ray.data.from_items([{"review_id": i, "review_body": t} for i, t in enumerate(texts)])
        scored = dataset.map_batches(
            WorkersAIMapper,
            fn_constructor_kwargs={
                "model": MODEL,
                "fields": {"text": "review_body"},
                "base_url": server.base_url,
            },
            concurrency=2,
            batch_size=50,
        )
        rows = sorted(scored.take_all(), key=lambda row: row["review_id"])
    assert [row["review_id"] for row in rows] == list(range(200))
    assert rows[17]["ok"] is False and rows[17]["error_type"] == "InputValidationError"
    assert "/text" in rows[17]["error_message"]
    assert json.loads(rows[1]["result"])[0]["label"] == "POSITIVE"
    assert json.loads(rows[2]["result"])[0]["label"] == "NEGATIVE"
    assert server.count == 199 and all(count == 1 for count in server.texts.values())
    assert all(TOKEN not in str(value) for row in rows for value in row.values())


def test_the_mapper_reads_credentials_from_the_worker_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CLOUDFLARE_API_TOKEN", raising=False)
    with pytest.raises(Exception, match="API token"):
        WorkersAIMapper(MODEL, account_id="acc")
    mapper = WorkersAIMapper(MODEL, account_id="acc", api_token=TOKEN)
    assert TOKEN not in repr(mapper)
    mapper.close()
