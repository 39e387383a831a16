"""Resolving cited titles: the cache, then the local full-text index, then arXiv's title search.

Several titles share one arXiv request (an OR of phrase queries): the scorer tells their answers
apart, since each title is decided among every paper the request returned. Outcomes, "no match"
included, are cached; a failure to reach arXiv is not.

With a complete, current mirror (app/resolve/mirror.py) the local index holds every paper arXiv's
search could return, so its decision is final (and not cached: the index answers in milliseconds)
unless the citation is dated after the mirror's coverage.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy.engine import Engine

from app.db import session_scope
from app.metrics import METRICS
from app.resolve import store
from app.resolve.ids import over_budget_reason
from app.resolve.mirror import Mirror
from app.resolve.model import Candidate, Resolution
from app.resolve.normalize import normalize_title, strip_accents
from app.resolve.title_index import title_candidates
from app.resolve.title_match import decide
from app.resolve.upstream_use import note_upstream
from clients.arxiv import ArxivClient, ArxivError, Paper

# Results asked per title of a request: enough for namesakes. How many titles share a request is
# ARXIV_TITLES_PER_REQUEST (measured in docs/BENCHMARKS.md: arXiv ranks the whole OR by relevance,
# so too many titles in one request push a title's paper out of the page).
RESULTS_PER_TITLE = 10
EMPTY_CONFIRMATIONS = 2
_QUERY_UNSAFE = re.compile(r'["\\()]')
_WORD = re.compile(r"[A-Za-z0-9]{3,}")


@dataclass(frozen=True)
class TitleQuery:
    title: str
    authors: tuple[str, ...] = ()
    year: int | None = None

    @property
    def key(self) -> str:
        surnames = ",".join(sorted(strip_accents(a).split()[-1].casefold() for a in self.authors if a.split()))
        key = f"title:{normalize_title(self.title)}|{surnames}|{self.year or ''}"
        # The cache's key column is 512 characters; a long query is known by its digest instead.
        return key if len(key) <= 256 else "title:sha256:" + hashlib.sha256(key.encode()).hexdigest()


def arxiv_title_query(title: str) -> str:
    """The phrase, or failing that every significant word, in the title field.

    The current arXiv server joins bare adjacent terms with OR (ARXIV-API.md §0.6), so phrases are
    quoted and words joined with an explicit AND.
    """
    phrase = " ".join(_QUERY_UNSAFE.sub(" ", title).split())
    words = list(dict.fromkeys(w.lower() for w in _WORD.findall(strip_accents(title))))[:8]
    parts = [f'ti:"{phrase}"']
    if len(words) >= 2:
        parts.append("(" + " AND ".join(f"ti:{w}" for w in words) + ")")
    return "(" + " OR ".join(parts) + ")"


def _decide(query: TitleQuery, candidates: Sequence[Paper]) -> Resolution:
    unique = list({p.arxiv_id: p for p in candidates}.values())
    return decide(query.title, unique, cited_authors=query.authors, cited_year=query.year)


def _payload(resolution: Resolution) -> dict[str, Any]:
    return {
        "status": resolution.status,
        "arxiv_id": resolution.paper.arxiv_id if resolution.paper else None,
        "confidence": resolution.confidence,
        "candidates": [{"arxiv_id": c.paper.arxiv_id, "score": c.score} for c in resolution.candidates],
        "reason": resolution.reason,
    }


def _from_payload(payload: dict[str, Any], papers: dict[str, Paper]) -> Resolution | None:
    wanted = [payload.get("arxiv_id")] + [c["arxiv_id"] for c in payload.get("candidates", [])]
    if any(w and w not in papers for w in wanted):
        return None  # a paper we answered with has gone from the cache: decide again
    paper = papers.get(payload["arxiv_id"]) if payload.get("arxiv_id") else None
    candidates = tuple(Candidate(papers[c["arxiv_id"]], float(c["score"])) for c in payload["candidates"])
    return Resolution(payload["status"], paper, float(payload["confidence"]), candidates,
                      reason=payload.get("reason"), from_cache=True)


class TitleResolver:
    def __init__(self, engine: Engine, client: ArxivClient | None, *, cache_ttl: timedelta,
                 negative_ttl: timedelta, titles_per_request: int) -> None:
        self._engine = engine
        self._titles_per_request = titles_per_request
        self._client = client
        self._cache_ttl = cache_ttl
        self._negative_ttl = negative_ttl
        self._inflight: dict[str, asyncio.Future[Resolution]] = {}

    async def resolve(self, queries: Sequence[TitleQuery], *, upstream_limit: int | None = None,
                      mirror: Mirror | None = None) -> list[Resolution]:
        """Each query's resolution; concurrent callers asking the same title share one lookup.
        At most `upstream_limit` titles go to arXiv's search; those past it are unverified.
        `mirror`: a complete, current mirror, read once by the caller."""
        unique = {q.key: q for q in queries}
        loop = asyncio.get_running_loop()
        mine = [q for key, q in unique.items() if key not in self._inflight]
        for query in mine:
            self._inflight[query.key] = loop.create_future()
        futures = {key: self._inflight[key] for key in unique}
        if mine:
            try:
                decided = await self._resolve_uncached(mine, upstream_limit, mirror)
            except BaseException as exc:
                for query in mine:
                    futures[query.key].set_exception(exc)
                raise
            finally:
                for query in mine:
                    self._inflight.pop(query.key, None)
            for query in mine:
                futures[query.key].set_result(decided[query.key])
        results = {key: await asyncio.shield(future) for key, future in futures.items()}
        return [results[q.key] for q in queries]

    async def _resolve_uncached(self, queries: list[TitleQuery], upstream_limit: int | None = None,
                                mirror: Mirror | None = None) -> dict[str, Resolution]:
        decided, local = await asyncio.to_thread(self._cached_or_local, queries)
        pending = [q for q in queries if q.key not in decided]
        if mirror is not None:
            # arXiv's search could only return papers the mirror holds, which the index already
            # weighed: its "no match" (or "several match") stands, unless the paper may be newer.
            for query in pending:
                if mirror.decides_title(query.year):
                    decided[query.key] = local[query.key]
            pending = [q for q in pending if q.key not in decided]
        if upstream_limit is not None and len(pending) > upstream_limit:
            reason = over_budget_reason(upstream_limit, "titles", "MAX_UPSTREAM_TITLES")
            for query in pending[upstream_limit:]:
                decided[query.key] = Resolution("unverified", reason=reason)
            pending = pending[:upstream_limit]
        if pending and self._client is None:
            for query in pending:
                decided[query.key] = local[query.key] if local[query.key].status == "found" else Resolution(
                    "unverified", reason="offline: title not decided by the local index")
            return decided
        if pending:
            note_upstream()
        for start in range(0, len(pending), self._titles_per_request):
            group = pending[start:start + self._titles_per_request]
            decided.update(await self._search_group(group, local))
        return decided

    def _cached_or_local(self, queries: list[TitleQuery]) -> tuple[dict[str, Resolution], dict[str, Resolution]]:
        decided: dict[str, Resolution] = {}
        local: dict[str, Resolution] = {}
        with session_scope(self._engine) as session:
            cached = store.cache_get(session, (q.key for q in queries))
            ids = {
                i for row in cached.values()
                for i in [row.payload.get("arxiv_id")] + [c["arxiv_id"] for c in row.payload.get("candidates", [])]
                if i
            }
            papers = {k: v[0] for k, v in store.get_papers(session, ids).items()}
            for query in queries:
                row = cached.get(query.key)
                hit = _from_payload(row.payload, papers) if row else None
                METRICS.cache_lookups.labels(kind="title", result="hit" if hit else "miss").inc()
                if hit is not None:
                    decided[query.key] = hit
                    continue
                resolution = _decide(query, title_candidates(session, query.title))
                local[query.key] = resolution
                # A confident local answer needs no upstream request.
                if resolution.status == "found":
                    decided[query.key] = resolution
        return decided, local

    async def _search_group(self, group: list[TitleQuery],
                            local: dict[str, Resolution]) -> dict[str, Resolution]:
        assert self._client is not None
        query = " OR ".join(arxiv_title_query(q.title) for q in group)
        try:
            page = await self._client.search(query, max_results=RESULTS_PER_TITLE * len(group))
            # arXiv's transient empty page looks exactly like "no such title"; an answer with
            # papers in it cannot be one, so only an entirely empty answer is asked again.
            for _ in range(EMPTY_CONFIRMATIONS):
                if page.papers:
                    break
                page = await self._client.search(query, max_results=RESULTS_PER_TITLE * len(group))
        except ArxivError as exc:
            return {
                q.key: local[q.key] if local[q.key].status == "found"
                else Resolution("unverified", reason=f"arXiv search unavailable: {exc}")
                for q in group
            }
        found = list(page.papers)
        results: dict[str, Resolution] = {}
        for q in group:
            prior = [c.paper for c in local[q.key].candidates]
            if local[q.key].paper is not None:
                prior.append(local[q.key].paper)  # type: ignore[arg-type]
            results[q.key] = _decide(q, prior + found)
        await asyncio.to_thread(self._store, found, group, results)
        return results

    def _store(self, found: list[Paper], group: list[TitleQuery], results: dict[str, Resolution]) -> None:
        with session_scope(self._engine) as session:
            store.upsert_papers(session, found, source="api")
            for q in group:
                resolution = results[q.key]
                ttl = self._cache_ttl if resolution.status == "found" else self._negative_ttl
                store.cache_put(session, q.key, kind="title", outcome=resolution.status,
                                payload=_payload(resolution), ttl=ttl)
