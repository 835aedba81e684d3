"""The REST resources besides `run`, as client attributes: `client.models`, `client.tasks`,
`client.authors`, `client.finetunes`, `client.to_markdown` (the generated clients add `client.batch`).

Each access makes a small resource object over the client's current connection pool and settings; nothing
is cached on the client, so a client that is copied, pickled or re-created after a fork never holds a
stale resource. The resource modules are imported on first use, keeping `import workers_ai` cheap.
The sync and async properties are spelled out one by one (alike but for their classes) so that type
checkers and IDEs see each resource's exact class.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx

from ._redact import RedactedHeaders
from ._rest import AsyncRest, SyncRest, account_url

if TYPE_CHECKING:
    from ._catalog import AsyncAuthors, AsyncModels, AsyncTasks, Authors, Models, Tasks
    from ._finetunes import AsyncFinetunes, Finetunes
    from ._markdown import AsyncToMarkdown, ToMarkdown

__all__ = ["AsyncResources", "SyncResources"]


class _Settings:
    # Set by the client's constructor.
    account_id: str
    base_url: str
    max_retries: int
    _json_headers: RedactedHeaders


class SyncResources(_Settings):
    _http: httpx.Client

    def _rest_session(self) -> SyncRest:
        return SyncRest(
            self._http, account_url(self.base_url, self.account_id), self._json_headers, self.max_retries
        )

    @property
    def models(self) -> Models:
        """The model catalog: `search(...)` (auto-paginating), `schema(model)`."""
        from ._catalog import Models

        return Models(self._rest_session())

    @property
    def tasks(self) -> Tasks:
        from ._catalog import Tasks

        return Tasks(self._rest_session())

    @property
    def authors(self) -> Authors:
        from ._catalog import Authors

        return Authors(self._rest_session())

    @property
    def finetunes(self) -> Finetunes:
        """LoRA fine-tunes: `create`, `list`, `upload`, `public.list`."""
        from ._finetunes import Finetunes

        return Finetunes(self._rest_session())

    @property
    def to_markdown(self) -> ToMarkdown:
        """Convert documents to Markdown: `client.to_markdown([...])`, `.supported()`."""
        from ._markdown import ToMarkdown

        return ToMarkdown(self._rest_session())


class AsyncResources(_Settings):
    _http: httpx.AsyncClient

    def _rest_session(self) -> AsyncRest:
        return AsyncRest(
            self._http, account_url(self.base_url, self.account_id), self._json_headers, self.max_retries
        )

    @property
    def models(self) -> AsyncModels:
        from ._catalog import AsyncModels

        return AsyncModels(self._rest_session())

    @property
    def tasks(self) -> AsyncTasks:
        from ._catalog import AsyncTasks

        return AsyncTasks(self._rest_session())

    @property
    def authors(self) -> AsyncAuthors:
        from ._catalog import AsyncAuthors

        return AsyncAuthors(self._rest_session())

    @property
    def finetunes(self) -> AsyncFinetunes:
        from ._finetunes import AsyncFinetunes

        return AsyncFinetunes(self._rest_session())

    @property
    def to_markdown(self) -> AsyncToMarkdown:
        from ._markdown import AsyncToMarkdown

        return AsyncToMarkdown(self._rest_session())
