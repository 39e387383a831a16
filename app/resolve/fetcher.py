"""Coalesced upstream id lookups: every miss in a process shares one queue and one fetch per id.

Requests that miss the cache enqueue their ids and wait; one worker drains the queue in batches of
ARXIV_BATCH_SIZE, so concurrent requests citing the same papers cause one upstream fetch per id,
and ids that arrive while a request is under way join the next batch. Each batch's answers are
written in one transaction before anyone is told, so a reader that wakes up finds them cached.
A failure to reach arXiv is handed to the waiters as UpstreamUnavailable and never stored.

A request that read the cache just before a batch's answers were committed would otherwise find
nothing pending and fetch the same ids again, so each batch's answers (failures excepted) are
also kept in memory for RECENT_SECONDS and handed out without asking arXiv.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterable
from datetime import timedelta

from sqlalchemy.engine import Engine

from app.db import session_scope
from app.resolve import store
from app.resolve.upstream_use import note_upstream
from clients.arxiv import (
    ArxivClient,
    ArxivError,
    ArxivId,
    Found,
    Lookup,
    NotFound,
    PartialLookup,
    UpstreamUnavailable,
    VersionNotFound,
)

log = logging.getLogger(__name__)

Outcome = Lookup | UpstreamUnavailable

# Longer than a cache read plus the hand-over between the threads that do it; far shorter than
# any TTL, so a refresh never sees an answer older than its own pass.
RECENT_SECONDS = 30.0


def negative_key(arxiv_id: ArxivId) -> str:
    return f"id:{arxiv_id.versioned}"


class IdFetcher:
    def __init__(self, client: ArxivClient, engine: Engine, *, batch_size: int,
                 negative_ttl: timedelta, on_fetched: Callable[[int], None] | None = None) -> None:
        self._client = client
        self._engine = engine
        self._batch_size = batch_size
        self._negative_ttl = negative_ttl
        self._pending: dict[ArxivId, asyncio.Future[Outcome]] = {}
        self._queue: list[ArxivId] = []
        self._worker: asyncio.Task[None] | None = None
        self._on_fetched = on_fetched
        self._recent: dict[ArxivId, tuple[float, Lookup]] = {}

    async def fetch(self, ids: Iterable[ArxivId]) -> dict[ArxivId, Outcome]:
        waiting: dict[ArxivId, asyncio.Future[Outcome]] = {}
        known: dict[ArxivId, Outcome] = {}
        loop = asyncio.get_running_loop()
        now = time.monotonic()
        for arxiv_id in dict.fromkeys(ids):
            recent = self._recent.get(arxiv_id)
            if recent is not None and now - recent[0] < RECENT_SECONDS:
                known[arxiv_id] = recent[1]
                continue
            future = self._pending.get(arxiv_id)
            if future is None:
                # Only a new id costs arXiv a request; one already pending is another caller's.
                note_upstream()
                future = self._pending[arxiv_id] = loop.create_future()
                self._queue.append(arxiv_id)
            waiting[arxiv_id] = future
        if self._queue and (self._worker is None or self._worker.done()):
            self._worker = asyncio.create_task(self._drain())
        # shield: one caller giving up (a client disconnecting) must not cancel the others' fetch.
        results = await asyncio.gather(*(asyncio.shield(f) for f in waiting.values()))
        known.update(zip(waiting, results, strict=True))
        return known

    def _remember(self, answers: dict[ArxivId, Lookup]) -> None:
        now = time.monotonic()
        self._recent = {k: v for k, v in self._recent.items() if now - v[0] < RECENT_SECONDS}
        for arxiv_id, answer in answers.items():
            self._recent[arxiv_id] = (now, answer)

    async def _drain(self) -> None:
        # Let the requests that arrived in the same instant join the first batch.
        await asyncio.sleep(0)
        while self._queue:
            batch, self._queue = self._queue[: self._batch_size], self._queue[self._batch_size:]
            outcomes: dict[ArxivId, Outcome]
            try:
                answers = await self._client.lookup(batch)
                outcomes = dict(answers)
                await asyncio.to_thread(self._persist, answers)
                self._remember(answers)
            except PartialLookup as exc:
                # arXiv failed in a confirmation round: the ids it had answered keep their answers.
                known = {k: v for k, v in exc.answers.items() if isinstance(k, ArxivId) and isinstance(v, Found)}
                outcomes = {**dict.fromkeys(batch, exc), **known}
                await asyncio.to_thread(self._persist, dict(known))
                self._remember(dict(known))
            except UpstreamUnavailable as exc:
                outcomes = dict.fromkeys(batch, exc)
            except ArxivError as exc:  # an error feed we did not expect for normalised ids
                log.warning("arXiv refused a lookup batch: %s", exc)
                outcomes = dict.fromkeys(batch, UpstreamUnavailable(str(exc), attempts=1))
            except Exception as exc:
                log.exception("lookup batch failed")
                outcomes = dict.fromkeys(batch, UpstreamUnavailable(f"internal error: {exc}", attempts=1))
            for arxiv_id in batch:
                future = self._pending.pop(arxiv_id, None)
                if future is not None and not future.done():
                    future.set_result(outcomes.get(arxiv_id, UpstreamUnavailable("no answer", 1)))

    def _persist(self, answers: dict[ArxivId, Lookup]) -> None:
        papers = {}
        # An asked vN other than the latest comes with its own title: kept, so that a citation of an
        # earlier version's title needs no second request (app/resolve/versions.py).
        earlier = []
        missing: list[tuple[ArxivId, str]] = []
        for arxiv_id, answer in answers.items():
            if isinstance(answer, Found):
                papers[answer.latest.arxiv_id] = answer.latest
                if answer.paper.version != answer.latest.version:
                    earlier.append(answer.paper)
            elif isinstance(answer, VersionNotFound):
                papers[answer.latest.arxiv_id] = answer.latest
                missing.append((arxiv_id, "version_not_found"))
            elif isinstance(answer, NotFound):
                missing.append((arxiv_id, "not_found"))
        with session_scope(self._engine) as session:
            store.upsert_papers(session, papers.values(), source="api")
            store.cache_forget(session, [f"id:{p}" for p in papers])
            store.cache_version_titles(session, earlier)
            for arxiv_id, outcome in missing:
                store.cache_put(session, negative_key(arxiv_id), kind="id", outcome=outcome,
                                payload={}, ttl=self._negative_ttl)
        if self._on_fetched:
            self._on_fetched(len(papers))
