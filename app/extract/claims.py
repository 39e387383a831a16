"""Claims stage: what a unit says about the papers it cites, read by a chain of named steps.

Each step reads one kind of piece of the unit and claims a title, a label, authors, a year or a
venue for its references (ReferenceDraft.claim never overwrites what an earlier step claimed),
or adds a title reference of its own. The steps run in the order UNIT_STEPS lists (ENTRY_STEPS
for a bibliography entry); each step's docstring states its rule, and the rule itself is in
title_rules.py (title or label), trailing_claims.py (a list item's authors, year and venue) or
bibliography.py (an entry's title, authors, year and venue).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from app.extract.bibliography import parse_entry
from app.extract.candidates import ReferenceDraft
from app.extract.claims_dates import year_after
from app.extract.inline import Span
from app.extract.mojibake import MojibakeRepair
from app.extract.title_rules import (
    bold_titles,
    claim_link_text,
    is_id_link_text,
    label_before_marker,
    link_text_of,
    paper_link_titles,
    prose_titles,
    title_before_url,
    title_reference,
)
from app.extract.titles import clean_title, looks_like_title
from app.extract.trailing_claims import authors_before, claims_after, item_claims
from app.extract.unit_spans import Unit, in_link_text, leads, link_around, link_to


@dataclass(slots=True)
class Reading:
    """A unit while its claims are read: `ids`, the references its mentions made; `bolds`, the
    bold (or italic) spans still to be read as titles; `titles`, the title references made."""

    unit: Unit
    repair: MojibakeRepair
    ids: list[ReferenceDraft]
    bolds: list[Span] = field(default_factory=list)
    titles: list[ReferenceDraft] = field(default_factory=list)
    claims_from: int = -1  # where a list item's own claims start: after its title, else its reference
    title_start: int = -1  # where its title starts (claims before it are its authors), -1 for its link

    def arxiv_ids(self) -> set[str]:
        return {c.arxiv_id for c in self.ids if c.arxiv_id}


Step = Callable[[Reading], None]


def link_texts(reading: Reading) -> None:
    """The text of the link each id is the target of names its title, its label or whom it cites
    (title_rules.claim_link_text); an autolink's text is its target and names nothing."""
    unit = reading.unit
    for candidate in reading.ids:
        link = link_around(unit.links, candidate.start)
        if link is None or in_link_text(link, candidate.start) or link.text_start == link.url_start:
            continue
        leading = leads(unit.text, unit.unit_start, link.start)
        claim_link_text(candidate, link_text_of(link, unit.text, reading.repair), unit.text, link.end, leading)


def text_before_url(reading: Reading) -> None:
    """In a unit (not an entry) with one reference and no title yet, the text before a bare URL
    ("Title (https://...)", "Name: https://...") is its title or label (title_rules.title_before_url)."""
    unit, ids = reading.unit, reading.ids
    if unit.cites_one and not unit.bibliography and len(ids) == 1 and ids[0].title is None:
        title_before_url(unit, ids[0], reading.repair)


def bold_spans(reading: Reading) -> None:
    """Bold spans that read like titles and are not the text of a link to an arXiv paper; a bold
    field ("**Algorithm: A3C.**") or a bold name before an author-year citation is a label
    (title_rules.bold_titles), the rest are titles."""
    unit, repair = reading.unit, reading.repair
    bolds = [s for s in unit.bolds if looks_like_title(repair(unit.text[s.start : s.end]))]
    bolds = [span for span in bolds if not is_id_link_text(span, unit, reading.ids)]
    if bolds:
        bolds = bold_titles(unit, bolds, reading.ids, repair, unit.cites_one and len(reading.ids) == 1)
    reading.bolds = bolds


def titles_in_prose(reading: Reading) -> None:
    """A unit that cites no arXiv id may name a paper by an italic title after a cue ("See:
    *Title*") or, a list item that speaks of a paper, by its first sentence (title_rules.prose_titles)."""
    unit = reading.unit
    if not reading.ids and (unit.has_italic or unit.names_paper):
        reading.bolds = prose_titles(unit, reading.bolds, reading.repair)


def unit_title(reading: Reading) -> None:
    """A unit citing one paper with one bold title and no other title: the bold text is the
    paper's title, a bracketed year after it its year; the unit's claims start after it."""
    unit, ids, bolds = reading.unit, reading.ids, reading.bolds
    if unit.cites_one and len(reading.arxiv_ids()) == 1 and len(bolds) == 1 and ids[0].title is None:
        ids[0].title = clean_title(reading.repair(unit.text[bolds[0].start : bolds[0].end]))
        ids[0].claim(year=year_after(unit.text, bolds[0].end))
        reading.claims_from = bolds[0].end + 2
        reading.title_start = bolds[0].start - 2
        reading.bolds = []


def item_label_and_claims(reading: Reading) -> None:
    """A list item citing one paper: the text before a link that only says it is a link is its
    label (title_rules.label_before_marker); the authors, year and venue around its title are its
    claims (trailing_claims.item_claims)."""
    unit, candidate = reading.unit, reading.ids[0] if reading.ids else None
    if unit.kind != "item" or candidate is None or len(reading.arxiv_ids()) != 1:
        return
    link = link_to(unit.links, candidate.start)
    if link is not None and link.text_start != link.url_start:  # not an autolink
        first_link = unit.links[0].start
        text_start, text_end = link.text_start, link.text_end
        label_before_marker(unit.text, unit.start, candidate, text_start, text_end, first_link, reading.repair)
    item_claims(
        unit.text, unit.start, unit.end, candidate, unit.links, reading.claims_from, reading.repair, reading.title_start
    )


def bold_title_references(reading: Reading) -> None:
    """Each bold title left is a title reference of its own, with a bracketed year after it. In a
    list item that cites no arXiv id and has one such title, the text around it gives its authors
    ("- S. Lange and M. Riedmiller, **Title**, ESANN, 2010."), where the item has a link or an id."""
    unit, repair, bolds = reading.unit, reading.repair, reading.bolds
    titles = [title_reference(unit.text, span.start, span.end, repair) for span in bolds]
    if unit.kind == "item" and not reading.arxiv_ids() and len(bolds) == 1 and (reading.ids or unit.links):
        claims = claims_after(repair(unit.text[bolds[0].end + 2 : unit.end]))
        titles[0].claim(authors=authors_before(repair(unit.text[unit.start : bolds[0].start - 2])) or claims.authors)
    reading.titles.extend(titles)


def paper_sites(reading: Reading) -> None:
    """The text of a link to another paper site (doi.org, OpenReview, a .pdf, ...) that reads like
    a title is a title reference (title_rules.paper_link_titles)."""
    reading.titles.extend(paper_link_titles(reading.unit, [*reading.ids, *reading.titles], reading.repair))


def entry_claims(reading: Reading) -> None:
    """A bibliography entry's title, authors, year and venue (bibliography.parse_entry) are claims
    of its first arXiv id; without one, its quoted title is a title reference with those claims,
    else each bold title is."""
    unit, repair = reading.unit, reading.repair
    entry, offsets = repair.with_map(unit.text[unit.start : unit.end])
    claims = parse_entry(entry)
    with_id = [c for c in reading.ids if c.arxiv_id is not None]
    if with_id:
        with_id[0].claim(title=claims.title, authors=claims.authors, year=claims.year, venue=claims.venue)
    elif claims.title is not None:
        title_end = claims.title_start + claims.title_length
        start = unit.start + offsets.to_source(claims.title_start)
        title = ReferenceDraft("title", start, unit.start + offsets.to_source_end(title_end), title=claims.title)
        title.claim(authors=claims.authors, year=claims.year, venue=claims.venue)
        reading.titles.append(title)
    else:
        reading.titles.extend(title_reference(unit.text, s.start, s.end, repair) for s in reading.bolds)


# The order claims are read in: an earlier step's claim wins over a later one's.
UNIT_STEPS: tuple[Step, ...] = (
    link_texts,
    text_before_url,
    bold_spans,
    titles_in_prose,
    unit_title,
    item_label_and_claims,
    bold_title_references,
    paper_sites,
)
ENTRY_STEPS: tuple[Step, ...] = (link_texts, bold_spans, entry_claims)


def read_claims(unit: Unit, ids: list[ReferenceDraft], repair: MojibakeRepair) -> list[ReferenceDraft]:
    """The unit's references (those of its ids, then its title references) with their claims."""
    reading = Reading(unit, repair, ids)
    for step in ENTRY_STEPS if unit.bibliography else UNIT_STEPS:
        step(reading)
    return [*reading.ids, *reading.titles]
