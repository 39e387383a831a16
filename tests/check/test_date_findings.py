"""The date check: which cited years are explained by a paper's arXiv record, and which are flagged.

The papers are real (dates, journal references and comments as the shared corpus has them).
"""

from __future__ import annotations

from datetime import UTC, datetime

from app.check.findings import date_findings, published_elsewhere, published_years
from app.extract import Cited
from clients.arxiv import Paper


def _paper(arxiv_id: str, title: str, v1: str, latest: tuple[int, str] | None = None, *,
           journal_ref: str | None = None, comment: str | None = None) -> Paper:
    version, updated = latest or (1, v1)
    return Paper(arxiv_id=arxiv_id, version=version, title=title, abstract="", authors=(),
                 published=datetime.fromisoformat(v1).replace(tzinfo=UTC),
                 updated=datetime.fromisoformat(updated).replace(tzinfo=UTC),
                 primary_category="cs.LG", categories=("cs.LG",), journal_ref=journal_ref, comment=comment)


VGG = _paper("1409.1556", "Very Deep Convolutional Networks for Large-Scale Image Recognition",
             "2014-09-04", (6, "2015-04-10"))
ADAM = _paper("1412.6980", "Adam: A Method for Stochastic Optimization", "2014-12-22", (9, "2017-01-29"),
              comment="Published as a conference paper at the 3rd International Conference for Learning "
                      "Representations, San Diego, 2015")
RETHINKING = _paper("1611.03530", "Understanding deep learning requires rethinking generalization",
                    "2016-11-10", (2, "2017-02-26"), comment="Published in ICLR 2017")
# Published at a 1995 workshop, posted in 2002.
TURNEY = _paper("cs/0212040", "Data Engineering for the Analysis of Semiconductor Manufacturing Data",
                "2002-12-12", journal_ref="Proceedings of the IJCAI-95 Workshop on Data Engineering for "
                                          "Inductive Learning, Montreal, Quebec, (1995), 50-59")
MMSB = _paper("0705.4485", "Mixed membership stochastic blockmodels", "2007-05-30",
              journal_ref="Journal of Machine Learning Research, 9, 1981-2014.")


def _codes(year: int | None, paper: Paper, *, month: int | None = None, elsewhere: bool = False) -> list[str]:
    return [f"{f.code}:{f.severity}" for f in date_findings(year, month, paper, elsewhere=elsewhere)]


def test_years_while_the_paper_was_on_arxiv_and_around_it_are_fine() -> None:
    for year in (2013, 2014, 2015, 2016):  # a year before v1 (published first), v1, v6, the year after
        assert _codes(year, VGG) == []
    assert _codes(2017, ADAM) == [] and _codes(2018, ADAM) == []  # v9 came out in 2017


def test_an_arxiv_citation_years_off_is_flagged_as_a_warning() -> None:
    # "arXiv preprint arXiv:1409.1556 (2019)": nothing in arXiv's record gives 2019.
    assert _codes(2019, VGG) == ["date_mismatch:warning"]
    (finding,) = date_findings(2010, None, VGG)
    assert "before the paper was on arXiv" in finding.message


def test_a_citation_of_the_published_version_is_not_checked_against_arxivs_dates() -> None:
    # The journal version of the 2016 preprint, cited with its venue: the year is the journal's.
    assert _codes(2021, RETHINKING, elsewhere=True) == []
    assert _codes(2021, RETHINKING) == ["date_mismatch:warning"]
    # A 1995 workshop paper posted in 2002, cited as the workshop paper.
    assert _codes(1995, TURNEY, elsewhere=True) == []


def test_the_journal_ref_and_comments_explain_a_year() -> None:
    assert published_years(TURNEY) == {1995}
    assert _codes(1995, TURNEY) == []  # even without the venue: arXiv's record says 1995
    assert _codes(1990, TURNEY) == ["date_mismatch:warning"]
    assert published_years(ADAM) == {2015}
    assert published_years(RETHINKING) == {2017}
    # Pages are not years: JMLR 9, 1981-2014 says nothing about 2014.
    assert published_years(MMSB) == set()
    assert _codes(2014, MMSB) == ["date_mismatch:warning"]


def test_a_month_is_checked_only_against_arxiv_and_only_in_v1s_year() -> None:
    assert _codes(2014, VGG, month=9) == [] and _codes(2014, VGG, month=10) == []
    assert _codes(2014, VGG, month=5) == ["date_mismatch:warning"]
    assert _codes(2014, VGG, month=5, elsewhere=True) == []  # the conference's month
    assert _codes(2015, VGG, month=1) == []


def test_a_venue_or_a_publishers_doi_says_the_published_version_is_cited() -> None:
    assert published_elsewhere(Cited(venue="Communications of the ACM"))
    assert published_elsewhere(Cited(doi="10.1145/3446776"))
    assert not published_elsewhere(Cited(doi="10.48550/arXiv.1611.03530"))
    assert not published_elsewhere(Cited(title="Understanding deep learning requires rethinking generalization"))
