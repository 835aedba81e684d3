"""The result rows, the printed table (Markdown, pasted into README) and `bench/results/latest.json`."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

Better = Literal["higher", "lower"]


@dataclass(frozen=True)
class Row:
    """One figure: `ratio` is ours / reference; the target is `ratio >= target` when `better` is
    "higher" (throughput) and `ratio <= target` when "lower" (times, memory)."""

    figure: str
    ours: float
    reference: float
    unit: str
    reference_name: str
    target: float | None  # None: reported for information, no target
    better: Better
    ratio: float
    strict: bool = False  # "<" / ">" instead of "<=" / ">="
    extra_limit: float | None = None  # e.g. "< 3 s wall" on `ours`
    details: dict[str, Any] = field(default_factory=dict)
    # A target on the difference rather than the ratio (with `target` None): `ours` at most this much
    # above the reference, in `unit` (e.g. time to first chunk within 0.2 ms of raw httpx).
    max_difference: float | None = None

    @property
    def passed(self) -> bool | None:
        if self.target is None:
            if self.max_difference is not None:
                return self.ours - self.reference <= self.max_difference
            return None
        if self.better == "higher":
            ok = self.ratio > self.target if self.strict else self.ratio >= self.target
        else:
            ok = self.ratio < self.target if self.strict else self.ratio <= self.target
        if self.extra_limit is not None:
            ok = ok and self.ours < self.extra_limit
        return ok

    @property
    def target_text(self) -> str:
        if self.target is None:
            if self.max_difference is not None:
                return f"<= reference + {self.max_difference:g} {self.unit}"
            return "(info)"
        sign = (">" if self.better == "higher" else "<") + ("" if self.strict else "=")
        text = f"{sign} {self.target:g}x"
        if self.extra_limit is not None:
            text += f", < {self.extra_limit:g} {self.unit}"
        return text

    @property
    def result_text(self) -> str:
        return {True: "pass", False: "FAIL", None: "-"}[self.passed]


def make_row(
    figure: str,
    ours: float,
    reference: float,
    *,
    unit: str,
    reference_name: str,
    target: float | None,
    better: Better,
    ratio: float | None = None,
    strict: bool = False,
    extra_limit: float | None = None,
    details: dict[str, Any] | None = None,
    max_difference: float | None = None,
) -> Row:
    return Row(
        figure=figure,
        ours=ours,
        reference=reference,
        unit=unit,
        reference_name=reference_name,
        target=target,
        better=better,
        ratio=ours / reference if ratio is None else ratio,
        strict=strict,
        extra_limit=extra_limit,
        details=details or {},
        max_difference=max_difference,
    )


def _number(value: float, unit: str) -> str:
    if value >= 100:
        text = f"{value:,.0f}"
    elif value >= 10:
        text = f"{value:.1f}"
    else:
        text = f"{value:.3g}"
    return f"{text} {unit}"


def table(rows: list[Row]) -> str:
    lines = [
        "| figure | ours | reference | ratio | target | result |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        lines.append(
            f"| {row.figure} | {_number(row.ours, row.unit)} | {_number(row.reference, row.unit)} "
            f"({row.reference_name}) | {row.ratio:.3g}x | {row.target_text} | {row.result_text} |"
        )
    return "\n".join(lines)


def machine_line(machine: dict[str, Any]) -> str:
    packages = ", ".join(f"{name} {version}" for name, version in machine["packages"].items())
    return (
        f"Machine: {machine['cpu']} ({machine['cores']} cores), {machine['os']}, "
        f"Python {machine['python']}; {packages}; commit {machine['commit']}."
    )


def write_json(
    path: Path, machine: dict[str, Any], settings: dict[str, Any], rows: list[Row], extra: dict[str, Any]
) -> None:
    document = {
        "machine": machine,
        "settings": settings,
        "rows": [{**asdict(row), "passed": row.passed, "target_text": row.target_text} for row in rows],
        "all_passed": all(row.passed is not False for row in rows),
        **extra,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(document, indent=1, sort_keys=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)
