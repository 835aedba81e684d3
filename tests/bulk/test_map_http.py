"""The HTTP client of `workers-ai map` (`cli._http_client`: `DirectClient` over `StdlibTransport`, one per
worker thread) against real sockets on 127.0.0.1.

Most tests run the same scenario through the client's own httpx pool and through the command's client and
expect the same outcome: the command's cheaper HTTP path must not change what a call returns or raises."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import socket
import ssl
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.fault_server import FaultServer, Reply, unresponsive_address
from workers_ai import WorkersAI, _retry
from workers_ai._direct_client import DirectClient
from workers_ai._per_thread import PerThreadTransport
from workers_ai._stdlib_transport import StdlibTransport
from workers_ai.cli import _http_client
from workers_ai.errors import (
    APIConnectionError,
    APITimeoutError,
    ClientClosedError,
    InternalServerError,
    MalformedResponseError,
    RateLimitError,
    WorkersAIError,
)

MODEL = "@cf/huggingface/distilbert-sst-2-int8"
TOKEN = "map-http-secret-token"
RESULT = [{"label": "POSITIVE", "score": 0.75}]
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def server(shared_fault_server: FaultServer, monkeypatch: pytest.MonkeyPatch) -> FaultServer:
    shared_fault_server.reset()
    monkeypatch.setattr(_retry, "sleep", lambda seconds: None)  # retries without the backoff waits
    return shared_fault_server


Make = Callable[..., WorkersAI]


@pytest.fixture(params=["httpx", "command"])
def make(request: pytest.FixtureRequest, server: FaultServer) -> Iterator[Make]:
    """A client on the default httpx pool or on the command's HTTP client, with the same settings."""
    clients: list[WorkersAI] = []
    pools: list[httpx.Client] = []

    def build(timeout: float = 5.0, max_retries: int = 0, base_url: str | None = None) -> WorkersAI:
        http = _http_client(timeout) if request.param == "command" else None
        if http is not None:
            pools.append(http)
        client = WorkersAI(
            account_id="acc",
            api_token=TOKEN,
            base_url=base_url or server.base_url,
            timeout=timeout,
            max_retries=max_retries,
            http_client=http,
        )
        clients.append(client)
        return client

    yield build
    for client in clients:
        client.close()
    for pool in pools:
        pool.close()


def _delayed(seconds: float) -> Reply:
    return replace(Reply.envelope(RESULT), delay=seconds)


def failure(client: WorkersAI, text: str = "a review", **options: Any) -> WorkersAIError:
    with pytest.raises(WorkersAIError) as caught:
        client.run(MODEL, {"text": text}, **options)
    error = caught.value
    shown = "".join(traceback.TracebackException.from_exception(error, capture_locals=True).format())
    assert TOKEN not in str(error) + repr(error) + shown
    return error


def test_success_sends_the_same_request_as_httpx(make: Make, server: FaultServer) -> None:
    server.enqueue(Reply.envelope(RESULT), Reply.envelope(RESULT))
    client = make()
    first = client.run(MODEL, {"text": "good"})
    assert [item.label for item in first] == ["POSITIVE"]
    client.run(MODEL, {"text": "good"}, extra_query={"trace": 1}, extra_headers={"x-row": "7"})
    sent, with_options = server.requests
    assert sent.path == f"/client/v4/accounts/acc/ai/run/{MODEL}"
    assert sent.body == b'{"text":"good"}'
    assert sent.headers["authorization"] == f"Bearer {TOKEN}"
    assert sent.headers["content-type"] == "application/json"
    expected = httpx.Client().build_request("POST", server.url, content=b"{}").headers
    for name in ("accept", "accept-encoding", "connection"):
        assert sent.headers[name] == expected[name]
    assert with_options.path.endswith("?trace=1")
    assert with_options.headers["x-row"] == "7"


@pytest.mark.parametrize("framing", ["length", "chunked", "close"])
def test_every_body_framing_and_gzip_is_read_whole(make: Make, server: FaultServer, framing: str) -> None:
    body = json.dumps({"result": RESULT, "success": True, "errors": [], "messages": []}).encode()
    server.enqueue(
        Reply(headers=[("Content-Type", "application/json")], chunks=[body[:9], body[9:]], framing=framing),  # type: ignore[arg-type]
        Reply.gzipped(gzip.compress(body)),
    )
    client = make()
    assert client.run(MODEL, {"text": "x"})[0].score == 0.75
    assert client.run(MODEL, {"text": "x"})[0].label == "POSITIVE"


def test_a_reset_connection_is_retried_then_reported(make: Make, server: FaultServer) -> None:
    server.enqueue(Reply(reset=True), Reply.envelope(RESULT))
    assert make(max_retries=1).run(MODEL, {"text": "x"})[0].label == "POSITIVE"
    assert server.count == 2
    server.enqueue(Reply(reset=True), Reply(hang_up=True))
    error = failure(make(max_retries=1))
    assert type(error) is APIConnectionError
    assert error.attempts == 2


def test_a_rate_limit_burst_is_waited_out_then_reported(make: Make, server: FaultServer) -> None:
    server.burst(Reply.rate_limited(retry_after_ms="1"), 3).enqueue(Reply.envelope(RESULT))
    assert make(max_retries=3).run(MODEL, {"text": "x"})[0].label == "POSITIVE"
    assert server.count == 4
    server.burst(Reply.rate_limited(retry_after="0"), 3)
    error = failure(make(max_retries=2))
    assert isinstance(error, RateLimitError)
    assert error.code == 3040
    assert error.response is not None
    assert error.response.request.headers["authorization"] != f"Bearer {TOKEN}"  # redacted


def test_timeouts_of_every_phase(make: Make, server: FaultServer) -> None:
    client = make(timeout=0.2)
    server.enqueue(_delayed(2.0))
    started = time.monotonic()
    assert type(failure(client)) is APITimeoutError
    assert time.monotonic() - started < 1.5  # the socket's read timeout, not the deadline checked after it
    server.enqueue(Reply.trickle(b'{"result": [], "success": true}' * 4, every=0.02))
    assert type(failure(client)) is APITimeoutError  # the whole-attempt deadline, read by read
    server.enqueue(_delayed(0.5))
    assert type(failure(make(timeout=5.0), timeout=0.1)) is APITimeoutError  # a call's own timeout
    with unresponsive_address() as (host, port):
        assert type(failure(make(timeout=0.2, base_url=f"http://{host}:{port}/client/v4"))) is APITimeoutError


def test_malformed_and_cut_replies(make: Make, server: FaultServer) -> None:
    client = make()
    server.enqueue(Reply(headers=[("Content-Type", "application/json")], body=b'{"result": [{"label": '))
    assert type(failure(client)) is MalformedResponseError
    body = Reply.envelope(RESULT).body
    server.enqueue(Reply(headers=[("Content-Type", "application/json")], body=body, truncate_to=10))
    assert type(failure(client)) is APIConnectionError
    server.enqueue(
        Reply(headers=[("Content-Type", "application/json")], chunks=[body[:10]], framing="chunked", cut=True)
    )
    assert type(failure(client)) is APIConnectionError
    server.enqueue(Reply.html(502, "<html>bad gateway</html>"))
    assert type(failure(client)) is InternalServerError
    server.enqueue(Reply.envelope(RESULT))
    assert client.run(MODEL, {"text": "x"})[0].label == "POSITIVE"  # still usable after all of these


def test_refused_connection_and_closed_client(make: Make, server: FaultServer) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    listener.close()  # nothing listens there now
    assert type(failure(make(base_url=f"http://127.0.0.1:{port}/client/v4"))) is APIConnectionError
    client = make()
    client._http.close()
    with pytest.raises(ClientClosedError):
        client.run(MODEL, {"text": "x"})


# -- the command's transport on its own ----------------------------------------------------------------


def test_one_connection_is_kept_alive_per_thread(server: FaultServer) -> None:
    server.responder = lambda request: Reply.envelope(RESULT)
    ports: set[int] = set()
    transport = PerThreadTransport(StdlibTransport)
    with DirectClient(transport=transport, timeout=5.0) as http:

        def calls() -> None:
            for _ in range(5):
                response = http.post(server.url, content=b"{}")
                assert response.status_code == 200
                ports.add(_local_port(transport))

        threads = [threading.Thread(target=calls) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert server.count == 15
    assert len(ports) == 3  # one connection per thread, reused for all five calls


def _local_port(transport: PerThreadTransport) -> int:
    pool = transport._local.pool
    (sock,) = pool._idle.values()
    port: int = sock.getsockname()[1]
    return port


def test_a_connection_the_server_closed_while_idle_is_not_reused() -> None:
    """A server that closes each connection after answering, without saying so: the idle connection is
    readable (end of file) at the next call, so the call goes out on a new one instead of failing."""
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    accepted: list[int] = []

    def serve() -> None:
        for _ in range(2):
            connection, _ = listener.accept()
            accepted.append(1)
            with connection:
                data = b""
                while not data.endswith(b"{}"):
                    data += connection.recv(65536)
                connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    with DirectClient(transport=StdlibTransport(), timeout=5.0) as http:
        assert http.post(f"http://127.0.0.1:{port}/", content=b"{}").content == b"ok"
        thread.join(0.5)  # the server has closed the first connection by now
        assert http.post(f"http://127.0.0.1:{port}/", content=b"{}").content == b"ok"
    thread.join(5)
    listener.close()
    assert accepted == [1, 1]


def test_requests_the_fast_path_does_not_take_are_built_by_httpx(server: FaultServer) -> None:
    server.responder = lambda request: Reply.json({"path": request.path, "body": request.json()})
    with DirectClient(transport=StdlibTransport(), timeout=5.0) as http:
        response = http.post(server.url + "/x", json={"a": 1}, params={"q": "1"})
        assert response.json() == {"path": "/x?q=1", "body": {"a": 1}}
        assert response.elapsed.total_seconds() > 0
        with pytest.raises(httpx.LocalProtocolError):
            http.post(server.url, content=b"{}", headers={"x-bad": "a\r\nInjected: 1"})
    with DirectClient(transport=StdlibTransport(), timeout=5.0, cookies={"session": "abc"}) as http:
        request = http.build_request("POST", httpx.URL(server.url), content=b"{}", headers=[(b"a", b"b")])
        assert request.headers["cookie"] == "session=abc"  # the client's cookies, merged as httpx does
        assert http.send(request).status_code == 200
    assert server.count == 2  # the illegal header was never sent
    assert server.requests[1].headers["cookie"] == "session=abc"


# -- TLS -------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and its key, made by the `openssl` command."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is needed to make a test certificate")
    subprocess.run(
        [
            *[
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-days",
                "2",
            ],
            *["-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
            *["-keyout", str(key), "-out", str(cert)],
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


class _Envelope(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length") or 0))
        body = json.dumps({"result": RESULT, "success": True, "errors": [], "messages": []}).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def tls_server(tls_files: tuple[Path, Path]) -> Iterator[str]:
    """An HTTPS server on 127.0.0.1 answering every POST with a classification envelope; its base URL."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*tls_files)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Envelope)
    server.daemon_threads = True
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{server.server_address[1]}/client/v4"
    finally:
        server.shutdown()
        server.server_close()


def test_https_verifies_the_certificate_and_keeps_the_connection(
    tls_server: str, tls_files: tuple[Path, Path]
) -> None:
    trusting = ssl.create_default_context(cafile=str(tls_files[0]))
    transport = StdlibTransport(trusting)
    with DirectClient(transport=transport, timeout=5.0) as http:
        client = WorkersAI(account_id="acc", api_token=TOKEN, base_url=tls_server, http_client=http)
        assert client.run(MODEL, {"text": "x"})[0].label == "POSITIVE"
        (first,) = transport._idle.values()
        assert isinstance(first, ssl.SSLSocket)
        assert client.run(MODEL, {"text": "y"})[0].label == "POSITIVE"
        assert list(transport._idle.values()) == [first]  # the same TLS connection, reused
    # The command's own client trusts the usual certificate authorities, which did not sign this one.
    with _http_client(5.0) as http:
        client = WorkersAI(
            account_id="acc", api_token=TOKEN, base_url=tls_server, http_client=http, max_retries=0
        )
        error = failure(client)
    assert type(error) is APIConnectionError
    assert "SSLCertVerificationError" in str(error)


def test_the_command_over_https_with_ssl_cert_file(
    tls_server: str, tls_files: tuple[Path, Path], tmp_path: Path
) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps({"id": i, "text": f"row {i}"}) + "\n" for i in range(40)))
    output = tmp_path / "out.jsonl"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CLOUDFLARE_", "SSL_CERT_"))}
    env.update(
        CLOUDFLARE_ACCOUNT_ID="acc",
        CLOUDFLARE_API_TOKEN=TOKEN,
        CLOUDFLARE_BASE_URL=tls_server,
        SSL_CERT_FILE=str(tls_files[0]),  # read by httpx's TLS context, which the command shares
        PYTHONPATH=os.pathsep.join([str(ROOT / "generated"), str(ROOT)]),
    )
    command = [
        sys.executable,
        "-m",
        "workers_ai",
        "map",
        MODEL,
        "--input",
        str(source),
        "--output",
        str(output),
    ]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in output.read_text().splitlines()]
    assert sorted(r["id"] for r in records) == list(range(40))
    assert all(r["ok"] for r in records)
