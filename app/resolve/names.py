"""Is a cited name one of a paper's authors? The one name matcher of the project.

Names are compared word by word on a transliteration (anyascii: ł→l, ø→o, ß→ss, æ→ae, Cyrillic and
Chinese romanised), with the German and Scandinavian spellings of a vowel made one ("Müller",
"Mueller" and "Muller"; "Sørensen", "Soerensen"). A cited name matches an author when a word of its
surname is a word of the author's surname, and its first initial is one of the author's given-name
initials (when both give one). So "K. He" is "Kaiming He", "Garcia Lopez" is arXiv's "Garcia",
"van der Maaten" is "Laurens van der Maaten", "LeCun" is "Le Cun", and a name written surname first
("He Kaiming", "何恺明") is tried in that order too, then with the whole given name required. A
long surname misspelt by a letter or two ("Antonglou" for "Antonoglou") is the same surname.

A name in a script that is not Latin (Chinese, Japanese, Korean, Cyrillic, Greek, ...) is compared
as written and through its romanisation; when neither finds it, the name cannot be judged (arXiv's
romanisation may differ from anyascii's: "Лекун" is "LeCun"), which is not the same as a mismatch.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from anyascii import anyascii
from rapidfuzz import fuzz

# Words that only join a surname ("van der Maaten", "de Freitas", "bin Laden"); a particle that is
# the name's last word is the surname itself ("Quoc V. Le").
PARTICLES = frozenset(
    ("van", "von", "der", "den", "de", "del", "della", "da", "di", "du", "la", "le", "dos", "das", "ten", "ter",
     "zu", "bin", "al")
)
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_SYLLABLE = re.compile(r"[A-Z][a-z]*|[a-z]+|\d+")
# German and Scandinavian vowels written out ("ue" for ü, "oe" for ø, "aa" for å) read as the plain vowel.
_VOWEL_PAIR = re.compile(r"(?<=[aou])e|(?<=a)a")
# A surname of at least this many letters may be misspelt: similarity (rapidfuzz ratio) at least MISSPELT.
MISSPELT_LENGTH = 6
MISSPELT = 88.0
NOT_A_NAME = re.compile(r"^(?:et\.?\s*al\.?|others|and others)$", re.IGNORECASE)


def fold(word: str) -> str:
    """The comparison key of one word: transliterated, lower case, letters and digits only."""
    key = re.sub(r"[^a-z0-9]", "", anyascii(word).lower())
    return _VOWEL_PAIR.sub("", key)


def _is_latin(word: str) -> bool:
    return all(c.isascii() or "LATIN" in unicodedata.name(c, "") for c in word if c.isalpha())


def _is_han(word: str) -> bool:
    return all("CJK" in unicodedata.name(c, "") for c in word)


@dataclass(frozen=True, slots=True)
class Name:
    """A person's name as comparison keys, in written order (initials as one letter)."""

    words: tuple[str, ...]  # folded words, particles dropped (except a last one)
    latin: bool  # written in the Latin script: a failure to match it is a mismatch
    written: str  # the name as written, casefolded and with single spaces

    @property
    def full(self) -> tuple[str, ...]:
        return tuple(w for w in self.words if len(w) > 1)


@lru_cache(maxsize=8192)  # the same authors come back across references and documents
def parse_name(name: str) -> Name:
    """A name as written ("Kaiming He", "K. He", "van der Maaten", "何恺明") in comparison keys."""
    raw = _WORD.findall(unicodedata.normalize("NFC", name))
    latin = all(_is_latin(w) for w in raw)
    words: list[str] = []
    for index, word in enumerate(raw):
        if len(raw) == 1 and len(word) > 1 and _is_han(word):
            # a Chinese name written as one word, surname first: "何恺明" -> "he", "kaiming"
            syllables = [s.lower() for s in _SYLLABLE.findall(anyascii(word))]
            words.extend([syllables[0], "".join(syllables[1:])] if len(syllables) > 1 else syllables)
            continue
        key = fold(word)
        if key and not (key in PARTICLES and index < len(raw) - 1 and word.islower()):
            words.append(key)
    folded = tuple(w for w in words if w)
    return Name(folded, latin, " ".join(name.casefold().split()))


def _surnames(words: tuple[str, ...]) -> dict[str, frozenset[int]]:
    """The keys that may be (part of) the surname, each with the positions of the words it covers:
    every full word but a first one when there are two or more, and the last words joined ("Le Cun"
    is "LeCun", "Riemer-Sørensen" "RiemerSorensen")."""
    full = [i for i, w in enumerate(words) if len(w) > 1]
    keys = {words[i]: frozenset([i]) for i in (full[1:] if len(full) > 1 else full)}
    for tail in (full[1:], full[-2:]):
        if len(tail) > 1:
            keys.setdefault("".join(words[i] for i in tail), frozenset(tail))
    return keys


def _match(cited: tuple[str, ...], actual: tuple[str, ...]) -> bool:
    theirs = _surnames(actual)
    for key, covered in _surnames(cited).items():
        their_key = key if key in theirs else _misspelt(key, theirs) if len(covered) == 1 else None
        if their_key is None:
            continue
        given = [w for i, w in enumerate(cited) if i not in covered and w not in PARTICLES]
        their_given = {w[0] for i, w in enumerate(actual) if i not in theirs[their_key]}
        if not given or not their_given or given[0][0] in their_given:
            return True  # the surname alone ("Mnih"), or with a first initial the author has
    return False


def _misspelt(key: str, theirs: dict[str, frozenset[int]]) -> str | None:
    """The author's surname that a long cited one misspells by a letter or two ("Antonglou" for
    "Antonoglou"): a typo in a name is not another person."""
    if len(key) < MISSPELT_LENGTH:
        return None
    for their_key, covered in theirs.items():
        if len(covered) == 1 and len(their_key) >= MISSPELT_LENGTH and their_key[0] == key[0] and (
            fuzz.ratio(key, their_key) >= MISSPELT
        ):
            return their_key
    return None


def _match_surname_first(cited: tuple[str, ...], actual: tuple[str, ...]) -> bool:
    """ "He Kaiming", "Schulman John": the first word is the surname; the whole given name must agree."""
    theirs = _surnames(actual)
    if len(cited) < 2 or len(cited[0]) < 2 or cited[0] not in theirs:
        return False
    given = "".join(cited[1:])
    their_given = "".join(w for i, w in enumerate(actual) if i not in theirs[cited[0]])
    if len(given) > 1 and len(their_given) > 1:
        return given == their_given
    return given[:1] == their_given[:1]


def _surnames_of_several(cited: str, surnames: set[str]) -> bool:
    """ "He, Gkioxari, et al." read as one person "Gkioxari He": every word is an author's surname."""
    full = parse_name(cited).full
    return len(full) >= 2 and all(word in surnames for word in full)


def same_person(cited: str, actual: str) -> bool:
    """Whether the cited name can be this author (see the module's docstring)."""
    a, b = parse_name(cited), parse_name(actual)
    if a.written == b.written:
        return bool(a.written)
    if not a.words or not b.words:
        return False
    return _match(a.words, b.words) or _match_surname_first(a.words, b.words)


def judgeable(cited: str) -> bool:
    """Whether a failure to match this cited name says anything: a Latin-script name does; one in
    another script only when it can be matched (its romanisation may not be arXiv's), and a name
    that folds to nothing never."""
    name = parse_name(cited)
    return bool(name.words) and name.latin


def surname(name: str) -> str:
    """The comparison key of a name's surname (its last full word): for cache keys and indexes."""
    full = parse_name(name).full
    return full[-1] if full else ""


@dataclass(frozen=True)
class AuthorMatch:
    cited: int  # cited names that count: not "et al.", and judgeable or matched
    matched: int
    unmatched: tuple[str, ...]
    partial: bool  # "et al." or "and others": only the names given are checked


def match_authors(cited: Sequence[str], actual: Sequence[str]) -> AuthorMatch:
    names = [c for c in cited if c.strip()]
    partial = any(NOT_A_NAME.match(n.strip()) for n in names)
    names = [n for n in names if not NOT_A_NAME.match(n.strip())]
    surnames = {key for a in actual for key in _surnames(parse_name(a).words)}
    matched = [n for n in names if any(same_person(n, a) for a in actual) or _surnames_of_several(n, surnames)]
    unmatched = tuple(n for n in names if n not in matched and judgeable(n))
    return AuthorMatch(len(matched) + len(unmatched), len(matched), unmatched, partial)
