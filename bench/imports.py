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


# A first call in a fresh interpreter, from the first import to the parsed result: what a script or a
# serverless function pays once. Each child prints its own CPU milliseconds (steadier than wall time on a
# shared machine) and wall milliseconds.
_FIRST_CALL_TIMER = "import time\nwall, cpu = time.perf_counter(), time.process_time()\n"
_FIRST_CALL_REPORT = "\nprint((time.process_time() - cpu) * 1000, (time.perf_counter() - wall) * 1000)\n"
FIRST_CALLS: dict[str, str] = {
    "workers_ai": (
        "from workers_ai import WorkersAI\n"
        "client = WorkersAI(account_id={account!r}, api_token={token!r}, base_url={base_url!r})\n"
        "client.text_classification(text='I love this')\n"
    ),
    "httpx": (
        "import json, httpx\n"
        "client = httpx.Client(headers={{'authorization': 'Bearer ' + {token!r}}})\n"
        "reply = client.post({base_url!r} + '/accounts/' + {account!r} + '/ai/run/' + {model!r},"
        " json={{'text': 'I love this'}})\n"
        "json.loads(reply.content)['result']\n"
    ),
}


@dataclass
class FirstCallRuns:
    cpu_ms: dict[str, list[float]] = field(default_factory=dict)
    wall_ms: dict[str, list[float]] = field(default_factory=dict)


def measure_first_call(rounds: int, base_url: str, account: str, token: str, model: str) -> FirstCallRuns:
    runs = FirstCallRuns()
    names = list(FIRST_CALLS)
    sources = {
        name: _FIRST_CALL_TIMER
        + body.format(base_url=base_url, account=account, token=token, model=model)
        + _FIRST_CALL_REPORT
        for name, body in FIRST_CALLS.items()
    }
    for source in sources.values():  # warm: bytecode written, files in the page cache
        run_python(["-c", source])
    for round_no in range(rounds):
        for name in rotated(names, round_no):
            cpu, wall = map(float, run_python(["-c", sources[name]]).stdout.split())
            runs.cpu_ms.setdefault(name, []).append(cpu)
            runs.wall_ms.setdefault(name, []).append(wall)
    return runs
