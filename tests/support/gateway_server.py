"""A local server on 127.0.0.1 that speaks the paths of the Workers AI REST API, AI Gateway and the
OpenAI-compatible endpoints, recording every request byte for byte.

    with GatewayServer() as server:
        client = WorkersAI(account_id="acc", api_token="t", base_url=server.api_url,
                           gateway="g", gateway_base_url=server.gateway_url)
        client.run(...)
        assert server.requests[0].path == "/gw/v1/acc/g/workers-ai/@cf/..."

Routes (by path shape, any account / gateway id):
- `POST /client/v4/accounts/{a}/ai/run/{model}` and `POST /gw/v1/{a}/{g}/workers-ai/{model}`: the model's
  canned result in a Cloudflare envelope (an SSE stream when the body says `"stream": true`);
- `POST /client/v4/accounts/{a}/ai/run` (unified): body `{"model", "input"}`, same answers;
- `PATCH /client/v4/accounts/{a}/ai-gateway/gateways/{g}/logs/{id}`: `{"result": {}, "success": true}`;
- `POST .../ai/v1/{chat/completions,embeddings,responses}` and `.../workers-ai/v1/...`: OpenAI shapes,
  chat completions streamed when asked.
Gateway answers carry `cf-aig-cache-status` (HIT when the same path and body came before, else MISS),
`cf-aig-log-id` and `cf-aig-request-id`; every answer carries `cf-ray`. `plan(...)` queues answers that
take precedence (errors for the retry tests).
"""

from __future__ import annotations

import json
import re
import sys
import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.support.fault_server import RecordedRequest

__all__ = ["GatewayServer", "Planned", "Recorded"]

RESULTS: dict[str, Any] = {
    "@cf/huggingface/distilbert-sst-2-int8": [{"label": "POSITIVE", "score": 0.98}],
    "@cf/baai/bge-small-en-v1.5": {"shape": [1, 3], "data": [[0.1, 0.2, 0.3]]},
}
STREAM_TEXT = ["Hello", " from", " the gateway"]
CREATED = 1_700_000_000

_RUN = re.compile(r"/client/v4/accounts/[^/]+/ai/run/(?P<model>.+)")
_UNIFIED = re.compile(r"/client/v4/accounts/[^/]+/ai/run")
_GATEWAY = re.compile(r"/gw/v1/[^/]+/[^/]+/workers-ai/(?P<model>@.+)")
_FEEDBACK = re.compile(r"/client/v4/accounts/[^/]+/ai-gateway/gateways/[^/]+/logs/[^/]+")
_OPENAI = re.compile(r".*/(?:ai|workers-ai)/v1/(?P<kind>chat/completions|embeddings|responses)")


# Same record as the fault server's: method, path (with the query string), lower-cased headers, body.
Recorded = RecordedRequest


@dataclass
class Planned:
    status: int
    document: Any
    headers: list[tuple[str, str]] = field(default_factory=list)
    delay: float = 0.0  # seconds before answering


def envelope(result: Any) -> dict[str, Any]:
    return {"result": result, "success": True, "errors": [], "messages": []}


def failure(code: int, message: str) -> dict[str, Any]:
    return {"result": None, "success": False, "errors": [{"code": code, "message": message}], "messages": []}


def sse(events: list[Any]) -> bytes:
    return b"".join(b"data: " + json.dumps(e).encode() + b"\n\n" for e in events) + b"data: [DONE]\n\n"


def _chat(model: str, stream: bool) -> tuple[str, bytes]:
    if stream:
        base = {"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": CREATED, "model": model}
        chunks = [
            {
                **base,
                "choices": [
                    {"index": 0, "delta": {"role": "assistant", "content": t}, "finish_reason": None}
                ],
            }
            for t in STREAM_TEXT
        ]
        chunks.append({**base, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
        return "text/event-stream", sse(chunks)
    document = {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": CREATED,
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": "".join(STREAM_TEXT)},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 3, "completion_tokens": 3, "total_tokens": 6},
    }
    return "application/json", json.dumps(document).encode()


def _openai(kind: str, request: dict[str, Any]) -> tuple[str, bytes]:
    model = str(request.get("model"))
    if kind == "chat/completions":
        return _chat(model, bool(request.get("stream")))
    if kind == "embeddings":
        inputs = request.get("input")
        count = len(inputs) if isinstance(inputs, list) else 1
        data = [{"object": "embedding", "index": i, "embedding": [0.1, 0.2, 0.3]} for i in range(count)]
        document: dict[str, Any] = {
            "object": "list",
            "data": data,
            "model": model,
            "usage": {"prompt_tokens": 2, "total_tokens": 2},
        }
        return "application/json", json.dumps(document).encode()
    text = {"type": "output_text", "text": "".join(STREAM_TEXT), "annotations": []}
    message = {
        "type": "message",
        "id": "msg_1",
        "status": "completed",
        "role": "assistant",
        "content": [text],
    }
    document = {
        "id": "resp_1",
        "object": "response",
        "created_at": CREATED,
        "status": "completed",
        "model": model,
        "output": [message],
        "parallel_tool_calls": True,
        "tool_choice": "auto",
        "tools": [],
    }
    return "application/json", json.dumps(document).encode()


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a client hanging up mid-reply is expected
            super().handle_error(request, client_address)


class GatewayServer:
    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self._planned: deque[Planned] = deque()
        self._seen: set[tuple[str, bytes]] = set()
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                recorded = Recorded(
                    self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body
                )
                status, content_type, payload, headers = server._answer(recorded)
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(payload)))
                self.send_header("cf-ray", "8f1e2d3c4b5a6978-AMS")
                for name, value in headers:
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)

            do_POST = do_PATCH = do_GET = _handle

        self._httpd = _Server(("127.0.0.1", 0), Handler)
        host, port = self._httpd.server_address[:2]
        self.origin = f"http://{host}:{port}"
        self.api_url = f"{self.origin}/client/v4"
        self.gateway_url = f"{self.origin}/gw/v1"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    # -- scripting -------------------------------------------------------------------------------------

    def plan(self, *answers: Planned) -> None:
        with self._lock:
            self._planned.extend(answers)

    @property
    def count(self) -> int:
        return len(self.requests)

    def reset(self) -> None:
        with self._lock:
            self.requests.clear()
            self._planned.clear()
            self._seen.clear()

    # -- answering -------------------------------------------------------------------------------------

    def _answer(self, request: Recorded) -> tuple[int, str, bytes, list[tuple[str, str]]]:
        path = request.path.split("?", 1)[0]
        gateway = path.startswith("/gw/")
        with self._lock:
            self.requests.append(request)
            planned = self._planned.popleft() if self._planned else None
            key = (path, request.body)
            hit = key in self._seen
            self._seen.add(key)
            number = len(self.requests)
        headers: list[tuple[str, str]] = []
        if gateway:
            headers = [
                ("cf-aig-cache-status", "HIT" if hit else "MISS"),
                ("cf-aig-log-id", f"01JLOG{number:020d}"),
                ("cf-aig-request-id", f"req-{number}"),
            ]
        if planned is not None:
            time.sleep(planned.delay)
            payload = json.dumps(planned.document).encode()
            return planned.status, "application/json", payload, [*headers, *planned.headers]
        try:
            document = json.loads(request.body) if request.body else None
        except ValueError:
            document = None
        if (match := _OPENAI.fullmatch(path)) and isinstance(document, dict):
            content_type, payload = _openai(match["kind"], document)
            return 200, content_type, payload, headers
        if request.method == "PATCH" and _FEEDBACK.fullmatch(path):
            return 200, "application/json", json.dumps(envelope({})).encode(), headers
        model, model_input = None, document
        if match := (_RUN.fullmatch(path) or _GATEWAY.fullmatch(path)):
            model = match["model"]
        elif _UNIFIED.fullmatch(path) and isinstance(document, dict):
            model, model_input = document.get("model"), document.get("input")
        if model is None:
            return 404, "application/json", json.dumps(failure(7003, "no route")).encode(), headers
        if isinstance(model_input, dict) and model_input.get("stream") is True:
            return 200, "text/event-stream", sse([{"response": t} for t in STREAM_TEXT]), headers
        result = RESULTS.get(model, {"echo": model_input})
        return 200, "application/json", json.dumps(envelope(result)).encode(), headers

    # -- lifecycle -------------------------------------------------------------------------------------

    def __enter__(self) -> GatewayServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


def serve() -> Iterator[GatewayServer]:
    """For pytest fixtures: `yield from serve()`."""
    with GatewayServer() as server:
        yield server
