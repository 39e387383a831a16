"""Databases for the tests: a temporary SQLite file, and PostgreSQL in a schema of its own.

Every database test runs on both. Schemas are made by the Alembic migrations, never create_all.
Each test run on PostgreSQL works in a schema named after a fresh UUID, so two runs (two developers,
CI beside a session) never collide.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from app import migrate
from app.db import make_engine

PG_HOST = os.environ.get("TEST_PG_HOST", "127.0.0.1")
PG_PORT = int(os.environ.get("TEST_PG_PORT", "5432"))
PG_DB = os.environ.get("TEST_PG_DATABASE", "test")
PG_USER = os.environ.get("TEST_PG_USER", "")


def _pg_dsn() -> str:
    user = f"user={PG_USER} " if PG_USER else ""
    return f"host={PG_HOST} port={PG_PORT} dbname={PG_DB} {user}connect_timeout=3"


def postgres_unavailable_reason() -> str | None:
    """None when PostgreSQL answers; otherwise the one-line reason the PostgreSQL half is skipped."""
    try:
        with psycopg.connect(_pg_dsn()) as connection:
            connection.execute("SELECT 1")
    except psycopg.Error as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return (f"PostgreSQL at {PG_HOST}:{PG_PORT}/{PG_DB} does not answer ({first}); "
                "the PostgreSQL half of the database tests is skipped")
    return None


def pg_url(schema: str) -> str:
    user = f"{quote(PG_USER)}@" if PG_USER else ""
    options = quote(f"-csearch_path={schema}")
    return f"postgresql+psycopg://{user}{PG_HOST}:{PG_PORT}/{PG_DB}?options={options}"


def create_pg_schema() -> str:
    schema = f"t_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(_pg_dsn(), autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
    return schema


def drop_pg_schema(schema: str) -> None:
    with psycopg.connect(_pg_dsn(), autocommit=True) as connection:
        connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@dataclass
class MigratedTemplate:
    """A migrated database made once per session and backend; tests get clean copies of it."""

    backend: str
    url: str
    sqlite_file: Path | None = None


def make_template(backend: str, tmp_root: Path) -> MigratedTemplate:
    if backend == "sqlite":
        path = tmp_root / "template.db"
        url = f"sqlite:///{path}"
        engine = make_engine(url)
        migrate.upgrade(engine)
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        engine.dispose()
        return MigratedTemplate(backend, url, sqlite_file=path)
    schema = create_pg_schema()
    url = pg_url(schema)
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    return MigratedTemplate(backend, url)


def fresh_copy(template: MigratedTemplate, tmp_path: Path) -> str:
    """A URL to a clean, migrated database for one test."""
    if template.sqlite_file is not None:
        target = tmp_path / "test.db"
        shutil.copyfile(template.sqlite_file, target)
        return f"sqlite:///{target}"
    engine = make_engine(template.url)
    tables = [t.name for t in SQLModel.metadata.sorted_tables]
    with engine.begin() as connection:
        existing = {
            row[0]
            for row in connection.execute(
                text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
            )
        }
        wipe = [f'"{name}"' for name in tables if name in existing]
        if wipe:
            connection.execute(text(f"TRUNCATE {', '.join(wipe)} RESTART IDENTITY CASCADE"))
    engine.dispose()
    return template.url


def dispose_template(template: MigratedTemplate) -> None:
    if template.backend == "postgresql":
        drop_pg_schema(template.url.rsplit("%3D", 1)[1])


def empty_database(backend: str, tmp_path: Path) -> Iterator[Engine]:
    """An engine on a database with no schema at all, for the migration tests."""
    if backend == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
        yield engine
        engine.dispose()
        return
    schema = create_pg_schema()
    engine = make_engine(pg_url(schema))
    try:
        yield engine
    finally:
        engine.dispose()
        drop_pg_schema(schema)


def skip_unless_backend(backend: str) -> None:
    if backend == "postgresql":
        reason = postgres_unavailable_reason()
        if reason:
            pytest.skip(reason)
