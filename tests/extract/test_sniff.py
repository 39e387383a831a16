"""The format comes from the file name when it says, else from the content."""

from __future__ import annotations

import pytest

from app.extract import extract


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("paper.bib", "anything", "bibtex"),
        ("refs.bbl", "anything", "latex"),
        ("page.HTML", "anything", "html"),
        ("README.md", "plain words", "markdown"),
        (None, "<!DOCTYPE html><html><body>x</body></html>", "html"),
        ("notes.txt", "@article{a, title={T}}\n", "bibtex"),
        (None, "\\begin{thebibliography}{9}\n\\bibitem{a} A.\n", "latex"),
        ("post.txt", "---\ntitle: x\n---\n\n## Papers\n", "markdown"),
        ("post.txt", "Just words, a list\n\n  • one\n", "text"),
    ],
)
def test_format_is_named_or_sniffed(name: str | None, text: str, expected: str) -> None:
    assert extract(text, name=name).format == expected


def test_an_explicit_format_wins_over_the_name() -> None:
    assert extract("# x", name="a.bib", format="markdown").format == "markdown"
