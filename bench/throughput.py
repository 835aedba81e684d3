"""Per-call throughput against the local server: sync sequential calls and async concurrent calls.

Every contender makes the same call (the seed model, the same JSON input, `Authorization: Bearer ...`)
and reads the same envelope. On a noisy machine the contenders must share the noise, so a round is cut
into blocks (100 sequential calls, or one burst of `concurrency` x 4 calls) that alternate between the
contenders (rotated order); each contender's time is summed over its blocks, and a ratio is taken within
a round. The figure is the median over rounds.
"""

from __future__ import annotations

import asyncio
import gc
import http.client
import json
import socket
import time
from collections.abc import Awaitable, Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Any

import httpx

from bench.common import ACCOUNT_ID, API_TOKEN, SEED_INPUT, SEED_MODEL, rotated

SyncCall = Callable[[], Any]
AsyncCall = Callable[[], Awaitable[Any]]

_PATH = f"/client/v4/accounts/{ACCOUNT_ID}/ai/run/{SEED_MODEL}"
_HEADERS = {"Authorization": f"Bearer {API_TOKEN}"}


def _base_url(port: int) -> str:
    return f"http://127.0.0.1:{port}/client/v4"


def _url(port: int) -> str:
    return f"http://127.0.0.1:{port}{_PATH}"


@dataclass
class Runs:
    """calls/s of each contender, one entry per round."""

    per_round: dict[str, list[float]] = field(default_factory=dict)
    # Client process CPU time / wall time per round: near 1.0 means the client, not the server, is the limit.
    cpu_share: dict[str, list[float]] = field(default_factory=dict)

    def add(self, name: str, rate: float, cpu_share: float) -> None:
        self.per_round.setdefault(name, []).append(rate)
        self.cpu_share.setdefault(name, []).append(cpu_share)


# -- sync contenders: each returns (one call, close) -------------------------------------------------------


def _stdlib(port: int, stack: ExitStack) -> SyncCall:
    conn = http.client.HTTPConnection("127.0.0.1", port)
    conn.connect()
    assert conn.sock is not None
    conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    stack.callback(conn.close)
    headers = {**_HEADERS, "Content-Type": "application/json"}

    def call() -> Any:
        conn.request("POST", _PATH, body=json.dumps(SEED_INPUT).encode(), headers=headers)
        return json.loads(conn.getresponse().read())

    return call


def _httpx(port: int, stack: ExitStack) -> SyncCall:
    client = stack.enter_context(httpx.Client())
    url = _url(port)

    def call() -> Any:
        return json.loads(client.post(url, json=SEED_INPUT, headers=_HEADERS).content)["result"]

    return call


def _workers_ai(port: int, stack: ExitStack) -> SyncCall:
    from workers_ai import WorkersAI

    client = stack.enter_context(
        WorkersAI(account_id=ACCOUNT_ID, api_token=API_TOKEN, base_url=_base_url(port))
    )
    return lambda: client.run(SEED_MODEL, SEED_INPUT)


# A usual production set: a gateway, a cache TTL, metadata for the logs, gateway retries.
TYPICAL_GATEWAY_OPTIONS: dict[str, Any] = {
    "id": "bench-gateway",
    "cache_ttl": 3600,
    "metadata": {"team": "bench", "user": 42},
    "max_attempts": 3,
}
# Every gateway option set: each becomes a header, so this measures the whole per-call cost of the gateway
# (the bench server answers any path, so the gateway URL reaches it too).
GATEWAY_OPTIONS: dict[str, Any] = {
    "id": "bench-gateway",
    "cache_ttl": 3600,
    "skip_cache": False,
    "cache_key": "bench-key",
    "collect_log": True,
    "metadata": {"team": "bench", "user": 42, "beta": True},
    "custom_cost": {"per_token_in": 0.000001, "per_token_out": 0.000002},
    "request_timeout_ms": 5000,
    "max_attempts": 3,
    "retry_delay_ms": 200,
    "backoff": "exponential",
}


def _gateway_client(options: dict[str, Any]) -> Callable[[int, ExitStack], SyncCall]:
    def make(port: int, stack: ExitStack) -> SyncCall:
        from workers_ai import WorkersAI

        client = stack.enter_context(
            WorkersAI(
                account_id=ACCOUNT_ID,
                api_token=API_TOKEN,
                base_url=_base_url(port),
                gateway=options,
                gateway_base_url=f"http://127.0.0.1:{port}/gateway/v1",
            )
        )
        return lambda: client.run(SEED_MODEL, SEED_INPUT)

    return make


def _workers_ai_call_options(port: int, stack: ExitStack) -> SyncCall:
    from workers_ai import GatewayOptions, WorkersAI

    base = f"http://127.0.0.1:{port}/gateway/v1"
    client = stack.enter_context(
        WorkersAI(account_id=ACCOUNT_ID, api_token=API_TOKEN, base_url=_base_url(port), gateway_base_url=base)
    )
    gateway = GatewayOptions(**GATEWAY_OPTIONS)  # built once, as the README recommends for per-call use
    return lambda: client.run(SEED_MODEL, SEED_INPUT, gateway=gateway, session_affinity="bench")


def _cloudflare(port: int, stack: ExitStack) -> SyncCall:
    from cloudflare import Cloudflare

    client = stack.enter_context(Cloudflare(api_token=API_TOKEN, base_url=_base_url(port)))
    text = SEED_INPUT["text"]
    return lambda: client.ai.run(SEED_MODEL, account_id=ACCOUNT_ID, text=text)


SYNC_CONTENDERS: dict[str, Callable[[int, ExitStack], SyncCall]] = {
    "http.client": _stdlib,
    "httpx": _httpx,
    "workers_ai": _workers_ai,
    "workers_ai gateway": _gateway_client(TYPICAL_GATEWAY_OPTIONS),
    "workers_ai gateway, every option": _gateway_client(GATEWAY_OPTIONS),
    "workers_ai per-call gateway, every option": _workers_ai_call_options,
    "cloudflare": _cloudflare,
}


SYNC_BLOCK = 100
ASYNC_BLOCK_PER_WORKER = 4


def _time_sync(call: SyncCall, calls: int) -> tuple[float, float]:
    """(wall, CPU) seconds of `calls` sequential calls."""
    cpu, started = time.process_time(), time.perf_counter()
    for _ in range(calls):
        call()
    return time.perf_counter() - started, time.process_time() - cpu


def run_sync(port: int, names: list[str], calls: int, rounds: int, warmup: int = 200) -> Runs:
    runs = Runs()
    with ExitStack() as stack:
        contenders = {name: SYNC_CONTENDERS[name](port, stack) for name in names}
        for call in contenders.values():
            for _ in range(warmup):
                call()
        blocks = max(1, calls // SYNC_BLOCK)
        for round_no in range(rounds):
            wall = dict.fromkeys(names, 0.0)
            cpu = dict.fromkeys(names, 0.0)
            gc.collect()
            for block in range(blocks):
                for name in rotated(names, round_no + block):
                    block_wall, block_cpu = _time_sync(contenders[name], calls // blocks)
                    wall[name] += block_wall
                    cpu[name] += block_cpu
            for name in names:
                runs.add(name, blocks * (calls // blocks) / wall[name], cpu[name] / wall[name])
    return runs


# -- async contenders ---------------------------------------------------------------------------------------


async def _httpx_async(port: int, closers: list[Callable[[], Awaitable[None]]]) -> AsyncCall:
    client = httpx.AsyncClient()
    closers.append(client.aclose)
    url = _url(port)

    async def call() -> Any:
        return json.loads((await client.post(url, json=SEED_INPUT, headers=_HEADERS)).content)["result"]

    return call


async def _workers_ai_async(port: int, closers: list[Callable[[], Awaitable[None]]]) -> AsyncCall:
    from workers_ai import AsyncWorkersAI

    client = AsyncWorkersAI(account_id=ACCOUNT_ID, api_token=API_TOKEN, base_url=_base_url(port))
    closers.append(client.aclose)
    return lambda: client.run(SEED_MODEL, SEED_INPUT)


async def _cloudflare_async(port: int, closers: list[Callable[[], Awaitable[None]]]) -> AsyncCall:
    from cloudflare import AsyncCloudflare

    client = AsyncCloudflare(api_token=API_TOKEN, base_url=_base_url(port))
    closers.append(client.close)
    text = SEED_INPUT["text"]
    return lambda: client.ai.run(SEED_MODEL, account_id=ACCOUNT_ID, text=text)


ASYNC_CONTENDERS: dict[str, Callable[[int, list[Callable[[], Awaitable[None]]]], Awaitable[AsyncCall]]] = {
    "httpx": _httpx_async,
    "workers_ai": _workers_ai_async,
    "cloudflare": _cloudflare_async,
}


async def _time_async(call: AsyncCall, concurrency: int, per_worker: int) -> tuple[float, float]:
    """(wall, CPU) seconds of `concurrency` workers each making `per_worker` sequential calls."""

    async def worker() -> None:
        for _ in range(per_worker):
            await call()

    cpu, started = time.process_time(), time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return time.perf_counter() - started, time.process_time() - cpu


async def _run_async(port: int, names: list[str], concurrency: int, per_worker: int, rounds: int) -> Runs:
    runs = Runs()
    closers: list[Callable[[], Awaitable[None]]] = []
    try:
        contenders = {name: await ASYNC_CONTENDERS[name](port, closers) for name in names}
        for call in contenders.values():  # warm-up: open the pool's connections, import lazily loaded types
            await _time_async(call, concurrency, 4)
        blocks = max(1, per_worker // ASYNC_BLOCK_PER_WORKER)
        for round_no in range(rounds):
            wall = dict.fromkeys(names, 0.0)
            cpu = dict.fromkeys(names, 0.0)
            gc.collect()
            for block in range(blocks):
                for name in rotated(names, round_no + block):
                    block_wall, block_cpu = await _time_async(
                        contenders[name], concurrency, per_worker // blocks
                    )
                    wall[name] += block_wall
                    cpu[name] += block_cpu
            for name in names:
                runs.add(
                    name, concurrency * blocks * (per_worker // blocks) / wall[name], cpu[name] / wall[name]
                )
    finally:
        for close in closers:
            await close()
    return runs


def run_async(port: int, names: list[str], concurrency: int, per_worker: int, rounds: int) -> Runs:
    return asyncio.run(_run_async(port, names, concurrency, per_worker, rounds))
