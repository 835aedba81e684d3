"""`python -m generator generate --schemas DIR --out DIR`."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from generator.diagnostics import DiagnosticError, Severity


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("generate", help="generate the workers_ai package from a schema folder")
    parser.add_argument("--schemas", type=Path, required=True, help="folder of catalog model files (*.json)")
    parser.add_argument("--out", type=Path, required=True, help="output folder (gets workers_ai/ and docs/)")
    parser.add_argument(
        "--cache-dir", type=Path, default=None, help="codegen cache (default: <out>/../.generator-cache)"
    )
    parser.add_argument("--no-cache", action="store_true", help="neither read nor write the codegen cache")
    parser.add_argument("--force", action="store_true", help="regenerate even when nothing changed")
    parser.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from generator.pipeline import generate

    started = time.perf_counter()
    cache_dir = None if args.no_cache else (args.cache_dir or args.out.resolve().parent / ".generator-cache")
    try:
        diagnostics = generate(args.schemas, args.out, cache_dir=cache_dir, force=args.force)
    except DiagnosticError as exc:
        for diagnostic in exc.diagnostics:
            print(diagnostic, file=sys.stderr)
        errors = sum(d.severity is Severity.ERROR for d in exc.diagnostics)
        print(f"generate: {errors} error(s); {args.out} left unchanged", file=sys.stderr)
        return 1
    if not args.quiet:
        for diagnostic in diagnostics:
            print(diagnostic, file=sys.stderr)
        print(
            f"generated {args.out / 'workers_ai'} in {time.perf_counter() - started:.2f} s", file=sys.stderr
        )
    return 0
