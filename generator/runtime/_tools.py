"""Tool calling: tools from pydantic models or typed functions, typed tool calls, and the tool loop.

- `Tool.from_function(fn)` / `Tool.from_model(Model, function=...)` (or just the function or the class in
  `tools=[...]`): the JSON Schema comes from pydantic; before anything is sent the definitions are checked
  against the model's own `tools` input schema (`ToolDefinitionError` with pointers under `/tools`).
- `client.tool_calls(...)` makes one request and returns `ToolCallReply` with `ToolCall`s whose
  `arguments` are validated into the tool's pydantic model (`UnknownToolError`, `ToolArgumentsError`);
  with `stream=True` the calls are assembled from the streamed chunks.
- `client.run_tools(...)` repeats: ask, run the called functions, append the assistant's calls and the
  results in the message shape the model's schema declares (OpenAI `tool_calls` + `tool_call_id`, or
  Workers AI's `{role, content}` messages), until the model answers without calling a tool.
"""

from __future__ import annotations

import inspect
import json
import typing
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ValidationError, create_model

from ._model_info import model_info
from ._replies import message_fields, plain, reply_text, request_property, schema_resource
from ._tool_calls import RawCall, ToolCallAssembler, raw_tool_calls, tool_parameters
from ._validation import SchemaValidator, pydantic_issues
from .errors import (
    InputValidationError,
    Issue,
    ToolArgumentsError,
    ToolCallError,
    ToolDefinitionError,
    ToolStepLimitError,
    ToolsUnsupportedError,
    UnknownToolError,
)

if TYPE_CHECKING:
    from ._base_client import AsyncClient, SyncClient

__all__ = [
    "Tool",
    "ToolCall",
    "ToolCallReply",
    "ToolLike",
    "ToolLoopResult",
    "ToolSession",
    "as_tool",
    "definition_error",
]

A = TypeVar("A", bound=BaseModel)


@dataclass(frozen=True)
class Tool:
    """A tool the model may call: `parameters` is the pydantic model its arguments validate into."""

    name: str
    description: str
    parameters: type[BaseModel]
    function: Callable[..., Any] | None = None
    _spread: bool = field(default=False, repr=False)  # call `function(**arguments)` (from a function)

    @classmethod
    def from_function(
        cls, function: Callable[..., Any], *, name: str | None = None, description: str | None = None
    ) -> Tool:
        """A tool from a typed function: its parameters (annotated) become the schema, its docstring the
        description."""
        tool_name = str(name or getattr(function, "__name__", ""))
        hints = typing.get_type_hints(function, include_extras=True)
        fields: dict[str, Any] = {}
        for parameter in inspect.signature(function).parameters.values():
            if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
                raise definition_error(f"{tool_name}: *args / **kwargs cannot be described to a model")
            if parameter.name not in hints:
                raise definition_error(f"{tool_name}: parameter {parameter.name!r} needs a type annotation")
            default = ... if parameter.default is parameter.empty else parameter.default
            fields[parameter.name] = (hints[parameter.name], default)
        arguments = create_model(f"{_pascal(tool_name)}Arguments", **fields)
        text = description or inspect.getdoc(function)
        return cls(_checked_name(tool_name), _checked_description(tool_name, text), arguments, function, True)

    @classmethod
    def from_model(
        cls,
        parameters: type[BaseModel],
        function: Callable[[Any], Any] | None = None,
        *,
        name: str | None = None,
        description: str | None = None,
    ) -> Tool:
        """A tool whose arguments are `parameters` (its docstring is the description); `function`, if
        given, is called with the validated instance by `run_tools`."""
        tool_name = name or parameters.__name__
        text = description or parameters.__dict__.get("__doc__")
        return cls(_checked_name(tool_name), _checked_description(tool_name, text), parameters, function)

    def definition(self) -> dict[str, Any]:
        """The tool as the request's `tools` list holds it (OpenAI's function form, which every catalog
        schema with `tools` accepts)."""
        schema = self.parameters.model_json_schema()
        schema.pop("title", None)
        return {
            "type": "function",
            "function": {
                "name": self.name,
                "description": self.description,
                "parameters": tool_parameters(schema),
            },
        }

    def invoke(self, arguments: BaseModel) -> Any:
        if self.function is None:
            raise ToolCallError(
                "This tool has no function to run; pass Tool.from_model(..., function=)", name=self.name
            )
        if self._spread:
            return self.function(**{key: getattr(arguments, key) for key in type(arguments).model_fields})
        return self.function(arguments)


ToolLike = Tool | type[BaseModel] | Callable[..., Any]
"""What `tools=[...]` takes: a `Tool`, a pydantic model class or a typed function."""


def definition_error(message: str) -> ToolDefinitionError:
    return ToolDefinitionError(None, [Issue("/tools", message)])


def _pascal(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in name.replace("-", "_").split("_")) or "Tool"


def _checked_name(name: str) -> str:
    if not name or not all(ch.isalnum() or ch in "_-" for ch in name) or len(name) > 64:
        raise definition_error(f"tool name {name!r} must be 1-64 letters, digits, '_' or '-'")
    return name


def _checked_description(name: str, text: str | None) -> str:
    if not text or not text.strip():
        raise definition_error(f"tool {name!r} needs a description: give it a docstring or description=")
    return text.strip()


def as_tool(tool: ToolLike) -> Tool:
    if isinstance(tool, Tool):
        return tool
    if isinstance(tool, type) and issubclass(tool, BaseModel):
        return Tool.from_model(tool)
    if callable(tool):
        return Tool.from_function(tool)
    raise definition_error(f"not a tool: {tool!r} (expected a Tool, a pydantic model class or a function)")


@dataclass(frozen=True)
class ToolCall:
    """One call the model asked for, its arguments validated into the tool's parameters model."""

    id: str | None
    name: str
    arguments: BaseModel
    tool: Tool
    raw_arguments: Any

    def arguments_as(self, model: type[A]) -> A:
        """The arguments typed as `model` (TypeError if this call is to another tool)."""
        if not isinstance(self.arguments, model):
            raise TypeError(
                f"the arguments of {self.name!r} are {type(self.arguments).__name__}, not {model.__name__}"
            )
        return self.arguments

    def run(self) -> Any:
        """Call the tool's function with the arguments (its return value; awaitable for async functions)."""
        return self.tool.invoke(self.arguments)


@dataclass(frozen=True)
class ToolCallReply:
    """What `client.tool_calls` returns: the typed calls, the text beside them, the raw result."""

    tool_calls: list[ToolCall]
    text: str | None
    result: Any


@dataclass(frozen=True)
class ToolLoopResult:
    """What `client.run_tools` returns."""

    text: str | None
    """The model's final answer."""
    messages: list[dict[str, Any]]
    """The whole conversation, tool calls and results included (send it again to continue)."""
    calls: list[tuple[ToolCall, Any]]
    """Every call made, with what the function returned."""
    steps: int
    """Requests made."""
    result: Any
    """The last reply's `result` as plain JSON."""


class ToolSession:
    """Request building and reply reading for `tool_calls` and `run_tools` (no I/O)."""

    def __init__(
        self,
        client: SyncClient | AsyncClient,
        model: str,
        messages: Sequence[Mapping[str, Any]],
        tools: Sequence[ToolLike],
        options: Mapping[str, Any],
    ) -> None:
        info = model_info(model) if isinstance(model, str) else None
        resource = schema_resource(client, model) if info is not None else None
        tools_schema = request_property(resource, "tools") if resource else None
        if info is None or not info.accepts_tools or resource is None or not isinstance(tools_schema, dict):
            raise ToolsUnsupportedError(
                model if isinstance(model, str) else None,
                [Issue("/tools", "this model's input takes no tools")],
            )
        taken = sorted(set(options) & {"messages", "tools", "functions", "stream"})
        if taken:
            raise InputValidationError(
                model, [Issue(f"/{name}", "set by the tool methods; do not pass it") for name in taken]
            )
        self.model = model
        self.resource = resource
        self.tools: dict[str, Tool] = {}
        for tool in map(as_tool, tools):
            if tool.name in self.tools:
                raise definition_error(f"two tools are named {tool.name!r}")
            self.tools[tool.name] = tool
        self.definitions = [tool.definition() for tool in self.tools.values()]
        issues = SchemaValidator(tools_schema).issues(self.definitions)
        if issues:
            raise ToolDefinitionError(model, [Issue("/tools" + i.pointer, i.message) for i in issues])
        self.options = dict(options)
        self.messages = [dict(m) for m in messages]

    def request(self, stream: bool = False) -> dict[str, Any]:
        document = {**self.options, "messages": list(self.messages), "tools": self.definitions}
        return {**document, "stream": True} if stream else document

    def typed(self, calls: list[RawCall]) -> list[ToolCall]:
        typed = []
        for call in calls:
            name, raw = call.get("name"), call.get("arguments")
            tool = self.tools.get(name) if isinstance(name, str) else None
            if tool is None:
                raise UnknownToolError(
                    "The model called a tool it was not offered", model=self.model, name=name, raw=raw
                )
            value = raw
            if isinstance(raw, str):
                try:
                    value = json.loads(raw) if raw.strip() else {}
                except ValueError as exc:
                    raise ToolArgumentsError(
                        f"The arguments are not JSON ({exc})", model=self.model, name=name, raw=raw
                    ) from None
            try:
                arguments = tool.parameters.model_validate({} if value is None else value)
            except ValidationError as exc:
                raise ToolArgumentsError(
                    "The arguments do not validate",
                    model=self.model,
                    name=name,
                    raw=raw,
                    errors=pydantic_issues(exc, value),
                ) from None
            typed.append(ToolCall(call.get("id"), tool.name, arguments, tool, raw))
        return typed

    def reply(self, result: Any) -> ToolCallReply:
        result = plain(result)
        text = reply_text(result)
        return ToolCallReply(
            self.typed(raw_tool_calls(result)), text if isinstance(text, str) else None, result
        )

    def streamed(self, assembler: ToolCallAssembler) -> ToolCallReply:
        return ToolCallReply(self.typed(assembler.tool_calls()), assembler.text or None, None)

    def record(self, step: int, reply: ToolCallReply, outputs: list[Any]) -> None:
        """Append the assistant's calls and the tools' results in the shape the model's messages take."""
        fields = message_fields(self.resource)
        assistant = fields.get("assistant", fields.get("*", set()))
        tool_fields = fields.get("tool", fields.get("*", set()))
        # Made-up ids are 9 letters and digits: some catalog schemas require exactly that pattern.
        ids = [call.id or f"call{step % 100:02d}{n % 1000:03d}" for n, call in enumerate(reply.tool_calls)]
        if "tool_calls" in assistant:
            calls = [
                {
                    "id": i,
                    "type": "function",
                    "function": {"name": c.name, "arguments": _dumps(c.arguments.model_dump(mode="json"))},
                }
                for i, c in zip(ids, reply.tool_calls, strict=True)
            ]
            self.messages.append({"role": "assistant", "content": reply.text or "", "tool_calls": calls})
        else:
            written = [
                {"name": c.name, "arguments": c.arguments.model_dump(mode="json")} for c in reply.tool_calls
            ]
            self.messages.append({"role": "assistant", "content": _dumps(written)})
        for call_id, call, output in zip(ids, reply.tool_calls, outputs, strict=True):
            message = {
                "role": "tool",
                "content": output if isinstance(output, str) else _dumps(plain(output)),
            }
            if "tool_call_id" in tool_fields:
                message["tool_call_id"] = call_id
            if "name" in tool_fields:
                message["name"] = call.name
            self.messages.append(message)

    def limit(self, max_steps: int) -> ToolStepLimitError:
        return ToolStepLimitError(
            f"The model still calls tools after max_steps={max_steps} requests",
            model=self.model,
            messages=self.messages,
        )


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)
