"""The Python examples of the generated docs pages, for the tests that type-check and run them."""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "generated" / "docs"
README = REPO / "README.md"
# A fenced Python block of a Markdown page (the docs pages, the README); group 1 is its code.
PYTHON_BLOCK = re.compile(r"```python\n(.*?)```", re.DOTALL)
_REVEAL = re.compile(r"^(\s*)(.*?)# reveal_type\((\w+)\): (.+)$")
_TITLE = re.compile(r"^# `([^`]+)`", re.MULTILINE)
_NAME = re.compile(r"\b[A-Z]\w*\b")
# Names `workers_ai` exports itself; every other type name comes from `workers_ai.types`.
_RUNTIME_NAMES = frozenset({"ImageOutput", "AudioOutput", "BinaryOutput", "TextGenerationChunk", "Stream"})


@dataclass(frozen=True)
class PageExample:
    page: Path
    model: str
    code: str

    @property
    def function_name(self) -> str:
        return "page_" + re.sub(r"\W", "_", str(self.page.relative_to(DOCS)).removesuffix(".md"))


def page_examples() -> list[PageExample]:
    found = []
    for page in sorted(DOCS.glob("*/*.md")):
        text = page.read_text(encoding="utf-8")
        title, block = _TITLE.search(text), PYTHON_BLOCK.search(text)
        if title and block:
            found.append(PageExample(page, title[1], block[1]))
    return found


def readme_example(section: str) -> str:
    """The first Python example under the README's `## <section>` heading."""
    text = README.read_text(encoding="utf-8")
    block = PYTHON_BLOCK.search(text, text.index(f"## {section}\n"))
    assert block is not None, f"README.md has no Python example under ## {section}"
    return block[1]


def checked_module(examples: list[PageExample]) -> str:
    """One module with a function per page: the example as written, each `# reveal_type(x): T` comment
    turned into `assert_type(x, T)` so the checkers confirm the type the page names."""
    functions = []
    for example in examples:
        lines, names = [], set()
        for line in example.code.splitlines():
            match = _REVEAL.match(line)
            if match:
                indent, code, variable, type_expr = match.groups()
                if code.strip():
                    lines.append(f"{indent}{code.rstrip()}")
                    indent += "    "
                lines.append(f"{indent}assert_type({variable}, {type_expr})")
                names |= set(_NAME.findall(type_expr))
            else:
                lines.append(line)
        runtime = sorted(names & _RUNTIME_NAMES)
        generated = sorted(names - _RUNTIME_NAMES)
        imports = f"from workers_ai import {', '.join(runtime)}\n" if runtime else ""
        imports += f"from workers_ai.types import {', '.join(generated)}\n" if generated else ""
        body = textwrap.indent("from typing import assert_type\n" + imports + "\n".join(lines), "    ")
        functions.append(f"def {example.function_name}() -> None:\n{body}\n")
    return (
        "# pyright: strict\n# Made from the docs pages' examples by tests/support/docs_examples.py.\n\n\n"
        + "\n\n".join(functions)
    )
