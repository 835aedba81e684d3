# Copied by workers-ai-codegen from generator/runtime/_stdlib_transport.py: edit it there.
"""An httpx transport over the standard library: one keep-alive connection per origin, replies read by
`http.client.HTTPResponse`.

`workers-ai map` makes thousands of short calls a second from a few dozen threads, on the same cores as
everything else, under one interpreter lock, so the client's CPU per row bounds its rate. httpx's own
transport (httpcore's pool and h11's HTTP/1.1 state machine, both pure Python) costs several times the CPU
of the standard library per request; this transport keeps everything above it as it is (the client's
request loop, its retry rules and error texts) and swaps only the wire: it answers each `httpx.Request`
with an `httpx.Response` whose body streams from an `http.client.HTTPResponse` (status line, headers,
chunked transfer coding). The request is framed here (see `_exchange`).

It is not thread-safe: `PerThreadTransport` gives every worker thread its own. What it does:
- HTTP/1.1 only, `http` and `https` (TLS with the context it is given); no proxies (the command's
  client never used the environment's: an explicit transport turns them off in httpx as well).
- Timeouts as httpx reads them from the request (`connect`, `write`, `read`; `pool` has no meaning
  with one connection); expiry raises `httpx.ConnectTimeout` / `WriteTimeout` / `ReadTimeout`.
- Failures raise the httpx exception of the same kind (`ConnectError`, `WriteError`, `ReadError`,
  `RemoteProtocolError`, `LocalProtocolError` for an illegal header), so the client words and retries
  them as before. Texts never quote a header.
- A connection is reused only once its reply was read to the end and the server did not ask to close
  it; an idle connection the server has closed (or that holds unexpected bytes) is dropped before use,
  as httpcore does.
- The body is handed over undecoded (`Content-Encoding` is left to httpx and `_limits.py`).
"""

from __future__ import annotations

import datetime
import http.client
import re
import select
import socket
import ssl
import time
from collections.abc import Iterator

import httpx

__all__ = ["StdlibTransport"]

_READ_SIZE = 64 * 1024
# What httpx reports as the reply's HTTP version (`Response.http_version`).
_VERSIONS = {10: b"HTTP/1.0", 11: b"HTTP/1.1"}
# What `http.client.putheader` checks of a header: its name is a token, its value holds no CR, LF or NUL
# (checked here over all names and all values at once).
_NAMES = re.compile(rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]+(?::[!#$%&'*+\-.^_`|~0-9A-Za-z]+)*")
_BAD_VALUE = re.compile(rb"[\r\n\x00]")

Origin = tuple[bytes, bytes, int | None]


class StdlibTransport(httpx.BaseTransport):
    """One keep-alive connection per origin (scheme, host, port), for a single thread."""

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        self._tls = tls
        self._idle: dict[Origin, socket.socket] = {}
        self._closed = False

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if self._closed:
            raise RuntimeError("the transport is closed")
        url = request.url
        origin = (url.raw_scheme, url.raw_host, url.port)
        timeouts = request.extensions.get("timeout", {})
        started = time.perf_counter()
        sock = self._idle.pop(origin, None)
        if sock is not None and _stale(sock):
            sock.close()
            sock = None
        if sock is None:
            sock = self._connect(url, timeouts.get("connect"))
        try:
            reply = _exchange(sock, request, timeouts)
        except BaseException:
            sock.close()
            raise
        body = _Body(self, origin, sock, reply, started)
        body.response = httpx.Response(
            reply.status,
            headers=[(name.encode("latin-1"), value.encode("latin-1")) for name, value in reply.getheaders()],
            stream=body,
            extensions={
                "http_version": _VERSIONS.get(reply.version, b"HTTP/1.1"),
                "reason_phrase": reply.reason.encode("latin-1"),
            },
        )
        return body.response

    def _connect(self, url: httpx.URL, timeout: float | None) -> socket.socket:
        scheme = url.raw_scheme
        if scheme not in (b"http", b"https"):
            raise httpx.UnsupportedProtocol(f"Request URL has an unsupported protocol '{url.scheme}://'.")
        host = url.raw_host.decode("ascii")
        port = url.port or (443 if scheme == b"https" else 80)
        try:
            sock = socket.create_connection((host, port), timeout)
        except TimeoutError:
            raise httpx.ConnectTimeout("Connecting timed out") from None
        except OSError as exc:
            raise httpx.ConnectError(f"Could not connect: {_reason(exc)}") from None
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if scheme == b"https":
                tls = self._tls if self._tls is not None else httpx.create_ssl_context()
                sock = tls.wrap_socket(sock, server_hostname=host)
        except TimeoutError:
            sock.close()
            raise httpx.ConnectTimeout("The TLS handshake timed out") from None
        except OSError as exc:  # ssl.SSLError (a certificate that does not verify, ...) is an OSError
            sock.close()
            raise httpx.ConnectError(f"Could not connect: {_reason(exc)}") from None
        return sock

    def _release(self, origin: Origin, sock: socket.socket) -> None:
        """Keep a connection whose reply was read whole for the next request to the same origin."""
        if self._closed or origin in self._idle:
            sock.close()
        else:
            self._idle[origin] = sock

    def close(self) -> None:
        self._closed = True
        idle, self._idle = self._idle, {}
        for sock in idle.values():
            sock.close()


def _exchange(
    sock: socket.socket, request: httpx.Request, timeouts: dict[str, float | None]
) -> http.client.HTTPResponse:
    """Send `request` on `sock` and read the reply's status line and headers."""
    # Framed here rather than by `http.client.HTTPConnection`, which checks each header with two regular
    # expressions and sends head and body in two writes (two segments with Nagle off, two wake-ups of
    # the server): against the bulk benchmark's server, 8 alternating rounds of 3,000 calls took 77-105 us
    # of client CPU per call that way and 55-71 us with one check of all headers and one write.
    raw = request.headers.raw
    if _NAMES.fullmatch(b":".join([name for name, _ in raw])) is None or _BAD_VALUE.search(
        b"".join([value for _, value in raw])
    ):  # the text does not say which: it could quote a header
        raise httpx.LocalProtocolError("Illegal header name or value")
    head = b"".join([name + b": " + value + b"\r\n" for name, value in raw])
    method = request.method.encode("ascii")
    body = request.read()
    if "transfer-encoding" in request.headers:  # httpx's framing of a body of unknown length: one chunk
        body = b"%x\r\n%b\r\n0\r\n\r\n" % (len(body), body) if body else b"0\r\n\r\n"
    try:
        sock.settimeout(timeouts.get("write"))
        sock.sendall(b"%b %b HTTP/1.1\r\n%b\r\n%b" % (method, request.url.raw_path, head, body))
    except TimeoutError:
        raise httpx.WriteTimeout("Sending the request timed out") from None
    except OSError as exc:
        raise httpx.WriteError(f"Sending the request failed: {_reason(exc)}") from None
    reply = http.client.HTTPResponse(sock, method=request.method)
    try:
        sock.settimeout(timeouts.get("read"))
        reply.begin()
    except TimeoutError:
        reply.close()
        raise httpx.ReadTimeout("Waiting for the reply timed out") from None
    except http.client.HTTPException as exc:  # RemoteDisconnected, BadStatusLine, LineTooLong, ...
        reply.close()
        raise httpx.RemoteProtocolError(f"The server's reply could not be read: {_reason(exc)}") from None
    except OSError as exc:
        reply.close()
        raise httpx.ReadError(f"Reading the reply failed: {_reason(exc)}") from None
    return reply


class _Body(httpx.SyncByteStream):
    """A reply's body, read in pieces; the connection goes back to its transport once the body was read
    to its end (else it is closed)."""

    def __init__(
        self,
        owner: StdlibTransport,
        origin: Origin,
        sock: socket.socket,
        reply: http.client.HTTPResponse,
        started: float,
    ) -> None:
        self.response: httpx.Response | None = None
        self._started = started
        self._owner = owner
        self._origin = origin
        self._sock: socket.socket | None = sock
        self._reply = reply

    def __iter__(self) -> Iterator[bytes]:
        reply = self._reply
        try:
            while True:
                # A known length is read with `read`, which ends the reply at its last byte; a chunked or
                # open-ended body with `read1`, which hands over what has arrived without waiting for more.
                length = reply.length
                piece = reply.read(min(length, _READ_SIZE)) if length is not None else reply.read1(_READ_SIZE)
                if not piece:
                    if length:  # `read` does not raise for a body cut short: it returns nothing
                        raise http.client.IncompleteRead(b"", length)
                    break
                yield piece
        except TimeoutError:
            self.close()
            raise httpx.ReadTimeout("Reading the reply timed out") from None
        except http.client.HTTPException as exc:  # IncompleteRead: the server hung up mid-body
            self.close()
            raise httpx.RemoteProtocolError(f"The reply's body was cut short: {_reason(exc)}") from None
        except OSError as exc:
            self.close()
            raise httpx.ReadError(f"Reading the reply failed: {_reason(exc)}") from None

    def close(self) -> None:
        sock, self._sock = self._sock, None
        if sock is None:
            return
        if self.response is not None:  # as httpx's own transports do: from sending to the body's end
            self.response.elapsed = datetime.timedelta(seconds=time.perf_counter() - self._started)
        reply = self._reply
        finished = reply.isclosed() and not reply.will_close
        reply.close()  # the file over the socket: the socket itself stays open until closed below
        if finished:
            self._owner._release(self._origin, sock)
        else:
            sock.close()


def _stale(sock: socket.socket) -> bool:
    """An idle connection that is readable: the server closed it, or sent bytes nobody asked for (as
    httpcore checks before reusing a connection; `poll`, unlike `select`, takes any descriptor)."""
    try:
        poller = select.poll()
        poller.register(sock, select.POLLIN)
        return bool(poller.poll(0))
    except (OSError, ValueError):
        return True


def _reason(exc: BaseException) -> str:
    """What went wrong, in words that cannot quote a request header."""
    if isinstance(exc, OSError) and exc.strerror:
        return f"{type(exc).__name__}: {exc.strerror}"
    return type(exc).__name__
