"""The database engine and sessions: SQLite (WAL, foreign keys on) by default, PostgreSQL for teams."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, create_engine


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets the API read while a check or a refresh writes; NORMAL is safe under WAL.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # Writers from several processes (CLI beside the server) wait instead of failing at once.
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def sqlite_folder_problem(url: str) -> str | None:
    """Why a SQLite URL's file cannot be made (its folder is missing), or None.

    A typo in DATABASE_URL must not silently create a tree of folders and an empty database."""
    parsed = make_url(url)
    database = parsed.database or ""
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:" or database.startswith("file:"):
        return None
    folder = Path(database).expanduser().parent
    if not folder.is_dir():
        return f"the folder {folder} does not exist (create it first, or fix the path)"
    return None


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite files get the pragmas above (their folder must exist)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        problem = sqlite_folder_problem(url)
        if problem:
            raise ValueError(problem)
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, pool_pre_ping=False
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


def ping(engine: Engine) -> None:
    """Raise unless the database answers a trivial query."""
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A unit of work owned by the caller's boundary (a request, a command, a job pass)."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
