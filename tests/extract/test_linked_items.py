"""The one-match readings of list lines find exactly what the general readings find.

A "- " line is classified by blocks.scan_blocks without _classify, and a list item that is one link
to an arXiv abstract page is read by linked_items.read_linked_item instead of read_block. Each is
compared with its general form (the fast path switched off) on generated lines made of the
characters those readings care about, and on the seed posts and fixtures.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.extract import blocks as blocks_module
from app.extract import extract, prose
from app.extract.arxiv_mentions import IdHints
from app.extract.blocks import scan_blocks
from app.extract.inline import MarkupHints
from app.extract.linked_items import read_linked_item
from app.extract.mojibake import NO_REPAIR

CHECKS = settings(max_examples=3000, deadline=None)
ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT.parent / "shared" / "seeds"
FIXTURES = ROOT / "tests" / "extract" / "fixtures" / "documents"

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
label_pieces = [p for p in PIECES if not set(p) & set("[]\\<*_`")]
label_text = st.lists(st.one_of(st.sampled_from(label_pieces), st.text(max_size=3)), max_size=8).map("".join)
abs_urls = st.builds(
    "{}://{}arxiv.org/abs/{}.{}{}".format,
    st.sampled_from(["http", "https"]),
    st.sampled_from(["", "www."]),
    st.sampled_from(["2002", "1501", "0704", "1412", "2013", "0612", "9912"]),
    st.sampled_from(["05709", "00000", "0001", "1234", "12345"]),
    st.sampled_from(["", "v1", "v0", "v12"]),
)
markers = st.sampled_from(["- ", "* ", "1. ", "- ", "-  ", "[3] ", "  - "])
linked_lines = st.builds(
    "{}{}[{}]({}){}".format, markers, st.one_of(st.just(""), piece_text), label_text, abs_urls, piece_text
)
documents = st.lists(st.one_of(linked_lines, piece_text), min_size=1, max_size=4).map("\n".join)
HEADINGS = ["", "## Reading list\n\n", "## References\n\n", "# Paper Title Here\n\n"]


@contextmanager
def _general_readings() -> Iterator[None]:
    with (
        mock.patch.object(prose, "read_linked_item", return_value=None),
        mock.patch.object(blocks_module, "_DASH_ITEM", "off"),
    ):
        yield


def _fields(text: str, **options: Any) -> list[tuple[object, ...]]:
    document = extract(text, **options)
    return [
        (r.kind, r.text, r.line, r.column, r.malformed_reason, r.cited) for r in document.references
    ]


@CHECKS
@given(documents, st.sampled_from(HEADINGS), st.sampled_from(["markdown", "text"]))
def test_linked_lines_are_read_as_the_general_reading_reads_them(text: str, heading: str, fmt: str) -> None:
    text = heading + text
    fast = _fields(text, format=fmt)
    with _general_readings():
        assert _fields(text, format=fmt) == fast


@CHECKS
@given(st.lists(st.one_of(st.sampled_from(["- ", "-", "- -", "--", "-\t", "- - -", "-  x"]), piece_text), max_size=12))
def test_dash_lines_make_the_blocks_the_classifier_makes(parts: list[str]) -> None:
    text = "".join(parts)
    for markdown in (True, False):
        fast = list(scan_blocks(text, markdown=markdown))
        with _general_readings():
            assert list(scan_blocks(text, markdown=markdown)) == fast


def _real_documents() -> list[Path]:
    return sorted(SEEDS.glob("*.txt")) + sorted(p for p in FIXTURES.iterdir() if not p.name.endswith(".json"))


@pytest.mark.parametrize("path", _real_documents(), ids=lambda p: p.name)
@pytest.mark.parametrize("fmt", ["auto", "markdown", "text"])
def test_real_documents_read_as_before(path: Path, fmt: str) -> None:
    data = path.read_bytes()
    fast = _fields(data, name=path.name, format=fmt)  # type: ignore[arg-type]
    with _general_readings():
        assert _fields(data, name=path.name, format=fmt) == fast  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "line",
    [
        "- [Attention Is All You Need](https://arxiv.org/abs/1706.03762) — Ashish Vaswani et al. (2017)",
        "- [SimCLR](https://arxiv.org/abs/2002.05709v3), Chen et al., ICML 2020",
        "* 2020: [A Simple Framework](http://www.arxiv.org/abs/2002.05709)",
    ],
)
def test_a_reading_list_line_takes_the_one_match_reading(line: str) -> None:
    start = line.index(" ") + 1
    ids, markup = IdHints(line).positions, MarkupHints(line).positions
    assert read_linked_item(line, start, len(line), ids, 0, markup, 0, NO_REPAIR) is not None


@pytest.mark.parametrize(
    "line",
    [
        "- [**Bold Title**](https://arxiv.org/abs/1706.03762)",
        "- [Title](https://arxiv.org/abs/1706.03762) and arXiv:2002.05709",
        "- ![Title](https://arxiv.org/abs/1706.03762)",
        "- [Title](https://arxiv.org/pdf/1706.03762.pdf)",
        "- [Title](https://arxiv.org/abs/1706.03762) [code](https://github.com/x)",
        "- <https://arxiv.org/abs/2002.05709> [Title](https://arxiv.org/abs/1706.03762)",
    ],
)
def test_other_items_take_the_general_reading(line: str) -> None:
    ids, markup = IdHints(line).positions, MarkupHints(line).positions
    assert read_linked_item(line, 2, len(line), ids, 0, markup, 0, NO_REPAIR) is None
