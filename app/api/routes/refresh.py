"""POST /v1/refresh: start a refresh pass in this server process (a write endpoint)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request

from app.api.auth import require_writer
from app.api.problems import problem

router = APIRouter(prefix="/v1", tags=["operations"])


@router.post("/refresh", status_code=202, dependencies=[Depends(require_writer)],
             summary="Start a refresh pass: re-fetch stale papers, re-check the documents citing changed ones",
             responses={401: {}, 403: {}, 409: {}})
async def start_refresh(
    request: Request,
    stale_only: Annotated[bool, Query(description="Only papers older than CACHE_TTL_HOURS")] = True,
    limit: Annotated[int | None, Query(ge=1, le=1_000_000)] = None,
) -> Any:
    runner = request.app.state.refresh
    if not runner.start_pass(stale_only=stale_only, limit=limit):
        return problem(409, "a refresh pass is already running in this server; try again when it ends")
    return {"status": "started", "stale_only": stale_only, "limit": limit}
