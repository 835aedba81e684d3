"""The client's input validator against the official JSON-Schema-Test-Suite, draft 2020-12.

Every test group's schema is compiled exactly as the client compiles a model's input schema
(`SchemaValidator`, the class the generated package uses) and each instance's verdict is compared with the
suite's. Excluded groups (remote references only) are listed with their reason in `EXCLUDED.json` next to
the vendored data; the test checks that list too, so it can neither grow silently nor go stale.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema.validators import Draft202012Validator
from referencing import Registry
from referencing.exceptions import NoSuchResource

from workers_ai._validation import SchemaValidator

SUITE = Path(__file__).resolve().parents[1] / "fixtures" / "json-schema-test-suite"
TARGET = 0.995


def _groups() -> list[tuple[str, dict[str, Any]]]:
    return [
        (path.name, group)
        for path in sorted((SUITE / "draft2020-12").glob("*.json"))
        for group in json.loads(path.read_text(encoding="utf-8"))
    ]


def _excluded() -> dict[tuple[str, str], str]:
    listed = json.loads((SUITE / "EXCLUDED.json").read_text(encoding="utf-8"))["excluded"]
    return {(item["file"], item["group"]): item["reason"] for item in listed}


def _refuse(uri: str) -> Any:
    raise NoSuchResource(ref=uri)  # type: ignore[call-arg]


def _needs_remote_document(group: dict[str, Any]) -> bool:
    schema = group["schema"]
    if isinstance(schema, dict) and "localhost:1234" in str(schema.get("$schema", "")):
        return True
    validator = Draft202012Validator(schema, registry=Registry(retrieve=_refuse))  # type: ignore[call-arg]
    try:
        for test in group["tests"]:
            validator.is_valid(test["data"])
    except Exception as exc:  # jsonschema wraps the refused retrieval in its own referencing error
        return "Unresolvable" in repr(exc)
    return False


def test_exclusions_are_exactly_the_groups_that_need_a_remote_document() -> None:
    excluded = _excluded()
    groups = dict(((name, group["description"]), group) for name, group in _groups())
    assert set(excluded) <= set(groups), "EXCLUDED.json names groups the suite does not have"
    remote = {key for key, group in groups.items() if _needs_remote_document(group)}
    assert remote == set(excluded)
    assert all(reason.strip() for reason in excluded.values())


def test_client_verdicts_agree_with_the_suite(capsys: pytest.CaptureFixture[str]) -> None:
    excluded = _excluded()
    run = agree = skipped = 0
    disagreements: list[str] = []
    for name, group in _groups():
        if (name, group["description"]) in excluded:
            skipped += len(group["tests"])
            continue
        validator = SchemaValidator(group["schema"])
        for test in group["tests"]:
            run += 1
            verdict = not validator.issues(test["data"])
            if verdict == test["valid"]:
                agree += 1
            else:
                disagreements.append(f"{name}: {group['description']} / {test['description']}")
    with capsys.disabled():
        print(
            f"\nJSON-Schema-Test-Suite draft2020-12: client verdicts agree on {agree}/{run} instances "
            f"({agree / run:.1%}); {skipped} instances in {len(excluded)} excluded groups (remote references)"
        )
    assert run >= 950
    assert agree / run >= TARGET and not disagreements, disagreements[:20]
