"""`arxiv-enrich mirror`: a full OAI-PMH harvest into the papers table, resumable and polite."""

from __future__ import annotations

import json
import re
import sys
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

from app.commands.common import cli, fail, run_with, settings_or_fail

if TYPE_CHECKING:
    from app.jobs.mirror import HarvestState, Window

# Exit status: 0 finished, 1 arXiv gave up (the window is left resumable), 2 bad usage,
# 3 another live worker holds the window.
EXIT_INTERRUPTED = 1
EXIT_BUSY = 3
# OAI-PMH setSpecs: "cs", "physics:hep-th", "math:math:NA", "cs:cs:AI".
_SET = re.compile(r"[A-Za-z][A-Za-z0-9.-]*(:[A-Za-z0-9.-]+)*")


def _day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        if len(value) != 10:
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        fail(f"{option} {value!r}: not a date (YYYY-MM-DD; OAI-PMH days, UTC)")


def _window(from_: str | None, until: str | None, set_: str | None) -> Window:
    from app.jobs.mirror import Window

    start, end = _day(from_, "--from"), _day(until, "--until")
    if start and end and start > end:
        fail(f"--from {start} is after --until {end}")
    if set_ is not None and not _SET.fullmatch(set_.strip()):
        fail(f"--set {set_!r}: not an OAI-PMH set (like cs, physics:hep-th or cs:cs:AI)")
    return Window(set_spec=(set_ or "").strip(), from_date=start, until_date=end)


def _figures(state: HarvestState, today: date) -> dict[str, Any]:
    from app.jobs.mirror import seconds_left

    eta = seconds_left(state, today)
    return {"harvest": state.harvest_id, "status": state.status, "pages": state.pages, "records": state.records,
            "deleted": state.deleted, "pages_this_run": state.pages_this_run,
            "records_this_run": state.records_this_run, "rate": round(state.rate, 1),
            "last_datestamp": state.last_datestamp.isoformat() if state.last_datestamp else None,
            "eta_seconds": None if eta is None else round(eta, 1)}


def _eta_text(seconds: float | None) -> str:
    if seconds is None:
        return "left: ?"
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"left: {hours}:{minutes:02d}:{secs:02d}"


_HELP = """Harvest arXiv's metadata (OAI-PMH ListRecords, arXivRaw) into the database: a local mirror.

Resumable: a harvest killed at any point goes on where it stopped when the same command runs
again, without fetching a finished page twice. Polite: ARXIV_MIN_INTERVAL between requests,
shared with every process on the same database. Without options, once a full harvest has
finished, it harvests what changed since the mirror's coverage day.

The time left is estimated from the datestamp reached between --from (or 2005-09-16, arXiv's
earliest) and --until (or today), at this run's pace: arXiv's OAI-PMH gives no list size, and
bulk updates crowd some days, so it is a rough guide (the server's completeListSize is used
where it gives one). Exit status: 0 finished, 1 arXiv gave up (run again to continue),
2 bad usage, 3 another worker is harvesting this window."""


def _paragraphs(text: str) -> str:
    # The terminal wraps the help; the source's line breaks would show as ragged lines.
    return "\n\n".join(" ".join(part.split()) for part in text.split("\n\n"))


@cli.command(help=_paragraphs(_HELP))
def mirror(
    from_: Annotated[str | None, typer.Option("--from", metavar="DATE",
                                              help="First datestamp (YYYY-MM-DD); default: arXiv's earliest.")] = None,
    until: Annotated[str | None, typer.Option("--until", metavar="DATE",
                                              help="Last datestamp (YYYY-MM-DD); default: up to now.")] = None,
    set_: Annotated[str | None, typer.Option("--set", metavar="SET",
                                             help="An OAI-PMH set: cs, physics:hep-th, cs:cs:AI.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="A JSON object per page on stdout, then a summary.")] = False,
) -> None:
    """Harvest arXiv's metadata into the database (the help text is _HELP)."""
    from app.db import session_scope
    from app.jobs.mirror import Window, WindowBusy, harvest_window, seconds_left
    from app.resolve.mirror_coverage import read_coverage
    from app.runtime import build_runtime

    window = _window(from_, until, set_)
    runtime = build_runtime(settings_or_fail())
    err = Console(stderr=True)
    if window == Window():
        with session_scope(runtime.engine) as session:
            coverage = read_coverage(session)
        if coverage is not None:
            window = Window(from_date=coverage.complete_through.date())
            err.print(f"The mirror is complete through {coverage.complete_through.isoformat(timespec='seconds')}: "
                      f"harvesting what changed {window.describe()}.", highlight=False)
    today = datetime.now(UTC).date()
    progress = Progress(TextColumn("[bold]mirror"), BarColumn(), TaskProgressColumn(),
                        TextColumn("{task.fields[records]:,} records · {task.fields[pages]:,} pages · "
                                   "{task.fields[rate]:,.0f} records/s · {task.fields[eta]}"),
                        TimeElapsedColumn(), console=err, disable=as_json or not err.is_terminal)
    task = progress.add_task("mirror", total=1.0, records=0, pages=0, rate=0.0, eta="left: ?")

    def on_page(state: HarvestState) -> None:
        from app.jobs.mirror import fraction_done

        if as_json:
            print(json.dumps(_figures(state, today)), flush=True)
            return
        done = 1.0 if state.status == "finished" else fraction_done(state, state.last_datestamp, state.records, today)
        progress.update(task, completed=done,
                        records=state.records, pages=state.pages, rate=state.rate,
                        eta=_eta_text(seconds_left(state, today)))

    async def work() -> HarvestState:
        with progress:
            return await harvest_window(runtime, window, on_page=on_page)

    try:
        state = run_with(runtime, work)
    except WindowBusy as exc:
        print(f"arxiv-enrich: {exc}; it goes on there (run this again once that worker has stopped)",
              file=sys.stderr)
        raise typer.Exit(EXIT_BUSY) from None
    if state.taken_over_from:
        err.print(f"(took the harvest over from {state.taken_over_from}, which had stopped)", highlight=False)
    if as_json:
        print(json.dumps({**_figures(state, today), "summary": True, "set": window.set_spec or None,
                          "from": window.from_date.isoformat() if window.from_date else None,
                          "until": window.until_date.isoformat() if window.until_date else None,
                          "seconds": round(state.seconds, 2), "coverage_moved": state.coverage_moved,
                          "error": state.error}))
    if state.status != "finished":
        print(f"arxiv-enrich: mirror harvest {state.harvest_id} {state.status}: {state.error}; "
              f"{state.records:,} records in {state.pages:,} pages so far, kept "
              "(run the same command again to continue)", file=sys.stderr)
        raise typer.Exit(EXIT_INTERRUPTED)
    if not as_json:
        typer.echo(f"mirror harvest {state.harvest_id} finished ({window.describe()}): {state.records:,} records "
                   f"and {state.deleted:,} deleted in {state.pages:,} pages; this run {state.records_this_run:,} "
                   f"records in {state.seconds:.1f} s ({state.rate:,.0f} records/s)")
