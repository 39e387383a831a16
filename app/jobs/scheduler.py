"""REFRESH_SCHEDULE: `serve` runs refresh passes itself on a cron schedule (APScheduler)."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger

from app.runtime import Runtime

log = logging.getLogger(__name__)


class RefreshRunner:
    """Starts refresh passes, one at a time per process, from the schedule or POST /v1/refresh."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self._task: asyncio.Task[None] | None = None
        self._scheduler: AsyncIOScheduler | None = None

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def start_pass(self, *, stale_only: bool = True, limit: int | None = None) -> bool:
        """Start a pass in the background; False when one is already running here."""
        if self.running:
            return False
        self._task = asyncio.create_task(self._run(stale_only, limit))
        return True

    async def _run(self, stale_only: bool, limit: int | None) -> None:
        from app.jobs.refresh import run_pass

        try:
            result = await run_pass(self.runtime, stale_only=stale_only, limit=limit)
            log.info("refresh pass %s %s: %s papers checked, %s changed, %s documents re-checked",
                     result.pass_id, result.status, result.papers_checked, result.papers_changed,
                     result.documents_rechecked)
        except Exception:
            log.exception("refresh pass failed")

    def schedule(self, cron: str) -> None:
        self._scheduler = AsyncIOScheduler(timezone="UTC")
        self._scheduler.add_job(lambda: self.start_pass(stale_only=True),
                                CronTrigger.from_crontab(cron, timezone="UTC"),
                                id="refresh", max_instances=1, coalesce=True)
        self._scheduler.start()

    async def aclose(self) -> None:
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=False)
        if self._task is not None and not self._task.done():
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
