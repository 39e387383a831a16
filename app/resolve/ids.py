"""Resolving cited arXiv ids: the cache first, then one coalesced upstream fetch for the misses.

With a complete, current mirror (app/resolve/mirror.py) the cache is the mirror: a held paper is
answered whatever its age, and an id it proves absent is not_found, neither asking arXiv.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from app.db import session_scope
from app.metrics import METRICS
from app.models import PaperRow
from app.resolve import store
from app.resolve.fetcher import IdFetcher, negative_key
from app.resolve.mirror import Mirror
from app.resolve.model import Resolution
from clients.arxiv import ArxivId, Found, NotFound, Paper, UpstreamUnavailable, VersionNotFound


@dataclass(frozen=True)
class CacheView:
    """What the database knows about a set of ids, read in one go."""

    papers: dict[str, tuple[Paper, datetime]]
    negatives: dict[str, str]


def read_cache(engine: Engine, ids: Iterable[ArxivId]) -> CacheView:
    ids = list(ids)
    with session_scope(engine) as session:
        papers = store.get_papers(session, (i.base for i in ids))
        rows = store.cache_get(session, (negative_key(i) for i in ids))
    return CacheView(papers, {key: row.outcome for key, row in rows.items()})


def fresh_cached_paper(engine: Engine, arxiv_id: ArxivId, cache_ttl: timedelta) -> Paper | None:
    """The cached paper when it is fresh and holds the cited version; None sends the caller upstream."""
    with Session(engine) as session:
        row = session.execute(select(PaperRow).where(col(PaperRow.arxiv_id) == arxiv_id.base)).scalars().first()
    if row is None or store.as_utc(row.fetched_at) < store.utcnow() - cache_ttl:
        return None
    if arxiv_id.version is not None and not 1 <= arxiv_id.version <= row.latest_version:
        return None
    return store.row_to_paper(row)


def _from_paper(arxiv_id: ArxivId, paper: Paper, *, from_cache: bool) -> Resolution:
    if arxiv_id.version is not None and arxiv_id.version > paper.version:
        return Resolution("version_not_found", paper, 1.0, cited_version=arxiv_id.version,
                          reason=f"v{arxiv_id.version} does not exist; the latest is v{paper.version}",
                          from_cache=from_cache)
    return Resolution("found", paper, 1.0, cited_version=arxiv_id.version, from_cache=from_cache)


def _not_found(arxiv_id: ArxivId, *, from_cache: bool) -> Resolution:
    return Resolution("not_found", None, 1.0, cited_version=arxiv_id.version, from_cache=from_cache,
                      reason=f"arXiv has no paper {arxiv_id.base}")


def _cached_answer(arxiv_id: ArxivId, view: CacheView, *, fresh_after: datetime,
                   mirror: Mirror | None = None) -> Resolution | None:
    known = view.papers.get(arxiv_id.base)
    # The mirror's increments keep every row it holds current, whenever the row was written.
    if mirror is not None and mirror.answers_id(arxiv_id, known[0].version if known else None):
        return _from_paper(arxiv_id, known[0], from_cache=True) if known else _not_found(arxiv_id, from_cache=True)
    if known is not None:
        paper, fetched_at = known
        # A cited version newer than what we hold may have appeared since: ask arXiv again.
        if fetched_at >= fresh_after and (arxiv_id.version or 0) <= paper.version:
            return _from_paper(arxiv_id, paper, from_cache=True)
    outcome = view.negatives.get(negative_key(arxiv_id))
    if outcome == "not_found":
        return _not_found(arxiv_id, from_cache=True)
    if outcome == "version_not_found" and known is not None:
        return _from_paper(arxiv_id, known[0], from_cache=True)
    return None


def _unreachable(arxiv_id: ArxivId, view: CacheView, reason: str) -> Resolution:
    """arXiv did not answer: a stale copy still tells the truth better than nothing."""
    known = view.papers.get(arxiv_id.base)
    if known is not None:
        return _from_paper(arxiv_id, known[0], from_cache=True)
    return Resolution("unverified", None, 0.0, cited_version=arxiv_id.version, reason=reason)


def over_budget_reason(limit: int, what: str, setting: str) -> str:
    return (f"not looked up: this request would ask arXiv about more than {limit} {what} "
            f"({setting}); check fewer at a time")


async def resolve_ids(ids: Iterable[ArxivId], *, engine: Engine, fetcher: IdFetcher | None,
                      cache_ttl: timedelta, now: datetime | None = None,
                      upstream_limit: int | None = None, mirror: Mirror | None = None) -> dict[ArxivId, Resolution]:
    """Each id's resolution. `fetcher=None` means offline: what the cache lacks is unverified.
    At most `upstream_limit` distinct ids go to arXiv; the misses past it are unverified.
    `mirror`: a complete, current mirror (app/resolve/mirror.py), read once by the caller."""
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return {}
    view = await asyncio.to_thread(read_cache, engine, wanted)
    fresh_after = (now or store.utcnow()) - cache_ttl
    answers: dict[ArxivId, Resolution] = {}
    misses: list[ArxivId] = []
    for arxiv_id in wanted:
        cached = _cached_answer(arxiv_id, view, fresh_after=fresh_after, mirror=mirror)
        if cached is not None:
            answers[arxiv_id] = cached
        else:
            misses.append(arxiv_id)
    METRICS.cache_lookups.labels(kind="id", result="hit").inc(len(answers))
    METRICS.cache_lookups.labels(kind="id", result="miss").inc(len(misses))
    if not misses:
        return answers
    if fetcher is None:
        for arxiv_id in misses:
            answers[arxiv_id] = _unreachable(arxiv_id, view, "offline: not in the cache")
        return answers
    if upstream_limit is not None and len(misses) > upstream_limit:
        reason = over_budget_reason(upstream_limit, "ids", "MAX_UPSTREAM_IDS")
        for arxiv_id in misses[upstream_limit:]:
            answers[arxiv_id] = _unreachable(arxiv_id, view, reason)
        misses = misses[:upstream_limit]
    for arxiv_id, outcome in (await fetcher.fetch(misses)).items():
        if isinstance(outcome, Found):
            answers[arxiv_id] = _from_paper(arxiv_id, outcome.latest, from_cache=False)
        elif isinstance(outcome, VersionNotFound):
            answers[arxiv_id] = Resolution(
                "version_not_found", outcome.latest, 1.0, cited_version=arxiv_id.version,
                reason=f"v{arxiv_id.version} does not exist; the latest is v{outcome.latest.version}")
        elif isinstance(outcome, NotFound):
            answers[arxiv_id] = _not_found(arxiv_id, from_cache=False)
        elif isinstance(outcome, UpstreamUnavailable):
            answers[arxiv_id] = _unreachable(arxiv_id, view, str(outcome))
    return answers
