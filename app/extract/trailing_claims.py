"""What a reading-list line says around its title and link: "— Ting Chen, Kaiming He (2020)",
", NeurIPS 2020", ". Ashish Vaswani, Noam Shazeer. *NeurIPS 2017*.", " - Jacob Devlin et al. (2018)".

The text after the title (links, code and emphasis removed) is cut into phrases at sentence
stops and dashes; each phrase is read as an author-year citation, a venue with its year, an author
list (with an optional year), or a bare year. The first reading of each claim wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from app.extract.claims import YEAR, author_year, looks_like_venue, parse_authors

_REMOVED = re.compile(r"!?\[[^\]]*\]\([^)]*\)|`[^`]*`|<[^>]+>|https?://\S+|[*_\[\]]")
# Phrase stops: ". " (not after "al" or an initial), dashes, bars, semicolons, a leading comma.
_STOPS = re.compile(r"(?<!\bal)(?<!\b[A-Z])\.\s+|\s+[-–—|]\s+|^\s*[-–—|,:]\s*|;\s+")
_YEAR_AT_END = re.compile(rf"[\s,]*\(?({YEAR})\)?\.?$")
_VENUE = re.compile(rf"^(?:in\s+)?([A-Z][\w&'.-]*(?:\s+[A-Z][\w&'.-]*){{0,5}})[\s,]+({YEAR})$")
_LONGEST = 400


@dataclass(frozen=True, slots=True)
class TrailingClaims:
    authors: tuple[str, ...] = ()
    year: int | None = None
    venue: str | None = None


# Pure, and called per reference on text that recurs (the same names, titles and link texts come
# back across a document and across documents): memoised, with a bound on what the cache holds.
@lru_cache(maxsize=4096)
def claims_after(text: str) -> TrailingClaims:
    """Authors, year and venue in the rest of a list item after its title or reference."""
    rest = _REMOVED.sub(" ", text)
    if len(rest) > _LONGEST or not rest.strip(" .,;:()-–—|"):
        return TrailingClaims()
    authors: tuple[str, ...] = ()
    year: int | None = None
    venue: str | None = None
    for phrase in _STOPS.split(rest):
        phrase = re.sub(r"^by\s+", "", phrase.strip(" .,;:"), flags=re.I)
        if phrase.startswith("(") and phrase.endswith(")") and phrase.count("(") == 1:
            phrase = phrase[1:-1].strip()
        if not phrase:
            continue
        found_venue, found_authors, found_year = _read_phrase(phrase)
        venue = venue or found_venue
        authors = authors or found_authors
        year = year if year is not None else found_year
    return TrailingClaims(authors, year, venue)


def _read_phrase(phrase: str) -> tuple[str | None, tuple[str, ...], int | None]:
    venue = _VENUE.match(phrase)
    if venue is not None and looks_like_venue(venue.group(1).split()[0]):
        return f"{venue.group(1)} {venue.group(2)}", (), None
    cited_as = author_year(phrase)
    if cited_as is not None:
        return None, cited_as[0], cited_as[1]
    year_match = _YEAR_AT_END.search(phrase)
    names = phrase[: year_match.start()] if year_match else phrase
    year = int(year_match.group(1)) if year_match else None
    if not names.strip(" ,.;()"):
        return None, (), year
    authors = parse_authors(names.strip(" ,.;"))
    return None, authors, year if authors else None
