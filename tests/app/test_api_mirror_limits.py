"""The API's limits with a complete, current mirror: only what would reach arXiv counts.

POST /v1/documents refuses a document whose lasting upstream demand is over MAX_UPSTREAM_IDS, and
RATE_LIMIT_PER_MINUTE spends a client's tokens on requests that reach arXiv; what the mirror answers
(docs/MIRROR-RESOLUTION.md) counts against neither. A real server on loopback, on SQLite and
PostgreSQL, with the stand-in's records harvested as `arxiv-enrich mirror` does (tests/mirror.py).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import update
from sqlalchemy.engine import Engine

from app.db import session_scope
from app.jobs.refresh import recheck_documents
from app.models import MirrorStateRow, PaperRow
from app.resolve.store import utcnow
from app.runtime import build_runtime
from app.settings import Settings
from tests.arxiv_standin.corpus import StandinPaper, fixture_papers
from tests.arxiv_standin.server import StandIn
from tests.mirror import make_mirror

Start = Callable[..., str]
LIMIT = 3
# Six papers the mirror holds (one pinned to a version it has) and an old-style id it proves absent:
# seven ids, more than LIMIT, none of which goes upstream while the mirror is current.
HELD = ["2002.05709", "2006.07733", "2011.10566v1", "1706.03762", "1803.08494", "2103.00020"]
DOCUMENT = "".join(f"- arXiv:{arxiv_id}\n" for arxiv_id in [*HELD, "hep-th/9901999"])


@pytest.fixture(scope="module")
def standin_papers() -> list[StandinPaper]:
    """Our fixture records alone: a harvest of the whole stand-in stays quick."""
    return fixture_papers()


@pytest.fixture
def mirrored(engine: Engine, standin: StandIn) -> Callable[..., None]:
    """Make the stand-in's records a mirror of the given age, then forget the harvest's requests."""

    def make(age: timedelta = timedelta(0)) -> None:
        standin.state.oai_page_size = 1000
        make_mirror(engine, standin.oai_url, age=age)
        standin.log.clear()

    return make


def _recent_ids(engine: Engine, count: int) -> list[str]:
    """Ids of the month the mirror reaches: they may be newer than it, so they go upstream."""
    with session_scope(engine) as session:
        through = session.get(MirrorStateRow, "arxiv").complete_through  # type: ignore[union-attr]
    return [f"{through.year % 100:02d}{through.month:02d}.{n:05d}" for n in range(1, count + 1)]


def _store(api: httpx.Client, text: str) -> httpx.Response:
    return api.post("/v1/documents", content=text.encode(), params={"name": "reading-list.md"},
                    headers={"Content-Type": "text/markdown"})


def test_a_document_the_mirror_answers_is_stored_whatever_it_cites(
        live_server: Start, http: Callable[[str], httpx.Client], standin: StandIn,
        mirrored: Callable[..., None]) -> None:
    mirrored()
    api = http(live_server(max_upstream_ids=LIMIT))
    stored = _store(api, DOCUMENT)
    assert stored.status_code == 201, stored.text
    assert standin.api_requests() == []
    report = stored.json()["report"]
    assert report["summary"] | {"references": 7} == {"references": 7, "ok": 6, "warning": 0, "broken": 1,
                                                     "unresolved": 0, "unverified": 0}
    statuses = {r["arxiv_id"]: r["status"] for r in report["references"]}
    assert statuses == {**{i.split("v")[0]: "ok" for i in HELD}, "hep-th/9901999": "broken"}
    (absent,) = [r for r in report["references"] if r["status"] == "broken"]
    assert [f["code"] for f in absent["findings"]] == ["id_not_found"]
    kept = api.get(f"/v1/documents/{stored.json()['id']}/report").json()
    assert kept["summary"] == report["summary"]


def test_ids_that_would_still_go_upstream_count_against_the_limit(
        live_server: Start, http: Callable[[str], httpx.Client], standin: StandIn, engine: Engine,
        mirrored: Callable[..., None]) -> None:
    mirrored()
    api = http(live_server(max_upstream_ids=LIMIT))
    recent = _recent_ids(engine, LIMIT + 1)
    refused = _store(api, DOCUMENT + "".join(f"- arXiv:{i}\n" for i in recent))
    assert refused.status_code == 413, refused.text
    detail = refused.json()["detail"]
    assert f"would ask arXiv about {LIMIT + 1} ids" in detail and "MAX_UPSTREAM_IDS" in detail
    assert standin.api_requests() == []
    # Within the limit, those alone go upstream.
    assert _store(api, DOCUMENT + "".join(f"- arXiv:{i}\n" for i in recent[:LIMIT])).status_code == 201
    assert {i for r in standin.api_requests() for i in r.ids} == set(recent[:LIMIT])


@pytest.mark.parametrize("mirror", ["none", "stale"])
def test_without_a_current_mirror_the_same_document_is_refused(
        live_server: Start, http: Callable[[str], httpx.Client], standin: StandIn,
        settings_for: Callable[..., Settings], mirrored: Callable[..., None], mirror: str) -> None:
    if mirror == "stale":
        mirrored(age=timedelta(hours=settings_for().mirror_max_age_hours + 1))
    api = http(live_server(max_upstream_ids=LIMIT))
    refused = _store(api, DOCUMENT)
    assert refused.status_code == 413, refused.text
    assert "would ask arXiv about 7 ids" in refused.json()["detail"]
    assert standin.api_requests() == []
    assert api.get("/v1/documents").json()["total"] == 0


def test_a_stored_document_rechecked_from_a_stale_mirror_stays_within_the_budget(
        live_server: Start, http: Callable[[str], httpx.Client], standin: StandIn, engine: Engine,
        settings_for: Callable[..., Settings], mirrored: Callable[..., None]) -> None:
    mirrored()
    api = http(live_server(max_upstream_ids=LIMIT))
    assert _store(api, DOCUMENT).status_code == 201
    # The increments stopped and the cached rows are old: every id would go upstream again.
    with session_scope(engine) as session:
        session.execute(update(MirrorStateRow).values(complete_through=utcnow() - timedelta(days=30)))
        session.execute(update(PaperRow).values(fetched_at=utcnow() - timedelta(days=30)))
    runtime = build_runtime(settings_for(max_upstream_ids=LIMIT))

    async def recheck() -> int:
        try:
            return await recheck_documents(runtime, ["1706.03762"])
        finally:
            await runtime.upstream.aclose()

    try:
        assert asyncio.run(recheck()) == 1
    finally:
        runtime.close()
    # LIMIT papers asked about (a cited version is asked with the paper's latest), the rest not.
    assert len({i.split("v")[0] for r in standin.api_requests() for i in r.ids}) == LIMIT
    (document,) = api.get("/v1/documents").json()["documents"]
    report = api.get(f"/v1/documents/{document['id']}/report").json()
    # Past the budget a held paper is answered from the copy held, as when arXiv is unreachable; the
    # id the mirror had proved absent is no longer called broken but unverified, and says why.
    statuses = {r["arxiv_id"]: r["status"] for r in report["references"]}
    assert statuses == {**{i.split("v")[0]: "ok" for i in HELD}, "hep-th/9901999": "unverified"}
    (unverified,) = [r for r in report["references"] if r["status"] == "unverified"]
    assert [f["code"] for f in unverified["findings"]] == ["upstream_budget"]


def test_requests_the_mirror_answers_are_not_rate_limited(
        live_server: Start, http: Callable[[str], httpx.Client], standin: StandIn, engine: Engine,
        mirrored: Callable[..., None]) -> None:
    mirrored()
    api = http(live_server(rate_limit_per_minute=1))
    for _ in range(3):
        assert api.post("/v1/check", json={"text": DOCUMENT, "format": "markdown"}).status_code == 200
        assert api.get("/v1/papers", params={"ids": "1706.03762,1501.99999"}).status_code == 200
        assert api.get("/v1/papers/hep-th/9901999").status_code == 404
        assert api.get("/v1/resolve", params={"q": "Attention Is All You Need"}).status_code == 200
        assert _store(api, DOCUMENT).status_code == 201
        assert api.post("/ui/check", data={"text": DOCUMENT, "format": "markdown"}).status_code == 200
    assert standin.api_requests() == []
    # What the mirror cannot answer reaches arXiv, and is limited as before.
    first, second = _recent_ids(engine, 2)
    assert api.post("/v1/check", json={"text": f"arXiv:{first}"}).status_code == 200
    asked = len(standin.api_requests())
    assert asked > 0
    limited = api.post("/v1/check", json={"text": f"arXiv:{second}"})
    assert limited.status_code == 429, limited.text
    assert "RATE_LIMIT_PER_MINUTE" in limited.json()["detail"]
    assert int(limited.headers["retry-after"]) >= 1
    page = api.post("/ui/check", data={"text": f"arXiv:{second}", "format": "markdown"})
    assert page.status_code == 429
    assert "RATE_LIMIT_PER_MINUTE" in page.text and int(page.headers["retry-after"]) >= 1
    assert len(standin.api_requests()) == asked
