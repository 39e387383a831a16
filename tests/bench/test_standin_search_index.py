"""The stand-in's word index narrows searches without changing their answers."""

from __future__ import annotations

import pytest

from tests.arxiv_standin.corpus import Corpus, fixture_papers
from tests.arxiv_standin.query import adapt, evaluate, parse

QUERIES = [
    'ti:"Attention Is All You Need"',
    '(ti:"Generative Adversarial Networks" OR (ti:generative AND ti:adversarial AND ti:networks))',
    "ti:gener*",
    'ti:"What is the Best Multi-Stage Architecture for Object Recognition?"',
    "au:Vaswani ANDNOT ti:attention",
    "NOT ti:learning",
    "cat:cs.LG AND ti:language",
    "all:collatz",
    "abs:withdrawn OR co:withdrawn",
]


@pytest.mark.parametrize("query", QUERIES)
def test_an_indexed_search_finds_what_a_full_scan_finds_in_the_same_order(query: str) -> None:
    corpus = Corpus(fixture_papers())
    node = parse(adapt(query))
    scanned = [p.arxiv_id for p in corpus if evaluate(node, p)]
    assert [p.arxiv_id for p in corpus.search_index().matching(node)] == scanned


def test_the_index_is_rebuilt_after_a_paper_is_added() -> None:
    papers = fixture_papers()
    corpus = Corpus(papers[1:])
    node = parse(adapt(f'ti:"{papers[0].title}"'))
    assert papers[0].arxiv_id not in [p.arxiv_id for p in corpus.search_index().matching(node)]
    corpus.add(papers[0])
    assert papers[0].arxiv_id in [p.arxiv_id for p in corpus.search_index().matching(node)]
