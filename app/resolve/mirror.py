"""What a complete, current local mirror lets resolution answer without asking arXiv.

The rules and their reasons are in docs/MIRROR-RESOLUTION.md. In short, while the mirror's coverage
(app/resolve/mirror_coverage.py) is at most MIRROR_MAX_AGE_HOURS old:
- a paper it holds is answered from the database, however long ago the row was written;
- an id it lacks is absent when the id cannot be newer than the mirror (its month ended well before
  the coverage's end; every old-style id);
- a title the local index cannot match is not on arXiv, unless the citation is dated after the
  coverage's year.
What may be newer than the mirror (ids of the covered month, versions past the held latest) and what
it does not hold (earlier versions' titles) still goes upstream. A stale or absent mirror answers
nothing, and resolution is then exactly what it is without one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.engine import Engine

from app.db import session_scope
from app.resolve.mirror_coverage import MirrorCoverage, read_coverage
from clients.arxiv import ArxivId

# A new-style id is assigned at submission, but the record appears (and gets its datestamp) when the
# paper is announced: a day or two later, after a holiday break or a moderation hold longer. An id
# the mirror lacks counts as absent only when its month ended at least this long before the
# coverage's end, so a paper submitted at the end of a month and announced early in the next is not
# called absent while the mirror may simply not have reached it.
ANNOUNCEMENT_LAG = timedelta(days=7)


def _month_end(year: int, month: int) -> datetime:
    return datetime(year + month // 12, month % 12 + 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Mirror:
    """A mirror complete through `coverage.complete_through` and current enough to be trusted."""

    coverage: MirrorCoverage

    @property
    def complete_through(self) -> datetime:
        return self.coverage.complete_through

    def proves_absent(self, arxiv_id: ArxivId) -> bool:
        """True when the mirror lacking `arxiv_id` means arXiv has no such paper: the id cannot
        belong to a paper announced after the coverage's end."""
        if arxiv_id.is_old_style:
            # Old-style ids ended in March 2007; any mirror is complete past them.
            return True
        return _month_end(arxiv_id.year, arxiv_id.month) + ANNOUNCEMENT_LAG <= self.complete_through

    def answers_id(self, arxiv_id: ArxivId, held_latest: int | None) -> bool:
        """True when the mirror's answer for `arxiv_id` is final, given the latest version it holds
        of that paper (None: not held): the held paper at the cited version, or its absence. The
        one rule resolution (app/resolve/ids.py) and the upstream demand of a stored document
        (app/pipeline.py) both follow."""
        if held_latest is None:
            return self.proves_absent(arxiv_id)
        # A version past the held latest may have appeared since the last increment.
        return (arxiv_id.version or 0) <= held_latest

    def decides_title(self, cited_year: int | None) -> bool:
        """True when the local index's decision on a title is final: a paper cited as from a year
        after the coverage's may be newer than the mirror and is still searched for upstream."""
        return cited_year is None or cited_year <= self.complete_through.year


def current_mirror(engine: Engine, max_age_hours: float, now: datetime | None = None) -> Mirror | None:
    """The mirror when it is complete and its coverage at most `max_age_hours` old; None otherwise
    (no mirror, or a stale one: resolution then asks arXiv as it does without one)."""
    with session_scope(engine) as session:
        coverage = read_coverage(session)
    if coverage is None or not coverage.is_current(max_age_hours, now):
        return None
    return Mirror(coverage)
