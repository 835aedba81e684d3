# Copied by workers-ai-codegen from generator/runtime/ray_data.py: edit it there.
"""Workers AI inside Ray Data: a class-based UDF for `Dataset.map_batches`, one client per actor.

    import ray
    from workers_ai.ray_data import WorkersAIMapper

    reviews = ray.data.read_csv("reviews.csv")
    scored = reviews.map_batches(
        WorkersAIMapper,
        fn_constructor_kwargs={"model": "@cf/huggingface/distilbert-sst-2-int8", "fields": {"text": "review_body"}},
        concurrency=4,        # actors, each with its own client and connection pool
        batch_size=256,
    )

Each output batch is the input batch plus the columns `ok` (bool), `result` (the typed result as JSON
text, None on error), `binary` (bytes of an image/audio result, else None), `error_type` and
`error_message` (None on success): one row never fails the job, as with `client.map` and `workers-ai map`.
Credentials: `account_id=` / `api_token=` in `fn_constructor_kwargs`, or (better: nothing secret travels
with the job description) `CLOUDFLARE_ACCOUNT_ID` / `CLOUDFLARE_API_TOKEN` in the workers' environment,
e.g. `ray.init(runtime_env={"env_vars": {...}})`. The token is never logged or put in a column.
Ray is an optional extra: `pip install 'workers-ai[ray]'`; this module does not import it.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Mapping, Sequence
from typing import Any

from ._base_client import SyncClient
from ._binary import BinaryOutput
from ._bulk_files import error_record, jsonable

__all__ = ["WorkersAIMapper"]

_RESULT_COLUMNS = ("ok", "result", "binary", "error_type", "error_message")


def _plain(value: Any) -> Any:
    """numpy scalars and arrays (how Ray hands over batches) as plain Python values for JSON."""
    tolist = getattr(value, "tolist", None)
    if callable(tolist) and not isinstance(value, str | bytes):
        return tolist()
    return value


class WorkersAIMapper:
    """Callable class for `Dataset.map_batches`: runs `model` over each batch with `client.map`.

    `fields` maps model input names to columns (default: every column is an input field).
    `concurrency` is the calls in flight per actor. Other keywords go to `WorkersAI(...)`."""

    def __init__(
        self,
        model: str,
        *,
        fields: Mapping[str, str] | None = None,
        concurrency: int = 8,
        **client_options: Any,
    ) -> None:
        # The generated client of this package, found by name: this module is written once for every
        # generated package, so it cannot import the generated `client` module statically.
        package = importlib.import_module(__package__ or "workers_ai")
        self.model = model
        self.fields = dict(fields or {})
        self.concurrency = concurrency
        self._client: SyncClient = package.WorkersAI(**client_options)

    def __repr__(self) -> str:
        return f"WorkersAIMapper(model={self.model!r}, fields={self.fields!r}, client={self._client!r})"

    def _input(self, columns: Mapping[str, Sequence[Any]], row: int) -> dict[str, Any]:
        if self.fields:
            return {name: _plain(columns[column][row]) for name, column in self.fields.items()}
        return {name: _plain(values[row]) for name, values in columns.items()}

    def __call__(self, batch: Mapping[str, Sequence[Any]]) -> dict[str, Any]:
        missing = [column for column in self.fields.values() if column not in batch]
        if missing:
            raise KeyError(f"the batch has no column {missing[0]!r} (columns: {sorted(batch)})")
        size = len(next(iter(batch.values()))) if batch else 0
        out: dict[str, list[Any]] = {name: [] for name in _RESULT_COLUMNS}
        inputs = (self._input(batch, row) for row in range(size))
        for item in self._client.map_untyped(self.model, inputs, concurrency=self.concurrency):
            binary = item.result if isinstance(item.result, BinaryOutput) else None
            if item.error is not None:
                detail = error_record(item.index, item.error)["error"]
                values = [False, None, None, detail["type"], detail["message"]]
            elif binary is not None:
                values = [True, json.dumps({"content_type": binary.content_type}), binary.data, None, None]
            else:
                values = [True, json.dumps(jsonable(item.result), ensure_ascii=False), None, None, None]
            for name, value in zip(_RESULT_COLUMNS, values, strict=True):
                out[name].append(value)
        return {**{name: list(values) for name, values in batch.items()}, **out}

    def close(self) -> None:
        self._client.close()
