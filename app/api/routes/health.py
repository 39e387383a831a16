"""Liveness: 200 only when the database answers; with the local mirror's coverage and age."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from sqlalchemy.exc import SQLAlchemyError

from app.api.deps import RuntimeDep
from app.api.mirror_status import MirrorStatus, describe
from app.api.problems import problem
from app.db import ping

router = APIRouter(tags=["operations"])


@router.get("/healthz", summary="Liveness: 200 when the database answers, 503 otherwise; the mirror's coverage")
async def healthz(runtime: RuntimeDep, request: Request) -> JSONResponse:
    try:
        await run_in_threadpool(ping, runtime.engine)
    except (SQLAlchemyError, OSError) as exc:
        return problem(503, f"database unavailable: {type(exc).__name__}")
    status: MirrorStatus = request.app.state.mirror_status
    coverage = await run_in_threadpool(status.coverage)
    return JSONResponse({"status": "ok", "database": runtime.engine.dialect.name,
                         "mirror": describe(coverage, runtime.settings.mirror_max_age_hours)})
