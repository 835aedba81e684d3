# Copied by workers-ai-codegen from generator/runtime/cli.py: edit it there.
"""The `workers-ai` command (also `python -m workers_ai`).

    workers-ai map MODEL --input reviews.csv --output sentiment.parquet --field text=review_body

`map` runs one model over every row of a JSONL, CSV or Parquet file and writes one output record per row:
`{"id": ..., "ok": true, "result": ...}` or `{"id": ..., "ok": false, "error": {"type", "message", "code",
"status", "errors": [{"pointer", "message"}]}}` (Parquet: columns id, ok, result (JSON text), error_type,
error_code, error_message). Binary results (images, audio) are saved to `<output stem>_files/` and the row
holds their path. Credentials come from CLOUDFLARE_ACCOUNT_ID / CLOUDFLARE_API_TOKEN (and
CLOUDFLARE_BASE_URL). Exit status: 0 every row succeeded, 1 some rows failed, 2 bad usage or files,
3 stopped early (daily allowance used up), 130 interrupted (Ctrl-C): rerun with `--resume`.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

import httpx

from ._bulk import DEFAULT_CONCURRENCY, MapItem, MapRun, MapSummary
from ._bulk_files import (
    BadRow,
    DatasetError,
    Journal,
    Row,
    count_rows,
    dataset_kind,
    error_record,
    finish_output,
    journal_path,
    read_rows,
    resume_state,
    success_record,
)
from ._direct_client import DirectClient
from ._id_set import IdSet
from ._per_thread import PerThreadTransport
from ._stdlib_transport import StdlibTransport
from .errors import WorkersAIError

__all__ = ["main"]

EXIT_OK, EXIT_ROW_ERRORS, EXIT_USAGE, EXIT_STOPPED, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


def _field(text: str) -> tuple[str, str]:
    name, sep, column = text.partition("=")
    if not sep or not name or not column:
        raise argparse.ArgumentTypeError(f"expected INPUT_FIELD=COLUMN, got {text!r}")
    return name, column


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="workers-ai", description="Cloudflare Workers AI from the shell.")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("map", help="run one model over every row of a dataset file")
    run.add_argument("model", help="model id, e.g. @cf/huggingface/distilbert-sst-2-int8")
    run.add_argument("--input", required=True, type=Path, help="rows: .jsonl, .csv or .parquet")
    run.add_argument("--output", required=True, type=Path, help="results: .jsonl or .parquet")
    run.add_argument(
        "--field",
        action="append",
        type=_field,
        default=[],
        metavar="NAME=COLUMN",
        help="model input NAME from column COLUMN (repeatable); default: the whole row without its id",
    )
    run.add_argument(
        "--id-field", default="id", help="column holding the row id (default: id; else the row number)"
    )
    run.add_argument("--concurrency", type=int, default=DEFAULT_CONCURRENCY, help="calls in flight at most")
    resume = run.add_mutually_exclusive_group()
    resume.add_argument("--resume", action="store_true", help="skip rows already in the output")
    resume.add_argument("--retry-failed", action="store_true", help="rerun only the rows that failed")
    run.add_argument("--unordered", action="store_true", help="write rows as they finish, not in input order")
    run.add_argument(
        "--base-url", default=None, help="API base URL (default: CLOUDFLARE_BASE_URL or Cloudflare's)"
    )
    run.add_argument("--timeout", type=float, default=None, help="seconds per request")
    run.add_argument("--max-retries", type=int, default=None, help="retries per request (default 2)")
    return parser


def _progress(total: Callable[[], int | None]) -> Any:
    """A tqdm bar on a terminal; None when stderr is not one or tqdm is not installed. `total` is only
    called for a bar: counting rows reads the whole input once more."""
    if not sys.stderr.isatty():
        return None
    try:
        tqdm = importlib.import_module("tqdm").tqdm  # optional extra `cli`
    except ImportError:
        return None
    return tqdm(total=total(), unit="row", file=sys.stderr, dynamic_ncols=True)


class _Mapper:
    """One `map` command: pending rows in, records out, counting as it goes."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.output: Path = args.output
        self.files_dir = self.output.with_name(self.output.stem + "_files")
        self.skip = IdSet()
        self.rerun: list[str] = []
        self.skipped = 0
        self.ids: dict[int, str | int] = {}  # map index -> row id, only for rows in flight

    def prepare(self) -> None:
        if not self.args.input.is_file():
            raise DatasetError(f"{self.args.input}: no such file")
        dataset_kind(self.args.input)  # an unknown file type fails before the output is created
        exists = journal_path(self.output).exists() or self.output.exists()
        if not (self.args.resume or self.args.retry_failed):
            if exists:
                raise DatasetError(f"{self.output} exists: pass --resume or --retry-failed, or remove it")
            return
        state = resume_state(self.output)
        self.skip = state.succeeded if self.args.retry_failed else state.succeeded | state.failed
        self.rerun = sorted(state.failed) if self.args.retry_failed else []

    def inputs(self) -> Iterator[Any]:
        rows: Iterator[Row] = read_rows(self.args.input, dict(self.args.field), self.args.id_field)
        for index, row in enumerate(self._pending(rows)):
            self.ids[index] = row.id
            yield row.input

    def _pending(self, rows: Iterator[Row]) -> Iterator[Row]:
        for row in rows:
            if str(row.id) in self.skip:
                self.skipped += 1
                continue
            yield row

    def record(self, item: MapItem[Any]) -> dict[str, Any]:
        row_id = self.ids.pop(item.index)
        if item.error is not None:
            return error_record(row_id, item.error)
        return success_record(row_id, item.result, self.files_dir)


def _run_map(args: argparse.Namespace, mapper: _Mapper, bar: Any) -> MapSummary:
    # The sync client on a thread pool: on this kind of server (many short calls) it measured several
    # times the rows/s of the async client, and Ctrl-C reaches the main thread as KeyboardInterrupt.
    from workers_ai import WorkersAI

    options: dict[str, Any] = {"base_url": args.base_url}
    if args.timeout is not None:
        options["timeout"] = args.timeout
    if args.max_retries is not None:
        options["max_retries"] = args.max_retries
    with _http_client(options.get("timeout")) as http, WorkersAI(**options, http_client=http) as client:
        run_model = client._run
        model = args.model

        def call(value: Any) -> Any:
            if isinstance(value, BadRow):
                raise value.error()
            return run_model(model, value)

        journal = Journal(journal_path(mapper.output))
        run: MapRun[Any] = MapRun(
            call, mapper.inputs(), concurrency=args.concurrency, ordered=not args.unordered
        )
        failed = 0
        try:
            for item in run:
                journal.add(mapper.record(item))
                if bar is not None:
                    failed += not item.ok
                    bar.update(1)
                    if failed:
                        bar.set_postfix(errors=failed, refresh=False)
        finally:
            run.close()  # on Ctrl-C: nothing new is sent; calls in flight are dropped, redone on --resume
            journal.close()
        return run.summary


def _http_client(timeout: float | None) -> httpx.Client:
    """The command's HTTP client: `http.client` connections (`_stdlib_transport.py`), one per worker
    thread (`_per_thread.py`), TLS context shared, requests handed straight to them (`_direct_client.py`)."""
    from . import _fork
    from ._base_client import DEFAULT_TIMEOUT

    tls = _fork.shared_tls_context()
    return DirectClient(
        transport=PerThreadTransport(lambda: StdlibTransport(tls)),
        timeout=DEFAULT_TIMEOUT if timeout is None else timeout,
    )


def _map(args: argparse.Namespace) -> int:
    if args.concurrency < 1:
        print("workers-ai map: --concurrency must be at least 1", file=sys.stderr)
        return EXIT_USAGE
    mapper = _Mapper(args)
    try:
        mapper.prepare()
        bar = _progress(lambda: _remaining(args.input, mapper))
    except (DatasetError, OSError, ValueError) as exc:
        print(f"workers-ai map: {exc}", file=sys.stderr)
        return EXIT_USAGE
    summary: MapSummary | None = None
    interrupted = False
    with bar if bar is not None else _no_bar():
        try:
            summary = _run_map(args, mapper, bar)
        except KeyboardInterrupt:
            interrupted = True
        except (WorkersAIError, OSError) as exc:
            print(f"workers-ai map: {exc}", file=sys.stderr)
            return EXIT_USAGE
    if summary is not None and summary.stopped is None:
        finish_output(args.output, mapper.rerun)
    return _report(summary, mapper, interrupted)


def _remaining(source: Path, mapper: _Mapper) -> int | None:
    total = count_rows(source)
    return None if total is None else max(0, total - len(mapper.skip))


def _no_bar() -> AbstractContextManager[None]:
    return nullcontext()


def _report(summary: MapSummary | None, mapper: _Mapper, interrupted: bool) -> int:
    skipped = f"; {mapper.skipped} rows already done were skipped" if mapper.skipped else ""
    if interrupted or summary is None:
        print(
            f"workers-ai map: interrupted; finished rows are saved{skipped}. Rerun with --resume.",
            file=sys.stderr,
        )
        return EXIT_INTERRUPTED
    print(f"workers-ai map: {summary}{skipped}", file=sys.stderr)
    if summary.stopped is not None:
        print("workers-ai map: rerun with --resume to finish the remaining rows.", file=sys.stderr)
        return EXIT_STOPPED
    return EXIT_ROW_ERRORS if summary.failed else EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "map":
        return _map(args)
    raise AssertionError(args.command)  # argparse enforces the sub-commands
