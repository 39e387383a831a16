"""A local mirror for tests and benchmarks: the stand-in's records harvested as `arxiv-enrich mirror`
harvests arXiv (OAI-PMH ListRecords, arXivRaw), then a finished full window recorded.

The harvest command itself is app/commands/mirror.py; this is the smallest thing that leaves the
database as a finished full harvest does, so resolution can be tested against it.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from sqlalchemy.engine import Engine

from app.db import session_scope
from app.models import MirrorHarvestRow
from app.resolve import store
from app.resolve.mirror_coverage import record_finished_window
from clients.arxiv import ArxivClient, ClientConfig


def record_full_harvest(engine: Engine, complete_through: datetime) -> None:
    """A finished full window whose first page answered at `complete_through`."""
    now = store.utcnow()
    with session_scope(engine) as session:
        harvest = MirrorHarvestRow(status="finished", response_date=complete_through, started_at=now,
                                   finished_at=now)
        session.add(harvest)
        session.flush()
        assert record_finished_window(session, harvest, now=now)


async def harvest_papers(engine: Engine, oai_url: str) -> datetime:
    """Every record the OAI endpoint serves, upserted; returns the first page's responseDate."""
    config = ClientConfig(api_url=oai_url, oai_url=oai_url, min_interval=0.0, max_retries=1, timeout=30.0)
    first: datetime | None = None
    async with ArxivClient(config) as client:
        async for page in client.harvest(metadata_prefix="arXivRaw"):
            first = first or page.response_date
            papers = list(page.records)
            with session_scope(engine) as session:
                store.upsert_papers(session, papers, source="oai")
    return first or store.utcnow()


def make_mirror(engine: Engine, oai_url: str, *, age: timedelta = timedelta(0)) -> datetime:
    """Harvest everything and record the mirror complete through the harvest's start minus `age`
    (an `age` past MIRROR_MAX_AGE_HOURS makes a stale mirror). Returns complete_through."""
    response_date = asyncio.run(harvest_papers(engine, oai_url))
    through = response_date - age
    record_full_harvest(engine, through)
    return through
