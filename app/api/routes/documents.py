"""Stored documents: checked on arrival, re-checked by the refresh job; and the broken-reference view."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from sqlmodel import Session

from app import documents as stored
from app.api.auth import require_reader, require_writer
from app.api.deps import RuntimeDep
from app.api.documents_input import DOCUMENT_BODY_OPENAPI, read_document
from app.api.limits import charge_upstream
from app.db import session_scope
from app.extract import ExtractionError, extract
from app.models import DocumentRow, ReportRow
from app.pipeline import check_document, upstream_demand
from app.resolve.store import as_utc
from app.schemas import BrokenList, BrokenReference, DocumentList, DocumentSummary

# With API_KEY set, every route here needs it: stored documents are private.
router = APIRouter(prefix="/v1", tags=["documents"], dependencies=[Depends(require_reader)],
                   responses={401: {}, 403: {}})
Severity = Literal["broken", "warning", "info"]
# Document ids are random (app/models.py DocumentRow.public_id), URL-safe base64.
DocumentId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]


def _stored_document(session: Session, document_id: str) -> tuple[DocumentRow, int]:
    """The stored document and its row id, or a 404."""
    row = stored.find_document(session, document_id)
    if row is None or row.id is None:
        raise HTTPException(404, f"no document {document_id}")
    return row, row.id


def _summary(document: DocumentRow, report: ReportRow | None) -> DocumentSummary:
    counts = None
    if report is not None:
        counts = {"references": report.references, "ok": report.ok, "warning": report.warning,
                  "broken": report.broken, "unresolved": report.unresolved,
                  "unverified": report.unverified}
    return DocumentSummary(id=document.public_id, name=document.name, format=document.format,
                           sha256=document.sha256, created_at=as_utc(document.created_at),
                           checked_at=as_utc(document.checked_at) if document.checked_at else None,
                           summary=counts)


@router.post("/documents", status_code=201, openapi_extra=DOCUMENT_BODY_OPENAPI,
             dependencies=[Depends(require_writer)],
             summary="Store a document and check it; the refresh job re-checks it later",
             responses={400: {}, 401: {}, 403: {}, 408: {}, 413: {}, 415: {}, 422: {}, 429: {}})
async def create_document(request: Request, runtime: RuntimeDep) -> dict[str, Any]:
    with charge_upstream(request):
        given = await read_document(request, runtime.settings.max_document_bytes)
        try:
            document = await run_in_threadpool(extract, given.text, name=given.name, format=given.format)  # type: ignore[arg-type]
        except ExtractionError as exc:
            raise HTTPException(422, f"the document cannot be read: {exc}") from None
        ids, titles = await upstream_demand(runtime, document.references)
        settings = runtime.settings
        # A stored document is re-checked by the refresh job for as long as it is kept: what it would
        # ask arXiv each time (all it cites, but for what a current mirror answers) must fit the
        # upstream budget whole, or it would stay partly unverified for ever.
        if ids > settings.max_upstream_ids or titles > settings.max_upstream_titles:
            raise HTTPException(413, f"the document would ask arXiv about {ids} ids and {titles} titles "
                                     "(what the local mirror answers not counted); a stored document may "
                                     f"ask about at most {settings.max_upstream_ids} ids (MAX_UPSTREAM_IDS) "
                                     f"and {settings.max_upstream_titles} titles (MAX_UPSTREAM_TITLES)")
        # Budgeted all the same: should the mirror go stale between the count and the check, the
        # request still sends no more than the budget to arXiv.
        report = await check_document(runtime, document, budgeted=True)

    def save() -> tuple[DocumentRow, ReportRow]:
        with session_scope(runtime.engine) as session:
            row = stored.create_document(session, name=document.name, format=document.format,
                                         text=document.text, sha256=document.sha256)
            return row, stored.save_report(session, row, report)

    row, report_row = await run_in_threadpool(save)
    return {**_summary(row, report_row).model_dump(mode="json"), "report": report.model_dump(mode="json")}


@router.get("/documents", response_model=DocumentList, summary="Stored documents, oldest first")
async def list_documents(
    runtime: RuntimeDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000_000)] = 0,
) -> DocumentList:
    def load() -> DocumentList:
        with session_scope(runtime.engine) as session:
            rows, total = stored.list_documents(session, limit=limit, offset=offset)
            return DocumentList(documents=[_summary(r, stored.latest_report(session, r.id or 0)) for r in rows],
                                total=total, limit=limit, offset=offset)

    return await run_in_threadpool(load)


@router.get("/documents/{document_id}", summary="One stored document, with its text")
async def get_document(document_id: DocumentId, runtime: RuntimeDep) -> dict[str, Any]:
    def load() -> dict[str, Any]:
        with session_scope(runtime.engine) as session:
            row, row_id = _stored_document(session, document_id)
            summary = _summary(row, stored.latest_report(session, row_id))
            return {**summary.model_dump(mode="json"), "text": row.text}

    return await run_in_threadpool(load)


@router.delete("/documents/{document_id}", status_code=204, dependencies=[Depends(require_writer)],
               summary="Forget a stored document and its reports", responses={401: {}, 403: {}, 404: {}})
async def delete_document(document_id: DocumentId, runtime: RuntimeDep) -> Response:
    def remove() -> bool:
        with session_scope(runtime.engine) as session:
            row = stored.find_document(session, document_id)
            return row is not None and row.id is not None and stored.delete_document(session, row.id)

    if not await run_in_threadpool(remove):
        raise HTTPException(404, f"no document {document_id}")
    return Response(status_code=204)


@router.get("/documents/{document_id}/report", summary="The latest report of one stored document")
async def document_report(document_id: DocumentId, runtime: RuntimeDep) -> dict[str, Any]:
    def load() -> dict[str, Any]:
        with session_scope(runtime.engine) as session:
            _, row_id = _stored_document(session, document_id)
            report = stored.latest_report(session, row_id)
            if report is None:
                raise HTTPException(404, f"document {document_id} has not been checked yet")
            return {**report.body, "checked_at": as_utc(report.created_at).isoformat()}

    return await run_in_threadpool(load)


@router.get("/reports/broken", response_model=BrokenList,
            summary="Broken and warning references across every stored document's latest report")
async def broken_references(
    runtime: RuntimeDep,
    severity: Annotated[list[Severity] | None, Query(description="broken, warning or info; "
                                                     "default broken and warning")] = None,
    code: Annotated[list[Annotated[str, Query(pattern=r"^[a-z_]{1,32}$")]] | None,
                    Query(description="finding codes to keep", max_length=20)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000_000)] = 0,
) -> BrokenList:
    severities: list[str] = list(severity) if severity else list(stored.SEVERITIES_SHOWN)

    def load() -> BrokenList:
        with session_scope(runtime.engine) as session:
            page = stored.broken_findings(session, severities=severities, codes=code,
                                          limit=limit, offset=offset)
            return BrokenList(
                references=[
                    BrokenReference(document_id=d.public_id, document_name=d.name,
                                    index=f.reference_index, line=f.line, column=f.column, kind=f.kind,
                                    text=f.text, status=f.status, arxiv_id=f.arxiv_id, code=f.code,
                                    severity=f.severity, message=f.message,
                                    first_seen_at=as_utc(f.first_seen_at))
                    for f, d in page.findings
                ],
                total=page.total, limit=limit, offset=offset)

    return await run_in_threadpool(load)
