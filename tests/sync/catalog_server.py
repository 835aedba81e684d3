"""A fake Workers AI catalog API on 127.0.0.1 (threaded http.server), with planted faults."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

ACCOUNT = "acc123"
TOKEN = "test-token-s3cr3t"


@dataclass
class Catalog:
    """What the server serves; tests edit it. `fail` maps a request key to how many 5xx to send first."""

    models: list[dict[str, Any]] = field(default_factory=list)  # full model documents (with "schema")
    fail: dict[str, int] = field(default_factory=dict)  # "search:2" or "schema:<name>" -> remaining 5xx
    requests: list[str] = field(default_factory=list)


def _handler(catalog: Catalog) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
            pass

        def send(self, status: int, body: Any) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            url = urlparse(self.path)
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            base = f"/client/v4/accounts/{ACCOUNT}/ai/models"
            if self.headers.get("authorization") != f"Bearer {TOKEN}":
                return self.send(
                    401, {"success": False, "errors": [{"message": "Authentication error"}], "result": None}
                )
            if url.path == f"{base}/search":
                key = f"search:{query.get('page')}"
            elif url.path == f"{base}/schema":
                key = f"schema:{query.get('model')}"
            else:
                return self.send(404, {"success": False, "errors": [{"message": "no route"}]})
            catalog.requests.append(key)
            if catalog.fail.get(key, 0) > 0:
                catalog.fail[key] -= 1
                return self.send(
                    500, {"success": False, "errors": [{"message": "internal error"}], "result": None}
                )
            if key.startswith("search:"):
                page, per_page = int(query["page"]), int(query["per_page"])
                items = [{k: v for k, v in m.items() if k != "schema"} for m in catalog.models]
                chunk = items[(page - 1) * per_page : page * per_page]
                info = {"page": page, "per_page": per_page, "count": len(chunk), "total_count": len(items)}
                return self.send(
                    200, {"success": True, "errors": [], "messages": [], "result": chunk, "result_info": info}
                )
            model = next((m for m in catalog.models if m["name"] == query.get("model")), None)
            if model is None:
                return self.send(
                    400, {"success": False, "errors": [{"message": "model not found"}], "result": {}}
                )
            return self.send(200, {"success": True, "result": model.get("schema", {})})

    return Handler


@dataclass
class CatalogServer:
    catalog: Catalog
    base_url: str


def start(catalog: Catalog) -> tuple[ThreadingHTTPServer, threading.Thread, str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(catalog))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    return server, thread, f"http://127.0.0.1:{server.server_address[1]}/client/v4"
