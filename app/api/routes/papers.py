"""Enriched metadata: GET /v1/papers/{id} and GET /v1/papers?ids=…"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import PlainTextResponse, Response

from app.api.deps import RuntimeDep
from app.api.hot_cache import HotPapers
from app.api.limits import charge_upstream
from app.check.render.bibtex import paper_bibtex
from app.pipeline import read_mirror
from app.resolve.ids import fresh_cached_paper, resolve_ids
from app.resolve.model import Resolution
from app.schemas import PaperAnswer, PaperMetadata, PapersOut
from clients.arxiv import ArxivId, MalformedIdError, parse_id

router = APIRouter(prefix="/v1", tags=["papers"])
MAX_IDS = 500


async def _resolve(runtime: RuntimeDep, ids: list[ArxivId]) -> dict[ArxivId, Resolution]:
    upstream = runtime.upstream.get()
    return await resolve_ids(ids, engine=runtime.engine, fetcher=upstream.fetcher,
                             cache_ttl=timedelta(hours=runtime.settings.cache_ttl_hours),
                             upstream_limit=runtime.settings.max_upstream_ids,
                             mirror=await read_mirror(runtime))


def _answer(requested: str, resolution: Resolution) -> PaperAnswer:
    status = resolution.status if resolution.status in (
        "found", "not_found", "version_not_found", "unverified") else "unverified"
    paper = PaperMetadata.of(resolution.paper) if resolution.paper and status == "found" else None
    return PaperAnswer(requested=requested, status=status, paper=paper, reason=resolution.reason)


@router.get("/papers/{arxiv_id:path}", response_model=PaperMetadata, response_model_exclude_none=False,
            summary="One paper's metadata; versioned and old-style ids accepted",
            responses={200: {"content": {"application/x-bibtex": {}}}, 404: {}, 422: {}, 503: {}})
async def get_paper(arxiv_id: str, runtime: RuntimeDep, request: Request,
                    format: Literal["json", "bibtex"] = "json") -> Response | PaperMetadata:
    try:
        wanted = parse_id(arxiv_id)
    except MalformedIdError as exc:
        raise HTTPException(422, f"malformed arXiv id {arxiv_id!r}: {exc.reason}") from None
    if format == "json":
        # The hot path: rendered recently (no thread hop), or a fresh cached paper in one indexed
        # read, answered without a second validation of the response.
        hot: HotPapers = request.app.state.hot_papers
        body = hot.get(wanted.base, wanted.version)
        if body is None:
            # A database read: in a thread, so a slow database never stalls the event loop.
            cached = await asyncio.to_thread(fresh_cached_paper, runtime.engine, wanted,
                                             timedelta(hours=runtime.settings.cache_ttl_hours))
            if cached is not None:
                body = PaperMetadata.of(cached).model_dump_json().encode()
                hot.put(cached.arxiv_id, cached.version, body)
        if body is not None:
            return Response(body, media_type="application/json")
    with charge_upstream(request):
        resolution = (await _resolve(runtime, [wanted]))[wanted]
    if resolution.status == "unverified":
        raise HTTPException(503, f"arXiv could not be reached and {wanted.base} is not cached; "
                                 "try again later", headers={"Retry-After": "30"})
    if resolution.status in ("not_found", "version_not_found") or resolution.paper is None:
        raise HTTPException(404, resolution.reason or f"arXiv has no paper {wanted}")
    if format == "bibtex":
        return PlainTextResponse(paper_bibtex(resolution.paper), media_type="application/x-bibtex")
    return PaperMetadata.of(resolution.paper)


@router.get("/papers", response_model=PapersOut, summary="Many papers at once, in the order asked")
async def get_papers(
    request: Request,
    runtime: RuntimeDep,
    ids: Annotated[str, Query(description="Comma-separated arXiv ids, URLs or arXiv DOIs",
                              max_length=20_000)],
) -> PapersOut:
    requested = [part.strip() for part in ids.split(",") if part.strip()]
    if not requested:
        raise HTTPException(422, "ids: give at least one arXiv id")
    if len(requested) > MAX_IDS:
        raise HTTPException(422, f"ids: at most {MAX_IDS} ids per request")
    parsed: dict[str, ArxivId | str] = {}
    for text in requested:
        try:
            parsed[text] = parse_id(text)
        except MalformedIdError as exc:
            parsed[text] = exc.reason
    valid = [p for p in parsed.values() if isinstance(p, ArxivId)]
    resolutions: dict[ArxivId, Resolution] = {}
    if valid:
        with charge_upstream(request):
            resolutions = await _resolve(runtime, valid)
    answers = []
    for text in requested:
        target = parsed[text]
        if isinstance(target, str):
            answers.append(PaperAnswer(requested=text, status="malformed", reason=target))
        else:
            answers.append(_answer(text, resolutions[target]))
    return PapersOut(papers=answers)
