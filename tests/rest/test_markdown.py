"""`client.to_markdown`: multipart `files`, typed per-document results and errors, supported formats."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rest_support import PREFIX, Client, multipart_parts, resolve, run

from tests.support.fault_server import FaultServer, Reply
from workers_ai._markdown import MarkdownDocument, MarkdownError
from workers_ai.errors import InputValidationError, ResponseValidationError

CONVERTED = [
    {
        "id": "1",
        "name": "good.html",
        "mimeType": "text/html",
        "format": "markdown",
        "tokens": 49,
        "data": "# Hi\n",
    },
    {"id": "2", "name": "bad.pdf", "mimeType": "application/pdf", "format": "error", "error": "cannot read"},
    {
        "id": "3",
        "name": "notes.txt",
        "mimeType": "text/plain",
        "format": "markdown",
        "tokens": 2,
        "data": "ok",
    },
    {
        "id": "4",
        "name": "document-3",
        "mimeType": "text/plain",
        "format": "markdown",
        "tokens": 1,
        "data": "b",
    },
]


def test_convert_documents(mode: str, server: FaultServer, tmp_path: Path) -> None:
    html = tmp_path / "good.html"
    html.write_bytes(b"<h1>Hi</h1>")
    server.enqueue(Reply.envelope(CONVERTED))

    async def scenario(client: Client) -> None:
        results = await resolve(
            client.to_markdown(
                [html, ("bad.pdf", b"%PDF-broken"), io.BytesIO(b"ok"), b"b"], conversion_options={"html": {}}
            )
        )
        first, second, third, fourth = results
        assert isinstance(first, MarkdownDocument) and (first.name, first.mime_type, first.tokens) == (
            "good.html",
            "text/html",
            49,
        )
        assert first.data == "# Hi\n"
        assert isinstance(second, MarkdownError) and second.error == "cannot read"
        assert isinstance(third, MarkdownDocument) and isinstance(fourth, MarkdownDocument)

    run(mode, server, scenario)
    (request,) = server.requests
    assert (request.method, request.path) == ("POST", f"{PREFIX}/ai/tomarkdown")
    parts = multipart_parts(request)
    assert [(p.name, p.filename, p.data) for p in parts] == [
        ("conversionOptions", None, json.dumps({"html": {}}).encode()),
        ("files", "good.html", b"<h1>Hi</h1>"),
        ("files", "bad.pdf", b"%PDF-broken"),
        ("files", "document-2", b"ok"),
        ("files", "document-3", b"b"),
    ]


def test_supported_formats(mode: str, server: FaultServer) -> None:
    server.enqueue(Reply.envelope([{"extension": ".pdf", "mimeType": "application/pdf"}]))

    async def scenario(client: Client) -> None:
        (pdf,) = await resolve(client.to_markdown.supported())
        assert (pdf.extension, pdf.mime_type) == (".pdf", "application/pdf")

    run(mode, server, scenario)
    assert server.requests[0].path == f"{PREFIX}/ai/tomarkdown/supported"


def test_bad_documents_send_nothing(mode: str, server: FaultServer, tmp_path: Path) -> None:
    async def scenario(client: Client) -> None:
        with pytest.raises(InputValidationError) as caught:
            await resolve(client.to_markdown([b"fine", tmp_path / "missing.pdf", 42, io.StringIO("text")]))
        assert [issue.pointer for issue in caught.value.errors] == ["/files/1", "/files/2", "/files/3"]
        with pytest.raises(InputValidationError, match="at least one"):
            await resolve(client.to_markdown([]))

    run(mode, server, scenario)
    assert server.count == 0


def test_a_reply_that_does_not_match_is_typed(mode: str, server: FaultServer) -> None:
    server.enqueue(Reply.envelope([{"name": "x", "format": "markdown"}]), Reply.envelope(CONVERTED[:1]))

    async def scenario(client: Client) -> None:
        with pytest.raises(ResponseValidationError):
            await resolve(client.to_markdown([b"x"]))
        with pytest.raises(ResponseValidationError, match="1 results for 2 documents"):
            await resolve(client.to_markdown([b"x", b"y"]))

    run(mode, server, scenario)
