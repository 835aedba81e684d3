"""Text and JSON renderings of a change list. The JSON document is stable: fixed key order, no timestamps."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence

from generator.schemadiff.changes import Change, Level


def counts(changes: Sequence[Change]) -> dict[str, int]:
    found = Counter(c.level for c in changes)
    return {level.value: found.get(level, 0) for level in Level}


def render_text(changes: Sequence[Change], *, show_info: bool = False) -> str:
    lines = [str(c) for c in changes if show_info or c.level is not Level.INFO]
    n = counts(changes)
    hidden = "" if show_info or not n["info"] else " (info hidden; --show-info lists them)"
    lines.append(f"{n['breaking']} breaking, {n['ok']} compatible, {n['info']} info{hidden}")
    return "\n".join(lines) + "\n"


def render_json(changes: Sequence[Change]) -> str:
    document = {
        "breaking": any(c.level is Level.BREAKING for c in changes),
        "counts": counts(changes),
        "changes": [c.to_json() for c in changes],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
