"""Run the generator on a model file (or a folder of them) and judge the result.

Shared by tests/fuzz and tests/hostile. Two paths:
- `check_model_file`: in process, per file: load -> IR -> prepare -> datamodel-code-generator ->
  exec the module (fast: no ruff, no files, no subprocess).
- `generate_folder` + `import_and_typecheck`: the whole pipeline on a folder of many model files,
  then import the package in a fresh interpreter and run mypy --strict on it.

Either path ends in exactly one of two ways: generated code that works, or a DiagnosticError whose
diagnostics each name the file and a JSON pointer that exists in that file (or whose parent does,
for a missing key). Anything else (any other exception) propagates and fails the test.
"""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
import types
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jsonschema.validators import Draft202012Validator
from pydantic import BaseModel

from generator.diagnostics import Diagnostic, DiagnosticError, Severity
from generator.emit.prepare import output_validation_schema, prepare
from generator.emit.pydantic_models import generate_models
from generator.ir.build import build_model
from generator.load import read_model_file
from generator.schema import pointer_tokens, resolves

ROOT = Path(__file__).resolve().parents[2]
# Shared by every mypy run on a generated package (and kept between runs, ignored by git like the
# project's own cache): pydantic and httpx are analysed once, not once per package. mypy rechecks
# whatever changed, so a warm cache gives the same verdicts as a cold one.
MYPY_CACHE = ROOT / ".mypy_cache" / "generated-packages"
_module_ids = itertools.count()


@dataclass
class Outcome:
    """What the generator made of one model file."""

    diagnostics: list[Diagnostic]
    input_class: type[BaseModel] | None = None
    output_class: type[BaseModel] | None = None
    input_schema: dict[str, Any] | None = None
    output_json_schema: dict[str, Any] | None = None
    input_code: str = ""
    output_code: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def rejected(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self.diagnostics)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]


def assert_precise(diagnostics: list[Diagnostic], path: Path, display: str) -> None:
    """Every diagnostic names `display` and a pointer that exists in the file (or its parent does).

    An empty pointer (the whole file) is accepted only when the file is not a JSON object at all.
    """
    assert diagnostics, "a rejection must come with at least one diagnostic"
    try:
        doc: Any = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, RecursionError):
        doc = None
    for diag in diagnostics:
        assert diag.file == display, diag
        assert diag.message.strip(), diag
        rendered = str(diag)
        assert rendered.startswith(f"{display}#{diag.pointer}: " if diag.pointer else f"{display}: "), (
            rendered
        )
        if diag.pointer == "":
            assert not isinstance(doc, dict) or "nested too deeply" in diag.message, diag
            continue
        assert diag.pointer.startswith("/"), diag
        parent = diag.pointer.rsplit("/", 1)[0]
        assert resolves(doc, pointer_tokens(diag.pointer)) or resolves(doc, pointer_tokens(parent)), (
            f"pointer not in the file: {diag}"
        )


def exec_module(code: str, name_hint: str) -> types.ModuleType:
    """Execute generated code as a real module (pydantic resolves forward references through it)."""
    name = f"_fuzz_generated_{next(_module_ids)}_{name_hint}"
    module = types.ModuleType(name)
    sys.modules[name] = module
    try:
        exec(compile(code, f"<{name}>", "exec"), module.__dict__)
    finally:
        del sys.modules[name]
    return module


def check_model_file(path: Path, display: str | None = None) -> Outcome:
    """The in-process path; returns an Outcome (rejected, skipped, or with both classes built)."""
    shown = display or str(path)
    model_file, diagnostics = read_model_file(path, display_path=shown)
    outcome = Outcome(list(diagnostics))
    if model_file is None:
        assert_precise(outcome.diagnostics, path, shown)
        assert outcome.rejected
        return outcome
    if not model_file.has_schema:
        return outcome
    model = build_model(model_file)
    outcome.input_schema = model.input.schema
    outcome.output_json_schema = model.output.json_schema
    try:
        outcome.input_code = generate_models(
            prepare(model.input.schema, model.input_class, is_output=False),
            model.input_class,
            is_output=False,
            file=shown,
            pointer="/schema/input",
        )
        if model.output.json_schema is not None:
            outcome.output_code = generate_models(
                prepare(model.output.json_schema, model.output_class, is_output=True),
                model.output_class,
                is_output=True,
                file=shown,
                pointer="/schema/output",
            )
    except DiagnosticError as exc:
        outcome.diagnostics += exc.diagnostics
        assert_precise(outcome.diagnostics, path, shown)
        return outcome
    outcome.input_class = getattr(exec_module(outcome.input_code, "input"), model.input_class)
    if outcome.output_code:
        outcome.output_class = getattr(exec_module(outcome.output_code, "output"), model.output_class)
    return outcome


def round_trip(cls: type[BaseModel], schema: dict[str, Any], value: Any) -> Any:
    """Validate `value` with the generated class; its JSON dump must still satisfy the schema."""
    Draft202012Validator(schema).validate(value)  # the test's own premise
    instance = cls.model_validate(value)
    dumped = instance.model_dump(mode="json", exclude_unset=True, by_alias=True)
    errors = list(Draft202012Validator(schema).iter_errors(dumped))
    assert not errors, f"dump no longer valid: {dumped!r}: {errors[0].message}"
    return dumped


def round_trip_output(cls: type[BaseModel], json_schema: dict[str, Any], value: Any) -> Any:
    return round_trip(cls, output_validation_schema(json_schema), value)


# --- whole pipeline ---------------------------------------------------------------------------


def generate_folder(schemas: Path, out: Path, cache_dir: Path | None = None) -> list[Diagnostic]:
    """The whole pipeline; folders drawn the same on every run share `CODEGEN_CACHE` (same bytes)."""
    from generator.pipeline import generate

    return generate(schemas, out, cache_dir=cache_dir, force=True)


def run_python(code: str, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """A fresh interpreter whose `workers_ai` is the one in `cwd` (not the committed package)."""
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={"PYTHONPATH": str(cwd), "PATH": "/usr/bin:/bin", "PYTHONDONTWRITEBYTECODE": "1"},
    )


def mypy_strict(cwd: Path, *targets: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """mypy --strict with the project's pydantic plugin, on files under `cwd` only."""
    config = cwd / "mypy.ini"
    config.write_text(
        "[mypy]\nstrict = True\nplugins = pydantic.mypy\npython_version = 3.11\n", encoding="utf-8"
    )
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--config-file",
            str(config),
            "--cache-dir",
            str(MYPY_CACHE),
            "--no-error-summary",
            *targets,
        ],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={"MYPYPATH": str(cwd), "PATH": "/usr/bin:/bin"},
    )


def ruff_check(cwd: Path, *targets: str) -> subprocess.CompletedProcess[str]:
    """The project's own lint settings (pyproject.toml) over generated code."""
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "ruff",
            "check",
            "--config",
            str(ROOT / "pyproject.toml"),
            "--no-cache",
            *targets,
        ],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )
