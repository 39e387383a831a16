"""The one path every entry point takes: extract → resolve → check → report.

The API, the CLI and the refresh job all call these functions, so a document gets the same report
whichever way it arrives.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Sequence
from datetime import timedelta

from app.check import build_report
from app.check.report import Report
from app.db import session_scope
from app.extract import CitedReference, DocumentFormat, ExtractedDocument, extract
from app.resolve import store
from app.resolve.ids import resolve_ids
from app.resolve.mirror import Mirror, current_mirror
from app.resolve.model import Resolution
from app.resolve.titles import TitleQuery
from app.resolve.upstream import title_resolver
from app.resolve.versions import add_earlier_titles
from app.runtime import Runtime
from app.schemas import ResolveCandidate, ResolveOut
from clients.arxiv import ARXIV_DOI_PREFIX, ArxivId, MalformedIdError, Paper, parse_id


def _cited_id(reference: CitedReference) -> ArxivId | str | None:
    """The arXiv id a reference names, a reason when it names one badly, or None."""
    cited = reference.cited
    raw = cited.arxiv_id
    if raw is None and cited.doi and cited.doi.lower().startswith(ARXIV_DOI_PREFIX.lower()):
        raw = cited.doi[len(ARXIV_DOI_PREFIX):]
    if raw is None:
        return None
    try:
        arxiv_id = parse_id(raw)
    except MalformedIdError as exc:
        return exc.reason
    return arxiv_id.with_version(cited.version) if cited.version is not None else arxiv_id


def _title_query(reference: CitedReference) -> TitleQuery | None:
    cited = reference.cited
    if not cited.title:
        return None
    return TitleQuery(cited.title, tuple(cited.authors), cited.year)


async def read_mirror(runtime: Runtime) -> Mirror | None:
    """The mirror when it is complete and current, read once for a whole check or request."""
    return await asyncio.to_thread(current_mirror, runtime.engine, runtime.settings.mirror_max_age_hours)


def _held_versions(runtime: Runtime, ids: set[ArxivId]) -> dict[str, int]:
    with session_scope(runtime.engine) as session:
        return store.held_versions(session, (i.base for i in ids))


async def upstream_demand(runtime: Runtime, references: Sequence[CitedReference]) -> tuple[int, int]:
    """The distinct ids and titles a document would send to arXiv each time it is checked: every one
    it cites, but for what a complete, current mirror answers (app/resolve/mirror.py). The lookup
    cache is not consulted: its answers expire, the mirror's are kept current. A title dated after
    the mirror's coverage counts even though the local index may find it (an upper bound)."""
    ids = {named for r in references if isinstance(named := _cited_id(r), ArxivId)}
    titles = {q.key: q for r in references
              if _cited_id(r) is None and not r.cited.doi and (q := _title_query(r)) is not None}
    mirror = await read_mirror(runtime) if ids or titles else None
    if mirror is None:
        return len(ids), len(titles)
    held = await asyncio.to_thread(_held_versions, runtime, ids) if ids else {}
    upstream_ids = [i for i in ids if not mirror.answers_id(i, held.get(i.base))]
    upstream_titles = [q for q in titles.values() if not mirror.decides_title(q.year)]
    return len(upstream_ids), len(upstream_titles)


async def resolve_references(runtime: Runtime, references: Sequence[CitedReference], *,
                             offline: bool = False, budgeted: bool = False) -> list[Resolution]:
    """A Resolution for each reference, in order; ids and titles each looked up in bulk.

    `budgeted` (requests from strangers): at most MAX_UPSTREAM_IDS ids and MAX_UPSTREAM_TITLES
    titles go to arXiv; the references past them are unverified and say why."""
    settings = runtime.settings
    id_limit = settings.max_upstream_ids if budgeted else None
    title_limit = settings.max_upstream_titles if budgeted else None
    results: list[Resolution | None] = [None] * len(references)
    by_id: dict[int, ArxivId] = {}
    by_title: dict[int, TitleQuery] = {}
    by_doi: dict[int, str] = {}
    for index, reference in enumerate(references):
        if reference.malformed_reason:
            results[index] = Resolution("malformed", reason=reference.malformed_reason)
            continue
        named = _cited_id(reference)
        if isinstance(named, str):
            results[index] = Resolution("malformed", reason=named)
        elif named is not None:
            by_id[index] = named
        elif reference.cited.doi:
            by_doi[index] = reference.cited.doi
        elif (query := _title_query(reference)) is not None:
            by_title[index] = query
        else:
            results[index] = Resolution("unresolved", reason="the reference names no id, DOI or title")

    if by_doi:
        known = await asyncio.to_thread(_papers_by_doi, runtime, set(by_doi.values()))
        for index, doi in by_doi.items():
            paper = known.get(doi.lower())
            if paper is not None:
                results[index] = Resolution("found", paper, 1.0, from_cache=True)
            elif (query := _title_query(references[index])) is not None:
                by_title[index] = query
            else:
                results[index] = Resolution(
                    "unresolved", reason=f"DOI {doi} is not linked to any arXiv paper we know")

    upstream = None if offline else runtime.upstream.get()
    mirror = await read_mirror(runtime) if by_id or by_title else None
    if by_id:
        answers = await resolve_ids(
            by_id.values(), engine=runtime.engine, fetcher=upstream.fetcher if upstream else None,
            cache_ttl=timedelta(hours=settings.cache_ttl_hours), upstream_limit=id_limit, mirror=mirror)
        for index, arxiv_id in by_id.items():
            results[index] = answers[arxiv_id]
    if by_title:
        resolver = upstream.titles if upstream else title_resolver(runtime.engine, settings)
        decided = await resolver.resolve(list(by_title.values()), upstream_limit=title_limit, mirror=mirror)
        for index, resolution in zip(by_title, decided, strict=True):
            results[index] = resolution
    resolved = [r if r is not None else Resolution("unresolved") for r in results]
    # Only references whose cited title is not the latest one's ask for more (one batch for all);
    # a mirror does not help here: arXivRaw carries only the latest title.
    return await add_earlier_titles([r.cited.title for r in references], resolved, engine=runtime.engine,
                                    fetcher=upstream.fetcher if upstream else None, upstream_limit=id_limit)


def _papers_by_doi(runtime: Runtime, dois: set[str]) -> dict[str, Paper]:
    with session_scope(runtime.engine) as session:
        found: dict[str, Paper] = {}
        for doi in dois:
            paper = store.get_paper_by_doi(session, doi)
            if paper is not None:
                found[doi.lower()] = paper
        return found


async def check_document(runtime: Runtime, document: ExtractedDocument, *,
                         offline: bool = False, budgeted: bool = False) -> Report:
    resolutions = await resolve_references(runtime, document.references, offline=offline, budgeted=budgeted)
    return build_report(document, resolutions)


async def check_text(runtime: Runtime, text: str | bytes, *, name: str | None = None,
                     format: DocumentFormat | str = "auto", offline: bool = False,
                     budgeted: bool = False) -> Report:
    """Extract, resolve and check one document; raises ExtractionError for unreadable input."""
    document = await asyncio.to_thread(extract, text, name=name, format=format)  # type: ignore[arg-type]
    return await check_document(runtime, document, offline=offline, budgeted=budgeted)


class MalformedReference(ValueError):
    """A reference that looks like an arXiv id, URL or DOI but cannot be one."""


_ID_LIKE = re.compile(r"arxiv|^\s*(?:https?://|doi:|10\.\d{4,}/)|^\s*[a-z-]+(?:\.[A-Z]{2})?/\d|^\s*\d{4}\.\d",
                      re.IGNORECASE)


def _candidate_out(paper: Paper, confidence: float) -> ResolveCandidate:
    return ResolveCandidate(arxiv_id=paper.arxiv_id, title=paper.title,
                        authors=[a.name for a in paper.authors], published=paper.published.date(),
                        confidence=round(confidence, 4))


def _classify(query: str) -> ArxivId | TitleQuery:
    """What a reference string names; raises MalformedReference for a bad id."""
    try:
        return parse_id(query)
    except MalformedIdError as exc:
        if _ID_LIKE.search(query):
            raise MalformedReference(f"malformed arXiv reference {query!r}: {exc.reason}") from None
    return TitleQuery(query)


def _id_answer(query: str, resolution: Resolution) -> ResolveOut:
    candidates = [_candidate_out(resolution.paper, 1.0)] if resolution.paper else []
    return ResolveOut(query=query, kind="arxiv_id", status=resolution.status,
                      confidence=resolution.confidence if resolution.paper else 0.0,
                      candidates=candidates, reason=resolution.reason)


def _title_answer(query: str, resolution: Resolution) -> ResolveOut:
    candidates = [_candidate_out(c.paper, c.score) for c in resolution.candidates]
    if resolution.paper is not None and all(c.arxiv_id != resolution.paper.arxiv_id for c in candidates):
        candidates.insert(0, _candidate_out(resolution.paper, resolution.confidence))
    candidates.sort(key=lambda c: -c.confidence)
    return ResolveOut(query=query, kind="title", status=resolution.status,
                      confidence=resolution.confidence, candidates=candidates[:10],
                      reason=resolution.reason)


async def resolve_many(runtime: Runtime, queries: Sequence[str], *,
                       offline: bool = False) -> list[ResolveOut | MalformedReference]:
    """Each reference string's answer, in order (or the MalformedReference it is); the ids are
    looked up together (one upstream request per ARXIV_BATCH_SIZE), and so are the titles."""
    settings = runtime.settings
    named: list[ArxivId | TitleQuery | MalformedReference] = []
    for query in (q.strip() for q in queries):
        try:
            named.append(_classify(query))
        except MalformedReference as exc:
            named.append(exc)
    upstream = None if offline else runtime.upstream.get()
    ids = [n for n in named if isinstance(n, ArxivId)]
    titles = [n for n in named if isinstance(n, TitleQuery)]
    mirror = await read_mirror(runtime) if ids or titles else None
    by_id = await resolve_ids(
        ids, engine=runtime.engine, fetcher=upstream.fetcher if upstream else None,
        cache_ttl=timedelta(hours=settings.cache_ttl_hours), mirror=mirror) if ids else {}
    resolver = upstream.titles if upstream else title_resolver(runtime.engine, settings)
    by_title = dict(zip((t.key for t in titles), await resolver.resolve(titles, mirror=mirror),
                        strict=True)) if titles else {}
    answers: list[ResolveOut | MalformedReference] = []
    for query, target in zip((q.strip() for q in queries), named, strict=True):
        if isinstance(target, MalformedReference):
            answers.append(target)
        elif isinstance(target, ArxivId):
            answers.append(_id_answer(query, by_id[target]))
        else:
            answers.append(_title_answer(query, by_title[target.key]))
    return answers


async def resolve_reference(runtime: Runtime, query: str, *, offline: bool = False) -> ResolveOut:
    """One reference string → what it is on arXiv; raises MalformedReference for a bad id."""
    (answer,) = await resolve_many(runtime, [query], offline=offline)
    if isinstance(answer, MalformedReference):
        raise answer
    return answer
