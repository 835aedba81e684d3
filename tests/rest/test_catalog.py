"""`client.models` / `client.tasks` / `client.authors` over a real socket, sync and async."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from rest_support import PREFIX, Client, collect, resolve, run

from tests.support.fault_server import FaultServer, Reply
from workers_ai.errors import InputValidationError, MalformedResponseError, NotFoundError


def model(name: str, task: str = "Text Generation", **extra: Any) -> dict[str, Any]:
    return {
        "id": f"id-{name}",
        "source": 1,
        "name": name,
        "description": f"{name} does things",
        "task": {"id": "t1", "name": task, "description": "..."},
        "tags": [],
        "properties": [{"property_id": "async_queue", "value": "true"}],
        **extra,
    }


def page(items: list[dict[str, Any]], number: int, total: int) -> Reply:
    info = {"page": number, "per_page": 2, "count": len(items), "total_count": total}
    return Reply.json({"success": True, "errors": [], "messages": [], "result": items, "result_info": info})


def query(path: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(path).query).items()}


def test_search_walks_three_pages_lazily(mode: str, server: FaultServer) -> None:
    names = [f"@cf/test/m{i}" for i in range(5)]
    server.enqueue(
        page([model(names[0]), model(names[1], beta=True)], 1, 5),
        page([model(names[2]), model(names[3])], 2, 5),
        page([model(names[4])], 3, 5),
    )

    async def scenario(client: Client) -> None:
        found = client.models.search(task="Text Generation", hide_experimental=True, search="m", per_page=2)
        assert server.count == 0  # nothing is fetched before the iteration starts
        models = await collect(found)
        assert [m.name for m in models] == names
        assert models[0].task is not None and models[0].task.name == "Text Generation"
        assert models[0].property("async_queue") == "true" and models[0].property("lora") is None
        assert models[1].model_extra == {"beta": True}  # fields the API adds later are kept

    run(mode, server, scenario)
    assert server.count == 3
    for number, request in enumerate(server.requests, start=1):
        assert request.method == "GET"
        assert urlparse(request.path).path == f"{PREFIX}/ai/models/search"
        assert query(request.path) == {
            "task": "Text Generation",
            "search": "m",
            "hide_experimental": "true",
            "page": str(number),
            "per_page": "2",
        }
        assert request.headers["authorization"] == "Bearer secret-token-xyz"


def test_search_stops_on_a_short_page_without_result_info(mode: str, server: FaultServer) -> None:
    server.enqueue(Reply.envelope([model("@cf/a/b"), model("@cf/a/c")]), Reply.envelope([model("@cf/a/d")]))

    async def scenario(client: Client) -> None:
        assert [m.name for m in await collect(client.models.search(author="a", source=1, per_page=2))] == [
            "@cf/a/b",
            "@cf/a/c",
            "@cf/a/d",
        ]

    run(mode, server, scenario)
    assert query(server.requests[0].path) == {"author": "a", "source": "1", "page": "1", "per_page": "2"}


@pytest.mark.parametrize(
    ("filters", "pointer"),
    [
        ({"task": ""}, "/task"),
        ({"author": 3}, "/author"),
        ({"hide_experimental": "yes"}, "/hide_experimental"),
        ({"source": True}, "/source"),
        ({"per_page": 0}, "/per_page"),
    ],
)
def test_bad_search_filters_send_nothing(
    mode: str, server: FaultServer, filters: dict[str, Any], pointer: str
) -> None:
    async def scenario(client: Client) -> None:
        with pytest.raises(InputValidationError) as caught:
            await collect(client.models.search(**filters))
        assert [issue.pointer for issue in caught.value.errors] == [pointer]

    run(mode, server, scenario)
    assert server.count == 0


def test_schema_tasks_and_authors(mode: str, server: FaultServer) -> None:
    schema = {"input": {"type": "object"}, "output": {"type": "object", "properties": {}}}
    server.enqueue(
        Reply.envelope(schema),
        Reply.envelope([{"id": "t1", "name": "Text Generation", "description": "words"}]),
        Reply.envelope([{"id": "a1", "name": "meta", "description": "Meta"}]),
    )

    async def scenario(client: Client) -> None:
        schemas = await resolve(client.models.schema("@cf/meta/llama-3.1-8b-instruct"))
        assert schemas.input == {"type": "object"} and schemas.output["type"] == "object"
        tasks = await resolve(client.tasks.list())
        assert [(t.id, t.name) for t in tasks] == [("t1", "Text Generation")]
        authors = await resolve(client.authors.list())
        assert [(a.name, a.description) for a in authors] == [("meta", "Meta")]

    run(mode, server, scenario)
    paths = [r.path for r in server.requests]
    assert paths == [
        f"{PREFIX}/ai/models/schema?model=%40cf%2Fmeta%2Fllama-3.1-8b-instruct",
        f"{PREFIX}/ai/tasks/search",
        f"{PREFIX}/ai/authors/search",
    ]


def test_catalog_errors_are_typed(mode: str, server: FaultServer) -> None:
    server.enqueue(Reply.failure(404, 7003, "Could not route"), Reply.envelope({"not": "a list"}))

    async def scenario(client: Client) -> None:
        with pytest.raises(NotFoundError, match="Could not route"):
            await resolve(client.tasks.list())
        with pytest.raises(MalformedResponseError, match="not a list"):
            await collect(client.models.search())
        with pytest.raises(InputValidationError):
            await resolve(client.models.schema(""))

    run(mode, server, scenario)
    assert server.count == 2


def test_use_after_close_is_a_typed_error(mode: str, server: FaultServer) -> None:
    import pickle

    from workers_ai import AsyncWorkersAI
    from workers_ai.errors import ClientClosedError

    async def scenario(client: Client) -> None:
        resource = client.tasks
        with pytest.raises(TypeError, match="not picklable"):
            pickle.dumps(resource)
        if isinstance(client, AsyncWorkersAI):
            await client.aclose()
        else:
            client.close()
        with pytest.raises(ClientClosedError):
            await resolve(resource.list())

    run(mode, server, scenario)
    assert server.count == 0
