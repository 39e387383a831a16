"""One refresh pass: re-fetch stale papers in batches, record what changed, re-check the citers.

Several workers on PostgreSQL split a pass without overlap: each claims a batch with
SELECT … FOR UPDATE SKIP LOCKED and keeps the rows locked while it asks arXiv, then writes the
papers, their changes and the claim's end in one transaction. A worker killed mid-batch leaves
its rows untouched and unlocked, so the next pass (or another worker) does them. SQLite has one
writer at a time, so there a pass reads, fetches and writes each batch in short transactions.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from sqlalchemy import select
from sqlmodel import Session, col

from app import documents as stored
from app.check.report import Report
from app.db import session_scope
from app.extract import extract
from app.jobs.changes import Change, paper_changes
from app.jobs.mirror import HarvestState, Window, WindowBusy, harvest_window, pending_increment
from app.jobs.workers import process_gone, worker_name
from app.metrics import METRICS
from app.models import PaperChangeRow, PaperRow, RefreshPassRow
from app.pipeline import check_document
from app.resolve import store
from app.resolve.mirror_coverage import read_coverage
from app.runtime import Runtime
from clients.arxiv import ArxivId, Found, OaiError, Paper, UpstreamUnavailable, VersionNotFound, parse_id

log = logging.getLogger(__name__)
Source = Literal["api", "oai"]


@dataclass
class PassResult:
    pass_id: int
    status: str
    papers_checked: int = 0
    papers_changed: int = 0
    documents_rechecked: int = 0
    upstream_requests: int = 0
    seconds: float = 0.0
    error: str | None = None


# A running pass renews its heartbeat after every batch; one silent for this long was killed.
STALE_PASS = timedelta(minutes=30)


def close_abandoned_passes(runtime: Runtime, now: datetime | None = None) -> int:
    """Mark as "abandoned" the passes left "running" by a worker that was killed: its process is
    gone (same machine), or its heartbeat is older than STALE_PASS. Their unfinished papers are
    still stale, so the next pass takes them over. Returns how many were closed."""
    now = now or store.utcnow()
    closed = 0
    with session_scope(runtime.engine) as session:
        running = session.execute(
            select(RefreshPassRow).where(col(RefreshPassRow.status) == "running")).scalars().all()
        for row in running:
            beat = store.as_utc(row.heartbeat_at or row.started_at)
            if process_gone(row.worker) or beat < now - STALE_PASS:
                row.status = "abandoned"
                row.finished_at = now
                row.error = f"the worker {row.worker} stopped without finishing (last heartbeat {beat.isoformat()})"
                session.add(row)
                closed += 1
    if closed:
        log.warning("refresh: %d pass(es) left running by a killed worker marked abandoned", closed)
    return closed


def _beat(runtime: Runtime, result: PassResult) -> None:
    with session_scope(runtime.engine) as session:
        row = session.get(RefreshPassRow, result.pass_id)
        if row is not None and row.status == "running":
            row.heartbeat_at = store.utcnow()
            row.papers_checked = result.papers_checked
            row.upstream_requests = result.upstream_requests
            session.add(row)


def _start_pass(runtime: Runtime, source: Source) -> int:
    close_abandoned_passes(runtime)
    with session_scope(runtime.engine) as session:
        now = store.utcnow()
        row = RefreshPassRow(started_at=now, heartbeat_at=now, source=source, worker=worker_name())
        session.add(row)
        session.flush()
        assert row.id is not None
        return row.id


def _finish_pass(runtime: Runtime, result: PassResult) -> None:
    with session_scope(runtime.engine) as session:
        row = session.get(RefreshPassRow, result.pass_id)
        if row is None:
            return
        row.finished_at = store.utcnow()
        row.status = result.status
        row.papers_checked = result.papers_checked
        row.papers_changed = result.papers_changed
        row.documents_rechecked = result.documents_rechecked
        row.upstream_requests = result.upstream_requests
        row.error = result.error
        session.add(row)


def _claim_query(cutoff: datetime, size: int, *, lock: bool):  # type: ignore[no-untyped-def]
    query = (select(PaperRow).where(col(PaperRow.fetched_at) < cutoff)
             .order_by(col(PaperRow.fetched_at), col(PaperRow.id)).limit(size))
    return query.with_for_update(skip_locked=True) if lock else query


def _apply(session: Session, claimed: list[PaperRow], answers: dict[ArxivId, object],
           pass_id: int) -> list[Change]:
    """Write the fresh papers and their changes; ids arXiv no longer answers for stay as they were."""
    fresh: list[Paper] = []
    changes: list[Change] = []
    for row in claimed:
        answer = answers.get(parse_id(row.arxiv_id))
        paper = answer.paper if isinstance(answer, Found) else (
            answer.latest if isinstance(answer, VersionNotFound) else None)
        if paper is None:
            continue
        changes.extend(paper_changes(row, paper))
        fresh.append(paper)
    store.upsert_papers(session, fresh, source="api")
    _record(session, changes, pass_id)
    return changes


def _record(session: Session, changes: list[Change], pass_id: int) -> None:
    moment = store.utcnow()
    for change in changes:
        session.add(PaperChangeRow(arxiv_id=change.arxiv_id, field=change.field, old_value=change.old,
                                   new_value=change.new, detected_at=moment, pass_id=pass_id))


async def _refresh_batch_locked(runtime: Runtime, cutoff: datetime, size: int,
                                pass_id: int) -> tuple[int, list[Change]]:
    """PostgreSQL: claim, fetch and write one batch inside one transaction."""
    session = Session(runtime.engine, expire_on_commit=False)
    try:
        claimed = list(await asyncio.to_thread(
            lambda: session.execute(_claim_query(cutoff, size, lock=True)).scalars().all()))
        if not claimed:
            session.rollback()
            return 0, []
        client = runtime.upstream.get().client
        answers = await client.lookup(parse_id(r.arxiv_id) for r in claimed)
        changes = await asyncio.to_thread(_apply, session, claimed, dict(answers), pass_id)
        await asyncio.to_thread(session.commit)
        return len(claimed), changes
    except BaseException:
        await asyncio.to_thread(session.rollback)
        raise
    finally:
        await asyncio.to_thread(session.close)


async def _refresh_batch_simple(runtime: Runtime, cutoff: datetime, size: int,
                                pass_id: int, skip: set[str]) -> tuple[int, list[Change]]:
    """SQLite: read the batch, fetch it, then write it in a short transaction."""
    def claim() -> list[PaperRow]:
        with session_scope(runtime.engine) as session:
            rows = session.execute(_claim_query(cutoff, size + len(skip), lock=False)).scalars().all()
            return [r for r in rows if r.arxiv_id not in skip][:size]

    claimed = await asyncio.to_thread(claim)
    if not claimed:
        return 0, []
    skip.update(r.arxiv_id for r in claimed)
    answers = await runtime.upstream.get().client.lookup(parse_id(r.arxiv_id) for r in claimed)

    def write() -> list[Change]:
        with session_scope(runtime.engine) as session:
            return _apply(session, claimed, dict(answers), pass_id)

    return len(claimed), await asyncio.to_thread(write)


async def recheck_documents(runtime: Runtime, arxiv_ids: list[str],
                            beat: Callable[[], None] | None = None) -> int:
    """Store a new report for every stored document that cites one of these papers (`beat` is
    called after each, to keep the pass's heartbeat)."""
    def citing() -> list[int]:
        with session_scope(runtime.engine) as session:
            return stored.documents_citing(session, arxiv_ids)

    count = 0
    for document_id in await asyncio.to_thread(citing):
        def load(document_id: int = document_id) -> tuple[str, str | None, str] | None:
            with session_scope(runtime.engine) as session:
                row = stored.get_document(session, document_id)
                return (row.text, row.name, row.format) if row else None

        loaded = await asyncio.to_thread(load)
        if loaded is None:
            continue  # deleted meanwhile
        text, name, fmt = loaded
        document = await asyncio.to_thread(extract, text, name=name, format=fmt)  # type: ignore[arg-type]
        # Stored documents come from API clients: each re-check stays within the same upstream
        # budget as their first check. One accepted because the mirror answered most of it may need
        # more once the mirror is stale; what is past the budget is then unverified, said so in the
        # report, until a re-check from a current mirror (docs/MIRROR-RESOLUTION.md).
        report = await check_document(runtime, document, budgeted=True)

        def save(document_id: int = document_id, report: Report = report) -> None:
            with session_scope(runtime.engine) as session:
                row = stored.get_document(session, document_id)
                if row is not None:
                    stored.save_report(session, row, report)

        await asyncio.to_thread(save)
        count += 1
        if beat is not None:
            await asyncio.to_thread(beat)
    return count


def _last_oai_harvest(runtime: Runtime) -> date | None:
    with session_scope(runtime.engine) as session:
        row = session.execute(
            select(RefreshPassRow).where(col(RefreshPassRow.source) == "oai",
                                         col(RefreshPassRow.status) == "finished")
            .order_by(col(RefreshPassRow.started_at).desc()).limit(1)
        ).scalars().first()
        return store.as_utc(row.started_at).date() if row else None


def _increment_start(runtime: Runtime) -> date | None:
    """Where an OAI increment starts: where an unfinished one started (it goes on), else the
    mirror's coverage day when there is a mirror (so the increment moves its coverage on), else the
    day of the last finished OAI pass."""
    with session_scope(runtime.engine) as session:
        pending = pending_increment(session)
        if pending is not None:
            return pending.from_date
        coverage = read_coverage(session)
    if coverage is not None:
        return coverage.complete_through.date()
    return _last_oai_harvest(runtime)


async def _harvest(runtime: Runtime, result: PassResult, limit: int | None) -> set[str]:
    """An incremental OAI-PMH harvest (arXivRaw: versions) through the mirror's window code: page
    by page, resumable (a pass killed mid-way is taken over by the next one), moving the mirror's
    coverage on when it finishes. `limit` stops after the page that reaches it. Returns the ids
    of the papers we held that changed."""
    since = await asyncio.to_thread(_increment_start, runtime)

    def on_page(state: HarvestState) -> None:
        result.upstream_requests = state.pages_this_run
        result.papers_checked = state.records_this_run
        _beat(runtime, result)

    try:
        state = await harvest_window(runtime, Window(from_date=since), on_page=on_page,
                                     pass_id=result.pass_id, max_records=limit)
    except WindowBusy as exc:
        result.error = f"{exc}: the increment goes on there"
        log.info("refresh pass %s: %s", result.pass_id, result.error)
        return set()
    stopped_at_limit = limit is not None and state.records_this_run >= limit
    if state.status != "finished" and not stopped_at_limit:
        result.status = "interrupted"
        result.error = state.error
    return state.changed_ids


async def run_pass(runtime: Runtime, *, stale_only: bool = True, limit: int | None = None,
                   source: Source | None = None) -> PassResult:
    """One pass over the papers we hold; returns what it did (also kept in refresh_passes)."""
    started = time.monotonic()
    settings = runtime.settings
    source = source or settings.refresh_source
    pass_id = await asyncio.to_thread(_start_pass, runtime, source)
    result = PassResult(pass_id=pass_id, status="running")
    # Papers fetched after the pass began are done: that is what ends a pass over everything.
    cutoff = store.utcnow() - timedelta(hours=settings.cache_ttl_hours) if stale_only else store.utcnow()
    locked = runtime.engine.dialect.name == "postgresql"
    changed: list[Change] = []
    harvested: set[str] = set()
    skip: set[str] = set()
    try:
        if source == "oai":
            harvested = await _harvest(runtime, result, limit)
        while source == "api" and (limit is None or result.papers_checked < limit):
            size = settings.arxiv_batch_size if limit is None else min(
                settings.arxiv_batch_size, limit - result.papers_checked)
            if locked:
                done, changes = await _refresh_batch_locked(runtime, cutoff, size, pass_id)
            else:
                done, changes = await _refresh_batch_simple(runtime, cutoff, size, pass_id, skip)
            if done == 0:
                break
            result.upstream_requests += 1
            result.papers_checked += done
            changed.extend(changes)
            await asyncio.to_thread(_beat, runtime, result)
        if result.status == "running":
            result.status = "finished"
    except (UpstreamUnavailable, OaiError) as exc:
        # What was written stays; what was not is still stale and the next pass takes it.
        result.status = "interrupted"
        result.error = str(exc)
        log.warning("refresh pass %s stopped: %s", pass_id, exc)
    changed_ids = sorted({c.arxiv_id for c in changed} | harvested)
    result.papers_changed = len(changed_ids)
    runtime.papers_changed(changed_ids)
    if changed_ids:
        result.documents_rechecked = await recheck_documents(
            runtime, changed_ids, beat=lambda: _beat(runtime, result))
    result.seconds = time.monotonic() - started
    await asyncio.to_thread(_finish_pass, runtime, result)
    METRICS.refresh_pass_seconds.observe(result.seconds)
    METRICS.papers_changed.inc(len(changed_ids))
    return result
