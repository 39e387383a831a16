"""An import string for ASGI servers that run several workers:

    uvicorn app.api.asgi:create --factory --workers 4 --host 0.0.0.0

Each worker builds its own runtime from the environment (DATABASE_URL, …); run
`arxiv-enrich db upgrade` once before starting them.
"""

from __future__ import annotations

from fastapi import FastAPI

from app.api import create_app
from app.runtime import build_runtime


def create() -> FastAPI:
    return create_app(build_runtime)
