"""Checks: each cited reference against its arXiv record, as a report."""

from __future__ import annotations

from collections.abc import Sequence

from app.check.findings import paper_findings, possible_matches, resolution_findings
from app.check.report import (
    CandidateOut,
    CitedOut,
    DocumentInfo,
    Finding,
    PaperOut,
    ReferenceReport,
    Report,
    Status,
    Summary,
)
from app.extract import CitedReference, ExtractedDocument
from app.resolve.model import Resolution
from app.resolve.title_match import ACCEPT
from clients.arxiv import Paper

__all__ = ["Report", "build_report", "check_reference"]


def paper_out(paper: Paper) -> PaperOut:
    return PaperOut(
        arxiv_id=paper.arxiv_id, latest_version=paper.version, title=paper.title,
        authors=[a.name for a in paper.authors], published=paper.published.date(),
        updated=paper.updated.date(), primary_category=paper.primary_category,
        categories=list(paper.categories), doi=paper.doi, journal_ref=paper.journal_ref,
        comment=paper.comment, abs_url=paper.abs_url, pdf_url=paper.pdf_url, withdrawn=paper.withdrawn,
    )


def _status(resolution: Resolution, findings: Sequence[Finding]) -> Status:
    severities = {f.severity for f in findings}
    if "broken" in severities:
        return "broken"
    if resolution.status == "unverified":
        return "unverified"
    if resolution.status == "unresolved":
        return "unresolved"
    if "warning" in severities:
        return "warning"
    return "ok"


def check_reference(index: int, reference: CitedReference, resolution: Resolution,
                    seen: dict[str, int]) -> ReferenceReport:
    findings = resolution_findings(resolution) + possible_matches(reference.cited, resolution)
    paper = resolution.paper
    if paper is not None and resolution.status in ("found", "version_not_found"):
        findings += paper_findings(reference, resolution, paper)
        if paper.arxiv_id in seen:
            findings.append(Finding(code="duplicate", severity="info",
                                    message=f"the same paper is cited at line {seen[paper.arxiv_id]}"))
        else:
            seen[paper.arxiv_id] = reference.line
    cited = reference.cited
    return ReferenceReport(
        index=index, line=reference.line, column=reference.column, kind=reference.kind,
        text=reference.text,
        cited=CitedOut(arxiv_id=cited.arxiv_id, version=cited.version, title=cited.title,
                       authors=list(cited.authors), year=cited.year, month=cited.month, doi=cited.doi,
                       venue=cited.venue, label=cited.label),
        status=_status(resolution, findings),
        arxiv_id=paper.arxiv_id if paper is not None and resolution.status != "ambiguous" else cited.arxiv_id,
        confidence=round(resolution.confidence, 4),
        paper=paper_out(paper) if paper is not None else None,
        findings=findings,
        candidates=[CandidateOut(arxiv_id=c.paper.arxiv_id, title=c.paper.title, score=round(c.score, 4))
                    for c in resolution.candidates
                    if resolution.status == "ambiguous"
                    or (resolution.status == "unresolved" and c.score >= ACCEPT)],
    )


def build_report(document: ExtractedDocument, resolutions: Sequence[Resolution]) -> Report:
    """The report of one document; resolutions[i] belongs to document.references[i]."""
    seen: dict[str, int] = {}
    references = [check_reference(i, ref, res, seen)
                  for i, (ref, res) in enumerate(zip(document.references, resolutions, strict=True))]
    summary = Summary(references=len(references))
    for reference in references:
        setattr(summary, reference.status, getattr(summary, reference.status) + 1)
    return Report(document=DocumentInfo(name=document.name, format=document.format, sha256=document.sha256),
                  summary=summary, references=references)
