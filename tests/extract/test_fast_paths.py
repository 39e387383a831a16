"""The fast forms of the Markdown scans find exactly what their plain forms find.

Each fast path (a link pattern anchored on "[", one pass for the markup hints) was written for
speed; these compare it with the straightforward form it replaced, on generated text made of the
characters those scans care about.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.extract.arxiv_mentions import _NEW_STYLE_HINT, _judge, _new_style_hints, find_mentions, may_hold_ids
from app.extract.blocks import scan_blocks
from app.extract.inline import MarkupHints, markdown_links
from app.extract.mojibake import _RUN, _repairs_in, is_damaged
from clients.arxiv.errors import MalformedIdError
from clients.arxiv.ids import ArxivId, _parse, _parse_any, fold, id_span_fields

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


abs_urls = st.builds(
    "{}://{}arxiv.org/abs/{}.{}{}".format,
    st.sampled_from(["http", "https"]),
    st.sampled_from(["", "www."]),
    st.from_regex(r"[0-9]{4}", fullmatch=True),
    st.from_regex(r"[0-9]{4,5}", fullmatch=True),
    st.sampled_from(["", "v1", "v0", "v12"]),
)


@CHECKS
@given(abs_urls, st.sampled_from(["", "[x](", "see "]))
def test_a_target_that_is_an_abs_url_is_read_as_the_grammar_reads_it(url: str, before: str) -> None:
    text = before + url
    start = len(before)
    by_grammar = [
        mention
        for span in id_span_fields(text[start:])
        if (mention := _judge(span, text, start, bibliography=False)) is not None
    ]
    assert find_mentions(text, start, len(text), hinted=True) == by_grammar


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


_PLAIN_HINT = re.compile(r"\d{4}\.\d{4}|/\d{7}|(?i:arxiv)")
HINT_PIECES = [
    *("arxiv", "ARXIV", "ArXiV", "arxıv", "ARXİV", "x", "X", ".", "/", "2002.05709", "/1234567", "١٢٣٤.٥٦٧٨", " ",
      "ａｒＸｉｖ", "．", "２００２"),
]
hint_text = st.lists(st.one_of(st.sampled_from(HINT_PIECES), st.text(max_size=3)), max_size=10).map("".join)


@CHECKS
@given(hint_text, st.integers(0, 5), st.integers(0, 5))
def test_may_hold_ids_is_the_plain_search(text: str, cut_start: int, cut_end: int) -> None:
    start, end = min(cut_start, len(text)), max(min(cut_start, len(text)), len(text) - cut_end)
    # Read as the id grammar reads it: full-width and other non-ASCII digits and letters as ASCII.
    assert may_hold_ids(text, start, end) == (_PLAIN_HINT.search(fold(text[start:end])) is not None)
    assert may_hold_ids(text) == (_PLAIN_HINT.search(fold(text)) is not None)


MAC_ROMAN_HIGH = bytes(range(0x80, 0x100)).decode("mac_roman")
damage_text = st.lists(
    st.one_of(st.sampled_from(["a", " ", "H√§rk√∂nen", "üéâ", "‚Äî", "é", "—", "\n"]), st.sampled_from(MAC_ROMAN_HIGH)),
    max_size=12,
).map("".join)


@CHECKS
@given(damage_text)
def test_the_damage_test_is_the_plain_run_search(text: str) -> None:
    plain = any(telling for run in _RUN.finditer(text) for *_, telling in _repairs_in(run.group(), run.start()))
    assert is_damaged(text) == plain


NUMBER_PIECES = ["1", "2345", ".", "6789.", "1.2345.6789", "x", " ", "/", "١"]
number_text = st.lists(st.sampled_from(NUMBER_PIECES), max_size=16).map("".join)


@CHECKS
@given(number_text)
def test_new_style_hints_are_the_plain_patterns_matches(text: str) -> None:
    assert _new_style_hints(text) == [m.start() for m in _NEW_STYLE_HINT.finditer(text)]
