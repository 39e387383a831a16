"""The tables. API shapes live in app/schemas.py; nothing here is returned to users as is."""

from __future__ import annotations

import secrets
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Index, Text
from sqlmodel import Field, SQLModel


def _json_column() -> Any:
    return Column(JSON, nullable=False)


class PaperRow(SQLModel, table=True):
    """One arXiv paper: its latest metadata and every version's date we know of."""

    __tablename__ = "papers"
    __table_args__ = (
        Index("ix_papers_arxiv_id", "arxiv_id", unique=True),
        Index("ix_papers_fetched_at", "fetched_at"),
        Index("ix_papers_doi", "doi"),
    )

    # A stable integer key: SQLite's full-text index (papers_fts) points at rows by it.
    id: int | None = Field(default=None, primary_key=True)
    arxiv_id: str = Field(max_length=64)
    latest_version: int
    title: str = Field(sa_column=Column(Text, nullable=False))
    # Lower-cased, accent- and punctuation-free title: what title lookups compare.
    title_norm: str = Field(sa_column=Column(Text, nullable=False))
    abstract: str = Field(sa_column=Column(Text, nullable=False))
    authors: list[dict[str, Any]] = Field(sa_column=_json_column())
    published: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    updated: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    primary_category: str = Field(max_length=64)
    categories: list[str] = Field(sa_column=_json_column())
    doi: str | None = Field(default=None, max_length=256)
    journal_ref: str | None = Field(default=None, sa_column=Column(Text))
    comment: str | None = Field(default=None, sa_column=Column(Text))
    withdrawn: bool = False
    versions: list[dict[str, Any]] = Field(sa_column=_json_column())
    # Where the row came from: "api", "kaggle", "oai".
    source: str = Field(max_length=16)
    fetched_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class LookupCacheRow(SQLModel, table=True):
    """Answers that are not papers: ids arXiv lacks, and title queries with their outcome."""

    __tablename__ = "lookup_cache"
    __table_args__ = (Index("ix_lookup_cache_expires_at", "expires_at"),)

    key: str = Field(primary_key=True, max_length=512)
    kind: str = Field(max_length=16)
    outcome: str = Field(max_length=32)
    payload: dict[str, Any] = Field(sa_column=_json_column())
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    expires_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class UpstreamGateRow(SQLModel, table=True):
    """When the last upstream request started, shared by every process on one PostgreSQL database."""

    __tablename__ = "upstream_gate"

    name: str = Field(primary_key=True, max_length=64)
    last_request_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class DocumentRow(SQLModel, table=True):
    """A stored document: checked on arrival and again by the refresh job."""

    __tablename__ = "documents"
    __table_args__ = (
        Index("ix_documents_created_at", "created_at"),
        Index("ix_documents_public_id", "public_id", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    # What the API calls the document: 128 random bits, so that a stranger cannot list documents
    # by counting (the integer key stays internal).
    public_id: str = Field(default_factory=lambda: secrets.token_urlsafe(16), max_length=32)
    name: str | None = Field(default=None, max_length=512)
    format: str = Field(max_length=16)
    text: str = Field(sa_column=Column(Text, nullable=False))
    sha256: str = Field(max_length=64)
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    checked_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))


class DocumentCitationRow(SQLModel, table=True):
    """Which papers a stored document cites: the refresh job re-checks citers of changed papers."""

    __tablename__ = "document_citations"
    __table_args__ = (Index("ix_document_citations_arxiv_id", "arxiv_id"),)

    document_id: int = Field(foreign_key="documents.id", primary_key=True, ondelete="CASCADE")
    arxiv_id: str = Field(primary_key=True, max_length=64)


class ReportRow(SQLModel, table=True):
    """One check of one stored document; `is_latest` marks the one its report endpoint serves."""

    __tablename__ = "reports"
    __table_args__ = (Index("ix_reports_document_latest", "document_id", "is_latest"),)

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="documents.id", ondelete="CASCADE")
    is_latest: bool = True
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    references: int = 0
    ok: int = 0
    warning: int = 0
    broken: int = 0
    unresolved: int = 0
    unverified: int = 0
    body: dict[str, Any] = Field(sa_column=_json_column())


class ReportFindingRow(SQLModel, table=True):
    """One finding of one report, flattened so /v1/reports/broken can filter and page in SQL."""

    __tablename__ = "report_findings"
    __table_args__ = (
        Index("ix_report_findings_latest", "is_latest", "severity", "code"),
        Index("ix_report_findings_report", "report_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="reports.id", ondelete="CASCADE")
    document_id: int = Field(foreign_key="documents.id", ondelete="CASCADE")
    is_latest: bool = True
    reference_index: int
    line: int
    column: int
    kind: str = Field(max_length=16)
    text: str = Field(sa_column=Column(Text, nullable=False))
    status: str = Field(max_length=16)
    arxiv_id: str | None = Field(default=None, max_length=64)
    code: str = Field(max_length=32)
    severity: str = Field(max_length=16)
    message: str = Field(sa_column=Column(Text, nullable=False))
    # When this finding first appeared for this citation in this document: what became broken when.
    first_seen_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class PaperChangeRow(SQLModel, table=True):
    """What a refresh pass saw change in a paper: the history behind "this citation became wrong"."""

    __tablename__ = "paper_changes"
    __table_args__ = (
        Index("ix_paper_changes_arxiv_id", "arxiv_id"),
        Index("ix_paper_changes_detected_at", "detected_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    arxiv_id: str = Field(max_length=64)
    # new_version, title, authors, doi, journal_ref, withdrawn
    field: str = Field(max_length=32)
    old_value: Any = Field(default=None, sa_column=Column(JSON))
    new_value: Any = Field(default=None, sa_column=Column(JSON))
    detected_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    pass_id: int | None = Field(default=None, foreign_key="refresh_passes.id", ondelete="SET NULL")


class RefreshPassRow(SQLModel, table=True):
    """One refresh pass of one worker: when, from where, and what it did."""

    __tablename__ = "refresh_passes"
    __table_args__ = (Index("ix_refresh_passes_started_at", "started_at"),)

    id: int | None = Field(default=None, primary_key=True)
    started_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    finished_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    # Renewed after every batch: a "running" pass whose heartbeat stopped was killed (SIGKILL, a
    # lost machine) and is marked "abandoned" by the next pass (app/jobs/refresh.py).
    heartbeat_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    status: str = Field(default="running", max_length=16)
    source: str = Field(default="api", max_length=16)
    worker: str = Field(default="", max_length=128)
    papers_checked: int = 0
    papers_changed: int = 0
    documents_rechecked: int = 0
    upstream_requests: int = 0
    error: str | None = Field(default=None, sa_column=Column(Text))


class MirrorHarvestRow(SQLModel, table=True):
    """One OAI-PMH window of `arxiv-enrich mirror` (or of an OAI refresh pass), kept page by page.

    A harvest killed at any point goes on from `resumption_token`, the token of the first page not
    yet written; pages before it are never fetched again. When arXiv refuses the token
    (badResumptionToken: tokens expire at midnight UTC), the window restarts from `last_datestamp`,
    the latest datestamp already written, instead of from its beginning.
    """

    __tablename__ = "mirror_harvests"
    __table_args__ = (Index("ix_mirror_harvests_status", "status"),)

    id: int | None = Field(default=None, primary_key=True)
    # The window asked for: OAI `set`, `from`, `until` ("" and None mean all).
    set_spec: str = Field(default="", max_length=64)
    from_date: date | None = None
    until_date: date | None = None
    # running, finished, or interrupted (arXiv gave up; resumable). A window another worker takes
    # over (its worker killed or silent) stays running under the new worker, noted in `error`.
    status: str = Field(default="running", max_length=16)
    resumption_token: str | None = Field(default=None, sa_column=Column(Text))
    last_datestamp: date | None = None
    pages: int = 0
    records: int = 0
    deleted: int = 0
    # responseDate of the window's first page: a finished window holds every record changed up to
    # this moment (OAI datestamps have day granularity, so the next window starts on its day).
    response_date: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    worker: str = Field(default="", max_length=128)
    started_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    heartbeat_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    finished_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    error: str | None = Field(default=None, sa_column=Column(Text))


class MirrorStateRow(SQLModel, table=True):
    """How complete the local mirror is: one row (name "arxiv") once a full harvest has finished.

    `complete_through`: every record arXiv changed up to this moment is held. Set by a finished
    full harvest (no set, no `from`), moved forward by each finished increment that starts on or
    before it. Resolution trusts the mirror only while this is recent (MIRROR_MAX_AGE_HOURS).
    """

    __tablename__ = "mirror_state"

    name: str = Field(primary_key=True, max_length=32)
    complete_through: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    full_harvest_finished_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    records: int = 0
    updated_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
