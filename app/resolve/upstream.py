"""The objects that talk to arXiv for one event loop: the client, the id fetcher, the title resolver.

httpx clients and asyncio futures belong to the loop that made them; the server has one loop for
its lifetime, while the CLI and tests may run several in turn, so each loop gets its own set.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from weakref import WeakKeyDictionary

from sqlalchemy.engine import Engine

from app.resolve.fetcher import IdFetcher
from app.resolve.gate import gate_for
from app.resolve.titles import TitleResolver
from app.settings import Settings
from clients.arxiv import ArxivClient, ClientConfig, ClientHooks, RequestGate


def client_config(settings: Settings) -> ClientConfig:
    return ClientConfig(
        api_url=settings.arxiv_api_url,
        oai_url=settings.arxiv_oai_url,
        batch_size=settings.arxiv_batch_size,
        timeout=settings.arxiv_timeout,
        max_retries=settings.arxiv_max_retries,
        min_interval=settings.arxiv_min_interval,
        contact=settings.arxiv_contact,
    )



def title_resolver(engine: Engine, settings: Settings, client: ArxivClient | None = None) -> TitleResolver:
    """Title resolution with the configured cache lifetimes; without a client (offline) from the cache only."""
    return TitleResolver(engine, client, cache_ttl=timedelta(hours=settings.cache_ttl_hours),
                         negative_ttl=timedelta(hours=settings.negative_ttl_hours),
                         titles_per_request=settings.arxiv_titles_per_request)

@dataclass
class Upstream:
    client: ArxivClient
    fetcher: IdFetcher
    titles: TitleResolver


class UpstreamRegistry:
    def __init__(self, settings: Settings, engine: Engine, hooks: ClientHooks | None = None,
                 sleep: Callable[[float], Awaitable[None]] | None = None) -> None:
        self._settings = settings
        # Tests replace the waits between retries; the gate's interval is kept as configured.
        self._sleep = sleep
        self._engine = engine
        self._hooks = hooks
        self.gate: RequestGate = gate_for(engine, settings.arxiv_min_interval)
        self._by_loop: WeakKeyDictionary[asyncio.AbstractEventLoop, Upstream] = WeakKeyDictionary()

    def get(self) -> Upstream:
        loop = asyncio.get_running_loop()
        upstream = self._by_loop.get(loop)
        if upstream is None:
            settings = self._settings
            client = ArxivClient(client_config(settings), gate=self.gate, hooks=self._hooks,
                                 sleep=self._sleep or asyncio.sleep)
            fetcher = IdFetcher(client, self._engine, batch_size=settings.arxiv_batch_size,
                                negative_ttl=timedelta(hours=settings.negative_ttl_hours))
            titles = title_resolver(self._engine, settings, client)
            upstream = self._by_loop[loop] = Upstream(client, fetcher, titles)
        return upstream

    async def aclose(self) -> None:
        loop = asyncio.get_running_loop()
        upstream = self._by_loop.pop(loop, None)
        if upstream is not None:
            await upstream.client.aclose()
