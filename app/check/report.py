"""The report: DESIGN.md's contract, field for field. Users script against it; extra keys only add."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

Status = Literal["ok", "warning", "broken", "unresolved", "unverified"]
Severity = Literal["broken", "warning", "info"]
Kind = Literal["arxiv_url", "arxiv_id", "doi", "title", "bib_entry"]
STATUSES: tuple[Status, ...] = ("broken", "warning", "unresolved", "unverified", "ok")


class DocumentInfo(BaseModel):
    name: str | None
    format: str
    sha256: str


class Summary(BaseModel):
    references: int = 0
    ok: int = 0
    warning: int = 0
    broken: int = 0
    unresolved: int = 0
    unverified: int = 0


class CitedOut(BaseModel):
    arxiv_id: str | None = None
    version: int | None = None
    title: str | None = None
    authors: list[str] = Field(default_factory=list)
    year: int | None = None
    month: int | None = None
    doi: str | None = None
    venue: str | None = None
    label: str | None = None  # a name the document calls the paper by ("PPO"): not a title claim


class PaperOut(BaseModel):
    arxiv_id: str
    latest_version: int
    title: str
    authors: list[str]
    published: date
    updated: date
    primary_category: str
    categories: list[str]
    doi: str | None = None
    journal_ref: str | None = None
    comment: str | None = None
    abs_url: str
    pdf_url: str
    withdrawn: bool = False


class Finding(BaseModel):
    code: str
    severity: Severity
    message: str


class CandidateOut(BaseModel):
    arxiv_id: str
    title: str
    score: float


class ReferenceReport(BaseModel):
    index: int
    line: int
    column: int
    kind: Kind
    text: str
    cited: CitedOut
    status: Status
    arxiv_id: str | None = None
    confidence: float = 0.0
    paper: PaperOut | None = None
    findings: list[Finding] = Field(default_factory=list)
    candidates: list[CandidateOut] = Field(default_factory=list)


class Report(BaseModel):
    document: DocumentInfo
    summary: Summary
    references: list[ReferenceReport]
