"""The whole pipeline: load -> ir -> emit -> write.

Where a cold run's time goes (60 catalog models, profiled with pyinstrument): checking the schemas
against the meta-schema (load) and datamodel-code-generator (emit) are ~90% of it; ruff, jinja2 and
the rest are small. Hence, here:
- a no-change fast path that parses no schema and imports neither jsonschema nor jinja2 (raw file
  hashes vs MANIFEST.json; the last run's warnings are kept in the cache folder);
- the pydantic modules are made before rendering (`codegen_jobs`): cache hits first, the misses by
  datamodel-code-generator in forked worker processes (one per CPU on Linux); rendering then only
  looks them up, so the output is the same bytes whichever way they were made.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from generator.cache import CodegenCache, generator_fingerprint
from generator.diagnostics import Diagnostic, DiagnosticError, Severity
from generator.write import read_manifest, recover_interrupted_swap, tree_matches_manifest

if TYPE_CHECKING:
    from generator.emit.render import CodegenJob

# Fewer model files than this: datamodel-code-generator runs in-process (workers would cost more than
# they save). GENERATOR_JOBS=1 forces in-process runs; GENERATOR_JOBS=N sets the worker count.
_MIN_FILES_FOR_WORKERS = 8
_MIN_JOBS_FOR_WORKERS = 6
_JOBS_ENV = "GENERATOR_JOBS"


def _fail_on_errors(diagnostics: list[Diagnostic]) -> None:
    if any(d.severity is Severity.ERROR for d in diagnostics):
        raise DiagnosticError(diagnostics)


# -- no-change fast path ----------------------------------------------------------------------------


def _model_files(schemas: Path) -> list[Path]:
    # The files `load` reads (`load.files.is_model_file`, not imported: it pulls in jsonschema). Should
    # the two ever differ, the hash sets differ and the slow path runs: never a wrong "unchanged".
    try:
        return sorted(
            p for p in schemas.iterdir() if p.suffix == ".json" and not p.name.startswith("_") and p.is_file()
        )
    except OSError:
        return []


def _curated_files(schemas: Path) -> list[Path]:
    """The curated data files beside the model files that change the output (defaults, examples)."""
    return [p for p in (schemas / "_defaults.json", schemas / "_examples.json") if p.is_file()]


def _raw_inputs(paths: list[Path]) -> dict[str, str] | None:
    """sha256 of each model file's bytes by file name: what MANIFEST.json's `inputs` records."""
    try:
        return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}
    except OSError:
        return None


def _stamp_path(cache_dir: Path, schemas: Path, out: Path) -> Path:
    # Diagnostics name files as `schemas` was spelled, so the spelling is part of the key.
    key = hashlib.sha256(f"{schemas}\0{out.resolve()}".encode()).hexdigest()[:24]
    return cache_dir / "runs" / f"{key}.json"


def _unchanged(
    schemas: Path, out: Path, fingerprint: str, cache_dir: Path | None, paths: list[Path]
) -> list[Diagnostic] | None:
    """The last run's warnings when neither the schemas, the generator nor the output changed since."""
    if cache_dir is None or not paths:
        return None
    try:
        stamp = json.loads(_stamp_path(cache_dir, schemas, out).read_text(encoding="utf-8"))
        if stamp.get("generator") != fingerprint:
            return None
        inputs = _raw_inputs(paths)
        manifest = read_manifest(out)
        if (
            inputs is None
            or manifest is None
            or stamp.get("inputs") != inputs
            or manifest.get("generator") != fingerprint
            or manifest.get("inputs") != inputs
            or not tree_matches_manifest(out, manifest)
        ):
            return None
        return [Diagnostic(f, p, m, Severity(s)) for f, p, m, s in stamp["diagnostics"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _remember(
    schemas: Path,
    out: Path,
    fingerprint: str,
    cache_dir: Path | None,
    inputs: Mapping[str, str],
    diagnostics: list[Diagnostic],
) -> None:
    if cache_dir is None:
        return
    stamp = {
        "generator": fingerprint,
        "inputs": dict(inputs),
        "diagnostics": [[d.file, d.pointer, d.message, d.severity.value] for d in diagnostics],
    }
    path = _stamp_path(cache_dir, schemas, out)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(stamp, handle)
        os.replace(tmp, path)
    except OSError:
        pass  # a stamp that cannot be written only costs time


# -- datamodel-code-generator in worker processes -----------------------------------------------------


def _warm_up() -> None:
    """Import datamodel-code-generator and what its first call imports lazily (before forking)."""
    try:
        from generator.emit.pydantic_models import generate_models

        generate_models(
            {"type": "object", "properties": {"a": {"type": "string"}}},
            "Warm",
            is_output=False,
            file="",
            pointer="",
        )
    except Exception:  # a failure here shows up, with its diagnostic, in the real call
        pass


def _run_job(job: CodegenJob) -> str | list[Diagnostic]:
    """One `generate_models` call; its DiagnosticError comes back as a value (it does not pickle)."""
    from generator.emit.pydantic_models import generate_models

    try:
        return generate_models(
            job.schema, job.class_name, is_output=job.is_output, file=job.file, pointer=job.pointer
        )
    except DiagnosticError as exc:
        return list(exc.diagnostics)


def _worker_count(model_files: int) -> int:
    setting = os.environ.get(_JOBS_ENV, "").strip()
    if setting.isdigit():
        return int(setting) if int(setting) > 1 else 0
    if not sys.platform.startswith("linux") or model_files < _MIN_FILES_FOR_WORKERS:
        return 0  # fork is the cheap start (workers inherit the loaded generator); elsewhere stay in-process
    jobs = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return jobs if jobs > 1 else 0


def _models_code(jobs: Mapping[str, CodegenJob], cache: CodegenCache, workers: int) -> dict[str, str]:
    """The code of every pydantic module: from the cache, else from datamodel-code-generator.

    Misses run in forked workers when there are enough of them (the parent imports
    datamodel-code-generator once and the workers inherit it; starting workers earlier, so their
    imports overlap the schema checks, was measured too: each then imports it again, ~0.4 s of CPU
    apiece, which a busy 2-core machine pays in wall time). Largest schemas go first, one at a time,
    so no worker is left with the big ones at the end. Every failure is reported, in path order.
    """
    keys = {path: cache.key(job.schema, job.class_name, job.is_output) for path, job in jobs.items()}
    codes: dict[str, str] = {}
    misses: list[str] = []
    for path in sorted(jobs):
        cached = cache.get(keys[path])
        if cached is None:
            misses.append(path)
        else:
            codes[path] = cached
    results: dict[str, str | list[Diagnostic]] = {}
    if workers and len(misses) >= _MIN_JOBS_FOR_WORKERS:
        import multiprocessing

        _warm_up()
        order = sorted(misses, key=lambda path: -len(json.dumps(jobs[path].schema)))
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            results = dict(
                zip(order, pool.imap(_run_job, [jobs[p] for p in order], chunksize=1), strict=True)
            )
    else:
        results = {path: _run_job(jobs[path]) for path in misses}
    failures: list[Diagnostic] = []  # every model's, so one run names all of them
    for path in misses:
        result = results[path]
        if isinstance(result, list):
            failures += result
            continue
        codes[path] = result
        cache.put(keys[path], result)
    if failures:
        raise DiagnosticError(failures)
    return codes


# -- the pipeline -------------------------------------------------------------------------------------


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
    fingerprint = generator_fingerprint()
    paths = _model_files(schemas) + _curated_files(schemas)
    if not force:
        remembered = _unchanged(schemas, out, fingerprint, cache_dir, paths)
        if remembered is not None:
            return remembered  # nothing changed since the last run

    from generator.load import load_schemas

    # First, so even a run that then fails on a bad schema leaves `out` restored.
    recover_interrupted_swap(out.resolve())
    loaded = load_schemas(schemas)
    diagnostics = list(loaded.diagnostics)
    _fail_on_errors(diagnostics)
    curated = _raw_inputs(_curated_files(schemas)) or {}
    inputs = dict(sorted([*((m.path.name, m.sha256) for m in loaded.models), *curated.items()]))
    manifest = read_manifest(out)
    if (
        not force
        and manifest is not None
        and manifest.get("generator") == fingerprint
        and manifest.get("inputs") == inputs
        and tree_matches_manifest(out, manifest)
    ):
        _remember(schemas, out, fingerprint, cache_dir, inputs, diagnostics)
        return diagnostics  # nothing changed since the last run (the warnings were not remembered)

    from generator.ir import build_catalog
    from generator.ir.defaults import read_overrides

    overrides, override_diagnostics = read_overrides(schemas)
    diagnostics += override_diagnostics
    catalog, ir_diagnostics = build_catalog(loaded, overrides)
    diagnostics += ir_diagnostics
    _fail_on_errors(diagnostics)
    from generator.emit.render import codegen_jobs, render_package
    from generator.emit.version import package_version

    jobs = codegen_jobs(catalog)
    models_code = _models_code(jobs, CodegenCache(cache_dir), _worker_count(len(paths)))
    version = package_version(previous or out, catalog, fingerprint, inputs)
    from generator.emit.curated_examples import read_examples

    files = render_package(catalog, schemas.resolve().name, models_code, version, read_examples(schemas))

    from generator.write import write_tree

    write_tree(files, out, inputs, fingerprint, version)
    _remember(schemas, out, fingerprint, cache_dir, inputs, diagnostics)
    return diagnostics
