"""Normal forms of titles and names, so that comparisons ignore case, accents and punctuation."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii

_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)
_SPACES = re.compile(r"\s+")
# TeX that survives in arXiv titles ("{GAN}s", "\emph{...}", "$\alpha$") must not split words.
_TEX_COMMAND = re.compile(r"\\[a-zA-Z]+\s*")
_BRACES = re.compile(r"[{}$]")


def strip_accents(text: str) -> str:
    """Latin letters without their accents, the ones that do not decompose transliterated
    (ł→l, ø→o, ß→ss, æ→ae, đ→d); other scripts (Chinese, Cyrillic, Greek) are kept as written."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(_plain_latin(c) for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=2048)
def _plain_latin(char: str) -> str:
    if char.isascii() or not char.isalpha() or "LATIN" not in unicodedata.name(char, ""):
        return char
    return anyascii(char)


def normalize_title(title: str) -> str:
    """Lower case, no accents, no TeX markup, punctuation as single spaces."""
    text = _BRACES.sub("", _TEX_COMMAND.sub(" ", title))
    text = strip_accents(text).casefold()
    text = _NON_WORD.sub(" ", text).replace("_", " ")
    return _SPACES.sub(" ", text).strip()


def collapse_whitespace(text: str) -> str:
    return _SPACES.sub(" ", text).strip()
