"""Refresh passes: re-fetch, record what changed, re-check the citing documents; safely on several workers."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlmodel import Session, col

from app.jobs.refresh import PassResult, run_pass
from app.models import PaperChangeRow, PaperRow, RefreshPassRow
from app.runtime import Runtime, build_runtime
from app.settings import Settings
from tests.arxiv_standin.faults import Fault
from tests.arxiv_standin.server import StandIn

EXE = str(Path(sys.executable).with_name("arxiv-enrich"))


def _pass(runtime: Runtime, **kwargs: object) -> PassResult:
    async def run() -> PassResult:
        try:
            return await run_pass(runtime, **kwargs)  # type: ignore[arg-type]
        finally:
            await runtime.upstream.aclose()

    return asyncio.run(run())


def _withdraw(standin: StandIn, arxiv_id: str) -> None:
    paper = standin.state.corpus.get(arxiv_id)
    assert paper is not None
    standin.state.corpus.add(dataclasses.replace(
        paper, version_dates=[*paper.version_dates, datetime(2024, 1, 5, tzinfo=UTC)],
        sizes_kb=[*(paper.sizes_kb or [100] * paper.latest_version), 0],
        comment="This paper has been withdrawn by the authors."))


def test_a_pass_records_changes_and_rechecks_citing_documents(
    settings_for: Callable[..., Settings], standin: StandIn
) -> None:
    from app.api import create_app

    with TestClient(create_app(lambda: build_runtime(settings_for()))) as api:
        doc = api.post("/v1/documents", json={"text": "We build on arXiv:2002.05709 and arXiv:1706.03762."})
        assert doc.json()["summary"]["ok"] == 2
        _withdraw(standin, "2002.05709")
        runtime = build_runtime(settings_for())
        result = _pass(runtime, stale_only=False)
        assert result.status == "finished"
        assert result.papers_checked == 2
        assert result.papers_changed == 1
        assert result.documents_rechecked == 1
        with Session(runtime.engine) as session:
            changes = {c.field: c for c in session.execute(select(PaperChangeRow)).scalars()}
        assert set(changes) == {"new_version", "withdrawn"}
        assert (changes["new_version"].old_value, changes["new_version"].new_value) == (3, 4)
        report = api.get(f"/v1/documents/{doc.json()['id']}/report").json()
        assert report["summary"]["broken"] == 1
        broken = api.get("/v1/reports/broken").json()["references"]
        assert [(b["arxiv_id"], b["code"]) for b in broken] == [("2002.05709", "withdrawn")]
        runtime.close()


def _seed_papers(runtime: Runtime, ids: list[str]) -> None:
    async def warm() -> None:
        from clients.arxiv import parse_id

        await runtime.upstream.get().fetcher.fetch(parse_id(i) for i in ids)
        await runtime.upstream.aclose()

    asyncio.run(warm())
    with Session(runtime.engine) as session:
        session.execute(update(PaperRow).values(fetched_at=datetime.now(UTC) - timedelta(days=30)))
        session.commit()


@pytest.mark.shared_corpus
def test_a_pass_over_stale_papers_asks_one_request_per_batch(
    settings_for: Callable[..., Settings], standin: StandIn, standin_papers: list  # type: ignore[type-arg]
) -> None:
    runtime = build_runtime(settings_for(arxiv_batch_size=40))
    _seed_papers(runtime, [p.arxiv_id for p in standin_papers[:100]])
    before = len(standin.api_requests())
    result = _pass(runtime, stale_only=True)
    assert result.papers_checked == 100
    assert len(standin.api_requests()) - before == 3  # ⌈100 / 40⌉
    assert _pass(runtime, stale_only=True).papers_checked == 0  # all fresh now
    runtime.close()


def _worker_env(db_url: str, standin: StandIn) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ARXIV_", "DATABASE_URL"))}
    env.update({"DATABASE_URL": db_url, "ARXIV_API_URL": standin.url, "ARXIV_MIN_INTERVAL": "0",
                "ARXIV_BATCH_SIZE": "10", "ARXIV_MAX_RETRIES": "1", "ARXIV_TIMEOUT": "10"})
    return env


@pytest.mark.shared_corpus
def test_several_workers_split_a_pass_without_overlap(
    db_url: str, settings_for: Callable[..., Settings], standin: StandIn,
    standin_papers: list,  # type: ignore[type-arg]
) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("several refresh workers need PostgreSQL (SKIP LOCKED); SQLite has one writer")
    runtime = build_runtime(settings_for())
    ids = [p.arxiv_id for p in standin_papers[:60]]
    _seed_papers(runtime, ids)
    standin.log.clear()
    # Slow answers, so the workers really run at the same time.
    standin.faults.set_rates([(Fault("slow", delay=0.3), 1.0)])
    env = _worker_env(db_url, standin)
    workers = [subprocess.Popen([EXE, "refresh", "--stale-only"], env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True) for _ in range(3)]
    outputs = [w.communicate(timeout=120) for w in workers]
    assert all(w.returncode == 0 for w in workers), outputs
    asked = Counter(i for r in standin.api_requests() for i in r.ids)
    assert sorted(asked) == sorted(ids)
    assert set(asked.values()) == {1}
    with Session(runtime.engine) as session:
        passes = session.execute(select(RefreshPassRow)).scalars().all()
    assert sum(p.papers_checked for p in passes) == 60
    assert sum(1 for p in passes if p.papers_checked) >= 2
    runtime.close()


@pytest.mark.shared_corpus
def test_a_worker_killed_mid_pass_leaves_nothing_half_written(
    db_url: str, settings_for: Callable[..., Settings], standin: StandIn,
    standin_papers: list,  # type: ignore[type-arg]
) -> None:
    runtime = build_runtime(settings_for())
    ids = [p.arxiv_id for p in standin_papers[:40]]
    _seed_papers(runtime, ids)
    standin.faults.set_rates([(Fault("slow", delay=0.5), 1.0)])
    worker = subprocess.Popen([EXE, "refresh", "--stale-only"], env=_worker_env(db_url, standin),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while len(standin.api_requests()) < 2 + 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=30)
    standin.faults.clear()
    cutoff = datetime.now(UTC) - timedelta(days=1)
    with Session(runtime.engine) as session:
        fresh = session.execute(select(PaperRow).where(col(PaperRow.fetched_at) > cutoff)).scalars().all()
    assert len(fresh) % 10 == 0  # whole batches or nothing
    with Session(runtime.engine) as session:
        killed = session.execute(select(RefreshPassRow)).scalars().one()
    assert killed.status == "running"  # nobody could say otherwise: the worker died
    result = _pass(runtime, stale_only=True)
    assert result.status == "finished"
    assert result.papers_checked == 40 - len(fresh)
    with Session(runtime.engine) as session:
        statuses = sorted(session.execute(select(col(RefreshPassRow.status))).scalars())
    # The next pass saw the dead worker and closed its pass, then took over its stale papers.
    assert statuses == ["abandoned", "finished"]
    with Session(runtime.engine) as session:
        stale = session.execute(select(PaperRow).where(col(PaperRow.fetched_at) < cutoff)).scalars().all()
    assert stale == []
    runtime.close()


def test_an_oai_pass_harvests_changes_since_the_last_one(
    settings_for: Callable[..., Settings], standin: StandIn
) -> None:
    from app.api import create_app

    with TestClient(create_app(lambda: build_runtime(settings_for()))) as api:
        doc = api.post("/v1/documents", json={"text": "As shown in arXiv:2002.05709."})
        assert doc.json()["summary"]["ok"] == 1
        _withdraw(standin, "2002.05709")
        standin.state.oai_page_size = 500
        runtime = build_runtime(settings_for(refresh_source="oai"))
        result = _pass(runtime)
        assert result.status == "finished"
        assert result.papers_changed == 1
        assert result.documents_rechecked == 1
        assert api.get(f"/v1/documents/{doc.json()['id']}/report").json()["summary"]["broken"] == 1
        first_requests = [r for r in standin.log if r.path == "/oai"]
        assert "from" not in first_requests[0].params
        _pass(runtime)
        later = [r for r in standin.log if r.path == "/oai"][len(first_requests)]
        assert later.params["from"] == datetime.now(UTC).date().isoformat()
        runtime.close()


def test_post_refresh_starts_a_pass_in_the_server(settings_for: Callable[..., Settings]) -> None:
    from app.api import create_app

    runtime = build_runtime(settings_for())
    with TestClient(create_app(lambda: build_runtime(settings_for()))) as api:
        api.post("/v1/check", json={"text": "arXiv:1706.03762"})
        assert api.post("/v1/refresh", params={"stale_only": "false"}).status_code == 202
        deadline = time.monotonic() + 30
        while True:
            with Session(runtime.engine) as session:
                done = session.execute(select(RefreshPassRow).where(
                    col(RefreshPassRow.status) == "finished")).scalars().all()
            if done or time.monotonic() > deadline:
                break
            time.sleep(0.1)
    assert done
    assert done[0].papers_checked == 1
    runtime.close()


def test_refresh_schedule_makes_serve_run_passes_itself(settings_for: Callable[..., Settings]) -> None:
    from app.api import create_app

    app = create_app(lambda: build_runtime(settings_for(refresh_schedule="*/5 * * * *")))
    with TestClient(app):
        jobs = app.state.refresh._scheduler.get_jobs()
        assert [j.id for j in jobs] == ["refresh"]
        assert "*/5" in str(jobs[0].trigger)


def test_a_pass_whose_heartbeat_stopped_is_abandoned_and_a_live_one_is_not(
        settings_for: Callable[..., Settings]) -> None:
    from app.jobs.refresh import STALE_PASS, close_abandoned_passes

    runtime = build_runtime(settings_for())
    now = datetime.now(UTC)
    with Session(runtime.engine) as session:
        # Another machine's workers: only the heartbeat can tell.
        session.add(RefreshPassRow(started_at=now - timedelta(hours=5), heartbeat_at=now - STALE_PASS * 2,
                                   worker="elsewhere:1234"))
        session.add(RefreshPassRow(started_at=now - timedelta(hours=5), heartbeat_at=now - timedelta(minutes=1),
                                   worker="elsewhere:5678"))
        session.commit()
    assert close_abandoned_passes(runtime) == 1
    with Session(runtime.engine) as session:
        rows = {r.worker: r for r in session.execute(select(RefreshPassRow)).scalars()}
    assert rows["elsewhere:1234"].status == "abandoned" and rows["elsewhere:1234"].finished_at is not None
    assert rows["elsewhere:5678"].status == "running"
    runtime.close()


def test_a_second_refresh_while_one_runs_is_a_409_problem(settings_for: Callable[..., Settings],
                                                          standin: StandIn) -> None:
    from app.api import create_app

    with TestClient(create_app(lambda: build_runtime(settings_for()))) as api:
        api.post("/v1/check", json={"text": "arXiv:1706.03762"})
        standin.faults.set_rates([(Fault("slow", delay=1.0), 1.0)])
        assert api.post("/v1/refresh", params={"stale_only": "false"}).status_code == 202
        again = api.post("/v1/refresh", params={"stale_only": "false"})
        assert again.status_code == 409
        assert again.headers["content-type"] == "application/problem+json"
        assert again.json()["status"] == 409 and "already running" in again.json()["detail"]
        standin.faults.clear()


def test_a_refresh_in_the_server_makes_get_paper_serve_the_new_metadata_at_once(
        settings_for: Callable[..., Settings], standin: StandIn) -> None:
    from app.api import create_app

    runtime = build_runtime(settings_for())
    with TestClient(create_app(lambda: build_runtime(settings_for()))) as api:
        before = api.get("/v1/papers/1706.03762").json()
        assert api.get("/v1/papers/1706.03762").json() == before  # now in the 60 s cache
        _withdraw(standin, "1706.03762")
        assert api.post("/v1/refresh", params={"stale_only": "false"}).status_code == 202
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with Session(runtime.engine) as session:
                if session.execute(select(RefreshPassRow).where(
                        col(RefreshPassRow.status) == "finished")).scalars().first():
                    break
            time.sleep(0.1)
        after = api.get("/v1/papers/1706.03762").json()
    assert after["latest_version"] == before["latest_version"] + 1
    assert after["withdrawn"] is True
    runtime.close()
