"""GET /healthz answers 200 only when the database answers; errors are problem+json. /healthz and
/metrics report the local mirror's coverage and age."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from app.api import create_app
from app.db import make_engine
from app.resolve.store import utcnow
from app.runtime import build_runtime
from app.settings import Settings
from tests.mirror import record_full_harvest


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


def _scrape(client: TestClient) -> dict[str, float]:
    values = {}
    for line in client.get("/metrics").text.splitlines():
        if line.startswith("arxiv_enrich_mirror_"):
            name, value = line.rsplit(" ", 1)
            values[name] = float(value)
    return values


def test_healthz_and_metrics_say_there_is_no_mirror(db_url: str) -> None:
    app = create_app(lambda: build_runtime(Settings(database_url=db_url)))
    with TestClient(app) as client:
        health = client.get("/healthz").json()
        gauges = _scrape(client)
    assert health["mirror"] is None
    assert gauges == {"arxiv_enrich_mirror_current": 0.0}


@pytest.mark.parametrize(("age_hours", "current"), [(2.0, True), (72.0, False)])
def test_healthz_and_metrics_report_the_mirrors_coverage_and_age(db_url: str, age_hours: float,
                                                                 current: bool) -> None:
    engine = make_engine(db_url)
    through = utcnow() - timedelta(hours=age_hours)
    record_full_harvest(engine, through)
    engine.dispose()
    app = create_app(lambda: build_runtime(Settings(database_url=db_url, mirror_max_age_hours=48)))
    with TestClient(app) as client:
        health = client.get("/healthz")
        gauges = _scrape(client)
    assert health.status_code == 200
    mirror = health.json()["mirror"]
    assert datetime.fromisoformat(mirror["complete_through"]) == through
    assert mirror["age_hours"] == pytest.approx(age_hours, abs=0.1)
    assert mirror["current"] is current
    assert mirror["records"] == 0
    assert datetime.fromisoformat(mirror["full_harvest_finished_at"]) >= through
    assert gauges["arxiv_enrich_mirror_current"] == float(current)
    assert gauges["arxiv_enrich_mirror_complete_through_timestamp_seconds"] == pytest.approx(through.timestamp())
    assert gauges["arxiv_enrich_mirror_age_seconds"] == pytest.approx(age_hours * 3600, abs=360)
    assert gauges["arxiv_enrich_mirror_records"] == 0.0
