"""Run every benchmark, print the table and write `bench/results/latest.json`.

.venv/bin/python bench/run.py            # everything (`make bench`), about 3 minutes
.venv/bin/python bench/run.py --quick    # fewer rounds and calls; a sample of datamodel-codegen runs
.venv/bin/python bench/run.py --only sync,imports
.venv/bin/python bench/run.py --strict   # exit 1 when a figure misses its target

Sections: server (which local server is faster), sync, async, imports, validation, codegen, memory.
Every figure alternates the contenders over several rounds and reports the median (see each module).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bench import bulk, codegen, imports, memory, server, streams, throughput, validation
from bench.common import ACCOUNT_ID, API_TOKEN, ROOT, SEED_MODEL, median
from bench.machine import machine_facts
from bench.report import Row, machine_line, make_row, table, write_json

SECTIONS = ("server", "sync", "async", "imports", "validation", "codegen", "memory", "bulk", "streams")


@dataclass(frozen=True)
class Settings:
    rounds: int
    calls: int
    concurrency: int
    per_worker: int
    import_rounds: int
    codegen_rounds: int
    dmcg_sample: int | None
    server: str
    sections: tuple[str, ...]
    bulk_rows: int
    rss_rows: tuple[int, int]


def _parse(argv: list[str]) -> tuple[Settings, Path, bool]:
    parser = argparse.ArgumentParser(
        prog="bench/run.py", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="a fast smoke run (figures are noisier)")
    parser.add_argument("--rounds", type=int, default=None, help="alternating rounds per figure (default 5)")
    parser.add_argument("--calls", type=int, default=2000, help="sequential calls per contender per round")
    parser.add_argument("--concurrency", type=int, default=64, help="concurrent async calls")
    parser.add_argument("--server", choices=("auto", *server.KINDS), default="auto", help="local server kind")
    parser.add_argument("--only", default=",".join(SECTIONS), help=f"comma-separated sections of {SECTIONS}")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "latest.json")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a figure misses its target")
    parser.add_argument("--bulk-rows", type=int, default=10_000, help="rows per `workers-ai map` run")
    parser.add_argument(
        "--rss-rows",
        default="10000,100000",
        help="the two input sizes of the flat-memory figure (10000,1000000: about 12 min more)",
    )
    args = parser.parse_args(argv)
    small, large = (int(n) for n in args.rss_rows.split(","))
    sections = tuple(s.strip() for s in args.only.split(",") if s.strip())
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown sections {sorted(unknown)}; choose from {SECTIONS}")
    rounds = args.rounds or (3 if args.quick else 5)
    settings = Settings(
        rounds=rounds,
        calls=min(args.calls, 500) if args.quick else args.calls,
        concurrency=args.concurrency,
        per_worker=8 if args.quick else 24,
        import_rounds=5 if args.quick else 7,
        codegen_rounds=2 if args.quick else 3,
        dmcg_sample=8 if args.quick else None,
        server=args.server,
        sections=sections,
        bulk_rows=min(args.bulk_rows, 2000) if args.quick else args.bulk_rows,
        rss_rows=(min(small, 2000), min(large, 20_000)) if args.quick else (small, large),
    )
    return settings, args.out, args.strict


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class Bench:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.rows: list[Row] = []
        self.extra: dict[str, Any] = {}
        self.port_kind = settings.server

    # -- server ------------------------------------------------------------------------------------------

    def choose_server(self) -> None:
        """A bare http.client keep-alive loop against each server kind; the faster one is used."""
        rates: dict[str, float] = {}
        kinds = server.KINDS if self.settings.server == "auto" else (self.settings.server,)
        for kind in kinds:
            try:
                with server.serve(kind) as port:
                    runs = throughput.run_sync(port, ["http.client"], self.settings.calls, 3, warmup=100)
            except RuntimeError as exc:  # e.g. uvicorn not installed: the other kind is used
                _log(f"  server {kind}: {exc}")
                continue
            rates[kind] = median(runs.per_round["http.client"])
            _log(f"  server {kind}: http.client loop {rates[kind]:,.0f} calls/s")
        self.port_kind = max(rates, key=lambda k: rates[k])
        self.extra["server"] = {"kind": self.port_kind, "http_client_calls_per_s": rates}

    # -- client throughput -------------------------------------------------------------------------------

    def sync(self) -> None:
        s = self.settings
        names = ["http.client", "httpx", "workers_ai", "workers_ai gateway", "cloudflare"]
        with server.serve(self.port_kind) as port:
            runs = throughput.run_sync(port, names, s.calls, s.rounds)
        rate = {name: median(values) for name, values in runs.per_round.items()}
        per = runs.per_round

        def ratio(a: str, b: str) -> float:
            return median([x / y for x, y in zip(per[a], per[b], strict=True)])

        figure = f"sync `run()`, {s.calls:,} sequential calls"
        unit = "calls/s"
        self.rows.append(
            make_row(
                figure,
                rate["workers_ai"],
                rate["httpx"],
                unit=unit,
                reference_name="raw httpx `Client.post` + `json.loads`",
                target=0.9,
                better="higher",
                ratio=ratio("workers_ai", "httpx"),
            )
        )
        self.rows.append(
            make_row(
                figure,
                rate["workers_ai"],
                rate["cloudflare"],
                unit=unit,
                reference_name="`cloudflare` `client.ai.run`",
                target=1.8,
                better="higher",
                ratio=ratio("workers_ai", "cloudflare"),
            )
        )
        self.rows.append(
            make_row(
                f"sync `run()` through AI Gateway (id, cache TTL, metadata, max attempts), {s.calls:,} calls",
                rate["workers_ai gateway"],
                rate["workers_ai"],
                unit=unit,
                reference_name="plain `run()` (no gateway)",
                target=0.95,
                better="higher",
                ratio=ratio("workers_ai gateway", "workers_ai"),
            )
        )
        fastest = max(("httpx", "workers_ai", "cloudflare"), key=lambda n: rate[n])
        self.rows.append(
            make_row(
                f"server headroom ({self.port_kind} server)",
                rate["http.client"],
                rate[fastest],
                unit=unit,
                reference_name=f"fastest client: {fastest}",
                target=1.5,
                better="higher",
                ratio=ratio("http.client", fastest),
            )
        )
        self.extra["sync"] = {
            "per_round_calls_per_s": per,
            "median_calls_per_s": rate,
            "client_cpu_share": {name: median(v) for name, v in runs.cpu_share.items()},
        }

    def async_(self) -> None:
        s = self.settings
        names = ["httpx", "workers_ai"]  # the cloudflare SDK's async client is not a target (and slow)
        with server.serve(self.port_kind) as port:
            runs = throughput.run_async(port, names, s.concurrency, s.per_worker, s.rounds)
        per = runs.per_round
        rate = {name: median(values) for name, values in per.items()}
        self.rows.append(
            make_row(
                f"async `run()`, {s.concurrency} concurrent ({s.concurrency * s.per_worker:,} calls)",
                rate["workers_ai"],
                rate["httpx"],
                unit="calls/s",
                reference_name="raw httpx `AsyncClient`",
                target=0.9,
                better="higher",
                ratio=median([x / y for x, y in zip(per["workers_ai"], per["httpx"], strict=True)]),
            )
        )
        self.extra["async"] = {
            "per_round_calls_per_s": per,
            "median_calls_per_s": rate,
            "client_cpu_share": {name: median(v) for name, v in runs.cpu_share.items()},
        }

    # -- imports, validation, generation, memory -------------------------------------------------------------

    def imports(self) -> None:
        runs = imports.measure(self.settings.import_rounds)
        ms = 1000.0
        ours, cf = runs.importtime_s("import workers_ai") * ms, runs.importtime_s("import cloudflare") * ms
        wall = {name: runs.wall_over_bare(name) * ms for name in runs.wall if name != "bare"}
        self.rows.append(
            make_row(
                "`import workers_ai` (-X importtime)",
                ours,
                cf,
                unit="ms",
                reference_name="`import cloudflare`",
                target=0.1,
                better="lower",
                details={"wall_minus_bare_ms": wall},
            )
        )
        client = runs.importtime_s("from workers_ai import WorkersAI") * ms
        self.rows.append(
            make_row(
                "`from workers_ai import WorkersAI` (-X importtime)",
                client,
                cf,
                unit="ms",
                reference_name="`import cloudflare`",
                target=None,
                better="lower",
            )
        )
        with server.serve(self.port_kind) as port:
            first = imports.measure_first_call(
                self.settings.import_rounds,
                f"http://127.0.0.1:{port}/client/v4",
                ACCOUNT_ID,
                API_TOKEN,
                SEED_MODEL,
            )
        self.rows.append(
            make_row(
                "cold first call: import, client, `text_classification()` (CPU)",
                median(first.cpu_ms["workers_ai"]),
                median(first.cpu_ms["httpx"]),
                unit="ms",
                reference_name="import httpx, `Client.post` + `json.loads`",
                target=None,
                better="lower",
                details={"wall_ms": {name: median(v) for name, v in first.wall_ms.items()}},
            )
        )
        self.extra["imports"] = {
            "first_call_cpu_ms": {name: median(v) for name, v in first.cpu_ms.items()},
            "importtime_ms": {name: median(v) / 1000 for name, v in runs.importtime.items()},
            "wall_minus_bare_ms": wall,
            "bare_interpreter_ms": median(runs.wall["bare"]) * ms,
            "biggest_imports_of_client_ms": imports.biggest_imports("from workers_ai import WorkersAI"),
        }

    def validation(self) -> None:
        runs = validation.measure(self.settings.rounds)
        ours_s, ref_s, speedup = validation.summary(runs)
        self.rows.append(
            make_row(
                "input validation, seed input",
                1 / ours_s,
                1 / ref_s,
                unit="/s",
                reference_name="jsonschema `Draft202012Validator` (cached)",
                target=5,
                better="higher",
                ratio=speedup,
                details={"verdict_cases": runs.cases, "verdict_mismatches": runs.verdict_mismatches},
            )
        )
        if runs.verdict_mismatches:
            _log(f"  validation verdicts differ: {runs.verdict_mismatches}")
        self.extra["validation"] = {**asdict(runs), "same_verdicts": not runs.verdict_mismatches}

    def codegen(self) -> None:
        runs = codegen.measure(self.settings.codegen_rounds, self.settings.dmcg_sample)
        result = codegen.summary(runs)
        label = "datamodel-codegen CLI, once per model" + (
            f" (extrapolated from {runs.dmcg_sampled})" if runs.dmcg_sampled < runs.dmcg_models else ""
        )
        self.rows.append(
            make_row(
                f"`make generate`, {runs.model_files} models ({runs.dmcg_models} typed), cold",
                result["cold_s"],
                result["dmcg_s"],
                unit="s",
                reference_name=label,
                target=0.1,
                better="lower",
                extra_limit=3.0,
                details={"dmcg_failures": runs.dmcg_failures},
            )
        )
        self.rows.append(
            make_row(
                "`make generate`, nothing changed",
                result["unchanged_s"],
                result["cold_s"],
                unit="s",
                reference_name="cold run",
                target=0.2,
                better="lower",
                ratio=result["unchanged_ratio"],
            )
        )
        self.extra["codegen"] = asdict(runs)

    def memory(self) -> None:
        runs = memory.measure(max(3, self.settings.rounds // 2 + 1))
        ours, ref = memory.summary(runs)
        self.rows.append(
            make_row(
                f"RSS: client + all {runs.models} models' types",
                ours,
                ref,
                unit="MiB",
                reference_name="`import httpx` alone",
                target=2.0,
                better="lower",
                strict=True,
            )
        )
        self.extra["memory"] = asdict(runs)

    def bulk(self) -> None:
        s = self.settings
        realistic_rows = min(3000, s.bulk_rows // 2)
        runs = bulk.measure_bulk(
            max(1, s.rounds // 2), s.bulk_rows, s.rss_rows, naive_rows=300, realistic_rows=realistic_rows
        )
        capacity = median(runs.capacity_rows_per_s)
        ours = median(runs.map_rows_per_s)
        figure = f"`workers-ai map`, {s.bulk_rows:,} rows, default concurrency"
        server_model = f"{bulk.SLOTS} slots x {bulk.LATENCY * 1000:g} ms"
        self.rows.append(
            make_row(
                figure,
                ours,
                capacity,
                unit="rows/s",
                reference_name=f"server capacity alone ({server_model})",
                target=0.8,
                better="higher",
            )
        )
        self.rows.append(
            make_row(
                figure,
                ours,
                median(runs.naive_rows_per_s),
                unit="rows/s",
                reference_name="naive sequential `client.run` loop",
                target=None,
                better="higher",
            )
        )
        realistic_model = f"{bulk.SLOTS} slots x {bulk.REALISTIC_LATENCY * 1000:g} ms"
        self.rows.append(
            make_row(
                f"`workers-ai map`, {realistic_rows:,} rows, default concurrency, realistic latency",
                median(runs.realistic_map_rows_per_s),
                median(runs.realistic_capacity_rows_per_s),
                unit="rows/s",
                reference_name=f"server capacity alone ({realistic_model})",
                target=0.8,
                better="higher",
            )
        )
        small, large = s.rss_rows
        self.rows.append(
            make_row(
                f"`workers-ai map` peak RSS, {large:,} rows",
                runs.rss_mib[large],
                runs.rss_mib[small],
                unit="MiB",
                reference_name=f"{small:,} rows",
                target=1.2,
                better="lower",
            )
        )
        self.rows.append(
            make_row(
                f"`workers-ai map --resume` over a finished output, peak RSS, {large:,} rows",
                runs.resume_rss_mib[large],
                runs.resume_rss_mib[small],
                unit="MiB",
                reference_name=f"{small:,} rows",
                target=1.2,
                better="lower",
            )
        )
        resume = runs.resume
        clean = resume["duplicates"] == 0 and resume["missing"] == 0 and resume["resume_exit_status"] == 0
        self.rows.append(
            make_row(
                f"kill at 50% then `--resume` ({resume['rows']:,} rows): duplicates + missing",
                float(resume["duplicates"] + resume["missing"]),
                0.0,
                unit="rows",
                reference_name="none allowed",
                target=0.0,
                better="lower",
                ratio=0.0 if clean else 1.0,
                details=resume,
            )
        )
        self.extra["bulk"] = asdict(runs)

    def streams(self) -> None:
        runs = streams.measure_streams(self.settings.rounds)
        ours, raw, ours_first, raw_first = streams.stream_summary(runs)
        self.rows.append(
            make_row(
                f"`Stream` parse, one {runs.chunks:,}-chunk reply",
                ours,
                raw,
                unit="chunks/s",
                reference_name="raw httpx `iter_lines` + `json.loads`",
                target=0.9,
                better="higher",
            )
        )
        self.rows.append(
            make_row(
                "time to first chunk (median)",
                ours_first,
                raw_first,
                unit="ms",
                reference_name="raw httpx",
                target=None,
                better="lower",
                details={"difference_ms": ours_first - raw_first},
                max_difference=0.2,
            )
        )
        self.extra["streams"] = asdict(runs)


def main(argv: list[str] | None = None) -> int:
    settings, out, strict = _parse(sys.argv[1:] if argv is None else argv)
    bench = Bench(settings)
    steps: dict[str, Callable[[], None]] = {
        "server": bench.choose_server,
        "sync": bench.sync,
        "async": bench.async_,
        "imports": bench.imports,
        "validation": bench.validation,
        "codegen": bench.codegen,
        "memory": bench.memory,
        "bulk": bench.bulk,
        "streams": bench.streams,
    }
    if bench.port_kind == "auto" and "server" not in settings.sections:
        bench.port_kind = "stdlib"
    started = time.perf_counter()
    load_before = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    for name in SECTIONS:
        if name in settings.sections:
            _log(f"bench: {name} ...")
            section_started = time.perf_counter()
            steps[name]()
            _log(f"bench: {name} done in {time.perf_counter() - section_started:.1f} s")
    machine = machine_facts()
    elapsed = time.perf_counter() - started
    print(table(bench.rows))
    print()
    print(machine_line(machine))
    print(
        f"Total bench time {elapsed:.0f} s; results in {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}"
    )
    # Other work on the machine while the bench ran (the figures are ratios taken side by side for this).
    load = {"before": load_before, "after": os.getloadavg()[0] if hasattr(os, "getloadavg") else None}
    print(f"Load average (1 min) before/after: {load['before']} / {load['after']}")
    write_json(
        out,
        machine,
        {**asdict(settings), "elapsed_s": elapsed, "load_average_1m": load},
        bench.rows,
        bench.extra,
    )
    missed = [row.figure for row in bench.rows if row.passed is False]
    if missed:
        print(f"Missed targets: {'; '.join(missed)} (see bench/results for the details)")
    return 1 if strict and missed else 0
