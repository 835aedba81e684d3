"""Command line: `python -m generator [generate|check|diff|sync] ...`.

`python -m generator --schemas DIR --out DIR` (no sub-command) means `generate`, as documented.
Each sub-command lives in `generator/commands/<name>.py` and exposes `register(subparsers)`, which
sets `handler` (args -> exit code). Only the chosen command's module is imported, so `generate`
does not pay for the HTTP stack that `sync` needs.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence

COMMANDS = {
    "generate": "generate the workers_ai package from a schema folder",
    "check": "drift checks: committed code, fixtures and docs pages vs schemas (and the live catalog)",
    "diff": "classify the changes between two schema versions as breaking or not",
    "sync": "fetch the live Workers AI catalog into the schema folder (or --check it)",
}


def build_parser(command: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m generator",
        description="Workers AI schema -> typed Python client generator.",
        epilog="commands: " + "; ".join(f"{name}: {text}" for name, text in COMMANDS.items()),
    )
    subparsers = parser.add_subparsers(dest="command", required=True)
    module = importlib.import_module(f"generator.commands.{command}")
    register: Callable[[argparse._SubParsersAction[argparse.ArgumentParser]], None] = module.register
    register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list and args_list[0] in ("-h", "--help"):
        print("usage: python -m generator {" + ",".join(COMMANDS) + "} ...\n")
        for name, text in COMMANDS.items():
            print(f"  {name:9} {text}")
        print("\n`python -m generator --schemas DIR --out DIR` is short for `generate`.")
        return 0
    if not args_list or args_list[0] not in COMMANDS:
        args_list.insert(0, "generate")
    args = build_parser(args_list[0]).parse_args(args_list)
    try:
        code: int = args.handler(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    return code
