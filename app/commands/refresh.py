"""`arxiv-enrich refresh`: one refresh pass, for cron or a Kubernetes CronJob."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from app.commands.common import cli, run_with, settings_or_fail


@cli.command()
def refresh(
    stale_only: Annotated[bool, typer.Option("--stale-only", help="Only papers older than CACHE_TTL_HOURS.")] = False,
    limit: Annotated[int | None, typer.Option(min=1, help="At most this many papers.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the pass's figures as JSON.")] = False,
) -> None:
    """Re-fetch cached papers (oldest first), record what changed, re-check the documents citing them."""
    from app.jobs.refresh import PassResult, run_pass
    from app.runtime import build_runtime

    runtime = build_runtime(settings_or_fail())

    async def once() -> PassResult:
        return await run_pass(runtime, stale_only=stale_only, limit=limit)

    result = run_with(runtime, once)
    if as_json:
        typer.echo(json.dumps(result.__dict__))
    else:
        typer.echo(f"refresh pass {result.pass_id} {result.status}: {result.papers_checked} papers checked, "
                   f"{result.papers_changed} changed, {result.documents_rechecked} documents re-checked "
                   f"in {result.seconds:.1f} s" + (f" ({result.error})" if result.error else ""))
    # An interrupted pass is not bad usage; cron should still see it failed.
    raise typer.Exit(0 if result.status == "finished" else 1)
