"""Claims stage, a list item's authors, year and venue: what a reading-list line says around its
title and link ("— Ting Chen, Kaiming He (2020)", ", NeurIPS 2020", ". Ashish Vaswani, Noam Shazeer.
*NeurIPS 2017*.", " - Jacob Devlin et al. (2018)", " (2015), A. Author et al.", ", C. Blundell et
al., *arXiv*, 2016."), and before it ("M. Hausknecht and P. Stone, **Title**, ...").

The text after the title (links, code and emphasis removed) is cut into phrases at sentence
stops, dashes and the comma after "et al."; each phrase is read as an author-year citation, a
venue with its year, an author list (with an optional year before or after it), or a bare year.
The first reading of each claim wins. A single word is no author list on its own ("[Dataset]"),
nor is a conference acronym ("NIPS 2016"). The text before the title is an author list only when
the whole of it reads as one. An item with a quoted title is read as a bibliography entry.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from app.extract.bibliography import parse_entry
from app.extract.candidates import ReferenceDraft
from app.extract.claims_authors import author_year, parse_authors
from app.extract.claims_dates import YEAR
from app.extract.claims_venue import looks_like_venue
from app.extract.inline import Link
from app.extract.mojibake import MojibakeRepair

_REMOVED = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\([^)]*\)|`[^`]*`|<[^>]+>|https?://\S+|[*_\[\]]")
# Phrase stops: ". " (not after "al" or an initial), dashes, bars, semicolons, a leading comma.
_STOPS = re.compile(
    r"(?<!\bal)(?<!\b[A-Z])\.\s+|\s+[-–—|]\s+|^\s*[-–—|,:]\s*|;\s+|(?<=\bet al\.),\s*|(?<=\bet al),\s*"
)
_YEAR_AT_END = re.compile(rf"[\s,]*\(?({YEAR})\)?\.?$")
_YEAR_AT_START = re.compile(rf"^\(?({YEAR})[a-z]?\)?[\s,.:]+")
_ACRONYM = re.compile(r"[A-Z]{2,}")
_NUMBERING = re.compile(r"^\s*(?:\[\d+\]|\(\d+\)|\d+[.)])\s*")
_VENUE = re.compile(rf"^(?:in\s+)?([A-Z][\w&'.-]*(?:\s+[A-Z][\w&'.-]*){{0,5}})[\s,]+({YEAR})$")
_LONGEST = 400
_QUOTE_CHARS = frozenset('"“”„«»')


@dataclass(frozen=True, slots=True)
class TrailingClaims:
    authors: tuple[str, ...] = ()
    year: int | None = None
    venue: str | None = None


# Memoised, with a bound, for speed: this reader is most of a reading-list line's cost, and lists
# repeat their tails (the same people and years; junhyukoh's list repeats each paper under several
# topics). Measured on bench/extract_throughput.py's link-per-line list (10 MB, CPU time, shared
# machine): 1.0 MB/s without the cache, 2.2 MB/s with it, against issue 16's 2 MB/s for Markdown.
# A list whose tails never repeat gains nothing from it.
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
        elif phrase.endswith(")") and "(" not in phrase:  # ", NIPS 2016)" closing a parenthesis
            phrase = phrase[:-1].strip()
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
        if len(cited_as[0]) == 1 and "," in phrase:  # "Nature, 2015": after a title, a venue
            return None, (), cited_as[1]
        return None, cited_as[0], cited_as[1]
    leading = _YEAR_AT_START.match(phrase)
    if leading is not None:  # "(2015), A. Author et al."
        _, authors, _ = _read_phrase(phrase[leading.end() :])
        return None, authors, int(leading.group(1))
    year_match = _YEAR_AT_END.search(phrase)
    names = phrase[: year_match.start()] if year_match else phrase
    year = int(year_match.group(1)) if year_match else None
    if not names.strip(" ,.;()"):
        return None, (), year
    authors = _author_list(names.strip(" ,.;()"))
    return None, authors, year if authors else None


def _author_list(text: str) -> tuple[str, ...]:
    authors = parse_authors(text)
    if any(_ACRONYM.search(name) for name in authors):
        return ()  # "Double DQN", "NIPS": a method or a venue, not who wrote the paper
    if len(authors) == 1 and " " not in authors[0]:
        return ()  # one word alone ("[Dataset]", "Nature, 2015"): a label or a venue ("Mnih 2016" is read before)
    return authors


@lru_cache(maxsize=4096)  # the text before a title repeats as the tails do
def authors_before(text: str) -> tuple[str, ...]:
    """The authors a list item names before its title ("M. Hausknecht and P. Stone, **Title**"):
    the whole text before the title (its numbering and markup removed) must read as an author list."""
    rest = _NUMBERING.sub("", _REMOVED.sub(" ", text)).strip()
    # the list ends where the title starts: "Stone, **Title**", not "Double DQN [[3]](...)"
    if not rest.endswith((",", ".")) or len(rest) > _LONGEST:
        return ()
    rest = rest.strip(" .,;:()-–—|")
    return _author_list(rest)


def item_claims(
    text: str,
    start: int,
    end: int,
    candidate: ReferenceDraft,
    links: Sequence[Link],
    claims_from: int,
    repair: MojibakeRepair,
    title_start: int = -1,
) -> None:
    """The claims of a list item citing one paper (`claims_from`: where they start, -1 for after
    the candidate and its link; `title_start`: where its title starts, -1 for its link). A
    reading-list line: "- [Title](https://arxiv.org/abs/...) — Ting Chen, Kaiming He (2020)",
    "- **Title**. A. Author, B. Author. *NeurIPS 2017*. [[pdf]](...)", "- **Title** (2015), A.
    Author et al. [[pdf]](...)", "- M. Hausknecht and P. Stone, **Title**, arXiv, 2015. [arXiv](...)",
    or an entry with a quoted title: "- Vaswani et al. "Attention is all you need." NeurIPS 2017."."""
    if candidate.title is None and _QUOTE_CHARS.intersection(text[start:end]):
        entry = parse_entry(repair(text[start:end]))
        if entry.title is not None:
            candidate.claim(title=entry.title, authors=entry.authors, year=entry.year, venue=entry.venue)
            return
    own_links = [lk for lk in links if lk.start <= candidate.start < lk.end]
    if claims_from < 0:
        claims_from = max([candidate.end, *(lk.end for lk in own_links)])
    claims = claims_after(repair(text[claims_from:end]))
    if title_start < 0:
        title_start = min([candidate.start, *(lk.start for lk in own_links)])
    # An item that opens with its authors has its venue and year after the title ("Nature, 2015").
    # Without a title the text before the link may hold it too ("A. Author, Title, arXiv:...").
    known = candidate.title is not None and title_start > start
    before = authors_before(repair(text[start:title_start])) if known else ()
    candidate.claim(authors=before or claims.authors, year=claims.year, venue=claims.venue)
