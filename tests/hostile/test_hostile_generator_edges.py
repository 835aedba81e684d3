"""Generator edge cases a hostile or unlucky user meets: a `$ref` cycle, an input property named `self`,
`\"\"\"` in model and task names, ruff failures that must name the file, and runs killed or racing in the
middle of the swap (real `python -m generator` processes, SIGKILL)."""

from __future__ import annotations

import json
import signal
import time
from pathlib import Path
from typing import Any

import pytest

from generator.diagnostics import DiagnosticError
from generator.write import format_tree
from tests.fuzz.harness import check_model_file, generate_folder, run_python
from tests.hostile.test_atomic_write import SMALL, change_a_schema, run, snapshot, start, workspace
from tests.support.fault_server import FaultServer, Reply
from tests.support.model_files import SCHEMAS

__all__ = ["workspace"]  # the fixture, shared with the atomic-write tests


def model_file(input_schema: Any, *, name: str, task: str = "Text Generation") -> dict[str, Any]:
    return {
        "name": name,
        "task": {"name": task, "description": "edge"},
        "schema": {"input": input_schema, "output": {"type": "object"}},
    }


def test_ref_cycle_is_a_diagnostic_naming_file_and_pointer(tmp_path: Path) -> None:
    schema = {"$ref": "#/$defs/A", "$defs": {"A": {"$ref": "#/$defs/B"}, "B": {"$ref": "#/$defs/A"}}}
    path = tmp_path / "cycle.json"
    path.write_text(json.dumps(model_file(schema, name="@cf/edge/cycle")), encoding="utf-8")
    outcome = check_model_file(path, display="schemas/cycle.json")
    assert outcome.rejected
    texts = [str(d) for d in outcome.diagnostics]
    assert (
        "schemas/cycle.json#/schema/input/$ref: error: $ref cycle: #/$defs/A -> #/$defs/B -> #/$defs/A"
        in texts
    )


def test_self_as_a_required_property_reaches_the_server(tmp_path: Path) -> None:
    schemas = tmp_path / "schemas"
    schemas.mkdir()
    schema = {
        "type": "object",
        "properties": {"self": {"type": "string"}, "text": {"type": "string"}},
        "required": ["self"],
    }
    doc = model_file(schema, name="@cf/edge/selfish", task="Selfish Task")
    (schemas / "selfish.json").write_text(json.dumps(doc), encoding="utf-8")
    generate_folder(schemas, tmp_path / "out")
    with FaultServer() as server:
        server.enqueue(Reply.envelope({"ok": True}))
        done = run_python(
            "from workers_ai import WorkersAI\n"
            f"client = WorkersAI(account_id='a', api_token='t', base_url={server.base_url!r}, max_retries=0)\n"
            "print(client.selfish_task(self='me', text='hi'))\n",
            tmp_path / "out",
        )
        assert done.returncode == 0, done.stderr[-2000:]
        assert server.requests[0].json() == {"self": "me", "text": "hi"}


@pytest.mark.parametrize(
    ("name", "task", "pointer"),
    [
        ('@cf/edge/a"""b', "Text Generation", "/name"),
        ("@cf/edge/q", 'Quote """ Task', "/task/name"),
        ("@cf/edge/back\\slash", "Text Generation", "/name"),
        ("@cf/edge/q", "Line\nBreak", "/task/name"),
    ],
)
def test_names_that_cannot_be_written_into_code_are_diagnosed(
    tmp_path: Path, name: str, task: str, pointer: str
) -> None:
    path = tmp_path / "quotes.json"
    path.write_text(json.dumps(model_file({"type": "object"}, name=name, task=task)), encoding="utf-8")
    outcome = check_model_file(path, display="schemas/quotes.json")
    assert outcome.rejected
    (diagnostic,) = outcome.diagnostics
    assert str(diagnostic).startswith(f"schemas/quotes.json#{pointer}: error: ")
    assert "cannot be written into generated code" in str(diagnostic)


def test_ruff_failure_names_the_file_and_position(tmp_path: Path) -> None:
    (tmp_path / "fine.py").write_text("x = 1\n")
    (tmp_path / "broken.py").write_text('def f():\n    """a"""b"""\n')
    with pytest.raises(DiagnosticError) as info:
        format_tree(tmp_path)
    assert "broken.py:2:" in str(info.value.diagnostics[0])


def leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}"))


def wait_for(path: Path, proc: Any, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, f"the run never reached {path.name}"
        time.sleep(0.02)


def test_kill_between_the_renames_leaves_nothing_after_the_next_run(
    workspace: tuple[Path, Path, dict[str, bytes]],
) -> None:
    schemas, out, before = workspace
    proc = start(schemas, out, pause_in_swap=60)  # same inputs: nothing to change
    staging = out.parent / f".{out.name}.tmp-{proc.pid}"
    old = out.parent / f".{out.name}.old"
    proc.communicate(timeout=120)  # an up-to-date output is skipped: no swap, nothing left
    change_a_schema(schemas)
    proc = start(schemas, out, pause_in_swap=60)
    staging = out.parent / f".{out.name}.tmp-{proc.pid}"
    wait_for(old, proc)  # the first rename is done: killed between the two
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert not out.exists() and staging.exists()
    (schemas / "distilbert-sst-2-int8.json").write_bytes((SCHEMAS / SMALL[0]).read_bytes())
    done = run(schemas, out)  # inputs as before the killed run: the repaired output is up to date
    assert done.returncode == 0, done.stderr
    assert snapshot(out) == before and leftovers(out) == []


def test_runs_racing_for_the_swap_both_succeed(workspace: tuple[Path, Path, dict[str, bytes]]) -> None:
    schemas, out, _ = workspace
    change_a_schema(schemas)
    first = start(schemas, out, pause_in_swap=1.5)
    wait_for(out.parent / f".{out.name}.old", first)  # the first run is between its two renames
    second = start(schemas, out)
    outputs = [proc.communicate(timeout=120) for proc in (first, second)]
    assert [first.returncode, second.returncode] == [0, 0], outputs
    assert not any("Directory not empty" in stderr for _, stderr in outputs)
    assert (
        b"new_flag"
        in snapshot(out)["workers_ai/types/text_classification/huggingface_distilbert_sst_2_int8.py"]
    )
    assert leftovers(out) == []
