"""Do the cited authors write this paper? Surname and initial matching, blind to accents and case.

"K. He" is "Kaiming He"; "Härkönen", "Harkonen" and the seeds' mis-decoded "H√§rk√∂nen" (repaired
by extraction, and folded here anyway) are one name; "Garcia Satorras" matches "Victor Garcia
Satorras"; "et al." means the list is partial, so only the names given are checked.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from app.resolve.normalize import strip_accents

_NOT_A_NAME = re.compile(r"^(?:et\.?\s*al\.?|others|and others)$", re.IGNORECASE)


def name_tokens(name: str) -> list[str]:
    folded = strip_accents(name).casefold()
    return [t for t in re.split(r"[^a-z0-9]+", folded) if t]


@dataclass(frozen=True)
class AuthorCheck:
    cited: int
    matched: int
    unmatched: tuple[str, ...]
    partial: bool


def same_person(cited: str, actual: str) -> bool:
    a, b = name_tokens(cited), name_tokens(actual)
    if not a or not b:
        return False
    if len(a) <= len(b) and a == b[-len(a):]:
        return True  # the surname alone, compound ones too ("Garcia Satorras")
    if a[-1] == b[-1]:
        return a[0][0] == b[0][0]  # same surname, same first initial ("K. He", "Kaiming He")
    if len(a) > 1 and a[0] == b[-1]:
        return a[1][0] == b[0][0]  # surname first ("He, Kaiming")
    return False


def check_authors(cited: Sequence[str], actual: Sequence[str]) -> AuthorCheck:
    names = [c for c in cited if c.strip()]
    partial = any(_NOT_A_NAME.match(n.strip()) for n in names)
    names = [n for n in names if not _NOT_A_NAME.match(n.strip())]
    unmatched = tuple(n for n in names if not any(same_person(n, a) for a in actual))
    return AuthorCheck(len(names), len(names) - len(unmatched), unmatched, partial)
