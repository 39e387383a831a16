"""The mirror's harvest: one OAI-PMH window (ListRecords, arXivRaw), page by page, resumable.

A window (set, from, until) is a row of mirror_harvests. Its worker holds a lease on it (worker name
and a heartbeat renewed every HEARTBEAT while it runs); a second worker finds the lease held and
stops with WindowBusy, and takes the window over only when the holder's process is gone (same
machine) or its heartbeat is older than LEASE_STALE. The check and the claim are one transaction:
on PostgreSQL under a transaction-scoped advisory lock (no two workers create the same window)
and a row lock (SELECT … FOR UPDATE); on SQLite the transaction starts with a write, so it holds
the database's one write lock from its first statement.

Every page is fetched through the runtime's client, so through the shared politeness gate, and
written in ONE transaction with the window's progress: its papers (papers table; the title index
follows through its triggers), then the token of the next page, the counts, the latest datestamp
and the heartbeat. That write first re-checks the lease (an UPDATE … WHERE worker = me), so a
worker that stalled past LEASE_STALE and was taken over writes nothing. A kill at any point
therefore loses at most the page in flight, and no finished page is fetched again.

badResumptionToken (arXiv's tokens expire at midnight UTC): the window goes on from `from` =
its latest datestamp written, with the same until and set. arXiv's oaipmh serves records in
datestamp order, so nothing before that day is missing; that day's records are fetched again and
rewritten in place. Deleted records (arXiv keeps deletions, "persistent") are counted and the
papers we hold are left as they are: arXiv's deletions are rare administrative removals, and a
paper a stored document cites should not silently become "does not exist".
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select, text, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from app.db import is_sqlite, session_scope
from app.jobs.changes import Change, paper_changes
from app.jobs.workers import process_gone, worker_name
from app.models import MirrorHarvestRow, PaperChangeRow, PaperRow
from app.resolve import store
from app.resolve.mirror_coverage import record_finished_window
from app.runtime import Runtime
from clients.arxiv import OaiError, OaiPage, UpstreamUnavailable

log = logging.getLogger(__name__)

# A running window renews its heartbeat this often, even while a page is still in flight (a
# request may wait out several Retry-After answers); one silent for LEASE_STALE was killed.
HEARTBEAT = timedelta(seconds=30)
LEASE_STALE = timedelta(minutes=5)
# badResumptionToken this many times in a row, with no page written between, is not expiry.
MAX_TOKEN_RESTARTS = 3
UNFINISHED = ("running", "interrupted", "abandoned")
# Any constant: the advisory lock that makes "is there a window? no: create one" atomic.
_CLAIM_LOCK = 0x6D6972726F72


@dataclass(frozen=True, slots=True)
class Window:
    """What to harvest: OAI `set` ("" for all), `from` and `until` (None: open)."""

    set_spec: str = ""
    from_date: date | None = None
    until_date: date | None = None

    def describe(self) -> str:
        parts = [f"from {self.from_date}" if self.from_date else "from the start",
                 f"until {self.until_date}" if self.until_date else "until now"]
        return " ".join(parts) + (f", set {self.set_spec}" if self.set_spec else "")


class WindowBusy(Exception):
    """Another live worker holds the window's lease."""

    def __init__(self, harvest_id: int, worker: str, heartbeat_at: datetime) -> None:
        super().__init__(f"harvest {harvest_id} of this window is held by worker {worker} "
                         f"(last heartbeat {heartbeat_at.isoformat(timespec='seconds')})")
        self.harvest_id = harvest_id
        self.worker = worker
        self.heartbeat_at = heartbeat_at


class LeaseLost(Exception):
    """Another worker took the window over (this one was silent past LEASE_STALE)."""


@dataclass
class HarvestState:
    """The window's progress as this worker sees it; `*_this_run` count this run only."""

    harvest_id: int
    window: Window
    status: str
    resumption_token: str | None
    last_datestamp: date | None
    pages: int
    records: int
    deleted: int
    # Where this run began: the fraction done then is what the time-left estimate runs from.
    resumed_at: date | None = None
    records_before: int = 0
    pages_this_run: int = 0
    records_this_run: int = 0
    seconds: float = 0.0
    complete_list_size: int | None = None
    taken_over_from: str | None = None
    error: str | None = None
    coverage_moved: bool = False
    changed_ids: set[str] = field(default_factory=set)

    @property
    def rate(self) -> float:
        """Records a second in this run."""
        return self.records_this_run / self.seconds if self.seconds > 0 else 0.0


def _window_query(window: Window):  # type: ignore[no-untyped-def]
    query = select(MirrorHarvestRow).where(col(MirrorHarvestRow.set_spec) == window.set_spec,
                                           col(MirrorHarvestRow.status).in_(UNFINISHED))
    for column, value in ((MirrorHarvestRow.from_date, window.from_date),
                          (MirrorHarvestRow.until_date, window.until_date)):
        query = query.where(col(column).is_(None) if value is None else col(column) == value)
    return query.order_by(col(MirrorHarvestRow.id).desc())


def pending_increment(session: Session) -> MirrorHarvestRow | None:
    """The newest unfinished window over every set up to now (a full harvest or an increment), which
    the next increment should go on with rather than start another."""
    query = (select(MirrorHarvestRow)
             .where(col(MirrorHarvestRow.set_spec) == "", col(MirrorHarvestRow.until_date).is_(None),
                    col(MirrorHarvestRow.status).in_(UNFINISHED))
             .order_by(col(MirrorHarvestRow.id).desc()).limit(1))
    return session.execute(query).scalars().first()


def _lease_alive(row: MirrorHarvestRow, now: datetime) -> bool:
    beat = store.as_utc(row.heartbeat_at or row.started_at)
    return row.status == "running" and beat >= now - LEASE_STALE and not process_gone(row.worker)


def claim_window(engine: Engine, window: Window, worker: str, now: datetime | None = None) -> HarvestState:
    """Take the window's unfinished harvest (or start one) for `worker`; WindowBusy when a live
    worker holds it."""
    now = now or store.utcnow()
    with session_scope(engine) as session:
        if is_sqlite(engine):
            # A write first: this transaction holds SQLite's write lock from here to its commit.
            session.execute(update(MirrorHarvestRow).where(col(MirrorHarvestRow.id) == -1)
                            .values(status="running"))
        else:
            session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _CLAIM_LOCK})
        row = session.execute(_window_query(window).limit(1).with_for_update()).scalars().first()
        taken_from = None
        if row is None:
            row = MirrorHarvestRow(set_spec=window.set_spec, from_date=window.from_date,
                                   until_date=window.until_date, status="running", worker=worker,
                                   started_at=now, heartbeat_at=now)
            session.add(row)
            session.flush()
        else:
            if row.worker != worker and _lease_alive(row, now):
                assert row.id is not None
                raise WindowBusy(row.id, row.worker, store.as_utc(row.heartbeat_at or row.started_at))
            if row.status == "running" and row.worker != worker:
                taken_from = row.worker
                row.error = f"taken over from {row.worker} at {now.isoformat(timespec='seconds')}"
            row.status = "running"
            row.worker = worker
            row.heartbeat_at = now
            session.add(row)
        assert row.id is not None
        return HarvestState(row.id, window, row.status, row.resumption_token, row.last_datestamp,
                            row.pages, row.records, row.deleted, resumed_at=row.last_datestamp,
                            records_before=row.records, taken_over_from=taken_from)


def _beat(engine: Engine, state: HarvestState, worker: str) -> None:
    with session_scope(engine) as session:
        session.execute(update(MirrorHarvestRow)
                        .where(col(MirrorHarvestRow.id) == state.harvest_id,
                               col(MirrorHarvestRow.worker) == worker,
                               col(MirrorHarvestRow.status) == "running")
                        .values(heartbeat_at=store.utcnow()))


def _hold(session: Session, state: HarvestState, worker: str) -> MirrorHarvestRow:
    """Renew the lease as this transaction's first write, or raise LeaseLost."""
    held = session.execute(update(MirrorHarvestRow)
                           .where(col(MirrorHarvestRow.id) == state.harvest_id,
                                  col(MirrorHarvestRow.worker) == worker,
                                  col(MirrorHarvestRow.status) == "running")
                           .values(heartbeat_at=store.utcnow()))
    if held.rowcount != 1:  # type: ignore[attr-defined]
        raise LeaseLost(f"harvest {state.harvest_id} was taken over by another worker")
    row = session.get(MirrorHarvestRow, state.harvest_id, populate_existing=True)
    assert row is not None
    return row


def _changes(session: Session, page: OaiPage) -> list[Change]:
    ids = [p.arxiv_id for p in page.records]
    held = {r.arxiv_id: r for r in session.execute(
        select(PaperRow).where(col(PaperRow.arxiv_id).in_(ids))).scalars()} if ids else {}
    return [c for p in page.records if p.arxiv_id in held for c in paper_changes(held[p.arxiv_id], p)]


def write_page(engine: Engine, state: HarvestState, worker: str, page: OaiPage,
               pass_id: int | None = None) -> list[Change]:
    """One page and the window's progress, in one transaction; the changes seen in papers we
    already held (recorded in paper_changes when `pass_id` is given)."""
    now = store.utcnow()
    with session_scope(engine) as session:
        row = _hold(session, state, worker)
        changes = _changes(session, page)
        store.upsert_papers(session, page.records, source="oai", fetched_at=now)
        if pass_id is not None:
            for change in changes:
                session.add(PaperChangeRow(arxiv_id=change.arxiv_id, field=change.field, old_value=change.old,
                                           new_value=change.new, detected_at=now, pass_id=pass_id))
        row.resumption_token = page.resumption_token
        row.pages += 1
        row.records += len(page.records)
        row.deleted += len(page.deleted)
        if page.last_datestamp is not None and (row.last_datestamp is None
                                                or page.last_datestamp > row.last_datestamp):
            row.last_datestamp = page.last_datestamp
        if row.response_date is None:
            row.response_date = page.response_date or now
        if not page.resumption_token:
            row.status = "finished"
            row.finished_at = now
            row.error = None
            session.flush()
            state.coverage_moved = record_finished_window(session, row, now)
        session.add(row)
        state.status, state.resumption_token = row.status, row.resumption_token
        state.last_datestamp, state.pages, state.records, state.deleted = (
            row.last_datestamp, row.pages, row.records, row.deleted)
    return changes


def _restart_from_datestamp(engine: Engine, state: HarvestState, worker: str, reason: str) -> None:
    with session_scope(engine) as session:
        row = _hold(session, state, worker)
        row.resumption_token = None
        row.error = f"{reason}; went on from {row.last_datestamp or row.from_date or 'the start'}"
        session.add(row)
    state.resumption_token = None


def _release(engine: Engine, state: HarvestState, worker: str, status: str, error: str | None) -> None:
    """Leave the window resumable: any worker may take an "interrupted" window at once."""
    with session_scope(engine) as session:
        session.execute(update(MirrorHarvestRow)
                        .where(col(MirrorHarvestRow.id) == state.harvest_id,
                               col(MirrorHarvestRow.worker) == worker,
                               col(MirrorHarvestRow.status) == "running")
                        .values(status=status, error=error, heartbeat_at=store.utcnow()))
    state.status = status
    state.error = error


async def _keep_beating(engine: Engine, state: HarvestState, worker: str) -> None:
    while True:
        await asyncio.sleep(HEARTBEAT.total_seconds())
        with contextlib.suppress(Exception):  # a missed beat is not worth stopping the harvest
            await asyncio.to_thread(_beat, engine, state, worker)


async def harvest_window(runtime: Runtime, window: Window, *, worker: str | None = None,
                         on_page: Callable[[HarvestState], None] | None = None,
                         pass_id: int | None = None, max_records: int | None = None) -> HarvestState:
    """Harvest `window` to its end (or until arXiv gives up: status "interrupted", resumable).

    Raises WindowBusy when another live worker holds it. `on_page` is called after each page is
    written; `max_records` stops after the page that reaches it (the window stays resumable).
    """
    worker = worker or worker_name()
    engine = runtime.engine
    state = await asyncio.to_thread(claim_window, engine, window, worker)
    if state.taken_over_from:
        log.info("mirror: harvest %s taken over from %s", state.harvest_id, state.taken_over_from)
    client = runtime.upstream.get().client
    beating = asyncio.create_task(_keep_beating(engine, state, worker))
    started = time.monotonic()
    restarts = 0
    try:
        while state.status == "running":
            try:
                if state.resumption_token:
                    page = await client.list_records(resumption_token=state.resumption_token)
                else:
                    page = await client.list_records(
                        metadata_prefix="arXivRaw", from_=state.last_datestamp or window.from_date,
                        until=window.until_date, set_=window.set_spec or None)
            except OaiError as exc:
                if exc.code != "badResumptionToken" or restarts >= MAX_TOKEN_RESTARTS:
                    raise
                restarts += 1
                log.info("mirror: harvest %s: %s", state.harvest_id, exc)
                await asyncio.to_thread(_restart_from_datestamp, engine, state, worker, str(exc))
                continue
            changes = await asyncio.to_thread(write_page, engine, state, worker, page, pass_id)
            restarts = 0
            state.changed_ids.update(c.arxiv_id for c in changes)
            state.pages_this_run += 1
            state.records_this_run += len(page.records)
            state.complete_list_size = page.complete_list_size or state.complete_list_size
            state.seconds = time.monotonic() - started
            if on_page is not None:
                on_page(state)
            if max_records is not None and state.records_this_run >= max_records and state.status == "running":
                await asyncio.to_thread(_release, engine, state, worker, "interrupted",
                                        f"stopped after {state.records_this_run} records (limit)")
    except (UpstreamUnavailable, OaiError) as exc:
        await asyncio.to_thread(_release, engine, state, worker, "interrupted", str(exc))
        log.info("mirror: harvest %s interrupted: %s", state.harvest_id, exc)
    except LeaseLost as exc:
        state.status, state.error = "abandoned", str(exc)
    except BaseException:
        # Ctrl-C or a cancelled task: hand the window back at once rather than after LEASE_STALE.
        with contextlib.suppress(Exception):
            await asyncio.shield(asyncio.to_thread(_release, engine, state, worker, "interrupted",
                                                   "stopped by its worker"))
        raise
    finally:
        beating.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await beating
        state.seconds = time.monotonic() - started
    if state.records_this_run:
        await asyncio.to_thread(store.settle_after_bulk_write, engine)
    return state


# Identify's earliestDatestamp (ARXIV-API.md §6): a window without `from` starts there.
EARLIEST_DATESTAMP = date(2005, 9, 16)


def fraction_done(state: HarvestState, last_datestamp: date | None, records: int, today: date) -> float:
    """How much of the window is behind a harvest at `last_datestamp` with `records` written.

    The server's completeListSize when it gives one (the legacy service did); else the datestamp
    reached between the window's start and its end (or today), which assumes changes spread evenly
    over the days: arXiv's bulk updates put many records on a few days, so this is a rough guide.
    """
    if state.complete_list_size:
        return min(1.0, records / state.complete_list_size)
    if last_datestamp is None:
        return 0.0
    start = state.window.from_date or EARLIEST_DATESTAMP
    end = state.window.until_date or today
    if end <= start:
        return 1.0
    return max(0.0, min(1.0, (last_datestamp - start).days / (end - start).days))


def seconds_left(state: HarvestState, today: date) -> float | None:
    """The time left at this run's pace, or None before there is a pace to go by."""
    now = fraction_done(state, state.last_datestamp, state.records, today)
    then = fraction_done(state, state.resumed_at, state.records_before, today)
    if state.status == "finished":
        return 0.0
    if now <= then or state.seconds <= 0:
        return None
    return state.seconds * (1.0 - now) / (now - then)
