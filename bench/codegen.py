"""`make generate` timings: cold (no cache, fresh output folder), nothing changed (content-hash cache), and
the datamodel-code-generator CLI run once per model (the reference)."""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.common import SCHEMAS, median, run_python, timed_python

# The CLI with the options our generator passes in-process (pydantic v2, Python 3.11 syntax, Annotated,
# field docs, `X | Y`, builtin generics, Literal enums, collapsed root models); everything else default
# (including its own formatting), as a user would run it.
DMCG_OPTIONS = [
    "--input-file-type=jsonschema",
    "--output-model-type=pydantic_v2.BaseModel",
    "--target-python-version=3.11",
    "--use-annotated",
    "--use-field-description",
    "--use-schema-description",
    "--use-union-operator",
    "--use-standard-collections",
    "--enum-field-as-literal=all",
    "--collapse-root-models",
    "--disable-timestamp",
]


@dataclass
class CodegenRuns:
    cold: list[float] = field(default_factory=list)
    unchanged: list[float] = field(default_factory=list)
    dmcg_total: float = 0.0
    model_files: int = 0  # every model file, with or without schemas
    dmcg_models: int = 0  # model files with input and output schemas
    dmcg_failures: list[str] = field(default_factory=list)
    dmcg_sampled: int = 0  # models actually run (the total is extrapolated when fewer than dmcg_models)


def _generate(out: Path, *extra: str) -> float:
    return timed_python(["-m", "generator", "--schemas", str(SCHEMAS), "--out", str(out), "-q", *extra])


def _model_documents() -> list[tuple[str, dict[str, Any]]]:
    """One JSON Schema per model holding its input and output schema (as two properties)."""
    documents = []
    for path in sorted(SCHEMAS.glob("*.json")):
        if path.name.startswith("_"):
            continue
        schema = json.loads(path.read_text(encoding="utf-8")).get("schema") or {}
        if not isinstance(schema, dict) or "input" not in schema or "output" not in schema:
            continue  # catalog models without schemas (the generator skips them too)
        documents.append(
            (
                path.stem,
                {
                    "$schema": "https://json-schema.org/draft/2020-12/schema",
                    "title": "Model",
                    "type": "object",
                    "properties": {"input": schema["input"], "output": schema["output"]},
                },
            )
        )
    return documents


def _datamodel_codegen(work: Path, documents: list[tuple[str, dict[str, Any]]], runs: CodegenRuns) -> None:
    """Run the CLI on each document; adds the wall time to `runs.dmcg_total`."""
    for stem, document in documents:
        source = work / f"{stem}.schema.json"
        source.write_text(json.dumps(document), encoding="utf-8")
        started = time.perf_counter()
        done = run_python(
            [
                "-m",
                "datamodel_code_generator",
                "--input",
                str(source),
                "--output",
                str(work / f"{stem}.py"),
                *DMCG_OPTIONS,
            ],
            check=False,
        )
        runs.dmcg_total += time.perf_counter() - started
        runs.dmcg_sampled += 1
        if done.returncode != 0:
            runs.dmcg_failures.append(f"{stem}: {done.stderr.strip().splitlines()[-1:]}")


def measure(rounds: int, dmcg_sample: int | None = None) -> CodegenRuns:
    """`rounds` cold and unchanged runs; the datamodel-codegen runs are split over the rounds (one share
    after each round's pair), so the reference is sampled across the same stretch of time."""
    runs = CodegenRuns()
    work = Path(tempfile.mkdtemp(prefix="workers-ai-bench-gen-"))
    try:
        warm_out = work / "warm" / "out"  # cache in work/warm/.generator-cache, as `make generate` does
        _generate(warm_out)
        run_python(["-c", "import datamodel_code_generator"])  # bytecode for the reference as well
        documents = _model_documents()
        runs.dmcg_models = len(documents)
        runs.model_files = sum(1 for path in SCHEMAS.glob("*.json") if not path.name.startswith("_"))
        if dmcg_sample is not None and dmcg_sample < len(documents):
            documents = documents[:: len(documents) // dmcg_sample][:dmcg_sample]
        for round_no in range(rounds):
            cold_out = work / f"cold{round_no}" / "out"
            order = ["cold", "unchanged"] if round_no % 2 == 0 else ["unchanged", "cold"]
            for kind in order:
                if kind == "cold":
                    runs.cold.append(_generate(cold_out, "--no-cache", "--force"))
                    shutil.rmtree(cold_out.parent, ignore_errors=True)
                else:
                    runs.unchanged.append(_generate(warm_out))
            _datamodel_codegen(work, documents[round_no::rounds], runs)
        runs.dmcg_total *= runs.dmcg_models / max(runs.dmcg_sampled, 1)  # extrapolated when sampled
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return runs


def summary(runs: CodegenRuns) -> dict[str, float]:
    return {
        "cold_s": median(runs.cold),
        "unchanged_s": median(runs.unchanged),
        "unchanged_ratio": median([u / c for u, c in zip(runs.unchanged, runs.cold, strict=True)]),
        "dmcg_s": runs.dmcg_total,
    }
