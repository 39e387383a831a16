"""Fixtures shared by the whole suite."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from app.api import create_app
from app.db import make_engine
from app.runtime import Runtime, build_runtime
from app.settings import Settings
from tests import database
from tests.arxiv_standin.server import StandIn

# The offline arXiv stand-in registers its fixtures (a loopback server) from here.
pytest_plugins = ["tests.arxiv_standin.pytest_plugin"]

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared beside the project: real arXiv data and the seed posts. Skips where absent."""
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is absent: the real-data tests need ../shared beside the project")
    return SHARED


@pytest.fixture(scope="session", params=BACKENDS)
def db_template(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[database.MigratedTemplate]:
    backend: str = request.param
    database.skip_unless_backend(backend)
    template = database.make_template(backend, tmp_path_factory.mktemp(f"db-{backend}"))
    yield template
    database.dispose_template(template)


@pytest.fixture
def db_url(db_template: database.MigratedTemplate, tmp_path: Path) -> str:
    """A clean, migrated database for this test, on SQLite and on PostgreSQL in turn."""
    return database.fresh_copy(db_template, tmp_path)


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def empty_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An engine on a database with no tables at all, on SQLite and on PostgreSQL in turn."""
    backend: str = request.param
    database.skip_unless_backend(backend)
    yield from database.empty_database(backend, tmp_path)


@pytest.fixture
def settings_for(db_url: str, standin: StandIn) -> Callable[..., Settings]:
    """Settings on this test's database, pointed at the stand-in, with no waiting between requests."""

    def make(**overrides: object) -> Settings:
        values: dict[str, object] = {
            "database_url": db_url, "arxiv_api_url": standin.url, "arxiv_oai_url": standin.oai_url,
            "arxiv_min_interval": 0.0, "arxiv_max_retries": 2, "arxiv_timeout": 5.0,
            "arxiv_batch_size": 100, "api_key": "", "refresh_schedule": "",
        }
        values.update(overrides)
        return Settings(**values)  # type: ignore[arg-type]

    return make


@pytest.fixture
def runtime(settings_for: Callable[..., Settings]) -> Iterator[Runtime]:
    runtime = build_runtime(settings_for())
    yield runtime
    runtime.close()


@pytest.fixture
def api(settings_for: Callable[..., Settings]) -> Iterator[TestClient]:
    """The HTTP API on this test's database and the stand-in, through its real lifespan."""
    with TestClient(create_app(lambda: build_runtime(settings_for()))) as client:
        yield client


@pytest.fixture
def live_server(settings_for: Callable[..., Settings]) -> Iterator[Callable[..., str]]:
    """Start the real app under uvicorn on a free loopback port; returns the base URL."""
    import threading
    import time

    import uvicorn

    from app.commands.serve import server_options

    servers: list[tuple[uvicorn.Server, threading.Thread]] = []

    def start(**overrides: object) -> str:
        settings = settings_for(**overrides)
        app = create_app(lambda: build_runtime(settings))
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="critical",
                                               **server_options(settings)))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        servers.append((server, thread))
        deadline = time.monotonic() + 30
        while not server.started:
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.05)
        return f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}"

    yield start
    for server, thread in servers:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def http() -> Iterator[Callable[[str], httpx.Client]]:
    """httpx clients on a server's base URL (a real server on loopback), closed after the test."""
    clients: list[httpx.Client] = []

    def make(base: str) -> httpx.Client:
        client = httpx.Client(base_url=base, timeout=120)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()
