"""Stable names as a property: adding or removing models never renames or removes another model's names.

The public surface is every public module of `workers_ai.types` and the names it exports. Adding a model
(any id, any `created_at`, any schema, including one equal to an existing model's) or removing one keeps
every other module and name; only the removed model's own names (and a task's names, once it has no
model left) may go.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings, strategies as st

from generator import naming
from generator.emit.surface import Surface, catalog_surface, folder_catalog, lost_names, tree_surface
from generator.ir import build_catalog
from generator.load import load_schemas
from generator.pipeline import generate
from tests.support.model_files import SCHEMAS

# Models that share input or output schemas with each other (text generation, embeddings), one alone
# in its task (aura-1), and the text classification seed.
BASE = (
    "distilbert-sst-2-int8.json",
    "bge-base-en-v1.5.json",
    "bge-small-en-v1.5.json",
    "bge-large-en-v1.5.json",
    "glm-4.7-flash.json",
    "nemotron-3-120b-a12b.json",
    "deepseek-v4-flash-0731.json",
    "llama-3.2-1b-instruct.json",
    "llama-3.2-3b-instruct.json",
    "aura-1.json",
)
DOCS = {name: json.loads((SCHEMAS / name).read_text(encoding="utf-8")) for name in BASE}


def _write(folder: Path, docs: dict[str, Any]) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for name, doc in docs.items():
        (folder / name).write_text(json.dumps(doc), encoding="utf-8")
    return folder


def _surface(folder: Path) -> Surface | None:
    catalog = folder_catalog(folder)
    return None if catalog is None else catalog_surface(catalog)


def _may_go(docs: dict[str, Any], removed: set[str]) -> set[str]:
    """Name prefixes / modules that may disappear: the removed models' own, tasks left without models."""
    gone = {naming.model_type_prefix(docs[file]["name"]) for file in removed}
    gone |= {naming.model_module(docs[file]["name"]) for file in removed}
    left = {docs[file]["task"]["name"] for file in docs if file not in removed}
    gone |= {naming.task_class_name(docs[f]["task"]["name"]) for f in removed} - {
        naming.task_class_name(t) for t in left
    }
    gone |= {naming.task_module(docs[f]["task"]["name"]) for f in removed} - {
        naming.task_module(t) for t in left
    }
    return gone


def _unexpectedly_lost(old: Surface, new: Surface, allowed: set[str]) -> list[tuple[str, str]]:
    return [
        (module, name)
        for module, name in lost_names(old, new)
        if not any(
            (name or module.rsplit(".", 1)[-1]).startswith(prefix) or module.rsplit(".", 1)[-1] == prefix
            for prefix in allowed
        )
    ]


_IDS = st.from_regex(r"@(cf|hf)/[a-z0-9][a-z0-9-]{0,8}/[a-z0-9][a-z0-9.-]{0,12}", fullmatch=True)
_DATES = st.one_of(st.none(), st.datetimes().map(lambda d: d.isoformat(sep=" ")))


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    added=st.lists(st.tuples(_IDS, _DATES, st.sampled_from(BASE)), max_size=2),
    removed=st.sets(st.sampled_from(BASE), max_size=2),
)
def test_adding_and_removing_models_renames_nothing_else(
    tmp_path: Path, added: list[tuple[str, str | None, str]], removed: set[str]
) -> None:
    base = _surface(_write(tmp_path / "base", DOCS))
    assert base is not None
    docs = {name: doc for name, doc in DOCS.items() if name not in removed}
    for index, (model_id, created_at, like) in enumerate(added):
        doc = {**DOCS[like], "name": model_id, "id": f"added-{index}"}
        doc.pop("created_at", None)
        if created_at is not None:
            doc["created_at"] = created_at
        docs[f"added-{index}.json"] = doc
    changed = _surface(_write(tmp_path / "changed", docs))
    assume(changed is not None)  # two ids that make the same Python name are refused, by design
    assert changed is not None
    assert _unexpectedly_lost(base, changed, _may_go(DOCS, removed)) == []


# The same property on real generated packages (the predicted surface is checked against them too).
SMALL = (
    "distilbert-sst-2-int8.json",
    "glm-4.7-flash.json",
    "nemotron-3-120b-a12b.json",
    "deepseek-v4-flash-0731.json",
)


@pytest.fixture(scope="module")
def generated_base(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    work = tmp_path_factory.mktemp("stable")
    schemas = _write(work / "schemas", {name: DOCS[name] for name in SMALL})
    generate(schemas, work / "out", cache_dir=work / "cache")
    return work, work / "out"


def _first_with_nemotrons_schema() -> dict[str, Any]:
    """The reported case: an id that sorts first, the oldest `created_at`, nemotron's exact schemas."""
    return {**DOCS["nemotron-3-120b-a12b.json"], "name": "@cf/aaa/first", "created_at": "2000-01-01 00:00:00"}


@pytest.mark.parametrize(
    ("add", "remove"),
    [
        ({"aaa-first.json": _first_with_nemotrons_schema()}, set()),
        ({}, {"glm-4.7-flash.json"}),  # nemotron's input is no longer shared
        ({}, {"nemotron-3-120b-a12b.json"}),
    ],
    ids=["add-first-with-equal-schema", "remove-a-sharer", "remove-the-first-sharer"],
)
def test_generated_packages_keep_every_other_name(
    generated_base: tuple[Path, Path], add: dict[str, Any], remove: set[str]
) -> None:
    work, base_out = generated_base
    docs = {name: DOCS[name] for name in SMALL if name not in remove} | add
    case = work / ("case-" + "-".join(sorted([*add, *remove])))
    generate(_write(case / "schemas", docs), case / "out", cache_dir=work / "cache")
    before, after = tree_surface(base_out), tree_surface(case / "out")
    assert _unexpectedly_lost(before, after, _may_go(DOCS, remove)) == []
    loaded = load_schemas(case / "schemas")
    assert catalog_surface(build_catalog(loaded)[0]) == after
    for file in add:
        assert naming.model_module(docs[file]["name"]) in {m.rsplit(".", 1)[-1] for m in after}


def test_diff_reports_a_renamed_class_as_breaking(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A branch title only names a class; the schema classifier sees documentation, users see a rename."""
    from generator.cli import main
    from tests.support.model_files import SIMPLE_OUTPUT, model_doc

    def branches(title: str) -> dict[str, Any]:
        return {
            "type": "object",
            "oneOf": [
                {"title": title, "properties": {"prompt": {"type": "string"}}, "required": ["prompt"]},
                {
                    "title": "Messages",
                    "properties": {"messages": {"type": "array"}},
                    "required": ["messages"],
                },
            ],
        }

    old = _write(
        tmp_path / "old",
        {"m.json": model_doc(branches("Prompt"), SIMPLE_OUTPUT, name="@cf/x/m")},
    )
    new = _write(tmp_path / "new", {"m.json": model_doc(branches("Ask"), SIMPLE_OUTPUT, name="@cf/x/m")})
    assert main(["diff", str(old), str(old)]) == 0
    capsys.readouterr()
    assert main(["diff", str(new), str(new)]) == 0
    capsys.readouterr()
    assert main(["diff", str(old), str(new), "--json"]) == 1
    reported = json.loads(capsys.readouterr().out)
    renames = [c for c in reported["changes"] if c["kind"] == "name.removed"]
    assert sorted(c["message"] for c in renames) == [
        "public name XMInputPrompt removed or renamed",
        "public name XMParamsPrompt removed or renamed",  # its TypedDict
    ]
