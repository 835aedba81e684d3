"""The whole pipeline: load -> ir -> emit -> write.

Each step is a package of its own (see ARCHITECTURE.md); what only makes a run faster (the
no-change exits, the codegen cache, worker processes) is in `generator.incremental`.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from generator.diagnostics import Diagnostic, DiagnosticError, Severity
from generator.incremental import IncrementalRun


def _fail_on_errors(diagnostics: Iterable[Diagnostic]) -> None:
    diagnostics = list(diagnostics)
    if any(d.severity is Severity.ERROR for d in diagnostics):
        raise DiagnosticError(diagnostics)


def generate(
    schemas: Path,
    out: Path,
    *,
    cache_dir: Path | None = None,
    force: bool = False,
    previous: Path | None = None,
) -> list[Diagnostic]:
    """Generate `out/workers_ai` and `out/docs` from the model files in `schemas`.

    The distribution's version is derived from `previous` (default: `out` as it is now), see
    `generator.emit.version`.

    Returns the warnings; raises DiagnosticError (every problem, each naming file and JSON
    pointer) when a schema cannot be used, leaving `out` as it was.
    """
    run = IncrementalRun(schemas, out, cache_dir=cache_dir, force=force)
    remembered = run.remembered_warnings()
    if remembered is not None:
        return remembered  # nothing changed since the last run; no schema was even parsed

    # Imported here, not above: the no-change exit must not pay for jsonschema, jinja2 and
    # datamodel-code-generator.
    from generator.emit.curated_examples import read_examples
    from generator.emit.render import codegen_jobs, render_package
    from generator.emit.version import package_version
    from generator.ir import build_catalog
    from generator.ir.defaults import read_overrides
    from generator.load import load_schemas
    from generator.write import recover_interrupted_swap, write_tree

    recover_interrupted_swap(out.resolve())  # first: even a run that fails on a bad schema restores `out`

    loaded = load_schemas(schemas)  # 1. read and check the model files
    _fail_on_errors(loaded.diagnostics)
    if run.output_is_current(loaded):
        return run.finish(list(loaded.diagnostics))

    overrides, override_diagnostics = read_overrides(schemas)  # curated default models
    catalog, ir_diagnostics = build_catalog(loaded, overrides)  # 2. the intermediate representation
    diagnostics = [*loaded.diagnostics, *override_diagnostics, *ir_diagnostics]
    _fail_on_errors(diagnostics)

    models_code = run.models_code(codegen_jobs(catalog))  # 3. emit
    version = package_version(previous or out, catalog, run.fingerprint, run.inputs)
    files = render_package(catalog, schemas.resolve().name, models_code, version, read_examples(schemas))

    write_tree(files, out, run.inputs, run.fingerprint, version)  # 4. format and swap in atomically
    return run.finish(diagnostics)
