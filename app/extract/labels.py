"""Claims stage, labels: the names a document calls a paper by instead of its title.

A document calls a paper by its title in a reading list, a bibliography or a bold heading of an
entry; in a sentence or a checklist it often calls it by a name instead: an acronym ("PPO"), a
method ("Double Q-learning"), a bold name before an author-year citation. A name is a `label`
claim, never compared with the paper's title as if it were one (docs/EXTRACTION.md, "Title or
label"). Where a unit's pieces of text are read as one or the other: title_rules.py.
"""

from __future__ import annotations

import re

from app.extract.claims_dates import YEAR
from app.extract.titles import TITLE_WORD, URL, YEAR_ONLY, clean_title

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


def label_of(text: str) -> str | None:
    """The name a piece of text calls a paper by ("PPO", "Double DQN", "Deep Q Network (DQN)"),
    cleaned like a title; None when it names nothing: a link marker ("[Paper]", "pdf", "here",
    "3"), lower-case topic words ("machine translation"), a year, or a sentence."""
    label = clean_title(text)
    words = TITLE_WORD.findall(label)
    if not words or len(words) > _MAX_LABEL_WORDS or len(label) > 100:
        return None
    if not any(char.isupper() or char.isdigit() for char in label):
        return None  # names are capitalised or hold a digit ("word2vec"); topics are not
    if all(word.lower() in _LINK_WORDS or word.isdigit() or word.lower().startswith("paper-") for word in words):
        return None
    if YEAR_ONLY.match(label) or ((":" in label or "." in label) and URL.search(label)):
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
    return len(TITLE_WORD.findall(title)) <= 3


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
