"""The default model rule, the `_defaults.json` overrides and the curated examples, with the drift check
that keeps both files true to the catalog."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from generator.diagnostics import Severity
from generator.drift.curated import check_curated
from generator.drift.findings import Status
from generator.ir import build_catalog
from generator.ir.defaults import choose, read_overrides, skip_reason
from generator.load import load_schemas
from tests.support.model_files import SCHEMAS

LOADED = load_schemas(SCHEMAS)


def _defaults(overrides: dict[str, str]) -> dict[str, str]:
    catalog, _ = build_catalog(LOADED, overrides)
    return {t.slug: t.default_model.id for t in catalog.tasks}


@pytest.mark.parametrize(
    ("entry", "reason"),
    [
        ({"name": "@cf/x/a-lora"}, "lora"),
        ({"name": "@cf/x/a", "properties": [{"property_id": "lora", "value": "true"}]}, "lora"),
        ({"name": "@cf/x/a", "properties": [{"property_id": "beta", "value": "true"}]}, "beta"),
        ({"name": "@cf/x/a", "tags": ["Beta"]}, "beta"),
        (
            {
                "name": "@cf/x/a",
                "properties": [{"property_id": "planned_deprecation_date", "value": "2026-01-01"}],
            },
            "deprecated",
        ),
        ({"name": "@cf/x/a", "description": "Deprecated: use b instead."}, "deprecated"),
        ({"name": "@cf/x/a", "properties": [{"property_id": "partner", "value": "true"}]}, None),
    ],
)
def test_skip_reasons(entry: dict[str, object], reason: str | None) -> None:
    assert skip_reason(entry) == reason


def test_rule_skips_lora_and_beta_models_of_the_real_catalog() -> None:
    chosen = _defaults({})
    # The oldest models (mistral-7b-instruct-v0.2-lora, stable-diffusion-xl-base-1.0) are LoRA and beta.
    assert chosen["text-generation"] == "@cf/meta/llama-3.3-70b-instruct-fp8-fast"
    assert chosen["text-to-image"] == "@cf/black-forest-labs/flux-1-schnell"
    assert chosen["text-classification"] == "@cf/huggingface/distilbert-sst-2-int8"


def test_overrides_file_decides_where_it_speaks() -> None:
    overrides, problems = read_overrides(SCHEMAS)
    assert problems == []
    chosen = _defaults(overrides)
    assert chosen["text-generation"] == "@cf/meta/llama-3.1-8b-instruct-fp8"
    assert chosen["summarization"] == "@cf/facebook/bart-large-cnn"  # its only model is beta


def test_every_model_skipped_without_override_warns_and_a_wrong_override_is_an_error() -> None:
    members = [("@cf/x/old", "2023", {"name": "@cf/x/old", "tags": ["beta"]}), ("@cf/x/new", "2024", {})]
    chosen, notes = choose("t", members[:1], {})
    assert chosen == "@cf/x/old"
    assert [n.severity for n in notes] == [Severity.WARNING]
    chosen, errors = choose("t", members, {"t": "@cf/x/elsewhere"})
    assert chosen == "@cf/x/new" and [e.severity for e in errors] == [Severity.ERROR]
    assert choose("t", members, {}) == ("@cf/x/new", [])


def test_curated_files_of_the_repository_pass_the_drift_check() -> None:
    findings, count = check_curated(SCHEMAS, LOADED)
    assert [str(f) for f in findings if f.status is Status.FAIL] == []
    assert count == 58


def test_drift_check_catches_a_bad_example_and_a_bad_override(tmp_path: Path) -> None:
    for name in ("m2m100-1.2b.json", "bart-large-cnn.json", "distilbert-sst-2-int8.json"):
        shutil.copy(SCHEMAS / name, tmp_path / name)
    examples = {
        "tasks": {"translation": {"text": "Hi", "target_lang": 5}, "summarization": {"input_text": "Long."}},
        "models": {"@cf/x/gone": {"text": "Hi"}},
    }
    (tmp_path / "_examples.json").write_text(json.dumps(examples))
    overrides = {"summarization": "@cf/meta/m2m100-1.2b", "no-such-task": "@cf/meta/m2m100-1.2b"}
    (tmp_path / "_defaults.json").write_text(json.dumps({"defaults": overrides}))
    findings, count = check_curated(tmp_path, load_schemas(tmp_path))
    failed = sorted((f.pointer or "", f.model or "", f.message) for f in findings if f.status is Status.FAIL)
    assert [(pointer, model) for pointer, model, _ in failed] == [
        ("/defaults/no-such-task", ""),
        ("/defaults/summarization", ""),  # names a model of another task
        ("/defaults/summarization", ""),  # and the task's only model is beta
        ("/models/@cf/x/gone", "@cf/x/gone"),
        ("/tasks/text-classification", "@cf/huggingface/distilbert-sst-2-int8"),  # no example
        ("/tasks/translation", "@cf/meta/m2m100-1.2b"),  # 5 is not a string
    ]
    assert count == 2
