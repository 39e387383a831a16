"""How Markdown structure turns into references and the claims attached to them."""

from __future__ import annotations

from app.extract import extract


def refs(text: str, fmt: str = "markdown") -> list[tuple[str, str | None, str | None, int | None]]:
    return [
        (r.kind, r.cited.arxiv_id, r.cited.title, r.cited.year)
        for r in extract(text, format=fmt).references  # type: ignore[arg-type]
    ]


def test_a_paper_section_is_one_reference_with_its_claims() -> None:
    post = (
        "### Attention Is All You Need\n"
        "- **Authors**: Ashish Vaswani, Noam Shazeer\n"
        "- Paper: [arXiv](https://arxiv.org/abs/1706.03762) · [PDF](https://arxiv.org/pdf/1706.03762)\n"
        "- Published: June 2017\n"
        "- Venue: NeurIPS 2017\n"
    )
    (reference,) = extract(post, format="markdown").references
    assert reference.text == "https://arxiv.org/abs/1706.03762"
    cited = reference.cited
    assert (cited.title, cited.authors) == ("Attention Is All You Need", ("Ashish Vaswani", "Noam Shazeer"))
    assert (cited.year, cited.month, cited.venue) == (2017, 6, "NeurIPS 2017")


def test_a_paper_heading_without_a_link_is_a_title_reference() -> None:
    post = "## Deep Residual Learning for Image Recognition (34635 citations)\n\nText.\n"
    assert refs(post) == [("title", None, "Deep Residual Learning for Image Recognition", None)]


def test_generic_headings_and_plain_topics_are_not_papers() -> None:
    post = "# Honorable Mentions\n\n## 2015\n\n### GitHub Copilot\n\n### Conclusion\n\nSome text.\n"
    assert refs(post) == []


def test_a_heading_link_gives_the_title_and_the_id() -> None:
    post = "## [Attention Is All You Need](https://arxiv.org/abs/1706.03762)\n"
    assert refs(post) == [("arxiv_url", "1706.03762", "Attention Is All You Need", None)]


def test_a_reading_list_item_is_one_reference_with_its_bold_title_and_year() -> None:
    item = "- **Attention Is All You Need** (2017) [abs](https://arxiv.org/abs/1706.03762) [pdf](https://arxiv.org/pdf/1706.03762v5)\n"
    assert refs(item) == [("arxiv_url", "1706.03762", "Attention Is All You Need", 2017)]


def test_bold_titles_in_prose_are_separate_from_links_in_the_same_paragraph() -> None:
    prose = (
        "We build on **Layer Normalization** and on the\nideas of https://arxiv.org/abs/1706.03762 which\n"
        "replaced recurrence entirely.\n"
    )
    assert refs(prose) == [
        ("title", None, "Layer Normalization", None),
        ("arxiv_url", "1706.03762", None, None),
    ]


def test_a_link_to_a_paper_site_names_a_paper_and_carries_its_doi() -> None:
    text = "Read [Deep Residual Learning for Image Recognition](https://doi.org/10.1109/CVPR.2016.90).\n"
    (reference,) = extract(text, format="markdown").references
    assert (reference.kind, reference.cited.title, reference.cited.doi) == (
        "title",
        "Deep Residual Learning for Image Recognition",
        "10.1109/CVPR.2016.90",
    )


def test_links_to_other_sites_are_not_papers() -> None:
    assert refs("See [The Illustrated Transformer Blog Post](https://jalammar.github.io/x/).\n") == []


def test_crlf_line_endings_keep_columns_right() -> None:
    text = "# Notes\r\n\r\nSee arXiv:2002.05709 too.\r\n"
    (reference,) = extract(text, format="markdown").references
    assert (reference.line, reference.column, reference.text) == (3, 5, "arXiv:2002.05709")


def test_html_entities_before_a_reference_do_not_shift_its_column() -> None:
    page = "<html><body><p>&ldquo;Caf&eacute;&rdquo; &amp; arXiv:2002.05709</p></body></html>"
    (reference,) = extract(page, format="html").references
    assert reference.column == page.index("arXiv:") + 1
    assert reference.text == "arXiv:2002.05709"


def test_a_reading_list_line_claims_what_follows_its_link() -> None:
    lines = (
        "- [A Simple Framework](https://arxiv.org/abs/2002.05709) — Ting Chen, Kaiming He (2020)\n"
        "- [Attention Is All You Need](https://arxiv.org/abs/1706.03762) (Vaswani et al., 2017)\n"
        "- [Deep Residual Learning](https://arxiv.org/abs/1512.03385), CVPR 2016\n"
    )
    claims = [(r.cited.authors, r.cited.year, r.cited.venue) for r in extract(lines, format="markdown").references]
    assert claims == [
        (("Ting Chen", "Kaiming He"), 2020, None),
        (("Vaswani", "et al."), 2017, None),
        ((), None, "CVPR 2016"),
    ]


def test_html_anchors_in_markdown_are_links_and_badges_give_no_title() -> None:
    readme = (
        '<p align="center"><a href="https://arxiv.org/abs/2002.05709">'
        '<img src="https://img.shields.io/badge/arXiv-2002.05709-b31b1b.svg"></a></p>\n\n'
        'See <a href="https://arxiv.org/abs/1706.03762">Attention Is All You Need</a> (2017).\n'
    )
    assert refs(readme) == [
        ("arxiv_url", "2002.05709", None, None),
        ("arxiv_url", "1706.03762", "Attention Is All You Need", 2017),
    ]


def test_awesome_list_items_carry_authors_venue_and_year_around_their_title() -> None:
    items = (
        "* **Attention Is All You Need**. Ashish Vaswani, Noam Shazeer. *NeurIPS 2017*. "
        "[[pdf]](https://arxiv.org/pdf/1706.03762.pdf) [[code]](https://github.com/tensorflow/tensor2tensor)\n"
        '- Vaswani et al. "Attention is all you need." NeurIPS 2017. [arXiv](https://arxiv.org/abs/1706.03762)\n'
    )
    claims = [
        (r.cited.title, r.cited.authors, r.cited.year, r.cited.venue)
        for r in extract(items, format="markdown").references
    ]
    assert claims == [
        ("Attention Is All You Need", ("Ashish Vaswani", "Noam Shazeer"), None, "NeurIPS 2017"),
        ("Attention is all you need", ("Vaswani", "et al."), 2017, "NeurIPS"),
    ]
