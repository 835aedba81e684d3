"""Code vs schemas: regenerate into a temporary folder and compare with the committed tree byte for byte.

The generator can be passed in (default: `generator.pipeline.generate`); it must write
`<out>/workers_ai/...` and `<out>/docs/...` and raise `DiagnosticError` on bad schemas.
"""

from __future__ import annotations

import difflib
import functools
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from generator.diagnostics import Diagnostic, DiagnosticError, Severity
from generator.drift.findings import Finding, Status
from generator.pipeline import generate as generate_package

CHECK = "code"
DIFF_LINES = 20
Generate = Callable[[Path, Path], object]
# Build and cache droppings that are not part of the committed output.
_IGNORED_DIRS = {"__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache"}
_IGNORED_SUFFIXES = (".pyc", ".pyo")


def tree_files(root: Path) -> Iterator[str]:
    """Relative POSIX paths of all files under root, skipping caches."""
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if any(part in _IGNORED_DIRS or part.endswith(".egg-info") for part in relative.parts):
            continue
        if path.is_file() and not path.name.endswith(_IGNORED_SUFFIXES):
            yield relative.as_posix()


def diff_summary(committed: bytes, fresh: bytes, name: str, limit: int = DIFF_LINES) -> str:
    """The first `limit` lines of a unified diff (committed -> regenerated), or a note for binary files."""
    try:
        old_lines = committed.decode("utf-8").splitlines(keepends=True)
        new_lines = fresh.decode("utf-8").splitlines(keepends=True)
    except UnicodeDecodeError:
        return f"    (binary file: {len(committed)} bytes committed, {len(fresh)} bytes regenerated)"
    lines = list(difflib.unified_diff(old_lines, new_lines, f"committed/{name}", f"regenerated/{name}", n=1))
    shown = [f"    {line.rstrip(chr(10))}" for line in lines[:limit]]
    if len(lines) > limit:
        shown.append(f"    ... ({len(lines) - limit} more diff lines)")
    if not lines:  # only line endings differ (splitlines hides them)
        shown.append("    (line endings or trailing newline differ)")
    return "\n".join(shown)


def compare_trees(committed: Path, fresh: Path) -> list[Finding]:
    """One finding per added, removed or changed file; the committed tree is the one that is 'wrong'."""
    old = set(tree_files(committed))
    new = set(tree_files(fresh))
    findings: list[Finding] = []
    for name in sorted(old | new):
        shown = str(committed / name)
        if name not in old:
            findings.append(
                Finding(
                    CHECK,
                    Status.FAIL,
                    shown,
                    "missing: the generator produces this file, but it is not committed",
                )
            )
        elif name not in new:
            findings.append(
                Finding(
                    CHECK, Status.FAIL, shown, "stale: committed, but the generator no longer produces it"
                )
            )
        else:
            before, after = (committed / name).read_bytes(), (fresh / name).read_bytes()
            if before != after:
                summary = diff_summary(before, after, name)
                findings.append(
                    Finding(CHECK, Status.FAIL, shown, f"differs from the regenerated file:\n{summary}")
                )
    return findings


def _diagnostic_finding(diagnostic: Diagnostic) -> Finding:
    status = Status.FAIL if diagnostic.severity is Severity.ERROR else Status.INFO
    return Finding(
        CHECK, status, diagnostic.file, f"generate: {diagnostic.message}", pointer=diagnostic.pointer
    )


def check_code(schemas: Path, committed: Path, generate: Generate | None = None) -> list[Finding]:
    """Regenerate from `schemas` and compare with `committed`; problems while generating are failures too."""
    # The version is derived from the committed package, as `make generate` derived it.
    run = generate or functools.partial(generate_package, previous=committed)
    with tempfile.TemporaryDirectory(prefix="drift-code-") as tmp:
        out = Path(tmp) / "generated"
        try:
            result = run(schemas, out)
        except DiagnosticError as exc:
            return [_diagnostic_finding(d) for d in exc.diagnostics if d.severity is Severity.ERROR] or [
                Finding(CHECK, Status.FAIL, str(schemas), f"generate failed: {exc}")
            ]
        findings = (
            [_diagnostic_finding(d) for d in result if isinstance(d, Diagnostic)]
            if isinstance(result, list)
            else []
        )
        findings = [f for f in findings if f.status is Status.FAIL]
        return findings + compare_trees(committed, out)
