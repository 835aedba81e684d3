# Copied by workers-ai-codegen from generator/runtime/_direct_client.py: edit it there.
"""`DirectClient`: the `httpx.Client` of `workers-ai map`, handing each request straight to its transport.

At thousands of short calls a second, `httpx.Client`'s own steps around the transport were a large share
of the command's CPU per row: merging the client's default headers into every request (`build_request`,
~27 us measured alone), extracting cookies from every reply through `http.cookiejar` (~18 us) and the
auth / redirect / event-hook layers that the command never uses. `DirectClient` merges the headers once
per header set and sends through its transport directly. With `StdlibTransport` under it, a whole
`client.run` call took 173-237 us of CPU, against 332-457 us over `httpx.Client` and httpx's transport
(2,000 sequential calls against the bulk benchmark's server, alternating rounds). Everything else (URL, body, timeouts, the reply as an `httpx.Response` with its request) is what
`httpx.Client` would produce, so the client's request loop, retries and errors work on it unchanged.

Differences from `httpx.Client`, none of which the command relies on:
- cookies a server sets are ignored (Workers AI authenticates by token);
- `auth=`, `follow_redirects=True` and event hooks fall back to `httpx.Client.send` (the command uses
  none: it never follows redirects, as the client never does);
- httpx's INFO log line per request is not written.
Any request `build_request` is not asked for in the command's usual form (bytes body, a client-prepared
header list, optional timeout, no cookies on the client) is built by `httpx.Client.build_request`, whole.
The client's default headers and timeout are read when it is made and once per header set: change them
by making a new client.
"""

from __future__ import annotations

from typing import Any

import httpx

__all__ = ["DirectClient"]

# Header sets merged with the client's defaults, kept by identity. The client's header lists are made
# once per client configuration; a call's own headers are made per call and are not cached past this.
_MAX_MERGED = 16


class DirectClient(httpx.Client):
    """An `httpx.Client` (the client's code takes it as one) that sends through `transport` directly."""

    def __init__(self, *, transport: httpx.BaseTransport, **options: Any) -> None:
        super().__init__(transport=transport, **options)
        self._direct = transport
        self._timeouts = self.timeout.as_dict()
        self._merged: dict[int, tuple[object, list[tuple[bytes, bytes]]]] = {}

    def build_request(
        self,
        method: str,
        url: httpx.URL | str,
        *,
        content: Any = None,
        headers: Any = None,
        timeout: Any = httpx.USE_CLIENT_DEFAULT,
        **options: Any,
    ) -> httpx.Request:
        if (
            options
            or type(content) is not bytes
            or type(url) is not httpx.URL
            or not isinstance(headers, list)
            or len(self.cookies.jar)  # cookies given to the client: httpx merges them into the request
        ):
            return super().build_request(
                method, url, content=content, headers=headers, timeout=timeout, **options
            )
        merged = self._merged_headers(headers)
        if merged is None:
            return super().build_request(method, url, content=content, headers=headers, timeout=timeout)
        timeouts = self._timeouts if timeout is httpx.USE_CLIENT_DEFAULT else httpx.Timeout(timeout).as_dict()
        return httpx.Request(method, url, content=content, headers=merged, extensions={"timeout": timeouts})

    def _merged_headers(self, headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]] | None:
        """The client's default headers updated with `headers`, as `httpx.Client` merges them."""
        entry = self._merged.get(id(headers))
        if entry is not None and entry[0] is headers:  # the entry holds `headers`: its id is not reused
            return entry[1]
        if len(self._merged) >= _MAX_MERGED or not all(
            type(name) is bytes and type(value) is bytes for name, value in headers
        ):
            return None
        merged = httpx.Headers(self.headers)
        merged.update(httpx.Headers(headers))
        raw = list(merged.raw)
        self._merged[id(headers)] = (headers, raw)
        return raw

    def send(
        self,
        request: httpx.Request,
        *,
        stream: bool = False,
        auth: Any = httpx.USE_CLIENT_DEFAULT,
        follow_redirects: Any = httpx.USE_CLIENT_DEFAULT,
    ) -> httpx.Response:
        hooks = self.event_hooks
        if (
            (auth is not httpx.USE_CLIENT_DEFAULT and auth is not None)
            or follow_redirects is True
            or self.follow_redirects
            or self.auth is not None
            or hooks["request"]
            or hooks["response"]
        ):
            return super().send(request, stream=stream, auth=auth, follow_redirects=follow_redirects)
        if self.is_closed:
            raise RuntimeError("Cannot send a request, as the client has been closed.")
        response = self._direct.handle_request(request)
        response.request = request
        if not stream:
            try:
                response.read()
            finally:
                response.close()
        return response
