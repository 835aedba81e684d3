"""The structured-output and tool errors: in the tree, readable, and surviving a pickle round trip."""

from __future__ import annotations

import pickle

import pytest

from workers_ai import errors

CASES = [
    errors.StructuredOutputUnsupportedError("@cf/a/b", [("", "no JSON mode")]),
    errors.JSONModeStreamingError("@cf/a/b", [("/stream", "cannot stream")]),
    errors.ToolsUnsupportedError("@cf/a/b", [("/tools", "no tools")]),
    errors.ToolDefinitionError(None, [("/tools/0", "bad")]),
    errors.JSONModeError("could not meet", model="@cf/a/b", raw=None, attempts=2),
    errors.InvalidJSONError("not JSON", model="@cf/a/b", raw="{" * 400),
    errors.OutputValidationError("invalid", raw='{"a": 1}', errors=[("/a", "not a string")]),
    errors.UnknownToolError("unknown", model="@cf/a/b", name="rm", raw={"path": "/"}),
    errors.ToolArgumentsError("bad", name="f", raw="{", errors=[("/x", "missing")]),
    errors.ToolStepLimitError("limit", model="@cf/a/b", messages=[{"role": "user", "content": "hi"}]),
]


@pytest.mark.parametrize("error", CASES, ids=lambda e: type(e).__name__)
def test_round_trip_and_text(error: errors.WorkersAIError) -> None:
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error) and str(copy) == str(error)
    assert vars(copy) == vars(error)
    assert isinstance(error, errors.WorkersAIError) and type(error).__name__ in errors.__all__


def test_long_raw_text_is_cut_in_the_message() -> None:
    text = str(CASES[5])
    assert "(400 characters)" in text and len(text) < 500
    assert "/a: not a string" in str(CASES[6]) and "/x: missing" in str(CASES[8])
