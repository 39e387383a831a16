"""`arxiv-enrich db upgrade`: bring the schema up to date."""

from __future__ import annotations

import typer

from app.commands.common import db_cli, settings_or_fail


@db_cli.command("upgrade")
def db_upgrade() -> None:
    """Bring the database schema up to date."""
    from app import migrate
    from app.db import make_engine

    settings = settings_or_fail()
    engine = make_engine(settings.database_url)
    try:
        migrate.upgrade(engine)
        typer.echo(f"database at revision {migrate.current_revision(engine)}")
    finally:
        engine.dispose()
