"""Claims stage, titles: whether a piece of text reads like a paper's title, and the title without its
decorations; what sets a title apart from emphasis in prose (italics after a cue, a first sentence)."""

from __future__ import annotations

import re

from app.extract.claims_dates import YEAR

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
YEAR_ONLY = re.compile(rf"^\(?{YEAR}\)?:?$")
_QUOTES = "\"'“”‘’«»„"
_QUOTES_AND_SPACE = _QUOTES + " "
URL = re.compile(r"https?://|www\.", re.I)
_CITATION = re.compile(rf"\bet\.?\s+al\b|,\s*{YEAR}[a-z]?\)?$")
TITLE_WORD = re.compile(r"[^\W_][\w'’\-]*")


def clean_title(text: str) -> str:
    """Whitespace collapsed; quotes, list numbers, trailing punctuation and decorations such as
    "(7446 citations)" or "[pdf]" removed."""
    title = " ".join(text.split())
    while True:
        trimmed = _DECORATION.sub("", title).strip()
        trimmed = trimmed.strip(_QUOTES_AND_SPACE).rstrip(".,;:").strip(_QUOTES_AND_SPACE)
        if trimmed == title:
            return title
        title = trimmed


def decoration_end(text: str) -> int:
    """Length of `text` without trailing decorations (where the title itself ends)."""
    end = len(text.rstrip())
    while True:
        match = _DECORATION.search(text[:end])
        if not match or match.start() == end:
            return len(text[:end].rstrip())
        end = match.start()


def is_generic_heading(text: str) -> bool:
    """ "Honorable Mentions", "2015", "Conclusion and Future Prospects": structure, not a paper."""
    lowered = clean_title(text).lower().strip(" :#*")
    return _is_generic(lowered, TITLE_WORD.findall(lowered))


def _is_generic(lowered: str, words: list[str]) -> bool:
    """A year alone, a section name, a heading that opens with one ("Conclusion and ..."), or at
    most three words all from section names ("Notes and Links")."""
    if not lowered or YEAR_ONLY.match(lowered):
        return True
    if lowered in _GENERIC_HEADINGS:
        return True
    if words and words[0].lower() in _GENERIC_OPENINGS:
        return True
    return len(words) <= 3 and all(word.lower() in _GENERIC_WORDS for word in words)


def looks_like_title(text: str) -> bool:
    """A phrase that could be a paper's title: two to forty words, the first capitalised or a
    number, 4 to 300 characters once cleaned, no URL, no author-year citation, not a section name."""
    first = text.lstrip(" \t\n(['\"“‘")[:1]
    if not (first.isupper() or first.isdigit()) or " " not in text.strip() or len(text) > 400:
        return False
    title = clean_title(text)
    if not 4 <= len(title) <= 300 or URL.search(title):
        return False
    words = TITLE_WORD.findall(title)
    if not 2 <= len(words) <= 40:
        return False
    if _CITATION.search(title):
        return False
    return not _is_generic(title.lower().strip(" :#*"), words)


def is_year_marker(text: str) -> int | None:
    """The year of a line that only holds a year ("2015", "## 2015", "2015:"), else None."""
    stripped = text.strip().strip("#=*_ ").strip()
    if YEAR_ONLY.match(stripped):
        return int(stripped.strip("():"))
    return None


# Words of a venue, which lists set in italics as often as titles: "*Advances in Neural Information
# Processing Systems*", "*arXiv preprint arXiv:1505.05770*".
_VENUE_WORDS = frozenset(
    (
        *("advances", "arxiv", "conference", "journal", "letters", "preprint", "proceedings", "symposium"),
        *("transactions", "workshop", "annals", "corr", "review"),
    )
)
_MIN_ITALIC_WORDS = 3
# Italics name a work everywhere (a novel, a book, a show); they name a cited paper where the text
# introduces them as one: "See: *Title*", "cf. *Title*", "the paper *Title*", "introduced in *Title*".
_CITING_CUE = re.compile(
    r"(?i)(?:\b(?:see|cf|paper|article|tutorial|titled|entitled)|\b(?:described|introduced|proposed|presented|published)"
    r" in)[.:,]?\s{0,3}[\"“(]?$"
)
_CUE_REACH = 40
_MIN_SENTENCE_TITLE_WORDS = 4
# A list item's first sentence: up to a full stop followed by more text.
_FIRST_SENTENCE = re.compile(r"(?P<sentence>[^.!?\n]{8,300}?)\.\s+(?=\S)")


def cites_what_follows(before: str) -> bool:
    """Whether the text right before an italic phrase introduces it as a cited work ("See: ")."""
    return _CITING_CUE.search(before[-_CUE_REACH:]) is not None


def looks_like_italic_title(text: str) -> bool:
    """An italic phrase that is a cited title, not emphasis or a venue: it reads like a title, has
    three words or more, and most of its long words are capitalised ("*NIPS 2016 Tutorial:
    Generative Adversarial Networks*"); emphasis is mostly lower case ("*not* the same")."""
    if not looks_like_title(text):
        return False
    words = TITLE_WORD.findall(clean_title(text))
    if len(words) < _MIN_ITALIC_WORDS or any(word.lower() in _VENUE_WORDS for word in words):
        return False
    long_words = [word for word in words if len(word) > 3]
    capitalised = sum(word[0].isupper() or word[0].isdigit() for word in long_words)
    return bool(long_words) and 3 * capitalised >= 2 * len(long_words)


def first_sentence_title(item: str) -> tuple[int, int] | None:
    """Where the title is in a list item that opens with one and then talks about "this paper"
    ("• How to represent part-whole hierarchies in a neural network. I'm going to quote a very good
    description [...] of this paper"): its first sentence, when that reads like a title of four
    words or more and the rest of the item speaks of a paper. A topic bullet ("• Knowledge
    Distillation. ...") is too short; one that never says "paper" is not about one."""
    match = _FIRST_SENTENCE.match(item)
    if match is None or "paper" not in item[match.end() :].lower():
        return None
    sentence = match.group("sentence")
    if not looks_like_title(sentence) or len(sentence.split()) < _MIN_SENTENCE_TITLE_WORDS:
        return None
    return match.start("sentence"), match.end("sentence")
