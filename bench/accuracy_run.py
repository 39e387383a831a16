"""Checking documents in-process against the stand-in, as the accuracy harness needs it.

The real pipeline (extract → resolve → check) on a temporary SQLite database, pointed at a stand-in
serving the shared corpus and our fixture records, with no interval between requests.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from app.check.report import Report
from app.pipeline import check_text
from app.runtime import Runtime, build_runtime
from app.settings import Settings
from tests.arxiv_standin.corpus import Corpus, fixture_papers, shared_papers
from tests.arxiv_standin.server import StandIn


@contextmanager
def standin() -> Iterator[tuple[StandIn, Corpus]]:
    """A started stand-in serving the whole shared corpus and our fixture records."""
    corpus = Corpus(shared_papers() + fixture_papers())
    corpus.search_index().warm("ti")  # title searches are all the pipeline sends
    with StandIn(corpus) as server:
        yield server, corpus


@contextmanager
def runtime_for(server: StandIn, workdir: Path, **settings: Any) -> Iterator[Runtime]:
    """A runtime on a fresh SQLite database in `workdir`, asking `server` with no interval."""
    base: dict[str, Any] = {"database_url": f"sqlite:///{workdir / 'accuracy.db'}", "arxiv_api_url": server.url,
                            "arxiv_min_interval": 0.0, "arxiv_batch_size": 500}
    runtime = build_runtime(Settings(**(base | settings)))
    try:
        yield runtime
    finally:
        runtime.close()


@contextmanager
def checker(workdir: Path) -> Iterator[tuple[Runtime, Corpus]]:
    """A runtime pointed at a stand-in with the whole shared corpus and our fixture records."""
    with standin() as (server, corpus), runtime_for(server, workdir) as runtime:
        yield runtime, corpus


def check_all(runtime: Runtime, documents: Iterable[tuple[str, bytes]]) -> list[Report]:
    """Each document's report, in order, checked one after another (the stand-in is one process).
    The name (its extension) tells the format, as it does for the CLI."""

    async def run() -> list[Report]:
        reports: list[Report] = []
        try:
            for name, data in documents:
                reports.append(await check_text(runtime, data, name=name))
        finally:
            await runtime.upstream.aclose()
        return reports

    return asyncio.run(run())
