"""`python -m generator diff OLD NEW [--json] [--show-info]`: the breaking-change report.

Exit codes: 0 no breaking change, 1 at least one breaking change, 2 unreadable input.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator.diagnostics import DiagnosticError
from generator.schemadiff import Level, compare_sides, read_side, render_json, render_text
from generator.schemadiff.changes import Change


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "diff",
        help="classify the changes between two schema versions as breaking or not",
        description="OLD and NEW are each a folder of model files, one model file, or a file holding "
        'a bare {"input": ..., "output": ...} pair. Exit 1 if any change is breaking, 2 on unreadable input.',
    )
    parser.add_argument("old", type=Path, help="the schemas users' code was written against")
    parser.add_argument("new", type=Path, help="the schemas to compare with")
    parser.add_argument("--json", action="store_true", help="print a JSON document instead of text")
    parser.add_argument("--show-info", action="store_true", help="also list description-only changes")
    parser.set_defaults(handler=run)


def _renames(old: Path, new: Path) -> list[Change]:
    """A public name of the generated package that disappears for a model that stays is breaking."""
    from generator.emit.surface import renamed_names

    return [
        Change(module, "", Level.BREAKING, "name.removed", f"public name {name or module} removed or renamed")
        for module, name in renamed_names(old, new)
    ]


def run(args: argparse.Namespace) -> int:
    try:
        old = read_side(args.old)
        new = read_side(args.new)
    except DiagnosticError as exc:
        for diagnostic in exc.diagnostics:
            print(f"diff: cannot read {diagnostic}", file=sys.stderr)
        return 2
    changes = compare_sides(old, new) + _renames(args.old, args.new)
    sys.stdout.write(render_json(changes) if args.json else render_text(changes, show_info=args.show_info))
    return 1 if any(c.level is Level.BREAKING for c in changes) else 0
