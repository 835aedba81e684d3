"""`python -m generator check`: every drift check, one line per finding, a summary, exit 1 on failure.

python -m generator check --schemas schemas --generated generated --fixtures tests/fixtures [--strict-live]
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from pathlib import Path

from generator.diagnostics import Severity
from generator.drift import Finding, Status, check_code, check_docs, check_fixtures, check_live
from generator.drift.curated import check_curated
from generator.drift.openapi import check_openapi
from generator.load import load_schemas

STEPS = ("code", "fixtures", "docs", "openapi", "curated", "live")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "check",
        help="drift checks: committed code, fixtures and docs pages vs schemas (and the live catalog)",
        description="Exit 1 if any check finds unexpected drift, or expected drift that no longer reproduces.",
    )
    parser.add_argument("--schemas", type=Path, default=Path("schemas"))
    parser.add_argument("--generated", type=Path, default=Path("generated"))
    parser.add_argument("--fixtures", type=Path, default=Path("tests/fixtures"))
    parser.add_argument("--docs", type=Path, help="docs pages folder (default: FIXTURES/docs-pages)")
    parser.add_argument(
        "--strict-live", action="store_true", help="fail, instead of skipping, without credentials"
    )
    parser.add_argument(
        "--skip", action="append", choices=STEPS, default=[], help="skip a check (repeatable)"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="also print info lines")
    parser.set_defaults(handler=run)


def summary(findings: Sequence[Finding], counts: dict[str, str]) -> str:
    failed = sum(f.status is Status.FAIL for f in findings)
    expected = sum(f.status is Status.EXPECTED for f in findings)
    checked = ", ".join(f"{name}: {text}" for name, text in counts.items())
    verdict = f"FAILED: {failed} failure(s)" if failed else "OK"
    return f"check {verdict}; {expected} expected drift(s) still reproduce; {checked}"


def run(args: argparse.Namespace) -> int:
    loaded = load_schemas(args.schemas)
    findings = [
        Finding("schemas", Status.FAIL, d.file, d.message, pointer=d.pointer)
        for d in loaded.diagnostics
        if d.severity is Severity.ERROR
    ]
    models = {m.id: m for m in loaded.models}
    counts: dict[str, str] = {"schemas": f"{len(models)} models"}
    if "code" not in args.skip:
        code = check_code(args.schemas, args.generated)
        findings += code
        counts["code"] = f"{sum(f.status is Status.FAIL for f in code)} file(s) differ"
    # Each check: its name (for --skip), the call (findings, how many it read), and how the count reads.
    counted: list[tuple[str, Callable[[], tuple[list[Finding], int]], str]] = [
        ("fixtures", lambda: check_fixtures(args.fixtures, models), "{} file(s)"),
        ("docs", lambda: check_docs(args.docs or args.fixtures / "docs-pages", models), "{} page(s)"),
        ("openapi", lambda: check_openapi(args.fixtures / "openapi", models), "{} model(s) with a path"),
        ("curated", lambda: check_curated(args.schemas, loaded), "{} example(s), defaults"),
    ]
    for name, check, count in counted:
        if name not in args.skip:
            found, n = check()
            findings += found
            counts[name] = count.format(n)
    if "live" not in args.skip:
        live = check_live(args.schemas, strict=args.strict_live)
        findings += live
        counts["live"] = "skipped" if any("skipped" in f.message for f in live) else "compared"
    for finding in findings:
        if finding.status is not Status.INFO or args.verbose or finding.check == "live":
            print(finding.render(args.verbose))
    print(summary(findings, counts))
    return 1 if any(f.status is Status.FAIL for f in findings) else 0
