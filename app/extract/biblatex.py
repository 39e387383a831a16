"""References in a .bbl written by biblatex/biber: \\entry{key}{type}{} ... \\endentry.

Fields arrive as \\field{title}{...}, names as \\name{author}{n}{}{ {{... family={Chen},
given={Ting} ...}} }, and ids as \\verb{eprint} / \\verb 2002.05709 / \\endverb (also url, doi).
"""

from __future__ import annotations

import re

from app.extract.arxiv_mentions import IdMention, eprint_mentions, find_mentions
from app.extract.candidates import ReferenceDraft
from app.extract.claims_dates import find_year
from app.extract.latex_text import latex_to_text
from app.extract.mojibake import NO_REPAIR, MojibakeRepair
from clients.arxiv import ARXIV_DOI_REGISTRANT

_ENTRY = re.compile(r"\\entry\{([^}]*)\}\{([^}]*)\}\{[^}]*\}(.*?)\\endentry", re.S)
_FIELD = re.compile(r"\\field\{(\w+)\}\{")
_VERB = re.compile(r"\\verb\{(\w+)\}\s*\n\s*\\verb[ \t]?([^\n]*)\n\s*\\endverb")
_NAME_LIST = re.compile(r"\\name\{author\}\{\d+\}\{[^}]*\}\{")
_PART = re.compile(r"\b(family|given|prefix|suffix)=\{((?:[^{}]|\{[^{}]*\})*)\}")
_ID_FIELDS = ("eprint", "url", "doi")
_VENUE_FIELDS = ("journaltitle", "booktitle", "journal", "eventtitle")


def is_biblatex_bbl(text: str) -> bool:
    return "\\entry{" in text and "\\endentry" in text


def read_biblatex(text: str, repair: MojibakeRepair = NO_REPAIR) -> list[ReferenceDraft]:
    found: list[ReferenceDraft] = []
    for entry in _ENTRY.finditer(text):
        body_start = entry.start(3)
        body = entry.group(3)
        fields = {m.group(1).lower(): _braced(body, m.end()) for m in _FIELD.finditer(body)}
        verbs = {m.group(1).lower(): (body_start + m.start(2), m.group(2).strip()) for m in _VERB.finditer(body)}
        candidate = _id_candidate(verbs, fields) or ReferenceDraft("bib_entry", entry.start(), entry.start(3))
        title = latex_to_text(repair(fields.get("title", ""))) or None
        venue = next((latex_to_text(repair(fields[k])) for k in _VENUE_FIELDS if fields.get(k)), None)
        year = find_year(fields.get("year", "") or fields.get("date", ""))
        month = int(fields["month"]) if fields.get("month", "").isdigit() else None
        candidate.claim(title=title, authors=_authors(repair(body)), year=year, month=month, venue=venue)
        found.append(candidate)
    return found


def _id_candidate(verbs: dict[str, tuple[int, str]], fields: dict[str, str]) -> ReferenceDraft | None:
    archive = (fields.get("eprinttype") or fields.get("archiveprefix") or "arxiv").lower()
    for key in _ID_FIELDS:
        if key not in verbs or (key == "eprint" and archive != "arxiv"):
            continue
        start, value = verbs[key]
        if key == "doi" and not value.lower().startswith(ARXIV_DOI_REGISTRANT):
            continue
        mentions: list[IdMention] = eprint_mentions(value) if key == "eprint" else find_mentions(value)
        if mentions:
            return ReferenceDraft.from_mention(mentions[0], start)
    return None


def _braced(text: str, start: int) -> str:
    """The content of a brace group whose opening brace ends just before `start`."""
    depth = 1
    for index in range(start, len(text)):
        char = text[index]
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return text[start:index]
    return text[start:]


def _authors(body: str) -> tuple[str, ...]:
    names = _NAME_LIST.search(body)
    if names is None:
        return ()
    people: list[str] = []
    for person in re.split(r"\}\}%?\s*\{\{", _braced(body, names.end())):
        parts = {m.group(1): latex_to_text(m.group(2)) for m in _PART.finditer(person)}
        name = " ".join(
            p for p in (parts.get("given"), parts.get("prefix"), parts.get("family"), parts.get("suffix")) if p
        )
        if name:
            people.append(name)
    return tuple(people)
