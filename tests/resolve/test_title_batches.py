"""Titles share arXiv search requests, ARXIV_TITLES_PER_REQUEST to a request, each still decided."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from app.resolve.titles import TitleQuery
from app.runtime import build_runtime
from app.settings import Settings
from tests.arxiv_standin.server import StandIn

TITLES = {
    "Attention Is All You Need": "1706.03762",
    "Group Normalization": "1803.08494",
    "Decoupled Weight Decay Regularization": "1711.05101",
    "Neural Ordinary Differential Equations": "1806.07366",
    "Self-Normalizing Neural Networks": "1706.02515",
}


def test_titles_go_to_arxiv_titles_per_request_at_a_time(
    settings_for: Callable[..., Settings], standin: StandIn
) -> None:
    runtime = build_runtime(settings_for(arxiv_titles_per_request=2))

    async def run() -> list[str | None]:
        try:
            found = await runtime.upstream.get().titles.resolve([TitleQuery(t) for t in TITLES])
            return [r.paper.arxiv_id if r.paper else None for r in found]
        finally:
            await runtime.upstream.aclose()

    try:
        assert asyncio.run(run()) == list(TITLES.values())
    finally:
        runtime.close()
    searches = [r for r in standin.api_requests() if r.params.get("search_query")]
    assert len(searches) == 3  # ⌈5 / 2⌉
    assert [r.params["max_results"] for r in searches] == ["20", "20", "10"]
