"""Stream parsing against `tests/support/model_server.py` in its own process: chunks/s of `Stream` against
raw httpx `iter_lines` + `json.loads` on one 10,000-chunk reply, and the median time to the first chunk of
each. Ours is what users get: a catalog text-generation model, so every chunk is a validated
`TextGenerationChunk` (an unknown model id would yield plain dicts and measure less work)."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field

from bench.bulk import model_server
from bench.common import ACCOUNT_ID, API_TOKEN, median

LLM = "@cf/meta/llama-3.1-8b-instruct-fp8"  # in the catalog: its chunks are typed


@dataclass
class StreamRuns:
    chunks: int
    ours_chunks_per_s: list[float] = field(default_factory=list)
    raw_chunks_per_s: list[float] = field(default_factory=list)
    ours_first_chunk_ms: list[float] = field(default_factory=list)
    raw_first_chunk_ms: list[float] = field(default_factory=list)


def measure_streams(
    rounds: int, chunks: int = 10_000, first_chunk_samples: int = 200, replies_per_round: int = 6
) -> StreamRuns:
    """`replies_per_round` replies a side per round, alternating sides: one reply takes only tens of
    milliseconds, so a single one per round lets one scheduling hiccup on a busy machine set the median."""
    import httpx

    from workers_ai import TextGenerationChunk, WorkersAI

    runs = StreamRuns(chunks)
    with model_server() as base_url:
        url = f"{base_url}/accounts/{ACCOUNT_ID}/ai/run/{LLM}"
        headers = {"authorization": f"Bearer {API_TOKEN}", "content-type": "application/json"}
        with (
            WorkersAI(account_id=ACCOUNT_ID, api_token=API_TOKEN, base_url=base_url) as client,
            httpx.Client() as raw,
        ):

            def ours(prompt: str, first_only: bool) -> tuple[int, float]:
                started = time.perf_counter()
                count, first = 0, 0.0
                for chunk in client.run(LLM, {"prompt": prompt}, stream=True):
                    if count == 0:
                        first = time.perf_counter() - started
                        assert isinstance(chunk, TextGenerationChunk), type(chunk)  # typed, as users get
                        if first_only:
                            break
                    count += 1
                return count, first

            def bare(prompt: str, first_only: bool) -> tuple[int, float]:
                body = json.dumps({"prompt": prompt, "stream": True}, separators=(",", ":")).encode()
                started = time.perf_counter()
                count, first = 0, 0.0
                with raw.stream("POST", url, content=body, headers=headers) as response:
                    for line in response.iter_lines():
                        if line.startswith("data: ") and line != "data: [DONE]":
                            json.loads(line[6:])
                            if count == 0:
                                first = time.perf_counter() - started
                                if first_only:
                                    break
                            count += 1
                return count, first

            for reader in (ours, bare):  # warm-up, not measured: connections, the chunk validator
                reader("chunks:100", False)
            for turn in range(rounds * replies_per_round):
                for name, reader in (("ours", ours), ("raw", bare))[:: 1 if turn % 2 == 0 else -1]:
                    started = time.perf_counter()
                    count, _ = reader(f"chunks:{chunks}", False)
                    assert count == chunks, (name, count)
                    rate = count / (time.perf_counter() - started)
                    (runs.ours_chunks_per_s if name == "ours" else runs.raw_chunks_per_s).append(rate)
            for _ in range(first_chunk_samples):
                runs.ours_first_chunk_ms.append(ours("chunks:50", True)[1] * 1000)
                runs.raw_first_chunk_ms.append(bare("chunks:50", True)[1] * 1000)
    return runs


def stream_summary(runs: StreamRuns) -> tuple[float, float, float, float]:
    return (
        median(runs.ours_chunks_per_s),
        median(runs.raw_chunks_per_s),
        median(runs.ours_first_chunk_ms),
        median(runs.raw_first_chunk_ms),
    )
