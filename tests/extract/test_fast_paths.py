"""A scan whose first form was written for speed, checked against the plain form it replaced: the
front-matter block of the Markdown scanner.
"""

from __future__ import annotations

import pytest

from app.extract.blocks import scan_blocks

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
