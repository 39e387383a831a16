"""The one-match readings of list lines find exactly what the general readings find.

A "- " line is classified by blocks.scan_blocks without _classify; it is compared with its general
form (the fast path switched off) on generated lines made of the characters the scanner cares about.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from app.extract import blocks as blocks_module
from app.extract.blocks import scan_blocks

CHECKS = settings(max_examples=3000, deadline=None)

# What the general reading reacts to: markup, quotes, ids and id look-alikes, years, names,
# separators, mojibake ("H√§rk√∂nen") and characters with odd case folding or digit classes.
PIECES = [
    "[", "]", "(", ")", "![", "](", "!", "\\", "<", ">", "<http://a.b>", "<a href='x'>y</a>", "*", "**",
    "_", "__", "`", '"', "“", "”", "«", "'", " ", "\t", "\n", "\n  ", "—", " — ", " - ", " | ", ", ", ". ",
    "; ", ":", "(2020)", "[2019]", "2021", "1999", "NeurIPS 2017", "Ting Chen", "Kaiming He", "Chen et al.",
    "et al.", " and ", "Härkönen", "H√§rk√∂nen", "arXiv", "ARXIV", "arxiv:2002.05709", "2002.05709",
    "hep-th/9901001", "/1234567", "١٢٣٤.٥٦٧٨", "https://arxiv.org/abs/2002.05709", "https://x.org/a.pdf",
    "10.1109/X.2020.1", "Learning", "Deep Networks", "Attention Is All You Need", "by ", "References",
    "İ", "ı", "K", "x", "pdf", "[pdf]", "(7446 citations)",
]
piece_text = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=3)), max_size=12).map("".join)


@contextmanager
def _general_readings() -> Iterator[None]:
    with mock.patch.object(blocks_module, "_DASH_ITEM", "off"):
        yield


@CHECKS
@given(st.lists(st.one_of(st.sampled_from(["- ", "-", "- -", "--", "-\t", "- - -", "-  x"]), piece_text), max_size=12))
def test_dash_lines_make_the_blocks_the_classifier_makes(parts: list[str]) -> None:
    text = "".join(parts)
    for markdown in (True, False):
        fast = list(scan_blocks(text, markdown=markdown))
        with _general_readings():
            assert list(scan_blocks(text, markdown=markdown)) == fast
