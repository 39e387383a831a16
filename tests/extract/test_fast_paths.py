"""The fast forms of the Markdown scans find exactly what their plain forms find.

Each fast path (a link pattern anchored on "[", one pass for the markup hints, a shape test before
the year-line test) was written for speed; these compare it with the straightforward form it
replaced, on generated text made of the characters those scans care about.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from app.extract.inline import MarkupHints, markdown_links
from app.extract.sections import _YEAR_LINE_SHAPE
from app.extract.titles import is_year_marker

PIECES = [
    "[", "]", "(", ")", "![", "](", "\\", "\\]", "<", ">", "<http://a.b>", "<a ", "<A ", "<ftp", "**", "*",
    "__", "_", " ", "\t", "\n", "x", "arXiv", "https://arxiv.org/abs/2002.05709", '"t"', "'t'", "#", "=",
    "2015", "(2015)", "2015:", "1999", "\u00a0", "\u2003", ":",
]
text_of_pieces = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=4)), max_size=40).map("".join)
CHECKS = settings(max_examples=3000, deadline=None)

# The link pattern as it was before it was anchored on "[": a match may start at the image's "!".
_PLAIN_LINK = re.compile(
    r"(!?)\[((?:[^\[\]\\]|\\.|\[[^\[\]]*\])*)\]\(\s*<?([^()\s>]*(?:\([^()\s]*\)[^()\s>]*)*)>?"
    r"(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)"
)


@CHECKS
@given(text_of_pieces, st.integers(0, 5), st.integers(0, 5))
def test_links_are_the_plain_patterns_links(text: str, cut_start: int, cut_end: int) -> None:
    start, end = min(cut_start, len(text)), max(min(cut_start, len(text)), len(text) - cut_end)
    plain = [
        (m.start(), m.end(), m.start(2), m.end(2), m.start(3), m.end(3), bool(m.group(1)))
        for m in _PLAIN_LINK.finditer(text, start, end)
    ]
    assert [tuple(link) for link in markdown_links(text, start, end)] == plain


@CHECKS
@given(text_of_pieces)
def test_markup_hints_are_every_needle_position(text: str) -> None:
    expected: list[int] = []
    for needle in ("](", "**", "__", "<http", "<ftp", "<a ", "<A "):
        found = text.find(needle)
        while found >= 0:
            expected.append(found)
            found = text.find(needle, found + 1)
    assert list(MarkupHints(text).positions) == sorted(expected)


@CHECKS
@given(text_of_pieces)
def test_every_year_line_has_the_year_line_shape(text: str) -> None:
    if is_year_marker(text) is not None:
        assert _YEAR_LINE_SHAPE.fullmatch(text) is not None
