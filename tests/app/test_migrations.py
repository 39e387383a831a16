"""The schema comes from the Alembic migrations, and they run both ways on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

import app.models  # noqa: F401
from app import migrate


def _tables(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names()) - {"alembic_version"}


def test_upgrade_downgrade_upgrade_round_trips(empty_engine: Engine) -> None:
    migrate.upgrade(empty_engine)
    assert migrate.current_revision(empty_engine) == migrate.head_revision()
    assert {"papers", "lookup_cache"} <= _tables(empty_engine)

    migrate.downgrade(empty_engine, "base")
    assert migrate.current_revision(empty_engine) is None
    assert _tables(empty_engine) == set()

    migrate.upgrade(empty_engine)
    assert migrate.current_revision(empty_engine) == migrate.head_revision()


def test_migrations_build_exactly_the_models_tables(empty_engine: Engine) -> None:
    migrate.upgrade(empty_engine)
    with empty_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, SQLModel.metadata)
    # The full-text index objects are made by raw SQL in migrations and are not models.
    differences = [d for d in differences if "fts" not in repr(d) and "trgm" not in repr(d)]
    assert differences == []


def test_ensure_up_to_date_is_idempotent(empty_engine: Engine) -> None:
    migrate.ensure_up_to_date(empty_engine)
    migrate.ensure_up_to_date(empty_engine)
    assert migrate.current_revision(empty_engine) == migrate.head_revision()


def test_documents_stored_before_public_ids_get_one_each_and_keep_their_reports(empty_engine: Engine) -> None:
    from sqlalchemy import text

    migrate.upgrade(empty_engine, "0006")
    with empty_engine.begin() as connection:
        for key in (1, 2):
            connection.execute(text(
                "INSERT INTO documents (id, name, format, text, sha256, created_at) "
                "VALUES (:i, 'a.md', 'markdown', 'arXiv:1706.03762', 'x', CURRENT_TIMESTAMP)"), {"i": key})
            connection.execute(text(
                "INSERT INTO reports (document_id, is_latest, created_at, \"references\", ok, warning, broken, "
                "unresolved, unverified, body) VALUES (:i, true, CURRENT_TIMESTAMP, 1, 1, 0, 0, 0, 0, '{}')"),
                {"i": key})
    migrate.upgrade(empty_engine)
    with empty_engine.connect() as connection:
        ids = connection.execute(text("SELECT public_id FROM documents ORDER BY id")).scalars().all()
        reports = connection.execute(text("SELECT count(*) FROM reports")).scalar_one()
    assert len(ids) == 2 and len(set(ids)) == 2 and all(len(i) >= 20 for i in ids)
    assert reports == 2
    migrate.downgrade(empty_engine, "0006")
    with empty_engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM reports")).scalar_one() == 2
