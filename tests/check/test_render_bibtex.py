"""A paper as a BibTeX entry (GET /v1/papers/{id}?format=bibtex): what a reference manager imports."""

from __future__ import annotations

from datetime import UTC, datetime

import bibtexparser

from app.check.render.bibtex import paper_bibtex
from clients.arxiv import Author, Paper


def _paper(**changes: object) -> Paper:
    fields: dict[str, object] = {
        "arxiv_id": "2002.05709", "version": 3,
        "title": "A Simple Framework for Contrastive Learning of Visual Representations",
        "abstract": "", "authors": (Author("Ting Chen"), Author("Simon Kornblith")),
        "published": datetime(2020, 2, 13, tzinfo=UTC), "updated": datetime(2020, 7, 1, tzinfo=UTC),
        "primary_category": "cs.LG", "categories": ("cs.LG", "stat.ML"),
    }
    return Paper(**(fields | changes))  # type: ignore[arg-type]


def test_the_entry_parses_back_to_the_papers_metadata() -> None:
    entry = bibtexparser.parse_string(paper_bibtex(_paper(doi="10.1000/x"))).entries[0]
    assert entry.key == "chen2020simple"
    assert entry["eprint"] == "2002.05709"
    assert entry["archivePrefix"] == "arXiv"
    assert entry["primaryClass"] == "cs.LG"
    assert entry["author"] == "Ting Chen and Simon Kornblith"
    assert entry["year"] == "2020"
    assert entry["doi"] == "10.1000/x"
    assert entry["title"] == "{A Simple Framework for Contrastive Learning of Visual Representations}"


def test_characters_special_to_bibtex_are_escaped_and_the_key_is_ascii() -> None:
    text = paper_bibtex(_paper(title="Ranking 100% of #1 & {2}_x", authors=(Author("Aapo Hyvärinen"),),
                               journal_ref="J. A&B 5"))
    entry = bibtexparser.parse_string(text).entries[0]
    assert entry.key == "hyvarinen2020ranking"
    assert r"100\% of \#1 \& \{2\}\_x" in entry["title"]
    assert entry["journal"] == r"J. A\&B 5"
    assert "doi" not in entry.fields_dict
