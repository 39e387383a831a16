"""Whether a piece of text names a paper, and the title without its decorations."""

from __future__ import annotations

import re
from functools import lru_cache

from app.extract.claims import YEAR

# Section names that posts and papers use for their own structure, never paper titles.
_GENERIC_HEADINGS = frozenset(
    (
        "abstract",
        "acknowledgements",
        "acknowledgments",
        "appendix",
        "background",
        "bibliography",
        "citation",
        "citations",
        "comments",
        "contents",
        "contributing",
        "discussion",
        "further reading",
        "future work",
        "honorable mentions",
        "honourable mentions",
        "installation",
        "introduction",
        "license",
        "links",
        "literature",
        "notes",
        "overview",
        "papers",
        "preliminaries",
        "references",
        "related work",
        "research papers",
        "resources",
        "results",
        "summary",
        "table of contents",
        "to cite",
        "usage",
        "see also",
        "concluding remarks",
        "final thoughts",
        "footnotes",
        "application projects",
        "reading list",
        "getting started",
        "citing",
        "requirements",
        "examples",
        "projects",
        "tools",
        "datasets",
    )
)
# A heading that opens with one of these is the document's own structure ("Conclusion and ...").
_GENERIC_OPENINGS = frozenset(
    (
        "conclusion",
        "conclusions",
        "concluding",
        "introduction",
        "summary",
        "appendix",
        "references",
        "acknowledgements",
        "acknowledgments",
        "discussion",
        "bibliography",
        "table",
    )
)
_GENERIC_WORDS = frozenset((*" ".join(_GENERIC_HEADINGS).split(), "and", "the", "of"))
_DECORATION = re.compile(
    r"\s*(?:\(\s*[\d,]+\s+(?:citations?|cites|stars)\s*\)|\[(?:pdf|code|paper|arxiv|link|slides|video)\]"
    r"|\((?:pdf|code|paper|arxiv|link)\)|\[\d+\])\s*$",
    re.I,
)
_DECORATION_BODY = re.compile(_DECORATION.pattern.removeprefix(r"\s*").removesuffix(r"\s*$"), re.I)
_YEAR_ONLY = re.compile(rf"^\(?{YEAR}\)?:?$")
_QUOTES = "\"'“”‘’«»„"
_QUOTES_AND_SPACE = _QUOTES + " "
_URL = re.compile(r"https?://|www\.", re.I)
_CITATION = re.compile(rf"\bet\.?\s+al\b|,\s*{YEAR}[a-z]?\)?$")
_WORD = re.compile(r"[^\W_][\w'’\-]*")


# Pure, and called per reference on text that recurs (the same names, titles and link texts come
# back across a document and across documents): memoised, with a bound on what the cache holds.
@lru_cache(maxsize=4096)
def clean_title(text: str) -> str:
    """Whitespace collapsed; quotes, list numbers, trailing punctuation and decorations such as
    "(7446 citations)" or "[pdf]" removed."""
    title = " ".join(text.split())
    while True:
        # every decoration ends with a bracket: skip the regex for the many titles that do not
        trimmed = _DECORATION.sub("", title).strip() if title.endswith((")", "]")) else title
        trimmed = trimmed.strip(_QUOTES_AND_SPACE).rstrip(".,;:").strip(_QUOTES_AND_SPACE)
        if trimmed == title:
            return title
        title = trimmed


def decoration_end(text: str) -> int:
    """Length of `text` without trailing decorations (where the title itself ends)."""
    end = len(text.rstrip())
    while True:
        # Every decoration ends with a bracket (see clean_title), and holds no other opening one:
        # one ending at `end` opens at the last "(" or "[" before it, after the spaces its match
        # takes too. A fullmatch there, not the pattern searched at every position of the title.
        if not text.endswith((")", "]"), 0, end):
            return end
        opening = text.rfind("(" if text[end - 1] == ")" else "[", 0, end)
        if opening < 0 or _DECORATION_BODY.fullmatch(text, opening, end) is None:
            return end
        while opening > 0 and text[opening - 1].isspace():
            opening -= 1
        end = opening


def is_generic_heading(text: str) -> bool:
    """ "Honorable Mentions", "2015", "Conclusion and Future Prospects": structure, not a paper."""
    lowered = clean_title(text).lower().strip(" :#*")
    return _is_generic(lowered, _WORD.findall(lowered))


def _is_generic(lowered: str, words: list[str]) -> bool:
    # every year-only line starts with "(" or the year's first digit
    if not lowered or (lowered[0] in "(12" and _YEAR_ONLY.match(lowered)):
        return True
    if lowered in _GENERIC_HEADINGS:
        return True
    if words and words[0].lower() in _GENERIC_OPENINGS:
        return True
    return len(words) <= 3 and all(word.lower() in _GENERIC_WORDS for word in words)


@lru_cache(maxsize=4096)
def looks_like_title(text: str) -> bool:
    """A phrase that could be a paper's title: two words or more, capitalised, not a sentence."""
    first = text.lstrip(" \t\n(['\"“‘")[:1]
    if not (first.isupper() or first.isdigit()) or " " not in text.strip() or len(text) > 400:
        return False  # the cheap tests first: most bold spans and link texts fail them
    title = clean_title(text)
    # Each search is skipped where a character its every match holds is missing (a URL's ":" or
    # ".", a citation's "," or " al": clean_title leaves single spaces as the only whitespace, and
    # re's \s is str.isspace): most titles have neither, and `in` is C-speed.
    if not 4 <= len(title) <= 300 or ((":" in title or "." in title) and _URL.search(title)):
        return False
    if _split_at_spaces(title):
        count = title.count(" ") + 1
        if count > 3:
            # what the tests below come to for more than three plain words (most titles): no
            # year-only line or all-generic phrase has that many, and no "," is among them
            if count > 40 or (" al" in title and _CITATION.search(title)):
                return False
            lowered = title.lower()
            return lowered not in _GENERIC_HEADINGS and lowered[: lowered.find(" ")] not in _GENERIC_OPENINGS
        words = title.split()
    else:
        words = _WORD.findall(title)
    if not 2 <= len(words) <= 40:
        return False
    if ("," in title or " al" in title) and _CITATION.search(title):
        return False
    return not _is_generic(title.lower().strip(" :#*"), words)


def _words(title: str) -> list[str]:
    """_WORD's matches in a cleaned title (single spaces its only whitespace)."""
    return title.split() if _split_at_spaces(title) else _WORD.findall(title)


def _split_at_spaces(title: str) -> bool:
    """Whether _WORD's matches in a cleaned title are its pieces between spaces."""
    # So they are for letters and digits between spaces (most titles): \w is a letter, digit or "_"
    # as str.isalnum sees it. And for words that also hold hyphens, none at a word's start
    # ("Self-Supervised"): _WORD takes a hyphen anywhere after a word's first character.
    if title.isascii():
        # bytes' isalnum is a C loop over a table, three times as fast as replacing and str's
        if not title.encode().translate(None, b" -").isalnum():
            return False
    elif not title.replace(" ", "").replace("-", "").isalnum():
        return False
    return "-" not in title or (title[0] != "-" and " -" not in title)


def is_year_marker(text: str) -> int | None:
    """The year of a line that only holds a year ("2015", "## 2015", "2015:"), else None."""
    stripped = text.strip().strip("#=*_ ").strip()
    if _YEAR_ONLY.match(stripped):
        return int(stripped.strip("():"))
    return None
