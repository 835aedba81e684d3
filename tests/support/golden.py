"""The golden catalog's expected output: what the generator makes of tests/fixtures/golden/schemas.

Kept under tests/fixtures/golden/expected, without the two things that are not made from the schemas:
the runtime modules (copies of generator/runtime, checked as such) and MANIFEST.json (it holds the
generator's own fingerprint, which every edit of the generator changes). Each file is stored with the
suffix `.golden`: it is expected data, not code that linters, type checkers or test collection should
read as the project's own.

After a deliberate change of the generated code, refresh it and review the diff:

    .venv/bin/python -m tests.support.golden
"""

from __future__ import annotations

import shutil
from pathlib import Path

from generator.pipeline import generate
from tests.support.model_files import CODEGEN_CACHE, GOLDEN_SCHEMAS, REPO

GOLDEN_EXPECTED = REPO / "tests" / "fixtures" / "golden" / "expected"
RUNTIME = REPO / "generator" / "runtime"
MANIFEST = "MANIFEST.json"
SUFFIX = ".golden"


def runtime_copies(out: Path) -> list[Path]:
    """The files of `out` that are copies of generator/runtime."""
    return [out / "workers_ai" / p.name for p in sorted(RUNTIME.iterdir()) if p.is_file()]


def generate_golden(out: Path) -> dict[str, bytes]:
    """Generate the golden catalog into `out`, then take out what the expected tree leaves out.

    Returns the runtime copies taken out (file name -> bytes).
    """
    generate(GOLDEN_SCHEMAS, out, cache_dir=CODEGEN_CACHE)
    copies = {copy.name: copy.read_bytes() for copy in runtime_copies(out)}
    for copy in runtime_copies(out):
        copy.unlink()
    (out / MANIFEST).unlink()
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        path.rename(path.with_name(path.name + SUFFIX))
    return copies


def refresh() -> None:
    scratch = GOLDEN_EXPECTED.parent / ".expected-new"
    shutil.rmtree(scratch, ignore_errors=True)
    generate_golden(scratch)
    shutil.rmtree(GOLDEN_EXPECTED, ignore_errors=True)
    scratch.rename(GOLDEN_EXPECTED)
    print(f"refreshed {GOLDEN_EXPECTED.relative_to(REPO)}; review it with `git diff`")


if __name__ == "__main__":
    refresh()
