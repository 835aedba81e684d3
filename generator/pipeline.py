"""The whole pipeline: load -> ir -> emit -> write."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.cache import CodegenCache, generator_fingerprint
from generator.diagnostics import Diagnostic, DiagnosticError, Severity
from generator.emit.pydantic_models import generate_models
from generator.emit.render import render_package
from generator.ir import build_catalog
from generator.load import load_schemas
from generator.write import read_manifest, tree_matches_manifest, write_tree


def _fail_on_errors(diagnostics: list[Diagnostic]) -> None:
    if any(d.severity is Severity.ERROR for d in diagnostics):
        raise DiagnosticError(diagnostics)


def generate(
    schemas: Path, out: Path, *, cache_dir: Path | None = None, force: bool = False
) -> list[Diagnostic]:
    """Generate `out/workers_ai` and `out/docs` from the model files in `schemas`.

    Returns the warnings; raises DiagnosticError (every problem, each naming file and JSON
    pointer) when a schema cannot be used, leaving `out` as it was.
    """
    loaded = load_schemas(schemas)
    diagnostics = list(loaded.diagnostics)
    _fail_on_errors(diagnostics)
    fingerprint = generator_fingerprint()
    inputs = {m.path.name: m.sha256 for m in loaded.models}
    manifest = read_manifest(out)
    if (
        not force
        and manifest is not None
        and manifest.get("generator") == fingerprint
        and manifest.get("inputs") == dict(sorted(inputs.items()))
        and tree_matches_manifest(out, manifest)
    ):
        return diagnostics  # nothing changed since the last run

    catalog, ir_diagnostics = build_catalog(loaded)
    diagnostics += ir_diagnostics
    _fail_on_errors(diagnostics)

    cache = CodegenCache(cache_dir)

    def codegen(schema: dict[str, Any], class_name: str, is_output: bool, file: str, pointer: str) -> str:
        key = cache.key(schema, class_name, is_output)
        code = cache.get(key)
        if code is None:
            code = generate_models(schema, class_name, is_output=is_output, file=file, pointer=pointer)
            cache.put(key, code)
        return code

    files = render_package(catalog, schemas.resolve().name, codegen)
    write_tree(files, out, inputs, fingerprint)
    return diagnostics
