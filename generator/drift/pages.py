"""Read a Workers AI per-task docs page (Hugo markdown of 2023-24): model ids, example response, schemas.

Page layout: a model table (`| \\`@cf/...\\` | ... |`), examples, then the example response — the first
```json block after "**Example Workers AI response**" (or, on pages without that marker, the first one in
the "## Responses" section) and before "## API schema" — then "### Input" and "### Output" JSON blocks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_FENCE = re.compile(r"^\s*```\s*([\w+-]*)\s*$")
_MODEL_ROW = re.compile(r"^\|\s*`(@[^`]+)`")
_EXAMPLE_MARKER = "example workers ai response"


@dataclass(frozen=True)
class CodeBlock:
    lang: str
    text: str
    first_line: int  # 1-based line of the page on which the block's content starts


@dataclass(frozen=True)
class DocsPage:
    path: Path
    model_ids: tuple[str, ...]
    example: CodeBlock | None
    input_schema: CodeBlock | None
    output_schema: CodeBlock | None


def _blocks(lines: list[str]) -> list[tuple[int, CodeBlock]]:
    """Fenced blocks, each with the index of its opening fence line."""
    found: list[tuple[int, CodeBlock]] = []
    start: int | None = None
    lang = ""
    for i, line in enumerate(lines):
        fence = _FENCE.match(line)
        if not fence:
            continue
        if start is None:
            start, lang = i, fence.group(1).lower()
        else:
            found.append((start, CodeBlock(lang, "\n".join(lines[start + 1 : i]) + "\n", start + 2)))
            start = None
    return found


def _first_json_between(blocks: list[tuple[int, CodeBlock]], begin: int | None, end: int) -> CodeBlock | None:
    if begin is None:
        return None
    return next((b for at, b in blocks if begin < at < end and b.lang == "json"), None)


def parse_page(path: Path, text: str) -> DocsPage:
    lines = text.splitlines()
    blocks = _blocks(lines)
    in_block = {i for at, b in blocks for i in range(at, at + b.text.count("\n") + 2)}

    def heading(pattern: str) -> int | None:
        return next(
            (
                i
                for i, line in enumerate(lines)
                if i not in in_block and re.match(pattern, line.strip(), re.I)
            ),
            None,
        )

    api_schema = heading(r"^##\s+API schema") or len(lines)
    marker = next(
        (i for i, line in enumerate(lines) if i not in in_block and _EXAMPLE_MARKER in line.lower()), None
    )
    responses = heading(r"^##\s+Responses\b")
    example = _first_json_between(blocks, marker if marker is not None else responses, api_schema)
    input_at = heading(r"^###\s+Input\b")
    output_at = heading(r"^###\s+Output\b")
    models = tuple(m.group(1) for line in lines if (m := _MODEL_ROW.match(line.strip())))
    return DocsPage(
        path=path,
        model_ids=models,
        example=example,
        input_schema=_first_json_between(blocks, input_at, output_at or len(lines)),
        output_schema=_first_json_between(blocks, output_at, len(lines)),
    )
