"""GET /metrics: Prometheus metrics of this process."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from app.metrics import METRICS

router = APIRouter(tags=["operations"])


@router.get("/metrics", summary="Prometheus metrics: upstream requests, retries, cache, refresh passes")
async def metrics() -> Response:
    return Response(generate_latest(METRICS.registry), media_type=CONTENT_TYPE_LATEST)
