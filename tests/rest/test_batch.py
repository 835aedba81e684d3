"""`client.batch`: a scripted batch goes queued -> running -> done over a real socket, sync and async."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from rest_support import ACCOUNT, PREFIX, TOKEN, Client, resolve, run

from tests.support.fault_server import FaultServer, Reply
from workers_ai._batch import MAX_BATCH_BYTES, BatchResult
from workers_ai.errors import (
    AuthenticationError,
    BatchTimeoutError,
    InputValidationError,
    ServerInputValidationError,
)

BGE = "@cf/baai/bge-small-en-v1.5"
RUN_PATH = f"{PREFIX}/ai/run/{BGE}?queueRequest=true"
REQUEST_ID = "768f15b7-4fd6-4498-906e-ad94ffc7f8d2"
ROOT = Path(__file__).resolve().parents[2]


def queued(status: str = "queued") -> Reply:
    return Reply.envelope({"status": status, "request_id": REQUEST_ID, "model": BGE})


def done() -> Reply:
    # Out of order on purpose; the failed one and the one with a result that does not match the output
    # schema become typed per-item failures, the others parse into the model's output type.
    responses = [
        {"id": 2, "success": False, "external_reference": None, "result": {"error": "input too long"}},
        {
            "id": 0,
            "success": True,
            "external_reference": "ref-a",
            "result": {"shape": [1, 2], "data": [[0.5, 1.5]]},
        },
        {"id": 3, "success": True, "external_reference": None, "result": "not an object"},
        {
            "id": 1,
            "success": True,
            "external_reference": None,
            "result": {"shape": [1, 2], "data": [[2.0, 3.0]]},
        },
    ]
    usage = {"prompt_tokens": 7, "completion_tokens": 0, "total_tokens": 7}
    return Reply.envelope({"responses": responses, "usage": usage})


INPUTS: list[Any] = [
    {"text": "a", "external_reference": "ref-a"},
    {"text": "b"},
    {"text": ["c", "d"], "pooling": "cls"},
    {"text": "e"},
]


def check_result(result: BatchResult[Any]) -> None:
    assert [item.index for item in result.items] == [0, 1, 2, 3]
    assert [item.external_reference for item in result.items] == ["ref-a", None, None, None]
    assert [item.ok for item in result.items] == [True, True, False, False]
    first = result.items[0].result
    assert first is not None and first.root.data == [[0.5, 1.5]]
    failed, invalid = result.items[2].error, result.items[3].error
    assert failed is not None and (failed.kind, failed.message) == ("failed", "input too long")
    assert invalid is not None and invalid.kind == "invalid_result" and invalid.issues
    assert result.usage["total_tokens"] == 7
    assert len(result.failures) == 2


def test_submit_poll_until_done(mode: str, server: FaultServer) -> None:
    server.enqueue(queued(), queued(), queued("running"), done())

    async def scenario(client: Client) -> None:
        job = await resolve(client.batch.submit(BGE, INPUTS))
        assert (job.model, job.request_id) == (BGE, REQUEST_ID)
        assert await resolve(job.status()) == "queued"
        check_result(await resolve(job.wait(timeout=10, interval=0.001)))

    run(mode, server, scenario)
    submit, *polls = server.requests
    assert (submit.method, submit.path) == ("POST", RUN_PATH)
    assert submit.json() == {
        "requests": [
            {"text": "a", "external_reference": "ref-a"},
            {"text": "b"},
            {"text": ["c", "d"], "pooling": "cls"},
            {"text": "e"},
        ]
    }
    assert [(p.method, p.path, p.json()) for p in polls] == [
        ("POST", RUN_PATH, {"request_id": REQUEST_ID})
    ] * 3


def test_bad_inputs_are_named_by_index_and_nothing_is_sent(mode: str, server: FaultServer) -> None:
    async def scenario(client: Client) -> None:
        with pytest.raises(InputValidationError) as caught:
            await resolve(client.batch.submit(BGE, [{"text": "fine"}, {"text": ""}, {"txt": 1}]))
        pointers = {issue.pointer for issue in caught.value.errors}
        assert any(p.startswith("/requests/1") for p in pointers)
        assert any(p.startswith("/requests/2") for p in pointers)
        assert not any(p.startswith("/requests/0") for p in pointers)
        with pytest.raises(InputValidationError, match="external_reference"):
            await resolve(client.batch.submit(BGE, [{"text": "a", "external_reference": 5}]))
        with pytest.raises(InputValidationError, match="at least one input"):
            await resolve(client.batch.submit(BGE, []))
        with pytest.raises(InputValidationError, match="does not accept batches"):
            await resolve(client.batch.submit("@cf/meta/llama-3.2-1b-instruct", [{"prompt": "hi"}]))  # type: ignore[call-overload]
        with pytest.raises(InputValidationError, match="smaller batches"):
            await resolve(client.batch.submit(BGE, [{"text": "x" * MAX_BATCH_BYTES}]))
        with pytest.raises(InputValidationError, match="cannot be sent as JSON"):
            await resolve(
                client.batch.submit(
                    BGE,
                    [
                        {"text": "a", "external_reference": "r", "pooling": "cls"},
                        {"text": "b", "extra": float("nan")},
                    ],
                )
            )
        with pytest.raises(InputValidationError, match="request_id"):
            client.batch.resume(BGE, " ")

    run(mode, server, scenario)
    assert server.count == 0


def test_wait_times_out_with_a_resumable_error(mode: str, server: FaultServer) -> None:
    server.enqueue(queued())
    server.burst(queued("running"), 50)

    async def scenario(client: Client) -> None:
        job = await resolve(client.batch.submit(BGE, [{"text": "a"}]))
        with pytest.raises(BatchTimeoutError) as caught:
            await resolve(job.wait(timeout=0.05, interval=0.01))
        assert caught.value.request_id == REQUEST_ID
        assert f"client.batch.resume('{BGE}', '{REQUEST_ID}')" in str(caught.value)

    run(mode, server, scenario)
    assert 2 <= server.count < 50


def test_resume_in_another_process(server: FaultServer, tmp_path: Path) -> None:
    """The request id is all a second process needs: it polls the same model and reads typed results."""
    server.enqueue(queued("running"), done())
    script = textwrap.dedent(
        f"""
        import json
        from workers_ai import WorkersAI
        with WorkersAI(account_id={ACCOUNT!r}, api_token={TOKEN!r}, base_url={server.base_url!r}) as client:
            result = client.batch.resume({BGE!r}, {REQUEST_ID!r}).wait(timeout=10, interval=0.001)
        print(json.dumps([[i.index, i.ok, type(i.result).__name__] for i in result.items]))
        """
    )
    env = {"PYTHONPATH": f"{ROOT}:{ROOT / 'generated'}", "PATH": "/usr/bin:/bin"}
    done_process = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, env=env, check=True
    )
    assert json.loads(done_process.stdout) == [
        [0, True, "BaaiBgeSmallEnV1_5Output"],
        [1, True, "BaaiBgeSmallEnV1_5Output"],
        [2, False, "NoneType"],
        [3, False, "NoneType"],
    ]
    assert [r.json() for r in server.requests] == [{"request_id": REQUEST_ID}] * 2


def test_api_errors_name_the_model(mode: str, server: FaultServer) -> None:
    server.enqueue(Reply.failure(400, 5006, "AiError: Bad input: Error: '/requests/0/text' is too long"))

    async def scenario(client: Client) -> None:
        with pytest.raises(ServerInputValidationError) as caught:
            await resolve(client.batch.submit(BGE, [{"text": "a"}]))
        assert caught.value.model == BGE and caught.value.attempts == 1

    run(mode, server, scenario)
    assert server.count == 1


def test_wait_backs_off_between_polls(
    mode: str, server: FaultServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from workers_ai import _retry

    waits: list[float] = []

    async def record_async(seconds: float) -> None:
        waits.append(seconds)

    monkeypatch.setattr(_retry, "sleep", waits.append)
    monkeypatch.setattr(_retry, "async_sleep", record_async)
    server.enqueue(queued(), queued(), queued("running"), queued("running"), queued("running"), done())

    async def scenario(client: Client) -> None:
        job = await resolve(client.batch.submit(BGE, INPUTS))
        check_result(await resolve(job.wait(timeout=None, interval=2.0)))

    run(mode, server, scenario)
    assert waits == [2.0, 3.0, 4.5, 6.75]


def test_the_token_stays_out_of_errors_and_reprs(mode: str, server: FaultServer) -> None:
    server.enqueue(Reply.failure(401, 10000, "Authentication error"))

    async def scenario(client: Client) -> None:
        with pytest.raises(AuthenticationError) as caught:
            await resolve(client.tasks.list())
        job = client.batch.resume(BGE, REQUEST_ID)
        for text in (
            str(caught.value),
            repr(caught.value),
            repr(job),
            repr(client.models),
            repr(client.batch),
        ):
            assert TOKEN not in text

    run(mode, server, scenario)
