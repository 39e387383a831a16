"""The HTTP API: an app factory, so tests and the CLI build it from a Runtime they own."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi_offline import FastAPIOffline

from app import __version__
from app.api import problems
from app.api.hot_cache import HotPapers
from app.api.limits import BodyLimits, RateLimiter
from app.api.mirror_status import MirrorStatus
from app.api.routes import check, documents, health, metrics, papers, refresh, resolve, web
from app.jobs.scheduler import RefreshRunner
from app.runtime import Runtime


def create_app(runtime_factory: Callable[[], Runtime]) -> FastAPI:
    """The FastAPI app; the runtime is built in the lifespan, so importing this opens nothing."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        runtime = runtime_factory()
        app.state.runtime = runtime
        app.state.refresh = RefreshRunner(runtime)
        app.state.hot_papers = HotPapers()
        runtime.paper_listeners.append(app.state.hot_papers.forget)
        app.state.rate_limiter = RateLimiter(runtime.settings.rate_limit_per_minute)
        app.state.mirror_status = MirrorStatus(runtime.engine)
        if runtime.settings.refresh_schedule:
            app.state.refresh.schedule(runtime.settings.refresh_schedule)
        try:
            yield
        finally:
            await app.state.refresh.aclose()
            await runtime.upstream.aclose()
            runtime.close()

    # Swagger UI and ReDoc from files in the fastapi-offline package, not from a CDN: /docs and
    # /redoc work on a machine without internet access, and load nothing from third parties.
    app = FastAPIOffline(
        title="arxiv-enrich",
        version=__version__,
        summary="Find paper references in documents, resolve them against arXiv, report the broken ones.",
        lifespan=lifespan,
    )
    problems.install(app)
    app.add_middleware(BodyLimits)
    for module in (web, health, metrics, papers, resolve, check, documents, refresh):
        app.include_router(module.router)
    return app
