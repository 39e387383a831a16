"""The command line: `arxiv-enrich serve | check | resolve | refresh | import | db upgrade`.

Exit status: 0 success, 1 when a check finds what --fail-on names, 2 for bad usage or unreadable
input, with one line on standard error.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated, NoReturn

import typer

from app import __version__
from app.settings import Settings, SettingsError, load_settings

cli = typer.Typer(
    name="arxiv-enrich",
    help="Find the paper references in documents, resolve them against arXiv, report the broken ones.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
db_cli = typer.Typer(help="Database schema.", no_args_is_help=True)
cli.add_typer(db_cli, name="db")


class UsageFailure(Exception):
    """Bad usage or unreadable input: one line on stderr, exit 2."""


def fail(message: str) -> NoReturn:
    raise UsageFailure(message)


def settings_or_fail(**overrides: object) -> Settings:
    try:
        return load_settings(**overrides)
    except SettingsError as exc:
        fail(f"bad setting: {exc}")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"arxiv-enrich {__version__}")
        raise typer.Exit()


@cli.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Find the paper references in documents, resolve them against arXiv, report the broken ones."""


def _register_commands() -> None:
    # Each command lives in its own module under app/commands/ and registers itself on `cli`.
    from app.commands import check, db, importing, refresh, resolve, serve  # noqa: F401


def main() -> None:
    """Console-script entry point: turns our usage failures and bad settings into exit 2."""
    _register_commands()
    from sqlalchemy.exc import OperationalError

    try:
        cli(standalone_mode=True)
    except UsageFailure as exc:
        print(f"arxiv-enrich: {exc}", file=sys.stderr)
        sys.exit(2)
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        print(f"arxiv-enrich: database unavailable: {reason}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:
        if os.environ.get("ARXIV_ENRICH_DEBUG"):
            raise
        print(f"arxiv-enrich: internal error: {type(exc).__name__}: {exc} "
              "(set ARXIV_ENRICH_DEBUG=1 for the traceback)", file=sys.stderr)
        sys.exit(70)
