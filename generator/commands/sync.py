"""`python -m generator sync [--schemas DIR] [--check] [--base-url URL]`: the live catalog into schemas/.

Exit codes: 0 in sync (or updated), 1 drift found with --check, or updated except for models whose schema
could not be read (their files are kept and named), 2 could not sync (settings, network, API errors on the
model list, unreadable folder) — in which case nothing was written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator.sync import Settings, SyncError, plan_against_catalog, plan_lines, replace_model_files


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "sync",
        help="fetch the live Workers AI catalog into the schema folder (or --check it)",
        description="Reads CLOUDFLARE_ACCOUNT_ID, CLOUDFLARE_API_TOKEN and CLOUDFLARE_BASE_URL "
        "(default https://api.cloudflare.com/client/v4). Without --check the schema folder is replaced "
        "atomically; files starting with '_' are kept.",
    )
    parser.add_argument(
        "--schemas", type=Path, default=Path("schemas"), help="schema folder (default: schemas)"
    )
    parser.add_argument(
        "--check", action="store_true", help="report added/removed/changed models; write nothing"
    )
    parser.add_argument("--base-url", help="API base URL (overrides CLOUDFLARE_BASE_URL)")
    parser.add_argument("--per-page", type=int, default=100, help=argparse.SUPPRESS)
    parser.set_defaults(handler=run)


def sync(folder: Path, settings: Settings, *, check: bool, per_page: int = 100) -> int:
    """Print the comparison with the live catalog; write it unless `check`. Raises SyncError (fit for users)."""
    plan = plan_against_catalog(folder, settings, per_page)
    for line in plan_lines(plan, str(folder)):
        print(line)
    if check:
        return 1 if plan.has_drift else 0
    if plan.added or plan.removed or plan.changed or plan.metadata_only:
        replace_model_files(folder, plan.files)
        print(f"sync: {folder} updated; run `make generate` next")
    elif not plan.unreadable:
        print(f"sync: {folder} already matches the catalog; nothing written")
    if plan.unreadable:
        print(
            f"sync: {len(plan.unreadable)} model(s) could not be read (see 'failed' above); their files were kept",
            file=sys.stderr,
        )
        return 1
    return 0


def run(args: argparse.Namespace) -> int:
    try:
        settings = Settings.from_env(base_url=args.base_url)
        return sync(args.schemas, settings, check=args.check, per_page=args.per_page)
    except SyncError as exc:
        print(f"sync: error: {exc} ({type(exc).__name__}); {args.schemas} was not modified", file=sys.stderr)
        return 2
