"""How much a call through AI Gateway costs the client compared with a plain call.

    .venv/bin/python -m bench.gateway_overhead [--calls 2000] [--rounds 5]

Contenders against the bench server (its own process): a plain `run()`; a client with a usual set of
gateway options (id, cache TTL, metadata, gateway retries: headers built once); a client with every
gateway option (11 headers); a plain client given every option on each call (one `GatewayOptions`
object reused). Blocks of calls alternate between them as in
`throughput.py`; the figure is the median over rounds of each round's rate ratio (target: >= 0.95).
"""

from __future__ import annotations

import argparse

from bench import server, throughput
from bench.common import median

NAMES = [
    "workers_ai",
    "workers_ai gateway",
    "workers_ai gateway, every option",
    "workers_ai per-call gateway, every option",
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    with server.serve("stdlib") as port:
        runs = throughput.run_sync(port, NAMES, args.calls, args.rounds)
    per = runs.per_round
    # Client CPU per call is steadier than wall time on a shared machine: report both.
    cpu = {
        n: [share / rate * 1e6 for share, rate in zip(runs.cpu_share[n], per[n], strict=True)] for n in NAMES
    }
    plain = per["workers_ai"]
    print(
        f"plain run(): {median(plain):,.0f} calls/s, {median(cpu['workers_ai']):.0f} us client CPU per call"
    )
    for name in NAMES[1:]:
        ratio = median([x / y for x, y in zip(per[name], plain, strict=True)])
        cpu_ratio = median([x / y for x, y in zip(cpu[name], cpu["workers_ai"], strict=True)])
        print(
            f"{name}: {median(per[name]):,.0f} calls/s, {ratio:.3f}x plain ({(ratio - 1) * 100:+.1f}%); "
            f"{median(cpu[name]):.0f} us CPU per call, {cpu_ratio:.3f}x plain"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
