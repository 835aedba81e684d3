"""Clients across processes and abandoned streams, each in a real child interpreter (a deadlock or a
mixed-up answer there fails the test instead of hanging the suite): forking after use, pickling, and
streams dropped in a loop with and without the garbage collector."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
import textwrap
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest

from tests.runtime.runtime_pkg import ACCOUNT, DISTILBERT, LLAMA, PKG, TOKEN
from tests.support.fault_server import FaultServer, RecordedRequest, Reply, echo_text


def _echo_or_stream(request: RecordedRequest) -> Reply:
    if request.path.endswith(LLAMA):
        return Reply.sse([{"response": f"part {i}"} for i in range(5)])
    return echo_text(request)


def run_child(wai: SimpleNamespace, server: FaultServer, *parts: str, timeout: float = 60) -> Any:
    """Run the code `parts` in a new interpreter with `client_kwargs` and the test package importable;
    the last line it prints is a JSON document, returned here."""
    root = Path(wai.base_client.__file__).resolve().parents[1]
    prologue = f"""
        import asyncio, gc, json, os, sys
        sys.path.insert(0, {str(root)!r})
        import httpx
        from {PKG}.client import AsyncWorkersAI, WorkersAI
        client_kwargs = dict(
            account_id={ACCOUNT!r}, api_token={TOKEN!r}, base_url={server.base_url!r},
            timeout=httpx.Timeout(5.0, pool=2.0), max_retries=0,
        )
        DISTILBERT, LLAMA = {DISTILBERT!r}, {LLAMA!r}
    """
    script = "".join(textwrap.dedent(part) for part in (prologue, *parts))
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=timeout, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


FORK_CHILDREN = """
    def fork_all(count, call):
        children = []
        for i in range(count):
            read_end, write_end = os.pipe()
            pid = os.fork()
            if pid == 0:
                os.close(read_end)
                try:
                    label = call(f"child-{i}")
                    outcome = "ok" if label == f"child-{i}" else f"wrong answer {label}"
                except Exception as exc:
                    outcome = f"error {type(exc).__name__}"
                os.write(write_end, outcome.encode())
                os._exit(0)
            os.close(write_end)
            children.append((pid, read_end))
        outcomes = []
        for pid, read_end in children:
            with os.fdopen(read_end, "rb") as pipe:
                outcomes.append(pipe.read().decode())
            os.waitpid(pid, 0)
        return outcomes
"""


def test_forked_children_each_get_their_own_answer_sync(wai: SimpleNamespace, server: FaultServer) -> None:
    server.responder = echo_text
    outcomes = run_child(
        wai,
        server,
        FORK_CHILDREN,
        """
        client = WorkersAI(**client_kwargs)
        label = lambda text: client.run(DISTILBERT, {"text": text})[0].label
        assert label("parent") == "parent"  # the pool now holds a connection
        outcomes = fork_all(16, label)
        outcomes.append("ok" if label("parent again") == "parent again" else "parent broken")
        print(json.dumps(outcomes))
        """,
    )
    assert outcomes == ["ok"] * 17


def test_forked_children_each_get_their_own_answer_async(wai: SimpleNamespace, server: FaultServer) -> None:
    server.responder = echo_text
    outcomes = run_child(
        wai,
        server,
        FORK_CHILDREN,
        """
        client = AsyncWorkersAI(**client_kwargs)

        async def ask(text):
            return (await client.run(DISTILBERT, {"text": text}))[0].label

        label = lambda text: asyncio.run(ask(text))
        assert label("parent") == "parent"
        print(json.dumps(fork_all(8, label)))
        """,
    )
    assert outcomes == ["ok"] * 8


def test_abandoned_sync_streams_release_their_connections(wai: SimpleNamespace, server: FaultServer) -> None:
    server.responder = _echo_or_stream
    result = run_child(
        wai,
        server,
        """
        import time
        client = WorkersAI(**client_kwargs)
        started = time.monotonic()
        for _ in range(300):
            for chunk in client.run(LLAMA, {"prompt": "x"}, stream=True):
                break
        gc.disable()
        for _ in range(150):
            for chunk in client.stream(LLAMA, {"prompt": "x"}):
                break
        gc.enable()
        label = client.run(DISTILBERT, {"text": "after"})[0].label
        print(json.dumps([label, time.monotonic() - started]))
        """,
    )
    assert result[0] == "after" and result[1] < 30


def test_abandoned_async_streams_release_their_connections(wai: SimpleNamespace, server: FaultServer) -> None:
    server.responder = _echo_or_stream
    result = run_child(
        wai,
        server,
        """
        async def main():
            client = AsyncWorkersAI(**client_kwargs)
            gc.disable()
            for _ in range(150):
                async for chunk in await client.run(LLAMA, {"prompt": "x"}, stream=True):
                    break
            never_read = await client.stream(LLAMA, {"prompt": "x"})
            del never_read
            label = (await client.run(DISTILBERT, {"text": "after"}))[0].label
            await client.aclose()
            return label

        print(json.dumps(asyncio.run(main())))
        """,
    )
    assert result == "after"


def _label_in_worker(client: Any) -> str:
    return str(client.run(DISTILBERT, {"text": "in a worker"})[0].label)


def test_client_pickles_as_its_configuration(wai: SimpleNamespace, server: FaultServer) -> None:
    server.responder = echo_text
    with wai.WorkersAI(account_id=ACCOUNT, api_token=TOKEN, base_url=server.base_url, timeout=3.0) as client:
        client.run(DISTILBERT, {"text": "warm"})
        copy = pickle.loads(pickle.dumps(client))
        assert type(copy) is type(client) and copy._http is not client._http
        assert (copy.account_id, copy.base_url, copy.timeout) == (ACCOUNT, server.base_url, 3.0)
        assert copy.run(DISTILBERT, {"text": "copy"})[0].label == "copy"
        assert server.requests[-1].headers["authorization"] == f"Bearer {TOKEN}"
        copy.close()
        with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool:
            assert pool.submit(_label_in_worker, client).result(timeout=60) == "in a worker"


def test_async_client_pickles_and_own_pool_refuses(wai: SimpleNamespace, server: FaultServer) -> None:
    import asyncio

    server.responder = echo_text
    client = wai.AsyncWorkersAI(account_id=ACCOUNT, api_token=TOKEN, base_url=server.base_url)
    copy = pickle.loads(pickle.dumps(client))

    async def ask() -> str:
        async with copy:
            return str((await copy.run(DISTILBERT, {"text": "async copy"}))[0].label)

    assert asyncio.run(ask()) == "async copy"
    with httpx.Client() as http:
        own = wai.WorkersAI(account_id=ACCOUNT, api_token=TOKEN, http_client=http)
        with pytest.raises(TypeError, match="http_client"):
            pickle.dumps(own)
