"""What every command shares: the Typer app they register on, and the usage failure (exit 2).

The commands import this module and app/cli.py imports the commands, so the imports run one way.
"""

from __future__ import annotations

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
