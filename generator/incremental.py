"""What makes `generate` fast without changing what it makes: the no-change exits, the codegen cache, workers.

Where a cold run's time goes (60 catalog models, profiled with pyinstrument): checking the schemas
against the meta-schema (load) and datamodel-code-generator (emit) are ~90% of it; ruff, jinja2 and
the rest are small. Hence:
- a no-change exit that parses no schema and imports neither jsonschema nor jinja2: raw file hashes
  against MANIFEST.json, with the last run's warnings kept in a stamp in the cache folder
  (`IncrementalRun.remembered_warnings`);
- a second exit after loading, for a run without a stamp: the loaded schemas' hashes against
  MANIFEST.json (`IncrementalRun.output_is_current`);
- a content-hash cache of datamodel-code-generator output (`CodegenCache`), keyed by everything that
  decides it, so a hit is always what a fresh run would produce;
- the misses run in forked worker processes (one per CPU on Linux), before rendering, so rendering
  only looks the code up and the output is the same bytes whichever way it was made
  (`IncrementalRun.models_code`).
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Mapping
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.diagnostics import Diagnostic, DiagnosticError, Severity
from generator.schema import json_hash
from generator.write import read_manifest, tree_matches_manifest

if TYPE_CHECKING:
    from generator.emit.render import CodegenJob
    from generator.load import LoadResult

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
    "incremental.py",
)
# Fewer model files than this: datamodel-code-generator runs in-process (workers would cost more than
# they save). GENERATOR_JOBS=1 forces in-process runs; GENERATOR_JOBS=N sets the worker count.
_MIN_FILES_FOR_WORKERS = 8
_MIN_JOBS_FOR_WORKERS = 6
_JOBS_ENV = "GENERATOR_JOBS"


@cache
def generator_fingerprint() -> str:
    """A hash of the generator's output-deciding sources and the versions of the libraries it drives."""
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


def _write_atomically(path: Path, text: str) -> None:
    """Written beside, then renamed: a concurrent or killed run never leaves half a file.

    Failures are ignored: a cache entry or stamp that cannot be written only costs time.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except OSError:
        pass


class CodegenCache:
    """datamodel-code-generator output by content hash; `folder=None` is a cache that never hits."""

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
        if self.folder is not None:
            _write_atomically(self.folder / f"{key}.py.txt", code)


# -- no-change exits ----------------------------------------------------------------------------------


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


def _run_jobs(
    jobs: Mapping[str, CodegenJob], paths: list[str], workers: int
) -> dict[str, str | list[Diagnostic]]:
    """Run `paths`' jobs, in forked workers when there are enough of them.

    The parent imports datamodel-code-generator once and the workers inherit it; starting workers
    earlier, so their imports overlap the schema checks, was measured too: each then imports it
    again, ~0.4 s of CPU apiece, which a busy 2-core machine pays in wall time. Largest schemas go
    first, one at a time, so no worker is left with the big ones at the end.
    """
    if not workers or len(paths) < _MIN_JOBS_FOR_WORKERS:
        return {path: _run_job(jobs[path]) for path in paths}
    import multiprocessing

    _warm_up()
    order = sorted(paths, key=lambda path: -len(json.dumps(jobs[path].schema)))
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        return dict(zip(order, pool.imap(_run_job, [jobs[p] for p in order], chunksize=1), strict=True))


# -- one run --------------------------------------------------------------------------------------------


class IncrementalRun:
    """The bookkeeping of one `generate` call: fingerprint, input hashes, stamp, cache and workers."""

    def __init__(self, schemas: Path, out: Path, *, cache_dir: Path | None, force: bool) -> None:
        self.schemas = schemas
        self.out = out
        self.cache_dir = cache_dir
        self.force = force
        self.fingerprint = generator_fingerprint()
        self.inputs: dict[str, str] = {}
        self._paths = _model_files(schemas)
        self._curated = _curated_files(schemas)
        self._cache = CodegenCache(cache_dir)

    def _stamp_path(self, cache_dir: Path) -> Path:
        # Diagnostics name files as `schemas` was spelled, so the spelling is part of the key.
        key = hashlib.sha256(f"{self.schemas}\0{self.out.resolve()}".encode()).hexdigest()[:24]
        return cache_dir / "runs" / f"{key}.json"

    def _manifest_matches(self, inputs: Mapping[str, str]) -> bool:
        manifest = read_manifest(self.out)
        return (
            manifest is not None
            and manifest.get("generator") == self.fingerprint
            and manifest.get("inputs") == inputs
            and tree_matches_manifest(self.out, manifest)
        )

    def remembered_warnings(self) -> list[Diagnostic] | None:
        """The last run's warnings when neither the schemas, the generator nor the output changed since.

        Reads raw file bytes only (no schema is parsed); None means "run the pipeline".
        """
        if self.force or self.cache_dir is None or not self._paths:
            return None
        try:
            stamp = json.loads(self._stamp_path(self.cache_dir).read_text(encoding="utf-8"))
            if stamp.get("generator") != self.fingerprint:
                return None
            inputs = _raw_inputs(self._paths + self._curated)
            if inputs is None or stamp.get("inputs") != inputs or not self._manifest_matches(inputs):
                return None
            return [Diagnostic(f, p, m, Severity(s)) for f, p, m, s in stamp["diagnostics"]]
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def output_is_current(self, loaded: LoadResult) -> bool:
        """Whether `out` already is what these loaded schemas make (then nothing needs writing)."""
        curated = _raw_inputs(self._curated) or {}
        self.inputs = dict(sorted([*((m.path.name, m.sha256) for m in loaded.models), *curated.items()]))
        return not self.force and self._manifest_matches(self.inputs)

    def models_code(self, jobs: Mapping[str, CodegenJob]) -> dict[str, str]:
        """The code of every pydantic module: from the cache, else from datamodel-code-generator.

        Every failure is reported, in path order, so one run names all of them.
        """
        keys = {
            path: self._cache.key(job.schema, job.class_name, job.is_output) for path, job in jobs.items()
        }
        codes = {path: code for path in sorted(jobs) if (code := self._cache.get(keys[path])) is not None}
        misses = [path for path in sorted(jobs) if path not in codes]
        results = _run_jobs(jobs, misses, _worker_count(len(self._paths)))
        failures: list[Diagnostic] = []
        for path in misses:
            result = results[path]
            if isinstance(result, list):
                failures += result
                continue
            codes[path] = result
            self._cache.put(keys[path], result)
        if failures:
            raise DiagnosticError(failures)
        return codes

    def finish(self, diagnostics: list[Diagnostic]) -> list[Diagnostic]:
        """Remember this run's inputs and warnings for the next run's no-change exit; return them."""
        if self.cache_dir is not None:
            stamp = {
                "generator": self.fingerprint,
                "inputs": self.inputs,
                "diagnostics": [[d.file, d.pointer, d.message, d.severity.value] for d in diagnostics],
            }
            _write_atomically(self._stamp_path(self.cache_dir), json.dumps(stamp))
        return diagnostics
