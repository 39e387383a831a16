"""The mirror's harvest as its users rely on it: every record exactly once, resumable after a kill
at any point, polite under faults, and one worker per window."""

from __future__ import annotations

import asyncio
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update
from sqlmodel import Session, col

from app.commands.common import run_with
from app.jobs.mirror import (
    HarvestState,
    LeaseLost,
    Window,
    WindowBusy,
    claim_window,
    fraction_done,
    harvest_window,
    seconds_left,
    write_page,
)
from app.models import MirrorHarvestRow, PaperRow
from app.resolve.mirror_coverage import read_coverage
from app.resolve.title_index import title_candidates
from app.runtime import build_runtime
from app.settings import Settings
from clients.arxiv import ArxivClient, OaiError
from tests.arxiv_standin.faults import Fault
from tests.arxiv_standin.pytest_plugin import RecordingSleep
from tests.arxiv_standin.server import RequestRecord, StandIn

EXE = str(Path(sys.executable).with_name("arxiv-enrich"))
# Enough pages for these tests take the shared corpus's records (skipped where ../shared is absent).
MANY_PAGES = pytest.mark.shared_corpus


def _harvest(settings: Settings, window: Window = Window(), sleep: RecordingSleep | None = None,
             **kwargs: object) -> HarvestState:
    runtime = build_runtime(settings, retry_sleep=sleep or RecordingSleep())
    return run_with(runtime, lambda: harvest_window(runtime, window, **kwargs))  # type: ignore[arg-type]


def _oai(standin: StandIn) -> list[RequestRecord]:
    return [r for r in standin.log if r.path == "/oai"]


def _page_key(record: RequestRecord) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(record.params.items()))


def _held(db_url: str) -> tuple[int, list[MirrorHarvestRow]]:
    runtime = build_runtime(Settings(database_url=db_url))
    with Session(runtime.engine) as session:
        papers = int(session.execute(select(func.count()).select_from(PaperRow)).scalar_one())
        windows = list(session.execute(select(MirrorHarvestRow).order_by(col(MirrorHarvestRow.id))).scalars())
    runtime.close()
    return papers, windows


def _served(standin: StandIn) -> set[str]:
    return {p.arxiv_id for p in standin.state.corpus}


@MANY_PAGES
def test_a_harvest_gets_every_record_once_and_makes_the_mirror_complete(
        settings_for: Callable[..., Settings], standin: StandIn, db_url: str) -> None:
    served = sorted(_served(standin))
    for gone in served[:2]:  # arXiv's persistent deletions come as headers only
        standin.state.corpus.delete(gone, date(2020, 1, 1))
    state = _harvest(settings_for())
    assert state.status == "finished"
    assert state.records == len(served) - 2 and state.deleted == 2
    requests = _oai(standin)
    assert len({_page_key(r) for r in requests}) == len(requests) == state.pages
    assert "resumptionToken" not in requests[0].params and requests[0].params["metadataPrefix"] == "arXivRaw"
    runtime = build_runtime(settings_for())
    with Session(runtime.engine) as session:
        held = {r.arxiv_id for r in session.execute(select(PaperRow)).scalars()}
        assert held == _served(standin)
        coverage = read_coverage(session)
        assert coverage is not None and coverage.records == len(held)
        assert coverage.complete_through.date() == datetime.now(UTC).date()
        # The title index follows the papers table.
        paper = next(iter(standin.state.corpus))
        assert paper.arxiv_id in {p.arxiv_id for p in title_candidates(session, paper.title)}
    runtime.close()


@MANY_PAGES
def test_bad_resumption_token_goes_on_from_the_last_datestamp(
        settings_for: Callable[..., Settings], standin: StandIn, db_url: str) -> None:
    first = _harvest(settings_for(), max_records=50)
    assert first.status == "interrupted" and first.pages == 2 and first.resumption_token
    standin.faults.push("bad_resumption_token")
    before = len(_oai(standin))
    second = _harvest(settings_for())
    assert second.status == "finished"
    refused, restarted = _oai(standin)[before:before + 2]
    assert "resumptionToken" in refused.params
    assert restarted.params == {"verb": "ListRecords", "metadataPrefix": "arXivRaw",
                                "from": first.last_datestamp.isoformat()}  # type: ignore[union-attr]
    papers, windows = _held(db_url)
    assert papers == len(_served(standin))
    assert [w.status for w in windows] == ["finished"]
    assert windows[0].error is None


@MANY_PAGES
def test_503_with_retry_after_is_waited_out(
        settings_for: Callable[..., Settings], standin: StandIn, db_url: str) -> None:
    standin.faults.push(Fault("http_503", retry_after="7"), Fault("http_503", retry_after="0"), "truncated")
    sleep = RecordingSleep()
    state = _harvest(settings_for(arxiv_max_retries=3), sleep=sleep)
    assert state.status == "finished"
    assert sleep.waits[:2] == [7.0, 0.0]
    assert _held(db_url)[0] == len(_served(standin))


@MANY_PAGES
def test_list_records_pages_on_from_a_stored_token_and_names_a_refused_one(
        standin: StandIn, arxiv_config: object) -> None:
    async def go() -> None:
        async with ArxivClient(arxiv_config, sleep=RecordingSleep()) as client:  # type: ignore[arg-type]
            first = await client.list_records(from_=date(2005, 1, 1))
            assert len(first.records) == 25 and first.resumption_token and first.last_datestamp
            later = await client.list_records(resumption_token=first.resumption_token)
            assert not {p.arxiv_id for p in first.records} & {p.arxiv_id for p in later.records}
            standin.faults.push("bad_resumption_token")
            with pytest.raises(OaiError) as refused:
                await client.list_records(resumption_token=later.resumption_token)
            assert refused.value.code == "badResumptionToken"
            empty = await client.list_records(from_=date(2999, 1, 1))
            assert empty.records == () and empty.resumption_token is None and empty.response_date

    asyncio.run(go())


def test_a_window_is_held_by_one_live_worker_and_taken_over_when_it_stops(
        settings_for: Callable[..., Settings], standin: StandIn, db_url: str) -> None:
    runtime = build_runtime(settings_for())
    engine = runtime.engine
    window = Window(set_spec="cs")
    held = claim_window(engine, window, "elsewhere:1")
    with pytest.raises(WindowBusy) as busy:
        claim_window(engine, window, "elsewhere:2")
    assert busy.value.worker == "elsewhere:1"
    with Session(engine) as session:
        session.execute(update(MirrorHarvestRow).values(
            heartbeat_at=datetime.now(UTC) - timedelta(hours=1)))
        session.commit()
    taken = claim_window(engine, window, "elsewhere:2")
    assert taken.harvest_id == held.harvest_id and taken.taken_over_from == "elsewhere:1"
    page = asyncio.run(_first_page(standin))
    # The stalled worker wakes up: its page is not written.
    with pytest.raises(LeaseLost):
        write_page(engine, held, "elsewhere:1", page)
    write_page(engine, taken, "elsewhere:2", page)
    assert _held(db_url)[1][0].pages == 1
    runtime.close()


async def _first_page(standin: StandIn):  # type: ignore[no-untyped-def]
    from clients.arxiv import ClientConfig

    async with ArxivClient(ClientConfig(oai_url=standin.oai_url, min_interval=0)) as client:
        return await client.list_records()


def test_the_estimate_of_time_left_goes_by_the_datestamp_reached() -> None:
    state = HarvestState(1, Window(from_date=date(2020, 1, 1), until_date=date(2020, 1, 11)), "running",
                         "t", date(2020, 1, 6), 4, 400, 0, resumed_at=date(2020, 1, 1), records_before=0,
                         seconds=50.0)
    assert fraction_done(state, state.last_datestamp, state.records, date(2026, 1, 1)) == 0.5
    assert seconds_left(state, date(2026, 1, 1)) == 50.0
    state.complete_list_size = 1600
    assert seconds_left(state, date(2026, 1, 1)) == 150.0


def _env(db_url: str, standin: StandIn, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ARXIV_", "DATABASE_URL"))}
    env.update({"DATABASE_URL": db_url, "ARXIV_API_URL": standin.url, "ARXIV_OAI_URL": standin.oai_url,
                "ARXIV_MIN_INTERVAL": "0", "ARXIV_MAX_RETRIES": "1", "ARXIV_TIMEOUT": "10", **extra})
    return env


@MANY_PAGES
def test_sigkill_at_random_points_then_the_same_command_finishes_with_every_record_once(
        db_url: str, standin: StandIn) -> None:
    rng = random.Random(os.environ.get("MIRROR_KILL_SEED", time.time_ns()))
    env = _env(db_url, standin)
    # Each page takes a moment, so a kill lands mid-harvest: in a fetch, a write, or between.
    standin.faults.set_rates([(Fault("slow", delay=0.02), 1.0)])
    kills = 0
    for _ in range(3):
        asked = len(_oai(standin)) + rng.randint(1, 4)
        worker = subprocess.Popen([EXE, "mirror", "--json"], env=env, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE, text=True)
        while len(_oai(standin)) < asked and worker.poll() is None:
            time.sleep(rng.uniform(0.001, 0.02))
        if worker.poll() is None:
            os.kill(worker.pid, signal.SIGKILL)
            kills += 1
        worker.communicate(timeout=60)
    done = subprocess.run([EXE, "mirror", "--json"], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    papers, windows = _held(db_url)
    assert papers == len(_served(standin))
    assert [w.status for w in windows] == ["finished"]
    assert windows[0].records == papers  # no page written twice
    requests = _oai(standin)
    again = Counter(_page_key(r) for r in requests)
    # At most the page in flight at each kill is fetched again; never a finished one.
    assert sum(n - 1 for n in again.values()) <= kills


@MANY_PAGES
def test_when_arxiv_gives_up_the_window_is_kept_and_the_same_command_continues(
        db_url: str, standin: StandIn) -> None:
    env = _env(db_url, standin)
    standin.faults.set_rates([(Fault("slow", delay=0.05), 1.0)])
    failing = subprocess.Popen([EXE, "mirror", "--from", "2005-01-01", "--json"], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert failing.stdout is not None
    for _ in range(3):
        failing.stdout.readline()
    # arXiv fails from here on, past every retry.
    standin.faults.set_rates([(Fault("http_503", retry_after="0"), 1.0)])
    _, err = failing.communicate(timeout=60)
    assert failing.returncode == 1
    assert len(err.strip().splitlines()) == 1 and "run the same command again" in err
    standin.faults.clear()
    _, windows = _held(db_url)
    assert windows[-1].status == "interrupted" and windows[-1].pages >= 3
    again = subprocess.run([EXE, "mirror", "--from", "2005-01-01"], env=env, capture_output=True, text=True,
                           timeout=120)
    assert again.returncode == 0, again.stderr
    papers, windows = _held(db_url)
    assert windows[-1].status == "finished" and windows[-1].records == papers == len(_served(standin))
    fetched = Counter(_page_key(r) for r in _oai(standin) if r.status == 200)
    assert max(fetched.values()) == 1


@MANY_PAGES
def test_two_workers_on_postgresql_never_fetch_the_same_page(db_url: str, standin: StandIn) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("several machines' workers share a database on PostgreSQL; SQLite is one machine's")
    # Pages slow enough that both workers are up while the first one harvests.
    standin.faults.set_rates([(Fault("slow", delay=0.2), 1.0)])
    env = _env(db_url, standin)
    workers = [subprocess.Popen([EXE, "mirror"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True) for _ in range(2)]
    outputs = [w.communicate(timeout=120) for w in workers]
    codes = sorted(w.returncode for w in workers)
    assert codes == [0, 3], outputs
    busy = next(err for (_, err), w in zip(outputs, workers, strict=True) if w.returncode == 3)
    assert "is held by worker" in busy and len(busy.strip().splitlines()) == 1
    requests = _oai(standin)
    assert len({_page_key(r) for r in requests}) == len(requests)
    papers, windows = _held(db_url)
    assert papers == len(_served(standin)) and [w.status for w in windows] == ["finished"]


@pytest.mark.parametrize("args", [
    ["--from", "2020-13-01"], ["--from", "yesterday"], ["--until", "2020-1-1"],
    ["--from", "2021-01-02", "--until", "2021-01-01"], ["--set", ""], ["--set", "cs AI"],
])
def test_bad_input_exits_2_with_one_line(args: list[str], tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ARXIV_", "DATABASE_URL"))}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'bad.db'}"
    done = subprocess.run([EXE, "mirror", *args], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
    assert not (tmp_path / "bad.db").exists()
