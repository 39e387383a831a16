"""Cited authors against arXiv's: a published version's longer author list is not a mismatch.

The case is real: distill-diffparam's bibliography cites JMLR's "Natural Evolution Strategies"
(2014), whose authors add Jan Peters to the five of the 2011 arXiv preprint 1106.4487.
"""

from __future__ import annotations

from datetime import UTC, datetime

from app.check.findings import author_findings
from clients.arxiv import Author, Paper

NES = Paper(arxiv_id="1106.4487", version=1, title="Natural Evolution Strategies", abstract="",
            authors=tuple(Author(n) for n in ("Daan Wierstra", "Tom Schaul", "Tobias Glasmachers", "Yi Sun",
                                              "Jürgen Schmidhuber")),
            published=datetime(2011, 6, 22, tzinfo=UTC), updated=datetime(2011, 6, 22, tzinfo=UTC),
            primary_category="stat.ML", categories=("stat.ML",))
JOURNAL_AUTHORS = ["Wierstra, Daan", "Schaul, Tom", "Glasmachers, Tobias", "Sun, Yi", "Peters, Jan",
                   "Schmidhuber, Jürgen"]


def _codes(cited: list[str], *, elsewhere: bool) -> list[str]:
    return [f"{f.code}:{f.severity}" for f in author_findings(cited, NES, elsewhere=elsewhere)]


def test_a_journal_citation_adding_a_coauthor_to_every_arxiv_author_is_info() -> None:
    assert _codes(JOURNAL_AUTHORS, elsewhere=True) == ["author_mismatch:info"]


def test_the_same_list_citing_arxiv_itself_is_a_warning() -> None:
    assert _codes(JOURNAL_AUTHORS, elsewhere=False) == ["author_mismatch:warning"]


def test_a_journal_citation_missing_an_arxiv_author_is_still_a_warning() -> None:
    # Peters in place of Sun: not a longer list but another one
    replaced = [a for a in JOURNAL_AUTHORS if not a.startswith("Sun")]
    assert _codes(replaced, elsewhere=True) == ["author_mismatch:warning"]


def test_no_cited_author_wrote_it_is_broken_wherever_published() -> None:
    assert _codes(["Geoffrey Hinton", "Yann LeCun"], elsewhere=True) == ["author_mismatch:broken"]


def test_every_author_right_is_no_finding() -> None:
    assert _codes([a for a in JOURNAL_AUTHORS if not a.startswith("Peters")], elsewhere=True) == []
