"""Id resolution: cache first, one batched fetch for the misses, answers remembered, faults never stored."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from app.resolve.ids import resolve_ids
from app.runtime import Runtime
from clients.arxiv import parse_id
from tests.arxiv_standin.server import StandIn

TTL = timedelta(hours=168)


def _resolve(runtime: Runtime, ids: list[str], *, offline: bool = False):  # type: ignore[no-untyped-def]
    async def run():  # type: ignore[no-untyped-def]
        try:
            fetcher = None if offline else runtime.upstream.get().fetcher
            return await resolve_ids([parse_id(i) for i in ids], engine=runtime.engine, fetcher=fetcher,
                                     cache_ttl=TTL)
        finally:
            await runtime.upstream.aclose()

    return {str(k): v for k, v in asyncio.run(run()).items()}


@pytest.mark.shared_corpus
def test_cold_ids_cost_one_request_per_batch_and_warm_ones_none(
    runtime: Runtime, standin: StandIn, standin_papers: list  # type: ignore[type-arg]
) -> None:
    ids = [p.arxiv_id for p in standin_papers[:250]]
    cold = _resolve(runtime, ids)
    assert all(r.status == "found" for r in cold.values())
    assert len(standin.api_requests()) == 3  # batch size 100
    warm = _resolve(runtime, ids)
    assert all(r.from_cache for r in warm.values())
    assert len(standin.api_requests()) == 3


def test_an_unknown_id_is_remembered_as_not_found(runtime: Runtime, standin: StandIn) -> None:
    assert _resolve(runtime, ["2002.99999"])["2002.99999"].status == "not_found"
    asked = len(standin.api_requests())
    assert asked == 3  # the answer and two confirmations
    assert _resolve(runtime, ["2002.99999"])["2002.99999"].status == "not_found"
    assert len(standin.api_requests()) == asked


def test_arxiv_failing_is_never_stored_as_not_found(runtime: Runtime, standin: StandIn) -> None:
    standin.faults.push(*["http_503"] * 3)
    assert _resolve(runtime, ["2002.05709"])["2002.05709"].status == "unverified"
    assert _resolve(runtime, ["2002.05709"])["2002.05709"].status == "found"


def test_versions_are_checked_against_what_arxiv_holds(runtime: Runtime) -> None:
    answers = _resolve(runtime, ["2002.05709v2", "2002.05709v7"])
    assert answers["2002.05709v2"].status == "found"
    assert answers["2002.05709v7"].status == "version_not_found"
    assert answers["2002.05709v7"].paper is not None
    assert answers["2002.05709v7"].paper.version == 3


def test_offline_answers_only_from_the_cache(runtime: Runtime, standin: StandIn) -> None:
    _resolve(runtime, ["1706.03762"])
    answers = _resolve(runtime, ["1706.03762", "2103.00020"], offline=True)
    assert answers["1706.03762"].status == "found"
    assert answers["2103.00020"].status == "unverified"
    assert len(standin.api_requests()) == 1


def test_a_request_that_read_the_cache_before_a_batch_committed_does_not_fetch_again(
    runtime: Runtime, standin: StandIn
) -> None:
    # The race behind 50 concurrent checks: a request misses the cache while another request's
    # batch is being written, then asks the fetcher after that batch has been handed out.
    async def run() -> list[str]:
        try:
            fetcher = runtime.upstream.get().fetcher
            ids = [parse_id("2002.05709"), parse_id("1706.03762")]
            first = await fetcher.fetch(ids)
            late = await fetcher.fetch(ids)  # what a request holding a stale cache miss does
            return [type(first[i]).__name__ + "/" + type(late[i]).__name__ for i in ids]
        finally:
            await runtime.upstream.aclose()

    assert asyncio.run(run()) == ["Found/Found", "Found/Found"]
    assert len(standin.api_requests()) == 1
