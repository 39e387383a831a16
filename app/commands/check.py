"""`arxiv-enrich check PATH...`: the link-checker-style gate for CI."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from app.commands.common import cli, fail, run_with, settings_or_fail


class OutputFormat(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"
    html = "html"
    sarif = "sarif"


class FailOn(StrEnum):
    broken = "broken"
    warning = "warning"
    never = "never"


def _read(path: str, max_bytes: int) -> bytes:
    try:
        if path == "-":
            data = sys.stdin.buffer.read(max_bytes + 1)
        else:
            target = Path(path)
            if target.is_dir():
                fail(f"{path}: is a directory; name the files to check")
            with target.open("rb") as handle:
                data = handle.read(max_bytes + 1)
    except OSError as exc:
        fail(f"{path}: cannot read: {exc.strerror or exc}")
    if len(data) > max_bytes:
        fail(f"{path}: larger than MAX_DOCUMENT_BYTES ({max_bytes} bytes)")
    return data


@cli.command()
def check(
    paths: Annotated[list[str], typer.Argument(help="Files to check; - reads standard input.")],
    format: Annotated[OutputFormat, typer.Option("--format", "-f", help="Report format.")] = OutputFormat.text,
    fail_on: Annotated[FailOn, typer.Option(help="Exit 1 when a reference reaches this status.")] = FailOn.broken,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the report here.")] = None,
    offline: Annotated[bool, typer.Option(help="Never contact arXiv; what the cache lacks is unverified.")] = False,
) -> None:
    """Check the paper references in documents; exit 1 when one is broken (see --fail-on)."""
    from app.check.render import exit_code, render
    from app.extract import ExtractionError, extract
    from app.pipeline import check_document
    from app.runtime import build_runtime

    settings = settings_or_fail()
    contents = [(path, _read(path, settings.max_document_bytes)) for path in paths]
    documents = []
    for path, data in contents:
        try:
            documents.append(extract(data, name=None if path == "-" else Path(path).name))
        except ExtractionError as exc:
            fail(f"{path}: {exc}")
    runtime = build_runtime(settings)
    err = Console(stderr=True)

    async def run_all() -> list:  # type: ignore[type-arg]
        reports = []
        show = len(documents) > 1 and err.is_terminal
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=err, disable=not show, transient=True) as progress:
            task = progress.add_task("checking", total=len(documents))
            for (path, _), document in zip(contents, documents, strict=True):
                progress.update(task, description=f"checking {path}")
                reports.append(await check_document(runtime, document, offline=offline))
                progress.advance(task)
        return reports

    reports = run_with(runtime, run_all)
    color = output is None and Console().is_terminal
    text = render(reports, format.value, paths=[p for p, _ in contents], color=color)
    if output is not None:
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as exc:
            fail(f"{output}: cannot write: {exc.strerror or exc}")
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    raise typer.Exit(exit_code(reports, fail_on.value))
