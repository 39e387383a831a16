"""Claims stage, a bibliography entry's title, authors, year and venue, read from free text:
'[1] A. Author, B. Author. "Title". *Venue*. 2020.'

Recognised shapes: a quoted title (straight or curly quotes) with the authors before it and the
venue and year after it (the seeds, IEEE, ACL), an APA-style "Authors (2020). Title. Venue." or
ACM-style "Authors. 2020. Title. Venue.", and a
Markdown link whose text is the title. The title may itself be a link ("[Title](url)").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.extract.claims_authors import parse_authors
from app.extract.claims_dates import YEAR, find_year
from app.extract.claims_venue import venue_phrase
from app.extract.titles import clean_title, looks_like_title

_QUOTED = re.compile(r"(?<![\w])[\"“„«]\s*(?P<title>[^\"“”„«»]{4,}?)\s*[\"”»]")
# APA's "Authors (2020). Title." and ACM's (pandoc's default) "Authors. 2020. Title."
_APA = re.compile(
    rf"^(?P<authors>[^()]{{3,}}?)\s*(?:\(\s*(?P<year>{YEAR})[a-z]?\s*\)|(?<=\.)\s*(?P<acm_year>{YEAR})[a-z]?(?=\.))"
    rf"\s*[.,]?\s*(?P<title>[^.?!]{{4,}}[?!]?)"
)
_AUTHORS_YEAR = re.compile(rf"^(?P<authors>[^()\"“”]{{3,}}?),\s+(?P<year>{YEAR})[a-z]?(?=[,.]|$)")
_BRACKETED_YEAR = re.compile(rf"\(({YEAR})[a-z]?\)")
_MD_LINK = re.compile(r"\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(?<!\w)[*_]{1,2}|[*_]{1,2}(?!\w)")


@dataclass(frozen=True, slots=True)
class EntryClaims:
    """What one entry says; `title_start` is the title's offset within the entry text, or -1."""

    title: str | None
    title_start: int
    title_length: int
    authors: tuple[str, ...]
    year: int | None
    venue: str | None


def parse_entry(entry: str) -> EntryClaims:
    """The claims of one bibliography entry (its text without the "[1]" marker)."""
    plain, starts = _without_link_targets(entry)
    quoted = _QUOTED.search(plain)
    # a bold title inside the quotes ("**Title**.") is still the quoted title
    bold = len(quoted.group("title")) - len(quoted.group("title").lstrip("*_")) if quoted else 0
    if quoted and looks_like_title(_EMPHASIS.sub("", quoted.group("title"))):
        title = clean_title(_EMPHASIS.sub("", quoted.group("title")))
        authors = parse_authors(_EMPHASIS.sub("", plain[: quoted.start()]).strip(" ,.:;"))
        after = plain[quoted.end() :]
        return EntryClaims(
            title,
            starts[quoted.start("title") + bold],
            len(quoted.group("title")[bold:].rstrip(" ,.;:*_")),
            authors,
            _entry_year(after) or find_year(plain),
            _venue(after),
        )
    apa = _APA.match(plain)
    if apa and looks_like_title(apa.group("title")):
        authors = parse_authors(apa.group("authors"))
        if authors:
            after = plain[apa.end() :]
            return EntryClaims(
                clean_title(apa.group("title")),
                starts[apa.start("title")],
                len(apa.group("title")),
                authors,
                int(apa.group("year") or apa.group("acm_year")),
                _venue(after),
            )
    link = _MD_LINK.search(entry)
    if link is not None and link.start() > 0:  # "P. Bojanowski*, E. Grave*, [*Title*](https://arxiv.org/...)"
        authors = parse_authors(entry[: link.start()].strip(" ,.:;"))
        if authors:
            return EntryClaims(None, -1, 0, authors, find_year(plain), None)
    names = _AUTHORS_YEAR.match(plain)
    if names:  # MNRAS and other astronomy styles: "He K., Zhang X., 2015, arXiv preprint ..."
        authors = parse_authors(names.group("authors"))
        if authors:
            return EntryClaims(None, -1, 0, authors, int(names.group("year")), None)
    return EntryClaims(None, -1, 0, (), find_year(plain), None)


def _entry_year(after_title: str) -> int | None:
    """The year after a title: one in parentheses first ("15.1 (2014): 1929-1958" has pages that
    read as years), else the last one."""
    bracketed = _BRACKETED_YEAR.search(after_title)
    return int(bracketed.group(1)) if bracketed else find_year(after_title)


def _without_link_targets(entry: str) -> tuple[str, list[int]]:
    """The entry with "[text](url)" reduced to "text", and each kept character's original offset."""
    kept: list[str] = []
    starts: list[int] = []
    cursor = 0
    for match in _MD_LINK.finditer(entry):
        kept.append(entry[cursor : match.start()])
        starts.extend(range(cursor, match.start()))
        kept.append(match.group(1))
        starts.extend(range(match.start(1), match.end(1)))
        cursor = match.end()
    kept.append(entry[cursor:])
    starts.extend(range(cursor, len(entry) + 1))
    return "".join(kept), starts


def _venue(after_title: str) -> str | None:
    """The venue right after the title ("*ICML*. 2020", "in Proc. ICML, 2020", "Phys. Rev. Lett. 116")."""
    return venue_phrase(_EMPHASIS.sub("", after_title))
