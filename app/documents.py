"""Stored documents and their reports: what the documents endpoints and the refresh job keep.

Callers own the transaction (a request, a refresh pass); nothing here commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlmodel import Session, col

from app.check.report import Report
from app.models import DocumentCitationRow, DocumentRow, ReportFindingRow, ReportRow
from app.resolve.store import utcnow

SEVERITIES_SHOWN = ("broken", "warning")


def create_document(session: Session, *, name: str | None, format: str, text: str, sha256: str,
                    now: datetime | None = None) -> DocumentRow:
    row = DocumentRow(name=name, format=format, text=text, sha256=sha256, created_at=now or utcnow())
    session.add(row)
    session.flush()
    return row


def get_document(session: Session, document_id: int) -> DocumentRow | None:
    return session.get(DocumentRow, document_id)


def find_document(session: Session, public_id: str) -> DocumentRow | None:
    """The document the API calls `public_id`."""
    return session.execute(
        select(DocumentRow).where(col(DocumentRow.public_id) == public_id)
    ).scalars().first()


def list_documents(session: Session, *, limit: int, offset: int) -> tuple[list[DocumentRow], int]:
    total = session.execute(select(func.count()).select_from(DocumentRow)).scalar_one()
    rows = session.execute(
        select(DocumentRow).order_by(col(DocumentRow.id)).limit(limit).offset(offset)
    ).scalars().all()
    return list(rows), int(total)


def delete_document(session: Session, document_id: int) -> bool:
    # Children first: SQLite enforces ON DELETE CASCADE only with foreign_keys on (we set it), but
    # deleting explicitly keeps this correct on any connection.
    for table in (ReportFindingRow, ReportRow, DocumentCitationRow):
        session.execute(delete(table).where(col(table.document_id) == document_id))
    result = session.execute(delete(DocumentRow).where(col(DocumentRow.id) == document_id))
    return bool(result.rowcount)  # type: ignore[attr-defined]


def latest_report(session: Session, document_id: int) -> ReportRow | None:
    return session.execute(
        select(ReportRow).where(col(ReportRow.document_id) == document_id, col(ReportRow.is_latest))
        .order_by(col(ReportRow.id).desc()).limit(1)
    ).scalars().first()


def _finding_key(reference_text: str, reference_index: int, code: str) -> tuple[str, int, str]:
    return (reference_text, reference_index, code)


def save_report(session: Session, document: DocumentRow, report: Report,
                now: datetime | None = None) -> ReportRow:
    """Store a new latest report; findings already present before keep their first-seen time."""
    moment = now or utcnow()
    assert document.id is not None
    previous = session.execute(
        select(ReportFindingRow).where(col(ReportFindingRow.document_id) == document.id,
                                       col(ReportFindingRow.is_latest))
    ).scalars().all()
    first_seen = {_finding_key(f.text, f.reference_index, f.code): f.first_seen_at for f in previous}
    session.execute(update(ReportRow).where(col(ReportRow.document_id) == document.id)
                    .values(is_latest=False))
    session.execute(update(ReportFindingRow).where(col(ReportFindingRow.document_id) == document.id)
                    .values(is_latest=False))
    summary = report.summary
    row = ReportRow(document_id=document.id, is_latest=True, created_at=moment,
                    references=summary.references, ok=summary.ok, warning=summary.warning,
                    broken=summary.broken, unresolved=summary.unresolved,
                    unverified=summary.unverified, body=report.model_dump(mode="json"))
    session.add(row)
    session.flush()
    assert row.id is not None
    for reference in report.references:
        for finding in reference.findings:
            key = _finding_key(reference.text, reference.index, finding.code)
            session.add(ReportFindingRow(
                report_id=row.id, document_id=document.id, is_latest=True,
                reference_index=reference.index, line=reference.line, column=reference.column,
                kind=reference.kind, text=reference.text, status=reference.status,
                arxiv_id=reference.arxiv_id, code=finding.code, severity=finding.severity,
                message=finding.message, first_seen_at=first_seen.get(key, moment)))
    cited = sorted({r.arxiv_id for r in report.references if r.arxiv_id})
    session.execute(delete(DocumentCitationRow).where(col(DocumentCitationRow.document_id) == document.id))
    for arxiv_id in cited:
        session.add(DocumentCitationRow(document_id=document.id, arxiv_id=arxiv_id))
    document.checked_at = moment
    session.add(document)
    session.flush()
    return row


@dataclass(frozen=True)
class BrokenPage:
    findings: list[tuple[ReportFindingRow, DocumentRow]]
    total: int


def broken_findings(session: Session, *, severities: Sequence[str], codes: Sequence[str] | None,
                    limit: int, offset: int) -> BrokenPage:
    """Findings of every stored document's latest report, worst and newest first."""
    where = [col(ReportFindingRow.is_latest), col(ReportFindingRow.severity).in_(list(severities))]
    if codes:
        where.append(col(ReportFindingRow.code).in_(list(codes)))
    total = session.execute(select(func.count()).select_from(ReportFindingRow).where(*where)).scalar_one()
    rows = session.execute(
        select(ReportFindingRow, DocumentRow)
        .join(DocumentRow, col(DocumentRow.id) == col(ReportFindingRow.document_id))
        .where(*where)
        .order_by(col(ReportFindingRow.first_seen_at).desc(), col(ReportFindingRow.id))
        .limit(limit).offset(offset)
    ).all()
    return BrokenPage([(f, d) for f, d in rows], int(total))


def documents_citing(session: Session, arxiv_ids: Sequence[str]) -> list[int]:
    if not arxiv_ids:
        return []
    rows = session.execute(
        select(col(DocumentCitationRow.document_id)).where(col(DocumentCitationRow.arxiv_id).in_(list(arxiv_ids)))
        .distinct()
    ).scalars().all()
    return sorted(int(r) for r in rows)
