"""Claims stage, authors: the people a piece of text names, each as "Given Surname"."""

from __future__ import annotations

import re

from app.extract.claims_dates import YEAR
from app.extract.claims_venue import looks_like_venue
from app.extract.latex_text import latex_to_text

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


_AUTHOR_YEAR = re.compile(
    rf"^(?P<authors>[A-Z][\w'’-]+(?:\s+(?:and|&)\s+[A-Z][\w'’-]+|\s+et\.?\s+al\.?)?),?\s+\(?(?P<year>{YEAR})[a-z]?\)?$"
)


def author_year(text: str) -> tuple[tuple[str, ...], int] | None:
    """An author-year citation ("Chen et al., 2020", "Smith and Jones 2019"), or None."""
    match = _AUTHOR_YEAR.match(" ".join(text.split()))
    if match is None or looks_like_venue(match.group("authors")):
        return None
    return parse_authors(match.group("authors")), int(match.group("year"))


def parse_authors(text: str) -> tuple[str, ...]:
    """Names in an author list, each as "Given Surname", or () when it is not one.

    Every common order is read: "A. Smith, B. Jones and C. Wu", APA's "Smith, A., Jones, B.",
    MLA's "Smith, Alice, and Bob Jones", Vancouver's "Smith A, Jones B", a lone "Smith, Alice".
    Commas separate both names and a surname from its given names, so the order is told from the
    shape of the whole list, not name by name. A truncated list ends with "et al." ("and others");
    the checker compares such a list as a prefix.
    """
    if len(text) > _LONGEST_AUTHOR_LIST or _SENTENCE.search(text):
        return ()
    text = " ".join(_MARKS.sub("", text).split()).strip(" .;:")
    truncated = bool(_ET_AL.search(text))
    text = _ET_AL.sub("", text).strip(" ,.;")
    if not text:
        return ()
    separators = [m.group().strip() for m in _AUTHOR_SPLIT.finditer(text)]
    parts = [part.strip(" .") for part in _AUTHOR_SPLIT.split(text)]
    kept = tuple(p for p in parts if p)
    names = _in_order(kept, tuple(separators) if len(kept) == len(parts) else ())
    names = tuple(_restore_initial(name) for name in names)
    if not names or not all(looks_like_name(name) for name in names):
        return ()
    return (*names, ET_AL) if truncated else names


_INITIALS = re.compile(r"(?:[A-Z]\.?[ -]?){1,3}")
# Footnote marks after a name (equal contribution, affiliation): "P. Bojanowski\*", "E. Grave†"
_MARKS = re.compile(r"\\?\*|[†‡§¶]")
# "He K", "Zhang XY", MNRAS's "Hinton G. E" (the last dot is stripped with the part's)
_VANCOUVER = re.compile(
    r"(?P<surname>[^\W\d_][\w'’-]*(?: [^\W\d_][\w'’-]*)?) (?P<initials>[A-Z]{1,3}|(?:[A-Z]\.\s?){1,2}[A-Z])"
)
_SURNAME_PARTICLES = frozenset(("van", "von", "de", "der", "den", "del", "da", "di", "du", "la", "le", "ten", "ter"))


def _in_order(parts: tuple[str, ...], separators: tuple[str, ...]) -> tuple[str, ...]:
    """The names of a list cut at its commas and "and"s, each as "Given Surname". `separators`:
    what stands between the parts ("," or "and", "&", ";", ", and"), () when unknown."""
    first_comma = bool(separators) and separators[0] == ","
    if first_comma and len(parts) >= 3 and all(sep in ("and", "&") for sep in separators[1::2]) and (
        all(sep == "," for sep in separators[::2])
        and all(_is_surname(p) for p in parts[::2])
        and all(_is_given(p) for p in parts[1::2])
    ):
        # "Surname, Given and Surname, Given": each person's comma inside, "and" between them
        # ("Ulyanov, Dmitry and Lebedev, Vadim", "Gatys, Leon and Ecker"). Surnames alone written
        # so ("Smith, Jones and Wu") become "Jones Smith", which the name matcher still finds.
        pairs = [parts[i : i + 2] for i in range(0, len(parts), 2)]
        return tuple(f"{_restore_initial(pair[1])} {pair[0]}" if len(pair) == 2 else pair[0] for pair in pairs)
    if len(parts) >= 2 and len(parts) % 2 == 0 and all(_INITIALS.fullmatch(p) for p in parts[1::2]):
        # APA: "Vaswani, A., Shazeer, N." lists surname and initials as separate comma parts
        return tuple(f"{_dotted(given)} {surname}" for surname, given in zip(parts[::2], parts[1::2], strict=True))
    if len(parts) >= 2 and all(_VANCOUVER.fullmatch(p) for p in parts):
        # Vancouver: "He K, Zhang X, Ren S": surname, then initials without dots
        return tuple(_from_vancouver(p) for p in parts)
    if first_comma and len(parts) >= 2 and _is_surname(parts[0]) and _is_given(parts[1]):
        rest = parts[2:]
        # MLA and Google Scholar invert only the first name ("Simonyan, Karen, and Andrew
        # Zisserman"), the others are written in full; "Schulman, John" alone is one person too
        # (two surnames would be joined by "and").
        if all(" " in p for p in rest):
            return (f"{_restore_initial(parts[1])} {parts[0]}", *rest)
    return parts


def _is_surname(part: str) -> bool:
    """One surname word, perhaps hyphenated, after its particles ("van Hasselt")."""
    *particles, last = part.split()
    return all(p in _SURNAME_PARTICLES for p in particles) and last[:1].isupper() and "." not in last


def _is_given(part: str) -> bool:
    """Given names: one to three capitalised words or initials, not initials alone (APA's), perhaps
    with the particles of the surname after them ("Oord, Aaron van den")."""
    words = [w for w in part.split() if w not in _SURNAME_PARTICLES]
    return 0 < len(words) <= 3 and part[:1].isupper() and all(w[:1].isupper() for w in words) and (
        not _INITIALS.fullmatch(part)
    )


def _from_vancouver(part: str) -> str:
    match = _VANCOUVER.fullmatch(part)
    return f"{_dotted(match['initials'])} {match['surname']}" if match else part


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
    """A BibTeX name ("Chen, Ting", "von Neumann, John", "Ting Chen", "{\\L}ukasz Kaiser") as
    "Ting Chen", its LaTeX decoded; a braced corporate name ("{Google Brain}") is kept whole."""
    name = latex_to_text(name) if ("\\" in name or "{" in name or "~" in name) else name
    name = " ".join(name.split())
    parts = [part.strip() for part in name.split(",")]
    if len(parts) == 2 and parts[1]:
        return f"{parts[1]} {parts[0]}"
    if len(parts) == 3 and parts[2]:  # "von Last, Jr, First"
        return f"{parts[2]} {parts[0]} {parts[1]}"
    return name


_BIBTEX_AND = re.compile(r"\s+and\s+", re.IGNORECASE)


def bibtex_authors(field: str) -> tuple[str, ...]:
    """The people of a BibTeX author field, split at each "and" outside braces ("{Barnes and
    Noble}" is one), "and others" read as "et al."."""
    people = [p for p in _split_outside_braces(" ".join(field.split())) if p.strip()]
    if people and people[-1].strip().lower() == "others":
        return (*(bibtex_person(p) for p in people[:-1]), ET_AL)
    return tuple(bibtex_person(p) for p in people)


def _split_outside_braces(field: str) -> list[str]:
    if "{" not in field:
        return _BIBTEX_AND.split(field)
    people: list[str] = []
    start = 0
    for match in _BIBTEX_AND.finditer(field):
        if field.count("{", 0, match.start()) == field.count("}", 0, match.start()):
            people.append(field[start : match.start()])
            start = match.end()
    people.append(field[start:])
    return people
