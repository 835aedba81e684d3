"""The local Workers AI stand-in: answers every POST with the seed model's success envelope.

Runs in its own process (`python -m bench.server {stdlib|uvicorn}` prints its port, then serves until
stdin closes), so the server's work never shares the GIL with the client being measured. Two kinds, both
HTTP/1.1 keep-alive on 127.0.0.1; `run.py` measures which is faster with a bare `http.client` loop and
uses that one (the server must not be the bottleneck):

- `stdlib`: `ThreadingHTTPServer`, Nagle off, the whole reply pre-built as one `sendall`.
- `uvicorn`: a minimal ASGI app on uvicorn (h11), one event loop.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from bench.common import ENVELOPE, PYTHON, ROOT, child_env

KINDS = ("stdlib", "uvicorn")
_REPLY = (
    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
    + f"Content-Length: {len(ENVELOPE)}\r\n\r\n".encode()
    + ENVELOPE
)

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        # Pre-built status line, headers and body: one syscall, none of send_response's Date formatting.
        self.wfile.write(_REPLY)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256


async def _asgi_app(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] != "http":
        return
    more = True
    while more:
        message = await receive()
        more = bool(message.get("more_body"))
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(ENVELOPE)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": ENVELOPE})


def _wait_for_stdin_close() -> None:
    sys.stdin.read()


def _serve_stdlib() -> None:
    server = _Server(("127.0.0.1", 0), _Handler)
    print(server.server_address[1], flush=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _wait_for_stdin_close()
    server.shutdown()


def _serve_uvicorn() -> None:
    import uvicorn

    # proto=IPPROTO_TCP matters: asyncio turns Nagle off only on sockets whose proto says TCP, and an
    # accepted socket inherits proto 0 from a plain socket() (then every reply waits ~40 ms for an ACK).
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(256)  # connections made before uvicorn starts accepting wait in the backlog
    print(sock.getsockname()[1], flush=True)
    config = uvicorn.Config(
        _asgi_app, lifespan="off", access_log=False, log_level="warning", http="h11", backlog=256
    )
    server = uvicorn.Server(config)

    def stop_when_stdin_closes() -> None:
        _wait_for_stdin_close()
        server.should_exit = True

    threading.Thread(target=stop_when_stdin_closes, daemon=True).start()
    server.run(sockets=[sock])


@contextmanager
def serve(kind: str) -> Iterator[int]:
    """Start a server process of `kind`; yields its port on 127.0.0.1; stops it on exit."""
    process = subprocess.Popen(
        [PYTHON, "-m", "bench.server", kind],
        cwd=ROOT,
        env=child_env(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline().strip()
        if not line.isdigit():
            raise RuntimeError(f"bench server {kind!r} did not start (got {line!r})")
        yield int(line)
    finally:
        if process.stdin is not None:
            process.stdin.close()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def main(argv: list[str]) -> int:
    kind = argv[0] if argv else "stdlib"
    if kind == "stdlib":
        _serve_stdlib()
    elif kind == "uvicorn":
        _serve_uvicorn()
    else:
        print(f"unknown server kind {kind!r}; choose from {KINDS}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
