"""Title matching's real traps, on real papers from the stand-in's records."""

from __future__ import annotations

import pytest

from app.resolve.title_match import ACCEPT, decide, title_score
from clients.arxiv import Author, Paper
from tests.arxiv_standin.corpus import StandinPaper


@pytest.fixture(scope="module")
def papers(standin_papers: list[StandinPaper]) -> dict[str, Paper]:
    from clients.arxiv import Author

    def to_paper(p: StandinPaper) -> Paper:
        return Paper(arxiv_id=p.arxiv_id, version=p.latest_version, title=p.title, abstract=p.abstract,
                     authors=tuple(Author(n) for n, _ in p.authors), published=p.version_dates[0],
                     updated=p.version_dates[-1], primary_category=p.categories[0],
                     categories=tuple(p.categories))

    return {p.arxiv_id: to_paper(p) for p in standin_papers}


def test_gpt2_is_not_gpt3(papers: dict[str, Paper]) -> None:
    result = decide("Language Models are Unsupervised Multitask Learners", [papers["2005.14165"]])
    assert result.status == "unresolved"
    assert title_score("Language Models are Unsupervised Multitask Learners",
                       "Language Models are Few-Shot Learners") < ACCEPT


@pytest.mark.shared_corpus
def test_the_exact_gan_title_wins_over_its_longer_namesakes(papers: dict[str, Paper]) -> None:
    result = decide("Generative Adversarial Networks", [papers["1710.07035"], papers["1406.2661"]])
    assert result.status == "found"
    assert result.paper is not None
    assert result.paper.arxiv_id == "1406.2661"


def test_a_longer_namesake_from_years_later_is_not_the_cited_paper(papers: dict[str, Paper]) -> None:
    # Only the 2017 overview is on offer: a 2014 citation cannot mean it, whatever its main clause.
    assert decide("Generative Adversarial Networks", [papers["1710.07035"]], cited_year=2014).status == "unresolved"
    assert decide("Generative Adversarial Networks", [papers["1710.07035"]], cited_year=2017).status == "found"
    assert decide("Generative Adversarial Networks", [papers["1710.07035"]]).status == "found"


@pytest.mark.shared_corpus
def test_an_exact_title_matches_even_when_uploaded_years_after_the_cited_year(papers: dict[str, Paper]) -> None:
    result = decide("Generative Adversarial Networks", [papers["1406.2661"]], cited_year=2010)
    assert result.status == "found"


@pytest.mark.shared_corpus
def test_a_cited_main_clause_names_the_paper(papers: dict[str, Paper]) -> None:
    result = decide("Instance Normalization", [papers["1607.08022"], papers["1607.06450"]])
    assert result.status == "found"
    assert result.paper is not None
    assert result.paper.arxiv_id == "1607.08022"


@pytest.mark.shared_corpus
def test_a_classic_never_on_arxiv_is_unresolved_despite_namesakes(papers: dict[str, Paper]) -> None:
    from dataclasses import replace

    namesake = replace(papers["1409.4842"], arxiv_id="1999.00001",
                       title="Gradient-based learning applied to document recognition with deep networks")
    result = decide("Gradient-Based Learning Applied to Document Recognition", [namesake])
    assert result.status == "unresolved"


@pytest.mark.shared_corpus
def test_two_papers_with_one_title_are_ambiguous_until_authors_decide(papers: dict[str, Paper]) -> None:
    from dataclasses import replace

    gan = papers["1406.2661"]
    twin = replace(gan, arxiv_id="2001.00001", authors=(Author("A. Nother"),))
    assert decide("Generative Adversarial Networks", [gan, twin]).status == "ambiguous"
    chosen = decide("Generative Adversarial Networks", [gan, twin], cited_authors=["Ian Goodfellow"])
    assert chosen.status == "found"
    assert chosen.paper is not None
    assert chosen.paper.arxiv_id == "1406.2661"


@pytest.mark.shared_corpus
def test_typos_and_case_still_match(papers: dict[str, Paper]) -> None:
    result = decide("deep residual learning for image recogntion", [papers["1512.03385"]])
    assert result.status == "found"
    assert result.confidence >= ACCEPT
