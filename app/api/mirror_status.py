"""The mirror's coverage as /healthz and /metrics report it: read at most every few seconds, so a
health probe or a scrape never costs more than one indexed read, and usually none."""

from __future__ import annotations

import logging
import time
from datetime import datetime
from threading import Lock
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from app.db import session_scope
from app.resolve.mirror_coverage import MirrorCoverage, read_coverage
from app.resolve.store import utcnow

log = logging.getLogger(__name__)

# A mirror moves once a day (an increment); a probe every second needs no fresher answer.
CACHE_SECONDS = 5.0


class MirrorStatus:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._lock = Lock()
        self._read_at = -CACHE_SECONDS
        self._coverage: MirrorCoverage | None = None

    def coverage(self) -> MirrorCoverage | None:
        """The coverage (None without a mirror); blocking: call it from a thread."""
        with self._lock:
            if time.monotonic() - self._read_at >= CACHE_SECONDS:
                try:
                    with session_scope(self._engine) as session:
                        self._coverage = read_coverage(session)
                except SQLAlchemyError as exc:
                    # Health is the database answering; a coverage that cannot be read is no mirror.
                    log.warning("mirror coverage unreadable: %s", exc)
                    self._coverage = None
                self._read_at = time.monotonic()
            return self._coverage


def describe(coverage: MirrorCoverage | None, max_age_hours: float,
             now: datetime | None = None) -> dict[str, Any] | None:
    """/healthz's `mirror` object: null without a mirror."""
    if coverage is None:
        return None
    now = now or utcnow()
    return {
        "complete_through": coverage.complete_through.isoformat(),
        "age_hours": round(coverage.age(now).total_seconds() / 3600, 3),
        "current": coverage.is_current(max_age_hours, now),
        "records": coverage.records,
        "full_harvest_finished_at": coverage.full_harvest_finished_at.isoformat(),
    }
