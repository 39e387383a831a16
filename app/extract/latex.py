"""References in LaTeX bibliographies: \\bibitem entries of a .tex file or a BibTeX-made .bbl.

An entry is the text from one \\bibitem to the next (or to \\end{thebibliography}). Entries
written by BibTeX styles split authors, title and venue with \\newblock; hand-written ones are
read like any free-text bibliography entry (quoted title, authors before it, venue after it).
"""

from __future__ import annotations

import re

from app.extract.arxiv_mentions import find_mentions
from app.extract.bibliography import parse_entry
from app.extract.candidates import ReferenceDraft
from app.extract.claims_authors import parse_authors
from app.extract.claims_dates import find_year
from app.extract.claims_venue import venue_phrase
from app.extract.latex_text import latex_to_text
from app.extract.mojibake import NO_REPAIR, MojibakeRepair
from app.extract.titles import clean_title, looks_like_title

_BIBITEM = re.compile(r"\\bibitem\s*(?:\[(?:[^\[\]]|\[[^\]]*\])*\])?\s*\{[^}]*\}")
_END = re.compile(r"\\end\s*\{thebibliography\}")
_NEWBLOCK = re.compile(r"\\newblock\b")
_COMMENT = re.compile(r"(?<!\\)%[^\n]*")


def read_latex(text: str, repair: MojibakeRepair = NO_REPAIR) -> list[ReferenceDraft]:
    items = list(_BIBITEM.finditer(text))
    found: list[ReferenceDraft] = []
    for number, item in enumerate(items):
        end = items[number + 1].start() if number + 1 < len(items) else len(text)
        closing = _END.search(text, item.end(), end)
        found.append(_entry(text, item.start(), item.end(), closing.start() if closing else end, repair))
    return found


def _entry(text: str, start: int, body_start: int, end: int, repair: MojibakeRepair) -> ReferenceDraft:
    body = repair(text[body_start:end])
    mentions = [m for m in find_mentions(text, body_start, end, bibliography=True) if not _in_comment(text, m.start)]
    candidate = ReferenceDraft.from_mention(mentions[0]) if mentions else ReferenceDraft("bib_entry", start, body_start)
    title, authors, venue = _claims(_COMMENT.sub("", body))
    candidate.claim(title=title, authors=authors, year=find_year(latex_to_text(body)), venue=venue)
    return candidate


def _claims(body: str) -> tuple[str | None, tuple[str, ...], str | None]:
    blocks = [latex_to_text(block) for block in _NEWBLOCK.split(body)]
    if len(blocks) >= 3:
        title = clean_title(blocks[1])
        venue = venue_phrase(blocks[2])
        return (title if looks_like_title(title) else None), parse_authors(blocks[0]), venue
    claims = parse_entry(latex_to_text(body))
    return claims.title, claims.authors, claims.venue


def _in_comment(text: str, offset: int) -> bool:
    line_start = text.rfind("\n", 0, offset) + 1
    return _COMMENT.search(text, line_start, offset) is not None
