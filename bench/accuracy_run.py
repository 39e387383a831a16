"""Checking documents in-process against the stand-in, as the accuracy harness needs it.

The real pipeline (extract → resolve → check) on a temporary SQLite database, pointed at a stand-in
serving the shared corpus and our fixture records, with no interval between requests; with
`mirror`, the database first holds a complete, current mirror of the stand-in's records.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from app.check.report import Report
from app.pipeline import check_text
from app.resolve.importer import import_file
from app.resolve.store import utcnow
from app.runtime import Runtime, build_runtime
from app.settings import Settings
from tests.arxiv_standin.corpus import FIXTURES, SHARED_CORPUS, Corpus, fixture_papers, shared_papers
from tests.arxiv_standin.server import StandIn
from tests.mirror import record_full_harvest


def load_corpus(runtime: Runtime) -> None:
    """The stand-in's records (the shared corpus, our fixture records) imported into the database,
    as `arxiv-enrich import` does: the records a full harvest of the stand-in would leave."""
    for path in [SHARED_CORPUS, *sorted(FIXTURES.glob("*.jsonl"))]:
        if path.exists():
            import_file(runtime.engine, path, format="kaggle")


@contextmanager
def standin_checker(workdir: Path, *, mirror: bool = False, load: bool | None = None,
                    corpus: Corpus | None = None) -> Iterator[tuple[Runtime, Corpus, StandIn]]:
    """A runtime pointed at a stand-in with the whole shared corpus and our fixture records (or
    `corpus`). `load`: the database starts with the stand-in's records imported; `mirror` (which
    loads them too): and a finished full harvest recorded, so it is a complete, current mirror."""
    load = mirror if load is None else load
    if corpus is None:
        corpus = Corpus(shared_papers() + fixture_papers())
        corpus.search_index().warm("ti")  # title searches are all the pipeline sends
    name = "mirror.db" if mirror else "loaded.db" if load else "accuracy.db"
    with StandIn(corpus) as standin:
        settings = Settings(database_url=f"sqlite:///{workdir / name}", arxiv_api_url=standin.url,
                            arxiv_oai_url=standin.oai_url, arxiv_min_interval=0.0, arxiv_batch_size=500)
        runtime = build_runtime(settings)
        try:
            if load:
                load_corpus(runtime)
            if mirror:
                record_full_harvest(runtime.engine, utcnow())
            yield runtime, corpus, standin
        finally:
            runtime.close()


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
def checker(workdir: Path, *, mirror: bool = False) -> Iterator[tuple[Runtime, Corpus]]:
    with standin_checker(workdir, mirror=mirror) as (runtime, corpus, _standin):
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
