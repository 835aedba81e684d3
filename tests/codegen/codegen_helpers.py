"""Write small catalog-format model files for generator tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
SCHEMAS = REPO / "schemas"


def model_doc(name: str, task: str, input_schema: Any, output_schema: Any, **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "description": f"test model {name}",
        "task": {"name": task, "description": f"{task} task"},
        "schema": {"input": input_schema, "output": output_schema},
        **extra,
    }


def write_model(folder: Path, file_name: str, doc: Any) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / file_name
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc, indent=4), encoding="utf-8")
    return path


SIMPLE_INPUT = {
    "type": "object",
    "properties": {"text": {"type": "string", "minLength": 1}},
    "required": ["text"],
}
SIMPLE_OUTPUT = {
    "type": "array",
    "contentType": "application/json",
    "items": {"type": "object", "properties": {"label": {"type": "string"}, "score": {"type": "number"}}},
}
