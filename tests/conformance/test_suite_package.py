"""The official test suite's schemas that used to stop generation (boolean subschemas in allOf/anyOf/oneOf,
`enum: []`, patterns Python's `re` cannot compile), each wrapped as property `v` of a model's input, are
generated as one package; the generated client's verdict on every instance is the suite's.

The package is generated once (about 2 s) and exercised in a subprocess, since the real `workers_ai`
is already imported by other tests.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from generator.pipeline import generate

ROOT = Path(__file__).resolve().parents[2]
SUITE = ROOT / "tests" / "fixtures" / "json-schema-test-suite" / "draft2020-12"
_POSITION_DEPENDENT = ('"$ref"', '"$id"', '"$anchor"', '"$dynamic')  # cannot move under a property


def _nodes(schema: Any) -> Iterator[dict[str, Any]]:
    if isinstance(schema, dict):
        yield schema
        for value in schema.values():
            yield from _nodes(value)
    elif isinstance(schema, list):
        for value in schema:
            yield from _nodes(value)


def _python_re_refuses(pattern: Any) -> bool:
    try:
        re.compile(pattern)
    except (re.error, TypeError):
        return isinstance(pattern, str)
    return False


def _once_refused(schema: Any) -> bool:
    for node in _nodes(schema):
        unions = [node.get(key) for key in ("allOf", "anyOf", "oneOf")]
        if any(isinstance(u, list) and any(isinstance(b, bool) for b in u) for u in unions):
            return True
        if node.get("enum") == [] or _python_re_refuses(node.get("pattern")):
            return True
    return False


def _groups() -> list[tuple[str, dict[str, Any]]]:
    found = []
    for path in sorted(SUITE.glob("*.json")):
        for index, group in enumerate(json.loads(path.read_text(encoding="utf-8"))):
            text = json.dumps(group["schema"])
            if not any(marker in text for marker in _POSITION_DEPENDENT) and _once_refused(group["schema"]):
                found.append((f"{path.stem.lower()}-{index}", group))
    return found


def _write_model(folder: Path, stem: str, group: dict[str, Any]) -> str:
    model = f"@cf/suite/{stem}"
    document = {
        "name": model,
        "description": group["description"],
        "task": {"name": "Suite Case", "description": "JSON-Schema-Test-Suite case"},
        "schema": {
            "input": {"type": "object", "properties": {"v": group["schema"]}, "required": ["v"]},
            "output": {"type": "object"},
        },
    }
    (folder / f"{stem}.json").write_text(json.dumps(document), encoding="utf-8")
    return model


def test_once_refused_schemas_generate_and_keep_exact_verdicts(tmp_path: Path) -> None:
    groups = _groups()
    assert len(groups) >= 15  # booleans in allOf/anyOf/oneOf, empty enum, \p{...} patterns, ...
    schemas = tmp_path / "schemas"
    schemas.mkdir()
    cases: list[tuple[str, Any]] = []
    expected: list[bool] = []
    for stem, group in groups:
        model = _write_model(schemas, stem, group)
        for test in group["tests"]:
            cases.append((model, test["data"]))
            expected.append(test["valid"])
    generate(schemas, tmp_path / "out", cache_dir=tmp_path / "cache")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path / "out"), str(ROOT)])}
    run = subprocess.run(
        [sys.executable, "-m", "tests.conformance.suite_client_verdicts"],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    verdicts = json.loads(run.stdout)
    wrong = [
        f"{model}: {value!r}"
        for (model, value), v, e in zip(cases, verdicts, expected, strict=True)
        if v != e
    ]
    assert not wrong, wrong
