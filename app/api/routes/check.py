"""POST /v1/check: a document in, its report out (nothing stored)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request

from app.api.deps import RuntimeDep
from app.api.documents_input import DOCUMENT_BODY_OPENAPI, read_document
from app.api.limits import charge_upstream
from app.check.report import Report
from app.extract import ExtractionError
from app.pipeline import check_text

router = APIRouter(prefix="/v1", tags=["checks"])


@router.post("/check", response_model=Report, openapi_extra=DOCUMENT_BODY_OPENAPI,
             summary="Check one document's references against arXiv",
             responses={400: {}, 408: {}, 413: {}, 415: {}, 422: {}, 429: {}})
async def check(request: Request, runtime: RuntimeDep) -> Report:
    with charge_upstream(request):
        document = await read_document(request, runtime.settings.max_document_bytes)
        try:
            return await check_text(runtime, document.text, name=document.name, format=document.format,
                                    budgeted=True)
        except ExtractionError as exc:
            raise HTTPException(422, f"the document cannot be read: {exc}") from None
