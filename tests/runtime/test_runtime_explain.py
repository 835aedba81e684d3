"""Readable input errors: the intended oneOf branch, JSON pointers, short quotes, bounded message size."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from tests.runtime.runtime_pkg import LLAMA, Harness
from tests.support.fault_server import FaultServer

_PROMPT = {"properties": {"prompt": {"type": "string", "maxLength": 1000}}, "required": ["prompt"]}
_MESSAGES = {
    "properties": {
        "messages": {
            "type": "array",
            "items": {"type": "object", "required": ["role", "content"]},
        }
    },
    "required": ["messages"],
}
_CHAT: dict[str, Any] = {
    "type": "object",
    "properties": {"max_tokens": {"type": "integer"}},
    "oneOf": [_PROMPT, _MESSAGES],
}


def _issues(wai: SimpleNamespace, schema: Any, value: Any) -> list[tuple[str, str]]:
    return [tuple(i) for i in wai.validation.SchemaValidator(schema).issues(value)]


def test_branch_chosen_by_its_distinguishing_key(wai: SimpleNamespace) -> None:
    chat = {"messages": [{"role": "user", "content": "hi"}, {"role": "user"}], "max_tokens": "lots"}
    assert _issues(wai, _CHAT, chat) == [
        ("/max_tokens", "'lots' is not of type 'integer'"),
        ("/messages/1", "'content' is a required property"),
    ]
    assert _issues(wai, _CHAT, {"prompt": 7}) == [("/prompt", "7 is not of type 'string'")]


def test_no_branch_fits_names_the_keys_each_branch_needs(wai: SimpleNamespace) -> None:
    assert _issues(wai, _CHAT, {"promt": "hi"}) == [("", "expected `prompt` or `messages`")]


def test_both_forms_given(wai: SimpleNamespace) -> None:
    loose = {"oneOf": [{"required": ["prompt"]}, {"required": ["messages"]}]}
    assert _issues(wai, loose, {"prompt": "x", "messages": []}) == [
        ("", "give only one of `prompt` or `messages`")
    ]


def test_wrong_type_is_reported_once(wai: SimpleNamespace) -> None:
    assert _issues(wai, _CHAT, []) == [("", "[] is not of type 'object'")]


def test_huge_prompt_over_max_length_gives_a_short_message(wai: SimpleNamespace) -> None:
    issues = _issues(wai, _CHAT, {"prompt": "x" * 100_000_000})
    assert [pointer for pointer, _ in issues] == ["/prompt"]
    message = issues[0][1]
    assert message.endswith("is too long") and len(message) < 2 * wai.explain.QUOTE_LIMIT


def test_long_enum_is_not_listed_in_full(wai: SimpleNamespace) -> None:
    issues = _issues(wai, {"enum": [f"value-{i}" for i in range(10_000)]}, "nope")
    assert issues == [
        (
            "",
            "'nope' is not one of ['value-0', 'value-1', 'value-2', 'value-3', 'value-4', "
            "'value-5', ...] (10000 values)",
        )
    ]


def test_many_failures_are_capped(wai: SimpleNamespace) -> None:
    issues = _issues(wai, {"type": "array", "items": {"type": "integer"}}, ["a" * 500] * 100_000)
    limit = wai.explain.MAX_ISSUES
    assert len(issues) == limit + 1 and issues[-1][1].startswith("further problems not shown")
    assert all(len(message) <= 2 * wai.explain.QUOTE_LIMIT + 40 for _, message in issues)


@pytest.mark.parametrize(
    "value",
    [
        {"prompt": "p" * 10_000_000},
        {"messages": [{"role": "r" * 1_000_000}] * 20},
        {"k" * 1_000_000: 1, "prompt": 1},
        {"prompt": "x", "max_tokens": ["lots"] * 1_000_000},
    ],
)
def test_whole_error_message_stays_under_10000_characters(
    harness: Harness, server: FaultServer, value: Any
) -> None:
    with pytest.raises(harness.wai.errors.InputValidationError) as info:
        harness.run(LLAMA, value)
    assert server.count == 0
    assert len(str(info.value)) < 10_000
