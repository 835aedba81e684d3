# Copied by workers-ai-codegen from generator/runtime/_catalog.py: edit it there.
"""The Workers AI catalog: model search (paged), one model's schemas, tasks and authors.

    for model in client.models.search(task="Text Generation", hide_experimental=True):
        print(model.name, model.task.name if model.task else "", model.property("async_queue"))
    schemas = client.models.schema("@cf/baai/bge-m3")      # ModelSchemas(input={...}, output={...})
    client.tasks.list(), client.authors.list()

`GET /ai/models/search` is walked page by page (`page`, `per_page`) until a page comes back short or
`result_info` says it was the last; a server that never ends is cut off after `MAX_PAGES` pages with a
`MalformedResponseError`. The `*_documents` methods give the raw JSON objects: the generator's `sync`
command writes catalog model files from them, so this is the one catalog client of the project.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any, Generic, TypeVar

from ._records import Record, parse_record, parse_records
from ._rest import AsyncRest, Params, QueryParams, Reply, SyncRest
from .errors import InputValidationError, Issue, MalformedResponseError

__all__ = [
    "MAX_PAGES",
    "PER_PAGE",
    "AsyncAuthors",
    "AsyncModels",
    "AsyncTasks",
    "Authors",
    "CatalogAuthor",
    "CatalogModel",
    "CatalogTask",
    "ModelProperty",
    "ModelSchemas",
    "Models",
    "Tasks",
]

PER_PAGE = 100
MAX_PAGES = 1000

DocumentsT = TypeVar("DocumentsT")
ModelsT = TypeVar("ModelsT")
RestT = SyncRest | AsyncRest


class CatalogTask(Record):
    id: str | None = None
    name: str
    description: str | None = None


class CatalogAuthor(Record):
    id: str | None = None
    name: str
    description: str | None = None


class ModelProperty(Record):
    property_id: str
    value: Any = None


class CatalogModel(Record):
    """One item of `/ai/models/search`."""

    id: str | None = None
    name: str
    description: str | None = None
    source: int | None = None
    task: CatalogTask | None = None
    tags: tuple[str, ...] = ()
    properties: tuple[ModelProperty, ...] = ()
    created_at: str | None = None

    def property(self, property_id: str) -> Any:
        """The value of the catalog property `property_id` (e.g. "async_queue", "lora"), or None."""
        return next((p.value for p in self.properties if p.property_id == property_id), None)


TaskList = list[CatalogTask]
AuthorList = list[CatalogAuthor]


class ModelSchemas(Record):
    """`/ai/models/schema`: the model's input and output JSON Schemas."""

    input: dict[str, Any]
    output: dict[str, Any]


def _filters(
    task: str | None,
    author: str | None,
    search: str | None,
    hide_experimental: bool | None,
    source: int | None,
) -> dict[str, str | int | bool]:
    query = QueryParams("models.search")
    for name, value in (("task", task), ("author", author), ("search", search)):
        query.add(name, value, isinstance(value, str) and value != "", "a non-empty string")
    query.add("hide_experimental", hide_experimental, isinstance(hide_experimental, bool), "a bool")
    query.add("source", source, isinstance(source, int) and not isinstance(source, bool), "an int")
    return query.checked()


def _per_page(per_page: int) -> int:
    if isinstance(per_page, bool) or not isinstance(per_page, int) or per_page < 1:
        raise InputValidationError(
            "models.search", [Issue("/per_page", f"must be an int >= 1, not {per_page!r}")]
        )
    return per_page


def _model_name(model: str) -> str:
    if not isinstance(model, str) or not model:
        raise InputValidationError(
            "models.schema", [Issue("/model", f"must be a non-empty string, not {model!r}")]
        )
    return model


_SEARCH = "/ai/models/search"


class _Pages:
    """The paging state of one walk through `GET /ai/models/search` (no I/O): the params of the next page,
    the items of a page, and whether it was the last."""

    def __init__(self, params: Params, per_page: int) -> None:
        self._params = params
        self._per_page = per_page
        self._page = 0
        self._seen = 0
        self.done = False

    def next_params(self) -> Params:
        if self._page >= MAX_PAGES:
            raise MalformedResponseError(f"GET {_SEARCH}: still not done after {MAX_PAGES} pages")
        self._page += 1
        return {**self._params, "page": self._page, "per_page": self._per_page}

    def items(self, reply: Reply) -> list[dict[str, Any]]:
        page, result = self._page, reply.result
        if not isinstance(result, list) or not all(isinstance(item, dict) for item in result):
            raise MalformedResponseError(f"GET {_SEARCH} page {page}: 'result' is not a list of objects")
        self._seen += len(result)
        self.done = self._is_last(len(result), reply.info)
        return result

    def _is_last(self, items: int, info: Any) -> bool:
        if items < self._per_page:
            return True
        if not isinstance(info, dict):
            return False
        total_pages, total_count = info.get("total_pages"), info.get("total_count")
        if isinstance(total_pages, int) and self._page >= total_pages:
            return True
        return isinstance(total_count, int) and self._seen >= total_count


def _schema_document(result: Any, model: str) -> dict[str, Any]:
    if not isinstance(result, dict):
        raise MalformedResponseError(f"GET /ai/models/schema?model={model}: 'result' is not an object")
    return result


class _Models(Generic[DocumentsT, ModelsT]):
    """`client.models`: search the catalog and read one model's schemas. `DocumentsT` / `ModelsT`: the
    (async) iterators the sync and async versions return; they differ only in how they wait for a page."""

    def __init__(self, rest: RestT) -> None:
        self._rest = rest

    def search_documents(
        self,
        *,
        task: str | None = None,
        author: str | None = None,
        search: str | None = None,
        hide_experimental: bool | None = None,
        source: int | None = None,
        per_page: int = PER_PAGE,
    ) -> DocumentsT:
        """Every matching model as the raw JSON object, page after page (checked before any request)."""
        params: dict[str, Any] = {**_filters(task, author, search, hide_experimental, source)}
        return self._walk(_Pages(params, _per_page(per_page)))

    def search(
        self,
        *,
        task: str | None = None,
        author: str | None = None,
        search: str | None = None,
        hide_experimental: bool | None = None,
        source: int | None = None,
        per_page: int = PER_PAGE,
    ) -> ModelsT:
        """Matching models as `CatalogModel`s; pages are fetched as the iteration reaches them."""
        documents = self.search_documents(
            task=task,
            author=author,
            search=search,
            hide_experimental=hide_experimental,
            source=source,
            per_page=per_page,
        )
        return self._records(documents)

    def _walk(self, pages: _Pages) -> DocumentsT:
        raise NotImplementedError  # the I/O: `Models` / `AsyncModels`

    def _records(self, documents: DocumentsT) -> ModelsT:
        raise NotImplementedError


class Models(_Models[Iterator[dict[str, Any]], Iterator[CatalogModel]]):
    """`client.models`: search the catalog and read one model's schemas."""

    _rest: SyncRest

    def _walk(self, pages: _Pages) -> Iterator[dict[str, Any]]:
        while not pages.done:
            yield from pages.items(self._rest.request("GET", _SEARCH, params=pages.next_params()))

    def _records(self, documents: Iterator[dict[str, Any]]) -> Iterator[CatalogModel]:
        return (parse_record(CatalogModel, d, "GET /ai/models/search") for d in documents)

    def schema_document(self, model: str) -> dict[str, Any]:
        name = _model_name(model)
        return _schema_document(
            self._rest.request("GET", "/ai/models/schema", params={"model": name}).result, name
        )

    def schema(self, model: str) -> ModelSchemas:
        return parse_record(ModelSchemas, self.schema_document(model), "GET /ai/models/schema")


class AsyncModels(_Models[AsyncIterator[dict[str, Any]], AsyncIterator[CatalogModel]]):
    """Async twin of `Models`: `search` is an async iterator."""

    _rest: AsyncRest

    async def _walk(self, pages: _Pages) -> AsyncIterator[dict[str, Any]]:
        while not pages.done:
            for item in pages.items(await self._rest.request("GET", _SEARCH, params=pages.next_params())):
                yield item

    async def _records(self, documents: AsyncIterator[dict[str, Any]]) -> AsyncIterator[CatalogModel]:
        async for document in documents:
            yield parse_record(CatalogModel, document, "GET /ai/models/search")

    async def schema_document(self, model: str) -> dict[str, Any]:
        name = _model_name(model)
        reply = await self._rest.request("GET", "/ai/models/schema", params={"model": name})
        return _schema_document(reply.result, name)

    async def schema(self, model: str) -> ModelSchemas:
        return parse_record(ModelSchemas, await self.schema_document(model), "GET /ai/models/schema")


class Tasks:
    """`client.tasks.list()`: the task types of the catalog."""

    def __init__(self, rest: SyncRest) -> None:
        self._rest = rest

    def list(self) -> TaskList:
        return parse_records(
            CatalogTask, self._rest.request("GET", "/ai/tasks/search").result, "GET /ai/tasks/search"
        )


class AsyncTasks:
    def __init__(self, rest: AsyncRest) -> None:
        self._rest = rest

    async def list(self) -> TaskList:
        reply = await self._rest.request("GET", "/ai/tasks/search")
        return parse_records(CatalogTask, reply.result, "GET /ai/tasks/search")


class Authors:
    """`client.authors.list()`: the model authors of the catalog."""

    def __init__(self, rest: SyncRest) -> None:
        self._rest = rest

    def list(self) -> AuthorList:
        reply = self._rest.request("GET", "/ai/authors/search")
        return parse_records(CatalogAuthor, reply.result, "GET /ai/authors/search")


class AsyncAuthors:
    def __init__(self, rest: AsyncRest) -> None:
        self._rest = rest

    async def list(self) -> AuthorList:
        reply = await self._rest.request("GET", "/ai/authors/search")
        return parse_records(CatalogAuthor, reply.result, "GET /ai/authors/search")
