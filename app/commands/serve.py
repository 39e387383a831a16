"""`arxiv-enrich serve`: the HTTP API."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from app.commands.common import cli, settings_or_fail
from app.settings import Settings

H11_MAX_EVENT = 256 * 1024


def server_options(settings: Settings) -> dict[str, Any]:
    """uvicorn's options as `serve` runs it (the hostile-input tests start their servers alike)."""
    return {
        "proxy_headers": True,
        # Long query strings (GET /v1/papers?ids=…) get a 4xx with a reason, not a dropped line.
        "h11_max_incomplete_event_size": H11_MAX_EVENT,
        # Slow clients: an idle kept-alive connection is closed after KEEP_ALIVE_TIMEOUT (bodies
        # have BODY_TIMEOUT, in app/api/limits.py), and past MAX_CONNECTIONS a new connection or
        # request gets 503 instead of holding a socket open.
        "timeout_keep_alive": settings.keep_alive_timeout,
        "limit_concurrency": settings.max_connections,
    }


@cli.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
) -> None:
    """Serve the HTTP API (OpenAPI at /docs); migrates a SQLite database by itself."""
    import uvicorn

    from app.api import create_app
    from app.runtime import build_runtime

    settings = settings_or_fail()
    # Fail here, with one line, rather than inside the server's lifespan with a traceback.
    build_runtime(settings).close()
    uvicorn.run(create_app(lambda: build_runtime(settings)), host=host, port=port, log_level="info",
                **server_options(settings))
