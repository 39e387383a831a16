"""The local title index: the titles nearly equal to a cited one are among its candidates."""

from __future__ import annotations

import gzip
import itertools
import random
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.resolve.importer import import_file
from app.resolve.store import get_papers
from app.resolve.title_index import Query, title_candidates, word_queries
from app.resolve.title_match import decide


def _matches(query: Query, title: set[str]) -> bool:
    return any(all(any(w in title for w in part) for part in clause) for clause in query)


def test_the_tolerant_query_holds_every_title_lacking_one_word_at_most() -> None:
    rng = random.Random(18)
    vocabulary = [f"w{i}" for i in range(12)]
    for _ in range(2000):
        words = rng.sample(vocabulary, rng.randint(1, 8))
        tolerant, strict = word_queries(words, [])
        title = {w for w in words if rng.random() < 0.8} | set(rng.sample(vocabulary, 2))
        missing = len(set(words) - title)
        assert _matches(strict, title) == (missing == 0), (words, title)
        if missing <= 1 and missing < len(words):  # a title holding none of the words is not meant
            assert _matches(tolerant, title), (words, title)
    # a title equal to the cited main clause is asked for on its own
    tolerant, strict = word_queries(["subtitle", "rare", "main"], ["rare", "main"])
    assert _matches(tolerant, {"rare", "main"}) and _matches(strict, {"rare", "main"})


def _perturbed(title: str, rng: random.Random) -> str:
    words = title.split()
    i = rng.randrange(len(words))
    if len(words) > 3 and rng.random() < 0.5:
        del words[i]
    elif len(words[i]) > 3:
        j = rng.randrange(1, len(words[i]) - 1)
        words[i] = words[i][:j] + words[i][j + 1:]
    return " ".join(words)


def test_lookups_decide_as_a_comparison_with_every_title_does(engine: Engine, shared_dir: Path,
                                                               tmp_path: Path) -> None:
    source = shared_dir / "data" / "arxiv-corpus" / "arxiv-metadata.jsonl.gz"
    sample = tmp_path / "sample.jsonl.gz"
    with gzip.open(source, "rt", encoding="utf-8") as handle, gzip.open(sample, "wt", encoding="utf-8") as out:
        out.writelines(itertools.islice(handle, 6000))
    import_file(engine, sample)
    rng = random.Random(7)
    with Session(engine) as session:
        ids = [r[0] for r in session.execute(text("SELECT arxiv_id FROM papers ORDER BY id"))]
        every = [p for p, _ in get_papers(session, ids).values()]
        titles = [p.title for p in rng.sample(every, 120)]
        queries = titles + [_perturbed(t, rng) for t in titles] + [
            "Language Models are Unsupervised Multitask Learners", "Deep Learning", "Quantum Field Theory"]
        found = 0
        for title in queries:
            ours = decide(title, title_candidates(session, title))
            truth = decide(title, every)
            assert (ours.status, ours.paper and ours.paper.arxiv_id) == \
                (truth.status, truth.paper and truth.paper.arxiv_id), title
            found += ours.status == "found"
    assert found >= 200  # the exact titles and most perturbed ones: the comparison is not vacuous
