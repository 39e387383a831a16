"""References in BibTeX: each entry is one citation, with its title, authors, year and venue.

The arXiv id comes from the first of: eprint (when archivePrefix/eprinttype is arXiv or absent),
journal/note/howpublished ("arXiv preprint arXiv:..."), DBLP's journal = {CoRR} with
volume = {abs/...}, url, doi (10.48550/arXiv....). An entry without one is a bib_entry reference.
An eprint from another archive (archivePrefix = {ascl}, eprint = {1906.004}) is not arXiv's;
an arXiv eprint that is no valid id (eprint = {1713.00001}) is a malformed reference, not a title.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping

from bibtexparser.entrypoint import parse_string
from bibtexparser.model import Entry, ParsingFailedBlock

from app.extract.arxiv_mentions import IdMention, eprint_mentions, find_mentions
from app.extract.candidates import ReferenceDraft
from app.extract.claims_authors import bibtex_authors
from app.extract.claims_dates import find_year, parse_month
from app.extract.latex_text import latex_to_text
from app.extract.mojibake import NO_REPAIR, MojibakeRepair
from clients.arxiv import ARXIV_DOI_REGISTRANT

# bibtexparser logs every entry it cannot parse to the root logger, which reaches the user's
# terminal as an unexplained line; such entries still give their ids through _failed().
logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)

_ID_FIELDS = ("eprint", "journal", "note", "howpublished", "volume", "url", "doi", "pages", "number")
_ENTRY_HEAD = re.compile(r"@\s*\w+\s*[{(]\s*[^,\s]*")
_CHUNK = 1_000_000
_ARXIV_VENUES = re.compile(
    r"^\s*(?:arxiv\b.*|corr|arxiv e-?prints?|computing research repository(?:\s*\(corr\))?)\s*$", re.I
)


def read_bibtex(text: str, offset: int = 0, repair: MojibakeRepair = NO_REPAIR) -> list[ReferenceDraft]:
    """Every entry of a BibTeX text; offsets are shifted by `offset` (for ```bibtex blocks)."""
    found: list[ReferenceDraft] = []
    for chunk_start, chunk_end in _chunks(text):
        found.extend(_read_chunk(text, chunk_start, chunk_end, repair))
    for candidate in found:
        candidate.start += offset
        candidate.end += offset
    return found


def _chunks(text: str) -> list[tuple[int, int]]:
    """Pieces of about _CHUNK characters that end before an entry ("@" at a line start).

    bibtexparser holds a whole library of objects (several times the text); parsing a large file
    piece by piece keeps only one piece's library alive at a time.
    """
    chunks: list[tuple[int, int]] = []
    start = 0
    while start + _CHUNK < len(text):
        cut = text.find("\n@", start + _CHUNK)
        if cut < 0:
            break
        chunks.append((start, cut + 1))
        start = cut + 1
    chunks.append((start, len(text)))
    return chunks


def _read_chunk(text: str, chunk_start: int, chunk_end: int, repair: MojibakeRepair) -> list[ReferenceDraft]:
    library = parse_string(text[chunk_start:chunk_end])
    found: list[ReferenceDraft] = []
    cursor = chunk_start
    for block in library.blocks:
        raw = getattr(block, "raw", "") or ""
        start = text.find(raw, cursor, chunk_end) if raw else -1
        if start < 0:
            continue
        cursor = start + len(raw)
        if isinstance(block, Entry):
            candidate = _entry(text, start, block, repair)
            if candidate is not None:
                found.append(candidate)
        elif isinstance(block, ParsingFailedBlock):
            found.extend(_failed(text, start, raw))
    return found


def _entry(text: str, start: int, entry: Entry, repair: MojibakeRepair) -> ReferenceDraft | None:
    if entry.entry_type.lower() in ("string", "preamble", "comment"):
        return None
    fields = {field.key.lower(): str(field.value) for field in entry.fields}
    candidate = _arxiv_candidate(text, start, entry.raw or "", fields)
    if candidate is None:
        head = _ENTRY_HEAD.match(text, start)
        candidate = ReferenceDraft("bib_entry", start, head.end() if head else start + 1)
        doi = fields.get("doi", "").strip()
        candidate.doi = doi or None
    claims = {key: repair(value) for key, value in fields.items()}
    title = latex_to_text(claims.get("title", "")) or None
    venue = next((latex_to_text(claims[k]) for k in ("journal", "booktitle") if claims.get(k)), None)
    if venue is not None and _ARXIV_VENUES.match(venue):
        venue = None
    year = find_year(fields.get("year", "") or fields.get("date", ""))
    month = _month(fields.get("month", "")) or _month_of_date(fields.get("date", ""))
    authors = bibtex_authors(claims.get("author", ""))
    candidate.claim(title=title, authors=authors, year=year, month=month if year else None, venue=venue)
    return candidate


def _arxiv_candidate(text: str, start: int, raw: str, fields: Mapping[str, str]) -> ReferenceDraft | None:
    archive = (fields.get("archiveprefix") or fields.get("eprinttype") or "arxiv").strip().lower()
    for key in _ID_FIELDS:
        value = fields.get(key)
        if not value or (key == "eprint" and archive != "arxiv"):
            continue
        if key in ("volume", "pages", "number") and not _ARXIV_VENUES.match(fields.get("journal", "")):
            continue
        skip = 4 if key == "volume" and value.lower().startswith("abs/") else 0
        mentions = _mentions_in(value[skip:], key)
        if not mentions:
            continue
        mention = mentions[0]
        value_start = _value_offset(text, start, raw, key, value) + skip
        return ReferenceDraft.from_mention(mention, value_start)
    return None


def _mentions_in(value: str, key: str) -> list[IdMention]:
    if key == "doi" and not value.lower().startswith(ARXIV_DOI_REGISTRANT):
        return []
    if key == "eprint":
        return eprint_mentions(value)
    # Inside a DBLP volume field a bare id is meant as one.
    bibliography = key in ("volume", "pages", "number")
    return find_mentions(value, bibliography=bibliography)


def _value_offset(text: str, start: int, raw: str, key: str, value: str) -> int:
    field = re.compile(rf"(?<![\w-]){re.escape(key)}\s*=\s*[{{\"]?", re.I)
    match = field.search(text, start, start + len(raw))
    if match is None:
        return start
    found = text.find(value, match.end(), start + len(raw))
    return found if found >= 0 else match.end()


def _failed(text: str, start: int, raw: str) -> list[ReferenceDraft]:
    """An entry bibtexparser could not parse (unterminated, ...): its arXiv ids are still cited."""
    return [ReferenceDraft.from_mention(m, start) for m in find_mentions(raw, bibliography=True)]


def _month(value: str) -> int | None:
    value = value.strip().strip('{}"').strip()
    if value.isdigit():
        number = int(value)
        return number if 1 <= number <= 12 else None
    return parse_month(value) if value else None


def _month_of_date(value: str) -> int | None:
    match = re.match(r"\s*\d{4}-(\d{1,2})", value)
    return int(match.group(1)) if match and 1 <= int(match.group(1)) <= 12 else None
