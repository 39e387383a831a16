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


# Title or label. A document calls a paper by its title in a reading list, a bibliography or a
# bold heading of an entry; in a sentence or a checklist it often calls it by a name instead: an
# acronym ("PPO"), a method ("Double Q-learning"), a bold name before an author-year citation.
# A name is a `label` claim, never compared with the paper's title as if it were one
# (docs/EXTRACTION.md, "Title or label").

# Words that say what a link points at, not which paper: "[Paper]", "[pdf]", "Paper link", "here".
_LINK_WORDS = frozenset(
    (
        *("a", "abs", "abstract", "an", "and", "arxiv", "blog", "code", "demo", "full", "here", "html", "in", "link"),
        *("links", "of", "on", "original", "page", "paper", "papers", "pdf", "post", "preprint", "project"),
        *("see", "site", "slides", "source", "text", "the", "this", "url", "version", "video", "web"),
    )
)
_MAX_LABEL_WORDS = 6
# "Deep Q Network (DQN)": a name followed by its acronym in brackets.
_ACRONYM_TAIL = re.compile(r"^(?P<name>.+?)\s*\((?P<acronym>[^\s()]*[A-Z][^\s()]*)\)$")
# "Variational Autoencoder (Kingma 2013)": a name and an author-year citation in brackets.
_AUTHOR_YEAR_TAIL = re.compile(rf"^(?P<name>.*?[^\s(])\s*\((?P<cited>[^()]*{YEAR}[a-z]?)\)$")
# "Kipf & Welling", "Bruna et al.": whom a link cites, without a year.
_AUTHORS_ONLY = re.compile(r"^[A-Z][\w'’-]+(?:,?\s+(?:and|&)\s+[A-Z][\w'’-]+|,?\s+et\.?\s+al\.?)$")
# "Algorithm: A3C." in a reading list's entry: a field of the entry, its value a name.
_FIELD_LABEL = re.compile(r"^(?P<field>[A-Z][a-z]+)s?:\s+(?P<value>\S.*)$")
_FIELD_NAMES = frozenset(
    ("algorithm", "method", "model", "approach", "architecture", "technique", "name", "contribution")
)


@lru_cache(maxsize=4096)
def label_of(text: str) -> str | None:
    """The name a piece of text calls a paper by ("PPO", "Double DQN", "Deep Q Network (DQN)"),
    cleaned like a title; None when it names nothing: a link marker ("[Paper]", "pdf", "here",
    "3"), lower-case topic words ("machine translation"), a year, or a sentence."""
    label = clean_title(text)
    words = _WORD.findall(label)
    if not words or len(words) > _MAX_LABEL_WORDS or len(label) > 100:
        return None
    if not any(char.isupper() or char.isdigit() for char in label):
        return None  # names are capitalised or hold a digit ("word2vec"); topics are not
    if all(word.lower() in _LINK_WORDS or word.isdigit() or word.lower().startswith("paper-") for word in words):
        return None
    if _YEAR_ONLY.match(label) or ((":" in label or "." in label) and _URL.search(label)):
        return None
    return label


def is_short_name(title: str) -> bool:
    """A piece of text short enough to be a name rather than a title, where the document uses it
    as a name: one to three words without a subtitle ("Double Q-learning", "Proximal Policy
    Optimization"), or such a name with its acronym ("Deep Q Network (DQN)"). Real titles can be
    that short ("Policy Distillation"): the caller decides from where the text stands."""
    acronym = _ACRONYM_TAIL.match(title)
    if acronym is not None:
        title = acronym.group("name")
    if ":" in title:
        return False  # "Rainbow: Combining Improvements in Deep Reinforcement Learning"
    return len(_WORD.findall(title)) <= 3


def name_before_citation(text: str) -> tuple[str, str] | None:
    """ "Variational Autoencoder (Kingma 2013)": the name and the bracketed author-year citation
    after it, or None when the text does not end in one."""
    match = _AUTHOR_YEAR_TAIL.match(" ".join(text.split()))
    if match is None:
        return None
    return match.group("name"), match.group("cited")


def cites_authors_only(text: str) -> bool:
    """ "Kipf & Welling", "Bruna et al.": link text that says whom it cites, not a title."""
    return _AUTHORS_ONLY.match(" ".join(text.split())) is not None


def field_label(text: str) -> str | None:
    """The name in an entry's field ("Algorithm: A3C." → "A3C"), or None when the text is no
    such field. "Adam: A Method for Stochastic Optimization" is a title, not a field: only a
    field name such as "Algorithm" or "Method" opens one."""
    match = _FIELD_LABEL.match(" ".join(text.split()))
    if match is None or match.group("field").lower() not in _FIELD_NAMES:
        return None
    return clean_title(match.group("value")) or None


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
    words = _words(clean_title(text))
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
