"""`arxiv-enrich resolve REFERENCE...`: what arXiv says an id, URL, DOI or title is."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated

import typer

from app.commands.common import cli, fail, run_with, settings_or_fail


class ResolveFormat(StrEnum):
    text = "text"
    json = "json"


@cli.command()
def resolve(
    references: Annotated[list[str], typer.Argument(help="arXiv ids, URLs, DOIs or titles.")],
    format: Annotated[ResolveFormat, typer.Option("--format", "-f")] = ResolveFormat.text,
    offline: Annotated[bool, typer.Option(help="Answer from the cache only.")] = False,
) -> None:
    """Resolve references against arXiv (cache first) and print what they are."""
    from app.pipeline import MalformedReference, resolve_many
    from app.runtime import build_runtime
    from app.schemas import ResolveOut

    settings = settings_or_fail()
    runtime = build_runtime(settings)

    async def run_all() -> list[ResolveOut | MalformedReference]:
        # All at once: the ids share upstream requests (ARXIV_BATCH_SIZE a request).
        return await resolve_many(runtime, references, offline=offline)

    results = run_with(runtime, run_all)
    answers = [a for a in results if isinstance(a, ResolveOut)]
    malformed = [a for a in results if isinstance(a, MalformedReference)]
    if format is ResolveFormat.json:
        typer.echo(json.dumps([a.model_dump(mode="json") if isinstance(a, ResolveOut)
                               else {"query": q.strip(), "kind": "arxiv_id", "status": "malformed", "reason": str(a)}
                               for q, a in zip(references, results, strict=True)], indent=2))
    else:
        for query, result in zip(references, results, strict=True):
            if isinstance(result, MalformedReference):
                typer.echo(f"{query.strip()}\n  malformed: {result}")
                continue
            answer = result
            best = answer.candidates[0] if answer.candidates and answer.status == "found" else None
            if best is not None:
                authors = ", ".join(best.authors[:3]) + (" et al." if len(best.authors) > 3 else "")
                typer.echo(f"{answer.query}\n  {answer.status} ({answer.confidence:.2f}): "
                           f"arXiv:{best.arxiv_id} {best.title} — {authors} ({best.published.year})")
            else:
                typer.echo(f"{answer.query}\n  {answer.status}" + (f": {answer.reason}" if answer.reason else ""))
                for candidate in answer.candidates[:3]:
                    typer.echo(f"    candidate ({candidate.confidence:.2f}): arXiv:{candidate.arxiv_id} "
                               f"{candidate.title}")
    if malformed:
        # The others are printed above; the exit status still says the input was bad.
        fail(str(malformed[0]) + (f" (and {len(malformed) - 1} more)" if len(malformed) > 1 else ""))
    # Like a link checker: 1 when any reference did not resolve to exactly one paper.
    raise typer.Exit(0 if all(a.status == "found" for a in answers) else 1)
