"""An HTML page says what its Markdown source says: same citations and claims, HTML positions."""

from __future__ import annotations

from pathlib import Path

from markdown_it import MarkdownIt

from app.extract import ExtractedDocument, extract
from tests.extract.expectations import text_at


def claims(document: ExtractedDocument) -> list[tuple[object, ...]]:
    return [
        (r.kind, r.cited.arxiv_id, r.cited.title, r.cited.authors, r.cited.year, r.cited.month, r.cited.venue)
        for r in document.references
    ]


def test_seed_post_rendered_to_html_yields_the_same_citations(shared_dir: Path) -> None:
    source = (shared_dir / "seeds" / "000_8d43cf46a157c8d8.txt").read_text(encoding="utf-8")
    page = (
        "<!DOCTYPE html><html><head><title>A Look Back</title>"
        '<meta name="citation_arxiv_id" content="2011.10566"></head><body>\n'
        + MarkdownIt("commonmark").render(source)
        + "</body></html>\n"
    )
    markdown, html = extract(source, format="markdown"), extract(page, name="post.html")
    assert html.format == "html"
    assert len(html.references) == 12
    assert claims(html) == claims(markdown)
    assert all(text_at(html, reference) == reference.text for reference in html.references)
