"""`arxiv-enrich import SNAPSHOT...`: bulk metadata, so resolution is local and fast."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from app.commands.common import cli, fail, settings_or_fail


class SnapshotFormat(StrEnum):
    kaggle = "kaggle"
    oai = "oai"


@cli.command("import")
def import_snapshot(
    snapshots: Annotated[list[Path], typer.Argument(help="Kaggle JSON lines or OAI-PMH pages; .gz allowed.")],
    format: Annotated[SnapshotFormat | None, typer.Option("--format", "-f",
                                                          help="Default: told from the content.")] = None,
) -> None:
    """Import arXiv metadata in bulk (idempotent: importing again updates in place)."""
    from app.resolve.importer import SnapshotError, import_file
    from app.runtime import build_runtime

    for path in snapshots:
        if not path.is_file():
            fail(f"{path}: no such file")
    runtime = build_runtime(settings_or_fail())
    err = Console(stderr=True)
    try:
        for path in snapshots:
            with Progress(TextColumn("[bold]{task.description}"), BarColumn(), DownloadColumn(),
                          TextColumn("{task.fields[records]:,} records"), TimeElapsedColumn(),
                          console=err, disable=not err.is_terminal, transient=True) as progress:
                task = progress.add_task(path.name, total=path.stat().st_size, records=0)
                done = {"records": 0}

                def count(n: int, task: TaskID = task, progress: Progress = progress,
                          done: dict[str, int] = done) -> None:
                    done["records"] += n
                    progress.update(task, records=done["records"])

                try:
                    stats = import_file(runtime.engine, path,
                                        format=format.value if format else None,
                                        on_bytes=lambda n, task=task: progress.advance(task, n),  # type: ignore[misc]
                                        on_records=count)
                except SnapshotError as exc:
                    fail(str(exc))
            print(f"{path}: {stats.line()}", file=sys.stderr if not sys.stdout.isatty() else sys.stdout)
    finally:
        runtime.close()
