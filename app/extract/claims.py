"""What a document claims about a paper, read from short pieces of text: authors, dates, venues."""

from __future__ import annotations

import re
from functools import lru_cache

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
YEAR = r"(?:19[5-9]\d|20[0-4]\d)"
# A year is not part of a longer number, an id ("2002.05709") or a version ("2020.1").
_YEAR_RE = re.compile(rf"(?<![\d.]){YEAR}(?!\d|\.\d)")
_MONTH_WORD = re.compile(r"[A-Za-z]{3,}")
_ISO_MONTH = re.compile(rf"(?<!\d)({YEAR})[-/](0?[1-9]|1[0-2])(?!\d)")
_ET_AL = re.compile(r",?\s*(?:et\.?\s*al\.?|and others)\s*$", re.I)
_AUTHOR_SPLIT = re.compile(r"\s*(?:,\s*(?:and\s+|&\s*)?|;\s*|\s+and\s+|\s+&\s+)\s*")
# A name part: capitalised word, initial, or a lower-case particle ("van", "de", "von", "di").
_NAME_PART = (
    r"(?:[A-Z\u00C0-\u024F][\w\u00C0-\u024F'’.\-]*|[A-Z]\.|van|von|der|den|de|del|della|da|di|du|"
    r"la|le|dos|das|bin|al|ten|ter|y|zu)"
)
_NAME = re.compile(rf"{_NAME_PART}(?: {_NAME_PART}){{0,5}}")
ET_AL = "et al."
_LONGEST_AUTHOR_LIST = 3000
# Running prose: a lower-case word after a sentence end, or a run of lower-case words.
_SENTENCE = re.compile(r"[a-z]{3,}[.!?] [A-Za-z]|\b[a-z]{4,} [a-z]{4,} [a-z]{4,}\b")


def parse_month(word: str) -> int | None:
    """Month number of an English month name or abbreviation; tolerates misspellings past the
    third letter ("Feburary"), which real posts contain."""
    lowered = word.lower()
    if len(lowered) < 3 or not lowered.isalpha():
        return None
    prefix = lowered[:3]
    if prefix not in _MONTHS:
        return None
    full = (
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    )[_MONTHS.index(prefix)]
    # "Mayday" or "Marching" are not months: beyond the prefix only a near spelling is accepted.
    if len(lowered) > len(full) + 1 or (len(lowered) > 4 and lowered[:2] != full[:2]):
        return None
    return _MONTHS.index(prefix) + 1


@lru_cache(maxsize=1024)  # pure, and a post's dates are few: "November 2020" comes back
def parse_date(text: str) -> tuple[int | None, int | None]:
    """Year and month of a short date phrase ("November 2020", "2020-11", "Nov. 2020", "(2009)")."""
    iso = _ISO_MONTH.search(text)
    if iso:
        return int(iso.group(1)), int(iso.group(2))
    years = _YEAR_RE.findall(text)
    year = int(years[-1]) if years else None
    month = None
    for word in _MONTH_WORD.findall(text):
        month = parse_month(word)
        if month:
            break
    return year, month


_AUTHOR_YEAR = re.compile(
    rf"^(?P<authors>[A-Z][\w'’-]+(?:\s+(?:and|&)\s+[A-Z][\w'’-]+|\s+et\.?\s+al\.?)?),?\s+\(?(?P<year>{YEAR})[a-z]?\)?$"
)


# Pure, and called per reference on text that recurs (the same names, titles and link texts come
# back across a document and across documents): memoised, with a bound on what the cache holds.
@lru_cache(maxsize=4096)
def author_year(text: str) -> tuple[tuple[str, ...], int] | None:
    """An author-year citation ("Chen et al., 2020", "Smith and Jones 2019"), or None."""
    match = _AUTHOR_YEAR.match(" ".join(text.split()))
    if match is None or looks_like_venue(match.group("authors")):
        return None
    return parse_authors(match.group("authors")), int(match.group("year"))


def looks_like_venue(word: str) -> bool:
    """ "NeurIPS", "ICML", "CVPR": a conference acronym, not a surname (which has one capital)."""
    return " " not in word.strip() and sum(char.isupper() for char in word) >= 2


def find_year(text: str) -> int | None:
    years = _YEAR_RE.findall(text)
    return int(years[-1]) if years else None


@lru_cache(maxsize=4096)
def parse_authors(text: str) -> tuple[str, ...]:
    """Names in an author list ("A. Smith, B. Jones and C. Wu et al."), or () when it is not one.

    A truncated list ends with "et al."; the checker compares such a list as a prefix.
    """
    if len(text) > _LONGEST_AUTHOR_LIST or _SENTENCE.search(text):
        return ()
    text = " ".join(text.split()).strip(" .;:")
    truncated = bool(_ET_AL.search(text))
    text = _ET_AL.sub("", text).strip(" ,.;")
    if not text:
        return ()
    names = _pair_surnames(tuple(part.strip(" .") for part in _AUTHOR_SPLIT.split(text) if part.strip(" .")))
    names = tuple(_restore_initial(name) for name in names)
    if not names or not all(looks_like_name(name) for name in names):
        return ()
    return (*names, ET_AL) if truncated else names


_INITIALS = re.compile(r"(?:[A-Z]\.?[ -]?){1,3}")


def _pair_surnames(parts: tuple[str, ...]) -> tuple[str, ...]:
    """APA's "Vaswani, A., Shazeer, N." lists surname and initials as separate comma parts."""
    if len(parts) < 2 or len(parts) % 2 or not all(_INITIALS.fullmatch(p) for p in parts[1::2]):
        return parts
    return tuple(f"{_dotted(initials)} {surname}" for surname, initials in zip(parts[::2], parts[1::2], strict=True))


def _dotted(initials: str) -> str:
    return " ".join(f"{letter}." for letter in re.findall(r"[A-Z]", initials))


_TRAILING_INITIAL = re.compile(r"\b[A-Z]$")


def _restore_initial(name: str) -> str:
    # strip(" .") above removes the dot of a trailing initial ("Marc G." is fine, "Smith J" is not)
    return name + "." if " " in name and _TRAILING_INITIAL.search(name) else name


def looks_like_name(name: str) -> bool:
    """One to six name parts (capitalised words, initials, particles such as "van")."""
    return len(name) <= 60 and _NAME.fullmatch(" ".join(name.split())) is not None


def bibtex_person(name: str) -> str:
    """A BibTeX name ("Chen, Ting", "von Neumann, John", "Ting Chen") as "Ting Chen"."""
    name = " ".join(name.replace("{", "").replace("}", "").split())
    parts = [part.strip() for part in name.split(",")]
    if len(parts) == 2 and parts[1]:
        return f"{parts[1]} {parts[0]}"
    if len(parts) == 3 and parts[2]:  # "von Last, Jr, First"
        return f"{parts[2]} {parts[0]} {parts[1]}"
    return name


def bibtex_authors(field: str) -> tuple[str, ...]:
    people = [p for p in re.split(r"\s+and\s+", " ".join(field.split())) if p.strip()]
    if people and people[-1].strip().lower() == "others":
        return (*(bibtex_person(p) for p in people[:-1]), ET_AL)
    return tuple(bibtex_person(p) for p in people)
