"""The API's shapes; tables never leave the service as they are."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from clients.arxiv import Paper


class AuthorOut(BaseModel):
    name: str
    affiliations: list[str] = []


class VersionOut(BaseModel):
    version: int
    submitted: datetime
    size_kb: int | None = None


class PaperMetadata(BaseModel):
    arxiv_id: str
    latest_version: int
    title: str
    abstract: str
    authors: list[AuthorOut]
    published: date
    updated: date
    primary_category: str
    categories: list[str]
    doi: str | None
    journal_ref: str | None
    comment: str | None
    abs_url: str
    pdf_url: str
    doi_url: str | None
    withdrawn: bool
    versions: list[VersionOut]

    @classmethod
    def of(cls, paper: Paper) -> PaperMetadata:
        return cls(
            arxiv_id=paper.arxiv_id, latest_version=paper.version, title=paper.title,
            abstract=paper.abstract,
            authors=[AuthorOut(name=a.name, affiliations=list(a.affiliations)) for a in paper.authors],
            published=paper.published.date(), updated=paper.updated.date(),
            primary_category=paper.primary_category, categories=list(paper.categories),
            doi=paper.doi, journal_ref=paper.journal_ref, comment=paper.comment,
            abs_url=paper.abs_url, pdf_url=paper.pdf_url, doi_url=paper.doi_url,
            withdrawn=paper.withdrawn,
            versions=[VersionOut(version=v.version, submitted=v.submitted, size_kb=v.size_kb)
                      for v in paper.versions],
        )


class PaperAnswer(BaseModel):
    """One requested id of GET /v1/papers: the paper, or why there is none."""

    requested: str
    status: Literal["found", "not_found", "version_not_found", "malformed", "unverified"]
    paper: PaperMetadata | None = None
    reason: str | None = None


class PapersOut(BaseModel):
    papers: list[PaperAnswer]


class ResolveCandidate(BaseModel):
    """A paper a title lookup of POST /v1/resolve considered; a report has its own CandidateOut (a score)."""

    arxiv_id: str
    title: str
    authors: list[str]
    published: date
    confidence: float = Field(ge=0.0, le=1.0)


class ResolveOut(BaseModel):
    query: str
    kind: Literal["arxiv_id", "title"]
    status: str
    confidence: float
    candidates: list[ResolveCandidate]
    reason: str | None = None


class CheckRequest(BaseModel):
    text: str = Field(description="The document itself.")
    format: Literal["auto", "markdown", "html", "text", "bibtex", "latex", "rst"] = "auto"
    name: str | None = Field(default=None, max_length=512,
                             description="A file name; it helps detect the format.")


class DocumentSummary(BaseModel):
    id: str = Field(description="The document's id: random, not a count")
    name: str | None
    format: str
    sha256: str
    created_at: datetime
    checked_at: datetime | None
    summary: dict[str, int] | None = None


class DocumentList(BaseModel):
    documents: list[DocumentSummary]
    total: int
    limit: int
    offset: int


class BrokenReference(BaseModel):
    document_id: str
    document_name: str | None
    index: int
    line: int
    column: int
    kind: str
    text: str
    status: str
    arxiv_id: str | None
    code: str
    severity: str
    message: str
    first_seen_at: datetime


class BrokenList(BaseModel):
    references: list[BrokenReference]
    total: int
    limit: int
    offset: int
