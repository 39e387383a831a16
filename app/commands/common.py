"""What every command shares: the Typer app they register on, and the usage failure (exit 2).

The commands import this module and app/cli.py imports the commands, so the imports run one way.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Annotated, NoReturn, TypeVar

import typer

from app import __version__
from app.settings import Settings, SettingsError, load_settings

if TYPE_CHECKING:
    from app.runtime import Runtime

T = TypeVar("T")

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


def run_with(runtime: Runtime, work: Callable[[], Awaitable[T]]) -> T:
    """A command's async work in its own event loop; then its arXiv client (bound to that loop) and the
    runtime are closed, whatever happened."""

    async def closing() -> T:
        try:
            return await work()
        finally:
            await runtime.upstream.aclose()

    try:
        return asyncio.run(closing())
    finally:
        runtime.close()


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
