"""Input validation before sending (nothing reaches the server) and strict vs lenient output parsing."""

from __future__ import annotations

import math
from types import SimpleNamespace

import pytest

from tests.runtime.runtime_pkg import DISTILBERT, LLAMA, MELOTTS, UNTYPED, Harness
from tests.support.fault_server import FaultServer, Reply


@pytest.mark.parametrize(
    ("input", "pointer", "fragment"),
    [
        ({"text": ""}, "/text", "should be non-empty"),
        ({"text": 123}, "/text", "is not of type 'string'"),
        ({}, "", "'text' is a required property"),
        ({"text": None}, "/text", "is not of type 'string'"),
        (["text"], "", "is not of type 'object'"),
    ],
)
def test_invalid_input_raises_before_any_request(
    harness: Harness, server: FaultServer, input: object, pointer: str, fragment: str
) -> None:
    with pytest.raises(harness.wai.errors.InputValidationError) as info:
        harness.run(DISTILBERT, input)
    error = info.value
    assert server.count == 0
    assert error.errors[0].pointer == pointer and fragment in error.errors[0].message
    assert error.errors[0] == (pointer, error.errors[0].message)  # plain (pointer, message) pairs
    assert "no request was sent" in str(error) and (pointer or "(root)") in str(error)


def test_all_failures_are_listed(wai: SimpleNamespace) -> None:
    validator = wai.validation.SchemaValidator(
        {
            "type": "object",
            "properties": {"a": {"type": "string"}, "b": {"type": "integer", "minimum": 1}},
            "required": ["a", "b", "c"],
        }
    )
    issues = validator.issues({"a": 1, "b": 0})
    assert sorted(i.pointer for i in issues) == ["", "/a", "/b"]
    assert validator.issues({"a": "x", "b": 2, "c": None}) == []


def test_one_of_failure_names_the_relevant_branch_error(harness: Harness, server: FaultServer) -> None:
    with pytest.raises(harness.wai.errors.InputValidationError) as info:
        harness.run(LLAMA, {"messages": [{"role": "user"}]})
    assert any("'content' is a required property" in i.message for i in info.value.errors)
    assert server.count == 0


def test_pydantic_model_input_is_validated_too(harness: Harness, server: FaultServer) -> None:
    with pytest.raises(harness.wai.errors.InputValidationError):
        harness.run(DISTILBERT, harness.wai.models.DistilbertInput(text=""))
    assert server.count == 0


@pytest.mark.parametrize(
    ("input", "pointer"),
    [
        ({"prompt": "x", "max_tokens": math.nan}, "/max_tokens"),
        ({"prompt": "x", "extra": {"when": object()}}, "/extra/when"),
    ],
)
def test_input_that_cannot_be_json(
    harness: Harness, server: FaultServer, input: object, pointer: str
) -> None:
    with pytest.raises(harness.wai.errors.InputValidationError) as info:
        harness.run(LLAMA, input)
    assert server.count == 0
    assert info.value.errors[0].pointer == pointer


def test_unknown_model_non_json_input(harness: Harness, server: FaultServer) -> None:
    with pytest.raises(harness.wai.errors.InputValidationError, match="cannot be sent as JSON"):
        harness.run(UNTYPED, {"x": {1, 2}})
    assert server.count == 0


def test_bad_model_argument(harness: Harness, server: FaultServer) -> None:
    with pytest.raises(harness.wai.errors.InputValidationError, match="model must be"):
        harness.run("", {"text": "x"})
    assert server.count == 0


def test_schema_defaults_are_not_written_into_the_body(harness: Harness, server: FaultServer) -> None:
    server.enqueue(Reply.envelope({"response": "ok"}))
    harness.run(LLAMA, {"prompt": "x"})
    assert server.requests[0].json() == {"prompt": "x"}


# -- output ---------------------------------------------------------------------------------------------


def test_lenient_keeps_unknown_fields(harness: Harness, server: FaultServer) -> None:
    server.enqueue(Reply.envelope([{"label": "POSITIVE", "score": 0.9, "new_field": {"x": 1}}]))
    out = harness.run(DISTILBERT, {"text": "x"})
    assert out[0].label == "POSITIVE" and out[0].model_extra == {"new_field": {"x": 1}}


def test_strict_rejects_unknown_fields_with_pointer(harness: Harness, server: FaultServer) -> None:
    server.enqueue(Reply.envelope([{"label": "POSITIVE"}, {"label": "NEGATIVE", "new_field": 1}]))
    with pytest.raises(harness.wai.errors.ResponseValidationError) as info:
        harness.run(DISTILBERT, {"text": "x"}, strict=True)
    error = info.value
    assert type(error).__name__ == "ResponseValidationError"
    assert [i.pointer for i in error.errors] == ["/1"] and "new_field" in error.errors[0].message
    assert b"new_field" in error.body and error.response.status_code == 200
    assert "/1" in str(error) and DISTILBERT in str(error)


def test_strict_accepts_a_conforming_result(harness: Harness, server: FaultServer) -> None:
    server.enqueue(Reply.envelope({"response": "hi", "usage": {"prompt_tokens": 1}}))
    assert harness.run(LLAMA, {"prompt": "x"}, strict=True).response == "hi"


@pytest.mark.parametrize("strict", [False, True])
def test_unparseable_shape_fails_in_both_modes(harness: Harness, server: FaultServer, strict: bool) -> None:
    server.enqueue(Reply.envelope({"label": "POSITIVE"}))  # object where an array is declared
    with pytest.raises(harness.wai.errors.ResponseValidationError) as info:
        harness.run(DISTILBERT, {"text": "x"}, strict=strict)
    assert info.value.errors and info.value.errors[0].pointer == ""
    assert type(info.value).__name__ == "ResponseValidationError"


@pytest.mark.parametrize("strict", [False, True])
def test_wrong_field_type_pointer(harness: Harness, server: FaultServer, strict: bool) -> None:
    server.enqueue(Reply.envelope([{"label": "POSITIVE", "score": "high"}]))
    with pytest.raises(harness.wai.errors.ResponseValidationError) as info:
        harness.run(DISTILBERT, {"text": "x"}, strict=strict)
    assert [i.pointer for i in info.value.errors] == ["/0/score"]


def test_null_result_is_a_response_validation_error(harness: Harness, server: FaultServer) -> None:
    server.enqueue(Reply.envelope(None))
    with pytest.raises(harness.wai.errors.ResponseValidationError):
        harness.run(MELOTTS, {"prompt": "x"})


def test_pydantic_loc_to_pointer_skips_union_tags(wai: SimpleNamespace) -> None:
    to_pointer = wai.validation._loc_to_pointer
    data = {"a": [{"b": "x"}], "x/y": 1}
    assert to_pointer(("list[Item]", 0, "score"), [{"score": "x"}]) == "/0/score"
    assert to_pointer(("a", 0, "b", "int"), data) == "/a/0/b"
    assert to_pointer(("a", 0, "missing"), data) == "/a/0/missing"
    assert to_pointer(("x/y",), data) == "/x~1y"


def test_closed_schema(wai: SimpleNamespace) -> None:
    schema = {
        "type": "object",
        "properties": {
            "properties": {"type": "object", "properties": {"x": {}}},
            "free": {"type": "object"},
            "either": {
                "oneOf": [{"properties": {"a": {}}}, {"properties": {"b": {}}, "additionalProperties": True}]
            },
            "mixed": {"properties": {"s": {}}, "anyOf": [{"properties": {"t": {}}}]},
        },
    }
    closed = wai.validation.closed_schema(schema)
    props = closed["properties"]
    assert closed["additionalProperties"] is False
    assert props["properties"]["additionalProperties"] is False
    assert "additionalProperties" not in props["free"]
    assert props["either"]["oneOf"][0]["additionalProperties"] is False
    assert props["either"]["oneOf"][1]["additionalProperties"] is True
    # properties next to a combinator: neither side can be closed without rejecting the other's keys
    assert "additionalProperties" not in props["mixed"]
    assert "additionalProperties" not in props["mixed"]["anyOf"][0]
    assert "additionalProperties" not in schema  # the original is untouched
