"""The one kit for building catalog-format model files and schema folders in tests.

A model file is `{"name", "description", "task": {"name", "description"}, "schema": {"input", "output"}}`,
as in `schemas/`. `model_doc` makes one, `obj` makes an object schema, `write_model` / `write_folder`
put them on disk; `deep_text` writes nesting that `json.dumps` itself cannot.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
SCHEMAS = REPO / "schemas"
# The golden catalog: a handful of hand-written model files that use every feature the generator
# supports; its generated output is kept under tests/fixtures/golden/expected (see tests/support/golden.py).
GOLDEN_SCHEMAS = REPO / "tests" / "fixtures" / "golden" / "schemas"
# The codegen cache `make generate` uses: tests that are not about cold runs share it (a hit is always
# what a cold run makes), so only the first run after a generator change pays for datamodel-code-generator.
CODEGEN_CACHE = REPO / ".generator-cache"

SIMPLE_INPUT: dict[str, Any] = {
    "type": "object",
    "properties": {"text": {"type": "string", "minLength": 1}},
    "required": ["text"],
}
SIMPLE_OUTPUT: dict[str, Any] = {
    "type": "array",
    "contentType": "application/json",
    "items": {"type": "object", "properties": {"label": {"type": "string"}, "score": {"type": "number"}}},
}


def obj(
    props: dict[str, Any] | None = None, required: list[str] | None = None, **extra: Any
) -> dict[str, Any]:
    """An object schema with these properties (and `required` list, and any other keywords)."""
    schema: dict[str, Any] = {"type": "object", "properties": props or {}, **extra}
    if required is not None:
        schema["required"] = required
    return schema


def model_doc(
    input_schema: Any = None,
    output_schema: Any = None,
    *,
    name: str = "@cf/test/m",
    task: Any = "Text Generation",
    **extra: Any,
) -> dict[str, Any]:
    """A model file document; the schemas default to SIMPLE_INPUT / an open object."""
    return {
        "name": name,
        "description": f"test model {name}",
        "task": {"name": task, "description": f"{task} task"},
        "schema": {
            "input": SIMPLE_INPUT if input_schema is None else input_schema,
            "output": {"type": "object"} if output_schema is None else output_schema,
        },
        **extra,
    }


def write_model(folder: Path, file_name: str, doc: Any) -> Path:
    """Write `doc` (a document, or text as it is) as `folder/file_name`."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / file_name
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc, indent=4), encoding="utf-8")
    return path


def write_folder(folder: Path, docs: dict[str, Any]) -> Path:
    """A schema folder holding `docs` (file name -> document or text)."""
    for file_name, doc in docs.items():
        write_model(folder, file_name, doc)
    return folder


def copy_catalog_files(folder: Path, *names: str) -> Path:
    """A schema folder with copies of these files of the real catalog (`schemas/`)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copy(SCHEMAS / name, folder / name)
    return folder


def deep_text(levels: int) -> str:
    """A model file whose input nests `levels` objects (two JSON levels each), written as text."""
    head = '{"name": "@cf/hostile/deep", "task": {"name": "T"}, "schema": {"input": '
    body = '{"type": "object", "properties": {"a": ' * levels + '{"type": "string"}' + "}}" * levels
    return head + body + ', "output": {"type": "object"}}}'


def catalog_model_files() -> list[Path]:
    """The model files of the real catalog (what `load` reads), so counts follow `schemas/`."""
    return sorted(p for p in SCHEMAS.glob("*.json") if not p.name.startswith("_"))


def catalog_documents() -> dict[str, dict[str, Any]]:
    """The real catalog's model files by model id."""
    docs = (json.loads(p.read_text(encoding="utf-8")) for p in catalog_model_files())
    return {doc["name"]: doc for doc in docs}
