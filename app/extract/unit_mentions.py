"""Mentions stage of a unit: the arXiv ids, URLs and DOIs it cites, one reference draft each.

What counts as a mention is arxiv_mentions.py's (the id grammar of clients/arxiv/ids.py); here a
unit's mentions become its references: a link whose text repeats its own target's id cites once,
and a unit that cites one paper cites each id once however many links it has to it.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.extract.arxiv_mentions import IdHints, IdMention, find_mentions
from app.extract.candidates import ReferenceDraft
from app.extract.unit_spans import Unit, in_link_text, link_around


def id_references(unit: Unit, hints: IdHints) -> list[ReferenceDraft]:
    """The references the unit's ids make, in document order."""
    mentions = _mentions(unit, hints)
    found = [ReferenceDraft.from_mention(m) for m in mentions if not _repeats_its_target(unit, m, mentions)]
    return one_per_id(found) if unit.cites_one else found


def _mentions(unit: Unit, id_hints: IdHints) -> list[IdMention]:
    """The unit's ids. When every place an id could be lies in a link target (a reading-list
    line), only the targets are scanned."""
    text, start, end, bibliography = unit.text, unit.start, unit.end, unit.bibliography
    hints = id_hints.between(start, end)
    targets = [(link.url_start, link.url_end) for link in unit.links]
    if targets and _all_within(hints, targets):
        mentions: list[IdMention] = []
        for a, b in targets:
            if any(a <= hint < b for hint in hints):
                mentions.extend(find_mentions(text, a, b, bibliography=bibliography, hinted=True))
        return mentions
    return find_mentions(text, start, end, bibliography=bibliography, hinted=True)


def _all_within(hints: Sequence[int], targets: list[tuple[int, int]]) -> bool:
    return all(any(a <= hint < b for a, b in targets) for hint in hints)


def _repeats_its_target(unit: Unit, mention: IdMention, mentions: list[IdMention]) -> bool:
    """ "[arXiv:2002.05709](https://arxiv.org/abs/2002.05709)": an id in a link's text that its
    target names too is the same citation. An autolink's text is its target: the id there counts."""
    link = link_around(unit.links, mention.start)
    if link is None or not in_link_text(link, mention.start):
        return False
    return any(m.arxiv_id == mention.arxiv_id and link.url_start <= m.start < link.url_end for m in mentions)


def one_per_id(found: list[ReferenceDraft]) -> list[ReferenceDraft]:
    """Each id once: the first reference to it."""
    seen: set[str] = set()
    kept: list[ReferenceDraft] = []
    for candidate in found:
        if candidate.arxiv_id is not None:
            if candidate.arxiv_id in seen:
                continue
            seen.add(candidate.arxiv_id)
        kept.append(candidate)
    return kept
