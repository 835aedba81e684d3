# Copied by workers-ai-codegen from generator/runtime/_bulk_files.py: edit it there.
"""Datasets on disk for `workers-ai map`: rows in (JSONL, CSV, Parquet), one output record per row out.

The output is written as a JSONL journal, one complete line per finished row (one `write` call each), so a
killed run leaves at most one partial last line, which `resume_state` cuts off before anything else is
written. Parquet output is assembled from that journal when the run ends (pyarrow streams it in batches),
and a finished Parquet file is turned back into a journal to resume or retry it. Memory stays flat in the
number of rows: rows are read and written one by one; only `--resume` keeps the set of finished ids.
"""

from __future__ import annotations

import csv
import hashlib
import importlib
import json
import mimetypes
import os
import re
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ._binary import BinaryOutput
from ._id_set import IdSet
from .errors import APIError, InputValidationError, ResponseValidationError, WorkersAIError

__all__ = [
    "BadRow",
    "DatasetError",
    "Journal",
    "ResumeState",
    "Row",
    "count_rows",
    "dataset_kind",
    "error_record",
    "finish_output",
    "journal_path",
    "jsonable",
    "read_rows",
    "resume_state",
    "success_record",
]

PARQUET_BATCH_ROWS = 10_000
_SAFE_FILE_ID = re.compile(r"[A-Za-z0-9_.-]{1,100}")
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode


class DatasetError(WorkersAIError):
    """An input or output file that cannot be read or written (the message names the file)."""


@dataclass(frozen=True)
class BadRow:
    """A row that cannot become a model input (not JSON, not an object, a missing column)."""

    pointer: str
    message: str

    def error(self) -> InputValidationError:
        return InputValidationError(None, [(self.pointer, self.message)])


@dataclass(frozen=True)
class Row:
    id: str | int
    input: Any  # the model input, or a `BadRow`


def dataset_kind(path: Path) -> str:
    """`.jsonl`, `.csv` or `.parquet` by the file name; DatasetError for anything else."""
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        return ".jsonl"
    if suffix in (".csv", ".parquet"):
        return suffix
    raise DatasetError(f"{path}: unknown file type {path.suffix!r}; use .jsonl, .csv or .parquet")


def _optional(module: str) -> Any:
    # pyarrow is an optional extra without type stubs: imported by name, used as `Any`.
    try:
        return importlib.import_module(module)
    except ImportError:
        raise DatasetError("Parquet files need pyarrow: pip install 'workers-ai[parquet]'") from None


def _parquet() -> Any:
    return _optional("pyarrow.parquet")


def _records(path: Path) -> Iterator[Mapping[str, Any] | BadRow]:
    kind = dataset_kind(path)
    if kind == ".parquet":
        for batch in _parquet().ParquetFile(path).iter_batches(batch_size=PARQUET_BATCH_ROWS):
            yield from batch.to_pylist()
        return
    with path.open(encoding="utf-8", newline="") as handle:
        if kind == ".csv":
            yield from csv.DictReader(handle)
            return
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError as exc:
                yield BadRow("", f"line {number} is not JSON: {exc}")
                continue
            yield record if isinstance(record, dict) else BadRow("", f"line {number} is not a JSON object")


def read_rows(path: Path, fields: Mapping[str, str], id_field: str) -> Iterator[Row]:
    """The rows of `path` as model inputs. `fields` maps input names to columns (empty: the whole row
    without its id column). A row's id is its `id_field` value, else its position among the data rows."""
    for position, record in enumerate(_records(path)):
        if isinstance(record, BadRow):
            yield Row(position, record)
            continue
        row_id = record.get(id_field, position)
        if not isinstance(row_id, str | int) or isinstance(row_id, bool):
            row_id = position
        if fields:
            missing = [column for column in fields.values() if column not in record]
            if missing:
                yield Row(row_id, BadRow("", f"row has no column {missing[0]!r}"))
                continue
            yield Row(row_id, {name: record[column] for name, column in fields.items()})
        else:
            yield Row(row_id, {k: v for k, v in record.items() if k != id_field})


def count_rows(path: Path) -> int | None:
    """Rows in `path` for the progress bar's ETA, or None when counting would cost a full parse."""
    kind = dataset_kind(path)
    if kind == ".parquet":
        return int(_parquet().ParquetFile(path).metadata.num_rows)
    if kind == ".csv":
        return None
    count = 0
    with path.open("rb") as handle:
        for line in handle:
            count += bool(line.strip())
    return count


# -- output records ----------------------------------------------------------------------------------


def jsonable(result: Any) -> Any:
    """A typed result as plain JSON data (JSON field names)."""
    if isinstance(result, BaseModel):
        return result.model_dump(mode="json", by_alias=True, exclude_unset=True)
    return result


def _file_name(row_id: str | int, content_type: str) -> str:
    text = str(row_id)
    stem = (
        text
        if _SAFE_FILE_ID.fullmatch(text) and text not in (".", "..")
        else hashlib.sha256(text.encode()).hexdigest()[:32]
    )
    return stem + (mimetypes.guess_extension(content_type) or ".bin")


def success_record(row_id: str | int, result: Any, files_dir: Path) -> dict[str, Any]:
    if isinstance(result, BinaryOutput):
        files_dir.mkdir(parents=True, exist_ok=True)
        target = files_dir / _file_name(row_id, result.content_type)
        result.save(target)
        described = {"file": str(target), "content_type": result.content_type, "bytes": len(result.data)}
        return {"id": row_id, "ok": True, "result": described}
    return {"id": row_id, "ok": True, "result": jsonable(result)}


def error_record(row_id: str | int, error: WorkersAIError) -> dict[str, Any]:
    detail: dict[str, Any] = {"type": type(error).__name__, "message": str(error)}
    if isinstance(error, APIError):
        detail["code"] = error.code
        detail["status"] = error.status_code
    if isinstance(error, InputValidationError | ResponseValidationError):
        detail["errors"] = [{"pointer": pointer, "message": message} for pointer, message in error.errors]
    return {"id": row_id, "ok": False, "error": detail}


class Journal:
    """Append-only JSONL output of complete lines. `write` sends one record at once; `add` collects
    records and sends them, still as whole lines in one `os.write`, once `FLUSH_SECONDS` have passed since
    the last send or `FLUSH_BYTES` have piled up (and on `flush` / `close`). Batching matters at thousands
    of rows a second: every `os.write` lets the waiting threads take the interpreter lock. A run killed
    outright loses at most the last fraction of a second of rows, which `--resume` sends again."""

    FLUSH_SECONDS = 0.05
    FLUSH_BYTES = 1 << 18

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        self._lines: list[str] = []
        self._size = 0
        self._due = 0.0

    def write(self, record: Mapping[str, Any]) -> None:
        self.add(record)
        self.flush()

    def add(self, record: Mapping[str, Any]) -> None:
        line = _encode(record) + "\n"
        self._lines.append(line)
        self._size += len(line)
        if self._size >= self.FLUSH_BYTES or time.monotonic() >= self._due:
            self.flush()

    def flush(self) -> None:
        data = "".join(self._lines).encode()
        self._lines.clear()
        self._size = 0
        self._due = time.monotonic() + self.FLUSH_SECONDS
        while data:
            written = os.write(self._fd, data)
            data = data[written:]

    def close(self) -> None:
        if self._fd >= 0:
            try:
                self.flush()
                os.fsync(self._fd)
            finally:
                os.close(self._fd)
                self._fd = -1


@dataclass
class ResumeState:
    """Ids already in the output: `succeeded` and `failed` (ids compared as text)."""

    succeeded: IdSet
    failed: IdSet


def journal_path(output: Path) -> Path:
    return output if dataset_kind(output) == ".jsonl" else output.with_name(output.name + ".partial.jsonl")


def _journal_records(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            yield json.loads(line)


def _cut_partial_line(path: Path) -> None:
    """Drop a last line without its newline: the write of a killed run, done again on resume."""
    with path.open("rb+") as handle:
        size = handle.seek(0, os.SEEK_END)
        if size == 0:
            return
        position = size
        while position > 0:
            step = min(65536, position)
            handle.seek(position - step)
            block = handle.read(step)
            newline = block.rfind(b"\n")
            if newline >= 0:
                end = position - step + newline + 1
                if end != size:
                    handle.truncate(end)
                return
            position -= step
        handle.truncate(0)


def _parquet_to_journal(output: Path, journal: Path) -> None:
    sink = Journal(journal)
    try:
        for batch in _parquet().ParquetFile(output).iter_batches(batch_size=PARQUET_BATCH_ROWS):
            for row in batch.to_pylist():
                sink.add(_record_from_columns(row))
    finally:
        sink.close()


def resume_state(output: Path) -> ResumeState:
    """Read what an earlier run wrote to `output` (repairing a cut last line) and return its ids."""
    journal = journal_path(output)
    if journal != output and not journal.exists() and output.exists():
        _parquet_to_journal(output, journal)
    state = ResumeState(IdSet(), IdSet())
    if not journal.exists():
        return state
    _cut_partial_line(journal)
    for record in _journal_records(journal):
        key = str(record["id"])
        if record.get("ok"):
            state.succeeded.add(key)
            state.failed.discard(key)
        else:
            state.failed.add(key)
    return state


def _compact(journal: Path, rerun: set[str]) -> None:
    """Keep only the newest record of each re-run id (an old failure is replaced by its retry)."""
    last: dict[str, int] = {}
    for number, record in enumerate(_journal_records(journal)):
        key = str(record["id"])
        if key in rerun:
            last[key] = number
    temporary = journal.with_name(journal.name + ".compact.tmp")
    sink = Journal(temporary)
    try:
        for number, record in enumerate(_journal_records(journal)):
            key = str(record["id"])
            if key not in rerun or last[key] == number:
                sink.add(record)
    finally:
        sink.close()
    os.replace(temporary, journal)


def _columns_from_record(record: Mapping[str, Any]) -> dict[str, Any]:
    error = record.get("error") or {}
    return {
        "id": str(record["id"]),
        "ok": bool(record.get("ok")),
        "result": _encode(record["result"]) if record.get("ok") else None,
        "error_type": error.get("type"),
        "error_code": error.get("code"),
        "error_message": error.get("message"),
    }


def _record_from_columns(row: Mapping[str, Any]) -> dict[str, Any]:
    if row.get("ok"):
        return {"id": row["id"], "ok": True, "result": json.loads(row["result"])}
    error = {
        "type": row.get("error_type"),
        "message": row.get("error_message"),
        "code": row.get("error_code"),
    }
    return {"id": row["id"], "ok": False, "error": error}


def _journal_to_parquet(journal: Path, output: Path) -> None:
    pyarrow = _optional("pyarrow")
    parquet = _parquet()
    schema = pyarrow.schema(
        [
            ("id", pyarrow.string()),
            ("ok", pyarrow.bool_()),
            ("result", pyarrow.string()),
            ("error_type", pyarrow.string()),
            ("error_code", pyarrow.int64()),
            ("error_message", pyarrow.string()),
        ]
    )
    temporary = output.with_name(output.name + ".tmp")
    with parquet.ParquetWriter(temporary, schema) as writer:
        batch: list[dict[str, Any]] = []
        for record in _journal_records(journal):
            batch.append(_columns_from_record(record))
            if len(batch) >= PARQUET_BATCH_ROWS:
                writer.write_batch(pyarrow.RecordBatch.from_pylist(batch, schema=schema))
                batch = []
        if batch:
            writer.write_batch(pyarrow.RecordBatch.from_pylist(batch, schema=schema))
    os.replace(temporary, output)
    journal.unlink()


def finish_output(output: Path, rerun: Sequence[str]) -> None:
    """After a complete run: drop superseded records of re-run rows, then write Parquet if asked for."""
    journal = journal_path(output)
    if rerun and journal.exists():
        _compact(journal, set(rerun))
    if journal != output and journal.exists():
        _journal_to_parquet(journal, output)
