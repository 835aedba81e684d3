# Copied by workers-ai-codegen from generator/runtime/_batch.py: edit it there.
"""Asynchronous batch inference (beta): queue many inputs for one model, poll, read typed results.

    job = client.batch.submit("@cf/baai/bge-large-en-v1.5", [{"text": "a"}, {"text": "b", "external_reference": "x"}])
    saved = job.request_id                     # resume elsewhere: client.batch.resume(model, saved)
    result = job.wait(timeout=600)             # BatchResult: .items in request order, .usage
    for item in result.items:
        print(item.index, item.external_reference, item.result if item.ok else item.error)

Protocol (Workers AI REST docs, "Batch API"): `POST /ai/run/{model}?queueRequest=true` with
`{"requests": [input, ...]}` (each input may carry an `external_reference`) answers
`{status: "queued", request_id, model}`; POSTing `{"request_id": ...}` to the same model answers
`{status: "queued" | "running", ...}` until it answers `{responses: [{id, result, success,
external_reference}], usage}`. Cloudflare's pages disagree on whether the poll keeps `?queueRequest=true`;
the REST API page shows it, so this client sends it, and `POLL_WITH_QUEUE_REQUEST` is the one switch.

Before anything is sent, every input is checked against the model's input schema (errors name the index,
`/requests/3/text`), and the whole body must stay under `MAX_BATCH_BYTES`; only models whose catalog
properties carry `async_queue` are accepted (the generated client lists them).
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar
from urllib.parse import quote

from . import _retry
from ._binary import RawBody, prepare_input
from ._rest import Reply, encode_json
from ._validation import validate_output
from .errors import BatchTimeoutError, InputValidationError, Issue, MalformedResponseError

if TYPE_CHECKING:
    from ._base_client import AsyncClient, SyncClient
    from ._plan import Plan as _Plan

__all__ = [
    "MAX_BATCH_BYTES",
    "PENDING_STATES",
    "POLL_WITH_QUEUE_REQUEST",
    "AsyncBatchJob",
    "AsyncBatches",
    "BatchItem",
    "BatchItemFailure",
    "BatchJob",
    "BatchResult",
    "Batches",
]

MAX_BATCH_BYTES = 10_000_000  # "Ensure that the total payload is under 10 MB."
PENDING_STATES = frozenset({"queued", "running"})
POLL_WITH_QUEUE_REQUEST = True  # as the REST API page shows it
MAX_POLL_INTERVAL = 30.0
POLL_BACKOFF = 1.5

OutputT = TypeVar("OutputT")
ClientT = TypeVar("ClientT", "SyncClient", "AsyncClient")


@dataclass(frozen=True)
class BatchItemFailure:
    """Why one request of a batch has no usable result: the server said `success: false`
    (`kind="failed"`), or its result does not match the output schema (`kind="invalid_result"`)."""

    kind: str
    message: str
    raw: Any = None
    issues: tuple[Issue, ...] = ()


@dataclass(frozen=True)
class BatchItem(Generic[OutputT]):
    """One request's outcome, at its position (`index`) in the submitted inputs."""

    index: int
    external_reference: str | None
    result: OutputT | None
    error: BatchItemFailure | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True)
class BatchResult(Generic[OutputT]):
    request_id: str
    model: str
    items: list[BatchItem[OutputT]]
    usage: dict[str, Any] = field(default_factory=dict)

    @property
    def failures(self) -> list[BatchItem[OutputT]]:
        return [item for item in self.items if not item.ok]


def _issue_path(index: int, pointer: str) -> str:
    return f"/requests/{index}{pointer}"


def encode_requests(client: SyncClient | AsyncClient, model: str, inputs: Sequence[Any]) -> bytes:
    """The request body for `inputs`, checked: every failure of every input in one error, and the size."""
    plan, _ = client._route(model)
    if isinstance(inputs, str | bytes | Mapping) or not isinstance(inputs, Sequence):
        raise InputValidationError(model, [Issue("/requests", "inputs must be a list of inputs")])
    if not inputs:
        raise InputValidationError(model, [Issue("/requests", "a batch needs at least one input")])
    requests: list[Any] = []
    issues: list[Issue] = []
    for index, item in enumerate(inputs):
        reference = None
        if isinstance(item, Mapping) and "external_reference" in item:
            reference = item["external_reference"]
            item = {k: v for k, v in item.items() if k != "external_reference"}
            if not isinstance(reference, str):
                issues.append(Issue(_issue_path(index, "/external_reference"), "must be a string"))
        try:
            document = prepare_input(plan.spec, item, model)
        except InputValidationError as exc:
            issues.extend(Issue(_issue_path(index, i.pointer), i.message) for i in exc.errors)
            continue
        if type(document) is RawBody:
            issues.append(Issue(_issue_path(index, ""), "a raw binary body cannot be queued in a batch"))
            continue
        if plan.validator is not None:
            issues.extend(
                Issue(_issue_path(index, i.pointer), i.message) for i in plan.validator.issues(document)
            )
        if isinstance(document, dict) and reference is not None:
            document = {**document, "external_reference": reference}
        requests.append(document)
    if issues:
        raise InputValidationError(model, issues)
    try:
        body = encode_json({"requests": requests})
    except (TypeError, ValueError) as exc:
        raise InputValidationError(model, [Issue("/requests", f"cannot be sent as JSON: {exc}")]) from None
    if len(body) >= MAX_BATCH_BYTES:
        raise InputValidationError(
            model,
            [
                Issue(
                    "/requests",
                    f"the batch is {len(body):,} bytes; the Batch API takes less than {MAX_BATCH_BYTES:,} "
                    "bytes per request: submit the inputs in smaller batches",
                )
            ],
        )
    return body


def _state(reply: Reply, what: str) -> Mapping[str, Any]:
    if not isinstance(reply.result, Mapping):
        raise MalformedResponseError(f"{what}: the batch reply 'result' is not an object")
    return reply.result


def parse_results(
    plan: _Plan, strict: bool, request_id: str, document: Mapping[str, Any]
) -> BatchResult[Any]:
    responses = document.get("responses")
    if not isinstance(responses, list) or not all(isinstance(r, Mapping) for r in responses):
        raise MalformedResponseError(
            f"batch {request_id}: 'responses' is not a list of objects", model=plan.model
        )
    ordered = sorted(
        enumerate(responses),
        key=lambda pair: pair[1].get("id") if isinstance(pair[1].get("id"), int) else pair[0],
    )
    items: list[BatchItem[Any]] = []
    for position, entry in ordered:
        index = entry.get("id") if isinstance(entry.get("id"), int) else position
        reference = entry.get("external_reference")
        reference = reference if isinstance(reference, str) else None
        raw = entry.get("result")
        if entry.get("success") is False:
            message = raw.get("error") if isinstance(raw, Mapping) else None
            failure = BatchItemFailure("failed", str(message or "the request failed"), raw)
            items.append(BatchItem(index, reference, None, failure))
            continue
        if plan.output_type is None:
            items.append(BatchItem(index, reference, raw))
            continue
        parsed = validate_output(plan.output_type, raw, plan.strict_validator() if strict else None)
        if type(parsed) is list:
            failure = BatchItemFailure(
                "invalid_result", "the result does not match the output schema", raw, tuple(parsed)
            )
            items.append(BatchItem(index, reference, None, failure))
        else:
            items.append(BatchItem(index, reference, parsed))
    usage = document.get("usage")
    return BatchResult(request_id, plan.model, items, dict(usage) if isinstance(usage, Mapping) else {})


def _queued_id(reply: Reply, model: str) -> str:
    state = _state(reply, f"batch for {model}")
    request_id = state.get("request_id")
    if not isinstance(request_id, str) or not request_id:
        raise MalformedResponseError(f"the batch reply for {model} has no request_id", model=model)
    return request_id


def _check_request_id(model: str, request_id: str) -> str:
    if not isinstance(request_id, str) or not request_id.strip():
        raise InputValidationError(model, [Issue("/request_id", "must be a non-empty string")])
    return request_id


class _Batches:
    """Shared by the sync and async batch resources; the generated subclasses set `accepted`."""

    accepted: ClassVar[frozenset[str]] = frozenset()

    def _accept(self, model: str) -> None:
        if model not in self.accepted:
            raise InputValidationError(
                model,
                [
                    Issue(
                        "", "this model does not accept batches (its catalog properties have no async_queue)"
                    )
                ],
            )

    @staticmethod
    def _path(model: str) -> str:
        # As for `run`: the model id goes into the path as documented, slashes kept.
        return "/ai/run/" + quote(model, safe="/@:+")


class _Job(Generic[ClientT, OutputT]):
    """A queued batch, without I/O: the poll request, the verdict on a polled state, the waits between
    polls. `BatchJob` / `AsyncBatchJob` only send the poll and sleep."""

    def __init__(self, client: ClientT, model: str, request_id: str) -> None:
        self._client: ClientT = client
        self.model = model
        self.request_id = request_id

    def __repr__(self) -> str:
        return f"{type(self).__name__}(model={self.model!r}, request_id={self.request_id!r})"

    def _poll_args(self) -> dict[str, Any]:
        return {
            "params": {"queueRequest": True} if POLL_WITH_QUEUE_REQUEST else None,
            "json_body": {"request_id": self.request_id},
            "model": self.model,
        }

    def _status(self, reply: Reply) -> str:
        state = _state(reply, f"batch {self.request_id}")
        return "done" if "responses" in state else str(state.get("status", "unknown"))

    def _result(self, reply: Reply) -> BatchResult[OutputT] | None:
        state = _state(reply, f"batch {self.request_id}")
        if "responses" not in state:
            return None
        plan, _ = self._client._route(self.model)
        return parse_results(plan, self._client.strict, self.request_id, state)

    def _waits(self, timeout: float | None, interval: float) -> Iterator[float]:
        """The waits between polls from now: `interval`, growing `POLL_BACKOFF` times per poll up to
        `MAX_POLL_INTERVAL`; raises `BatchTimeoutError` instead of a wait that would end after `timeout`."""
        deadline = None if timeout is None else time.monotonic() + timeout
        return self._backoff(deadline, timeout, interval)

    def _backoff(self, deadline: float | None, timeout: float | None, delay: float) -> Iterator[float]:
        while True:
            if deadline is not None and time.monotonic() + delay > deadline:
                raise BatchTimeoutError(self.model, self.request_id, timeout)
            yield delay
            delay = min(delay * POLL_BACKOFF, MAX_POLL_INTERVAL)


class BatchJob(_Job["SyncClient", OutputT]):
    """A queued batch. Keep `request_id` (and the model) to resume it later, in any process."""

    def _poll(self) -> Reply:
        return self._client._rest_session().request("POST", _Batches._path(self.model), **self._poll_args())

    def status(self) -> str:
        """ "queued", "running" or "done"."""
        return self._status(self._poll())

    def result(self) -> BatchResult[OutputT] | None:
        """The results if the batch is done, else None (one poll)."""
        return self._result(self._poll())

    def wait(self, timeout: float | None = 600.0, interval: float = 1.0) -> BatchResult[OutputT]:
        """Poll until done: waits `interval` seconds, growing 1.5x per poll up to 30 s; raises
        `BatchTimeoutError` after `timeout` seconds (None: no limit)."""
        waits = self._waits(timeout, interval)
        while (done := self.result()) is None:
            _retry.sleep(next(waits))
        return done


class AsyncBatchJob(_Job["AsyncClient", OutputT]):
    """Async twin of `BatchJob`."""

    async def _poll(self) -> Reply:
        rest = self._client._rest_session()
        return await rest.request("POST", _Batches._path(self.model), **self._poll_args())

    async def status(self) -> str:
        return self._status(await self._poll())

    async def result(self) -> BatchResult[OutputT] | None:
        return self._result(await self._poll())

    async def wait(self, timeout: float | None = 600.0, interval: float = 1.0) -> BatchResult[OutputT]:
        waits = self._waits(timeout, interval)
        while (done := await self.result()) is None:
            await _retry.async_sleep(next(waits))
        return done


class Batches(_Batches):
    """`client.batch` (sync). The generated `Batch` subclass types `submit` / `resume` per model."""

    def __init__(self, client: SyncClient) -> None:
        self._client = client

    def _submit(self, model: str, inputs: Sequence[Any]) -> BatchJob[Any]:
        self._accept(model)
        body = encode_requests(self._client, model, inputs)
        rest = self._client._rest_session()
        reply = rest.request(
            "POST", self._path(model), params={"queueRequest": True}, json_body=body, model=model
        )
        return BatchJob(self._client, model, _queued_id(reply, model))

    def _resume(self, model: str, request_id: str) -> BatchJob[Any]:
        self._accept(model)
        return BatchJob(self._client, model, _check_request_id(model, request_id))


class AsyncBatches(_Batches):
    """`client.batch` (async)."""

    def __init__(self, client: AsyncClient) -> None:
        self._client = client

    async def _submit(self, model: str, inputs: Sequence[Any]) -> AsyncBatchJob[Any]:
        self._accept(model)
        body = encode_requests(self._client, model, inputs)
        rest = self._client._rest_session()
        reply = await rest.request(
            "POST", self._path(model), params={"queueRequest": True}, json_body=body, model=model
        )
        return AsyncBatchJob(self._client, model, _queued_id(reply, model))

    def _resume(self, model: str, request_id: str) -> AsyncBatchJob[Any]:
        self._accept(model)
        return AsyncBatchJob(self._client, model, _check_request_id(model, request_id))
