"""Property-based fuzzing of the whole pipeline: many drawn model files in ONE schema folder per run.

Each batch goes through `generator.pipeline.generate` (render, ruff, atomic write); the package it
writes must pass the project's ruff rules, import in a fresh interpreter (the tmp copy, not the
committed one), accept every model's schema-derived example through its input class (round trip
included) and pass `mypy --strict` together with a file that calls `client.run()` with each example.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, seed as hypothesis_seed, settings, strategies as st

from generator import naming
from generator.emit.examples import NoExample, example_for
from generator.ir.build import build_model
from generator.load import read_model_file
from tests.fuzz.harness import generate_folder, mypy_strict, ruff_check, run_python
from tests.fuzz.strategies import TASK_NAMES, ModelCase, model_files
from tests.support.model_files import CODEGEN_CACHE

pytestmark = pytest.mark.filterwarnings("error")
BATCH = 60  # model files per folder in `make fuzz`, which runs SLOW_BATCHES folders
CI_BATCH = 30  # `make test` runs one folder of this many
SLOW_BATCHES = max(1, int(os.environ.get("WORKERS_AI_FUZZ_EXAMPLES", "5000")) // 500)


def _draw_folder(folder: Path, count: int, seed: int) -> int:
    """Write `count` drawn model files (each its own hypothesis example, seeded: reproducible).

    One example per file rather than one list of 60 files: a list that large overruns hypothesis'
    per-example data budget and generation crawls.
    """
    folder.mkdir(parents=True)
    written: list[Path] = []

    @hypothesis_seed(seed)
    @settings(
        max_examples=count,
        phases=(Phase.generate,),
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=st.sampled_from(TASK_NAMES).flatmap(lambda task: model_files(invalid=False, task=task)))
    def collect(case: ModelCase) -> None:
        if len(written) < count:
            index = len(written)
            doc = {**case.doc, "name": f"@cf/fuzz/model-{index}"}
            path = folder / f"model-{index:03d}.json"
            path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
            written.append(path)

    collect()
    return len(written)


def _usage(index: int, path: Path) -> str:
    """Python that validates the model's example through its class and calls run() with it."""
    model_file, _ = read_model_file(path)
    assert model_file is not None
    model = build_model(model_file)
    task_module = naming.task_module(model_file.task_name)
    lines = [f"from workers_ai.types.{task_module} import {model.input_class}"]
    try:
        example = example_for(model.input.schema)
    except NoExample:
        assert model.input.raw_body and model.input.schema.get("oneOf") is None, model.input.schema
        return "\n".join(
            [
                *lines,
                f"def call_{index}(client: WorkersAI) -> None:",
                f"    client.run({model.id!r}, b'x')",
                "",
            ]
        )
    return "\n".join(
        [
            *lines,
            f"EXAMPLE_{index}: Any = json.loads({json.dumps(example, ensure_ascii=False)!r})",
            f"INPUT_{index} = {model.input_class}.model_validate(EXAMPLE_{index})",
            f"assert INPUT_{index}.model_dump(mode='json', exclude_unset=True, by_alias=True) == EXAMPLE_{index}",
            f"def call_{index}(client: WorkersAI) -> None:",
            f"    client.run({model.id!r}, INPUT_{index})",
            f"    client.run({model.id!r}, EXAMPLE_{index})",
            "",
        ]
    )


def _check_batch(root: Path, seed: int, typecheck: bool, size: int = BATCH, cache: Path | None = None) -> int:
    schemas, out = root / "schemas", root / "out"
    count = _draw_folder(schemas, size, seed)
    assert count >= size * 0.9, count
    generate_folder(schemas, out, cache)  # a DiagnosticError here fails: every drawn file is valid

    usage = ["import json", "from typing import Any", "from workers_ai import WorkersAI", ""]
    usage += [_usage(i, schemas / f"model-{i:03d}.json") for i in range(count)]
    (out / "fuzz_usage.py").write_text("\n".join(usage), encoding="utf-8")

    lint = ruff_check(out, "workers_ai")
    assert lint.returncode == 0, lint.stdout + lint.stderr
    imported = run_python(
        "import pathlib, workers_ai, fuzz_usage\n"
        "assert pathlib.Path(workers_ai.__file__).resolve().is_relative_to(pathlib.Path.cwd().resolve())\n"
        "from workers_ai import WorkersAI\n"
        "WorkersAI(api_token='t', account_id='a')\n",
        out,
    )
    assert imported.returncode == 0, imported.stderr[-3000:]
    if typecheck:
        checked = mypy_strict(out, "workers_ai", "fuzz_usage.py")
        assert checked.returncode == 0, checked.stdout[-5000:]
    return count


def test_batch_generates_imports_and_typechecks(tmp_path: Path) -> None:
    # The same folder on every run (seed 0), so its datamodel-code-generator output is cached.
    _check_batch(tmp_path, seed=0, typecheck=True, size=CI_BATCH, cache=CODEGEN_CACHE)


@pytest.mark.slow
def test_batches_generate_import_and_typecheck_long(tmp_path: Path) -> None:
    base = int.from_bytes(os.urandom(4), "big")
    for i in range(SLOW_BATCHES):
        seed = base + i
        print(f"batch seed {seed}")  # shown on failure: rerun with _check_batch(tmp, seed, True)
        _check_batch(tmp_path / str(i), seed, typecheck=True)
