"""How complete and how current the local mirror is (tables mirror_state and mirror_harvests).

The harvest (app/jobs/mirror.py) moves the coverage forward; resolution reads it to decide whether
an id or a title the database lacks can be called absent without asking arXiv.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlmodel import Session

from app.models import MirrorHarvestRow, MirrorStateRow, PaperRow
from app.resolve.store import as_utc, utcnow

STATE_NAME = "arxiv"


@dataclass(frozen=True, slots=True)
class MirrorCoverage:
    """Every record arXiv changed up to `complete_through` is held."""

    complete_through: datetime
    full_harvest_finished_at: datetime
    records: int

    def age(self, now: datetime | None = None) -> timedelta:
        return (now or utcnow()) - self.complete_through

    def is_current(self, max_age_hours: float, now: datetime | None = None) -> bool:
        return self.age(now) <= timedelta(hours=max_age_hours)


def read_coverage(session: Session) -> MirrorCoverage | None:
    """The mirror's coverage, or None while no full harvest has finished."""
    row = session.get(MirrorStateRow, STATE_NAME)
    if row is None:
        return None
    return MirrorCoverage(as_utc(row.complete_through), as_utc(row.full_harvest_finished_at), row.records)


def is_full_window(harvest: MirrorHarvestRow) -> bool:
    return harvest.set_spec == "" and harvest.from_date is None and harvest.until_date is None


def record_finished_window(session: Session, harvest: MirrorHarvestRow, now: datetime | None = None) -> bool:
    """Move the coverage forward for a finished window; True when it moved.

    A full window makes the mirror complete through its first page's responseDate. An increment
    (no set, no `until`) extends it only when it starts on or before the day already covered: a
    gap between the two would leave records changed in between unseen.
    """
    if harvest.response_date is None:
        return False
    now = now or utcnow()
    through = as_utc(harvest.response_date)
    state = session.get(MirrorStateRow, STATE_NAME)
    records = int(session.execute(select(func.count()).select_from(PaperRow)).scalar_one())
    if is_full_window(harvest):
        if state is None:
            state = MirrorStateRow(name=STATE_NAME, complete_through=through, full_harvest_finished_at=now,
                                   records=records, updated_at=now)
            session.add(state)
            return True
        state.full_harvest_finished_at = now
    elif (state is None or harvest.set_spec or harvest.until_date is not None or harvest.from_date is None
          or harvest.from_date > as_utc(state.complete_through).date()):
        return False
    moved = through > as_utc(state.complete_through)
    if moved:
        state.complete_through = through
    state.records = records
    state.updated_at = now
    return moved
