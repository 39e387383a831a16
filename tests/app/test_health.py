"""GET /healthz answers 200 only when the database answers; errors are problem+json."""

from __future__ import annotations

from fastapi.testclient import TestClient

from app.api import create_app
from app.runtime import build_runtime
from app.settings import Settings


def test_healthz_is_ok_when_the_database_answers(db_url: str) -> None:
    app = create_app(lambda: build_runtime(Settings(database_url=db_url)))
    with TestClient(app) as client:
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_healthz_is_503_problem_when_the_database_is_gone() -> None:
    settings = Settings(database_url="postgresql+psycopg://127.0.0.1:1/none?connect_timeout=2")
    app = create_app(lambda: build_runtime(settings, migrate_schema=False))
    with TestClient(app) as client:
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "database unavailable" in response.json()["detail"]


def test_unknown_paths_are_problem_json(db_url: str) -> None:
    app = create_app(lambda: build_runtime(Settings(database_url=db_url)))
    with TestClient(app) as client:
        response = client.get("/no/such/thing")
        docs = client.get("/docs")
        schema = client.get("/openapi.json")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    assert set(response.json()) >= {"type", "title", "status", "detail"}
    assert docs.status_code == 200
    assert "swagger" in docs.text.lower()
    assert "/healthz" in schema.json()["paths"]
