"""Markdown conversion: `POST /ai/tomarkdown` (multipart, one `files` part per document) and
`GET /ai/tomarkdown/supported`.

    for doc in client.to_markdown([Path("report.pdf"), ("notes.html", b"<h1>Hi</h1>")]):
        print(doc.name, doc.tokens, doc.data) if doc.format == "markdown" else print(doc.name, doc.error)
    client.to_markdown.supported()   # [SupportedFormat(extension=".pdf", mime_type="application/pdf"), ...]

A document is a `pathlib.Path`, a binary file object, `(name, bytes)`, or bare `bytes` (named
`document-<index>`; the server guesses the format from the name, so give one where you can). One result
per document, in order: `MarkdownDocument`, or `MarkdownError` for a document the server could not convert
(its `format: "error"`); other documents of the same call still convert.
"""

from __future__ import annotations

import builtins
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, TypeAdapter, ValidationError

from ._records import Record, parse_record
from ._rest import AsyncRest, FilePart, SyncRest
from ._validation import pydantic_issues
from .errors import InputValidationError, Issue, MalformedResponseError, ResponseValidationError

__all__ = [
    "AsyncToMarkdown",
    "MarkdownDocument",
    "MarkdownError",
    "MarkdownResult",
    "SupportedFormat",
    "ToMarkdown",
]


class MarkdownDocument(Record):
    name: str
    mime_type: str = Field(alias="mimeType")
    format: Literal["markdown"]
    tokens: int
    data: str
    id: str | None = None


class MarkdownError(Record):
    """A document the server could not convert; `error` says why."""

    name: str
    mime_type: str | None = Field(default=None, alias="mimeType")
    format: Literal["error"]
    error: str = ""
    id: str | None = None


MarkdownResult = Annotated[MarkdownDocument | MarkdownError, Field(discriminator="format")]
_RESULTS: TypeAdapter[list[MarkdownResult]] = TypeAdapter(list[MarkdownResult])


class SupportedFormat(Record):
    extension: str
    mime_type: str = Field(alias="mimeType")


def _part(index: int, document: Any) -> FilePart | Issue:
    where = f"/files/{index}"
    if isinstance(document, Path):
        if not document.is_file():
            return Issue(where, f"{document} is not a file")
        return FilePart("files", document.name, document)
    if isinstance(document, bytes | bytearray | memoryview):
        return FilePart("files", f"document-{index}", bytes(document))
    if isinstance(document, tuple) and len(document) == 2:
        name, content = document
        if not isinstance(name, str) or not name or not isinstance(content, bytes | bytearray):
            return Issue(where, "a (name, bytes) pair needs a non-empty name and bytes")
        return FilePart("files", name, bytes(content))
    read = getattr(document, "read", None)
    if callable(read):
        content = read()
        if not isinstance(content, bytes):
            return Issue(where, "the file object must be opened in binary mode ('rb')")
        name = Path(str(getattr(document, "name", "") or f"document-{index}")).name
        return FilePart("files", name, content)
    return Issue(
        where, f"expected a Path, bytes, (name, bytes) or a binary file, not {type(document).__name__}"
    )


def _parts(documents: Sequence[Any]) -> list[FilePart]:
    if isinstance(documents, str | bytes | Path) or not isinstance(documents, Sequence):
        documents = [documents]
    if not documents:
        raise InputValidationError("to_markdown", [Issue("/files", "give at least one document")])
    found = [_part(index, document) for index, document in enumerate(documents)]
    issues = [item for item in found if isinstance(item, Issue)]
    if issues:
        raise InputValidationError("to_markdown", issues)
    return [item for item in found if isinstance(item, FilePart)]


def _form(conversion_options: Mapping[str, Any] | None) -> dict[str, str] | None:
    if conversion_options is None:
        return None
    if not isinstance(conversion_options, Mapping):
        raise InputValidationError("to_markdown", [Issue("/conversionOptions", "must be a mapping")])
    return {"conversionOptions": json.dumps(conversion_options)}


def _results(result: Any, count: int) -> builtins.list[MarkdownDocument | MarkdownError]:
    what = "POST /ai/tomarkdown"
    try:
        parsed = _RESULTS.validate_python(result)
    except ValidationError as exc:
        raise ResponseValidationError(
            f"{what}: the reply does not match the documented shape", errors=pydantic_issues(exc, result)
        ) from None
    if len(parsed) != count:
        raise MalformedResponseError(f"{what}: {len(parsed)} results for {count} documents")
    return parsed


def _supported(result: Any) -> builtins.list[SupportedFormat]:
    if not isinstance(result, builtins.list):
        raise MalformedResponseError("GET /ai/tomarkdown/supported: 'result' is not a list")
    return [parse_record(SupportedFormat, item, "GET /ai/tomarkdown/supported") for item in result]


class ToMarkdown:
    """`client.to_markdown(documents)`; `client.to_markdown.supported()`."""

    def __init__(self, rest: SyncRest) -> None:
        self._rest = rest

    def __call__(
        self, documents: Sequence[Any], *, conversion_options: Mapping[str, Any] | None = None
    ) -> builtins.list[MarkdownDocument | MarkdownError]:
        parts = _parts(documents)
        reply = self._rest.request("POST", "/ai/tomarkdown", files=parts, data=_form(conversion_options))
        return _results(reply.result, len(parts))

    def supported(self) -> builtins.list[SupportedFormat]:
        return _supported(self._rest.request("GET", "/ai/tomarkdown/supported").result)


class AsyncToMarkdown:
    """`await client.to_markdown(documents)`; `await client.to_markdown.supported()`."""

    def __init__(self, rest: AsyncRest) -> None:
        self._rest = rest

    async def __call__(
        self, documents: Sequence[Any], *, conversion_options: Mapping[str, Any] | None = None
    ) -> builtins.list[MarkdownDocument | MarkdownError]:
        parts = _parts(documents)
        reply = await self._rest.request(
            "POST", "/ai/tomarkdown", files=parts, data=_form(conversion_options)
        )
        return _results(reply.result, len(parts))

    async def supported(self) -> builtins.list[SupportedFormat]:
        return _supported((await self._rest.request("GET", "/ai/tomarkdown/supported")).result)
