"""Normal forms of titles and names, so that comparisons ignore case, accents and punctuation."""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)
_SPACES = re.compile(r"\s+")
# TeX that survives in arXiv titles ("{GAN}s", "\emph{...}", "$\alpha$") must not split words.
_TEX_COMMAND = re.compile(r"\\[a-zA-Z]+\s*")
_BRACES = re.compile(r"[{}$]")


def strip_accents(text: str) -> str:
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def normalize_title(title: str) -> str:
    """Lower case, no accents, no TeX markup, punctuation as single spaces."""
    text = _BRACES.sub("", _TEX_COMMAND.sub(" ", title))
    text = strip_accents(text).casefold()
    text = _NON_WORD.sub(" ", text).replace("_", " ")
    return _SPACES.sub(" ", text).strip()


def collapse_whitespace(text: str) -> str:
    return _SPACES.sub(" ", text).strip()
