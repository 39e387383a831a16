"""Two scans whose first forms were written for speed, checked against the plain forms they replaced:
the front-matter block of the Markdown scanner, and clients/arxiv/ids.py's shortcut for plain
new-style ids (compared with its full grammar on generated ids).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.extract.blocks import scan_blocks
from clients.arxiv.errors import MalformedIdError
from clients.arxiv.ids import ArxivId, _parse, _parse_any

CHECKS = settings(max_examples=3000, deadline=None)

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
