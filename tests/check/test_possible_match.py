"""A near title that the rest of the citation rules out: unresolved, the candidate shown, never broken."""

from __future__ import annotations

from datetime import UTC, datetime

from app.check import check_reference
from app.extract import Cited, CitedReference
from app.resolve.title_match import decide
from clients.arxiv import Author, Paper


def _paper(arxiv_id: str, title: str, authors: list[str], posted: datetime) -> Paper:
    return Paper(arxiv_id=arxiv_id, version=1, title=title, abstract="",
                 authors=tuple(Author(a) for a in authors), published=posted, updated=posted,
                 primary_category="cs.CV", categories=("cs.CV",))


# Shaped like issue 15's case: the cited paper is not in the index, a later one with one word more is.
IMPROVED = _paper("2103.00017", "Improved Denoising Diffusion Probabilistic Models",
                  ["Alex Nichol", "Prafulla Dhariwal"], datetime(2021, 2, 18, 20, 0, tzinfo=UTC))
CITED = Cited(title="Denoising Diffusion Probabilistic Models", authors=("Jonathan Ho", "Ajay Jain", "Pieter Abbeel"),
              year=2020)


def _reference(cited: Cited) -> CitedReference:
    return CitedReference(kind="title", text=cited.title or "", line=3, column=1, cited=cited)


def test_a_near_title_by_none_of_the_cited_authors_from_a_later_year_is_a_possible_match() -> None:
    resolution = decide(CITED.title or "", [IMPROVED], cited_authors=CITED.authors, cited_year=CITED.year)
    report = check_reference(0, _reference(CITED), resolution, {})
    assert report.status == "unresolved"
    assert {f.code: f.severity for f in report.findings} == {"not_on_arxiv": "info", "possible_match": "info"}
    possible = next(f for f in report.findings if f.code == "possible_match")
    assert "2103.00017" in possible.message and "none of the cited authors" in possible.message
    assert [c.arxiv_id for c in report.candidates] == ["2103.00017"]


def test_the_same_near_title_cited_with_its_own_authors_is_found() -> None:
    cited = Cited(title="Improved Denoising Diffusion Probabilistic Model", authors=("A. Nichol", "P. Dhariwal"),
                  year=2021)
    resolution = decide(cited.title or "", [IMPROVED], cited_authors=cited.authors, cited_year=cited.year)
    report = check_reference(0, _reference(cited), resolution, {})
    assert report.status == "ok" and report.arxiv_id == "2103.00017"
    assert report.candidates == []
