"""Liveness: 200 only when the database answers."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from sqlalchemy.exc import SQLAlchemyError

from app.api.deps import RuntimeDep
from app.api.problems import problem
from app.db import ping

router = APIRouter(tags=["operations"])


@router.get("/healthz", summary="Liveness: 200 when the database answers, 503 otherwise")
async def healthz(runtime: RuntimeDep) -> JSONResponse:
    try:
        await run_in_threadpool(ping, runtime.engine)
    except (SQLAlchemyError, OSError) as exc:
        return problem(503, f"database unavailable: {type(exc).__name__}")
    return JSONResponse({"status": "ok", "database": runtime.engine.dialect.name})
