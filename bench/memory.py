"""Resident memory of a process with a client and every model's types imported vs `import httpx` alone."""

from __future__ import annotations

from dataclasses import dataclass, field

from bench.common import median, rotated, run_python

_RSS = """
def _rss_kib():
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
"""

SCRIPTS: dict[str, str] = {
    "httpx": _RSS + "import httpx\nprint(_rss_kib())\n",
    "workers_ai": _RSS
    + """
import workers_ai
from workers_ai import WorkersAI
from workers_ai._registry import MODELS, UNTYPED_MODELS
from workers_ai._spec import import_type

client = WorkersAI(account_id="bench", api_token="bench")
types = [import_type(ref) for spec in MODELS.values() for ref in (spec.input_type, spec.output_type) if ref]
names = [getattr(workers_ai, name) for name in workers_ai.__all__]
print(_rss_kib(), len(MODELS) + len(UNTYPED_MODELS), len(set(types)), len(names))
""",
}


@dataclass
class MemoryRuns:
    kib: dict[str, list[float]] = field(default_factory=dict)
    models: int = 0
    types: int = 0


def measure(rounds: int) -> MemoryRuns:
    runs = MemoryRuns()
    for round_no in range(rounds):
        for name in rotated(list(SCRIPTS), round_no):
            fields = run_python(["-c", SCRIPTS[name]]).stdout.split()
            runs.kib.setdefault(name, []).append(float(fields[0]))
            if name == "workers_ai":
                runs.models, runs.types = int(fields[1]), int(fields[2])
    return runs


def summary(runs: MemoryRuns) -> tuple[float, float]:
    """(workers_ai MiB, httpx MiB), medians."""
    return median(runs.kib["workers_ai"]) / 1024, median(runs.kib["httpx"]) / 1024
