"""Import cost in fresh interpreters: `-X importtime` (what the statement imports) and wall time minus a
bare interpreter. Children cache bytecode (see `common.child_env`), as an installed package would."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bench.common import median, rotated, run_python, timed_python

STATEMENTS: dict[str, str] = {
    "bare": "pass",
    "import workers_ai": "import workers_ai",
    "from workers_ai import WorkersAI": "from workers_ai import WorkersAI",
    "import cloudflare": "import cloudflare",
    "import httpx": "import httpx",
}
_LINE = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)$")


def _top_level_imports(stderr: str) -> dict[str, int]:
    """Top-level (not nested) imports of one `-X importtime` run: name -> cumulative microseconds."""
    found: dict[str, int] = {}
    for line in stderr.splitlines():
        match = _LINE.match(line)
        if match and match.group(3) == " ":
            found[match.group(4)] = int(match.group(2))
    return found


def importtime_us(statement: str, startup: set[str]) -> int:
    """Microseconds `-X importtime` charges to `statement`: every top-level import the bare
    interpreter does not also make (site, encodings, ... are excluded)."""
    done = run_python(["-X", "importtime", "-c", statement])
    return sum(us for name, us in _top_level_imports(done.stderr).items() if name not in startup)


@dataclass
class ImportRuns:
    wall: dict[str, list[float]] = field(default_factory=dict)
    importtime: dict[str, list[float]] = field(default_factory=dict)

    def wall_over_bare(self, name: str) -> float:
        """Median seconds above the bare interpreter (per round, so drift cancels)."""
        return median([w - b for w, b in zip(self.wall[name], self.wall["bare"], strict=True)])

    def importtime_s(self, name: str) -> float:
        return median(self.importtime[name]) / 1e6


def measure(rounds: int) -> ImportRuns:
    names = list(STATEMENTS)
    for statement in STATEMENTS.values():  # warm: bytecode written, files in the page cache
        run_python(["-c", statement])
    startup = set(_top_level_imports(run_python(["-X", "importtime", "-c", "pass"]).stderr))
    runs = ImportRuns()
    for round_no in range(rounds):
        for name in rotated(names, round_no):
            runs.wall.setdefault(name, []).append(timed_python(["-c", STATEMENTS[name]]))
            if name != "bare":
                runs.importtime.setdefault(name, []).append(float(importtime_us(STATEMENTS[name], startup)))
    return runs


def biggest_imports(statement: str, limit: int = 12) -> list[tuple[str, float]]:
    """The slowest top-level and second-level imports of `statement` (ms, cumulative), for the report."""
    done = run_python(["-X", "importtime", "-c", statement])
    rows: list[tuple[str, float]] = []
    for line in done.stderr.splitlines():
        match = _LINE.match(line)
        if match and len(match.group(3)) <= 3:
            rows.append((match.group(3)[1:] + match.group(4), int(match.group(2)) / 1000))
    rows.sort(key=lambda item: -item[1])
    return rows[:limit]
