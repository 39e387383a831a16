"""The stand-in ranks an OR of several titles' clauses as arXiv's Elasticsearch does: a paper scores
for the clauses it matches, and one page of `max_results` is cut from the ranking across all titles
(what bench/titles_per_request.py measures)."""

from __future__ import annotations

from app.resolve.titles import arxiv_title_query
from clients.arxiv.atom import parse_feed
from tests.arxiv_standin.corpus import Corpus, paper_from_record
from tests.arxiv_standin.server import StandinState, api_answer

TITLES = {
    "2401.00001": "Deep Residual Learning for Image Recognition",
    "2401.00002": "Sparse Spectral Clustering of Protein Graphs",
    # Matches the first title's words-clause and no other title's clause, though it holds most words
    # of OTHERS: it must not outscore the first title's own paper for the words it merely shares.
    "2401.00003": "Residual Learning Survey for Deep Image Recognition: Networks, Features, Localization, "
                  "Transformers and Priors at Large",
}
OTHERS = ["Graph Networks Survey", "Discriminative Features Localization", "Transformers at Scale",
          "Priors for Protein Folding", "Survey of Transformers Networks in Chemistry",
          "Localization Features at Scale for Robots"]


def _search(query: str, max_results: int) -> tuple[int, list[str]]:
    corpus = Corpus([paper_from_record({"id": i, "title": t, "abstract": "", "authors": "A. Author",
                                        "categories": "cs.LG", "versions": [{"version": "v1",
                                        "created": "Mon, 1 Jan 2024 00:00:00 GMT"}]})
                     for i, t in TITLES.items()])
    status, body = api_answer(StandinState(corpus), {"search_query": query, "max_results": str(max_results)})
    assert status == 200
    feed = parse_feed(body)
    return feed.total, [p.arxiv_id for p in feed.papers]


def test_the_titles_clauses_match_what_the_test_says_they_match() -> None:
    assert _search(" OR ".join(arxiv_title_query(t) for t in OTHERS), 10) == (0, [])
    assert _search(arxiv_title_query(TITLES["2401.00001"]), 10)[0] == 2


def test_a_paper_scores_for_the_clauses_it_matches_not_for_every_word_it_shares() -> None:
    query = " OR ".join(arxiv_title_query(t) for t in (TITLES["2401.00001"], *OTHERS))
    total, ranked = _search(query, 10)
    assert total == 2
    assert ranked == ["2401.00001", "2401.00003"]


def test_one_page_is_cut_from_the_ranking_across_all_the_titles() -> None:
    query = " OR ".join(arxiv_title_query(t) for t in (TITLES["2401.00001"], TITLES["2401.00002"]))
    total, ranked = _search(query, 1)
    assert total == 3
    assert len(ranked) == 1  # the other title's paper is not on the page: it is lost to this request
