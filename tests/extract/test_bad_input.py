"""Hostile or huge input gives a result or a clear error within a time bound, never a hang."""

from __future__ import annotations

import os

import pytest

from app.extract import ExtractionError, extract

LINE = "- [A Simple Framework for Contrastive Learning](https://arxiv.org/abs/2002.05709) (2020)\n"


@pytest.mark.timeout(20)
def test_random_binary_data_is_refused() -> None:
    with pytest.raises(ExtractionError):
        extract(os.urandom(1_000_000))


@pytest.mark.timeout(60)  # a hang guard: about 6 s on one free core; the machine may be shared
def test_a_five_megabyte_markdown_document_is_read() -> None:
    text = LINE * (5_000_000 // len(LINE))
    document = extract(text.encode(), name="big.md")
    assert len(document.references) == text.count("\n")


@pytest.mark.timeout(20)
def test_a_200000_line_text_file_is_read() -> None:
    lines = ["plain line without references"] * 199_999 + ["arXiv:2002.05709"]
    document = extract("\n".join(lines), name="long.txt")
    (reference,) = document.references
    assert reference.line == 200_000


@pytest.mark.timeout(20)
def test_html_nested_ten_thousand_deep_is_read() -> None:
    page = "<html><body>" + "<div>" * 10_000 + "arXiv:2002.05709" + "</div>" * 10_000 + "</body></html>"
    (reference,) = extract(page, name="deep.html").references
    assert (reference.line, reference.column) == (1, page.index("arXiv:") + 1)


@pytest.mark.timeout(20)
def test_unclosed_html_tags_and_stray_brackets_are_read() -> None:
    page = "<html><body><p>arXiv:2002.05709 <b><i><a href='https://arxiv.org/abs/1706.03762'" + "<" * 50_000
    document = extract(page, name="broken.html")
    assert [r.cited.arxiv_id for r in document.references][:1] == ["2002.05709"]


@pytest.mark.timeout(20)
def test_an_unterminated_bibtex_entry_still_yields_its_id() -> None:
    bib = (
        "@article{ok, title = {Fine}, eprint = {1706.03762}}\n"
        "@article{broken,\n  title = {Never closed,\n  eprint = {2002.05709},\n"
    )
    document = extract(bib, name="broken.bib")
    assert [r.cited.arxiv_id for r in document.references] == ["1706.03762", "2002.05709"]


@pytest.mark.timeout(20)
@pytest.mark.parametrize(
    "text",
    [
        ("**" * 20_000 + "[" * 20_000 + "](" * 20_000 + "\n") * 3,
        "**x " * 300_000,  # every "**" unclosed: must not scan to the end each time
        "__a " * 300_000,
        "[a " * 300_000,
        "`" * 100_000 + "a",
    ],
    ids=["mixed", "unclosed-bold", "unclosed-underscores", "unclosed-links", "backticks"],
)
def test_pathological_markdown_emphasis_and_brackets_do_not_hang(text: str) -> None:
    assert extract(text, name="odd.md").references == ()


@pytest.mark.timeout(20)
def test_an_unterminated_code_fence_hides_the_rest_of_the_document() -> None:
    text = "arXiv:1706.03762\n```\narXiv:2002.05709\n" + "x\n" * 100_000
    assert [r.cited.arxiv_id for r in extract(text, name="fence.md").references] == ["1706.03762"]
