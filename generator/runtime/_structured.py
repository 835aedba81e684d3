"""`client.parse(model, messages=..., response_model=...)`: a validated pydantic object from a chat model.

The method comes from the model's catalog data (`ModelInfo.structured_output`, decided by the generator
from the input schema and the catalog properties, never from the model's name):

- `json_schema`: `response_format: {"type": "json_schema", "json_schema": <schema>}` (OpenAI's
  `{"name", "schema"}` wrapper where the model's schema asks for it);
- `guided_json`: `guided_json: <schema>`;
- `tool_call`: one tool whose parameters are the schema, forced with `tool_choice` where the model takes
  it; its arguments are the result;
- `json_object`: `response_format: {"type": "json_object"}` with the schema in a system message.

The answer may be an object (JSON mode) or text holding JSON, possibly in a Markdown code fence or after a
`<think>` block. With `max_attempts > 1`, an answer that is not JSON or does not validate is shown to the
model with the error and asked again; "JSON Mode couldn't be met" is asked again as it was. The last failure
is raised: `InvalidJSONError`, `OutputValidationError` or `JSONModeError` (all `StructuredOutputError`,
with the raw text). Streaming is refused (`JSONModeStreamingError`) before anything is sent.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from ._model_info import StructuredOutputMethod, model_info
from ._replies import (
    json_text,
    message_fields,
    plain,
    raw_result,
    reply_text,
    request_property,
    schema_resource,
)
from ._tool_calls import raw_tool_calls, tool_parameters
from ._validation import pydantic_issues
from .errors import (
    APIError,
    InputValidationError,
    InvalidJSONError,
    Issue,
    JSONModeError,
    JSONModeStreamingError,
    OutputValidationError,
    ResponseValidationError,
    StructuredOutputError,
    StructuredOutputUnsupportedError,
)

if TYPE_CHECKING:
    from ._base_client import AsyncClient, SyncClient

__all__ = ["ParsedOutput", "parse_async", "parse_sync"]

M = TypeVar("M", bound=BaseModel)
Messages = Sequence[Mapping[str, Any]]
Options = Mapping[str, Any]
logger = logging.getLogger("workers_ai")

# Input fields `parse` sets itself; passing them as options would fight the chosen method.
_OWN_FIELDS = ("messages", "response_format", "guided_json", "tools", "tool_choice", "functions", "stream")
_JSON_MODE_FAILED = re.compile(r"json mode couldn'?t be met", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ParsedOutput(Generic[M]):
    """What `client.parse` returns."""

    parsed: M
    """The answer validated into the response model."""
    method: StructuredOutputMethod
    """How the model was asked for JSON: "json_schema", "guided_json", "tool_call" or "json_object"."""
    raw: str
    """The model's answer as JSON text (as it came, code fence included)."""
    attempts: int
    """Requests made (more than 1 when an invalid answer was fed back)."""
    result: Any
    """The last reply's `result` as plain JSON (usage figures, ids, ...)."""


def _tool_name(response_model: type[BaseModel]) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "_", response_model.__name__)[:64] or "result"


class _ParseSession(Generic[M]):
    """One `parse` call without I/O: the next request, and the verdict on each reply."""

    def __init__(
        self,
        model: str,
        messages: Sequence[Mapping[str, Any]],
        response_model: type[M],
        max_attempts: int,
        options: Mapping[str, Any],
        schema_resource: str | None,
    ) -> None:
        info = model_info(model) if isinstance(model, str) else None
        if info is None or info.structured_output is None:
            raise StructuredOutputUnsupportedError(
                model if isinstance(model, str) else None,
                [
                    Issue(
                        "", "this model has no JSON mode, guided_json or function calling; parse() needs one"
                    )
                ],
            )
        if options.get("stream"):
            raise JSONModeStreamingError(
                model, [Issue("/stream", "parse() cannot stream: JSON mode is not streamed")]
            )
        taken = sorted(set(options) & set(_OWN_FIELDS))
        if taken:
            raise InputValidationError(
                model, [Issue(f"/{name}", "set by parse(); do not pass it") for name in taken]
            )
        if not isinstance(max_attempts, int) or max_attempts < 1:
            raise InputValidationError(
                model, [Issue("", f"max_attempts must be an int >= 1, not {max_attempts!r}")]
            )
        self.model = model
        self.info = info
        self.schema_resource = schema_resource
        self.method: StructuredOutputMethod = info.structured_output
        self.response_model = response_model
        self.max_attempts = max_attempts
        self.options = dict(options)
        self.schema = response_model.model_json_schema()
        self.tool_name = _tool_name(response_model)
        self.messages = [dict(m) for m in messages]
        self.attempts = 0

    # -- requests ------------------------------------------------------------------------------------------

    def request(self) -> dict[str, Any]:
        self.attempts += 1
        logger.debug("parse(%s): attempt %d via %s", self.model, self.attempts, self.method)
        document: dict[str, Any] = {**self.options, "messages": list(self.messages)}
        schema_text = json.dumps(self.schema, ensure_ascii=False)
        if self.method == "json_schema":
            inner: Any = self.schema
            if self.info.json_schema_named:
                inner = {"name": self.tool_name, "schema": self.schema}
            document["response_format"] = {"type": "json_schema", "json_schema": inner}
        elif self.method == "guided_json":
            document["guided_json"] = self.schema
        elif self.method == "tool_call":
            document["tools"] = [
                {
                    "type": "function",
                    "function": {
                        "name": self.tool_name,
                        "description": self.schema.get("description")
                        or f"Record the {self.tool_name} answer.",
                        "parameters": tool_parameters(self.schema),
                    },
                }
            ]
            if self.schema_resource and request_property(self.schema_resource, "tool_choice") is not None:
                document["tool_choice"] = {"type": "function", "function": {"name": self.tool_name}}
            instruction = f"Answer by calling the tool {self.tool_name} with the answer as its arguments."
            document["messages"] = self._instructed(instruction)
        else:
            document["response_format"] = {"type": "json_object"}
            instruction = f"Answer with one JSON object only, valid against this JSON Schema: {schema_text}"
            document["messages"] = self._instructed(instruction)
        return document

    def _instructed(self, instruction: str) -> list[dict[str, Any]]:
        """The messages with `instruction` as a system message, or ahead of the first user message for a
        model whose messages take no system role."""
        roles = message_fields(self.schema_resource) if self.schema_resource else {}
        if not roles or "system" in roles or "*" in roles:
            return [{"role": "system", "content": instruction}, *self.messages]
        messages = [dict(m) for m in self.messages]
        first = next(
            (m for m in messages if m.get("role") == "user" and isinstance(m.get("content"), str)), None
        )
        if first is None:
            return [{"role": "user", "content": instruction}, *messages]
        first["content"] = f"{instruction}\n\n{first['content']}"
        return messages

    # -- replies -------------------------------------------------------------------------------------------

    def outcome(self, result: Any) -> ParsedOutput[M] | None:
        """The verdict on one call: its result, or the `ResponseValidationError` / `APIError` it raised
        (the result is then read from the raw reply, or the error raised or asked again)."""
        if isinstance(result, ResponseValidationError):
            return self.read(raw_result(result))
        if isinstance(result, APIError):
            self.api_failed(result)
            return None
        return self.read(result)

    def api_failed(self, error: APIError) -> None:
        """An API error: "JSON Mode couldn't be met" is asked again while attempts remain; the rest raise."""
        messages = [error.message, *(d.message for d in error.errors)]
        if not any(_JSON_MODE_FAILED.search(m) for m in messages):
            raise error
        if self.attempts >= self.max_attempts:
            raise JSONModeError(
                "The API could not meet JSON mode for this schema", model=self.model, attempts=self.attempts
            ) from error

    def read(self, result: Any) -> ParsedOutput[M] | None:
        """The parsed output, or None after queueing the feedback for another attempt."""
        result = plain(result)
        answer = self._answer(result)
        raw = answer if isinstance(answer, str) or answer is None else json.dumps(answer, ensure_ascii=False)
        try:
            value = self._decode(answer, raw)
            try:
                parsed = self.response_model.model_validate(value)
            except ValidationError as exc:
                issues = pydantic_issues(exc, value)
                raise OutputValidationError(
                    f"The answer does not validate against {self.response_model.__name__}",
                    model=self.model,
                    raw=raw,
                    attempts=self.attempts,
                    errors=issues,
                ) from None
        except StructuredOutputError as error:
            if self.attempts >= self.max_attempts:
                raise
            self._feed_back(raw, error)
            return None
        return ParsedOutput(parsed, self.method, raw or "", self.attempts, result)

    def _answer(self, result: Any) -> Any:
        if self.method != "tool_call":
            return reply_text(result)
        for call in raw_tool_calls(result):
            if call.get("name") == self.tool_name:
                return call.get("arguments")
        return reply_text(result)  # some models answer in the content instead of calling the tool

    def _decode(self, answer: Any, raw: str | None) -> Any:
        if not isinstance(answer, str):
            if answer is None:
                raise InvalidJSONError(
                    "The reply holds no answer", model=self.model, raw=raw, attempts=self.attempts
                )
            return answer
        try:
            return json.loads(json_text(answer))
        except ValueError as exc:
            raise InvalidJSONError(
                f"The answer is not JSON ({exc})", model=self.model, raw=raw, attempts=self.attempts
            ) from None

    def _feed_back(self, raw: str | None, error: StructuredOutputError) -> None:
        problem = error.message
        if isinstance(error, OutputValidationError):
            problem += ": " + "; ".join(f"{i.pointer or '(root)'}: {i.message}" for i in error.errors)
        self.messages += [
            {"role": "assistant", "content": raw or ""},
            {
                "role": "user",
                "content": f"That answer is invalid. {problem}. Reply again with only the corrected JSON.",
            },
        ]


# The sync and async `parse` differ only in awaiting the call; `_ParseSession.outcome` judges each reply
# (`tries`: the caller's `max_attempts`).
def parse_sync(
    client: SyncClient, model: str, messages: Messages, response_model: type[M], tries: int, options: Options
) -> ParsedOutput[M]:
    session = _ParseSession(model, messages, response_model, tries, options, schema_resource(client, model))
    while True:
        try:
            result: Any = client._run(model, session.request())
        except (ResponseValidationError, APIError) as exc:
            result = exc
        parsed = session.outcome(result)
        if parsed is not None:
            return parsed


async def parse_async(
    client: AsyncClient, model: str, messages: Messages, response_model: type[M], tries: int, options: Options
) -> ParsedOutput[M]:
    session = _ParseSession(model, messages, response_model, tries, options, schema_resource(client, model))
    while True:
        try:
            result: Any = await client._run(model, session.request())
        except (ResponseValidationError, APIError) as exc:
            result = exc
        parsed = session.outcome(result)
        if parsed is not None:
            return parsed
