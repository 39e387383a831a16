"""Title matching's real traps, on real papers from the stand-in's records."""

from __future__ import annotations

from dataclasses import replace

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


def _resnet_namesake(resnet: Paper) -> Paper:
    """A later paper by other authors whose title is ResNet's with one word more (0.91)."""
    from dataclasses import replace
    from datetime import UTC, datetime

    posted = datetime(2016, 3, 2, 10, 0, tzinfo=UTC)
    return replace(resnet, arxiv_id="1603.00001", title="Improved Deep Residual Learning for Image Recognition",
                   authors=(Author("Wei Zhou"), Author("Lin Park")), published=posted, updated=posted)


RESNET_AUTHORS = ["Kaiming He", "Xiangyu Zhang", "Shaoqing Ren", "Jian Sun"]


@pytest.mark.shared_corpus
def test_a_near_title_by_other_authors_posted_after_the_cited_year_is_another_paper(
        papers: dict[str, Paper]) -> None:
    namesake = _resnet_namesake(papers["1512.03385"])
    title = "Deep Residual Learning for Image Recognition"
    assert ACCEPT <= title_score(title, namesake.title) < 1.0
    result = decide(title, [namesake], cited_authors=RESNET_AUTHORS, cited_year=2015)
    assert result.status == "unresolved"
    assert [c.paper.arxiv_id for c in result.candidates] == ["1603.00001"]
    assert result.reason is not None and "none of the cited authors" in result.reason
    # Its own authors make it the cited paper; so does an exact title, whoever is cited.
    ours = decide(title, [namesake], cited_authors=["W. Zhou", "L. Park"], cited_year=2016)
    assert ours.status == "found"
    exact = decide(title, [papers["1512.03385"]], cited_authors=["Wei Zhou"], cited_year=2015)
    assert exact.status == "found"


@pytest.mark.shared_corpus
def test_a_near_title_stays_found_when_the_authors_or_the_year_speak_for_it(papers: dict[str, Paper]) -> None:
    resnet = papers["1512.03385"]
    typo = "Deep Residual Learning for Image Recogntion"
    # Some cited authors wrote it: found, even though the year is the one before v1.
    assert decide(typo, [resnet], cited_authors=["He", "Smith"], cited_year=2014).status == "found"
    # No authors cited, a year when it was on arXiv: found.
    assert decide(typo, [resnet], cited_year=2016).status == "found"
    # Wrong authors but the year fits: the evidence is even, the title decides (author_mismatch follows).
    assert decide(typo, [resnet], cited_authors=["Jane Doe"], cited_year=2015).status == "found"
    # Wrong authors and nothing else: another paper's title, not this one.
    assert decide(typo, [resnet], cited_authors=["Jane Doe"]).status == "unresolved"
    # A main clause only, by none of the cited authors: even a fitting year does not make it the
    # paper ("Understanding dropout", Baldi & Sadowski 2013, is not Cho's "Understanding Dropout: …").
    clause = "Deep Residual Learning"
    main_clause_only = replace(resnet, title=clause + ": Training Very Deep Networks")
    assert decide(clause, [main_clause_only], cited_authors=["Jane Doe"], cited_year=2015).status == "unresolved"
    assert decide(clause, [main_clause_only], cited_authors=["K. He"], cited_year=2015).status == "found"
    # A changed word, two of the cited authors, but posted years after the cited year: another paper
    # ("Hierarchical Dirichlet processes", 2006, is not "Nested Hierarchical Dirichlet Processes", 2012).
    nested = replace(resnet, title="Nested " + resnet.title)
    assert ACCEPT <= title_score(resnet.title, nested.title) < 0.95
    assert decide(resnet.title, [nested], cited_authors=["K. He", "Jane Doe"], cited_year=2011).status == "unresolved"
    assert decide(resnet.title, [nested], cited_authors=["K. He", "Jane Doe"], cited_year=2015).status == "found"


@pytest.mark.shared_corpus
def test_a_citation_prefers_the_namesake_that_existed_in_the_cited_year(papers: dict[str, Paper]) -> None:
    from dataclasses import replace
    from datetime import UTC, datetime

    gan = papers["1406.2661"]  # v1 2014
    posted = datetime(2016, 5, 20, 9, 0, tzinfo=UTC)
    journal = replace(gan, arxiv_id="1605.00002", published=posted, updated=posted)
    both = [gan, journal]
    chosen = decide("Generative Adversarial Networks", both, cited_authors=["Ian Goodfellow"], cited_year=2015)
    assert chosen.status == "found"
    assert chosen.paper is not None and chosen.paper.arxiv_id == "1406.2661"
    later = decide("Generative Adversarial Networks", both, cited_authors=["Ian Goodfellow"], cited_year=2017)
    assert later.status == "ambiguous"  # both existed in 2017: nothing cited tells them apart
    assert decide("Generative Adversarial Networks", both, cited_authors=["Ian Goodfellow"]).status == "ambiguous"
