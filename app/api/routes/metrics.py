"""GET /metrics: Prometheus metrics of this process, and the local mirror's coverage."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from app.api.deps import RuntimeDep
from app.api.mirror_status import MirrorStatus
from app.metrics import METRICS

router = APIRouter(tags=["operations"])


@router.get("/metrics", summary="Prometheus metrics: upstream requests, retries, cache, refresh passes, mirror")
async def metrics(runtime: RuntimeDep, request: Request) -> Response:
    status: MirrorStatus = request.app.state.mirror_status
    METRICS.mirror.update(await run_in_threadpool(status.coverage), runtime.settings.mirror_max_age_hours)
    return Response(generate_latest(METRICS.registry), media_type=CONTENT_TYPE_LATEST)
