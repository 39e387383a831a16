"""The titles of a paper's earlier versions, for citations that quote one.

Papers are renamed between versions, and a list written at the time quotes the title it saw,
sometimes with a link pinned to that version. When a cited title is not the latest one's, the
earlier versions' entries are asked of arXiv (`id_list` with `vN`: arXiv answers each version with
its own title and date), a document's needs together through the id fetcher's batches, and kept in
the lookup cache. A document whose titles all match asks nothing.

What could not be read is said on the resolution (`earlier_titles_missing`), never guessed: the
check then cannot rule out an earlier title and does not call the title broken.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence
from dataclasses import replace

from sqlalchemy.engine import Engine

from app.db import session_scope
from app.resolve import store
from app.resolve.fetcher import IdFetcher
from app.resolve.ids import over_budget_reason
from app.resolve.model import Resolution, VersionTitle
from app.resolve.title_match import TITLE_SAME, title_score
from clients.arxiv import Found, UpstreamUnavailable, parse_id


def earlier_versions_needed(cited_title: str | None, resolution: Resolution) -> tuple[int, ...]:
    """The versions whose titles the check needs: all before the latest, when the cited title is
    not the latest one's; none otherwise."""
    paper = resolution.paper
    if resolution.status != "found" or paper is None or not cited_title or paper.version < 2:
        return ()
    if title_score(cited_title, paper.title) >= TITLE_SAME:
        return ()
    return tuple(range(1, paper.version))


def _read(engine: Engine, wanted: Iterable[tuple[str, int]]) -> dict[tuple[str, int], VersionTitle]:
    with session_scope(engine) as session:
        return store.get_version_titles(session, wanted)


async def add_earlier_titles(cited_titles: Sequence[str | None], resolutions: Sequence[Resolution], *,
                             engine: Engine, fetcher: IdFetcher | None,
                             upstream_limit: int | None = None) -> list[Resolution]:
    """`resolutions` with the earlier versions' titles attached where the check needs them. At most
    `upstream_limit` versions go to arXiv (the request's share of MAX_UPSTREAM_IDS); the rest are
    said to be missing, so their titles are never called broken."""
    needs = {i: earlier_versions_needed(title, resolution)
             for i, (title, resolution) in enumerate(zip(cited_titles, resolutions, strict=True))}
    needs = {i: versions for i, versions in needs.items() if versions}
    if not needs:
        return list(resolutions)
    wanted = {(resolutions[i].paper.arxiv_id, v) for i, versions in needs.items()  # type: ignore[union-attr]
              for v in versions}
    known = await asyncio.to_thread(_read, engine, wanted)
    missing = sorted(wanted - known.keys())
    failures: dict[tuple[str, int], str] = {}
    if upstream_limit is not None and len(missing) > upstream_limit:
        reason = over_budget_reason(upstream_limit, "versions", "MAX_UPSTREAM_IDS")
        failures = dict.fromkeys(missing[upstream_limit:], reason)
        missing = missing[:upstream_limit]
    if missing and fetcher is None:
        failures |= dict.fromkeys(missing, "offline, and not in the cache")
    elif missing:
        assert fetcher is not None
        asked = {parse_id(arxiv_id).with_version(version): (arxiv_id, version) for arxiv_id, version in missing}
        for versioned, outcome in (await fetcher.fetch(asked)).items():
            pair = asked[versioned]
            if isinstance(outcome, Found):
                known[pair] = VersionTitle(outcome.paper.version, outcome.paper.title, outcome.paper.updated)
            elif isinstance(outcome, UpstreamUnavailable):
                failures[pair] = f"arXiv could not be reached ({outcome})"
            else:
                failures[pair] = f"arXiv did not return v{pair[1]}"
    result = list(resolutions)
    for i, versions in needs.items():
        base = resolutions[i].paper.arxiv_id  # type: ignore[union-attr]
        titles = tuple(known[(base, v)] for v in versions if (base, v) in known)
        reasons = [failures[(base, v)] for v in versions if (base, v) in failures]
        result[i] = replace(resolutions[i], earlier_titles=titles,
                            earlier_titles_missing=reasons[0] if reasons else None)
    return result
