"""Alembic environment, wired to the SQLModel metadata of app/models.py.

app/migrate.py hands over an open connection in `config.attributes["connection"]`; the `alembic`
command line works too, with the URL taken from DATABASE_URL.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection
from sqlmodel import SQLModel

import app.models  # noqa: F401  (registers the tables on the metadata)

config = context.config
target_metadata = SQLModel.metadata


def _include_object(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    # The full-text index (FTS5 tables, the tsvector index) is raw SQL in migration 0002, not a model.
    return not (name or "").startswith(("papers_fts", "ix_papers_title_fts"))


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things in place; batch mode rebuilds tables instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_object=_include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from app.db import make_engine
    from app.settings import load_settings

    engine = make_engine(load_settings().database_url)
    with engine.connect() as connection:
        _run(connection)


if context.is_offline_mode():
    raise SystemExit("offline (SQL script) migrations are not supported; run `arxiv-enrich db upgrade`")
run_migrations_online()
