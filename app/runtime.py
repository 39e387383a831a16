"""The composition root: the one place that builds the engine and the outside clients from settings.

The API (through its lifespan), the CLI and the jobs all get their objects from a Runtime; nothing
reads settings or opens connections at import time.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from sqlalchemy.engine import Engine

from app import migrate
from app.db import make_engine
from app.metrics import METRICS, MetricsHooks
from app.resolve.upstream import UpstreamRegistry
from app.settings import Settings, load_settings


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    upstream: UpstreamRegistry
    # Called with the arXiv ids whose metadata a refresh pass changed in this process (the
    # server's cache of rendered papers forgets them).
    paper_listeners: list[Callable[[list[str]], None]] = field(default_factory=list)

    def papers_changed(self, arxiv_ids: list[str]) -> None:
        for listener in self.paper_listeners:
            listener(arxiv_ids)

    def close(self) -> None:
        self.engine.dispose()


def build_runtime(settings: Settings | None = None, *, migrate_schema: bool = True,
                  retry_sleep: Callable[[float], Awaitable[None]] | None = None) -> Runtime:
    """Everything a command or the server needs; brings the schema up to date unless told not to."""
    settings = settings or load_settings()
    engine = make_engine(settings.database_url)
    if migrate_schema:
        migrate.ensure_up_to_date(engine)
    upstream = UpstreamRegistry(settings, engine, hooks=MetricsHooks(METRICS), sleep=retry_sleep)
    return Runtime(settings=settings, engine=engine, upstream=upstream)
