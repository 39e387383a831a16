"""The 3M-record mirror corpus generator (bench/mirror_corpus.py), at a few thousand records."""

from __future__ import annotations

import hashlib
import json
import tarfile
from pathlib import Path

import pytest
from sqlalchemy import delete, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.models import PaperRow
from app.resolve.importer import import_file
from app.resolve.title_index import title_candidates
from bench import mirror_corpus
from clients.arxiv import parse_id


@pytest.fixture(scope="module")
def source(shared_dir: Path) -> mirror_corpus.Source:
    return mirror_corpus.load_source(limit=1500)


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_generated_ids_are_valid_unique_and_never_real(shared_dir: Path) -> None:
    import gzip

    with gzip.open(mirror_corpus.SHARED_CORPUS, "rb") as handle:
        real = {parse_id(json.loads(line)["id"]).base for line in handle}
    # Generated numbers start where no real id's number reaches, in every month.
    assert max(int(i.split(".")[1]) for i in real if "/" not in i) < mirror_corpus.FIRST_NUMBER
    last = 3_000_000 - len(real) - 1
    sample = [*range(0, 300_000), *range(last - 1000, last + 1)]
    generated = [mirror_corpus.generated_id(i) for i in sample]
    assert len(set(generated)) == len(generated)
    assert not real & set(generated)
    for arxiv_id in generated[:: 997] + generated[-3:]:
        assert parse_id(arxiv_id).base == arxiv_id
        assert int(arxiv_id.split(".")[1]) >= mirror_corpus.FIRST_NUMBER
    with pytest.raises(ValueError, match="unused id ranges"):
        mirror_corpus.generated_id(len(mirror_corpus.MONTHS) * 50_000)


def test_the_corpus_is_deterministic_and_both_formats_hold_the_same_records(
        source: mirror_corpus.Source, tmp_path: Path) -> None:
    first = mirror_corpus.write_corpus(tmp_path / "a", source, total=4000, seed=3)
    mirror_corpus.write_corpus(tmp_path / "b", source, total=4000, seed=3)
    mirror_corpus.write_corpus(tmp_path / "c", source, total=4000, seed=4)
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    assert _digest(tmp_path / "a") != _digest(tmp_path / "c")
    lines = first["kaggle"].read_bytes().splitlines()
    assert len(lines) == 4000
    assert lines[:1500] == [line.rstrip(b"\n") for line in source.lines]  # the real records as they are
    ids = [json.loads(line)["id"] for line in lines]
    assert len(set(ids)) == 4000
    with tarfile.open(first["oai"]) as archive:
        pages = [archive.extractfile(m).read() for m in archive.getmembers()]  # type: ignore[union-attr]
    assert len(pages) == 4
    assert sum(page.count(b"<record>") for page in pages) == 4000
    assert all(f"<id>{arxiv_id}</id>".encode() in b"".join(pages) for arxiv_id in ids[1500::97])


def test_a_generated_record_is_its_base_renamed_with_dates_in_its_ids_month(source: mirror_corpus.Source) -> None:
    shards = mirror_corpus.Shards(source, seed=18)
    for index in (0, 1, 1499, 1500, 2999):
        paper = mirror_corpus.generated_paper(source, shards, index)
        base = source.papers[index % 1500]
        assert paper.arxiv_id == mirror_corpus.generated_id(index)
        assert paper.published.strftime("%y%m") == paper.arxiv_id[:4]
        assert paper.abstract == base.abstract
        assert len(paper.authors) == len(base.authors)
        assert len(paper.title.split()) == len(base.title.split())
        assert paper.doi is None
    # The same base in two shards: different words, same shape.
    one, two = (mirror_corpus.generated_paper(source, shards, i) for i in (7, 1507))
    assert one.title != two.title


def test_near_namesakes_are_as_common_as_in_the_real_titles() -> None:
    population = ["deep residual learning for image recognition", "deep residual learning for image segmentation",
                  "a study of lattice gauge fields", "quantum error correction codes"]
    share = mirror_corpus.near_namesake_share(population[:2] + population[2:3], population, [0, 1, 2], 80)
    assert share == pytest.approx(2 / 3)


def _rows(engine: Engine) -> dict[str, dict[str, object]]:
    """Every paper's columns but the key and the import's moment, by arxiv_id."""
    with Session(engine) as session:
        rows = session.execute(select(PaperRow)).scalars().all()
        return {r.arxiv_id: r.model_dump(exclude={"id", "fetched_at"}) for r in rows}


def test_the_bulk_import_writes_the_rows_of_the_plain_upsert(
        engine: Engine, source: mirror_corpus.Source, tmp_path: Path) -> None:
    # The bulk path (SQLite: driver rows built by the parsers; PostgreSQL: COPY into a staging
    # table, then one INSERT ... ON CONFLICT) against the plain upsert through paper_values, on
    # the real records (every layout) and generated ones, from JSON lines and from OAI pages.
    files = mirror_corpus.write_corpus(tmp_path, source, total=6000, seed=5)
    kinds: dict[str, dict[str, dict[str, object]]] = {}
    for kind, path in files.items():
        for form in ("dicts", None):
            with engine.begin() as connection:
                connection.execute(delete(PaperRow))
            stats = import_file(engine, path, form=form)  # type: ignore[arg-type]
            assert stats.imported == 6000
            rows = _rows(engine)
            if form == "dicts":
                plain = rows
        assert rows == plain, kind
        assert len(rows) == 6000
        kinds[kind] = rows
        with Session(engine) as session:
            some = next(p for i, p in enumerate(source.papers) if i == 123)
            assert title_candidates(session, some.title)[0].title == some.title
    # Both formats carry the same papers (the OAI pages have no DOI and no affiliations for them).
    for arxiv_id, row in kinds["kaggle"].items():
        other = kinds["oai"][arxiv_id]
        assert (other["title"], other["published"]) == (row["title"], row["published"])
