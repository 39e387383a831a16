"""The local title index: a lookup built from the title's rare words finds what the plain query finds."""

from __future__ import annotations

import gzip
import itertools
import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.db import make_engine
from app.migrate import upgrade
from app.resolve.importer import import_file
from app.resolve.store import get_papers
from app.resolve.title_index import POSTINGS_BUDGET, rare_words, title_candidates, title_words
from app.resolve.title_match import decide


def test_rare_words_come_first_and_stay_within_the_budget() -> None:
    counts = {"learning": 5364, "deep": 2089, "facial": 130, "emotionet": 1, "wild": 64}
    words = ["emotionet", "challenge", "facial", "wild", "deep", "learning"]
    # "challenge" is in no title: it cannot help an OR query find anything
    assert rare_words(words, counts) == ["emotionet", "wild", "facial"]
    # only common words: the two rarest are still asked, so the title is not left unsearched
    assert rare_words(["deep", "learning", "networks"], {**counts, "networks": 3599}) == ["deep", "networks"]
    assert sum(counts[w] for w in rare_words(words, counts)) <= POSTINGS_BUDGET
    assert rare_words(["zzz"], counts) == []


def _perturbed(title: str, rng: random.Random) -> str:
    words = title.split()
    i = rng.randrange(len(words))
    if len(words) > 3 and rng.random() < 0.5:
        del words[i]
    elif len(words[i]) > 3:
        j = rng.randrange(1, len(words[i]) - 1)
        words[i] = words[i][:j] + words[i][j + 1:]
    return " ".join(words)


def _plain_candidate_ids(session: Session, title: str) -> list[str]:
    """The query before the vocabulary was asked: an OR of the eight longest words."""
    words = sorted(title_words(title), key=len, reverse=True)[:8]
    match = " OR ".join(f'"{w}"' for w in words)
    rows = session.execute(text(
        "SELECT p.arxiv_id FROM papers_fts JOIN papers p ON p.id = papers_fts.rowid "
        "WHERE papers_fts MATCH :q ORDER BY bm25(papers_fts) LIMIT 20"), {"q": f"title_norm : ({match})"})
    return [r[0] for r in rows]


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    """SQLite only: the vocabulary-driven query is SQLite's (PostgreSQL keeps its plain one)."""
    engine = make_engine(f"sqlite:///{tmp_path / 'titles.db'}")
    upgrade(engine)
    yield engine
    engine.dispose()


def test_rare_word_lookups_decide_as_the_plain_query_does(sqlite_engine: Engine, shared_dir: Path,
                                                          tmp_path: Path) -> None:
    engine = sqlite_engine
    source = shared_dir / "data" / "arxiv-corpus" / "arxiv-metadata.jsonl.gz"
    sample = tmp_path / "sample.jsonl.gz"
    with gzip.open(source, "rt", encoding="utf-8") as handle, gzip.open(sample, "wt", encoding="utf-8") as out:
        out.writelines(itertools.islice(handle, 6000))
    import_file(engine, sample)
    rng = random.Random(7)
    with Session(engine) as session:
        ids = [r[0] for r in session.execute(text("SELECT arxiv_id FROM papers ORDER BY id"))]
        titles = [p.title for p, _ in get_papers(session, rng.sample(ids, 150)).values()]
        queries = titles + [_perturbed(t, rng) for t in titles] + [
            "Language Models are Unsupervised Multitask Learners", "Deep Learning", "Quantum Field Theory"]
        found = 0
        for title in queries:
            ours = decide(title, title_candidates(session, title))
            plain_ids = _plain_candidate_ids(session, title)
            plain = decide(title, [p for p, _ in get_papers(session, plain_ids).values()])
            assert (ours.status, ours.paper and ours.paper.arxiv_id) == \
                (plain.status, plain.paper and plain.paper.arxiv_id), title
            found += ours.status == "found"
    assert found >= 250  # the exact titles and most perturbed ones: the comparison is not vacuous
