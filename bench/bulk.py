"""Bulk runs against `tests/support/model_server.py` in its own process.

The bulk server models Workers AI's capacity: `SLOTS` requests served at once, each taking `LATENCY`
seconds, anything beyond answered 429 / 3040 at once. Figures:
- capacity: the server's rate measured alone by SLOTS threads of bare `http.client` keep-alive loops;
- `workers-ai map` over a generated JSONL file at the default concurrency (wall time of the command,
  interpreter start included), against that capacity and against a naive sequential `client.run` loop;
- the same at `REALISTIC_LATENCY`: 10 ms per call makes the run a CPU contest between client and server
  on the same cores, while Workers AI answers take 100 ms or more;
- peak RSS of `workers-ai map` at two input sizes (flat means within 20%), against a server without
  latency; its rate is bounded by CPU (the client's HTTP stack and the server's, both in Python); then
  the peak RSS of `--resume` over each finished output (it holds the set of finished ids);
- kill at 50% then `--resume`: duplicates and missing rows in the output (both must be 0).
"""

from __future__ import annotations

import contextlib
import json
import re
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.client import HTTPConnection
from pathlib import Path
from tempfile import TemporaryDirectory
from urllib.parse import urlsplit

from bench.common import ACCOUNT_ID, API_TOKEN, PYTHON, ROOT, SEED_MODEL, child_env

SLOTS = 16
LATENCY = 0.01
REALISTIC_LATENCY = 0.1


@contextlib.contextmanager
def model_server(slots: int | None = None, latency: float = 0.0) -> Iterator[str]:
    args = [PYTHON, "-m", "tests.support.model_server"] + ([str(slots), str(latency)] if slots else [])
    process = subprocess.Popen(
        args, cwd=ROOT, env=child_env(), stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        yield process.stdout.readline().strip()
    finally:
        assert process.stdin is not None
        process.stdin.close()
        process.wait(timeout=10)


def _capacity(base_url: str, seconds: float = 3.0) -> float:
    """Requests/s the server completes for SLOTS keep-alive clients that never wait."""
    parts = urlsplit(base_url)
    path = f"{parts.path}/accounts/{ACCOUNT_ID}/ai/run/{SEED_MODEL}"
    body = json.dumps({"text": "capacity probe"}).encode()
    done = [0] * SLOTS
    stop = time.perf_counter() + seconds

    def loop(slot: int) -> None:
        connection = HTTPConnection(parts.hostname or "127.0.0.1", parts.port)
        while time.perf_counter() < stop:
            connection.request("POST", path, body, {"content-type": "application/json"})
            response = connection.getresponse()
            response.read()
            done[slot] += response.status == 200
        connection.close()

    threads = [threading.Thread(target=loop, args=(i,)) for i in range(SLOTS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / (time.perf_counter() - started)


def _write_rows(path: Path, rows: int) -> Path:
    with path.open("w") as handle:
        for i in range(rows):
            handle.write(f'{{"id": {i}, "text": "review number {i} of the benchmark"}}\n')
    return path


# Runs `python -m workers_ai` and, at exit, prints the process's own peak RSS (VmHWM, KiB) on stderr.
# `ru_maxrss` from `wait4` cannot be used: Linux folds the RSS of the memory image the child had before
# `exec` (the benchmark's own, tens of MiB) into it, which would hide any smaller peak of the command.
_PEAK_RSS = """
import atexit, runpy, sys
def report():
    with open("/proc/self/status") as status:
        peak = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
    sys.stderr.write("peak-rss-kib " + peak + "\\n")
atexit.register(report)
sys.argv[0] = "workers-ai"
runpy.run_module("workers_ai", run_name="__main__", alter_sys=True)
"""


def _cli(base_url: str, source: Path, output: Path, *extra: str) -> subprocess.Popen[str]:
    env = child_env(
        CLOUDFLARE_ACCOUNT_ID=ACCOUNT_ID, CLOUDFLARE_API_TOKEN=API_TOKEN, CLOUDFLARE_BASE_URL=base_url
    )
    arguments = ["map", SEED_MODEL, "--input", str(source), "--output", str(output), *extra]
    return subprocess.Popen(
        [PYTHON, "-c", _PEAK_RSS, *arguments],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def _timed_cli(base_url: str, source: Path, output: Path, *extra: str) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one complete `workers-ai map` run."""
    started = time.perf_counter()
    process = _cli(base_url, source, output, *extra)
    stderr = _wait(process)
    elapsed = time.perf_counter() - started
    if process.returncode != 0:
        raise RuntimeError(f"workers-ai map failed ({process.returncode}): {stderr[-500:]}")
    peak = re.search(r"^peak-rss-kib (\d+)$", stderr, re.MULTILINE)
    if peak is None:
        raise RuntimeError(f"workers-ai map did not report its peak RSS: {stderr[-500:]}")
    return elapsed, int(peak[1]) / 1024


def _wait(process: subprocess.Popen[str]) -> str:
    """Its stderr, once it has exited (read first: a full pipe would block it)."""
    assert process.stderr is not None
    stderr = process.stderr.read()
    process.wait()
    return stderr


def _naive(base_url: str, rows: int) -> float:
    from workers_ai import WorkersAI

    with WorkersAI(account_id=ACCOUNT_ID, api_token=API_TOKEN, base_url=base_url) as client:
        started = time.perf_counter()
        for i in range(rows):
            client.run(SEED_MODEL, {"text": f"review number {i}"})
        return rows / (time.perf_counter() - started)


def _kill_and_resume(base_url: str, folder: Path, rows: int) -> dict[str, int]:
    source = _write_rows(folder / "resume.jsonl", rows)
    output = folder / "resume-out.jsonl"
    process = _cli(base_url, source, output)
    while process.poll() is None and (not output.exists() or output.read_bytes().count(b"\n") < rows // 2):
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait()
    at_kill = output.read_bytes().count(b"\n")
    resumed = _cli(base_url, source, output, "--resume")
    _wait(resumed)
    ids = [json.loads(line)["id"] for line in output.read_text().splitlines()]
    return {
        "rows": rows,
        "written_at_kill": at_kill,
        "duplicates": len(ids) - len(set(ids)),
        "missing": len(set(range(rows)) - set(ids)),
        "resume_exit_status": resumed.returncode,
    }


@dataclass
class BulkRuns:
    capacity_rows_per_s: list[float] = field(default_factory=list)
    map_rows_per_s: list[float] = field(default_factory=list)
    naive_rows_per_s: list[float] = field(default_factory=list)
    realistic_rows: int = 0
    realistic_capacity_rows_per_s: list[float] = field(default_factory=list)
    realistic_map_rows_per_s: list[float] = field(default_factory=list)
    rss_mib: dict[int, float] = field(default_factory=dict)
    rss_seconds: dict[int, float] = field(default_factory=dict)
    resume_rss_mib: dict[int, float] = field(default_factory=dict)
    resume: dict[str, int] = field(default_factory=dict)


def _map_against_capacity(
    base_url: str, folder: Path, rows: int, rounds: int, tag: str
) -> tuple[list[float], list[float]]:
    """Alternating rounds of the server's capacity alone and one `workers-ai map` run over `rows`."""
    source = _write_rows(folder / f"{tag}.jsonl", rows)
    capacity, mapped = [], []
    for round_no in range(rounds):
        capacity.append(_capacity(base_url))
        elapsed, _ = _timed_cli(base_url, source, folder / f"{tag}-out-{round_no}.jsonl")
        mapped.append(rows / elapsed)
    return capacity, mapped


def measure_bulk(
    rounds: int, rows: int, rss_sizes: tuple[int, int], naive_rows: int, realistic_rows: int
) -> BulkRuns:
    runs = BulkRuns(realistic_rows=realistic_rows)
    with TemporaryDirectory() as tmp, model_server(SLOTS, LATENCY) as base_url:
        folder = Path(tmp)
        runs.capacity_rows_per_s, runs.map_rows_per_s = _map_against_capacity(
            base_url, folder, rows, rounds, "rows"
        )
        runs.naive_rows_per_s = [_naive(base_url, naive_rows) for _ in range(rounds)]
        runs.resume = _kill_and_resume(base_url, folder, rows)
    with TemporaryDirectory() as tmp, model_server(SLOTS, REALISTIC_LATENCY) as base_url:
        runs.realistic_capacity_rows_per_s, runs.realistic_map_rows_per_s = _map_against_capacity(
            base_url, Path(tmp), realistic_rows, rounds, "realistic"
        )
    with TemporaryDirectory() as tmp, model_server() as base_url:  # no latency: the size run is CPU-bound
        for size in rss_sizes:
            source = _write_rows(Path(tmp) / f"rss-{size}.jsonl", size)
            output = Path(tmp) / f"rss-{size}-out.jsonl"
            runs.rss_seconds[size], runs.rss_mib[size] = _timed_cli(base_url, source, output)
            # Every row is in the output now: `--resume` reads it back, keeps the finished ids, sends none.
            _, runs.resume_rss_mib[size] = _timed_cli(base_url, source, output, "--resume")
            output.unlink()  # a million output rows need not wait on disk for the next size
    return runs
