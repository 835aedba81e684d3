"""A local Workers AI stand-in that answers by request content, for many concurrent calls.

Where `FaultServer` plays a queue of planned replies (one test, one sequence), this server decides each
reply from the request itself, so thousands of concurrent rows can each carry their own fault:

- text-classification input `{"text": ...}`: `[{"label": "POSITIVE"|"NEGATIVE", "score": ...}]`
  ("good" in the text -> POSITIVE), with markers in the text:
  `rate-limit:N` -> the first N requests for that text get HTTP 429 (code 3040, `retry-after-ms: 5`);
  `fail:N` -> the first N get HTTP 500 (code 3007 would be retried; this one is a plain 500);
  `malformed` -> always HTTP 200 with a body that is not JSON; `quota` -> HTTP 429 code 3036;
  `slow` -> answered after 0.3 s.
- text-to-image models (`stable-diffusion` in the path): a small PNG.
- `{"prompt": "chunks:N", "stream": true}`: a `text/event-stream` of N token events and `data: [DONE]`.
- `capacity=(slots, latency)`: at most `slots` requests are served at once, each taking `latency`
  seconds; a request beyond that gets 429 / 3040 right away (how Workers AI sheds load).

Counts are exact: `texts[text]` is how many requests carried that text, `max_in_flight` the most served at
once. Threaded stdlib server on 127.0.0.1, HTTP/1.1 keep-alive, Nagle off.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

__all__ = ["PNG", "ModelServer"]

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 24
_MARK = re.compile(r"(rate-limit|fail):(\d+)")


def _envelope(result: Any) -> bytes:
    return json.dumps({"result": result, "success": True, "errors": [], "messages": []}).encode()


def _failure(code: int, message: str) -> bytes:
    return json.dumps(
        {"result": None, "success": False, "errors": [{"code": code, "message": message}]}
    ).encode()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 1024
    owner: ModelServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client hanging up mid-reply is part of the tests


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("content-length") or 0))
        if b'"stream":true' in body:
            self._stream(json.loads(body))
            return
        status, headers, payload = self.server.owner.answer(self.path, body)
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("content-length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def _stream(self, document: dict[str, Any]) -> None:
        count = int(str(document.get("prompt", "chunks:1")).partition(":")[2] or 1)
        event = b'data: {"response":"tok","p":"abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz"}\n\n'
        payload = event * count + b"data: [DONE]\n\n"
        self.send_response(200)
        self.send_header("content-type", "text/event-stream")
        self.send_header("content-length", str(len(payload)))
        self.end_headers()
        self.wfile.write(event)  # the first event goes out at once: time to first chunk
        self.wfile.flush()
        self.wfile.write(payload[len(event) :])


class ModelServer:
    def __init__(self, capacity: tuple[int, float] | None = None) -> None:
        self.capacity = capacity
        self.texts: Counter[str] = Counter()
        self.count = 0
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.owner = self
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> ModelServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/client/v4"

    def answer(self, path: str, body: bytes) -> tuple[int, list[tuple[str, str]], bytes]:
        with self._lock:
            self.count += 1
            if self.capacity is not None and self.in_flight >= self.capacity[0]:
                return (
                    429,
                    [("content-type", "application/json"), ("retry-after-ms", "5")],
                    _failure(3040, "Capacity temporarily exceeded, please try again."),
                )
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            if self.capacity is not None:
                time.sleep(self.capacity[1])
            return self._reply(path, body)
        finally:
            with self._lock:
                self.in_flight -= 1

    def _reply(self, path: str, body: bytes) -> tuple[int, list[tuple[str, str]], bytes]:
        json_type = [("content-type", "application/json")]
        if "stable-diffusion" in path:
            return 200, [("content-type", "image/png")], PNG
        text = str(json.loads(body).get("text", ""))
        with self._lock:
            self.texts[text] += 1
            seen = self.texts[text]
        for kind, times in _MARK.findall(text):
            if seen <= int(times):
                if kind == "rate-limit":
                    headers = [*json_type, ("retry-after-ms", "5")]
                    return 429, headers, _failure(3040, "Capacity temporarily exceeded, please try again.")
                return 500, json_type, _failure(1000, "Internal error")
        if "malformed" in text:
            return 200, json_type, b'{"result": [{"label": '
        if "quota" in text:
            return (
                429,
                json_type,
                _failure(3036, "You have used up your daily free allocation of 10,000 neurons."),
            )
        if "slow" in text:
            time.sleep(0.3)
        label = "POSITIVE" if "good" in text else "NEGATIVE"
        return 200, json_type, _envelope([{"label": label, "score": 0.75}])


def main() -> None:
    """`python -m tests.support.model_server [SLOTS LATENCY]`: serve until stdin closes (for benchmarks,
    which keep the server in its own process). Prints the base URL on the first line."""
    import sys

    capacity = (int(sys.argv[1]), float(sys.argv[2])) if len(sys.argv) == 3 else None
    with ModelServer(capacity) as server:
        print(server.base_url, flush=True)
        sys.stdin.read()


if __name__ == "__main__":
    main()
