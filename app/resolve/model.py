"""What resolution says about one cited reference; the checks read only this and the citation."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from clients.arxiv import Paper

ResolutionStatus = Literal[
    "found",              # the paper is known (by id, DOI, or a confident title match)
    "not_found",          # a valid id that arXiv does not have (a complete answer lacked it)
    "version_not_found",  # the id exists, the cited vN does not; `paper` is the latest version
    "malformed",          # looks like an arXiv id or URL but cannot be one
    "unresolved",         # a title with no arXiv match above the acceptance threshold
    "ambiguous",          # a title that matches several papers and nothing cited decides
    "unverified",         # arXiv could not be reached (or --offline and not cached)
]


@dataclass(frozen=True, slots=True)
class Candidate:
    """A paper a title lookup considered, with its score in [0, 1]."""

    paper: Paper
    score: float


@dataclass(frozen=True, slots=True)
class VersionTitle:
    """An earlier version's title, as arXiv gives it for `id_list=<id>vN`."""

    version: int
    title: str
    submitted: datetime


@dataclass(frozen=True, slots=True)
class Resolution:
    status: ResolutionStatus
    paper: Paper | None = None
    # 1.0 for an id, a DOI or a URL; the title score for a title match; 0 when nothing matched.
    confidence: float = 0.0
    candidates: tuple[Candidate, ...] = field(default=())
    # The version the document cites (None = latest); `paper` is always the latest version.
    cited_version: int | None = None
    reason: str | None = None
    # True when the answer came from our cache or imported snapshot, not from arXiv just now.
    from_cache: bool = False
    # The earlier versions' titles, read only when the cited title is not the latest one's.
    earlier_titles: tuple[VersionTitle, ...] = field(default=())
    # Why the earlier versions' titles were needed but could not be read (arXiv unavailable, offline).
    earlier_titles_missing: str | None = None
