"""A scriptable HTTP server on 127.0.0.1 for tests that need a real socket, with fault injection.

    with FaultServer() as server:
        server.enqueue(Reply.rate_limited(retry_after="0"), Reply.envelope([{"label": "POSITIVE"}]))
        client = WorkersAI(account_id="acc", api_token="tok", base_url=server.base_url)
        ...
        assert server.count == 2
        assert server.requests[0].path == "/client/v4/accounts/acc/ai/run/@cf/..."

Each request takes the next planned `Reply` from the queue; when the queue is empty, the `responder`
(a function of the recorded request, e.g. `echo_text` for concurrency and fork tests) answers, or else the
`default` reply (HTTP 418 "no reply planned", which no client retries). A reply can be delayed, sent in chunks with
delays, truncated, cut in the middle of a chunked body, or replaced by a connection reset. Every request is
recorded (method, path, headers, body) before its reply is chosen, so counts are exact.

A threaded stdlib server (`ThreadingHTTPServer`, HTTP/1.1 with keep-alive, Nagle off). Async clients can
use it too: it lives in its own threads.
"""

from __future__ import annotations

import io
import json
import socket
import struct
import threading
import time
import zlib
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal

__all__ = ["FaultServer", "RecordedRequest", "Reply", "echo_text", "gzip_bomb", "unresponsive_address"]

Framing = Literal["length", "chunked", "close"]


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]  # lower-cased names
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Reply:
    """One planned answer.

    - `delay`: seconds before the status line (a slow server; read timeouts).
    - `chunks` + `chunk_delay`: body sent piece by piece, sleeping before each piece.
    - `framing`: "length" (Content-Length), "chunked" (Transfer-Encoding: chunked) or "close" (no length,
      the connection is closed after the body).
    - `truncate_to`: announce the full Content-Length but send only that many bytes, then close.
    - `cut`: with chunked framing, stop without the final zero-length chunk and close.
    - `reset`: read the request, then drop the connection with a TCP RST instead of answering.
    - `hang_up`: read the request, then close the connection cleanly without answering.
    """

    status: int = 200
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    chunks: Sequence[bytes] | None = None
    chunk_delay: float = 0.0
    delay: float = 0.0
    framing: Framing = "length"
    truncate_to: int | None = None
    cut: bool = False
    reset: bool = False
    hang_up: bool = False

    # -- constructors ----------------------------------------------------------------------------------

    @classmethod
    def json(cls, document: Any, status: int = 200, headers: Sequence[tuple[str, str]] = ()) -> Reply:
        return cls(
            status=status,
            headers=[("Content-Type", "application/json"), *headers],
            body=json.dumps(document).encode(),
        )

    @classmethod
    def envelope(cls, result: Any, status: int = 200, headers: Sequence[tuple[str, str]] = ()) -> Reply:
        return cls.json({"result": result, "success": True, "errors": [], "messages": []}, status, headers)

    @classmethod
    def failure(
        cls,
        status: int,
        code: int | None = None,
        message: str = "error",
        headers: Sequence[tuple[str, str]] = (),
    ) -> Reply:
        errors = [{"code": code, "message": message}] if code is not None else [{"message": message}]
        document = {"result": None, "success": False, "errors": errors, "messages": []}
        return cls.json(document, status, headers)

    @classmethod
    def rate_limited(
        cls,
        retry_after: str | None = None,
        retry_after_ms: str | None = None,
        code: int = 3040,
        message: str = "Capacity temporarily exceeded, please try again.",
    ) -> Reply:
        headers = []
        if retry_after is not None:
            headers.append(("Retry-After", retry_after))
        if retry_after_ms is not None:
            headers.append(("retry-after-ms", retry_after_ms))
        return cls.failure(429, code, message, headers)

    @classmethod
    def gzipped(cls, compressed: bytes, content_type: str = "application/json") -> Reply:
        """A body sent with `Content-Encoding: gzip` (e.g. a `gzip_bomb`)."""
        return cls(headers=[("Content-Type", content_type), ("Content-Encoding", "gzip")], body=compressed)

    @classmethod
    def trickle(cls, body: bytes, every: float, content_type: str = "application/json") -> Reply:
        """The body one byte at a time, `every` seconds apart (a slow-loris server)."""
        return cls(
            headers=[("Content-Type", content_type), ("Content-Length", str(len(body)))],
            chunks=[body[i : i + 1] for i in range(len(body))],
            chunk_delay=every,
        )

    @classmethod
    def nested(cls, depth: int) -> Reply:
        """A successful envelope whose result is a list nested `depth` levels deep."""
        return cls(
            headers=[("Content-Type", "application/json")],
            body=b'{"success": true, "errors": [], "messages": [], "result": '
            + b"[" * depth
            + b"]" * depth
            + b"}",
        )

    @classmethod
    def html(cls, status: int, page: str) -> Reply:
        return cls(status=status, headers=[("Content-Type", "text/html; charset=UTF-8")], body=page.encode())

    @classmethod
    def binary(cls, data: bytes, content_type: str, status: int = 200) -> Reply:
        return cls(status=status, headers=[("Content-Type", content_type)], body=data)

    @classmethod
    def sse(
        cls,
        events: Sequence[Any],
        *,
        done: bool = True,
        tail: bytes = b"",
        chunk_delay: float = 0.0,
        framing: Framing = "chunked",
        cut: bool = False,
    ) -> Reply:
        """An event stream: each event (a dict/list is JSON-encoded, bytes are sent as they are) as a
        `data:` event, then `data: [DONE]` if `done`, then `tail` (e.g. half an event)."""
        chunks: list[bytes] = []
        for event in events:
            if isinstance(event, bytes):
                chunks.append(event)
            else:
                chunks.append(b"data: " + json.dumps(event).encode() + b"\n\n")
        if done:
            chunks.append(b"data: [DONE]\n\n")
        if tail:
            chunks.append(tail)
        return cls(
            headers=[("Content-Type", "text/event-stream"), ("Cache-Control", "no-cache")],
            chunks=chunks,
            chunk_delay=chunk_delay,
            framing=framing,
            cut=cut,
        )


def gzip_bomb(inflated_size: int, piece: int = 1 << 20) -> bytes:
    """A valid gzip stream of `inflated_size` zero bytes (a multiple of `piece`), about 1/1000 of that
    compressed. Built fast: after a full flush a deflate stream starts afresh, so every `piece` of zeros
    compresses to the same bytes; only the first is computed."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)  # raw deflate; the gzip framing is added here
    zeros = bytes(piece)
    segment = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    count = inflated_size // piece
    crc = 0
    for _ in range(count):
        crc = zlib.crc32(zeros, crc)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
    trailer = compressor.flush(zlib.Z_FINISH) + struct.pack("<II", crc, (count * piece) & 0xFFFFFFFF)
    return header + segment * count + trailer


def echo_text(request: RecordedRequest) -> Reply:
    """A classification envelope whose label is the request's `text` (who asked gets their own answer)."""
    try:
        text = json.loads(request.body).get("text")
    except (ValueError, AttributeError):
        text = None
    return Reply.envelope([{"label": text, "score": 1.0}])


DEFAULT_REPLY = Reply.json(
    {"result": None, "success": False, "errors": [{"message": "no reply planned"}]}, 418
)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    owner: FaultServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients hanging up on delayed replies are expected here


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    timeout = 30
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        self._answer()

    do_GET = do_PUT = do_PATCH = do_DELETE = do_POST

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            body = b""
            while True:
                size = int(self.rfile.readline().strip().split(b";")[0], 16)
                if size == 0:
                    self.rfile.readline()
                    return body
                body += self.rfile.read(size)
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _answer(self) -> None:
        body = self._read_body()
        request = RecordedRequest(
            self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body
        )
        reply = self.server.owner._record(request)
        try:
            self._send(reply)
        except OSError:
            self.close_connection = True
            self.wfile = io.BytesIO()  # nothing left to flush

    def _drop(self, rst: bool) -> None:
        if rst:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        else:
            self.connection.shutdown(socket.SHUT_RDWR)
        self.connection.close()
        self.close_connection = True
        self.wfile = io.BytesIO()

    def _send(self, reply: Reply) -> None:
        if reply.delay:
            time.sleep(reply.delay)
        if reply.reset or reply.hang_up:
            self._drop(rst=reply.reset)
            return
        # Pieces are never joined unless truncated: a reply may repeat one piece to a huge size.
        pieces = list(reply.chunks) if reply.chunks is not None else [reply.body]
        self.send_response(reply.status)
        names = {name.lower() for name, _ in reply.headers}
        for name, value in reply.headers:
            self.send_header(name, value)
        if reply.framing == "chunked":
            self.send_header("Transfer-Encoding", "chunked")
        elif reply.framing == "close":
            self.send_header("Connection", "close")
            self.close_connection = True
        elif "content-length" not in names:
            self.send_header("Content-Length", str(sum(map(len, pieces))))
        self.end_headers()
        self.wfile.flush()
        if reply.truncate_to is not None:
            self.wfile.write(b"".join(pieces)[: reply.truncate_to])
            self.wfile.flush()
            self._drop(rst=False)
            return
        for piece in pieces:
            if reply.chunk_delay:
                time.sleep(reply.chunk_delay)
            if reply.framing == "chunked":
                if piece:
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            else:
                self.wfile.write(piece)
            self.wfile.flush()
        if reply.cut:
            self._drop(rst=False)
            return
        if reply.framing == "chunked":
            self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()
        if reply.framing == "close":
            self._drop(rst=False)


class FaultServer:
    """Start with `with FaultServer() as server:` (or `start()` / `stop()`)."""

    def __init__(
        self, default: Reply = DEFAULT_REPLY, responder: Callable[[RecordedRequest], Reply] | None = None
    ) -> None:
        self.default = default
        self.responder = responder
        self.requests: list[RecordedRequest] = []
        self._queue: deque[Reply] = deque()
        self._lock = threading.Lock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------------------------

    def start(self) -> FaultServer:
        server = _Server(("127.0.0.1", 0), _Handler)
        server.owner = self
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FaultServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- scripting ---------------------------------------------------------------------------------------

    @property
    def port(self) -> int:
        assert self._server is not None, "server not started"
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        """A Cloudflare-like API root: `{url}/client/v4`."""
        return f"{self.url}/client/v4"

    def enqueue(self, *replies: Reply) -> FaultServer:
        with self._lock:
            self._queue.extend(replies)
        return self

    def burst(self, reply: Reply, times: int) -> FaultServer:
        """Queue the same reply `times` times (e.g. a burst of 5xx)."""
        return self.enqueue(*([reply] * times))

    @property
    def count(self) -> int:
        with self._lock:
            return len(self.requests)

    @property
    def pending(self) -> int:
        """Planned replies not used yet."""
        with self._lock:
            return len(self._queue)

    def reset(self) -> None:
        with self._lock:
            self._queue.clear()
            self.requests.clear()
            self.responder = None

    def _record(self, request: RecordedRequest) -> Reply:
        with self._lock:
            self.requests.append(request)
            if self._queue:
                return self._queue.popleft()
            responder = self.responder
        return responder(request) if responder is not None else self.default


@contextmanager
def unresponsive_address() -> Iterator[tuple[str, int]]:
    """An address whose TCP handshake never completes (its listen backlog is full and nothing accepts),
    so connecting to it ends in a connect timeout rather than a refusal."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    address = listener.getsockname()
    fillers = []
    try:
        for _ in range(8):
            filler = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            filler.setblocking(False)
            filler.connect_ex(address)
            fillers.append(filler)
        time.sleep(0.05)
        yield address[0], address[1]
    finally:
        for filler in fillers:
            filler.close()
        listener.close()
