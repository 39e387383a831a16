"""The fast forms of the Markdown scans find exactly what their plain forms find.

Each fast path (a shape test before the year-line test, a title test that skips searches where
they cannot match) was written for speed; these compare it with the straightforward form it
replaced, on generated text made of the characters those scans care about.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.extract.blocks import scan_blocks
from app.extract.sections import _LABEL_INITIALS, _YEAR_LINE_OPENINGS, _YEAR_LINE_SHAPE, label_and_value
from app.extract.titles import (
    _GENERIC_HEADINGS,
    _GENERIC_OPENINGS,
    _GENERIC_WORDS,
    _is_generic,
    _words,
    clean_title,
    decoration_end,
    is_year_marker,
    looks_like_title,
)
from app.extract.units import _QUOTE_CHARS, _YEAR_AFTER, _has_quote, _year_after
from clients.arxiv.errors import MalformedIdError
from clients.arxiv.ids import ArxivId, _parse, _parse_any

PIECES = [
    "[", "]", "(", ")", "![", "](", "\\", "\\]", "<", ">", "<http://a.b>", "<a ", "<A ", "<ftp", "**", "*",
    "__", "_", " ", "\t", "\n", "x", "arXiv", "https://arxiv.org/abs/2002.05709", '"t"', "'t'", "#", "=",
    "2015", "(2015)", "2015:", "1999", "\u00a0", "\u2003", ":",
]
text_of_pieces = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=4)), max_size=40).map("".join)
CHECKS = settings(max_examples=3000, deadline=None)

@CHECKS
@given(text_of_pieces)
def test_every_year_line_has_the_year_line_shape(text: str) -> None:
    if is_year_marker(text) is not None:
        assert _YEAR_LINE_SHAPE.fullmatch(text) is not None
    if _YEAR_LINE_SHAPE.fullmatch(text) is not None:
        assert text[:1] in _YEAR_LINE_OPENINGS or text[:1].isspace()


# Blocks as the generator-based line scanner found them (before the lines were cut in the loop).
FRONT_MATTER_CASES = [
    ("---\ntitle: x\n---\nSee arXiv:2002.05709\n", True, [("front_matter", 0, 0, 16), ("paragraph", 17, 17, 37)]),
    ("---\ntitle: x\n...", True, [("front_matter", 0, 0, 16)]),
    ("---\ntitle: x\n", True, [("front_matter", 0, 0, 13)]),
    ("---\r\na: b\r\n---\r\ntext\r\n", True, [("front_matter", 0, 0, 14), ("paragraph", 16, 16, 20)]),
    ("---\ntitle: x\n---\n", False, [("paragraph", 0, 0, 16)]),
    ("", True, []),
    ("---", True, [("front_matter", 0, 0, 3)]),
]


@pytest.mark.parametrize(("text", "markdown", "expected"), FRONT_MATTER_CASES)
def test_front_matter_is_one_block_and_the_lines_after_it_are_read(
    text: str, markdown: bool, expected: list[tuple[str, int, int, int]]
) -> None:
    assert [(b.kind, b.start, b.content_start, b.end) for b in scan_blocks(text, markdown=markdown)] == expected


plain_ids = st.builds(
    "{}{}{}.{}".format,
    st.sampled_from(["", "https://arxiv.org/abs/", "http://www.arxiv.org/abs/", "https://arxiv.org/pdf/"]),
    st.from_regex(r"[0-9]{2}", fullmatch=True),
    st.from_regex(r"[0-9]{2}", fullmatch=True),
    st.from_regex(r"[0-9]{4,6}", fullmatch=True),
)


@CHECKS
@given(plain_ids)
def test_the_plain_id_shortcut_parses_as_the_full_grammar(text: str) -> None:
    try:
        expected: ArxivId | str = _parse_any(text)
    except MalformedIdError as error:
        expected = error.reason
    try:
        got: ArxivId | str = _parse(text)
    except MalformedIdError as error:
        got = error.reason
    assert got == expected


# looks_like_title's searches as they were before each was skipped where it cannot match.
_TITLE_URL = re.compile(r"https?://|www\.", re.I)
_TITLE_CITATION = re.compile(r"\bet\.?\s+al\b|,\s*(?:19[5-9]\d|20[0-4]\d)[a-z]?\)?$")
_TITLE_WORD = re.compile(r"[^\W_][\w'’\-]*")
TITLE_PIECES = [
    "Learning", "Deep Networks", " ", "  ", ":", ".", ",", "et", "al", " et al", " et. al.", "et  al", ", 2020",
    ",2019a", ", 2020)", "http://", "https://", "www.", "WWW.", "Www.", "HTTPS://", "ſ", "K", "İ", "(", "[",
    '"', "“", "2015", "Introduction", "and", "the", "of", "Summary", "x", "\n", "\t", "\u2003", "_", "-",
    "½", "²", "Ⅻ", "e\u0301", "é", "'", "’", "Äpfel", "日本語", "\x1c", "\u00a0", "٣",
    *("Self-Supervised", " -", "--", "- ", "-a", "a-", "1-2", "_a", "a_b", "(2015)", "2015:", "1999", "(19"),
]
titles = st.lists(st.one_of(st.sampled_from(TITLE_PIECES), st.text(max_size=3)), max_size=14).map("".join)


def _plain_looks_like_title(text: str) -> bool:
    first = text.lstrip(" \t\n(['\"“‘")[:1]
    if not (first.isupper() or first.isdigit()) or " " not in text.strip() or len(text) > 400:
        return False
    title = clean_title(text)
    if not 4 <= len(title) <= 300 or _TITLE_URL.search(title):
        return False
    words = _TITLE_WORD.findall(title)
    if not 2 <= len(words) <= 40:
        return False
    if _TITLE_CITATION.search(title):
        return False
    return not _plain_is_generic(title.lower().strip(" :#*"), words)


_YEAR_ONLY = re.compile(r"^\(?(?:19[5-9]\d|20[0-4]\d)\)?:?$")


def _plain_is_generic(lowered: str, words: list[str]) -> bool:
    if not lowered or _YEAR_ONLY.match(lowered):
        return True
    if lowered in _GENERIC_HEADINGS:
        return True
    if words and words[0].lower() in _GENERIC_OPENINGS:
        return True
    return len(words) <= 3 and all(word.lower() in _GENERIC_WORDS for word in words)


@CHECKS
@given(titles)
def test_title_test_is_the_plain_title_test(text: str) -> None:
    assert looks_like_title(text) == _plain_looks_like_title(text)


@CHECKS
@given(titles)
def test_title_words_and_generic_test_are_the_plain_ones(text: str) -> None:
    title = clean_title(text)
    if title:
        assert _words(title) == _TITLE_WORD.findall(title)
    lowered = title.lower().strip(" :#*")
    words = _TITLE_WORD.findall(lowered)
    assert _is_generic(lowered, words) == _plain_is_generic(lowered, words)


YEAR_PIECES = [" ", "(2020)", "[2019]", "**", "__", "\u00a0", "\t", "\n", " — Ting Chen", "(", "2020", ")", "x", "_"]
after_text = st.lists(st.sampled_from(YEAR_PIECES), max_size=8).map("".join)


@CHECKS
@given(after_text, st.integers(0, 3))
def test_the_year_after_a_title_is_the_plain_patterns(text: str, end: int) -> None:
    match = _YEAR_AFTER.match(text[end : end + 12].lstrip(" "))
    assert _year_after(text, end) == (int(match.group(1)) if match else None)


quote_text = st.lists(st.sampled_from(['"', "“", "”", "„", "«", "»", "'", "a", " ", "—"]), max_size=8).map("".join)


@CHECKS
@given(quote_text, st.integers(0, 3), st.integers(0, 3))
def test_the_quote_test_is_the_set_intersection(text: str, cut_start: int, cut_end: int) -> None:
    start, end = min(cut_start, len(text)), max(min(cut_start, len(text)), len(text) - cut_end)
    assert _has_quote(text, start, end) == bool(_QUOTE_CHARS.intersection(text[start:end]))


# decoration_end as it was before the bracket test: the decoration pattern searched every time.
_TITLE_DECORATION = re.compile(
    r"\s*(?:\(\s*[\d,]+\s+(?:citations?|cites|stars)\s*\)|\[(?:pdf|code|paper|arxiv|link|slides|video)\]"
    r"|\((?:pdf|code|paper|arxiv|link)\)|\[\d+\])\s*$",
    re.I,
)


def _plain_decoration_end(text: str) -> int:
    end = len(text.rstrip())
    while True:
        match = _TITLE_DECORATION.search(text[:end])
        if not match or match.start() == end:
            return len(text[:end].rstrip())
        end = match.start()


DECORATION_PIECES = ["Title", " ", "\n", "\u2003", "(7446 citations)", "( 12 stars )", "[pdf]", "[PDF]", "(code)"]
DECORATION_PIECES += ["[3]", "(", ")", "[", "]", ".", "2020", "x)", "\t"]
decorated = st.lists(st.sampled_from(DECORATION_PIECES), max_size=8).map("".join)


@CHECKS
@given(decorated)
def test_the_decoration_end_is_the_plain_search(text: str) -> None:
    assert decoration_end(text) == _plain_decoration_end(text)


# The metadata label pattern as it was, taking the value itself.
_PLAIN_LABEL = re.compile(
    r"^[ \t]*(?:\*\*|__)?(?P<label>authors?|by|written by|link|links|paper|papers|arxiv|url|pdf|"
    r"released(?: in| on)?|published(?: in| on| at)?|date|year|submitted(?: on)?|"
    r"accepted (?:to|at|in|by)|venue|conference|journal|appeared in|code|project page)"
    r"(?:\*\*|__)?[ \t]*[:：][ \t]*(?:\*\*|__)?[ \t]*(?P<value>.*?)[ \t]*$",
    re.I,
)
LABEL_PIECES = ["Authors", "Link", "by", "Released in", "Accepted to", ":", "：", " ", "\t", "**", "__", "x"]
LABEL_PIECES += ["Ting Chen", "\r", "  ", "İ", "AUTHOR", "https://arxiv.org/abs/2002.05709", "ſubmitted", "*", "_"]


@CHECKS
@given(st.lists(st.sampled_from(LABEL_PIECES), max_size=8).map("".join))
def test_a_metadata_label_is_read_as_the_plain_pattern_reads_it(line: str) -> None:
    plain = _PLAIN_LABEL.match(line)
    assert label_and_value(line) == (None if plain is None else (plain["label"], plain["value"]))


def test_the_label_initials_are_every_character_a_label_can_open_with() -> None:
    group = _PLAIN_LABEL.pattern.split("(?P<label>", 1)[1]
    firsts, depth = {group[0]}, 0
    for at, char in enumerate(group):  # the first character of each top-level alternative
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            break
        if char == "|" and depth == 0:
            firsts.add(group[at + 1])
    opening = re.compile(f"[{''.join(sorted(firsts))}]", re.I)
    assert {chr(c) for c in range(0x110000) if opening.fullmatch(chr(c))} == _LABEL_INITIALS
