"""GET /v1/resolve?q=…: one reference string (id, URL, DOI or title) → candidates with confidence."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request

from app.api.deps import RuntimeDep
from app.api.limits import charge_upstream
from app.pipeline import MalformedReference, resolve_reference
from app.schemas import ResolveOut

router = APIRouter(prefix="/v1", tags=["papers"])


@router.get("/resolve", response_model=ResolveOut,
            summary="Resolve one reference: an arXiv id, URL, DOI or a title")
async def resolve(
    request: Request,
    runtime: RuntimeDep,
    q: Annotated[str, Query(min_length=1, max_length=1000, description="The reference string")],
) -> ResolveOut:
    if any(ord(c) < 32 and c not in "\t\n\r" for c in q):
        raise HTTPException(422, "q: control characters are not part of any reference")
    with charge_upstream(request):
        try:
            return await resolve_reference(runtime, q)
        except MalformedReference as exc:
            raise HTTPException(422, str(exc)) from None
