"""Claims stage, venues: what names a conference or journal, not a person or a title."""

from __future__ import annotations

import re

_VENUE_PREFIX = re.compile(r"^(?:in\s*:?\s+)", re.I)
# Where a venue ends: a comma, a parenthesis or bracket, a number (volume, pages, year), "pages".
_VENUE_END = re.compile(r",\s|\s*[(\[]|\s+\d|\.\s+\d|\s+(?:pages|pp\.|vol\.|volume)\b", re.I)
_NOT_A_VENUE = re.compile(r"arxiv|https?://|\bdoi\b|preprint", re.I)


def looks_like_venue(word: str) -> bool:
    """ "NeurIPS", "ICML", "CVPR": a conference acronym, not a surname (which has one capital)."""
    return " " not in word.strip() and sum(char.isupper() for char in word) >= 2


def venue_phrase(text: str) -> str | None:
    """The phrase a bibliography entry puts after its title, up to pages, volume, year or id
    ("in Proc. ICML, 2020" is "Proc. ICML"); None for an arXiv preprint, a URL or a DOI."""
    phrase = _VENUE_PREFIX.sub("", text.lstrip(" .,;:\"”'’)"))
    phrase = _VENUE_END.split(phrase, maxsplit=1)[0].strip(" .,;:")
    if not phrase or not phrase[:1].isalpha() or len(phrase) > 120:
        return None
    if _NOT_A_VENUE.search(phrase):
        return None
    return phrase
