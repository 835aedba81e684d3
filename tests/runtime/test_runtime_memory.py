"""Peak memory of a client reading hostile bodies, measured in a child interpreter (its `VmHWM`: Linux
carries the forking parent's peak into the child's `ru_maxrss` across `exec`, so a large test worker
would be measured instead): a 1 GiB decompression bomb and a 500 MB plain body both stop at the default
`max_response_bytes`."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from tests.runtime.runtime_pkg import ACCOUNT, PKG, TOKEN, UNTYPED
from tests.support.fault_server import FaultServer, Reply, gzip_bomb

MiB = 1 << 20
PEAK_LIMIT = 400 * MiB


def peak_rss_of_one_call(wai: SimpleNamespace, server: FaultServer) -> dict[str, Any]:
    root = Path(wai.base_client.__file__).resolve().parents[1]
    script = textwrap.dedent(
        f"""
        import json, re, sys, time
        sys.path.insert(0, {str(root)!r})
        from {PKG}.client import WorkersAI
        client = WorkersAI(account_id={ACCOUNT!r}, api_token={TOKEN!r}, base_url={server.base_url!r},
                           timeout=120.0, max_retries=0)
        started = time.monotonic()
        try:
            client.run({UNTYPED!r}, {{}})
            error = None
        except Exception as exc:
            error = type(exc).__name__
        status = open("/proc/self/status", encoding="ascii").read()
        peak = int(re.search(r"VmHWM:\\s+(\\d+) kB", status)[1]) * 1024
        print(json.dumps({{"error": error, "peak": peak, "seconds": time.monotonic() - started}}))
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"peak RSS {result['peak'] / MiB:.0f} MiB in {result['seconds']:.1f} s")
    return result


def test_gzip_bomb_of_1_gib_stays_under_400_mib(wai: SimpleNamespace) -> None:
    with FaultServer() as server:
        server.enqueue(Reply.gzipped(gzip_bomb(1024 * MiB)))
        result = peak_rss_of_one_call(wai, server)
    assert result["error"] == "ResponseTooLargeError"
    assert result["peak"] < PEAK_LIMIT


def test_plain_body_of_500_mb_stays_under_400_mib(wai: SimpleNamespace) -> None:
    piece = b"x" * MiB
    with FaultServer() as server:
        server.enqueue(Reply(headers=[("Content-Type", "application/json")], chunks=[piece] * 500))
        result = peak_rss_of_one_call(wai, server)
    assert result["error"] == "ResponseTooLargeError"
    assert result["peak"] < PEAK_LIMIT
