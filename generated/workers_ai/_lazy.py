# Copied by workers-ai-codegen from generator/runtime/_lazy.py: edit it there.
"""Names a package exports but imports only when first read (PEP 562 module `__getattr__`).

Keeps `import workers_ai` and `import workers_ai.types` cheap: a model's pydantic classes load when a
program first names them (or first calls the model). Each exported name maps to `module:attribute`,
or to several joined by ` | ` for a type alias that is a union (`X | ImageOutput`).
"""

from __future__ import annotations

import functools
import importlib
import operator
import sys
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["lazy_exports"]


def _resolve(target: str) -> Any:
    values = []
    for part in target.split(" | "):
        module, _, attribute = part.partition(":")
        imported = importlib.import_module(module)
        values.append(getattr(imported, attribute) if attribute else imported)
    return functools.reduce(operator.or_, values)


def lazy_exports(
    package: str, exports: Mapping[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """`__getattr__` and `__dir__` for `package`, resolving `exports` on first use."""

    def __getattr__(name: str) -> Any:
        target = exports.get(name)
        if target is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = _resolve(target)
        setattr(sys.modules[package], name, value)  # later reads skip this function
        return value

    def __dir__() -> list[str]:
        return sorted({*exports, *getattr(sys.modules[package], "__all__", ())})

    return __getattr__, __dir__
