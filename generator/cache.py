"""Content-hash cache of datamodel-code-generator output.

Keyed by the prepared schema, the class name, the generator's own source and the pinned
datamodel-code-generator version, so a hit is always what a fresh run would produce.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from generator.schema import json_hash

_SOURCE_ROOT = Path(__file__).resolve().parent
# What decides the output; drift checks, diff and sync do not, so editing them regenerates nothing.
_OUTPUT_SOURCES = (
    "load",
    "ir",
    "emit",
    "runtime",
    "naming.py",
    "schema.py",
    "write.py",
    "pipeline.py",
    "cache.py",
)


@cache
def generator_fingerprint() -> str:
    digest = hashlib.sha256()
    paths = [
        p
        for name in _OUTPUT_SOURCES
        for p in [_SOURCE_ROOT / name, *sorted((_SOURCE_ROOT / name).rglob("*"))]
    ]
    for path in sorted(paths):
        if path.is_file() and path.suffix in (".py", ".jinja", ".typed") and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(_SOURCE_ROOT)).encode())
            digest.update(path.read_bytes())
    for dist in ("datamodel-code-generator", "pydantic", "jinja2"):
        digest.update(f"{dist}={metadata.version(dist)}".encode())
    return digest.hexdigest()


class CodegenCache:
    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    def key(self, schema: dict[str, Any], class_name: str, is_output: bool) -> str:
        return json_hash([generator_fingerprint(), schema, class_name, is_output])

    def get(self, key: str) -> str | None:
        if self.folder is None:
            return None
        try:
            return (self.folder / f"{key}.py.txt").read_text(encoding="utf-8")
        except OSError:
            return None

    def put(self, key: str, code: str) -> None:
        if self.folder is None:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            # Written beside, then renamed: a concurrent or killed run never leaves half an entry.
            fd, tmp = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(code)
            os.replace(tmp, self.folder / f"{key}.py.txt")
        except OSError:
            pass  # a cache that cannot be written only costs time
