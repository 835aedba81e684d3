"""Property-based fuzzing of the generator, one model file at a time (in process).

For every drawn model file the generator either builds classes that work, or rejects the file with
diagnostics that name it and a JSON pointer inside it; any other exception fails the test.
"Work" means: the module executes; `example_for` finds an example of the input schema (every drawn
schema has a simple instance by construction, so NoExample is a failure here) that the input class
accepts and round-trips (`model_dump(mode="json", exclude_unset=True, by_alias=True)` equals the
instance, so every property comes back under its original JSON name, and still validates against
the schema); instances drawn alongside the schema round-trip the same way through the input and
output classes.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, event, given, settings, strategies as st

from generator.emit.examples import example_for
from tests.fuzz.harness import check_model_file, round_trip, round_trip_output
from tests.fuzz.strategies import ModelCase, model_files

# Any warning (pydantic's on a generated class, datamodel-code-generator's on a schema) is a defect.
pytestmark = pytest.mark.filterwarnings("error")
CI_EXAMPLES = 100  # `make test`; `make fuzz` draws WORKERS_AI_FUZZ_EXAMPLES (5,000)
SLOW_EXAMPLES = int(os.environ.get("WORKERS_AI_FUZZ_EXAMPLES", "5000"))
_COMMON = {
    "phases": (Phase.explicit, Phase.reuse, Phase.generate),
    "deadline": None,
    "database": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
}


def _check(case: ModelCase, data: st.DataObject, folder: Path) -> None:
    path = folder / "model.json"
    path.write_text(json.dumps(case.doc, ensure_ascii=False), encoding="utf-8")
    outcome = check_model_file(path, display="fuzz/model.json")
    event("rejected" if outcome.rejected else "generated")
    if case.invalid_pointer is not None:
        assert outcome.rejected, f"invalid piece at {case.invalid_pointer} was accepted"
        pointers = [d.pointer for d in outcome.errors]
        assert any(p.startswith(case.invalid_pointer) for p in pointers), (case.invalid_pointer, pointers)
        return
    assert not outcome.rejected, [str(d) for d in outcome.errors]
    assert outcome.input_class is not None and outcome.input_schema is not None
    if case.input_values is not None:
        example = example_for(outcome.input_schema)
        assert round_trip(outcome.input_class, outcome.input_schema, example) == example
        value = data.draw(case.input_values, label="input instance")
        assert round_trip(outcome.input_class, outcome.input_schema, value) == value
    assert (case.output_values is None) == (outcome.output_class is None)
    if case.output_values is not None:
        assert outcome.output_class is not None and outcome.output_json_schema is not None
        value = data.draw(case.output_values, label="output instance")
        assert round_trip_output(outcome.output_class, outcome.output_json_schema, value) == value


@settings(max_examples=CI_EXAMPLES, derandomize=True, **_COMMON)  # type: ignore[arg-type]
@given(case=model_files(), data=st.data())
def test_model_file_generates_or_is_rejected(case: ModelCase, data: st.DataObject, fuzz_dir: Path) -> None:
    _check(case, data, fuzz_dir)


@pytest.mark.slow
@settings(max_examples=SLOW_EXAMPLES, **_COMMON)  # type: ignore[arg-type]
@given(case=model_files(), data=st.data())
def test_model_file_generates_or_is_rejected_long(
    case: ModelCase, data: st.DataObject, fuzz_dir: Path
) -> None:
    _check(case, data, fuzz_dir)
