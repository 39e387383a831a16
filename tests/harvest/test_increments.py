"""REFRESH_SOURCE=oai passes harvest the daily increment through the mirror's window code: from the
mirror's coverage day, resumable, moving the coverage on."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update
from sqlmodel import Session, col

from app.jobs.mirror import HarvestState, Window, harvest_window
from app.jobs.refresh import PassResult, run_pass
from app.models import MirrorHarvestRow, MirrorStateRow
from app.resolve.mirror_coverage import read_coverage
from app.runtime import Runtime, build_runtime
from app.settings import Settings
from tests.arxiv_standin.pytest_plugin import RecordingSleep
from tests.arxiv_standin.server import StandIn

# Pages enough for these tests need the shared corpus's records in the stand-in.
pytestmark = pytest.mark.shared_corpus


def _run(runtime: Runtime, work: Callable[[], object]) -> object:
    async def go() -> object:
        try:
            return await work()  # type: ignore[misc]
        finally:
            await runtime.upstream.aclose()

    return asyncio.run(go())


def test_an_oai_pass_harvests_from_the_mirrors_coverage_day_and_moves_it_on(
        settings_for: Callable[..., Settings], standin: StandIn) -> None:
    runtime = build_runtime(settings_for(refresh_source="oai"), retry_sleep=RecordingSleep())
    full = _run(runtime, lambda: harvest_window(runtime, Window()))
    assert isinstance(full, HarvestState) and full.status == "finished"
    # The mirror was complete three days ago; the increment starts on that day.
    three_days_ago = datetime.now(UTC) - timedelta(days=3)
    with Session(runtime.engine) as session:
        session.execute(update(MirrorStateRow).values(complete_through=three_days_ago))
        session.commit()
    standin.log.clear()
    result = _run(runtime, lambda: run_pass(runtime))
    assert isinstance(result, PassResult) and result.status == "finished", result.error
    asked = next(r for r in standin.log if r.path == "/oai").params
    assert asked["from"] == three_days_ago.date().isoformat() and "until" not in asked
    with Session(runtime.engine) as session:
        coverage = read_coverage(session)
        windows = session.execute(select(MirrorHarvestRow).order_by(col(MirrorHarvestRow.id))).scalars().all()
    assert coverage is not None and coverage.complete_through.date() == datetime.now(UTC).date()
    assert [(w.from_date, w.status) for w in windows] == [(None, "finished"),
                                                         (three_days_ago.date(), "finished")]
    runtime.close()


def test_an_increment_cut_short_is_taken_up_by_the_next_pass(
        settings_for: Callable[..., Settings], standin: StandIn) -> None:
    runtime = build_runtime(settings_for(refresh_source="oai"), retry_sleep=RecordingSleep())
    first = _run(runtime, lambda: run_pass(runtime, limit=30))
    assert isinstance(first, PassResult) and first.status == "finished" and first.papers_checked == 50
    served = {p.arxiv_id for p in standin.state.corpus}
    second = _run(runtime, lambda: run_pass(runtime))
    assert isinstance(second, PassResult) and second.status == "finished"
    assert second.papers_checked == len(served) - 50
    oai = [r for r in standin.log if r.path == "/oai"]
    assert len({tuple(sorted(r.params.items())) for r in oai}) == len(oai)
    with Session(runtime.engine) as session:
        windows = session.execute(select(MirrorHarvestRow)).scalars().all()
    assert [(w.status, w.records) for w in windows] == [("finished", len(served))]
    runtime.close()
